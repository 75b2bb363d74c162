import Glibc
import CSys
import Syntax

// Processes: forked subshells (for pipelines, `( … )`, `$( … )`, `&`), waiting, signals.
// External programs are started only through `aegish_spawn` (CSys), the single exec point.

extension Shell {
    /// Forks a subshell that runs `body` and exits with its status. Returns the child's pid
    /// (or -1 after printing an error). `placement`: its process group under job control.
    func forkSubshell(_ placement: Placement = .shellGroup, _ body: () throws -> Int32) -> pid_t {
        // A subshell's programs may need the gate's services while this process is busy
        // elsewhere (reading a substitution, starting the rest of a pipeline): started now, not
        // on demand, and once for all the subshells.
        gate.startPendingService()
        let pid = aegish_fork()
        if pid < 0 {
            warnAt("fork: \(Sys.errorString(errno))")
            return -1
        }
        if pid == 0 {
            placeChild(placement)
            becomeSubshell()
            _exit(finish(statusOf(body)))
        }
        placeInParent(pid, placement)
        return pid
    }

    /// Forks a foreground subshell (`( … )`, `sh -c`, a script without `#!`) and waits for it:
    /// under job control it is a job of its own, which Ctrl-C and Ctrl-Z reach.
    func runForegroundSubshell(_ body: () throws -> Int32) -> Int32? {
        let placement: Placement = jobControl != nil ? .newGroup(foreground: true) : .shellGroup
        let pid = forkSubshell(placement, body)
        guard pid > 0 else { return nil }
        guard let statuses = waitJob([pid], pgid: jobControl != nil ? pid : 0) else { return 128 + SIGTSTP }
        return statuses.last ?? 0
    }

    /// State changes on entering a forked child: traps other than ignored ones are reset; a
    /// subshell of an interactive shell is not interactive and does no job control, and gets the
    /// signals the interactive shell ignores back (programs it starts get them anyway).
    func becomeSubshell() {
        isSubshell = true
        ownsProcess = true   // a forked child exits when its body is done
        jobs.removeAll()
        if isInteractive {
            isInteractive = false
            jobControl = nil
            aegish_set_job_terminal(-1)
            for sig in interactiveIgnoredSignals { aegish_signal_default(sig) }
        }
        for (sig, action) in traps where sig != 0 && !action.isEmpty {
            traps[sig] = nil
        }
        traps[0] = nil
    }

    /// Waits for a foreground child, forwarding TERM/HUP to it; returns the shell status of it.
    func waitForeground(_ pid: pid_t) -> Int32 {
        var code: Int32 = 0, sig: Int32 = 0, stopped: Int32 = 0
        var watchRelay = true
        while true {
            // A signal that arrived while the child was being started (all signals blocked) did
            // not interrupt anything yet: pass it on before blocking in wait.
            forwardSignals(to: pid)
            let proxy = gate.pendingServiceFD
            let fds = [proxy, watchRelay ? gate.relayFD : nil].compactMap { $0 }
            if !fds.isEmpty {
                // The program may be waiting on a service: a connection to the proxy's listener
                // (start the proxy), a nested aegish's request (answer it). Keep waiting otherwise.
                let ready = aegish_wait_child_or_fds(pid, fds, Int32(fds.count), -1)
                if ready > 0 {
                    if fds[Int(ready) - 1] == proxy { gate.startPendingService() } else { gate.serveRelay() }
                    continue
                }
                if ready < 0 {   // a signal (forwarded at the top of the loop), or poll failed
                    if aegish_errno() != EINTR {
                        gate.startPendingService()
                        watchRelay = false   // nested shells then get no answer and refuse
                    }
                    continue
                }
            }
            let r = aegish_wait(pid, 0, &code, &sig, &stopped)
            if r == pid {
                lastWaitSignal = sig != 0 ? sig : nil
                return sig != 0 ? 128 + sig : code
            }
            if r < 0 {
                if aegish_errno() == EINTR {
                    forwardSignals(to: pid)
                    continue
                }
                return 127
            }
        }
    }

    /// Signals the user sent to aegish are passed on to the job it is waiting for. SIGINT is not:
    /// the terminal already delivers it to the whole foreground process group.
    private func forwardSignals(to pid: pid_t) {
        for sig in [SIGTERM, SIGHUP] where pendingSignals[sig] == nil {
            let n = aegish_signal_take(sig)
            if n > 0 {
                kill(pid, sig)
                pendingSignals[sig] = true
            }
        }
    }

    /// Runs trap actions for signals that arrived, or dies by them if no trap is set.
    func checkSignals() throws {
        guard aegish_signal_pending() != 0 || !pendingSignals.isEmpty else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM] {
            let arrived = aegish_signal_take(sig) > 0 || pendingSignals.removeValue(forKey: sig) != nil
            guard arrived else { continue }
            if let action = traps[sig] {
                if !action.isEmpty {
                    let saved = lastStatus
                    _ = try runTrapAction(action)
                    lastStatus = saved
                }
            } else if isInteractive && sig == SIGINT {
                // Ctrl-C in an interactive shell ends the command line, not the shell.
                throw Interrupted()
            } else {
                if isInteractive && sig == SIGHUP { hangUpJobs() }
                // No trap: the default action, as if aegish had not caught it.
                let status = finish(128 + sig)
                aegish_signal_default(sig)
                kill(getpid(), sig)
                _exit(status)
            }
        }
    }

    func runTrapAction(_ action: String) throws -> Int32 {
        let script = try parseForEval(action)
        let saved = lastStatus
        try runScript(script)
        _ = saved
        return lastStatus
    }

    /// `$( … )`: runs the script in a forked subshell with stdout to a pipe; strips trailing
    /// newlines. Sets the status that an assignment-only command reports.
    func commandSubstitution(_ script: Script) throws -> String {
        if let file = readOnlySubstitution(script) {
            // `$(< file)`: the file's contents, read by the shell through the gated open.
            let path = try expandRedirectTarget(file)
            let saved = try applyRedirections([Redirection(fd: 0, op: .input, target: file, pos: file.pos)])
            _ = path
            var bytes = Sys.readAll(0)
            restoreRedirections(saved)
            while let last = bytes.last, last == 0x0A { bytes.removeLast() }
            substitutionStatus = 0
            return String(decoding: bytes, as: UTF8.self)
        }
        var fds: [Int32] = [-1, -1]
        guard Sys.pipe(&fds) == 0 else {
            throw ShellError(message: "pipe: \(Sys.errorString(errno))", status: 1, fatal: false)
        }
        let pid = forkSubshell {
            self.substitutionDepth += 1
            close(fds[0])
            dup2(fds[1], 1)
            close(fds[1])
            try self.runScript(script, final: true)
            return self.lastStatus
        }
        close(fds[1])
        var bytes = Sys.readAll(fds[0])
        close(fds[0])
        if pid > 0 {
            substitutionStatus = waitForeground(pid)
            lastStatus = substitutionStatus
        }
        while let last = bytes.last, last == 0x0A { bytes.removeLast() }
        bytes.removeAll { $0 == 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The file of a `$(< file)` substitution, if that is what the script is.
    private func readOnlySubstitution(_ script: Script) -> Word? {
        guard script.items.count == 1, !script.items[0].background,
              script.items[0].andOr.rest.isEmpty else { return nil }
        let p = script.items[0].andOr.first
        guard !p.negated, p.commands.count == 1, case .simple(let sc) = p.commands[0],
              sc.words.isEmpty, sc.assignments.isEmpty, sc.redirections.count == 1,
              sc.redirections[0].op == .input, sc.redirections[0].fd == nil else { return nil }
        return sc.redirections[0].target
    }

    /// Installs aegish's own signal handling at startup (non-interactive shell).
    public func installSignalHandlers() {
        for sig in [SIGTERM, SIGHUP] where aegish_signal_is_ignored(sig) != 1 {
            _ = aegish_signal_catch(sig)
        }
    }
}
