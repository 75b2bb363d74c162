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

/// Lowercase hex of `bytes` (digests, random ids).
public func hexString(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes { hexString($0) }
}

/// Lowercase hex of `bytes`. (Not generic over Sequence: called across modules, a generic
/// version runs unspecialised and instantiates iterator metadata at its first call.)
public func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        @inline(__always) func digit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
        for (i, b) in bytes.enumerated() {
            out[2 * i] = digit(b >> 4)
            out[2 * i + 1] = digit(b & 15)
        }
        return bytes.count * 2
    }
}
