// Printing the tree back: `shellText` renders words and lists as shell source (one line, quoting
// normalised), `treeDump` renders a whole script as an indented outline with line:column on every
// node. Used by `aegishctl explain`, so that a surprising decision can be traced to what the
// parser actually saw (which word was quoted, where a substitution starts, what a loop contains).

/// A word as shell source: literal text as written, quoted text in single quotes, expansions
/// in their `$…` forms. Round-trips through the parser to an equal word for the common forms.
public func shellText(_ w: Word) -> String { w.parts.map(shellText).joined() }

/// A list on one line (`a && b | c; d &`), for command substitutions and summaries.
public func shellText(_ s: Script) -> String {
    s.items.map { item in
        var out = shellText(item.andOr.first)
        for r in item.andOr.rest { out += (r.op == .and ? " && " : " || ") + shellText(r.pipeline) }
        return out + (item.background ? " &" : "")
    }.joined(separator: "; ")
}

public func shellText(_ p: Pipeline) -> String {
    var out = p.negated ? "! " : ""
    for (k, c) in p.commands.enumerated() {
        if k > 0 { out += p.stderrToo[k - 1] ? " |& " : " | " }
        out += shellText(c)
    }
    return out
}

public func shellText(_ c: Command) -> String {
    switch c {
    case .simple(let sc):
        let parts = sc.assignments.map(shellText) + sc.words.map(shellText) + sc.redirections.map(shellText)
        return parts.joined(separator: " ")
    case .compound(let cc, let rs, _):
        return ([compoundText(cc)] + rs.map(shellText)).joined(separator: " ")
    case .function(let f):
        return "\(f.name)() " + shellText(f.body)
    }
}

public func shellText(_ a: Assignment) -> String {
    a.name + (a.append ? "+=" : "=") + shellText(a.value)
}

public func shellText(_ r: Redirection) -> String {
    var out = (r.fd.map(String.init) ?? "") + redirOpText(r.op)
    if r.op == .hereDoc || r.op == .hereDocStrip {
        out += shellText(r.target)
    } else {
        out += " " + shellText(r.target)
    }
    return out
}

func redirOpText(_ op: RedirOp) -> String {
    switch op {
    case .input: return "<"
    case .output: return ">"
    case .append: return ">>"
    case .clobber: return ">|"
    case .readWrite: return "<>"
    case .dupInput: return "<&"
    case .dupOutput: return ">&"
    case .hereDoc: return "<<"
    case .hereDocStrip: return "<<-"
    case .hereString: return "<<<"
    case .outputBoth: return "&>"
    case .appendBoth: return "&>>"
    }
}

private func compoundText(_ cc: CompoundCommand) -> String {
    switch cc {
    case .brace(let s): return "{ \(shellText(s)); }"
    case .subshell(let s): return "( \(shellText(s)) )"
    case .ifClause(let ic):
        var out = ""
        for (k, b) in ic.branches.enumerated() {
            out += (k == 0 ? "if " : "; elif ") + shellText(b.condition) + "; then " + shellText(b.body)
        }
        if let e = ic.elseBody { out += "; else " + shellText(e) }
        return out + "; fi"
    case .loop(let l):
        return (l.until ? "until " : "while ") + shellText(l.condition) + "; do " + shellText(l.body) + "; done"
    case .forLoop(let f):
        let items = f.items.map { " in " + $0.map(shellText).joined(separator: " ") } ?? ""
        return "for \(f.variable)\(items); do \(shellText(f.body)); done"
    case .arithFor(let f):
        let clauses = [f.initial, f.condition, f.step].map { $0.map(arithText) ?? "" }.joined(separator: "; ")
        return "for ((\(clauses))); do \(shellText(f.body)); done"
    case .caseClause(let c):
        let items = c.items.map { it in
            it.patterns.map(shellText).joined(separator: "|") + ") " + shellText(it.body) + " " + terminatorText(it.terminator)
        }
        return "case \(shellText(c.subject)) in " + items.joined(separator: " ") + " esac"
    case .condition(let e): return "[[ \(condText(e)) ]]"
    case .arithmetic(let w): return "((\(arithText(w))))"
    }
}

/// Arithmetic text: the parser keeps it as quoted text with expansions; it is printed as written.
public func arithText(_ w: Word) -> String {
    w.parts.map { p -> String in
        switch p {
        case .literal(let t), .quoted(let t): return t
        default: return shellText(p)
        }
    }.joined()
}

private func terminatorText(_ t: CaseTerminator) -> String {
    switch t { case .breakOut: return ";;"; case .fallThrough: return ";&"; case .testNext: return ";;&" }
}

private func condText(_ e: CondExpr) -> String {
    switch e {
    case .word(let w): return shellText(w)
    case .unary(let op, let w): return "\(op.rawValue) \(shellText(w))"
    case .binary(let op, let a, let b): return "\(shellText(a)) \(op.rawValue) \(shellText(b))"
    case .not(let x): return "! \(condText(x))"
    case .and(let a, let b): return "\(condText(a)) && \(condText(b))"
    case .or(let a, let b): return "\(condText(a)) || \(condText(b))"
    case .group(let x): return "( \(condText(x)) )"
    }
}

private func singleQuoted(_ t: String) -> String {
    "'" + t.replacingAll("'", with: "'\\''") + "'"
}

private func shellText(_ p: WordPart) -> String {
    switch p {
    case .literal(let t): return t
    case .quoted(let t): return singleQuoted(t)
    case .doubleQuoted(let ps): return "\"" + ps.map(doubleQuotedText).joined() + "\""
    case .param(let pe): return paramText(pe)
    case .commandSub(let s, _): return "$(\(shellText(s)))"
    case .arithmetic(let w): return "$((\(arithText(w))))"
    case .tilde(let n): return "~" + n
    }
}

/// Inside "…": quoted text needs only `"`, `\`, `$` and `` ` `` escaped.
private func doubleQuotedText(_ p: WordPart) -> String {
    switch p {
    case .literal(let t), .quoted(let t):
        var out = ""
        for c in t {
            if c == "\"" || c == "\\" || c == "$" || c == "`" { out.append("\\") }
            out.append(c)
        }
        return out
    default: return shellText(p)
    }
}

private func paramText(_ pe: ParamExp) -> String {
    let n = pe.name
    let body: String
    switch pe.op {
    case .none: return pe.braced ? "${\(n)}" : "$" + n
    case .length: body = "#" + n
    case .useDefault(let w, let c): body = n + (c ? ":" : "") + "-" + shellText(w)
    case .assignDefault(let w, let c): body = n + (c ? ":" : "") + "=" + shellText(w)
    case .errorIfUnset(let w, let c): body = n + (c ? ":" : "") + "?" + (w.map(shellText) ?? "")
    case .useAlternative(let w, let c): body = n + (c ? ":" : "") + "+" + shellText(w)
    case .removeSuffix(let w, let l): body = n + (l ? "%%" : "%") + shellText(w)
    case .removePrefix(let w, let l): body = n + (l ? "##" : "#") + shellText(w)
    case .replace(let p, let r, let a):
        let ac: String
        switch a { case .first: ac = "/"; case .all: ac = "//"; case .prefix: ac = "/#"; case .suffix: ac = "/%" }
        body = n + ac + shellText(p) + (r.map { "/" + shellText($0) } ?? "")
    case .substring(let o, let l): body = n + ":" + arithText(o) + (l.map { ":" + arithText($0) } ?? "")
    case .caseChange(let cc, let p):
        let s: String
        switch cc { case .upperFirst: s = "^"; case .upperAll: s = "^^"; case .lowerFirst: s = ","; case .lowerAll: s = ",," }
        body = n + s + (p.map(shellText) ?? "")
    }
    return "${" + body + "}"
}

private extension String {
    func replacingAll(_ a: Character, with b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}

// MARK: - The indented outline

/// The tree as an indented outline, one node per line, each with its `line:column`:
///
///     1:1 pipeline
///       1:1 simple: git log --oneline
///         word 1:1 git
///         word 1:5 log
///       1:20 simple: head -n 5
///     …
/// Words show their parts when they are more than plain text (quoting, expansions,
/// substitutions, whose inner commands are outlined in turn).
public func treeDump(_ s: Script) -> String {
    var d = TreeDumper()
    d.script(s, 0)
    return d.out
}

private struct TreeDumper {
    var out = ""

    mutating func line(_ depth: Int, _ text: String) {
        out += String(repeating: "  ", count: depth) + text + "\n"
    }

    mutating func script(_ s: Script, _ depth: Int) {
        for item in s.items {
            let rest = item.andOr.rest
            var d = depth
            if !rest.isEmpty || item.background {
                let ops = rest.map { $0.op == .and ? "&&" : "||" }.joined(separator: " ")
                line(depth, "\(item.pos) and-or list" + (ops.isEmpty ? "" : " (\(ops))") + (item.background ? " in the background (&)" : ""))
                d += 1
            }
            pipeline(item.andOr.first, d)
            for r in rest { pipeline(r.pipeline, d) }
        }
    }

    mutating func pipeline(_ p: Pipeline, _ depth: Int) {
        if p.commands.count == 1 && !p.negated {
            command(p.commands[0], depth)
            return
        }
        line(depth, "\(p.pos) pipeline" + (p.negated ? " (negated: !)" : "") + " of \(p.commands.count)")
        for c in p.commands { command(c, depth + 1) }
    }

    mutating func command(_ c: Command, _ depth: Int) {
        switch c {
        case .simple(let sc):
            line(depth, "\(sc.pos) simple command: \(shellText(c))")
            for a in sc.assignments {
                line(depth + 1, "assignment \(a.pos) \(a.name)\(a.append ? "+=" : "=")")
                word(a.value, depth + 2, label: "value")
            }
            for w in sc.words { word(w, depth + 1, label: "word") }
            for r in sc.redirections { redirection(r, depth + 1) }
        case .compound(let cc, let rs, let pos):
            compound(cc, pos, depth)
            for r in rs { redirection(r, depth + 1) }
        case .function(let f):
            line(depth, "\(f.pos) function \(f.name)")
            command(f.body, depth + 1)
        }
    }

    mutating func section(_ title: String, _ s: Script, _ depth: Int) {
        line(depth, title + ":")
        script(s, depth + 1)
    }

    mutating func compound(_ cc: CompoundCommand, _ pos: Pos, _ depth: Int) {
        switch cc {
        case .brace(let s): section("\(pos) group { }", s, depth)
        case .subshell(let s): section("\(pos) subshell ( )", s, depth)
        case .ifClause(let ic):
            line(depth, "\(pos) if")
            for (k, b) in ic.branches.enumerated() {
                section(k == 0 ? "condition" : "elif condition", b.condition, depth + 1)
                section("then", b.body, depth + 1)
            }
            if let e = ic.elseBody { section("else", e, depth + 1) }
        case .loop(let l):
            line(depth, "\(pos) \(l.until ? "until" : "while") loop")
            section("condition", l.condition, depth + 1)
            section("body", l.body, depth + 1)
        case .forLoop(let f):
            line(depth, "\(pos) for \(f.variable)" + (f.items == nil ? " (over \"$@\")" : " in"))
            for w in f.items ?? [] { word(w, depth + 1, label: "item") }
            section("body", f.body, depth + 1)
        case .arithFor(let f):
            line(depth, "\(pos) for (( ; ; ))")
            for (label, w) in [("initial", f.initial), ("condition", f.condition), ("step", f.step)] {
                if let w { line(depth + 1, "\(label) \(arithText(w))"); substitutions(w, depth + 2) }
            }
            section("body", f.body, depth + 1)
        case .caseClause(let c):
            line(depth, "\(pos) case")
            word(c.subject, depth + 1, label: "subject")
            for it in c.items {
                line(depth + 1, "\(it.pos) pattern \(it.patterns.map(shellText).joined(separator: " | ")) \(terminatorText(it.terminator))")
                script(it.body, depth + 2)
            }
        case .condition(let e):
            line(depth, "\(pos) [[ \(condText(e)) ]]")
            condWords(e, depth + 1)
        case .arithmetic(let w):
            line(depth, "\(pos) (( \(arithText(w)) ))")
            substitutions(w, depth + 1)
        }
    }

    mutating func condWords(_ e: CondExpr, _ depth: Int) {
        switch e {
        case .word(let w), .unary(_, let w): substitutions(w, depth)
        case .binary(_, let a, let b): substitutions(a, depth); substitutions(b, depth)
        case .not(let x), .group(let x): condWords(x, depth)
        case .and(let x, let y), .or(let x, let y): condWords(x, depth); condWords(y, depth)
        }
    }

    mutating func redirection(_ r: Redirection, _ depth: Int) {
        line(depth, "redirection \(r.pos) \(shellText(r))")
        if let h = r.hereDoc {
            line(depth + 1, "here-document" + (h.quoted ? " (quoted delimiter: body taken literally)" : " (body expanded)"))
            word(h.body, depth + 2, label: "body")
        } else {
            parts(r.target, depth + 1)
        }
    }

    /// A word: one line; its parts below it when it is more than plain literal text.
    mutating func word(_ w: Word, _ depth: Int, label: String) {
        line(depth, "\(label) \(w.pos) \(shellText(w))")
        parts(w, depth + 1)
    }

    mutating func parts(_ w: Word, _ depth: Int) {
        if w.literalText != nil { return }
        for p in w.parts { part(p, depth) }
    }

    mutating func part(_ p: WordPart, _ depth: Int) {
        switch p {
        case .literal(let t): line(depth, "literal \(singleQuoted(t))")
        case .quoted(let t): line(depth, "quoted \(singleQuoted(t))")
        case .doubleQuoted(let ps):
            line(depth, "double-quoted")
            for q in ps { part(q, depth + 1) }
        case .param(let pe): line(depth, "parameter \(paramText(pe)) (known only when it runs)")
        case .commandSub(let s, let bq):
            line(depth, "command substitution \(bq ? "`…`" : "$(…)") (its output is known only when it runs)")
            script(s, depth + 1)
        case .arithmetic(let w):
            line(depth, "arithmetic $((\(arithText(w))))")
            substitutions(w, depth + 1)
        case .tilde(let n): line(depth, "tilde ~\(n)")
        }
    }

    /// Only the command substitutions inside a word (for arithmetic and [[ ]] operands).
    mutating func substitutions(_ w: Word, _ depth: Int) {
        for p in w.parts {
            switch p {
            case .commandSub, .doubleQuoted: part(p, depth)
            default: break
            }
        }
    }
}
