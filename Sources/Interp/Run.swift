import Glibc
import CSys
import Syntax

// Evaluation of the command tree: lists, and-or lists, pipelines, compound commands.
// Simple commands are in Simple.swift, processes in Process.swift.

extension Shell {
    /// Runs a whole program to completion and returns the shell's exit status. Runs the EXIT trap.
    /// `source`: the text `script` was parsed from (positions refer to it).
    public func runProgram(_ script: Script, source text: String? = nil) -> Int32 {
        if let text { source = SourceText(text) }
        return finish(statusOf { try runScript(script, final: true); return lastStatus })
    }

    /// Runs `body` to a status: `exit`/`return` give theirs, errors are reported. An internal
    /// error is a refusal (status 2), never a silent success.
    func statusOf(_ body: () throws -> Int32) -> Int32 {
        do {
            return try body()
        } catch Flow.exit(let s) {
            return s
        } catch Flow.returnFrom(let s) {
            return s
        } catch Flow.breakLoop, Flow.continueLoop {
            return lastStatus
        } catch let e as ShellError {
            warnAt(e.message)
            return e.status
        } catch {
            warnAt("internal error: \(error)")
            return 2
        }
    }

    /// Runs the EXIT trap (once) and returns the final status.
    public func finish(_ status: Int32) -> Int32 {
        lastStatus = status
        var final = status
        if let action = traps[0], !inExitTrap {
            inExitTrap = true
            traps[0] = nil
            do {
                _ = try runTrapAction(action)
            } catch Flow.exit(let s) {
                final = s   // `exit N` inside the EXIT trap sets the final status
            } catch let e as ShellError {
                warnAt(e.message)
            } catch {}
        }
        lastStatus = final
        return final
    }

    /// Runs a list in the current shell. Throws Flow for exit/return/break/continue and fatal errors.
    /// `final`: this process exits when the list ends (a `-c` string, a script, a forked subshell),
    /// so its last program may replace the process instead of being waited for (TailExec.swift).
    func runScript(_ script: Script, final: Bool = false) throws {
        let last = script.items.count - 1
        for (i, item) in script.items.enumerated() {
            if final && i == last && !item.background {
                try runAndOr(item.andOr, final: true)
            } else {
                try runItem(item)
            }
        }
    }

    func runItem(_ item: ListItem) throws {
        if item.background {
            try runBackground(item.andOr)
            return
        }
        try runAndOr(item.andOr)
    }

    func runAndOr(_ ao: AndOr, final: Bool = false) throws {
        if ao.rest.isEmpty {
            try runPipeline(ao.first, final: final)
            return
        }
        errexitSuppressed += 1
        var ran = true
        do {
            defer { errexitSuppressed -= 1 }
            try runPipeline(ao.first)
        }
        for (i, (op, p)) in ao.rest.enumerated() {
            let go = (op == .and) == (lastStatus == 0)
            ran = go
            guard go else { continue }
            if i == ao.rest.count - 1 {
                try runPipeline(p, final: final)
            } else {
                errexitSuppressed += 1
                defer { errexitSuppressed -= 1 }
                try runPipeline(p)
            }
        }
        _ = ran
    }

    func runPipeline(_ p: Pipeline, final: Bool = false) throws {
        if p.negated { errexitSuppressed += 1 }
        var status: Int32
        do {
            defer { if p.negated { errexitSuppressed -= 1 } }
            if p.commands.count == 1 {
                status = try runCommand(p.commands[0], final: final && !p.negated)
            } else {
                status = try runMultiPipeline(p)
            }
        }
        if p.negated { status = status == 0 ? 1 : 0 }
        lastStatus = status
        try checkSignals()
        if status != 0 && options.errexit && errexitSuppressed == 0 && !p.negated
            && !(p.commands.count == 1 && isErrexitExempt(p.commands[0])) {
            throw Flow.exit(status)
        }
    }

    /// bash does not apply `set -e` to the status of `{ }`, `if`, loops and `case` as a whole:
    /// the commands inside were already checked (or exempt, like the left of `&&`).
    private func isErrexitExempt(_ c: Command) -> Bool {
        guard case .compound(let cc, _, _) = c else { return false }
        switch cc {
        case .brace, .ifClause, .loop, .forLoop, .arithFor, .caseClause: return true
        default: return false
        }
    }

    private func runMultiPipeline(_ p: Pipeline) throws -> Int32 {
        var pids: [pid_t] = []
        var prevRead: Int32 = -1
        let n = p.commands.count
        // Under job control the pipeline is one job: one process group, given the terminal.
        var group: pid_t = 0
        for (i, cmd) in p.commands.enumerated() {
            var fds: [Int32] = [-1, -1]
            if i < n - 1 {
                guard Sys.pipe(&fds) == 0 else {
                    if prevRead >= 0 { close(prevRead) }
                    throw ShellError(message: "pipe: \(Sys.errorString(errno))", status: 1, fatal: false)
                }
            }
            let stderrToo = i < n - 1 && p.stderrToo[i]
            let inFD = prevRead, outFD = fds[1], readFD = fds[0]
            let placement: Placement = jobControl == nil ? .shellGroup
                : group == 0 ? .newGroup(foreground: true) : .join(group, foreground: true)
            let pid = forkSubshell(placement) {
                if inFD >= 0 { dup2(inFD, 0); close(inFD) }
                if outFD >= 0 {
                    dup2(outFD, 1)
                    if stderrToo { dup2(outFD, 2) }
                    close(outFD)
                }
                if readFD >= 0 { close(readFD) }
                return try self.runCommand(cmd, final: true)
            }
            if prevRead >= 0 { close(prevRead) }
            if outFD >= 0 { close(outFD) }
            prevRead = readFD
            if pid > 0 {
                pids.append(pid)
                if group == 0 && jobControl != nil { group = pid }
            }
        }
        if prevRead >= 0 { close(prevRead) }
        guard let statuses = waitJob(pids, pgid: group) else { return 128 + SIGTSTP }
        guard let last = statuses.last else { return 1 }
        if options.pipefail, let failed = statuses.last(where: { $0 != 0 }) { return failed }
        return last
    }

    func runBackground(_ ao: AndOr) throws {
        let controlled = jobControl != nil
        let pid = forkSubshell(controlled ? .newGroup(foreground: false) : .shellGroup) {
            // Without job control a background job must not steal the shell's input; with it, the
            // terminal stops a background job that reads it (SIGTTIN) until `fg`.
            if !controlled {
                let null = open("/dev/null", O_RDONLY)
                if null >= 0 { dup2(null, 0); close(null) }
            }
            try self.runAndOr(ao, final: true)
            return self.lastStatus
        }
        if pid > 0 {
            lastBackground = pid
            let job = Job(number: nextJobNumber(), pid: pid, pids: [pid], pgid: controlled ? pid : 0,
                          command: jobText)
            jobs.append(job)
            if controlled { Sys.write(2, "[\(job.number)] \(pid)\n") }
        }
        lastStatus = 0
    }

    // MARK: commands

    /// `final`: see runScript.
    func runCommand(_ cmd: Command, final: Bool = false) throws -> Int32 {
        switch cmd {
        case .simple(let sc):
            if final { tailExec = mayExecInPlace }
            return try runSimple(sc)
        case .function(let def):
            functions[def.name] = def
            return 0
        case .compound(let cc, let redirs, let pos):
            currentLine = pos.line + lineOffset
            return try withRedirections(redirs) { try runCompound(cc) }
        }
    }

    func runCompound(_ cc: CompoundCommand) throws -> Int32 {
        switch cc {
        case .brace(let s):
            try runScript(s)
            return lastStatus
        case .subshell(let s):
            return runForegroundSubshell {
                try self.runScript(s, final: true)
                return self.lastStatus
            } ?? 1
        case .ifClause(let ic):
            for (cond, body) in ic.branches {
                try runCondition(cond)
                if lastStatus == 0 {
                    try runScript(body)
                    return lastStatus
                }
            }
            if let e = ic.elseBody {
                try runScript(e)
                return lastStatus
            }
            return 0
        case .loop(let l):
            return try runLoop(l)
        case .forLoop(let f):
            return try runFor(f)
        case .arithFor(let f):
            return try runArithFor(f)
        case .caseClause(let c):
            return try runCase(c)
        case .condition(let e):
            do {
                return try evalCond(e) ? 0 : 1
            } catch let e as ShellError where !e.fatal {
                warnAt(e.message)
                return 2
            }
        case .arithmetic(let w):
            if options.xtrace { trace(["((", sourceText(w), "))"]) }
            return try arithmetic(w) != 0 ? 0 : 1
        }
    }

    /// Runs a condition list with `set -e` suspended.
    func runCondition(_ s: Script) throws {
        errexitSuppressed += 1
        defer { errexitSuppressed -= 1 }
        try runScript(s)
    }

    private func runLoop(_ l: Loop) throws -> Int32 {
        var status: Int32 = 0
        loopDepth += 1
        defer { loopDepth -= 1 }
        while true {
            try runCondition(l.condition)
            if (lastStatus == 0) == l.until { break }
            guard let s = try runLoopBody(l.body) else { status = 0; break }
            status = s
        }
        return status
    }

    /// One pass of a loop body: its status, or nil when `break` ends this loop. `continue`
    /// ends the pass (status 0); `break N`/`continue N` for outer loops are passed on.
    private func runLoopBody(_ body: Script) throws -> Int32? {
        do {
            try runScript(body)
            return lastStatus
        } catch Flow.breakLoop(let n) {
            if n > 1 { throw Flow.breakLoop(n - 1) }
            return nil
        } catch Flow.continueLoop(let n) {
            if n > 1 { throw Flow.continueLoop(n - 1) }
            return 0
        }
    }

    private func runFor(_ f: ForLoop) throws -> Int32 {
        currentLine = f.pos.line + lineOffset
        let items = try f.items.map { try expandWords($0) } ?? positional
        var status: Int32 = 0
        loopDepth += 1
        defer { loopDepth -= 1 }
        for item in items {
            try setVar(f.variable, item)
            guard let s = try runLoopBody(f.body) else { status = 0; break }
            status = s
        }
        return status
    }

    private func runArithFor(_ f: ArithFor) throws -> Int32 {
        currentLine = f.pos.line + lineOffset
        if let w = f.initial { _ = try arithmetic(w) }
        var status: Int32 = 0
        loopDepth += 1
        defer { loopDepth -= 1 }
        while true {
            if let c = f.condition, try arithmetic(c) == 0 { break }
            guard let s = try runLoopBody(f.body) else { status = 0; break }
            status = s
            if let s = f.step { _ = try arithmetic(s) }
        }
        return status
    }

    private func runCase(_ c: CaseClause) throws -> Int32 {
        let subject = try expandString(c.subject)
        var i = 0
        var status: Int32 = 0
        var fallingThrough = false
        while i < c.items.count {
            let item = c.items[i]
            var matched = fallingThrough
            if !matched {
                for p in item.patterns where try expandPattern(p).matches(subject) {
                    matched = true
                    break
                }
            }
            fallingThrough = false
            if matched {
                try runScript(item.body)
                status = lastStatus
                switch item.terminator {
                case .breakOut: return status
                case .fallThrough: fallingThrough = true
                case .testNext: break
                }
            }
            i += 1
        }
        return status
    }
}
