// JSON by hand: the writer appends to a byte buffer; the reader validates a whole line and hands
// back its top-level members (verify, aegishctl).

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Appends JSON text to a byte buffer.
struct JSONWriter {
    var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0x08: bytes.append(0x5C); bytes.append(0x62)
            case 0x0C: bytes.append(0x5C); bytes.append(0x66)
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    mutating func key(_ k: String) {
        if needsComma { bytes.append(0x2C) }
        needsComma = true
        string(k)
        bytes.append(0x3A)
    }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func member(_ k: String, _ v: String?) {
        guard let v else { return }
        key(k); string(v)
    }
    mutating func member<I: BinaryInteger>(_ k: String, int v: I?) {
        guard let v else { return }
        key(k); raw(String(v))
    }
    mutating func member(_ k: String, array: [String]?) {
        guard let array else { return }
        key(k)
        bytes.append(0x5B)
        for (i, s) in array.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(s)
        }
        bytes.append(0x5D)
    }
}

/// A parsed JSON value.
public enum JSONValue: Equatable, Sendable {
    case string(String)
    case number(String)  // as written
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)), let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
    public var intValue: Int? {
        if case .number(let s) = self { return Int(s) }
        return nil
    }
}

/// Validating JSON reader over UTF-8 bytes.
struct JSONReader {
    let p: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    struct Bad: Error {}

    @inline(__always) mutating func ws() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
    }
    @inline(__always) mutating func expect(_ b: UInt8) throws {
        guard i < p.count, p[i] == b else { throw Bad() }
        i += 1
    }

    /// Parses a string; returns it when `keep`, else nil (but still validates).
    mutating func string(keep: Bool) throws -> String? {
        try expect(0x22)
        let start = i
        var simple = true
        while true {
            guard i < p.count else { throw Bad() }
            let b = p[i]
            if b == 0x22 { break }
            if b < 0x20 { throw Bad() }
            if b == 0x5C {
                simple = false
                i += 1
                guard i < p.count else { throw Bad() }
                switch p[i] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 1
                case 0x75:
                    guard i + 4 < p.count else { throw Bad() }
                    for k in 1...4 where hexVal(p[i + k]) == nil { throw Bad() }
                    i += 5
                default: throw Bad()
                }
            } else { i += 1 }
        }
        let end = i
        i += 1
        guard keep else { return nil }
        let slice = UnsafeBufferPointer(rebasing: p[start..<end])
        if simple { return String(decoding: slice, as: UTF8.self) }
        return unescape(slice)
    }

    private func hexVal(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x61...0x66: return UInt32(b - 0x61 + 10)
        case 0x41...0x46: return UInt32(b - 0x41 + 10)
        default: return nil
        }
    }

    private func unescape(_ s: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var j = 0
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v = v << 4 | (hexVal(s[at + k]) ?? 0) }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let u = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(u)).utf8)
        }
        while j < s.count {
            let b = s[j]
            if b != 0x5C { out.append(b); j += 1; continue }
            let e = s[j + 1]
            j += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var v = hex4(j)
                j += 4
                if v >= 0xD800 && v < 0xDC00, j + 5 < s.count, s[j] == 0x5C, s[j + 1] == 0x75 {
                    let lo = hex4(j + 2)
                    if lo >= 0xDC00 && lo < 0xE000 {
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                        j += 6
                    }
                }
                appendScalar(v)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func number() throws -> String {
        let start = i
        if i < p.count, p[i] == 0x2D { i += 1 }
        var digits = 0
        while i < p.count, p[i] >= 0x30, p[i] <= 0x39 { i += 1; digits += 1 }
        guard digits > 0 else { throw Bad() }
        if i < p.count, p[i] == 0x2E {
            i += 1; digits = 0
            while i < p.count, p[i] >= 0x30, p[i] <= 0x39 { i += 1; digits += 1 }
            guard digits > 0 else { throw Bad() }
        }
        if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            digits = 0
            while i < p.count, p[i] >= 0x30, p[i] <= 0x39 { i += 1; digits += 1 }
            guard digits > 0 else { throw Bad() }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
    }

    mutating func literal(_ s: StaticString) throws {
        let n = s.utf8CodeUnitCount
        guard i + n <= p.count else { throw Bad() }
        for k in 0..<n where p[i + k] != s.utf8Start[k] { throw Bad() }
        i += n
    }

    /// Parses any value; materialises it only when `keep`.
    mutating func value(keep: Bool, depth: Int = 0) throws -> JSONValue? {
        guard depth < 64 else { throw Bad() }
        ws()
        guard i < p.count else { throw Bad() }
        switch p[i] {
        case 0x22: return try string(keep: keep).map { .string($0) }
        case 0x7B:
            i += 1
            var members: [(String, JSONValue)] = []
            ws()
            if i < p.count, p[i] == 0x7D { i += 1; return keep ? .object([]) : nil }
            while true {
                ws()
                let k = try string(keep: keep)
                ws()
                try expect(0x3A)
                let v = try value(keep: keep, depth: depth + 1)
                if keep, let k, let v { members.append((k, v)) }
                ws()
                guard i < p.count else { throw Bad() }
                if p[i] == 0x2C { i += 1; continue }
                try expect(0x7D)
                return keep ? .object(members) : nil
            }
        case 0x5B:
            i += 1
            var items: [JSONValue] = []
            ws()
            if i < p.count, p[i] == 0x5D { i += 1; return keep ? .array([]) : nil }
            while true {
                let v = try value(keep: keep, depth: depth + 1)
                if keep, let v { items.append(v) }
                ws()
                guard i < p.count else { throw Bad() }
                if p[i] == 0x2C { i += 1; continue }
                try expect(0x5D)
                return keep ? .array(items) : nil
            }
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default:
            let n = try number()
            return keep ? .number(n) : nil
        }
    }

    /// Walks a top-level object, calling `visit` with each key's bytes; `visit` returns true to have
    /// the value materialised and passed to `take`.
    mutating func topLevelObject(wants: (UnsafeBufferPointer<UInt8>) -> Bool,
                                 take: (UnsafeBufferPointer<UInt8>, JSONValue) -> Void) throws {
        ws()
        try expect(0x7B)
        ws()
        if i < p.count, p[i] == 0x7D { i += 1 } else {
            while true {
                ws()
                let ks = i + 1
                _ = try string(keep: false)
                let key = UnsafeBufferPointer(rebasing: p[ks..<(i - 1)])
                ws()
                try expect(0x3A)
                let want = wants(key)
                let v = try value(keep: want)
                if want, let v { take(key, v) }
                ws()
                guard i < p.count else { throw Bad() }
                if p[i] == 0x2C { i += 1; continue }
                try expect(0x7D)
                break
            }
        }
        ws()
        guard i == p.count else { throw Bad() }
    }
}

/// Parses one JSON line into its top-level members, in order; nil if it is not a JSON object.
public func parseJSONObject(_ line: String) -> [(String, JSONValue)]? {
    var bytes = Array(line.utf8)
    return bytes.withUnsafeMutableBufferPointer { mp in
        var r = JSONReader(UnsafeBufferPointer(mp))
        guard let v = try? r.value(keep: true) else { return nil }
        r.ws()
        guard r.i == mp.count, case .object(let m) = v else { return nil }
        return m
    }
}

/// A JSON string literal for `s` (with quotes).
public func jsonQuote(_ s: String) -> String {
    var w = JSONWriter(capacity: s.utf8.count + 2)
    w.string(s)
    return String(decoding: w.bytes, as: UTF8.self)
}
