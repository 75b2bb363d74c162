// Simple commands, assignments, redirections, function definitions.

extension Parser {
    func parseSimple() throws -> Command {
        let first = try peek()
        let start = first.start
        var assigns: [Assignment] = []
        var words: [Word] = []
        var redirs: [Redirection] = []
        while true {
            let t = try peek()
            if case .op(let o) = t.kind, o.isRedirection {
                redirs.append(try parseRedirection())
                continue
            }
            guard t.kind == .word, let w = t.word else { break }
            la = nil
            if words.isEmpty {
                try checkSubscriptWord(t)
                if let a = try assignment(t, w) { assigns.append(a); continue }
                if assigns.isEmpty, w.literalText == "time" {
                    // aegish treats `time` as a plain command; refuse the forms where bash's `time`
                    // keyword would give a different parse.
                    let nt = try peek()
                    if nt.isOp(.lparen) || (nt.literal.map { Parser.timeKeywordFollowers.contains($0) } ?? false) {
                        throw unsupported("the time keyword with a compound command (time \(tokenText(nt)) ...)", at: t.start)
                    }
                    // bash's keyword form rejects these outright
                    if nt.isOp(.amp) || nt.isOp(.andIf) || nt.isOp(.orIf) || nt.isOp(.pipe) || nt.isOp(.pipeAmp)
                        || (nt.literal.map { Parser.closers.contains($0) } ?? false) {
                        throw unexpected(nt)
                    }
                }
                if assigns.isEmpty, redirs.isEmpty, try peek().isOp(.lparen) {
                    return try parseFunctionRest(t, w)
                }
            }
            words.append(try argumentWord(t, w))
        }
        if assigns.isEmpty && words.isEmpty && redirs.isEmpty { throw unexpected(try peek()) }
        return .simple(SimpleCommand(assignments: assigns, words: words, redirections: redirs, pos: pos(start)))
    }

    /// Where an assignment may appear, bash reads `NAME[` … up to the matching `]` as part of the
    /// word, blanks and operators included (`a[ x; y ]` is one word there). Refuse when that
    /// would make bash's word differ from ours.
    func checkSubscriptWord(_ t: Token) throws {
        var k = t.start
        guard k < n, isNameStart(s[k]) else { return }
        while k < n && isNameChar(s[k]) { k += 1 }
        guard k < n, s[k] == cLBracket else { return }
        var depth = 0
        while k < n {
            let c = s[k]
            switch c {
            case cBackslash: k += 1
            case cSQ:
                k += 1
                while k < n && s[k] != cSQ { k += 1 }
            case cDQ:
                k += 1
                while k < n && s[k] != cDQ { if s[k] == cBackslash { k += 1 }; k += 1 }
            case cLBracket: depth += 1
            case cRBracket:
                depth -= 1
                if depth == 0 {
                    if k >= t.end { throw unsupported("array subscripts in command words (\(tokenText(t))...])", at: t.start) }
                    return
                }
            default: break
            }
            k += 1
        }
        throw err(.incomplete, "unterminated '[' (bash reads a[...] as one word here)", at: t.start)
    }

    /// `NAME=` / `NAME+=` prefix length of a literal text, and whether it is `+=`.
    func assignmentPrefix(_ w: Word) -> (name: String, rest: Substring, append: Bool)? {
        guard case .literal(let text)? = w.parts.first else { return nil }
        let u = text.utf8
        var idx = u.startIndex
        guard idx < u.endIndex, isNameStart(u[idx]) else { return nil }
        idx = u.index(after: idx)
        while idx < u.endIndex && isNameChar(u[idx]) { idx = u.index(after: idx) }
        guard idx < u.endIndex else { return nil }
        let name = String(text[text.startIndex..<idx])
        if u[idx] == cEq {
            return (name, text[u.index(after: idx)...], false)
        }
        if u[idx] == cPlus {
            let j = u.index(after: idx)
            if j < u.endIndex && u[j] == cEq { return (name, text[u.index(after: j)...], true) }
        }
        return nil
    }

    /// Detects `NAME[...]=` (array element assignment).
    func isArrayElementAssignment(_ w: Word) -> Bool {
        guard case .literal(let text)? = w.parts.first else { return false }
        let u = Array(text.utf8)
        guard let f = u.first, isNameStart(f) else { return false }
        var k = 1
        while k < u.count && isNameChar(u[k]) { k += 1 }
        guard k < u.count && u[k] == cLBracket else { return false }
        for p in w.parts {
            if case .literal(let t) = p, t.contains("]=") || t.contains("]+=") { return true }
        }
        return false
    }

    func assignment(_ t: Token, _ w: Word) throws -> Assignment? {
        guard let (name, rest, append) = assignmentPrefix(w) else {
            if isArrayElementAssignment(w) { throw unsupported("arrays (\(tokenText(t)))", at: t.start) }
            return nil
        }
        var value: [WordPart] = []
        if !rest.isEmpty { value.append(.literal(String(rest))) }
        value.append(contentsOf: w.parts.dropFirst())
        if value.isEmpty, try peek().isOp(.lparen), la!.start == t.end {
            throw unsupported("arrays (\(name)\(append ? "+=" : "=")(...))", at: t.start)
        }
        let eqOffset = name.utf8.count + (append ? 2 : 1)
        return Assignment(name: name, value: Word(parts: tildeAssign(value), pos: pos(t.start + eqOffset)),
                          append: append, pos: pos(t.start))
    }

    /// Argument words shaped like assignments get bash's tilde expansion after `=` and `:`.
    func argumentWord(_ t: Token, _ w: Word) throws -> Word {
        guard let (name, rest, append) = assignmentPrefix(w) else { return w }
        var value: [WordPart] = []
        if !rest.isEmpty { value.append(.literal(String(rest))) }
        value.append(contentsOf: w.parts.dropFirst())
        if value.isEmpty, try peek().isOp(.lparen), la!.start == t.end {
            throw unsupported("arrays (\(name)\(append ? "+=" : "=")(...))", at: t.start)
        }
        guard rest.utf8.contains(cTilde) else { return w }
        var parts = tildeAssign(value)
        let prefix = name + (append ? "+=" : "=")
        if case .literal(let l)? = parts.first { parts[0] = .literal(prefix + l) } else { parts.insert(.literal(prefix), at: 0) }
        return Word(parts: parts, pos: w.pos)
    }

    /// Splits tilde prefixes out of the literal parts of an assignment value: at the start of the
    /// value and after each unquoted `:`.
    func tildeAssign(_ parts: [WordPart]) -> [WordPart] {
        var out: [WordPart] = []
        for (k, p) in parts.enumerated() {
            guard case .literal(let text) = p, text.utf8.contains(cTilde) else { out.append(p); continue }
            let u = Array(text.utf8)
            var segStart = 0
            var j = 0
            while j < u.count {
                let atStart = (j == 0 && k == 0) || (j > 0 && u[j - 1] == cColon)
                if u[j] == cTilde && atStart {
                    var e = j + 1
                    while e < u.count && isLoginChar(u[e]) { e += 1 }
                    let ok = e < u.count ? (u[e] == cSlash || u[e] == cColon) : (k == parts.count - 1)
                    if ok {
                        if j > segStart { out.append(.literal(String(decoding: u[segStart..<j], as: UTF8.self))) }
                        out.append(.tilde(String(decoding: u[(j + 1)..<e], as: UTF8.self)))
                        segStart = e
                        j = e
                        continue
                    }
                }
                j += 1
            }
            if segStart < u.count { out.append(.literal(String(decoding: u[segStart...], as: UTF8.self))) }
        }
        return out
    }

    func parseFunctionRest(_ t: Token, _ w: Word) throws -> Command {
        guard let name = w.literalText, !name.isEmpty else {
            throw unsupported("function names with quotes or expansions", at: t.start)
        }
        la = nil   // (
        let r = try peek()
        guard r.isOp(.rparen) else { throw unexpectedHere(r) }
        la = nil
        try skipNewlines()
        let body = try parseFunctionBody()
        return .function(FunctionDef(name: name, body: body, pos: pos(t.start)))
    }

    // MARK: redirections

    func parseRedirection() throws -> Redirection {
        let t = try next()
        guard case .op(let o) = t.kind else { throw unexpected(t) }
        let tt = try peek()
        guard tt.kind == .word, let target = tt.word else {
            if tt.kind == .eof || tt.kind == .newline {
                throw err(.syntax, "missing file name after '\(o.text)'", at: t.start)
            }
            throw unexpected(tt)
        }
        la = nil
        let p = pos(t.start)
        var op: RedirOp
        switch o {
        case .less: op = .input
        case .great: op = .output
        case .dgreat: op = .append
        case .clobber: op = .clobber
        case .lessGreat: op = .readWrite
        case .lessAnd: op = .dupInput
        case .greatAnd:
            op = .dupOutput
            if t.fd == nil, let l = target.literalText, l != "-", !l.utf8.allSatisfy(isDigit) {
                op = .outputBoth
            }
        case .dless, .dlessDash:
            op = o == .dless ? .hereDoc : .hereDocStrip
            let (delim, quoted) = heredocDelimiter(tt)
            pending.append(PendingHereDoc(key: p, delimiter: delim, quoted: quoted, strip: o == .dlessDash))
        case .tless: op = .hereString
        case .andGreat: op = .outputBoth
        case .andDGreat: op = .appendBoth
        default: throw unexpected(t)
        }
        return Redirection(fd: t.fd, op: op, target: target, pos: p)
    }

    /// The delimiter of a here-document after quote removal, and whether any of it was quoted.
    func heredocDelimiter(_ t: Token) -> ([UInt8], Bool) {
        var out: [UInt8] = []
        var quoted = false
        var k = t.start
        while k < t.end {
            let c = s[k]
            if c == cBackslash && k + 1 < t.end {
                if s[k + 1] == cNL { k += 2; continue }
                quoted = true
                out.append(s[k + 1]); k += 2; continue
            }
            if c == cSQ {
                quoted = true
                k += 1
                while k < t.end && s[k] != cSQ { out.append(s[k]); k += 1 }
                k += 1
                continue
            }
            if c == cDQ {
                quoted = true
                k += 1
                while k < t.end && s[k] != cDQ {
                    if s[k] == cBackslash && k + 1 < t.end && (s[k + 1] == cDQ || s[k + 1] == cBackslash || s[k + 1] == cDollar || s[k + 1] == cBQ) { k += 1 }
                    out.append(s[k]); k += 1
                }
                k += 1
                continue
            }
            if c == cDollar && k + 1 < t.end && (s[k + 1] == cSQ || s[k + 1] == cDQ) { k += 1; continue }
            out.append(c); k += 1
        }
        return (out, quoted)
    }
}
