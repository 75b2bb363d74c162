// SHA-256 (libmd, through CSHA256) with the shape of swift-crypto's: `update`, `finalize`.

import CSHA256

public struct SHA256 {
    private var ctx = aegish_sha256_ctx()

    public init() { aegish_sha256_init(&ctx) }

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        aegish_sha256_update(&ctx, bufferPointer.baseAddress, bufferPointer.count)
    }

    public mutating func update<Bytes: Collection>(data: Bytes) where Bytes.Element == UInt8 {
        if let done = data.withContiguousStorageIfAvailable({ p in
            aegish_sha256_update(&ctx, p.baseAddress, p.count)
        }) { return done }
        let copy = Array(data)
        copy.withUnsafeBytes { aegish_sha256_update(&ctx, $0.baseAddress, $0.count) }
    }

    /// The 32-byte digest. The hasher is spent afterwards (as with swift-crypto, take a copy to go on).
    public mutating func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBufferPointer { aegish_sha256_final(&ctx, $0.baseAddress) }
        return out
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Lowercase hex of `bytes` (digests, random ids).
public func hexString<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for b in bytes { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}
