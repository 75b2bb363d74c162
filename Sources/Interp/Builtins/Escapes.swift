// Backslash-escape decoders shared by printf (format string and %b) and echo -e.
// They mirror bash 5.2's `tescape`/`bexpand` (builtins/printf.def) and `ansicstr` (lib/sh/strtrans.c)
// in a UTF-8 locale: \u and \U produce UTF-8 (bash's u32toutf8, which also encodes surrogates and
// values up to 0x7fffffff as 5- and 6-byte sequences).

@inline(__always) func isOctalDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x37 }

@inline(__always) func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case 0x30...0x39: return UInt32(c - 0x30)
    case 0x41...0x46: return UInt32(c - 0x41 + 10)
    case 0x61...0x66: return UInt32(c - 0x61 + 10)
    default: return nil
    }
}

/// bash's u32toutf8: values below 0x80 give one byte; above 0x7fffffff give nothing.
func utf8Bytes(_ v: UInt32) -> [UInt8] {
    switch v {
    case 0..<0x80:
        return [UInt8(v)]
    case 0x80..<0x800:
        return [UInt8(0xC0 | (v >> 6)), UInt8(0x80 | (v & 0x3F))]
    case 0x800..<0x10000:
        return [UInt8(0xE0 | (v >> 12)), UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
    case 0x10000..<0x200000:
        return [UInt8(0xF0 | (v >> 18)), UInt8(0x80 | ((v >> 12) & 0x3F)),
                UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
    case 0x200000..<0x4000000:
        return [UInt8(0xF8 | (v >> 24)), UInt8(0x80 | ((v >> 18) & 0x3F)), UInt8(0x80 | ((v >> 12) & 0x3F)),
                UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
    case 0x4000000..<0x80000000:
        return [UInt8(0xFC | (v >> 30)), UInt8(0x80 | ((v >> 24) & 0x3F)), UInt8(0x80 | ((v >> 18) & 0x3F)),
                UInt8(0x80 | ((v >> 12) & 0x3F)), UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
    default:
        return []
    }
}

/// Result of decoding one escape after a backslash (bash's `tescape`).
struct PrintfEscape {
    /// Bytes consumed after the backslash; 0 means "not an escape": emit a backslash and go on
    /// with the character that follows it.
    var consumed: Int
    var bytes: [UInt8]
    /// `\c` seen (only for %b arguments).
    var sawC: Bool = false
    /// Diagnostic (without prefix), e.g. "printf: missing hex digit for \\x".
    var warning: String? = nil
}

/// bash's `tescape`. `s[start]` is the byte after the backslash (or `start == s.count`).
/// `percentB` selects %b-argument rules (`\0nnn` takes three more digits, `\c` stops, `\'` `\"` `\?`
/// stay as written) instead of format-string rules.
func printfEscape(_ s: [UInt8], _ start: Int, percentB: Bool) -> PrintfEscape {
    let notEscape = PrintfEscape(consumed: 0, bytes: [0x5C])
    guard start < s.count else { return notEscape }
    let c = s[start]
    var p = start + 1
    switch c {
    case UInt8(ascii: "a"): return PrintfEscape(consumed: 1, bytes: [0x07])
    case UInt8(ascii: "b"): return PrintfEscape(consumed: 1, bytes: [0x08])
    case UInt8(ascii: "e"), UInt8(ascii: "E"): return PrintfEscape(consumed: 1, bytes: [0x1B])
    case UInt8(ascii: "f"): return PrintfEscape(consumed: 1, bytes: [0x0C])
    case UInt8(ascii: "n"): return PrintfEscape(consumed: 1, bytes: [0x0A])
    case UInt8(ascii: "r"): return PrintfEscape(consumed: 1, bytes: [0x0D])
    case UInt8(ascii: "t"): return PrintfEscape(consumed: 1, bytes: [0x09])
    case UInt8(ascii: "v"): return PrintfEscape(consumed: 1, bytes: [0x0B])
    case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var value = UInt32(c - 0x30)
        var more = 2 + ((value == 0 && percentB) ? 1 : 0)
        while p < s.count, isOctalDigit(s[p]), more > 0 {
            value = value * 8 + UInt32(s[p] - 0x30)
            more -= 1
            p += 1
        }
        return PrintfEscape(consumed: p - start, bytes: [UInt8(value & 0xFF)])
    case UInt8(ascii: "x"):
        var value: UInt32 = 0
        var more = 2
        while p < s.count, more > 0, let h = hexValue(s[p]) {
            value = value * 16 + h
            more -= 1
            p += 1
        }
        if p == start + 1 {
            var r = notEscape
            r.warning = "printf: missing hex digit for \\x"
            return r
        }
        return PrintfEscape(consumed: p - start, bytes: [UInt8(value & 0xFF)])
    case UInt8(ascii: "u"), UInt8(ascii: "U"):
        var more = c == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        while p < s.count, more > 0, let h = hexValue(s[p]) {
            value = value &* 16 &+ h
            more -= 1
            p += 1
        }
        if p == start + 1 {
            var r = notEscape
            r.warning = "printf: missing unicode digit for \\\(Character(Unicode.Scalar(c)))"
            return r
        }
        return PrintfEscape(consumed: p - start, bytes: utf8Bytes(value))
    case UInt8(ascii: "\\"):
        return PrintfEscape(consumed: 1, bytes: [c])
    case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?"):
        return percentB ? notEscape : PrintfEscape(consumed: 1, bytes: [c])
    case UInt8(ascii: "c") where percentB:
        return PrintfEscape(consumed: 1, bytes: [], sawC: true)
    default:
        return notEscape
    }
}

/// bash's `bexpand`: expands a %b argument. Returns the bytes and whether `\c` was seen
/// (output stops there), plus any warnings.
func expandPercentB(_ s: [UInt8]) -> (bytes: [UInt8], sawC: Bool, warnings: [String]) {
    var out: [UInt8] = []
    out.reserveCapacity(s.count)
    var warnings: [String] = []
    var i = 0
    while i < s.count {
        let c = s[i]
        if c != 0x5C || i + 1 == s.count {
            out.append(c)
            i += 1
            continue
        }
        let e = printfEscape(s, i + 1, percentB: true)
        if let w = e.warning { warnings.append(w) }
        if e.sawC { return (out, true, warnings) }
        out.append(contentsOf: e.bytes)
        i += 1 + e.consumed  // consumed 0: the backslash was emitted, the next byte is plain
    }
    return (out, false, warnings)
}

/// bash's `ansicstr` with flags=1 (echo -e / xpg_echo). Returns the bytes and whether `\c` was seen.
func expandEchoEscapes(_ s: [UInt8]) -> (bytes: [UInt8], sawC: Bool) {
    var out: [UInt8] = []
    out.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
        let c = s[i]
        i += 1
        if c != 0x5C || i == s.count {
            out.append(c)
            continue
        }
        let e = s[i]
        i += 1
        switch e {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "e"), UInt8(ascii: "E"): out.append(0x1B)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "1")...UInt8(ascii: "7"):
            out.append(0x5C)
            out.append(e)
        case UInt8(ascii: "0"):
            var value: UInt32 = 0
            var more = 3
            while i < s.count, isOctalDigit(s[i]), more > 0 {
                value = value * 8 + UInt32(s[i] - 0x30)
                more -= 1
                i += 1
            }
            out.append(UInt8(value & 0xFF))
        case UInt8(ascii: "x"):
            var value: UInt32 = 0
            var more = 2
            while i < s.count, more > 0, let h = hexValue(s[i]) {
                value = value * 16 + h
                more -= 1
                i += 1
            }
            if more == 2 {
                out.append(0x5C)
                out.append(UInt8(ascii: "x"))
            } else {
                out.append(UInt8(value & 0xFF))
            }
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = e == UInt8(ascii: "u") ? 4 : 8
            var more = digits
            var value: UInt32 = 0
            while i < s.count, more > 0, let h = hexValue(s[i]) {
                value = value &* 16 &+ h
                more -= 1
                i += 1
            }
            if more == digits {
                out.append(0x5C)
                out.append(e)
            } else {
                out.append(contentsOf: utf8Bytes(value))
            }
        case UInt8(ascii: "\\"):
            out.append(e)
        case UInt8(ascii: "c"):
            return (out, true)
        default:
            // includes \' \" \? : kept with their backslash under echo rules
            out.append(0x5C)
            out.append(e)
        }
    }
    return (out, false)
}
