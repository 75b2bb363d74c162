// A compact, readable rendering of the AST, used to write table-driven tests.
@testable import Syntax

func dump(_ s: Script) -> String {
    s.items.map { dump($0.andOr) + ($0.background ? " &" : "") }.joined(separator: "; ")
}

func dump(_ a: AndOr) -> String {
    var out = dump(a.first)
    for r in a.rest { out += (r.op == .and ? " && " : " || ") + dump(r.pipeline) }
    return out
}

func dump(_ p: Pipeline) -> String {
    var out = p.negated ? "! " : ""
    for (k, c) in p.commands.enumerated() {
        if k > 0 { out += p.stderrToo[k - 1] ? " |& " : " | " }
        out += dump(c)
    }
    return out
}

func dump(_ c: Command) -> String {
    switch c {
    case .simple(let sc):
        var parts: [String] = sc.assignments.map { "@\($0.name)\($0.append ? "+=" : "=")\(dump($0.value))" }
        parts += sc.words.map(dump)
        parts += sc.redirections.map(dump)
        return "cmd(" + parts.joined(separator: " ") + ")"
    case .compound(let cc, let rs, _):
        return dump(cc) + rs.map { " " + dump($0) }.joined()
    case .function(let f):
        return "fn \(f.name) " + dump(f.body)
    }
}

func dump(_ cc: CompoundCommand) -> String {
    switch cc {
    case .brace(let s): return "{ \(dump(s)) }"
    case .subshell(let s): return "( \(dump(s)) )"
    case .ifClause(let ic):
        var out = "if "
        for (k, b) in ic.branches.enumerated() {
            out += (k > 0 ? " elif " : "") + dump(b.condition) + " then " + dump(b.body)
        }
        if let e = ic.elseBody { out += " else " + dump(e) }
        return out + " fi"
    case .loop(let l): return (l.until ? "until " : "while ") + dump(l.condition) + " do " + dump(l.body) + " done"
    case .arithFor(let f):
        return "for ((" + [f.initial, f.condition, f.step].map { $0.map(dump) ?? "" }.joined(separator: ";") + ")) do " + dump(f.body) + " done"
    case .forLoop(let f):
        let items = f.items.map { " in [" + $0.map(dump).joined(separator: " ") + "]" } ?? ""
        return "for \(f.variable)\(items) do \(dump(f.body)) done"
    case .caseClause(let c):
        var out = "case \(dump(c.subject)) in"
        for it in c.items {
            let t: String
            switch it.terminator { case .breakOut: t = ";;"; case .fallThrough: t = ";&"; case .testNext: t = ";;&" }
            out += " " + it.patterns.map(dump).joined(separator: "|") + ") " + dump(it.body) + " " + t
        }
        return out + " esac"
    case .condition(let e): return "[[ \(dump(e)) ]]"
    case .arithmetic(let w): return "((\(dump(w))))"
    }
}

func dump(_ e: CondExpr) -> String {
    switch e {
    case .word(let w): return dump(w)
    case .unary(let op, let w): return "(\(op.rawValue) \(dump(w)))"
    case .binary(let op, let a, let b): return "(\(dump(a)) \(op.rawValue) \(dump(b)))"
    case .not(let x): return "(! \(dump(x)))"
    case .and(let a, let b): return "(\(dump(a)) && \(dump(b)))"
    case .or(let a, let b): return "(\(dump(a)) || \(dump(b)))"
    case .group(let x): return "(group \(dump(x)))"
    }
}

func dump(_ r: Redirection) -> String {
    let op: String
    switch r.op {
    case .input: op = "<"
    case .output: op = ">"
    case .append: op = ">>"
    case .clobber: op = ">|"
    case .readWrite: op = "<>"
    case .dupInput: op = "<&"
    case .dupOutput: op = ">&"
    case .hereDoc: op = "<<"
    case .hereDocStrip: op = "<<-"
    case .hereString: op = "<<<"
    case .outputBoth: op = "&>"
    case .appendBoth: op = "&>>"
    }
    var out = (r.fd.map(String.init) ?? "") + op + dump(r.target)
    if let h = r.hereDoc { out += (h.quoted ? "[Q:" : "[") + dump(h.body) + "]" }
    return out
}

func dump(_ w: Word) -> String { w.parts.map(dump).joined() }

func dump(_ p: WordPart) -> String {
    switch p {
    case .literal(let t): return t
    case .quoted(let t): return "'\(t)'"
    case .doubleQuoted(let ps): return "\"" + ps.map(dump).joined() + "\""
    case .param(let pe): return dump(pe)
    case .commandSub(let s, let bq): return bq ? "`\(dump(s))`" : "$(\(dump(s)))"
    case .arithmetic(let w): return "$((\(dump(w))))"
    case .tilde(let n): return "~{\(n)}"
    }
}

func dump(_ pe: ParamExp) -> String {
    if !pe.braced { return "$" + pe.name }
    let n = pe.name
    let body: String
    switch pe.op {
    case .none: body = n
    case .length: body = "#" + n
    case .useDefault(let w, let c): body = n + (c ? ":" : "") + "-" + dump(w)
    case .assignDefault(let w, let c): body = n + (c ? ":" : "") + "=" + dump(w)
    case .errorIfUnset(let w, let c): body = n + (c ? ":" : "") + "?" + (w.map(dump) ?? "")
    case .useAlternative(let w, let c): body = n + (c ? ":" : "") + "+" + dump(w)
    case .removeSuffix(let w, let l): body = n + (l ? "%%" : "%") + dump(w)
    case .removePrefix(let w, let l): body = n + (l ? "##" : "#") + dump(w)
    case .replace(let p, let r, let a):
        let ac: String
        switch a { case .first: ac = "/"; case .all: ac = "//"; case .prefix: ac = "/#"; case .suffix: ac = "/%" }
        body = n + ac + dump(p) + (r.map { "/" + dump($0) } ?? "")
    case .substring(let o, let l): body = n + ":" + dump(o) + (l.map { ":" + dump($0) } ?? "")
    case .caseChange(let cc, let p):
        let s: String
        switch cc { case .upperFirst: s = "^"; case .upperAll: s = "^^"; case .lowerFirst: s = ","; case .lowerAll: s = ",," }
        body = n + s + (p.map(dump) ?? "")
    }
    return "${" + body + "}"
}
