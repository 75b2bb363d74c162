// bash 5.2's quoting for `printf %q` (and `${x@Q}`-free contexts) and for `set -x` traces, in a
// UTF-8 locale (lib/sh/shquote.c, lib/sh/strtrans.c, print_cmd.c).
//
// "Printable" follows glibc's iswprint in C.UTF-8: everything except controls (Cc), unassigned
// code points (Cn), surrogates, U+2028 and U+2029. Unassigned-ness comes from Swift's Unicode
// tables, which may be a version newer than glibc's (characters added after Unicode 14 count as
// printable here but not in bash on glibc 2.36).

/// `printf %q`: `''` for the empty string, `$'…'` when the string has non-printable characters
/// or invalid UTF-8, otherwise backslash-escaping of shell-special characters.
public func shellQuote(_ s: String) -> String {
    shellQuoteBytes(Array(s.utf8))
}

/// How `set -x` prints one word: `''` for empty, single quotes when the word holds shell
/// metacharacters (`'` becomes `'\''`), `$'…'` when it holds non-printable characters, else as is.
public func traceQuote(_ s: String) -> String {
    let b = Array(s.utf8)
    if b.isEmpty { return "''" }
    if containsShellMetas(b) { return singleQuote(b) }
    if ansicShouldQuote(b) { return ansicQuote(b) }
    return s
}

/// How `set -x` prints an assignment `name=value` (bash's xtrace_print_assignment, without the
/// PS4 prefix and newline). `isArray` gives `name=(value)` with the value as written.
public func traceAssignment(name: String, value: String, isArray: Bool = false) -> String {
    let b = Array(value.utf8)
    let shown: String
    if b.isEmpty || isArray { shown = value }
    else if containsShellMetas(b) { shown = singleQuote(b) }
    else if ansicShouldQuote(b) { shown = ansicQuote(b) }
    else { shown = value }
    return isArray ? "\(name)=(\(shown))" : "\(name)=\(shown)"
}

/// bash's sh_single_quote: `'…'`, with each `'` written as `'\''`; a lone `'` gives `\'`.
public func singleQuote(_ s: String) -> String { singleQuote(Array(s.utf8)) }

// MARK: - implementation

func shellQuoteBytes(_ b: [UInt8]) -> String {
    if b.isEmpty { return "''" }
    if ansicShouldQuote(b) { return ansicQuote(b) }
    return backslashQuote(b)
}

func singleQuote(_ b: [UInt8]) -> String {
    if b == [0x27] { return "\\'" }
    var r: [UInt8] = [0x27]
    for c in b {
        r.append(c)
        if c == 0x27 { r += [0x5C, 0x27, 0x27] }
    }
    r.append(0x27)
    return String(decoding: r, as: UTF8.self)
}

/// bash's sh_contains_shell_metas.
func containsShellMetas(_ b: [UInt8]) -> Bool {
    for (i, c) in b.enumerated() {
        switch c {
        case 0x20, 0x09, 0x0A, 0x27, 0x22, 0x5C, 0x7C, 0x26, 0x3B, 0x28, 0x29, 0x3C, 0x3E,
             0x21, 0x7B, 0x7D, 0x2A, 0x5B, 0x3F, 0x5D, 0x5E, 0x24, 0x60:
            return true
        case 0x7E:  // ~
            if i == 0 || b[i - 1] == 0x3D || b[i - 1] == 0x3A { return true }
        case 0x23:  // #
            if i == 0 { return true }
        default:
            break
        }
    }
    return false
}

/// bstab in lib/sh/shquote.c: characters sh_backslash_quote escapes.
@inline(__always) func backslashTable(_ c: UInt8) -> Bool {
    switch c {
    case 0x09, 0x0A, 0x20, 0x21, 0x22, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2C, 0x3B, 0x3C, 0x3E, 0x3F,
         0x5B, 0x5C, 0x5D, 0x5E, 0x60, 0x7B, 0x7C, 0x7D:
        return true
    default:
        return false
    }
}

/// bash's sh_backslash_quote(string, 0, 3). Non-ASCII bytes are copied (the string is known to
/// be valid, printable UTF-8 when this is called from shellQuote).
func backslashQuote(_ b: [UInt8]) -> String {
    var r: [UInt8] = []
    r.reserveCapacity(b.count * 2)
    for (i, c) in b.enumerated() {
        if c < 0x80 {
            if backslashTable(c) || (c == 0x23 && i == 0)
                || (c == 0x7E && (i == 0 || b[i - 1] == 0x3A || b[i - 1] == 0x3D)) {
                r.append(0x5C)
            }
        }
        r.append(c)
    }
    return String(decoding: r, as: UTF8.self)
}

/// Decodes one UTF-8 sequence at `i` like glibc's mbrtowc (strict: no overlongs, no surrogates,
/// nothing above U+10FFFF). Returns nil for an invalid or truncated sequence.
func decodeUTF8(_ b: [UInt8], _ i: Int) -> (scalar: UInt32, length: Int)? {
    let c0 = b[i]
    if c0 < 0x80 { return (UInt32(c0), 1) }
    let len: Int
    var v: UInt32
    switch c0 {
    case 0xC2...0xDF: len = 2; v = UInt32(c0 & 0x1F)
    case 0xE0...0xEF: len = 3; v = UInt32(c0 & 0x0F)
    case 0xF0...0xF4: len = 4; v = UInt32(c0 & 0x07)
    default: return nil
    }
    guard i + len <= b.count else { return nil }
    for k in 1..<len {
        let c = b[i + k]
        guard c & 0xC0 == 0x80 else { return nil }
        v = (v << 6) | UInt32(c & 0x3F)
    }
    switch len {
    case 3 where v < 0x800 || (v >= 0xD800 && v <= 0xDFFF): return nil
    case 4 where v < 0x10000 || v > 0x10FFFF: return nil
    default: break
    }
    return (v, len)
}

/// glibc iswprint in C.UTF-8 (see the note at the top of this file).
func isPrintableScalar(_ v: UInt32) -> Bool {
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return false }
    if v == 0x2028 || v == 0x2029 { return false }
    guard let s = Unicode.Scalar(v) else { return false }   // surrogates
    switch s.properties.generalCategory {
    case .control, .unassigned, .surrogate: return false
    default: return true
    }
}

/// bash's ansic_shouldquote: any non-printable character or invalid UTF-8.
func ansicShouldQuote(_ b: [UInt8]) -> Bool {
    var i = 0
    while i < b.count {
        let c = b[i]
        if c < 0x80 {
            if c < 0x20 || c == 0x7F { return true }
            i += 1
            continue
        }
        guard let (v, n) = decodeUTF8(b, i), isPrintableScalar(v) else { return true }
        i += n
    }
    return false
}

/// bash's ansic_quote: `$'…'` with C escapes; non-printable bytes as three-digit octal.
func ansicQuote(_ b: [UInt8]) -> String {
    var r: [UInt8] = [0x24, 0x27]
    var i = 0
    while i < b.count {
        let c = b[i]
        var letter: UInt8? = nil
        switch c {
        case 0x1B: letter = UInt8(ascii: "E")
        case 0x07: letter = UInt8(ascii: "a")
        case 0x0B: letter = UInt8(ascii: "v")
        case 0x08: letter = UInt8(ascii: "b")
        case 0x0C: letter = UInt8(ascii: "f")
        case 0x0A: letter = UInt8(ascii: "n")
        case 0x0D: letter = UInt8(ascii: "r")
        case 0x09: letter = UInt8(ascii: "t")
        case 0x5C, 0x27: letter = c
        default: break
        }
        if let letter {
            r += [0x5C, letter]
            i += 1
            continue
        }
        if c < 0x80 {
            if c < 0x20 || c == 0x7F {
                r += octalEscape(c)
            } else {
                r.append(c)
            }
            i += 1
            continue
        }
        if let (v, n) = decodeUTF8(b, i), isPrintableScalar(v) {
            r += b[i..<(i + n)]
            i += n
        } else {
            r += octalEscape(c)
            i += 1
        }
    }
    r.append(0x27)
    return String(decoding: r, as: UTF8.self)
}

@inline(__always) func octalEscape(_ c: UInt8) -> [UInt8] {
    [0x5C, 0x30 + ((c >> 6) & 7), 0x30 + ((c >> 3) & 7), 0x30 + (c & 7)]
}
