import Glibc
import CSys
import Syntax

// Builtins that steer execution: exit, return, break, continue, eval, source, command, type,
// exec, wait, trap, kill.

func builtinExit(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var status = sh.lastStatus
    if argv.count > 1 {
        guard let n = Int(argv[1]) else {
            sh.warnAt("exit: \(argv[1]): numeric argument required")
            throw Flow.exit(2)
        }
        status = Int32(truncatingIfNeeded: n & 0xff)
    }
    throw Flow.exit(status)
}

func builtinReturn(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard sh.functionDepth > 0 || sh.sourceDepth > 0 else {
        return sh.builtinError("return", "can only `return' from a function or sourced script")
    }
    var status = sh.lastStatus
    if argv.count > 1 {
        guard let n = Int(argv[1]) else {
            return sh.builtinError("return", "\(argv[1]): numeric argument required", status: 2)
        }
        status = Int32(truncatingIfNeeded: n & 0xff)
    }
    throw Flow.returnFrom(status)
}

extension Shell {
    func loopControl(_ argv: [String], isBreak: Bool) throws -> Int32 {
        var n = 1
        if argv.count > 1 {
            guard let v = Int(argv[1]), v >= 1 else {
                return builtinError(argv[0], "\(argv[1]): loop count out of range")
            }
            n = v
        }
        guard loopDepth > 0 else { return 0 }
        n = min(n, loopDepth)
        throw isBreak ? Flow.breakLoop(n) : Flow.continueLoop(n)
    }
}

func builtinEval(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    let text = argv.dropFirst().joined(separator: " ")
    if text.isEmpty { return 0 }
    let script: Script
    do { script = try sh.parseForEval(text) } catch let e as ShellError {
        sh.warnAt("eval: " + e.message)
        return 2
    }
    try sh.withSource(text) { try sh.runScript(script) }
    return sh.lastStatus
}

func builtinSource(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard argv.count > 1 else { return sh.builtinError(argv[0], "filename argument required", status: 2) }
    let name = argv[1]
    var path: String? = nil
    if name.contains("/") {
        path = absolutePath(name, cwd: sh.cwd)
    } else {
        // Like bash: search PATH for a readable file, then the current directory.
        for dir in (sh.vars.value("PATH") ?? "").split(separator: ":") {
            let c = absolutePath(String(dir) + "/" + name, cwd: sh.cwd)
            if Sys.exists(c) && !Sys.isDirectory(c) { path = c; break }
        }
        if path == nil { path = absolutePath(name, cwd: sh.cwd) }
    }
    let request = sh.gateRequest(.source, path: path!)
    if let refusal = sh.refusal(for: request, what: "source \(name)") { return refusal }
    let bytes: [UInt8]
    switch Sys.readFile(path!) {
    case .success(let b): bytes = b
    case .failure(let e): return sh.builtinError(argv[0], "\(name): \(Sys.errorString(e.code))")
    }
    let script: Script
    let text = String(decoding: bytes, as: UTF8.self)
    do { script = try parseSource(text) } catch let e as ParseError {
        sh.warn("\(name): \(e)")
        return 2
    }
    let savedPositional = sh.positional
    if argv.count > 2 { sh.positional = Array(argv.dropFirst(2)) }
    sh.sourceDepth += 1
    defer {
        sh.sourceDepth -= 1
        if argv.count > 2 { sh.positional = savedPositional }
    }
    do {
        try sh.withSource(text) { try sh.runScript(script) }
    } catch Flow.returnFrom(let s) where sh.functionDepth == 0 || true {
        return s
    }
    return sh.lastStatus
}

func builtinCommand(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    var describe: Character? = nil
    while let a = args.first, a.hasPrefix("-"), a.count > 1 {
        args.removeFirst()
        if a == "--" { break }
        for c in a.dropFirst() {
            switch c {
            case "v", "V": describe = c
            case "p": break
            default: return sh.builtinError("command", "-\(c): invalid option", status: 2)
            }
        }
    }
    guard let name = args.first else { return 0 }
    if let d = describe {
        var status: Int32 = 0
        for n in args {
            if let line = sh.describeCommand(n, verbose: d == "V") { sh.out(line + "\n") } else {
                if d == "V" { sh.warnAt("command: \(n): not found") }
                status = 1
            }
        }
        return status
    }
    // Run, skipping functions.
    if let b = builtins[name] { return try b(sh, args) }
    return try sh.runExternal(args, assignments: [], pos: Pos(line: sh.currentLine, column: 0))
}

extension Shell {
    /// `command -v` / `-V` and `type` output for one name; nil if not found.
    func describeCommand(_ name: String, verbose: Bool) -> String? {
        if reservedWords.contains(name) { return verbose ? "\(name) is a shell keyword" : name }
        if functions[name] != nil { return verbose ? "\(name) is a function" : name }
        if builtins[name] != nil { return verbose ? "\(name) is a shell builtin" : name }
        if let p = resolveCommand(name), Sys.isExecutableFile(p) { return verbose ? "\(name) is \(p)" : p }
        return nil
    }
}

let reservedWords: Set<String> = ["if", "then", "else", "elif", "fi", "case", "esac", "for", "while",
                                  "until", "do", "done", "in", "function", "{", "}", "!", "[[", "]]"]

func builtinType(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    var terse = false, pathOnly = false
    while let a = args.first, a.hasPrefix("-"), a.count > 1 {
        args.removeFirst()
        if a == "--" { break }
        if a.contains("t") { terse = true }
        if a.contains("p") || a.contains("P") { pathOnly = true }
    }
    var status: Int32 = 0
    for n in args {
        if terse {
            if reservedWords.contains(n) { sh.out("keyword\n") } else if sh.functions[n] != nil { sh.out("function\n") } else if builtins[n] != nil { sh.out("builtin\n") } else if sh.resolveCommand(n).map(Sys.isExecutableFile) == true { sh.out("file\n") } else { status = 1 }
            continue
        }
        if pathOnly {
            if let p = sh.resolveCommand(n), Sys.isExecutableFile(p) { sh.out(p + "\n") } else { status = 1 }
            continue
        }
        if let line = sh.describeCommand(n, verbose: true) { sh.out(line + "\n") } else {
            sh.warnAt("type: \(n): not found")
            status = 1
        }
    }
    return status
}

func builtinExec(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    // Redirections were applied by the caller; with no command they must stay in effect, which
    // the caller arranges by not restoring them (see Simple.swift: exec is handled there too).
    guard argv.count > 1 else { return 0 }
    let args = Array(argv.dropFirst())
    // aegish never replaces itself with an unchecked program: the command goes through the same
    // gate, replaces the shell only where a last command would (TailExec.swift), and otherwise
    // runs as a child, the shell then exiting with its status.
    let status: Int32
    if let b = builtins[args[0]] { status = try b(sh, args) } else {
        status = try sh.runExternal(args, assignments: [], pos: Pos(line: sh.currentLine, column: 0),
                                    tail: sh.mayExecInPlace)
    }
    throw Flow.exit(status)
}

func builtinWait(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    let args = argv.dropFirst()
    if args.isEmpty {
        for i in sh.jobs.indices where sh.jobs[i].status == nil {
            sh.jobs[i].status = sh.waitForeground(sh.jobs[i].pid)
        }
        sh.jobs.removeAll()
        return 0
    }
    var status: Int32 = 0
    for a in args {
        guard let pid = pid_t(a) else {
            status = sh.builtinError("wait", "`\(a)': not a pid or valid job spec", status: 2)
            continue
        }
        if let i = sh.jobs.firstIndex(where: { $0.pid == pid }) {
            status = sh.jobs[i].status ?? sh.waitForeground(pid)
            sh.jobs.remove(at: i)
        } else {
            status = sh.builtinError("wait", "pid \(pid) is not a child of this shell", status: 127)
        }
    }
    return status
}

private let signalNames: [(String, Int32)] = [
    ("EXIT", 0), ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("KILL", SIGKILL), ("USR1", SIGUSR1),
    ("USR2", SIGUSR2), ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM), ("CHLD", SIGCHLD),
    ("CONT", SIGCONT), ("STOP", SIGSTOP), ("TSTP", SIGTSTP),
]

func signalNumber(_ s: String) -> Int32? {
    if let n = Int32(s) { return n >= 0 && n < 65 ? n : nil }
    var name = s.uppercased()
    if name.hasPrefix("SIG") { name.removeFirst(3) }
    return signalNames.first { $0.0 == name }?.1
}

func signalName(_ n: Int32) -> String { signalNames.first { $0.1 == n }.map { $0.0 } ?? String(n) }

func builtinTrap(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    if args.first == "--" { args.removeFirst() }
    if args.isEmpty || args == ["-p"] {
        for (sig, action) in sh.traps.sorted(by: { $0.key < $1.key }) {
            let name = sig == 0 ? "EXIT" : "SIG" + signalName(sig)
            sh.out("trap -- \(singleQuote(action)) \(name)\n")
        }
        return 0
    }
    var action: String? = args.removeFirst()
    if signalNumber(action!) != nil && args.isEmpty {
        // `trap SIG`: reset SIG.
        args = [action!]
        action = nil
    }
    if action == "-" { action = nil }
    var status: Int32 = 0
    for s in args {
        guard let sig = signalNumber(s), sig != SIGKILL, sig != SIGSTOP else {
            status = sh.builtinError("trap", "\(s): invalid signal specification")
            continue
        }
        sh.setTrap(sig, action)
    }
    return status
}

extension Shell {
    func setTrap(_ sig: Int32, _ action: String?) {
        traps[sig] = action
        guard sig != 0 else { return }
        if let a = action {
            if a.isEmpty { aegish_signal_ignore(sig) } else { aegish_signal_catch(sig) }
        } else if isInteractive && interactiveIgnoredSignals.contains(sig) {
            aegish_signal_ignore(sig)   // what an interactive shell does with it (TopLevel.swift)
        } else if sig == SIGTERM || sig == SIGHUP || (isInteractive && sig == SIGINT) {
            aegish_signal_catch(sig)   // back to aegish's own forwarding handler
        } else {
            aegish_signal_default(sig)
        }
    }
}

func builtinKill(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    var sig = SIGTERM
    if let a = args.first, a == "-l" {
        sh.out(signalNames.dropFirst().map { $0.0 }.joined(separator: " ") + "\n")
        return 0
    }
    if let a = args.first, a.hasPrefix("-"), a != "--" {
        args.removeFirst()
        var spec = String(a.dropFirst())
        if spec == "s", let n = args.first { spec = n; args.removeFirst() }
        guard let n = signalNumber(spec) else { return sh.builtinError("kill", "\(spec): invalid signal specification") }
        sig = n
    }
    if args.first == "--" { args.removeFirst() }
    guard !args.isEmpty else { return sh.builtinError("kill", "usage: kill [-s sigspec | -signum] pid ...", status: 2) }
    var status: Int32 = 0
    for a in args {
        guard let pid = pid_t(a) else {
            status = sh.builtinError("kill", "\(a): arguments must be process or job IDs")
            continue
        }
        if kill(pid, sig) != 0 {
            status = sh.builtinError("kill", "(\(pid)) - \(Sys.errorString(errno))")
        }
    }
    // A signal to ourselves must take effect before the next command.
    try sh.checkSignals()
    return status
}

func builtinTimes(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var u = 0.0, s = 0.0, cu = 0.0, cs = 0.0
    _ = aegish_times(&u, &s, &cu, &cs)
    func f(_ t: Double) -> String {
        let m = Int(t / 60), rest = t - Double(m * 60)
        let ms = Int((rest * 1000).rounded())
        return "\(m)m\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)s"
    }
    sh.out("\(f(u)) \(f(s))\n\(f(cu)) \(f(cs))\n")
    return 0
}

func builtinPrintf(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    let (varName, rest) = parsePrintfVarOption(Array(argv.dropFirst()))
    if let v = varName, !isValidName(v) { return sh.builtinError("printf", "`\(v)': not a valid identifier", status: 2) }
    let r = runPrintf(rest)
    if let v = varName {
        try sh.setVar(v, String(decoding: r.stdout, as: UTF8.self))
        return sh.emit(BuiltinResult(stdout: [], stderr: r.stderr, status: r.status))
    }
    return sh.emit(r)
}

func builtinUmask(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    var symbolic = false
    if args.first == "-S" { symbolic = true; args.removeFirst() }
    let current = umask(0)
    umask(current)
    guard let spec = args.first else {
        if symbolic {
            func perms(_ bits: mode_t) -> String {
                var s = ""
                if bits & 4 == 0 { s += "r" }
                if bits & 2 == 0 { s += "w" }
                if bits & 1 == 0 { s += "x" }
                return s
            }
            sh.out("u=\(perms((current >> 6) & 7)),g=\(perms((current >> 3) & 7)),o=\(perms(current & 7))\n")
        } else {
            let octal = String(current, radix: 8)
            sh.out(String(repeating: "0", count: max(0, 4 - octal.count)) + octal + "\n")
        }
        return 0
    }
    if let v = mode_t(spec, radix: 8), v <= 0o777 {
        umask(v)
        return 0
    }
    // Symbolic: u=rwx,g=rx,o=
    var mask = current
    for clause in spec.split(separator: ",") {
        guard let eq = clause.firstIndex(of: "=") else {
            return sh.builtinError("umask", "\(spec): only octal and `who=perms' forms are supported")
        }
        let who = clause[..<eq], perms = clause[clause.index(after: eq)...]
        var bits: mode_t = 0
        for p in perms {
            switch p {
            case "r": bits |= 4
            case "w": bits |= 2
            case "x": bits |= 1
            default: return sh.builtinError("umask", "`\(p)': invalid symbolic mode character")
            }
        }
        let targets = who.isEmpty || who.contains("a") ? "ugo" : String(who)
        for t in targets {
            let shift: mode_t = t == "u" ? 6 : t == "g" ? 3 : 0
            mask = (mask & ~(7 << shift)) | ((~bits & 7) << shift)
        }
    }
    umask(mask)
    return 0
}
