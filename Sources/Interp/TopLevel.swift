import Glibc
import CSys
import Syntax

// What a read-eval loop at a prompt needs from the interpreter (the loop itself, line editing,
// prompts and completion are in the Interactive target, which alone links libedit). An
// interactive shell differs from a script in a few POSIX ways: errors end the command line, not
// the shell; Ctrl-C interrupts the command line; TERM and QUIT do not kill it; and when it owns a
// terminal it does job control (Jobs.swift).

/// Signals an interactive shell ignores (its jobs get them back: Process.swift becomeSubshell,
/// and aegish_spawn resets them for every program).
let interactiveIgnoredSignals: [Int32] = [SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU]

/// What the loop does after a command line.
public enum TopLevelOutcome: Equatable {
    case next
    /// Leave the shell with this status (`exit`, `set -e`, a fatal signal's trap).
    case exit(Int32)
}

extension Shell {
    /// Makes this the interactive shell. With a terminal (`terminal`: a descriptor of it, usually
    /// 0) it also does job control: it waits until it is in the foreground, puts itself in its
    /// own process group and takes the terminal. Returns why job control is off, or nil.
    public func beginInteractive(terminal: Int32?) -> String? {
        isInteractive = true
        var why: String? = "standard input is not a terminal"
        if let t = terminal, aegish_isatty(t) == 1 {
            why = takeTerminal(t)
        }
        _ = aegish_signal_catch(SIGINT)
        _ = aegish_signal_catch(SIGHUP)
        for sig in interactiveIgnoredSignals where sig != SIGTTOU && sig != SIGTTIN && sig != SIGTSTP || jobControl != nil {
            _ = aegish_signal_ignore(sig)
        }
        return why
    }

    private func takeTerminal(_ t: Int32) -> String? {
        // A shell started in the background stops itself until it is brought to the foreground,
        // as bash does, instead of fighting its parent for the terminal.
        while true {
            let fg = tcgetpgrp(t)
            if fg < 0 { return "the terminal has no foreground process group (\(Sys.errorString(errno)))" }
            if fg == getpgrp() { break }
            _ = aegish_signal_default(SIGTTIN)
            kill(0, SIGTTIN)
        }
        let original = getpgrp()
        if original != getpid() && setpgid(0, 0) != 0 {
            return "cannot put the shell in its own process group (\(Sys.errorString(errno)))"
        }
        let fd = aegish_dup_cloexec(t, 255)
        guard fd >= 0 else { return "cannot keep a descriptor of the terminal (\(Sys.errorString(errno)))" }
        guard aegish_tcsetpgrp(fd, getpid()) == 0 else {
            close(fd)
            return "cannot take the terminal (\(Sys.errorString(errno)))"
        }
        var modes = termios()
        jobControl = JobControl(terminal: fd, shellGroup: getpid(), originalGroup: original,
                                modes: tcgetattr(fd, &modes) == 0 ? modes : nil)
        aegish_set_job_terminal(fd)
        return nil
    }

    /// The shell's own terminal modes changed (the line editor set up its defaults): these are
    /// what is put back after a job that was killed or stopped.
    public func rememberTerminalModes() {
        guard let jc = jobControl else { return }
        var modes = termios()
        if tcgetattr(jc.terminal, &modes) == 0 { jobControl?.modes = modes }
    }

    /// Whether the shell does job control.
    public var hasJobControl: Bool { jobControl != nil }

    /// Runs one complete command line read at the prompt. Errors are reported and end the line,
    /// not the shell; Ctrl-C ends it with status 130.
    public func runTopLevel(_ script: Script, text: String, firstLine: Int) -> TopLevelOutcome {
        let warned = warnedStoppedJobs
        warnedStoppedJobs = false
        source = SourceText(text)
        lineOffset = firstLine - 1
        jobText = text.hasSuffix("\n") ? String(text.dropLast()) : text
        defer { jobText = "" }
        do {
            try runScript(script)
            try checkSignals()
        } catch Flow.exit(let s) {
            return leave(s, warned: warned)
        } catch Flow.returnFrom(let s) {
            lastStatus = s
        } catch Flow.breakLoop, Flow.continueLoop {
        } catch is Interrupted {
            lastStatus = 130
        } catch let e as ShellError {
            warnAt(e.message)
            lastStatus = e.status
        } catch {
            warn("internal error: \(error)")
            lastStatus = 2
        }
        return .next
    }

    /// Before each prompt: reports jobs that ended or stopped, and acts on signals that arrived
    /// while the user was typing (a trap runs; SIGHUP without one ends the shell).
    public func beforePrompt() -> TopLevelOutcome {
        notifyJobs()
        do {
            try checkSignals()
        } catch Flow.exit(let s) {
            return .exit(finish(s))
        } catch {
        }
        return .next
    }

    /// End of input (Ctrl-D) at the prompt. Stopped jobs are reported once, as for `exit`.
    public func endOfInput() -> TopLevelOutcome {
        let warned = warnedStoppedJobs
        warnedStoppedJobs = false
        return leave(lastStatus, warned: warned)
    }

    private func leave(_ status: Int32, warned: Bool) -> TopLevelOutcome {
        if jobControl != nil && !warned && hasStoppedJobs {
            warn("there are stopped jobs: `jobs` lists them; leave again to hang them up")
            warnedStoppedJobs = true
            lastStatus = status
            return .next
        }
        return .exit(status)
    }

    /// Leaving: the EXIT trap runs, jobs are hung up, the terminal goes back to the group that had
    /// it. Returns the shell's final status.
    public func endInteractive(_ status: Int32) -> Int32 {
        let final = finish(status)
        hangUpJobs()
        if let jc = jobControl {
            restoreShellModes()
            _ = aegish_tcsetpgrp(jc.terminal, jc.originalGroup)
            if jc.originalGroup != getpid() { setpgid(0, jc.originalGroup) }
        }
        return final
    }

    /// Sets `$?` (a line cancelled with Ctrl-C is 130, a syntax error 2).
    public func setStatus(_ status: Int32) { lastStatus = status }

    // MARK: what prompts and completion read

    public var exitStatus: Int32 { lastStatus }
    public var workingDirectory: String { cwd }
    /// A shell variable's value (PS1, PS2, HOME, HISTFILE, …).
    public func variable(_ name: String) -> String? { vars.value(name) }
    public var functionNames: [String] { Array(functions.keys) }
    /// Builtins that run (not the bash ones aegish names only to refuse).
    public static var builtinNames: [String] { Array(builtins.keys) }
    /// Where command names are looked up: the policy's path, else $PATH.
    public var commandSearchPath: [String] {
        if let p = gate.searchPath { return p }
        return (vars.value("PATH") ?? "").split(separator: ":").map(String.init)
    }
}
