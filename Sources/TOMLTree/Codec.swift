// The binary form aegish-toml writes and the shell reads: a parse result as tagged values.
//
//   "AGT1" then 'K' table                    the document
//           or 'E' u32 line, u32 column, str  a syntax error
//   value:  's' str | 'i' i64 | 'f' f64 bits | 'b' u8 | 'a' u32 n, n values
//           | 't' u32 n, n × (str key, value) | 'd' date | 'T' time | 'D' date-time
//   str:    u32 length, UTF-8 bytes.  Integers little-endian.
//
// The decoder trusts nothing: lengths are bounded by what is left, nesting by `maxDepth`, text
// must be valid UTF-8, keys unique, and the input must end where the document does. Anything
// else is a `TOMLCodecError`, which the loader turns into a refusal like any load error.

public struct TOMLCodecError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

public enum TOMLCodec {
    static let magic: [UInt8] = Array("AGT1".utf8)
    static let maxDepth = 200

    public static func encode(_ result: Result<TOMLTable, TOMLSyntaxError>) -> [UInt8] {
        var out = magic
        switch result {
        case .success(let t):
            out.append(UInt8(ascii: "K"))
            put(.table(t), &out)
        case .failure(let e):
            out.append(UInt8(ascii: "E"))
            u32(UInt32(clamping: e.line), &out)
            u32(UInt32(clamping: e.column), &out)
            str(e.description, &out)
        }
        return out
    }

    private static func little<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        for k in 0..<MemoryLayout<T>.size { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }
    private static func u32(_ v: UInt32, _ out: inout [UInt8]) { little(v, &out) }
    private static func u64(_ v: UInt64, _ out: inout [UInt8]) { little(v, &out) }
    private static func str(_ s: String, _ out: inout [UInt8]) {
        u32(UInt32(s.utf8.count), &out)
        out.append(contentsOf: s.utf8)
    }
    private static func put(_ v: TOMLValue, _ out: inout [UInt8]) {
        switch v {
        case .string(let s): out.append(UInt8(ascii: "s")); str(s, &out)
        case .int(let i): out.append(UInt8(ascii: "i")); u64(UInt64(bitPattern: Int64(i)), &out)
        case .double(let d): out.append(UInt8(ascii: "f")); u64(d.bitPattern, &out)
        case .bool(let b): out.append(UInt8(ascii: "b")); out.append(b ? 1 : 0)
        case .array(let a):
            out.append(UInt8(ascii: "a")); u32(UInt32(a.count), &out)
            for e in a { put(e, &out) }
        case .table(let t):
            out.append(UInt8(ascii: "t")); u32(UInt32(t.count), &out)
            for e in t.entries { str(e.key, &out); put(e.value, &out) }
        case .date: out.append(UInt8(ascii: "d"))
        case .time: out.append(UInt8(ascii: "T"))
        case .dateTime: out.append(UInt8(ascii: "D"))
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(TOMLCodecError) -> Result<TOMLTable, TOMLSyntaxError> {
        var r = Reader(b: bytes)
        guard bytes.count >= 5, Array(bytes[0..<4]) == magic else {
            throw TOMLCodecError(description: "not a parse result (bad header)")
        }
        r.i = 4
        let kind = try r.byte()
        let result: Result<TOMLTable, TOMLSyntaxError>
        if kind == UInt8(ascii: "K") {
            guard case .table(let t) = try r.value(depth: 0) else {
                throw TOMLCodecError(description: "the document is not a table")
            }
            result = .success(t)
        } else if kind == UInt8(ascii: "E") {
            let line = Int(try r.u32()), column = Int(try r.u32())
            result = .failure(TOMLSyntaxError(line: line, column: column, description: try r.string()))
        } else {
            throw TOMLCodecError(description: "unknown result kind \(kind)")
        }
        guard r.i == bytes.count else { throw TOMLCodecError(description: "trailing bytes after the document") }
        return result
    }

    private struct Reader {
        let b: [UInt8]
        var i = 0

        func fail(_ m: String) -> TOMLCodecError { TOMLCodecError(description: "\(m) at byte \(i)") }

        mutating func byte() throws(TOMLCodecError) -> UInt8 {
            guard i < b.count else { throw fail("truncated") }
            defer { i += 1 }
            return b[i]
        }
        mutating func little<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(TOMLCodecError) -> T {
            let size = MemoryLayout<T>.size
            guard b.count - i >= size else { throw fail("truncated") }
            var v: T = 0
            for k in 0..<size { v |= T(b[i + k]) << (8 * k) }
            i += size
            return v
        }
        mutating func u32() throws(TOMLCodecError) -> UInt32 { try little(UInt32.self) }
        mutating func u64() throws(TOMLCodecError) -> UInt64 { try little(UInt64.self) }
        mutating func string() throws(TOMLCodecError) -> String {
            let n = Int(try u32())
            guard b.count - i >= n else { throw fail("truncated string") }
            guard let s = String(validating: b[i..<(i + n)], as: UTF8.self) else { throw fail("invalid UTF-8") }
            i += n
            return s
        }
        /// A count of items each at least `minBytes` long: bounded by what is left.
        mutating func count(minBytes: Int) throws(TOMLCodecError) -> Int {
            let n = Int(try u32())
            guard n <= (b.count - i) / minBytes else { throw fail("count larger than the input") }
            return n
        }
        mutating func value(depth: Int) throws(TOMLCodecError) -> TOMLValue {
            guard depth < TOMLCodec.maxDepth else { throw fail("nested too deeply") }
            switch try byte() {
            case UInt8(ascii: "s"): return .string(try string())
            case UInt8(ascii: "i"): return .int(Int(Int64(bitPattern: try u64())))
            case UInt8(ascii: "f"): return .double(Double(bitPattern: try u64()))
            case UInt8(ascii: "b"):
                let v = try byte()
                guard v <= 1 else { throw fail("bad boolean") }
                return .bool(v == 1)
            case UInt8(ascii: "a"):
                let n = try count(minBytes: 1)
                var a: [TOMLValue] = []
                a.reserveCapacity(n)
                for _ in 0..<n { a.append(try value(depth: depth + 1)) }
                return .array(TOMLArray(a))
            case UInt8(ascii: "t"):
                let n = try count(minBytes: 5)
                var t = TOMLTable()
                for _ in 0..<n {
                    let k = try string()
                    guard t[k] == nil else { throw fail("duplicate key \"\(k)\"") }
                    t.append(k, try value(depth: depth + 1))
                }
                return .table(t)
            case UInt8(ascii: "d"): return .date
            case UInt8(ascii: "T"): return .time
            case UInt8(ascii: "D"): return .dateTime
            case let x: throw fail("unknown value tag \(x)")
            }
        }
    }
}
