import Syntax

// Which environment variables the static analysis may treat as known (`aegishctl check --env`).
//
// The shell starts with the environment it is given, but a script can change any variable before
// using it, and the analysis does not run the script. So a variable counts as known only when
// nothing in the script could change it: no assignment, `for NAME`, `read NAME`, `export NAME=…`,
// `${NAME:=…}`, arithmetic, eval or nested `sh -c` text mentioning it. The scan looks at all the
// text of the script, quoted or not, and treats any mention of `NAME=`, `NAME+=`, a word that is
// exactly `NAME` (or a word NAME inside longer text), or NAME anywhere inside arithmetic as a change: it may call a variable changed
// that is not (the analysis then says "known only when it runs", the conservative answer), never
// the reverse. `source`/`.` reads text the scan cannot see: with either, nothing is known. The
// shell's own variables (PWD, OLDPWD, RANDOM, …) are never taken from the environment.

/// Variables the shell maintains itself, whatever the environment says.
let shellManagedVariables: Set<String> = ["PWD", "OLDPWD", "RANDOM", "LINENO", "SECONDS", "PPID", "SHLVL",
                                          "OPTIND", "OPTARG", "REPLY", "BASHPID", "IFS", "_", "PS4"]

/// `environment` without the variables `script` might change.
func knownEnvironment(_ environment: [String: String], script: Script) -> [String: String] {
    var scan = AssignmentScan()
    scan.script(script)
    // `IFS=/` would change how an unquoted value splits: then nothing is taken as known.
    if scan.readsOtherText || scan.mayChange("IFS") { return [:] }
    return environment.filter { name, _ in
        isVariableName(name) && !shellManagedVariables.contains(name) && !scan.mayChange(name)
    }
}

func isVariableName(_ s: String) -> Bool {
    guard let f = s.unicodeScalars.first, f == "_" || (f.isASCII && f.properties.isAlphabetic) else { return false }
    return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
}

private struct AssignmentScan {
    /// Every piece of text in the script (literal and quoted parts, here-document bodies).
    var texts: [String] = []
    /// Arithmetic text, where any name may be assigned (`x++`, `x=1`).
    var arithmetic: [String] = []
    /// Names assigned by syntax: `NAME=…` prefixes, `for NAME`, `${NAME=…}`.
    var assigned: Set<String> = []
    var readsOtherText = false

    func mayChange(_ name: String) -> Bool {
        if assigned.contains(name) { return true }
        if arithmetic.contains(where: { $0.contains(name) }) { return true }
        for t in texts {
            if t == name || assigns(t, name) { return true }
            // `read -r NAME`, `export NAME` inside a longer quoted text (eval 'read NAME').
            if t.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).contains(where: { $0 == name }) {
                return true
            }
        }
        return false
    }

    mutating func script(_ s: Script) {
        for item in s.items {
            pipeline(item.andOr.first)
            for r in item.andOr.rest { pipeline(r.pipeline) }
        }
    }

    mutating func pipeline(_ p: Pipeline) { p.commands.forEach { command($0) } }

    mutating func command(_ c: Command) {
        switch c {
        case .simple(let sc):
            for a in sc.assignments { assigned.insert(a.name); word(a.value) }
            if let first = sc.words.first?.literalText, first == "source" || first == "." { readsOtherText = true }
            sc.words.forEach { word($0) }
            sc.redirections.forEach { redirection($0) }
        case .compound(let cc, let rs, _):
            compound(cc)
            rs.forEach { redirection($0) }
        case .function(let f):
            command(f.body)
        }
    }

    mutating func compound(_ cc: CompoundCommand) {
        switch cc {
        case .brace(let s), .subshell(let s): script(s)
        case .ifClause(let ic):
            for b in ic.branches { script(b.condition); script(b.body) }
            if let e = ic.elseBody { script(e) }
        case .loop(let l): script(l.condition); script(l.body)
        case .forLoop(let f):
            assigned.insert(f.variable)
            f.items?.forEach { word($0) }
            script(f.body)
        case .arithFor(let f):
            for w in [f.initial, f.condition, f.step].compactMap({ $0 }) { arithmetic.append(shellText(w)); word(w) }
            script(f.body)
        case .caseClause(let c):
            word(c.subject)
            for it in c.items { it.patterns.forEach { word($0) }; script(it.body) }
        case .condition(let e): condition(e)
        case .arithmetic(let w): arithmetic.append(shellText(w)); word(w)
        }
    }

    mutating func condition(_ e: CondExpr) {
        switch e {
        case .word(let w), .unary(_, let w): word(w)
        case .binary(_, let a, let b): word(a); word(b)
        case .not(let x), .group(let x): condition(x)
        case .and(let x, let y), .or(let x, let y): condition(x); condition(y)
        }
    }

    mutating func redirection(_ r: Redirection) {
        word(r.target)
        if let h = r.hereDoc { word(h.body) }
    }

    mutating func word(_ w: Word) {
        texts.append(w.parts.compactMap { p -> String? in
            switch p { case .literal(let t), .quoted(let t): return t; default: return nil }
        }.joined())
        w.parts.forEach { part($0) }
    }

    mutating func part(_ p: WordPart) {
        switch p {
        case .literal(let t), .quoted(let t): texts.append(t)
        case .doubleQuoted(let inner): inner.forEach { part($0) }
        case .commandSub(let s, _): script(s)
        case .arithmetic(let w): arithmetic.append(shellText(w)); word(w)
        case .tilde: break
        case .param(let pe):
            switch pe.op {
            case .assignDefault(let w, _): assigned.insert(pe.name); word(w)
            case .useDefault(let w, _), .useAlternative(let w, _), .removePrefix(let w, _), .removeSuffix(let w, _):
                word(w)
            case .errorIfUnset(let w, _): if let w { word(w) }
            case .replace(let a, let b, _): word(a); if let b { word(b) }
            case .substring(let a, let b): arithmetic.append(shellText(a)); word(a); if let b { arithmetic.append(shellText(b)); word(b) }
            case .caseChange(_, let w): if let w { word(w) }
            case .none, .length: break
            }
        }
    }
}

/// Does `text` contain `NAME=` or `NAME+=` with NAME not the tail of a longer name (`DD=1` is not
/// an assignment to D)?
private func assigns(_ text: String, _ name: String) -> Bool {
    let t = Array(text.unicodeScalars), n = Array(name.unicodeScalars)
    guard t.count > n.count else { return false }
    func isNameChar(_ u: Unicode.Scalar) -> Bool { u == "_" || (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u))) }
    var i = 0
    while i + n.count < t.count {
        if Array(t[i..<(i + n.count)]) == n && (i == 0 || !isNameChar(t[i - 1])) {
            let next = t[i + n.count]
            if next == "=" || (next == "+" && i + n.count + 1 < t.count && t[i + n.count + 1] == "=") { return true }
        }
        i += 1
    }
    return false
}
