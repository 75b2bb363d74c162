import Glibc
import CSys

// Jobs and job control. Every shell keeps its `cmd &` jobs here (for `wait` and `$!`). An
// interactive shell that owns a terminal also does job control, as POSIX shells do: each
// foreground command runs in its own process group that is given the terminal, so Ctrl-C and
// Ctrl-Z reach the command and not the shell; the shell takes the terminal back when the job ends
// or stops, and keeps stopped jobs for `fg`, `bg` and `jobs` (Builtins/JobBuiltins.swift).

/// A background job, or a foreground job stopped with Ctrl-Z.
struct Job {
    /// `%N`.
    var number: Int
    /// The process whose status is the job's (the last of a pipeline).
    var pid: pid_t
    /// Its processes not reaped yet.
    var pids: [pid_t]
    /// Its process group under job control; 0 without.
    var pgid: pid_t = 0
    /// The command line, for `jobs`.
    var command: String = ""
    /// Set once `pid` has been reaped.
    var status: Int32? = nil
    var stopped = false
    /// The job's state change was already reported (job control).
    var reported = false
    /// Terminal modes the job had when it stopped, given back by `fg`.
    var modes: termios? = nil

    init(number: Int, pid: pid_t, pids: [pid_t], pgid: pid_t = 0, command: String = "") {
        self.number = number; self.pid = pid; self.pids = pids; self.pgid = pgid; self.command = command
    }
}

/// Job control of an interactive shell: the terminal and the shell's own process group.
struct JobControl {
    /// A close-on-exec descriptor of the terminal (kept above the fds scripts use).
    let terminal: Int32
    let shellGroup: pid_t
    /// The group that had the terminal before the shell took it (given back on exit).
    let originalGroup: pid_t
    /// The shell's terminal modes, put back after a job that was killed or stopped (it may have
    /// left the terminal raw).
    var modes: termios?
}

/// Where a child started for a command goes, under job control.
enum Placement {
    /// The shell's own group (command substitutions; everything without job control).
    case shellGroup
    /// A new group; `foreground`: it gets the terminal.
    case newGroup(foreground: Bool)
    /// An existing group (the later commands of a pipeline); `foreground`: it has the terminal.
    case join(pid_t, foreground: Bool)
}

/// Ctrl-C at the prompt's command: the command line stops, the shell goes on (interactive only).
struct Interrupted: Error {}

extension Shell {
    /// Job numbers count up from the highest in use, as in bash.
    func nextJobNumber() -> Int { (jobs.map(\.number).max() ?? 0) + 1 }

    /// In a forked child, first thing: its group, and the terminal if it is the foreground.
    func placeChild(_ p: Placement) {
        guard let jc = jobControl else { return }
        switch p {
        case .shellGroup: return
        case .newGroup(let fg):
            setpgid(0, 0)
            if fg { _ = aegish_tcsetpgrp(jc.terminal, getpid()) }
        case .join(let g, let fg):
            setpgid(0, g)
            if fg { _ = aegish_tcsetpgrp(jc.terminal, g) }
        }
    }

    /// The same, from the parent (whichever runs first wins the race; both are harmless).
    /// Returns the child's group.
    @discardableResult
    func placeInParent(_ pid: pid_t, _ p: Placement) -> pid_t {
        guard let jc = jobControl, pid > 0 else { return 0 }
        switch p {
        case .shellGroup: return 0
        case .newGroup(let fg):
            setpgid(pid, pid)
            if fg { _ = aegish_tcsetpgrp(jc.terminal, pid) }
            return pid
        case .join(let g, let fg):
            setpgid(pid, g)
            if fg { _ = aegish_tcsetpgrp(jc.terminal, g) }
            return g
        }
    }

    /// Waits for a foreground command's processes and returns their statuses in order (128+signal
    /// when killed). Without job control this is waitForeground for each. With it, Ctrl-Z stops
    /// the job: it goes into the job table, the shell takes the terminal back and nil is returned;
    /// a job killed by Ctrl-C stops the whole command line, as if the shell had been interrupted.
    func waitJob(_ pids: [pid_t], pgid: pid_t, number: Int? = nil) -> [Int32]? {
        guard let jc = jobControl, pgid > 0 else { return pids.map(waitForeground) }
        var statuses: [Int32] = []
        var stoppedFrom: Int? = nil
        var lastSignal: Int32 = 0
        var i = 0
        while i < pids.count {
            var code: Int32 = 0, sig: Int32 = 0, stopped: Int32 = 0
            forwardSignals(toGroup: pgid)
            // Nested shells in the job ask the relay: answered while waiting. A stop does not
            // wake the pidfd, so with a relay the wait looks every 50 ms.
            let relay = gate.relayFD
            let r = aegish_wait(pids[i], relay != nil ? WUNTRACED | WNOHANG : WUNTRACED, &code, &sig, &stopped)
            if r == 0, var fd = relay {
                if aegish_wait_child_or_fds(pids[i], &fd, 1, 50) == 1 { gate.serveRelay() }
                continue
            }
            if r < 0 {
                if aegish_errno() == EINTR {
                    forwardSignals(toGroup: pgid)
                    continue
                }
                statuses.append(127)
                i += 1
                continue
            }
            if stopped == 1 { stoppedFrom = i; break }
            if stopped == 2 { continue }
            lastSignal = sig
            statuses.append(sig != 0 ? 128 + sig : code)
            i += 1
        }
        _ = aegish_tcsetpgrp(jc.terminal, jc.shellGroup)
        if let from = stoppedFrom {
            var job = Job(number: number ?? nextJobNumber(), pid: pids[pids.count - 1], pids: Array(pids[from...]),
                          pgid: pgid, command: jobText)
            job.stopped = true
            job.reported = true
            var modes = termios()
            if tcgetattr(jc.terminal, &modes) == 0 { job.modes = modes }
            restoreShellModes()
            jobs.append(job)
            Sys.write(2, "\n" + describe(job, marker: "+") + "\n")
            lastWaitSignal = SIGTSTP
            return nil
        }
        lastWaitSignal = lastSignal != 0 ? lastSignal : nil
        if lastSignal != 0 {
            restoreShellModes()
            if lastSignal == SIGINT {
                Sys.write(2, "\n")
                pendingSignals[SIGINT] = true
            } else if let what = signalDescription(lastSignal) {
                Sys.write(2, what + "\n")
            }
        }
        return statuses
    }

    /// HUP (TERM too, outside interactive shells) reach the job the shell waits for.
    func forwardSignals(toGroup pgid: pid_t) {
        for sig in [SIGTERM, SIGHUP] where pendingSignals[sig] == nil {
            if aegish_signal_take(sig) > 0 {
                kill(-pgid, sig)
                pendingSignals[sig] = true
            }
        }
    }

    func restoreShellModes() {
        guard let jc = jobControl, var modes = jc.modes else { return }
        _ = tcsetattr(jc.terminal, TCSADRAIN, &modes)
    }

    /// Reaps what ended (and, with job control, notes what stopped or continued) without blocking.
    func reapJobs() {
        let flags = WNOHANG | (jobControl != nil ? WUNTRACED | WCONTINUED : 0)
        for i in jobs.indices where jobs[i].status == nil {
            var remaining: [pid_t] = []
            for p in jobs[i].pids {
                var code: Int32 = 0, sig: Int32 = 0, stopped: Int32 = 0
                let r = aegish_wait(p, flags, &code, &sig, &stopped)
                if r == 0 || (r < 0 && aegish_errno() == EINTR) { remaining.append(p); continue }
                if r < 0 {
                    if p == jobs[i].pid { jobs[i].status = 127 }
                    continue
                }
                if stopped == 1 {
                    if !jobs[i].stopped { jobs[i].stopped = true; jobs[i].reported = false }
                    remaining.append(p)
                } else if stopped == 2 {
                    jobs[i].stopped = false
                    remaining.append(p)
                } else if p == jobs[i].pid {
                    jobs[i].status = sig != 0 ? 128 + sig : code
                }
            }
            jobs[i].pids = remaining
            if remaining.isEmpty && jobs[i].status == nil { jobs[i].status = 127 }
            if jobs[i].status != nil { jobs[i].stopped = false; jobs[i].reported = false }
        }
    }

    /// Job control: reports jobs that ended or stopped since the last prompt, and forgets the
    /// ended ones (their status was reported).
    func notifyJobs() {
        guard jobControl != nil else { return }
        reapJobs()
        let current = jobs.last?.number, previous = jobs.dropLast().last?.number
        for j in jobs where !j.reported && (j.status != nil || j.stopped) {
            let marker = j.number == current ? "+" : j.number == previous ? "-" : " "
            Sys.write(2, describe(j, marker: marker) + "\n")
        }
        for i in jobs.indices { jobs[i].reported = true }
        jobs.removeAll { $0.status != nil }
    }

    /// `[1]+  Stopped                 sleep 30`, as bash prints it.
    func describe(_ j: Job, marker: String) -> String {
        let state: String
        if let s = j.status {
            state = s == 0 ? "Done" : s > 128 ? (signalDescription(s - 128) ?? "Killed") : "Exit \(s)"
        } else {
            state = j.stopped ? "Stopped" : "Running"
        }
        let padded = state.count >= 24 ? state + " " : state + String(repeating: " ", count: 24 - state.count)
        return "[\(j.number)]\(marker)  \(padded)\(j.command)" + (j.status == nil && !j.stopped ? " &" : "")
    }

    /// Stopped jobs would be left behind by leaving the shell.
    var hasStoppedJobs: Bool {
        reapJobs()
        return jobs.contains { $0.stopped && $0.status == nil }
    }

    /// Leaving an interactive shell, or the terminal hung up: jobs get SIGHUP (stopped ones also
    /// SIGCONT, so they can act on it), as bash does for a login shell.
    func hangUpJobs() {
        for j in jobs where j.status == nil && j.pgid > 0 {
            kill(-j.pgid, SIGHUP)
            if j.stopped { kill(-j.pgid, SIGCONT) }
        }
    }

    /// Continues job `index` in the foreground (`fg`): gives it the terminal (and its modes) and
    /// waits for it as for any foreground command. Returns its status.
    func continueInForeground(_ index: Int) -> Int32 {
        var job = jobs.remove(at: index)
        guard let jc = jobControl, job.pgid > 0 else { return 1 }
        Sys.write(1, job.command + "\n")
        if var modes = job.modes { _ = tcsetattr(jc.terminal, TCSADRAIN, &modes) }
        _ = aegish_tcsetpgrp(jc.terminal, job.pgid)
        if job.stopped { kill(-job.pgid, SIGCONT) }
        job.stopped = false
        let savedText = jobText
        jobText = job.command
        defer { jobText = savedText }
        guard let statuses = waitJob(job.pids, pgid: job.pgid, number: job.number) else { return 128 + SIGTSTP }
        if let s = job.status { return s }
        return statuses.last ?? 0
    }
}

private func signalDescription(_ sig: Int32) -> String? {
    switch sig {
    case SIGINT, SIGPIPE: return nil
    case SIGTERM: return "Terminated"
    case SIGKILL: return "Killed"
    case SIGHUP: return "Hangup"
    case SIGQUIT: return "Quit"
    case SIGSEGV: return "Segmentation fault"
    case SIGABRT: return "Aborted"
    case SIGBUS: return "Bus error"
    case SIGFPE: return "Floating point exception"
    case SIGILL: return "Illegal instruction"
    case SIGALRM: return "Alarm clock"
    case SIGUSR1: return "User defined signal 1"
    case SIGUSR2: return "User defined signal 2"
    default: return "Killed by signal \(sig)"
    }
}
