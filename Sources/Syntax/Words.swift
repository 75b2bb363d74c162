// Reading words: quoting, parameter expansions, command and arithmetic substitutions.

/// Accumulates word parts, merging adjacent literal runs and adjacent quoted runs.
struct PartsBuilder {
    var parts: [WordPart] = []
    var buf: [UInt8] = []
    var kind: UInt8 = 0   // 0 none, 1 literal, 2 quoted

    @inline(__always) mutating func lit(_ c: UInt8) {
        if kind != 1 { flush(); kind = 1 }
        buf.append(c)
    }
    @inline(__always) mutating func quo(_ c: UInt8) {
        if kind != 2 { flush(); kind = 2 }
        buf.append(c)
    }
    /// Starts (or continues) a quoted run even if it stays empty (`''`).
    mutating func quoStart() { if kind != 2 { flush(); kind = 2 } }
    mutating func quo<S: Sequence>(contentsOf cs: S) where S.Element == UInt8 {
        quoStart(); buf.append(contentsOf: cs)
    }
    mutating func part(_ p: WordPart) { flush(); parts.append(p) }
    mutating func flush() {
        if kind == 1 {
            if !buf.isEmpty { parts.append(.literal(String(decoding: buf, as: UTF8.self))) }
        } else if kind == 2 {
            parts.append(.quoted(String(decoding: buf, as: UTF8.self)))
        }
        buf.removeAll(keepingCapacity: true)
        kind = 0
    }
    mutating func finish() -> [WordPart] { flush(); return parts }
    var isEmpty: Bool { parts.isEmpty && kind == 0 }
}

/// How unquoted-style text is read.
struct UnqCfg {
    var stopAtMeta = true     // a top-level word: blanks and operators end it
    var stopBrace = false     // inside ${…}: `}` ends it
    var stopSlash = false     // the pattern of ${x/p/r}: `/` ends it
    var regex = false         // the right side of =~ inside [[ ]]
    var tilde = true          // a leading ~ may be a tilde prefix
    var openedAt = 0          // where the enclosing ${ starts (for errors)
}

/// Where `$` is met: unquoted, or one of the double-quote-like contexts.
enum Ctx { case unquoted, dq, paramDQ, heredoc, arith }

/// Double-quote-like readers.
enum DQMode: Equatable { case dq, paramDQ, heredoc, arith, subOffset, subLength }

@inline(__always) func isLoginChar(_ c: UInt8) -> Bool {
    isNameChar(c) || c == 0x2E || c == cMinus || c == cPlus
}

extension Parser {
    func readWord(regex: Bool = false) throws -> Word {
        _ = peekc()
        let start = i
        var b = PartsBuilder()
        var cfg = UnqCfg()
        cfg.regex = regex
        try readUnquoted(cfg, into: &b)
        return Word(parts: b.finish(), pos: pos(start))
    }

    /// Appends one UTF-8 character (lead byte plus continuation bytes) as quoted text.
    func takeQuotedChar(into b: inout PartsBuilder) {
        b.quo(s[i]); i += 1
        while i < n && s[i] & 0xC0 == 0x80 { b.quo(s[i]); i += 1 }
    }

    func readUnquoted(_ cfg: UnqCfg, into b: inout PartsBuilder) throws {
        var rdepth = 0
        if cfg.tilde && peekc() == cTilde {
            var j = i + 1
            while j < n && isLoginChar(s[j]) { j += 1 }
            let e: UInt8 = j < n ? s[j] : 0
            if j >= n || e == cSlash || (cfg.stopAtMeta && isMeta(e)) || (cfg.stopBrace && e == cRBrace) {
                b.part(.tilde(String(decoding: s[(i + 1)..<j], as: UTF8.self)))
                i = j
            }
        }
        while true {
            let c = peekc()
            if i >= n {
                if rdepth > 0 { throw err(.incomplete, "unterminated '(' in regular expression", at: i) }
                if cfg.stopBrace { throw err(.incomplete, "unterminated ${", at: cfg.openedAt) }
                return
            }
            if rdepth > 0 {
                switch c {
                case cLParen: rdepth += 1; b.lit(c); i += 1; continue
                case cRParen: rdepth -= 1; b.lit(c); i += 1; continue
                case cSpace, cTab, cNL, cSemi, cAmp, cPipe, cLess, cGreat: b.lit(c); i += 1; continue
                default: break
                }
            } else if cfg.stopAtMeta && isMeta(c) {
                if cfg.regex && c == cLParen { rdepth += 1; b.lit(c); i += 1; continue }
                if cfg.regex && c == cPipe { b.lit(c); i += 1; continue }
                return
            }
            if cfg.stopBrace && c == cRBrace { return }
            if cfg.stopSlash && c == cSlash { return }
            switch c {
            case cBackslash:
                if i + 1 >= n { b.quo(cBackslash); i += 1; continue }
                i += 1
                takeQuotedChar(into: &b)
            case cSQ:
                try readSingleQuoted(into: &b)
            case cDQ:
                let p = try readDQ()
                b.part(p)
            case cDollar:
                try readDollar(.unquoted, into: &b)
            case cBQ:
                b.part(try readBackquote(inDQ: false))
            case 0x40, 0x21, cPlus, 0x2A, 0x3F:   // @ ! + * ?
                if !cfg.regex && peekc2() == cLParen {
                    throw unsupported("extended glob patterns (\(Character(Unicode.Scalar(c)))(...))", at: i)
                }
                b.lit(c); i += 1
            default:
                b.lit(c); i += 1
            }
        }
    }

    func readSingleQuoted(into b: inout PartsBuilder) throws {
        let start = i
        i += 1
        var j = i
        while j < n && s[j] != cSQ { j += 1 }
        if j >= n { throw err(.incomplete, "unterminated single quote", at: start) }
        b.quo(contentsOf: s[i..<j])
        i = j + 1
    }

    /// Reads "…" starting at the opening quote.
    func readDQ() throws -> WordPart {
        let start = i
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth { throw unsupported("nesting this deep", at: start) }
        i += 1
        var b = PartsBuilder()
        try readDQLike(.dq, into: &b, openedAt: start)
        i += 1   // closing quote
        return .doubleQuoted(b.finish())
    }

    func readDQLike(_ mode: DQMode, into b: inout PartsBuilder, openedAt: Int) throws {
        var pdepth = 0
        let ctx: Ctx
        switch mode {
        case .dq: ctx = .dq
        case .paramDQ: ctx = .paramDQ
        case .heredoc: ctx = .heredoc
        case .arith, .subOffset, .subLength: ctx = .arith
        }
        while true {
            let c = peekc()
            if i >= n {
                switch mode {
                case .dq: throw err(.incomplete, "unterminated double quote", at: openedAt)
                case .paramDQ, .subOffset, .subLength: throw err(.incomplete, "unterminated ${", at: openedAt)
                case .heredoc, .arith: return
                }
            }
            switch c {
            case cDQ:
                if mode == .dq { return }
                if mode == .heredoc { b.quo(c); i += 1; continue }
                b.part(try readDQ())
                continue
            case cRBrace:
                if mode == .paramDQ || mode == .subOffset || mode == .subLength { return }
            case cColon:
                if mode == .subOffset && pdepth == 0 { return }
            case cLParen:
                pdepth += 1
            case cRParen:
                pdepth -= 1
            case cBackslash:
                if i + 1 >= n {
                    if mode == .heredoc || mode == .arith { b.quo(c); i += 1; continue }
                    throw err(.incomplete, "unterminated quote", at: openedAt)
                }
                let d = s[i + 1]
                var esc = d == cDollar || d == cBQ || d == cBackslash
                if mode != .heredoc && d == cDQ { esc = true }
                if mode == .paramDQ && d == cRBrace { esc = true }
                if esc { b.quo(d); i += 2 } else { b.quo(c); i += 1 }
                continue
            case cDollar:
                try readDollar(ctx, into: &b)
                continue
            case cBQ:
                b.part(try readBackquote(inDQ: mode != .heredoc))
                continue
            default:
                break
            }
            b.quo(c); i += 1
        }
    }

    // MARK: $

    func readDollar(_ ctx: Ctx, into b: inout PartsBuilder) throws {
        let start = i
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth { throw unsupported("nesting this deep", at: start) }
        i += 1
        let c = peekc()
        if i >= n {
            if ctx == .unquoted { b.lit(cDollar) } else { b.quo(cDollar) }
            return
        }
        switch c {
        case cLParen:
            if peekc2() == cLParen {
                let save = i
                _ = peekc2()
                // find the second '(' raw index
                var j = i + 1
                while j + 1 < n && s[j] == cBackslash && s[j + 1] == cNL { j += 2 }
                if let close = try scanArith(from: j + 1, openAt: start) {
                    let w = try parseArithRegion(from: j + 1, to: close)
                    i = close + 2
                    b.part(.arithmetic(w))
                    return
                }
                i = save
                // `$((` that is not arithmetic: bash re-reads it as `$( (…) … )` (and `bash -n`
                // does not check it), so errors inside are marked.
                do {
                    b.part(.commandSub(try parseCommandSub(openAt: start), backquoted: false))
                } catch var e as ParseError {
                    if e.kind == .syntax && !e.message.contains("(inside ") { e.message += " (inside $((...) read as a command substitution)" }
                    throw e
                }
                return
            }
            b.part(.commandSub(try parseCommandSub(openAt: start), backquoted: false))
        case cLBrace:
            b.part(.param(try readBraced(start: start, ctx: ctx)))
        case cSQ where ctx == .unquoted || ctx == .paramDQ:
            try readAnsiC(into: &b)
        case cDQ where ctx == .unquoted || ctx == .paramDQ:
            throw unsupported("locale translation strings ($\"...\")", at: start)
        case cLBracket:
            throw unsupported("the $[...] arithmetic form", at: start)
        default:
            if isNameStart(c) {
                let ns = i
                while i < n && isNameChar(s[i]) { i += 1 }
                b.part(.param(ParamExp(name: String(decoding: s[ns..<i], as: UTF8.self), braced: false, pos: pos(start))))
            } else if isDigit(c) || isSpecialParam(c) {
                i += 1
                b.part(.param(ParamExp(name: String(Character(Unicode.Scalar(c))), braced: false, pos: pos(start))))
            } else {
                if ctx == .unquoted { b.lit(cDollar) } else { b.quo(cDollar) }
            }
        }
    }

    /// Finds the `)` of a closing `))` for an arithmetic form whose body starts at `from` (bash's
    /// matched-pair scan: parentheses counted, quotes skipped). Returns nil if the matching `)` is
    /// not followed by `)` (then it is a subshell/command sub); throws `.incomplete` when the input
    /// ends first.
    func scanArith(from: Int, openAt: Int) throws -> Int? {
        arithMismatchNext = 0
        var k = from
        var depth = 0
        while k < n {
            let c = s[k]
            switch c {
            case cBackslash: k += 2; continue
            case cDollar where k + 1 < n && s[k + 1] == cSQ:   // $'…' honours \'
                k += 2
                while k < n && s[k] != cSQ { if s[k] == cBackslash { k += 1 }; k += 1 }
            case cSQ:
                k += 1
                while k < n && s[k] != cSQ { k += 1 }
            case cDQ:
                k += 1
                while k < n && s[k] != cDQ { if s[k] == cBackslash { k += 1 }; k += 1 }
            case cBQ:
                k += 1
                while k < n && s[k] != cBQ { if s[k] == cBackslash { k += 1 }; k += 1 }
            case cLParen: depth += 1
            case cRParen:
                if depth == 0 {
                    var m = k + 1
                    while m + 1 < n && s[m] == cBackslash && s[m + 1] == cNL { m += 2 }
                    arithMismatchNext = m < n ? s[m] : 0
                    return (m < n && s[m] == cRParen) ? k : nil
                }
                depth -= 1
            default: break
            }
            k += 1
        }
        throw err(.incomplete, "unterminated ((", at: openAt)
    }

    /// Parses s[from..<to] as arithmetic text (double-quote-like) into a word.
    func parseArithRegion(from: Int, to: Int) throws -> Word {
        let savedN = n
        let savedCont = contAtEOF
        i = from
        n = to
        defer { n = savedN; contAtEOF = savedCont }
        var b = PartsBuilder()
        do {
            try readDQLike(.arith, into: &b, openedAt: from)
        } catch var e as ParseError {
            if e.kind == .incomplete { e.kind = .syntax }
            if e.kind == .syntax && !e.message.contains("(inside ") { e.message += " (inside arithmetic)" }
            throw e
        }
        return Word(parts: b.finish(), pos: pos(from))
    }

    /// `$(` … `)`: `openAt` is the `$`; the current position is at `(`.
    func parseCommandSub(openAt: Int) throws -> Script {
        i += 1   // (
        let savedPending = pending
        let savedLa = la
        pending = []
        la = nil
        let script = try parseList()
        let t = try peek()
        guard t.isOp(.rparen) else {
            if t.kind == .eof { throw err(.incomplete, "unterminated $(", at: openAt) }
            throw unexpected(t)
        }
        if !pending.isEmpty {
            throw unsupported("a here-document whose body follows the closing ')' of $(...)", at: openAt)
        }
        if !savedPending.isEmpty && s[openAt..<i].contains(cNL) {
            // bash's placement of the pending here-document body is murky here: refuse.
            throw unsupported("a multi-line $(...) on a line with a pending here-document", at: openAt)
        }
        la = savedLa
        pending = savedPending
        return try fixHereDocs(script)
    }

    /// ` … ` starting at the opening backquote.
    func readBackquote(inDQ: Bool) throws -> WordPart {
        let start = i
        i += 1
        var buf: [UInt8] = []
        var org: [Int] = []
        while true {
            if i >= n { throw err(.incomplete, "unterminated backquote", at: start) }
            let c = s[i]
            if c == cBQ { i += 1; break }
            if c == cBackslash && i + 1 < n {
                let d = s[i + 1]
                if d == cDollar || d == cBQ || d == cBackslash || (inDQ && d == cDQ) {
                    buf.append(d); org.append(originOf(i + 1)); i += 2; continue
                }
                if d == cNL { i += 2; continue }
                buf.append(c); org.append(originOf(i))
                buf.append(d); org.append(originOf(i + 1))
                i += 2
                continue
            }
            buf.append(c); org.append(originOf(i)); i += 1
        }
        if depth + 1 > maxDepth { throw unsupported("nesting this deep", at: start) }
        let child = Parser(bytes: buf, origin: org, map: map)
        child.depth = depth + 1
        child.originEnd = originOf(start)
        do {
            let sc = try child.parseProgram()
            return .commandSub(sc, backquoted: true)
        } catch var e as ParseError {
            if e.kind == .incomplete { e.kind = .syntax }
            if e.kind == .syntax && !e.message.contains("(inside `") { e.message += " (inside `...`)" }
            throw e
        }
    }

    func originOf(_ k: Int) -> Int {
        if let o = origin { return k < o.count ? o[k] : (o.last.map { $0 + 1 } ?? originEnd) }
        return k
    }
}
