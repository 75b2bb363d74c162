// [[ … ]] conditional commands.

enum CK: Equatable { case word, and, or, lp, rp, lt, gt, nl, eof, other(String) }

struct CTok {
    var kind: CK
    var word: Word? = nil
    var start: Int
    var literal: String? { kind == .word ? word?.literalText : nil }
}

extension Parser {
    func condLex(regex: Bool) throws -> CTok {
        while true {
            let c = peekc()
            if c == cSpace || c == cTab { i += 1; continue }
            if c == cHash && i < n {
                while i < n && s[i] != cNL { i += 1 }
                continue
            }
            break
        }
        let start = i
        if i >= n { return CTok(kind: .eof, start: start) }
        let c = s[i]
        func two(_ ch: UInt8) -> Bool {
            i += 1
            if peekc() == ch { i += 1; return true }
            return false
        }
        switch c {
        case cNL:
            i += 1
            if !pending.isEmpty { try readPendingHereDocs() }
            return CTok(kind: .nl, start: start)
        case cAmp: return CTok(kind: two(cAmp) ? .and : .other("&"), start: start)
        case cPipe where !regex: return CTok(kind: two(cPipe) ? .or : .other("|"), start: start)
        case cLParen where !regex: i += 1; return CTok(kind: .lp, start: start)
        case cRParen: i += 1; return CTok(kind: .rp, start: start)
        case cLess: i += 1; return CTok(kind: .lt, start: start)
        case cGreat: i += 1; return CTok(kind: .gt, start: start)
        case cSemi: i += 1; return CTok(kind: .other(";"), start: start)
        default:
            let w = try readWord(regex: regex)
            return CTok(kind: .word, word: w, start: start)
        }
    }

    func condPeek() throws -> CTok {
        if let t = cla { return t }
        let t = try condLex(regex: false)
        cla = t
        return t
    }
    func condNext() throws -> CTok {
        let t = try condPeek()
        cla = nil
        return t
    }
    func condSkipNewlines() throws {
        while try condPeek().kind == .nl { cla = nil }
    }

    func condText(_ t: CTok) -> String {
        switch t.kind {
        case .word: return tokenText(Token(kind: .word, start: t.start, end: min(i, n)))
        case .and: return "&&"
        case .or: return "||"
        case .lp: return "("
        case .rp: return ")"
        case .lt: return "<"
        case .gt: return ">"
        case .nl: return "newline"
        case .eof: return "end of input"
        case .other(let s): return s
        }
    }

    func condUnexpected(_ t: CTok, _ what: String = "", newlineOK: Bool = true) -> ParseError {
        if t.kind == .eof {
            return err(newlineOK ? .incomplete : .syntax, "unexpected end of input in [[ ]]", at: t.start)
        }
        let text: String
        if t.kind == .word, let w = t.word {
            text = tokenText(Token(kind: .word, word: w, start: t.start, end: i))
        } else { text = condText(t) }
        return err(.syntax, "unexpected '\(text)' in conditional expression\(what)", at: t.start)
    }

    /// After `[[` has been consumed.
    func parseCondCommand(start: Int) throws -> CondExpr {
        cla = nil
        try condSkipNewlines()
        if try condPeek().literal == "]]" {
            throw err(.syntax, "empty conditional expression", at: start)
        }
        let e = try condOr()
        let t = try condPeek()
        guard t.literal == "]]" else { throw condUnexpected(t, ", expected ']]'") }
        cla = nil
        return e
    }

    func condOr() throws -> CondExpr {
        var l = try condAnd()
        while try condPeek().kind == .or {
            cla = nil
            try condSkipNewlines()
            l = .or(l, try condAnd())
        }
        return l
    }

    func condAnd() throws -> CondExpr {
        var l = try condTerm()
        while try condPeek().kind == .and {
            cla = nil
            try condSkipNewlines()
            l = .and(l, try condTerm())
        }
        return l
    }

    func condTerm() throws -> CondExpr {
        depth += 1
        defer { depth -= 1 }
        let t = try condNext()
        if depth > maxDepth { throw unsupported("nesting this deep", at: t.start) }
        switch t.kind {
        case .lp:
            try condSkipNewlines()
            let e = try condOr()
            let r = try condNext()
            guard r.kind == .rp else { throw condUnexpected(r, ", expected ')'") }
            try condSkipNewlines()   // bash allows newlines after a group, unary or binary test
            return .group(e)
        case .word:
            let w = t.word!
            let lit = t.literal
            if lit == "!" {
                if try condPeek().literal == "]]" { return .word(w) }
                return .not(try condTerm())
            }
            if let l = lit, l.utf8.first == cMinus, let u = CondUnaryOp(rawValue: l) {
                let a = try condPeek()
                if a.kind == .word && a.literal != "]]" {
                    cla = nil
                    try condSkipNewlines()
                    return .unary(u, a.word!)
                }
                throw condUnexpected(a, " (argument to \(l) expected)", newlineOK: false)
            }
            if l0IsUnsupportedUnary(lit) { throw unsupported("the [[ \(lit!) ]] test", at: t.start) }
            let nt = try condPeek()
            var bop: CondBinaryOp? = nil
            switch nt.kind {
            case .lt: bop = .less
            case .gt: bop = .greater
            case .word: if let l = nt.literal { bop = CondBinaryOp(rawValue: l) }
            default: break
            }
            if let op = bop {
                cla = nil
                let r: CTok
                if op == .match {
                    r = try condLex(regex: true)
                } else {
                    r = try condNext()
                }
                guard r.kind == .word, r.literal != "]]" else { throw condUnexpected(r, " (argument to \(op.rawValue) expected)", newlineOK: false) }
                try condSkipNewlines()
                return .binary(op, w, r.word!)
            }
            switch nt.kind {
            case .and, .or, .rp: return .word(w)
            case .word where nt.literal == "]]": return .word(w)
            case .eof: throw condUnexpected(nt, newlineOK: false)
            default: throw condUnexpected(nt, " (conditional binary operator expected)")
            }
        default:
            throw condUnexpected(t)
        }
    }

    func l0IsUnsupportedUnary(_ l: String?) -> Bool { l == "-R" }
}
