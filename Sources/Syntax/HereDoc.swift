// Here-document bodies: read after the newline that ends the command line, then attached to
// their redirections once the enclosing list is parsed.

extension Parser {
    /// Called right after a newline token was consumed: reads every pending body in order.
    func readPendingHereDocs() throws {
        let list = pending
        pending = []
        for h in list {
            let bodyStart = i
            var body: [UInt8] = []
            var org: [Int] = []
            var found = false
            while i < n {
                // one (logical) line
                if h.strip { while i < n && s[i] == cTab { i += 1 } }
                let lineStart = body.count
                var lineEnd = i
                var sawNewline = false
                while i < n {
                    let c = s[i]
                    if c == cNL { sawNewline = true; lineEnd = i; i += 1; break }
                    if !h.quoted && c == cBackslash && i + 1 < n {
                        if s[i + 1] == cNL { i += 2; continue }
                        body.append(c); org.append(originOf(i))
                        body.append(s[i + 1]); org.append(originOf(i + 1))
                        i += 2
                        continue
                    }
                    body.append(c); org.append(originOf(i))
                    i += 1
                }
                if !sawNewline { lineEnd = i }
                _ = lineEnd
                if body.count - lineStart == h.delimiter.count && body[lineStart...].elementsEqual(h.delimiter) {
                    body.removeSubrange(lineStart...)
                    org.removeSubrange(lineStart...)
                    found = true
                    break
                }
                if !sawNewline { break }
                body.append(cNL); org.append(originOf(i - 1))
            }
            if !found {
                throw ParseError(kind: .incomplete, message: "here-document delimited by '\(String(decoding: h.delimiter, as: UTF8.self))' is not terminated", pos: h.key,
                                 unterminatedHereDoc: String(decoding: h.delimiter, as: UTF8.self))
            }
            let bp = pos(bodyStart)
            let word: Word
            if h.quoted {
                word = Word(parts: body.isEmpty ? [] : [.quoted(String(decoding: body, as: UTF8.self))], pos: bp)
            } else {
                let child = Parser(bytes: body, origin: org, map: map)
                child.depth = depth + 1
                child.originEnd = originOf(bodyStart)
                var b = PartsBuilder()
                do {
                    try child.readDQLike(.heredoc, into: &b, openedAt: 0)
                } catch var e as ParseError {
                    if e.kind == .incomplete { e.kind = .syntax }
                    if e.kind == .syntax { e.message += " (inside a here-document)" }
                    throw e
                }
                word = Word(parts: b.finish(), pos: bp)
            }
            hereDocs[h.key] = HereDoc(quoted: h.quoted, body: word)
        }
    }

    /// Attaches read here-document bodies to their redirections.
    func fixHereDocs(_ script: Script) throws -> Script {
        if hereDocs.isEmpty { return script }
        return fixScript(script)
    }

    private func fixScript(_ sc: Script) -> Script {
        var sc = sc
        for k in sc.items.indices {
            var ao = sc.items[k].andOr
            ao.first = fixPipeline(ao.first)
            for r in ao.rest.indices { ao.rest[r].pipeline = fixPipeline(ao.rest[r].pipeline) }
            sc.items[k].andOr = ao
        }
        return sc
    }

    private func fixPipeline(_ p: Pipeline) -> Pipeline {
        var p = p
        for k in p.commands.indices { p.commands[k] = fixCommand(p.commands[k]) }
        return p
    }

    private func fixRedirs(_ rs: [Redirection]) -> [Redirection] {
        var rs = rs
        for k in rs.indices where rs[k].hereDoc == nil && (rs[k].op == .hereDoc || rs[k].op == .hereDocStrip) {
            if let h = hereDocs[rs[k].pos] { rs[k].hereDoc = h }
        }
        return rs
    }

    private func fixCommand(_ c: Command) -> Command {
        switch c {
        case .simple(var sc):
            sc.redirections = fixRedirs(sc.redirections)
            return .simple(sc)
        case .compound(let cc, let rs, let p):
            return .compound(fixCompound(cc), redirections: fixRedirs(rs), pos: p)
        case .function(var f):
            f.body = fixCommand(f.body)
            return .function(f)
        }
    }

    private func fixCompound(_ cc: CompoundCommand) -> CompoundCommand {
        switch cc {
        case .brace(let s): return .brace(fixScript(s))
        case .subshell(let s): return .subshell(fixScript(s))
        case .ifClause(var ic):
            for k in ic.branches.indices {
                ic.branches[k] = (fixScript(ic.branches[k].condition), fixScript(ic.branches[k].body))
            }
            if let e = ic.elseBody { ic.elseBody = fixScript(e) }
            return .ifClause(ic)
        case .loop(var l):
            l.condition = fixScript(l.condition); l.body = fixScript(l.body)
            return .loop(l)
        case .forLoop(var f):
            f.body = fixScript(f.body)
            return .forLoop(f)
        case .arithFor(var f):
            f.body = fixScript(f.body)
            return .arithFor(f)
        case .caseClause(var c):
            for k in c.items.indices { c.items[k].body = fixScript(c.items[k].body) }
            return .caseClause(c)
        case .condition, .arithmetic:
            return cc
        }
    }
}
