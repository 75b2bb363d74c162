// The kernel sandbox an allowed program runs in. The gate decides it (Gate.sandbox(for:)), the
// interpreter hands it to aegish_spawn_sandboxed / aegish_exec_sandboxed, and the child applies it
// between fork and exec (Sources/CSys/process.c, sandbox_apply_in_child).

public enum Sandbox: Equatable, Sendable {
    /// No sandbox (test gates; a policy with `kernel = "off"`; best-effort on a kernel without
    /// Landlock, which the gate has said loudly).
    case none
    /// Apply this Landlock ruleset. The descriptor belongs to the gate, which keeps it for later
    /// programs; the interpreter must not close it.
    case ruleset(Int32)
    /// The policy requires a sandbox that cannot be built: the program must not run.
    case refused(reason: String)
}
