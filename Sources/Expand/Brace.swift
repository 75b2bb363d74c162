// Brace expansion as bash does it: `{a,b}`, nesting, `{x..y[..incr]}` sequences.
//
// Only characters of UNquoted `.literal` parts take part; every other part (quoted text, `"…"`,
// parameters, substitutions, tilde) is an opaque atom copied into each result, exactly like a
// quoted character in bash. The algorithm follows bash's braces.c behaviour: find the first `{`
// that has a matching `}` with a top-level comma or `..`; expand the text inside (by commas, or as
// a sequence), prefix the preamble and append the expansions of the rest of the word.
// A literal `$` right before `{` blocks that brace (bash treats `${` as a parameter).

import Syntax

public struct BraceError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Default maximum number of words one brace expansion may produce.
public let braceExpansionLimit = 100_000

/// Expands braces in a word. Returns the word itself (one element) when nothing expands.
/// Results may be empty part lists (`x{,}` → "x", "x"; `{,}` → two empty words).
/// Throws `BraceError` instead of producing more than `limit` words.
public func expandBraces(_ parts: [WordPart], limit: Int = braceExpansionLimit) throws -> [[WordPart]] {
    var atoms: [BAtom] = []
    var any = false
    for p in parts {
        if case .literal(let s) = p {
            for u in s.unicodeScalars { atoms.append(.ch(u)); if u == "{" { any = true } }
        } else {
            atoms.append(.part(p))
        }
    }
    if !any { return [parts] }
    var ex = BraceExpander(limit: limit)
    return try ex.expand(atoms).map(toParts)
}

enum BAtom: Equatable {
    case ch(Unicode.Scalar)
    case part(WordPart)

    @inline(__always) func isCh(_ c: Unicode.Scalar) -> Bool {
        if case .ch(let x) = self { return x == c }
        return false
    }
}

func toParts(_ atoms: [BAtom]) -> [WordPart] {
    var out: [WordPart] = []
    var lit = String.UnicodeScalarView()
    for a in atoms {
        switch a {
        case .ch(let c): lit.append(c)
        case .part(let p):
            if !lit.isEmpty { out.append(.literal(String(lit))); lit = String.UnicodeScalarView() }
            out.append(p)
        }
    }
    if !lit.isEmpty { out.append(.literal(String(lit))) }
    return out
}

private func isBraceSpace(_ t: [BAtom], _ i: Int) -> Bool {
    if i < 0 || i >= t.count { return true }
    return t[i].isCh(" ") || t[i].isCh("\t") || t[i].isCh("\n")
}

struct BraceExpander {
    let limit: Int

    func tooMany() -> BraceError {
        BraceError(message: "brace expansion: too many words (limit \(limit))")
    }

    /// Scans from `i` for `satisfy` at nesting level 0 (bash's brace_gobbler). Returns the index
    /// and whether it was found.
    func gobble(_ t: [BAtom], _ start: Int, _ satisfy: Unicode.Scalar) -> (Int, Bool) {
        var level = 0
        var commas = satisfy == "}" ? 0 : 1
        var i = start
        while i < t.count {
            guard case .ch(let c) = t[i] else { i += 1; continue }
            if c == "$" && i + 1 < t.count && t[i + 1].isCh("{") {
                i += 2; level += 1; continue
            }
            if c == satisfy && level == 0 && commas > 0 {
                if c == "{" && isBraceSpace(t, i - 1) && (isBraceSpace(t, i + 1) || t[i + 1].isCh("}")) {
                    i += 1; continue
                }
                return (i, true)
            }
            if c == "{" {
                level += 1
            } else if c == "}" && level > 0 {
                level -= 1
            } else if satisfy == "}" && level == 0 {
                if c == "," {
                    commas += 1
                } else if c == ".", i + 2 < t.count, t[i + 1].isCh("."), !t[i + 2].isCh("}") {
                    commas += 1
                }
            }
            i += 1
        }
        return (t.count, false)
    }

    mutating func expand(_ t: [BAtom]) throws -> [[BAtom]] {
        // Find the first `{` that begins a valid brace expression.
        var i = 0
        var found = false
        while true {
            let (at, ok) = gobble(t, i, "{")
            if !ok { break }
            if gobble(t, at + 1, "}").1 { i = at; found = true; break }
            i = at + 1
        }
        if !found { return [t] }
        let preamble = Array(t[0..<i])
        let start = i + 1
        let (close, _) = gobble(t, start, "}")
        let amble = Array(t[start..<close])
        var tack: [[BAtom]]
        let hasComma = amble.contains { $0.isCh(",") }
        if !hasComma {
            if let seq = try sequence(amble) {
                tack = seq
            } else if close + 1 < t.count {
                tack = [Array(t[(start - 1)...close])]
            } else {
                return [t]
            }
        } else {
            tack = try expandAmble(amble)
        }
        var result = tack.map { preamble + $0 }
        if close + 1 < t.count {
            let post = try expand(Array(t[(close + 1)...]))
            if result.count.multipliedReportingOverflow(by: post.count).partialValue > limit
                || result.count.multipliedReportingOverflow(by: post.count).overflow { throw tooMany() }
            if !(post.count == 1 && post[0].isEmpty) {
                var r2: [[BAtom]] = []
                r2.reserveCapacity(result.count * post.count)
                for a in result { for b in post { r2.append(a + b) } }
                result = r2
            }
        }
        return result
    }

    mutating func expandAmble(_ t: [BAtom]) throws -> [[BAtom]] {
        var result: [[BAtom]] = []
        var start = 0
        var i = 0
        while true {
            let (at, ok) = gobble(t, i, ",")
            let partial = try expand(Array(t[start..<at]))
            if result.count + partial.count > limit { throw tooMany() }
            result += partial
            if !ok { break }
            i = at + 1
            start = i
        }
        return result
    }

    /// `{x..y}` / `{x..y..incr}`: nil if the text is not a valid sequence.
    func sequence(_ t: [BAtom]) throws -> [[BAtom]]? {
        var s: [UInt8] = []
        for a in t {
            guard case .ch(let c) = a, c.isASCII else { return nil }
            s.append(UInt8(c.value))
        }
        guard let dots = findDots(s) else { return nil }
        let lhs = Array(s[0..<dots]), rhs = Array(s[(dots + 2)...])
        if lhs.isEmpty || rhs.isEmpty { return nil }
        enum Kind { case int, char, bad }
        var lhsKind = Kind.bad
        var lhsVal = 0
        if let v = legalNumber(lhs) { lhsKind = .int; lhsVal = v }
        else if lhs.count == 1 && isAlpha(lhs[0]) { lhsKind = .char; lhsVal = Int(lhs[0]) }
        var rhsKind = Kind.bad
        var rhsVal = 0
        var ep = 0
        if isDigit(rhs[0]) || ((rhs[0] == UInt8(ascii: "+") || rhs[0] == UInt8(ascii: "-")) && rhs.count > 1 && isDigit(rhs[1])) {
            if let (v, e) = strtoimax(rhs, 0), e == rhs.count || rhs[e] == UInt8(ascii: ".") {
                rhsKind = .int; rhsVal = v; ep = e
            }
        } else if isAlpha(rhs[0]) && (rhs.count == 1 || rhs[1] == UInt8(ascii: ".")) {
            rhsKind = .char; rhsVal = Int(rhs[0]); ep = 1
        }
        var incr = 1
        let rhsLen = ep
        if rhsKind != .bad && ep < rhs.count {
            // must be `..incr`
            if ep + 2 < rhs.count && rhs[ep] == UInt8(ascii: ".") && rhs[ep + 1] == UInt8(ascii: "."),
               let (v, e) = strtoimax(rhs, ep + 2), e == rhs.count {
                incr = v
            } else {
                rhsKind = .bad
            }
        }
        if lhsKind != rhsKind || lhsKind == .bad { return nil }
        var width = 0
        var zeroPad = false
        if lhsKind == .int {
            let ll = lhs.count
            if ll > 1 && lhs[0] == UInt8(ascii: "0") { width = ll; zeroPad = true }
            if ll > 2 && lhs[0] == UInt8(ascii: "-") && lhs[1] == UInt8(ascii: "0") { width = ll; zeroPad = true }
            if rhsLen > 1 && rhs[0] == UInt8(ascii: "0") && width < rhsLen { width = rhsLen; zeroPad = true }
            if rhsLen > 2 && rhs[0] == UInt8(ascii: "-") && rhs[1] == UInt8(ascii: "0") && width < rhsLen {
                width = rhsLen; zeroPad = true
            }
            if zeroPad { width = max(width, ll, rhsLen) }
        }
        return try makeSequence(lhsVal, rhsVal, incr, char: lhsKind == .char, zeroPad: zeroPad, width: width)
    }

    func makeSequence(_ start: Int, _ end: Int, _ incr0: Int, char: Bool, zeroPad: Bool, width: Int) throws -> [[BAtom]]? {
        var incr = incr0 == 0 ? 1 : incr0
        if start > end && incr > 0 { incr = -incr }
        else if start < end && incr < 0 {
            if incr == Int.min { return nil }
            incr = -incr
        }
        let (diff, o) = end.subtractingReportingOverflow(start)
        if o || diff == Int.min { return nil }
        let span = diff.magnitude
        let count = span / incr.magnitude + 1
        if count > UInt(Int32.max - 3) { return nil }
        if count > UInt(limit) { throw tooMany() }
        var out: [[BAtom]] = []
        out.reserveCapacity(Int(count))
        var n = start
        while true {
            if char {
                if n == 0x5C {
                    out.append([.part(.quoted(""))])   // a generated `\` disappears in quote removal
                } else {
                    out.append([.ch(Unicode.Scalar(UInt8(truncatingIfNeeded: n)))])
                }
            } else {
                let text = zeroPad ? padded(Int(Int32(truncatingIfNeeded: n)), width) : String(n)
                out.append(text.unicodeScalars.map { .ch($0) })
            }
            let (next, of) = n.addingReportingOverflow(incr)
            if of { break }
            n = next
            if (incr < 0 && n < end) || (incr > 0 && n > end) { break }
        }
        return out
    }
}

/// printf("%0*d", width, v)
func padded(_ v: Int, _ width: Int) -> String {
    let digits = String(v.magnitude)
    let sign = v < 0 ? "-" : ""
    let pad = width - sign.count - digits.count
    return sign + (pad > 0 ? String(repeating: "0", count: pad) : "") + digits
}

private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
private func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
private func isCSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

private func findDots(_ s: [UInt8]) -> Int? {
    var i = 0
    while i + 1 < s.count {
        if s[i] == UInt8(ascii: ".") && s[i + 1] == UInt8(ascii: ".") { return i }
        i += 1
    }
    return nil
}

/// C strtoimax(base 10) from `from`: (value, index after the digits), nil if no digits or overflow.
private func strtoimax(_ s: [UInt8], _ from: Int) -> (Int, Int)? {
    var i = from
    while i < s.count && isCSpace(s[i]) { i += 1 }
    var neg = false
    if i < s.count && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { neg = s[i] == UInt8(ascii: "-"); i += 1 }
    let d0 = i
    var v = 0
    while i < s.count && isDigit(s[i]) {
        let d = Int(s[i] - 0x30)
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (a, o2) = neg ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
        if o1 || o2 { return nil }
        v = a
        i += 1
    }
    if i == d0 { return nil }
    return (v, i)
}

/// bash legal_number: optional surrounding whitespace, sign, decimal digits, no overflow.
private func legalNumber(_ s: [UInt8]) -> Int? {
    guard let (v, e) = strtoimax(s, 0) else { return nil }
    var i = e
    while i < s.count && isCSpace(s[i]) { i += 1 }
    return i == s.count ? v : nil
}
