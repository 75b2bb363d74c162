import Glibc
import CSys
import Syntax

// Simple commands: expansion, then assignments, redirections and the command itself —
// a function, a builtin, or an external program put to the Gate and started via aegish_spawn.

extension Shell {
    func runSimple(_ sc: SimpleCommand) throws -> Int32 {
        // Taken at once: expanding the words may run other commands (`$( … )`), which must not.
        let tail = tailExec
        tailExec = false
        currentLine = sc.pos.line + lineOffset
        commandPos = sc.pos
        substitutionStatus = 0
        let argv: [String]
        do {
            argv = try expandWords(sc.words)
        } catch let e as ShellError where !e.fatal {
            warnAt(e.message)
            return e.status
        }
        if argv.isEmpty {
            return try runAssignmentsOnly(sc)
        }
        let name = argv[0]
        if let fn = functions[name] {
            let assigned = try expandAssignments(sc.assignments)
            if options.xtrace { traceCommand(assigned, argv) }
            return try withRedirections(sc.redirections) {
                try withTemporaryAssignments(assigned) {
                    try callFunction(fn, argv)
                }
            }
        }
        if name == "exec" && argv.count == 1 {
            // `exec >file`: the redirections stay in effect for the rest of the shell.
            do {
                let saved = try applyRedirections(sc.redirections)
                for s in saved where s.copy >= 0 { close(s.copy) }
            } catch let e as ShellError where !e.fatal {
                warnAt(e.message)
                return e.status
            }
            return 0
        }
        if let builtin = builtins[name] {
            let assigned = try expandAssignments(sc.assignments)
            if options.xtrace { traceCommand(assigned, argv) }
            return try withRedirections(sc.redirections) {
                if specialBuiltins.contains(name) {
                    for (n, v, append) in assigned { try assign(n, v, append: append) }
                    return try builtin(self, argv)
                }
                return try withTemporaryAssignments(assigned) { try builtin(self, argv) }
            }
        }
        if let reason = unsupportedBuiltins[name] {
            warnAt("\(name): \(reason)")
            return 2
        }
        let assigned = try expandAssignments(sc.assignments)
        if options.xtrace { traceCommand(assigned, argv) }
        return try withRedirections(sc.redirections) {
            try runExternal(argv, assignments: assigned, pos: sc.pos, tail: tail)
        }
    }

    private func runAssignmentsOnly(_ sc: SimpleCommand) throws -> Int32 {
        // One at a time: `a=1 b=$a` sees the new a.
        for a in sc.assignments {
            let v: String
            do { v = try expandString(a.value) } catch let e as ShellError where !e.fatal {
                warnAt(e.message)
                return e.status
            }
            if options.xtrace { traceCommand([(a.name, v, a.append)], []) }
            do { try assign(a.name, v, append: a.append) } catch let e as ShellError {
                warnAt(e.message)
                return 1
            }
        }
        if !sc.redirections.isEmpty {
            return try withRedirections(sc.redirections) { substitutionStatus }
        }
        return substitutionStatus
    }

    func expandAssignments(_ list: [Assignment]) throws -> [(String, String, Bool)] {
        var out: [(String, String, Bool)] = []
        for a in list { out.append((a.name, try expandString(a.value), a.append)) }
        return out
    }

    func assign(_ name: String, _ value: String, append: Bool) throws {
        if append {
            try setVar(name, (vars.value(name) ?? "") + value)
        } else {
            try setVar(name, value)
        }
    }

    /// `VAR=x cmd` for functions and regular builtins: visible (and exported) only for the call.
    func withTemporaryAssignments(_ assigned: [(String, String, Bool)], _ body: () throws -> Int32) throws -> Int32 {
        if assigned.isEmpty { return try body() }
        var saved: [(String, Variable?)] = []
        for (n, v, append) in assigned {
            saved.append((n, vars[n]))
            do {
                let value = append ? (vars.value(n) ?? "") + v : v
                try vars.set(n, value, export: true)
            } catch {
                warnAt("\(n): readonly variable")
            }
        }
        defer {
            for (n, old) in saved.reversed() {
                if let old = old {
                    try? vars.set(n, old.value, export: old.exported)
                    if !old.exported { vars.setExported(n, false) }
                } else {
                    try? vars.unset(n)
                }
            }
            commandHash.removeAll()
        }
        return try body()
    }

    func withRedirections(_ redirs: [Redirection], _ body: () throws -> Int32) throws -> Int32 {
        if redirs.isEmpty { return try body() }
        let saved: [SavedFD]
        do {
            saved = try applyRedirections(redirs)
        } catch let e as ShellError where !e.fatal {
            warnAt(e.message)
            return e.status
        }
        defer { restoreRedirections(saved) }
        return try body()
    }

    func callFunction(_ fn: FunctionDef, _ argv: [String]) throws -> Int32 {
        if functionDepth >= 1000 {
            throw ShellError(message: "\(fn.name): maximum function nesting level exceeded (1000)", status: 1, fatal: true)
        }
        let savedPositional = positional
        positional = Array(argv.dropFirst())
        vars.pushFrame()
        functionDepth += 1
        defer {
            functionDepth -= 1
            vars.popFrame()
            positional = savedPositional
        }
        do {
            return try runCommand(fn.body)
        } catch Flow.returnFrom(let s) {
            return s
        }
    }

    // MARK: external programs

    /// Resolves a command name to an absolute path through $PATH (or as written if it has a `/`).
    func resolveCommand(_ name: String) -> String? {
        if name.contains("/") { return absolutePath(name, cwd: cwd) }
        if let hit = commandHash[name] { return hit }
        let path = gate.searchPath?.joined(separator: ":") ?? (vars.value("PATH") ?? "")
        // A file found but not executable is remembered: running it then fails with 126, as bash.
        var notExecutable: String? = nil
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let d = dir.isEmpty ? cwd : (dir.hasPrefix("/") ? String(dir) : absolutePath(String(dir), cwd: cwd))
            let candidate = d + "/" + name
            if Sys.isExecutableFile(candidate) {
                commandHash[name] = candidate
                return candidate
            }
            if notExecutable == nil && Sys.isRegularFile(candidate) { notExecutable = candidate }
        }
        return notExecutable
    }

    func runExternal(_ argv: [String], assignments: [(String, String, Bool)], pos: Pos, tail: Bool = false) throws -> Int32 {
        let name = argv[0]
        guard let path = resolveCommand(name) else {
            warnAt("\(name): command not found")
            return 127
        }
        var env = childEnvironment()
        if !assignments.isEmpty {
            for (n, v, append) in assignments {
                let value = append ? (vars.value(n) ?? "") + v : v
                env.removeAll { $0.hasPrefix(n + "=") }
                env.append(n + "=" + value)
            }
        }
        if let shell = ShellInvocation(argv: argv, path: path) ?? ShellInvocation(shebangScript: path, argv: argv) {
            // A shell is never started: aegish runs `sh -c …` / `bash file` itself, so every
            // command inside goes through the same parser and the same gate.
            return runShellInvocation(shell, assignments: assignments)
        }
        let request = gateRequest(.exec, argv: argv, path: path, environment: env, pos: pos,
                                  assignedNames: assignments.map { $0.0 })
        if let refusal = refusal(for: request, what: name) { return refusal }
        let childEnv = gate.childEnvironment(env)
        let sandbox = gate.sandbox(for: request)
        if case .refused(let reason) = sandbox {
            Sys.write(2, "aegish: denied: \(name) — \(reason)\n")
            gate.finished(request, GateCompletion(exitCode: nil, signal: nil, durationNS: 0))
            return 126
        }
        if tail, let status = execInPlace(path: path, argv: argv, env: childEnv, sandbox: sandbox) {
            return status   // the exec failed; nothing ran
        }
        let started = Sys.monotonicNanoseconds()
        let status = spawnAndWait(path: path, argv: argv, env: childEnv, sandbox: sandbox)
        let signal: Int32? = lastWaitSignal
        gate.finished(request, GateCompletion(exitCode: signal == nil ? status : nil, signal: signal,
                                              durationNS: Sys.monotonicNanoseconds() &- started))
        return status
    }

    /// Asks the gate; prints the denial and returns 126 when refused, nil when allowed.
    func refusal(for request: GateRequest, what: String) -> Int32? {
        var decision = gate.decide(request)
        if case .ask(let reason) = decision {
            decision = gate.resolveAsk(request, reason: reason)
        }
        switch decision {
        case .allow:
            return nil
        case .deny(let reason), .ask(let reason):
            Sys.write(2, "aegish: denied: \(what) — \(reason)\n")
            return 126
        }
    }

    func spawnAndWait(path: String, argv: [String], env: [String], sandbox: Sandbox = .none) -> Int32 {
        lastWaitSignal = nil
        let cargv = CStringArray(argv), cenv = CStringArray(env)
        defer { cargv.free(); cenv.free() }
        var err: Int32 = 0
        // Under job control the program is a job of its own, given the terminal (in the child,
        // before exec: see aegish_set_job_terminal).
        let pgid: pid_t = jobControl != nil ? 0 : -1
        // Under job control the shell waits in waitJob, which does not watch the gate's service.
        if jobControl != nil && gate.pendingServiceFD != nil { gate.startPendingService() }
        // The Landlock ruleset the gate built; the child applies it right before exec.
        var ruleset: Int32 = -1
        if case .ruleset(let fd) = sandbox { ruleset = fd }
        let pid = cargv.pointers.withUnsafeBufferPointer { a in
            cenv.pointers.withUnsafeBufferPointer { e in
                aegish_spawn_sandboxed(path, a.baseAddress, e.baseAddress, nil, 0, nil, pgid, ruleset, &err)
            }
        }
        if pid < 0 {
            switch err {
            case ENOEXEC:
                return runScriptFileInSubshell(path: path, argv: argv)
            case ENOENT:
                warnAt("\(argv[0]): \(Sys.errorString(err))")
                return 127
            default:
                warnAt("\(argv[0]): \(Sys.errorString(err))")
                return 126
            }
        }
        if let jc = jobControl {
            _ = aegish_tcsetpgrp(jc.terminal, pid)
            guard let statuses = waitJob([pid], pgid: pid) else { return 128 + SIGTSTP }
            return statuses.last ?? 0
        }
        return waitForeground(pid)
    }

    /// A file without `#!` that the kernel will not run is a shell script: aegish runs it itself
    /// (never another shell), in a fresh subshell as bash does.
    private func runScriptFileInSubshell(path: String, argv: [String]) -> Int32 {
        guard case .success(let bytes) = Sys.readFile(path) else {
            warnAt("\(argv[0]): cannot read")
            return 126
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return runForegroundSubshell {
            let script: Script
            do { script = try parseSource(text) } catch let e as ParseError {
                Sys.write(2, "\(self.messagePrefix): \(argv[0]): \(e)\n")
                return 2
            }
            self.functions.removeAll()
            self.positional = Array(argv.dropFirst())
            self.scriptName = argv[0]
            self.source = SourceText(text)
            try self.runScript(script)
            return self.lastStatus
        } ?? 126
    }

    // MARK: tracing

    func traceCommand(_ assigned: [(String, String, Bool)], _ argv: [String]) {
        var words = assigned.map { $0.0 + ($0.2 ? "+=" : "=") + traceQuote($0.1) }
        words += argv.map(traceQuote)
        trace(words, quoted: true)
    }

    func trace(_ words: [String], quoted: Bool = false) {
        let ps4 = vars.value("PS4") ?? "+ "
        // Like bash, the first character of PS4 is repeated once per level of substitution.
        let extra = substitutionDepth > 0 && !ps4.isEmpty ? String(repeating: ps4.first!, count: substitutionDepth) : ""
        Sys.write(2, extra + ps4 + words.joined(separator: " ") + "\n")
    }
}

/// Parses source text with the shell's parser (one place, so every layer parses alike).
func parseSource(_ text: String) throws -> Script {
    try parseScript(text)
}

extension Shell {
    func parseForEval(_ text: String) throws -> Script {
        do {
            return try parseSource(text)
        } catch let e as ParseError {
            throw ShellError(message: e.description, status: 2, fatal: false)
        }
    }
}
