import Syntax
import Expand

// Static analysis of a parsed script against the policy, without running anything: every simple
// command in every branch, loop, function, substitution and redirection. Used for the policy's
// own [[test]] examples (and the dry run). Words that need the running shell (variables,
// substitution output) cannot be known: a command whose *name* is not known is denied; one whose
// arguments are partly unknown gets at least `ask` ("depends on values known only when it runs").

public struct Finding: Sendable {
    public var decision: Decision
    /// The command or path as far as it is known, e.g. `git push --force` or `> /etc/passwd`.
    public var what: String
    public var pos: Pos
}

public struct StaticAnalysis {
    public var findings: [Finding] = []
    /// The strongest verdict over all findings (allow when nothing runs).
    public var decision: Decision {
        var d = Decision(.allow, rule: "static", "nothing that needs a decision")
        var first = true
        for f in findings {
            d = first ? f.decision : d.combined(with: f.decision)
            first = false
        }
        return d
    }
}

/// Who will run the command line being analysed.
public enum StaticRunner: Sendable {
    /// aegish: a shell started by the command line (`bash x.sh`, `sh -c "$X"`) is aegish itself,
    /// which checks every command in it when it runs, so text unknown now is decided then.
    case aegish
    /// Another shell (an agent harness's own, behind `aegishctl hook`): what it runs is never
    /// checked again, so a shell whose commands are unknown now is asked about.
    case otherShell
}

/// `environment`: variables the shell would start with (`aegishctl check --env`). `$NAME` is
/// resolved from it only where the script cannot have changed NAME (StaticEnv.swift); everything
/// else stays unknown. `trace`: record every step (the engine's too) for `aegishctl explain`.
public func analyze(_ script: Script, engine: PolicyEngine, cwd: String, home: String?,
                    environment: [String: String] = [:], trace: DecisionTrace? = nil,
                    runner: StaticRunner = .aegish) -> StaticAnalysis {
    var a = Analyzer(engine: engine, cwd: cwd, home: home)
    a.runner = runner
    if !environment.isEmpty {
        a.environment = knownEnvironment(environment, script: script)
        a.given = Set(environment.keys)
    }
    a.trace = trace
    let saved = engine.trace
    engine.trace = trace
    defer { engine.trace = saved }
    a.script(script)
    return a.result
}

/// Builtins that only affect the shell itself (no files, no programs).
private let inertBuiltins: Set<String> = [":", "true", "false", "echo", "printf", "test", "[", "pwd", "export",
    "readonly", "local", "unset", "set", "shift", "exit", "return", "break", "continue", "read", "type",
    "wait", "trap", "umask", "getopts", "let", "kill", "times", "allowed", "hash"]

private struct Analyzer {
    let engine: PolicyEngine
    var cwd: String
    let home: String?
    var result = StaticAnalysis()
    var functions: [String: FunctionDef] = [:]
    var analyzedFunctions: Set<String> = []
    var depth = 0
    /// Variables whose value is known (see `knownEnvironment`).
    var environment: [String: String] = [:]
    /// The names given, known or not (for the explanation of why one is not).
    var given: Set<String> = []
    var trace: DecisionTrace? = nil
    var runner: StaticRunner = .aegish
    /// Loop variables known for the iteration being analysed (forLoop): this shell's own,
    /// never seen by a shell it starts.
    var loopVariables: Set<String> = []

    init(engine: PolicyEngine, cwd: String, home: String?) {
        self.engine = engine; self.cwd = cwd; self.home = home
    }

    mutating func add(_ d: Decision, _ what: String, _ pos: Pos) {
        // A loop's body analysed once per value repeats what does not depend on the value.
        if !loopVariables.isEmpty, result.findings.contains(where: { $0.pos == pos && $0.what == what && $0.decision == d }) {
            return
        }
        result.findings.append(Finding(decision: d, what: what, pos: pos))
        trace?.add(.finding, what, d, pos: pos)
    }

    mutating func script(_ s: Script) {
        for item in s.items {
            pipeline(item.andOr.first)
            for (_, p) in item.andOr.rest { pipeline(p) }
        }
    }

    mutating func pipeline(_ p: Pipeline) {
        for c in p.commands { command(c) }
    }

    mutating func command(_ c: Command) {
        switch c {
        case .simple(let sc): simple(sc)
        case .function(let f):
            functions[f.name] = f
        case .compound(let cc, let redirs, _):
            compound(cc)
            for r in redirs { redirection(r) }
        }
    }

    mutating func compound(_ cc: CompoundCommand) {
        switch cc {
        case .brace(let s), .subshell(let s): script(s)
        case .ifClause(let ic):
            for (c, b) in ic.branches { script(c); script(b) }
            if let e = ic.elseBody { script(e) }
        case .loop(let l): script(l.condition); script(l.body)
        case .forLoop(let f):
            f.items?.forEach { substitutions(in: $0) }
            forLoop(f)
        case .arithFor(let f):
            [f.initial, f.condition, f.step].compactMap { $0 }.forEach { substitutions(in: $0) }
            script(f.body)
        case .caseClause(let c):
            substitutions(in: c.subject)
            for item in c.items { script(item.body) }
        case .condition(let e): condition(e)
        case .arithmetic(let w): substitutions(in: w)
        }
    }

    /// A loop over words known now (`for f in a.txt b.txt`, `for i in {1..10}`) is analysed once
    /// per value with the variable known, so `rm $f` is decided for each file instead of asked
    /// about. Only when nothing can change the variable inside the body (no assignment, `read`,
    /// arithmetic or mention of its name as a word, no `source`, no IFS change: knownEnvironment's
    /// test), no function is defined that could, and at most 64 values, none a glob pattern.
    /// The value is the loop's own, not exported: text a nested shell runs does not see it.
    mutating func forLoop(_ f: ForLoop) {
        var values: [String] = []
        if let items = f.items, functions.isEmpty {
            for w in items {
                guard let fields = staticFields(w), fields.allSatisfy({ !$0.contains(where: { "*?[".contains($0) }) }) else {
                    values = []; break
                }
                values += fields
                if values.count > 64 { values = []; break }
            }
        }
        guard let first = values.first, knownEnvironment([f.variable: first], script: f.body)[f.variable] != nil else {
            script(f.body)
            return
        }
        trace?.add(.expansion, "for \(f.variable) in …", note: "\(values.count) known value\(values.count == 1 ? "" : "s"): the body is decided for each", pos: f.pos)
        let saved = environment[f.variable]
        loopVariables.insert(f.variable)
        for v in values {
            environment[f.variable] = v
            script(f.body)
        }
        loopVariables.remove(f.variable)
        environment[f.variable] = saved
    }

    mutating func condition(_ e: CondExpr) {
        switch e {
        case .word(let w), .unary(_, let w): substitutions(in: w)
        case .binary(_, let a, let b): substitutions(in: a); substitutions(in: b)
        case .not(let x), .group(let x): condition(x)
        case .and(let x, let y), .or(let x, let y): condition(x); condition(y)
        }
    }

    mutating func simple(_ sc: SimpleCommand) {
        for a in sc.assignments { substitutions(in: a.value) }
        for w in sc.words { substitutions(in: w) }
        for r in sc.redirections { redirection(r) }
        guard !sc.words.isEmpty else { return }
        if let trace {
            trace.add(.command, shellText(.simple(sc)), pos: sc.pos)
            for a in sc.assignments {
                trace.add(.expansion, a.name + "=" + shellText(a.value),
                          note: staticFields(a.value).map { "= " + $0.joined(separator: " ") } ?? "value known only when it runs")
            }
            // Plain words expand to themselves: only the others are worth a line.
            for w in sc.words where w.literalText == nil || (w.literalText ?? "").contains(where: { "{*?[".contains($0) }) {
                trace.add(.expansion, shellText(w), note: expansionNote(w))
            }
        }
        var argv: [String] = []
        var unknownArgs = false
        for (i, w) in sc.words.enumerated() {
            if let fields = staticFields(w) {
                argv.append(contentsOf: fields)
            } else if i == 0 {
                add(Decision(.deny, rule: "static", "the command name comes from a value known only when it runs"),
                    describe(sc.words), sc.pos)
                return
            } else {
                unknownArgs = true
            }
        }
        guard let name = argv.first else { return }
        let what = argv.joined(separator: " ")
        if let f = functions[name] {
            if !analyzedFunctions.contains(name) {
                analyzedFunctions.insert(name)
                command(f.body)
            }
            return
        }
        switch name {
        case "cd":
            if let dir = argv.dropFirst().first(where: { !$0.hasPrefix("-") }) {
                add(engine.decideOpen(dir, access: .read, cwd: cwd), what, sc.pos)
                if !unknownArgs && dir.hasPrefix("/") { cwd = dir }
            }
            return
        case "source", ".":
            if argv.count > 1 { add(engine.decideOpen(argv[1], access: .read, cwd: cwd), what, sc.pos) }
            return
        case "eval":
            if unknownArgs {
                add(Decision(.deny, rule: "static", "eval of a value known only when it runs"), what, sc.pos)
            } else {
                nested(argv.dropFirst().joined(separator: " "), what: what, pos: sc.pos)
            }
            return
        case "exec", "command":
            // `command -v X` / `-V` only looks X up.
            if name == "command" && argv.dropFirst().prefix(while: { $0.hasPrefix("-") }).contains(where: { $0.contains("v") || $0.contains("V") }) {
                return
            }
            let rest = Array(argv.dropFirst().drop(while: { $0.hasPrefix("-") }))
            if !rest.isEmpty { run(rest, unknownArgs: unknownArgs, assigned: sc.assignments.map(\.name), pos: sc.pos) }
            return
        default:
            if inertBuiltins.contains(name) { return }
        }
        if shellProgramNames.contains(basename(name)) || basename(name) == "aegish" {
            // aegish runs `sh -c TEXT` itself: analyse TEXT.
            if let i = argv.firstIndex(of: "-c"), i + 1 < argv.count, !unknownArgs {
                nested(argv[i + 1], what: what, pos: sc.pos)
            } else if let file = argv.dropFirst().first(where: { !$0.hasPrefix("-") }), !unknownArgs,
                      let text = readSmallTextFile(canonicalPath(file, cwd: cwd)) {
                // `bash script.sh`: aegish runs the file itself, so its commands are what counts.
                add(engine.decideOpen(file, access: .read, cwd: cwd), what, sc.pos)
                nested(text, what: what, pos: sc.pos)
            } else if !unknownArgs, argv.dropFirst().allSatisfy({ $0.hasPrefix("-") }), let text = stdinText(sc.redirections) {
                // `bash <<EOF … EOF`: the shell reads its commands from a here-document known now.
                nested(text, what: what, pos: sc.pos)
            } else if runner == .aegish {
                // Still decided now: reading the script file, when its name is known.
                if let file = argv.dropFirst().first(where: { !$0.hasPrefix("-") }), !unknownArgs {
                    add(engine.decideOpen(file, access: .read, cwd: cwd), what, sc.pos)
                }
                add(Decision(.allow, rule: "static", "a shell whose commands are known only when it runs: aegish runs "
                             + "it itself and checks each of its commands then"), what, sc.pos)
            } else {
                add(Decision(.ask, rule: "static", "a shell whose commands are known only when it runs"), what, sc.pos)
            }
            return
        }
        run(argv, unknownArgs: unknownArgs, assigned: sc.assignments.map(\.name), pos: sc.pos)
    }

    mutating func run(_ argv: [String], unknownArgs: Bool, assigned: [String], pos: Pos) {
        var d = engine.decideExec(argv: argv, path: nil, cwd: cwd, assigned: assigned)
        if unknownArgs && d.verdict == .allow {
            d = Decision(.ask, rule: d.ruleID, "\(argv[0]): some arguments are known only when it runs")
        }
        add(d, argv.joined(separator: " "), pos)
    }

    mutating func nested(_ text: String, what: String, pos: Pos) {
        guard depth < 8 else {
            add(Decision(.deny, rule: "static", "nested too deeply"), what, pos)
            return
        }
        do {
            let s = try parseCompleteInput(text).script
            // A file's text was not part of the scan for assignments: drop what it may change.
            // A loop variable is not exported: the nested shell does not have it at all.
            let loopValues = environment.filter { loopVariables.contains($0.key) }
            environment = knownEnvironment(environment.filter { !loopVariables.contains($0.key) }, script: s)
            defer { environment.merge(loopValues) { _, mine in mine } }   // its own shell's, unchanged
            depth += 1
            trace?.add(.command, what, note: "runs this text as shell commands, analysed in turn", pos: pos)
            trace?.baseDepth += 1
            script(s)
            trace?.baseDepth -= 1
            depth -= 1
        } catch {
            add(Decision(.deny, rule: "static", "does not parse: \(error)"), what, pos)
        }
    }

    mutating func redirection(_ r: Redirection) {
        if let hd = r.hereDoc { substitutions(in: hd.body) }
        substitutions(in: r.target)
        let access: Access
        switch r.op {
        case .input: access = .read
        case .output, .clobber, .append, .readWrite, .outputBoth, .appendBoth: access = .write
        case .dupOutput:
            if let t = staticFields(r.target)?.first, r.fd == nil, Int(t) == nil, t != "-" { access = .write } else { return }
        case .dupInput, .hereDoc, .hereDocStrip, .hereString: return
        }
        trace?.add(.command, shellText(r), pos: r.pos)
        guard let fields = staticFields(r.target), fields.count == 1 else {
            add(Decision(.ask, rule: "static", "redirection to a file named only when it runs"), "redirection", r.pos)
            return
        }
        add(engine.decideOpen(fields[0], access: access, cwd: cwd), (access == .read ? "< " : "> ") + fields[0], r.pos)
    }

    /// Command substitutions anywhere in a word are programs too.
    mutating func substitutions(in w: Word) {
        for p in w.parts { part(p) }
    }

    mutating func part(_ p: WordPart) {
        switch p {
        case .commandSub(let s, _): script(s)
        case .doubleQuoted(let inner): inner.forEach { part($0) }
        case .arithmetic(let w): substitutions(in: w)
        case .param(let pe):
            switch pe.op {
            case .useDefault(let w, _), .assignDefault(let w, _), .useAlternative(let w, _),
                 .removePrefix(let w, _), .removeSuffix(let w, _):
                substitutions(in: w)
            case .errorIfUnset(let w, _): if let w = w { substitutions(in: w) }
            case .replace(let a, let b, _): substitutions(in: a); if let b = b { substitutions(in: b) }
            case .substring(let a, let b): substitutions(in: a); if let b = b { substitutions(in: b) }
            case .caseChange(_, let w): if let w = w { substitutions(in: w) }
            case .none, .length: break
            }
        case .literal, .quoted, .tilde: break
        }
    }

    /// What a command reads on standard input when that is a here-document or here-string whose
    /// text is known now (the last redirection of descriptor 0 wins, as when it runs).
    func stdinText(_ redirections: [Redirection]) -> String? {
        let toStdin: [RedirOp] = [.input, .readWrite, .dupInput, .hereDoc, .hereDocStrip, .hereString]
        guard let r = redirections.last(where: { ($0.fd ?? 0) == 0 && toStdin.contains($0.op) }) else { return nil }
        switch r.op {
        case .hereDoc, .hereDocStrip:
            return r.hereDoc.flatMap { quotedText($0.body.parts) }
        case .hereString:
            return staticFields(r.target).flatMap { $0.count == 1 ? $0[0] + "\n" : nil }
        default:
            return nil
        }
    }

    /// The text of parts that are expanded but neither split nor globbed (inside "…", a
    /// here-document's body), if it can be known now: `$NAME` gives its value exactly.
    func quotedText(_ parts: [WordPart]) -> String? {
        var text = ""
        for p in parts {
            switch p {
            case .quoted(let t), .literal(let t): text += t
            case .param(let pe):
                guard let v = knownValue(pe) else { return nil }
                text += v
            default: return nil
            }
        }
        return text
    }

    /// The fields of a word if they can be known without running anything; nil otherwise.
    func staticFields(_ w: Word) -> [String]? {
        var text = ""
        var hasBraces = false
        for p in w.parts {
            switch p {
            case .literal(let t): text += t; if t.contains("{") { hasBraces = true }
            case .quoted(let t): text += t
            case .tilde(let name):
                guard let h = expandTilde(name, home: home) else { return nil }
                text += h
            case .doubleQuoted(let inner):
                guard let t = quotedText(inner) else { return nil }
                text += t
            case .param(let pe):
                // Unquoted: split and globbed when it runs; known only when that changes nothing.
                guard let v = knownValue(pe), !v.isEmpty,
                      !v.contains(where: { " \t\n*?[".contains($0) }) else { return nil }
                text += v
            default: return nil
            }
        }
        if hasBraces, let variants = try? expandBraces(w.parts), variants.count > 1 {
            return variants.compactMap { staticFields(Word(parts: $0, pos: w.pos))?.first }
        }
        return [text]
    }

    /// `$NAME` / `${NAME}` whose value is known from the given environment.
    func knownValue(_ pe: ParamExp) -> String? {
        guard case .none = pe.op else { return nil }
        return environment[pe.name]
    }

    /// For the trace: what a word gives without running anything.
    func expansionNote(_ w: Word) -> String {
        guard let fields = staticFields(w) else {
            return "known only when it runs (" + unknownParts(w).joined(separator: ", ") + ")"
        }
        if fields.count == 1 && fields[0] == shellText(w) { return "literal" }
        return "→ " + fields.map { $0.isEmpty || $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    func unknownParts(_ w: Word) -> [String] {
        var out: [String] = []
        func visit(_ p: WordPart) {
            switch p {
            case .param(let pe):
                if case .none = pe.op {} else { out.append("${\(pe.name)…} is not evaluated without running"); return }
                if knownValue(pe) != nil { out.append("$\(pe.name) would be split or globbed"); return }
                out.append("$\(pe.name) " + (given.contains(pe.name) ? "may be changed by the script (or is the shell's own)"
                                                                    : "is a variable (--env gives its value)"))
            case .commandSub: out.append("a command substitution's output")
            case .arithmetic: out.append("an arithmetic expansion")
            case .tilde(let n): out.append("~\(n) has no known home")
            case .doubleQuoted(let inner): inner.forEach(visit)
            case .literal, .quoted: break
            }
        }
        w.parts.forEach(visit)
        return out.isEmpty ? ["brace expansion"] : out
    }

    func describe(_ words: [Word]) -> String {
        words.map { w in staticFields(w)?.joined(separator: " ") ?? "…" }.joined(separator: " ")
    }
}
