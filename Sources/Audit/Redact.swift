import Glibc

// Secret redaction. Patterns are compiled once into a tiny backtracking program over bytes: Swift's
// Regex costs ~0.6 ms to compile three patterns and 13–60 µs per line, which the shell cannot
// afford per command; this engine costs a few µs.

let redactedMark = "[REDACTED]"

/// A compiled regular expression (subset, see AuditConfig.redactPatterns).
struct ByteRegex {
    enum Inst {
        case byte(UInt8)
        /// Either byte (a letter under (?i)).
        case byte2(UInt8, UInt8)
        case set(Int)
        case any
        case split(Int, Int)
        case jmp(Int)
        case save(Int)
        case bol, eol
        case wordBoundary(Bool)
        case match
    }

    struct ParseError: Error { let message: String }

    private(set) var prog: [Inst] = []
    /// Character classes, 256 entries each, flattened.
    private(set) var setTable: [Bool] = []
    private(set) var groups = 0
    /// A byte every match contains (from a literal in the top-level sequence): lines without it
    /// are skipped without running the program.
    private(set) var requiredByte: UInt8?

    init(_ pattern: String) throws {
        var u = Array(pattern.utf8)
        var ci = false
        if u.starts(with: Array("(?i)".utf8)) { ci = true; u.removeFirst(4) }
        var parser = Parser(u: u, ci: ci)
        let ast = try parser.parseAlt()
        if parser.i != u.count { throw ParseError(message: "unbalanced ')' at offset \(parser.i)") }
        groups = parser.groups
        setTable = parser.sets.flatMap { $0 }
        switch ast {
        case .byte(let b): requiredByte = b
        case .cat(let items):
            for x in items { if case .byte(let b) = x { requiredByte = b; break } }
        default: break
        }
        emit(.save(0))
        compile(ast)
        emit(.save(1))
        emit(.match)
    }

    indirect enum Node {
        case empty, byte(UInt8), byte2(UInt8, UInt8), set(Int), any, bol, eol, wb(Bool)
        case cat([Node]), alt([Node]), group(Node, Int?), rep(Node, Int, Int?, Bool)
    }

    struct Parser {
        let u: [UInt8]
        let ci: Bool
        var i = 0
        var groups = 0
        var sets: [[Bool]] = []

        init(u: [UInt8], ci: Bool) { self.u = u; self.ci = ci }

        mutating func parseAlt() throws -> Node {
            var branches = [try parseSeq()]
            while i < u.count, u[i] == UInt8(ascii: "|") { i += 1; branches.append(try parseSeq()) }
            return branches.count == 1 ? branches[0] : .alt(branches)
        }

        mutating func parseSeq() throws -> Node {
            var items: [Node] = []
            while i < u.count, u[i] != UInt8(ascii: "|"), u[i] != UInt8(ascii: ")") {
                var atom = try parseAtom()
                if i < u.count {
                    var q: (Int, Int?)? = nil
                    switch u[i] {
                    case UInt8(ascii: "*"): i += 1; q = (0, nil)
                    case UInt8(ascii: "+"): i += 1; q = (1, nil)
                    case UInt8(ascii: "?"): i += 1; q = (0, 1)
                    case UInt8(ascii: "{"): q = braces()
                    default: break
                    }
                    if let (lo, hi) = q {
                        var greedy = true
                        if i < u.count, u[i] == UInt8(ascii: "?") { greedy = false; i += 1 }
                        if lo > 1000 || (hi ?? 0) > 1000 { throw ParseError(message: "repeat count too large") }
                        atom = .rep(atom, lo, hi, greedy)
                    }
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : .cat(items)
        }

        /// `{n}`, `{n,}`, `{n,m}` at i; nil (and i unchanged) if it is a literal brace.
        mutating func braces() -> (Int, Int?)? {
            var j = i + 1
            func int() -> Int? {
                var v: Int? = nil
                while j < u.count, u[j] >= 0x30, u[j] <= 0x39 { v = (v ?? 0) * 10 + Int(u[j] - 0x30); j += 1 }
                return v
            }
            guard let a = int() else { return nil }
            var b: Int? = a
            if j < u.count, u[j] == UInt8(ascii: ",") { j += 1; b = int() }
            guard j < u.count, u[j] == UInt8(ascii: "}"), b == nil || b! >= a else { return nil }
            i = j + 1
            return (a, b)
        }

        mutating func newSet(_ f: (UInt8) -> Bool) -> Int {
            var s = [Bool](repeating: false, count: 256)
            for b in 0..<128 where f(UInt8(b)) { s[b] = true }
            // Bytes ≥ 0x80 are never space, digit or word characters.
            let high = f(0x80)
            if high { for b in 128..<256 { s[b] = true } }
            sets.append(s)
            return sets.count - 1
        }

        func classOf(_ c: UInt8) -> ((UInt8) -> Bool)? {
            switch c {
            case UInt8(ascii: "s"): return isSpace
            case UInt8(ascii: "S"): return { !isSpace($0) }
            case UInt8(ascii: "d"): return isDigit
            case UInt8(ascii: "D"): return { !isDigit($0) }
            case UInt8(ascii: "w"): return isWord
            case UInt8(ascii: "W"): return { !isWord($0) }
            default: return nil
            }
        }

        func escapedByte(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "n"): return 0x0A
            case UInt8(ascii: "r"): return 0x0D
            case UInt8(ascii: "t"): return 0x09
            default: return c
            }
        }

        mutating func literal(_ b: UInt8) -> Node {
            if ci, let o = otherCase(b) { return .byte2(b, o) }
            return .byte(b)
        }

        mutating func parseAtom() throws -> Node {
            let c = u[i]
            i += 1
            switch c {
            case UInt8(ascii: "("):
                var capture: Int? = nil
                if i + 1 < u.count, u[i] == UInt8(ascii: "?"), u[i + 1] == UInt8(ascii: ":") { i += 2 } else {
                    if i < u.count, u[i] == UInt8(ascii: "?") { throw ParseError(message: "only (?: ) and a leading (?i) are supported") }
                    groups += 1
                    capture = groups
                }
                let inner = try parseAlt()
                guard i < u.count, u[i] == UInt8(ascii: ")") else { throw ParseError(message: "missing ')'") }
                i += 1
                return .group(inner, capture)
            case UInt8(ascii: "["): return try parseClass()
            case UInt8(ascii: "."): return .any
            case UInt8(ascii: "^"): return .bol
            case UInt8(ascii: "$"): return .eol
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                throw ParseError(message: "nothing to repeat at offset \(i - 1)")
            case UInt8(ascii: "\\"):
                guard i < u.count else { throw ParseError(message: "trailing backslash") }
                let e = u[i]
                i += 1
                if e == UInt8(ascii: "b") { return .wb(true) }
                if e == UInt8(ascii: "B") { return .wb(false) }
                if let f = classOf(e) { return .set(newSet(f)) }
                return literal(escapedByte(e))
            default: return literal(c)
            }
        }

        mutating func parseClass() throws -> Node {
            var member = [Bool](repeating: false, count: 256)
            var negate = false
            if i < u.count, u[i] == UInt8(ascii: "^") { negate = true; i += 1 }
            var first = true
            while true {
                guard i < u.count else { throw ParseError(message: "missing ']'") }
                var c = u[i]
                if c == UInt8(ascii: "]") && !first { i += 1; break }
                first = false
                i += 1
                if c == UInt8(ascii: "\\") {
                    guard i < u.count else { throw ParseError(message: "trailing backslash") }
                    let e = u[i]
                    i += 1
                    if let f = classOf(e) {
                        for b in 0..<128 where f(UInt8(b)) { member[b] = true }
                        if f(0x80) { for b in 128..<256 { member[b] = true } }
                        continue
                    }
                    c = escapedByte(e)
                }
                var hi = c
                if i + 1 < u.count, u[i] == UInt8(ascii: "-"), u[i + 1] != UInt8(ascii: "]") {
                    hi = u[i + 1]
                    i += 2
                    if hi == UInt8(ascii: "\\"), i < u.count { hi = escapedByte(u[i]); i += 1 }
                    guard hi >= c else { throw ParseError(message: "bad range in class") }
                }
                for b in c...hi {
                    member[Int(b)] = true
                    if ci, let o = otherCase(b) { member[Int(o)] = true }
                }
            }
            if negate { member = member.map { !$0 } }
            sets.append(member)
            return .set(sets.count - 1)
        }
    }

    private mutating func emit(_ x: Inst) { prog.append(x) }

    private mutating func compile(_ n: Node) {
        switch n {
        case .empty: break
        case .byte(let b): emit(.byte(b))
        case .byte2(let a, let b): emit(.byte2(a, b))
        case .set(let k): emit(.set(k))
        case .any: emit(.any)
        case .bol: emit(.bol)
        case .eol: emit(.eol)
        case .wb(let w): emit(.wordBoundary(w))
        case .cat(let items): for x in items { compile(x) }
        case .group(let x, let cap):
            if let cap { emit(.save(2 * cap)) }
            compile(x)
            if let cap { emit(.save(2 * cap + 1)) }
        case .alt(let branches):
            var jumps: [Int] = []
            for (k, b) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = prog.count
                    emit(.split(0, 0))
                    compile(b)
                    jumps.append(prog.count)
                    emit(.jmp(0))
                    prog[split] = .split(split + 1, prog.count)
                } else {
                    compile(b)
                }
            }
            for j in jumps { prog[j] = .jmp(prog.count) }
        case .rep(let x, let lo, let hi, let greedy):
            for _ in 0..<lo { compile(x) }
            if let hi {
                var splits: [Int] = []
                for _ in lo..<hi {
                    splits.append(prog.count)
                    emit(.split(0, 0))
                    compile(x)
                }
                for s in splits { prog[s] = greedy ? .split(s + 1, prog.count) : .split(prog.count, s + 1) }
            } else {
                let loop = prog.count
                emit(.split(0, 0))
                compile(x)
                emit(.jmp(loop))
                prog[loop] = greedy ? .split(loop + 1, prog.count) : .split(prog.count, loop + 1)
            }
        }
    }

    enum Outcome { case match(Int), noMatch, exhausted }

    /// Tries to match at `start`; `budget` counts steps over a whole search.
    /// Stack entries: (pc, sp) branch when kind 0; (slot, old value) restore when kind 1.
    typealias Frame = (kind: UInt8, a: Int, b: Int)

    func match(_ s: UnsafeBufferPointer<UInt8>, at start: Int, budget: inout Int,
               caps: inout [Int], stack: inout [Frame]) -> Outcome {
        for k in caps.indices { caps[k] = -1 }
        stack.removeAll(keepingCapacity: true)
        var pc = 0, sp = start
        let n = s.count
        while true {
            budget -= 1
            if budget < 0 { return .exhausted }
            var ok = true
            switch prog[pc] {
            case .byte(let c): if sp < n && s[sp] == c { pc += 1; sp += 1 } else { ok = false }
            case .byte2(let c, let d): if sp < n && (s[sp] == c || s[sp] == d) { pc += 1; sp += 1 } else { ok = false }
            case .set(let k): if sp < n && setTable[k &* 256 &+ Int(s[sp])] { pc += 1; sp += 1 } else { ok = false }
            case .any: if sp < n && s[sp] != 0x0A { pc += 1; sp += 1 } else { ok = false }
            case .split(let x, let y): stack.append((0, y, sp)); pc = x
            case .jmp(let x): pc = x
            case .save(let k): stack.append((1, k, caps[k])); caps[k] = sp; pc += 1
            case .bol: if sp == 0 { pc += 1 } else { ok = false }
            case .eol: if sp == n { pc += 1 } else { ok = false }
            case .wordBoundary(let want):
                let before = sp > 0 && isWord(s[sp - 1])
                let after = sp < n && isWord(s[sp])
                if (before != after) == want { pc += 1 } else { ok = false }
            case .match: return .match(sp)
            }
            if ok { continue }
            var resumed = false
            while let top = stack.popLast() {
                if top.kind == 1 { caps[top.a] = top.b; continue }
                pc = top.a; sp = top.b; resumed = true
                break
            }
            if !resumed { return .noMatch }
        }
    }

    /// Byte ranges to redact in `s`: group 1 of each match when the pattern has groups, else the
    /// whole match. When the step budget runs out, the whole string.
    func secretRanges(_ s: UnsafeBufferPointer<UInt8>, into out: inout [Range<Int>]) {
        if let rb = requiredByte, s.count > 0, memchr(s.baseAddress!, Int32(rb), s.count) == nil { return }
        var budget = 200_000
        var caps = [Int](repeating: -1, count: 2 * (groups + 1))
        var stack: [Frame] = []
        stack.reserveCapacity(64)
        var start = 0
        var firstByte: UInt8? = nil
        if prog.count > 1, case .byte(let b) = prog[1] { firstByte = b }
        while start <= s.count {
            if let fb = firstByte {
                while start < s.count, s[start] != fb { start += 1 }
                if start == s.count { return }
            }
            switch match(s, at: start, budget: &budget, caps: &caps, stack: &stack) {
            case .exhausted: out.append(0..<s.count); return
            case .noMatch: start += 1
            case .match(let end):
                if groups > 0 {
                    if caps[2] >= 0, caps[3] > caps[2] { out.append(caps[2]..<caps[3]) }
                } else if end > start {
                    out.append(start..<end)
                }
                start = end > start ? end : start + 1
            }
        }
    }
}

@inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inline(__always) func isWord(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
}
func otherCase(_ b: UInt8) -> UInt8? {
    if b >= 0x41 && b <= 0x5A { return b + 32 }
    if b >= 0x61 && b <= 0x7A { return b - 32 }
    return nil
}

/// A redaction pattern compiled at its first use on a line that could match it. The built-in
/// patterns each need a byte every match contains (RedactTests checks these against the
/// compiled patterns), so a command line without it (most of them: `ls`, `git status`) costs
/// neither the compilation (~40 µs at an audited start) nor a match. A policy's own patterns
/// are compiled at once, so that an error shows when the log is opened.
final class RedactPattern: @unchecked Sendable {   // used by one thread: the shell's
    let source: String
    let trigger: UInt8?
    private var compiled: ByteRegex?

    /// The byte each built-in pattern's matches contain, in AuditConfig.defaultRedactPatterns order.
    static let builtinTriggers: [UInt8] = [UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: ":")]

    init(_ source: String) throws {
        self.source = source
        if let i = AuditConfig.defaultRedactPatterns.firstIndex(of: source), i < Self.builtinTriggers.count {
            trigger = Self.builtinTriggers[i]
        } else {
            trigger = nil
            do { compiled = try ByteRegex(source) } catch let e as ByteRegex.ParseError {
                throw AuditError.badConfig("redact pattern \(jsonQuote(source)): \(e.message)")
            }
        }
    }

    /// Adds the ranges to hide in `s`.
    func secretRanges(_ s: UnsafeBufferPointer<UInt8>, into out: inout [Range<Int>]) {
        let rx: ByteRegex
        if let c = compiled {
            rx = c
        } else {
            if let t = trigger, s.count == 0 || memchr(s.baseAddress!, Int32(t), s.count) == nil { return }
            guard let c = try? ByteRegex(source) else {
                // A built-in pattern that does not compile is a bug: hide the whole line.
                out.append(0..<s.count)
                return
            }
            compiled = c
            rx = c
        }
        rx.secretRanges(s, into: &out)
    }
}

/// Applies the configured redaction to command lines and argument vectors.
public struct Redactor: Sendable {
    let patterns: [RedactPattern]
    let options: [[UInt8]]
    let attached: [String: String]

    public init(patterns: [String], options: [String], attached: [String: String]) throws {
        var ps: [RedactPattern] = []
        for p in patterns { ps.append(try RedactPattern(p)) }
        self.patterns = ps
        self.options = options.filter { !$0.isEmpty }.map { Array($0.utf8) }
        self.attached = attached
    }

    public init(config: AuditConfig) throws {
        try self.init(patterns: config.redactPatterns, options: config.redactOptions, attached: config.redactAttached)
    }

    /// What is wrong with a redaction pattern (`"missing ')'"`), or nil when it compiles: for the
    /// policy loader, which reports it at the pattern's line when the policy loads.
    public static func patternProblem(_ pattern: String) -> String? {
        do {
            _ = try ByteRegex(pattern)
            return nil
        } catch let e as ByteRegex.ParseError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    private static func apply(_ u: [UInt8], _ ranges: [Range<Int>]) -> String {
        var merged: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        if merged.isEmpty { return String(decoding: u, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(u.count + 16)
        var pos = 0
        for r in merged {
            out.append(contentsOf: u[pos..<r.lowerBound])
            out.append(contentsOf: redactedMark.utf8)
            pos = r.upperBound
        }
        out.append(contentsOf: u[pos...])
        return String(decoding: out, as: UTF8.self)
    }

    private func patternRanges(_ u: [UInt8], into ranges: inout [Range<Int>]) {
        u.withUnsafeBufferPointer { p in
            for rx in patterns { rx.secretRanges(p, into: &ranges) }
        }
    }

    /// The command line with secrets replaced by [REDACTED].
    public func redact(commandLine s: String) -> String {
        let u = Array(s.utf8)
        var ranges: [Range<Int>] = []
        patternRanges(u, into: &ranges)
        // Options: --opt=VALUE or --opt VALUE, the option starting a word.
        for o in options {
            var k = 0
            while k + o.count <= u.count {
                guard u[k] == o[0], (k == 0 || isSpace(u[k - 1]) || u[k - 1] == 0x22 || u[k - 1] == 0x27),
                      u[k..<(k + o.count)].elementsEqual(o) else { k += 1; continue }
                var j = k + o.count
                guard j < u.count, u[j] == UInt8(ascii: "=") || isSpace(u[j]) else { k += 1; continue }
                if u[j] == UInt8(ascii: "=") { j += 1 } else { while j < u.count, isSpace(u[j]) { j += 1 } }
                let v = wordEnd(u, j)
                if v > j { ranges.append(j..<v) }
                k = max(v, k + 1)
            }
        }
        // Attached secrets after a command word: mysql -pSECRET.
        if !attached.isEmpty {
            var active: [UInt8]? = nil
            var k = 0
            while k < u.count {
                while k < u.count, isSpace(u[k]) { k += 1 }
                if k >= u.count { break }
                var end = wordEnd(u, k)
                if end == k {
                    // An operator byte (; | &): a word of its own.
                    end = k + 1
                    while end < u.count, u[end] == u[k] { end += 1 }
                }
                var w = Array(u[k..<end])
                if let q = w.first, q == 0x22 || q == 0x27 { w.removeFirst(); if w.last == q { w.removeLast() } }
                if let a = active, w.count > a.count, w.starts(with: a), !w.starts(with: [0x2D, 0x2D]) {
                    let off = (u[k] == 0x22 || u[k] == 0x27) ? 1 : 0
                    let stop = (off == 1 && end > k + 1 && u[end - 1] == u[k]) ? end - 1 : end
                    ranges.append((k + off + a.count)..<stop)
                } else if let slash = w.lastIndex(of: UInt8(ascii: "/")).map({ $0 + 1 }) ?? Optional(0),
                          let prefix = attached[String(decoding: w[slash...], as: UTF8.self)] {
                    active = Array(prefix.utf8)
                } else if w == [UInt8(ascii: "|")] || w == [UInt8(ascii: ";")] || w == [UInt8(ascii: "&"), UInt8(ascii: "&")] {
                    active = nil
                }
                k = end
            }
        }
        return ranges.isEmpty ? s : Redactor.apply(u, ranges)
    }

    /// End of the shell word starting at `j`: a quoted string (through its closing quote) or a run
    /// of non-blank bytes.
    private func wordEnd(_ u: [UInt8], _ start: Int) -> Int {
        var j = start
        var quote: UInt8? = nil
        while j < u.count {
            let b = u[j]
            if let q = quote { if b == q { quote = nil }; j += 1; continue }
            if b == 0x22 || b == 0x27 { quote = b; j += 1; continue }
            if isSpace(b) || b == UInt8(ascii: ";") || b == UInt8(ascii: "|") || b == UInt8(ascii: "&") { break }
            j += 1
        }
        return j
    }

    /// argv with secrets replaced by [REDACTED].
    public func redact(args: [String]) -> [String] {
        var out = args
        var attachedPrefix: String? = nil
        if let a0 = args.first {
            let base = a0.split(separator: "/").last.map(String.init) ?? a0
            attachedPrefix = attached[base]
        }
        var k = 0
        while k < args.count {
            let a = args[k]
            let u = Array(a.utf8)
            var ranges: [Range<Int>] = []
            patternRanges(u, into: &ranges)
            var secretNext = false
            if k > 0 {
                for o in options {
                    if u.count == o.count, u.elementsEqual(o) { secretNext = true; break }
                    if u.count > o.count, u.starts(with: o), u[o.count] == UInt8(ascii: "=") {
                        ranges.append((o.count + 1)..<u.count)
                    }
                }
                if let p = attachedPrefix, a.hasPrefix(p), u.count > p.utf8.count, !a.hasPrefix("--") {
                    ranges.append(p.utf8.count..<u.count)
                }
            }
            if !ranges.isEmpty { out[k] = Redactor.apply(u, ranges) }
            if secretNext, k + 1 < args.count {
                out[k + 1] = redactedMark
                k += 2
                continue
            }
            k += 1
        }
        return out
    }
}
