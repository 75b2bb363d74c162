import Glibc
import CSys

// The last program of a `-c` string, a script or a forked subshell (a pipeline element, `( … )`,
// `$( … )`, a background job) replaces the shell's process instead of being started and waited
// for, as bash and dash do: the process would only wait and exit with the program's status.
// This saves a clone, a wait and the shell's exit on every agent command (`aegish -c CMD`) and
// one process per pipeline element. The program is decided by the gate, gets the same
// environment and the same kernel sandbox as a spawned one (CSys aegish_exec_sandboxed applies
// it and drops the setgid group right before execve): only *how* it is started differs.

extension Shell {
    /// Whether the command about to run may replace this process: nothing of the shell's can run
    /// after it (no trap, no signal waiting to be acted on) and no job control. The gate has its
    /// say in execInPlace, once the program's sandbox and environment are built.
    var mayExecInPlace: Bool {
        ownsProcess && jobControl == nil && !isInteractive && traps.values.allSatisfy(\.isEmpty) && pendingSignals.isEmpty
    }

    /// Replaces the process with the program. Returns only if that did not happen: nil when the
    /// gate wants to hear how the program ends (audit completion records, a session proxy that
    /// must die with the shell) or the file is not one the kernel runs directly (aegish runs a
    /// script without `#!` itself, unrestricted: the normal path does that); otherwise the status
    /// of the failed exec (126/127, reported like a failed spawn).
    func execInPlace(path: String, argv: [String], env: [String], sandbox: Sandbox) -> Int32? {
        guard !gate.wantsCompletion, aegish_signal_pending() == 0, Sys.startsLikeProgram(path) else { return nil }
        var ruleset: Int32 = -1
        if case .ruleset(let fd) = sandbox { ruleset = fd }
        let cargv = CStringArray(argv), cenv = CStringArray(env)
        defer { cargv.free(); cenv.free() }
        _ = cargv.pointers.withUnsafeBufferPointer { a in
            cenv.pointers.withUnsafeBufferPointer { e in
                aegish_exec_sandboxed(path, a.baseAddress, e.baseAddress, ruleset)
            }
        }
        let err = aegish_errno()
        warnAt("\(argv[0]): \(Sys.errorString(err))")
        return err == ENOENT ? 127 : 126
    }
}
