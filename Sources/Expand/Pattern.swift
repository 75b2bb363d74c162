// Shell pattern matching (bash `case`, `[[ == ]]`, `${x#p}`, `${x/p/r}`, pathname components).
//
// A pattern is given as chunks: quoted chunks match literally; in unquoted chunks `*`, `?` and
// `[...]` are special and a backslash makes the next character literal (a trailing lone backslash
// matches itself). Matching works on Unicode scalars, as bash does in a UTF-8 locale.
//
// Matching never backtracks exponentially: whole-string matching uses the greedy algorithm with a
// single restart point for the last `*` (correct because every other token consumes exactly one
// scalar); prefix/suffix/replace searches simulate the pattern as an NFA over token positions.

import Syntax

/// A piece of a pattern. `quoted` text matches literally.
public struct PatternChunk: Equatable, Sendable {
    public var text: String
    public var quoted: Bool
    public init(_ text: String, quoted: Bool) { self.text = text; self.quoted = quoted }
    public init(text: String, quoted: Bool) { self.text = text; self.quoted = quoted }
}

/// One compiled pattern element.
enum PatToken: Equatable {
    case lit(UInt32)
    case any
    case star
    case set(BracketSet)

    @inline(__always) func matches(_ c: UInt32) -> Bool {
        switch self {
        case .lit(let l): return l == c
        case .any: return true
        case .star: return true
        case .set(let b): return b.matches(c)
        }
    }
}

public struct ShellPattern: Sendable {
    let tokens: [PatToken]
    /// True if the pattern contains an unquoted, unescaped `*`, `?` or `[`.
    public let hasMeta: Bool
    /// The pattern has no chunks or only empty text.
    public let isEmpty: Bool

    public init(_ chunks: [PatternChunk]) {
        var units: [PatUnit] = []
        var meta = false
        for ch in chunks {
            if ch.quoted {
                for s in ch.text.unicodeScalars { units.append(PatUnit(c: s.value, escaped: true)) }
            } else {
                var esc = false
                for s in ch.text.unicodeScalars {
                    if esc { units.append(PatUnit(c: s.value, escaped: true)); esc = false; continue }
                    if s == "\\" { esc = true; continue }
                    if s == "*" || s == "?" || s == "[" { meta = true }
                    units.append(PatUnit(c: s.value, escaped: false))
                }
                if esc { units.append(PatUnit(c: 0x5C, escaped: true)) }  // trailing `\` is literal
            }
        }
        isEmpty = units.isEmpty
        hasMeta = meta
        tokens = compilePattern(units)
    }

    /// Convenience: a pattern from one unquoted string.
    public init(unquoted text: String) { self.init([PatternChunk(text, quoted: false)]) }

    /// Whole-string match.
    public func matches(_ s: String) -> Bool {
        let buf = Array(s.unicodeScalars.lazy.map { $0.value })
        return buf.withUnsafeBufferPointer { matchWhole(tokens, $0, 0, $0.count) }
    }

    /// True if the pattern matches the scalars `buf[lo..<hi]`.
    func matches(_ buf: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Bool {
        matchWhole(tokens, buf, lo, hi)
    }

    /// `${x#p}` (shortest) and `${x##p}` (longest): remove a matching prefix.
    public func removePrefix(_ s: String, longest: Bool) -> String {
        let buf = scalars(s)
        guard let k = prefixMatch(tokens, buf, from: 0, longest: longest) else { return s }
        return k == 0 ? s : string(buf[k...])
    }

    /// `${x%p}` (shortest) and `${x%%p}` (longest): remove a matching suffix.
    public func removeSuffix(_ s: String, longest: Bool) -> String {
        let buf = scalars(s)
        let rev = Array(buf.reversed())
        guard let k = prefixMatch(tokens.reversed(), rev, from: 0, longest: longest) else { return s }
        return k == 0 ? s : string(buf[..<(buf.count - k)])
    }

    /// `${x/p/r}` and friends, with `r` inserted literally.
    public func replace(in s: String, with r: String, anchor: ReplaceAnchor) -> String {
        replace(in: s, anchor: anchor) { _ in r }
    }

    /// `${x/p/r}` with bash 5.2 `patsub_replacement`: in unquoted chunks of the replacement, `&`
    /// stands for the matched text, `\&` is a literal `&` and `\\` a literal `\` (other backslashes
    /// are kept). Quoted chunks are literal.
    public func replace(in s: String, withChunks r: [PatternChunk], anchor: ReplaceAnchor) -> String {
        let tmpl = ReplacementTemplate(r)
        if !tmpl.usesMatch { let lit = tmpl.render(""); return replace(in: s, anchor: anchor) { _ in lit } }
        return replace(in: s, anchor: anchor) { tmpl.render($0) }
    }

    func replace(in s: String, anchor: ReplaceAnchor, _ rep: (String) -> String) -> String {
        if isEmpty && (anchor == .first || anchor == .all) { return s }
        let buf = scalars(s)
        if buf.isEmpty {
            return matchWhole(tokens, [], 0, 0) ? rep("") : s
        }
        switch anchor {
        case .prefix:
            guard let k = prefixMatch(tokens, buf, from: 0, longest: true) else { return s }
            return rep(string(buf[..<k])) + string(buf[k...])
        case .suffix:
            let rev = Array(buf.reversed())
            guard let k = prefixMatch(tokens.reversed(), rev, from: 0, longest: true) else { return s }
            let cut = buf.count - k
            return string(buf[..<cut]) + rep(string(buf[cut...]))
        case .first, .all:
            var out = ""
            var i = 0
            var copyFrom = 0
            let n = buf.count
            // `*p*`: lets the scan stop as soon as no match is left in the rest of the string
            let anywhere: [PatToken] = [.star] + tokens + [.star]
            var checked = false
            while i < n {
                if !checked {
                    if !matchWhole(anywhere, buf, i, n) { break }
                    checked = true
                }
                if let k = prefixMatch(tokens, buf, from: i, longest: true) {
                    out += string(buf[copyFrom..<i])
                    out += rep(string(buf[i..<(i + k)]))
                    if k == 0 {  // zero-length match: copy one scalar to make progress
                        out += string(buf[i...i]); i += 1
                    } else {
                        i += k
                    }
                    copyFrom = i
                    checked = false
                    if anchor == .first { break }
                } else {
                    i += 1
                }
            }
            out += string(buf[copyFrom...])
            return out
        }
    }
}

// MARK: - helpers

@inline(__always) func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map { $0.value } }

func string<C: Collection>(_ c: C) -> String where C.Element == UInt32 {
    var s = String.UnicodeScalarView()
    for v in c { if let u = Unicode.Scalar(v) { s.append(u) } }
    return String(s)
}

/// Whole-match of `buf[lo..<hi]`: greedy, restarting from the most recent `*` on mismatch.
func matchWhole(_ tokens: [PatToken], _ buf: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int) -> Bool {
    var p = 0, i = lo
    var starP = -1, starI = 0
    let m = tokens.count
    while i < hi {
        if p < m {
            let t = tokens[p]
            if case .star = t {
                if p == m - 1 { return true }   // a trailing `*` matches the rest
                starP = p; starI = i; p += 1
                continue
            }
            if t.matches(buf[i]) { p += 1; i += 1; continue }
        }
        if starP >= 0 {
            p = starP + 1; starI += 1; i = starI
            continue
        }
        return false
    }
    while p < m, case .star = tokens[p] { p += 1 }
    return p == m
}

func matchWhole(_ tokens: [PatToken], _ buf: [UInt32], _ lo: Int, _ hi: Int) -> Bool {
    buf.withUnsafeBufferPointer { matchWhole(tokens, $0, lo, hi) }
}

/// Length of the shortest (or longest) prefix of `buf[from...]` the pattern matches, or nil.
/// NFA simulation: state p means "tokens[0..<p] matched so far"; O(n·m).
func prefixMatch(_ tokens: [PatToken], _ buf: [UInt32], from: Int, longest: Bool) -> Int? {
    let m = tokens.count
    // Fast path: no star means a single possible length.
    if !tokens.contains(.star) {
        guard buf.count - from >= m else { return nil }
        for j in 0..<m where !tokens[j].matches(buf[from + j]) { return nil }
        return m
    }
    var cur = [Bool](repeating: false, count: m + 1)
    var next = cur
    cur[0] = true
    closure(&cur, tokens)
    var best: Int? = cur[m] ? 0 : nil
    if best != nil && !longest { return 0 }
    var i = from
    let n = buf.count
    while i < n {
        let c = buf[i]
        var any = false
        for p in 0..<m where cur[p] {
            switch tokens[p] {
            case .star: next[p] = true; any = true
            default: if tokens[p].matches(c) { next[p + 1] = true; any = true }
            }
        }
        if !any { break }
        closure(&next, tokens)
        swap(&cur, &next)
        for p in 0...m { next[p] = false }
        i += 1
        if cur[m] {
            best = i - from
            if !longest { return best }
        }
    }
    return best
}

@inline(__always) func closure(_ st: inout [Bool], _ tokens: [PatToken]) {
    for p in 0..<tokens.count where st[p] {
        if case .star = tokens[p] { st[p + 1] = true }
    }
}

/// Replacement text with `&` references (bash 5.2 patsub_replacement).
struct ReplacementTemplate {
    enum Piece { case text(String), match }
    var pieces: [Piece] = []
    var usesMatch = false

    init(_ chunks: [PatternChunk]) {
        var cur = ""
        for ch in chunks {
            if ch.quoted { cur += ch.text; continue }
            var it = ch.text.unicodeScalars.makeIterator()
            while let s = it.next() {
                if s == "&" {
                    pieces.append(.text(cur)); cur = ""; pieces.append(.match); usesMatch = true
                } else if s == "\\" {
                    if let n = it.next() {
                        if n == "&" || n == "\\" { cur.unicodeScalars.append(n) } else {
                            cur.unicodeScalars.append(s); cur.unicodeScalars.append(n)
                        }
                    } else {
                        cur.unicodeScalars.append(s)
                    }
                } else {
                    cur.unicodeScalars.append(s)
                }
            }
        }
        pieces.append(.text(cur))
    }

    func render(_ matched: String) -> String {
        var out = ""
        for p in pieces {
            switch p {
            case .text(let t): out += t
            case .match: out += matched
            }
        }
        return out
    }
}
