import Syntax

// The policy seam. Every external exec, every file the shell opens for a redirection, every `cd`
// and every `source` is put to one Gate before it happens, with the fully expanded argv or path.
// The interpreter never decides policy itself; it only asks, and obeys.

/// What the shell is about to do.
public enum GateAction: Equatable, Sendable {
    /// Run an external program. `path` is the resolved absolute path; `argv[0]` is the name as typed.
    case exec
    /// Open a file for a redirection.
    case open(OpenMode)
    /// Change the working directory to `path`.
    case cd
    /// Read and run a script in the current shell (`source`/`.`).
    case source
}

public enum OpenMode: Equatable, Sendable {
    case read, write, append, readWrite
}

public struct GateRequest: Sendable {
    public var action: GateAction
    /// For `.exec`: the argv after expansion. Otherwise empty.
    public var argv: [String]
    /// Absolute, lexically normalised path (the program, file or directory).
    public var path: String
    /// The shell's working directory when the request was made.
    public var cwd: String
    /// For `.exec`: the environment the child would get (NAME=value).
    public var environment: [String]
    /// Where in the source the request comes from.
    public var pos: Pos
    /// For `.exec`: names assigned on the command line itself (`VAR=x cmd`), which a policy may
    /// refuse outright rather than strip.
    public var assignedNames: [String]
    /// The source line the request comes from, as written (for the audit log); nil if unknown.
    public var sourceLine: String?
    /// For `.exec`: what the program reads on standard input when that is a here-document or
    /// here-string (`python3 - <<'EOF'`), so code fed that way can be scanned; nil otherwise.
    public var stdinText: String? = nil

    public init(action: GateAction, argv: [String], path: String, cwd: String,
                environment: [String], pos: Pos, assignedNames: [String] = [], sourceLine: String? = nil) {
        self.action = action; self.argv = argv; self.path = path; self.cwd = cwd
        self.environment = environment; self.pos = pos; self.assignedNames = assignedNames
        self.sourceLine = sourceLine
    }
}

/// How an allowed program ended, reported back to the gate (for the audit log).
public struct GateCompletion: Equatable, Sendable {
    /// Exit status when it exited; nil when killed by a signal or never started.
    public var exitCode: Int32?
    /// The signal that killed it.
    public var signal: Int32?
    public var durationNS: UInt64
    public init(exitCode: Int32?, signal: Int32?, durationNS: UInt64) {
        self.exitCode = exitCode; self.signal = signal; self.durationNS = durationNS
    }
}

public enum GateDecision: Equatable, Sendable {
    case allow
    case deny(reason: String)
    /// A human must approve. Without an approver the interpreter treats it as a denial.
    case ask(reason: String)
}

public protocol Gate: AnyObject {
    func decide(_ request: GateRequest) -> GateDecision
    /// Where command names are looked up; nil means the shell's `$PATH` (test gates only —
    /// a policy always names its own path, so an agent's PATH cannot change what runs).
    var searchPath: [String]? { get }
    /// The environment an allowed program actually gets, from what the shell would pass.
    func childEnvironment(_ environment: [String]) -> [String]
    /// What the `allowed` builtin prints: what this gate lets an agent do.
    func summary() -> String
    /// After `.ask`: get the answer (from a supervisor, if the gate has one) and say what the shell
    /// does now: `.allow` or `.deny` with the reason to show (a gate never returns `.ask` here).
    func resolveAsk(_ request: GateRequest, reason: String) -> GateDecision
    /// After an allowed `.exec` ended (or failed to start). Called in the process that decided.
    func finished(_ request: GateRequest, _ completion: GateCompletion)
    /// Whether the shell must keep its process until a program ends: a gate that records how
    /// programs end (`finished`, the audit log's completion records) or owns a helper that dies
    /// with the shell. Otherwise the last program of a `-c` string or a subshell replaces the
    /// shell's process (TailExec.swift). Asked after `sandbox(for:)` and `childEnvironment`.
    var wantsCompletion: Bool { get }
    /// A descriptor the shell watches while it waits for a program it started: when it becomes
    /// readable, the gate's service must start (`startPendingService`). The session proxy's
    /// listener, whose helper process starts only when a program first connects. nil: none.
    var pendingServiceFD: Int32? { get }
    /// Starts the pending services now: before every fork of the shell (cheap when nothing is
    /// pending), or when the descriptor is ready.
    func startPendingService()
    /// A descriptor the shell also watches while it waits for a program: requests from nested
    /// aegish processes inside its programs (the relay, Enforce/RelayServer.swift), which
    /// `serveRelay` answers. nil: none.
    var relayFD: Int32? { get }
    func serveRelay()
    /// The kernel sandbox an allowed `.exec` runs in (Sandbox.swift), asked right before it starts.
    func sandbox(for request: GateRequest) -> Sandbox
    /// The policy's name, for the interactive prompt and banner; nil if there is none.
    var policyName: String? { get }
    /// Whether tab completion may offer what `request` describes: a command (`.exec` with just
    /// its name), a file to read or a directory to enter. Nothing is being done, so nothing may be
    /// logged, counted or asked: a gate that records decisions must override this. `.ask` counts
    /// as offered (a supervisor may allow it).
    func completionAllows(_ request: GateRequest) -> Bool
}

extension Gate {
    public var searchPath: [String]? { nil }
    public func childEnvironment(_ environment: [String]) -> [String] { environment }
    public func summary() -> String { "no policy is loaded: every command is allowed (test mode)\n" }
    public func resolveAsk(_ request: GateRequest, reason: String) -> GateDecision {
        .deny(reason: "approval required and no supervisor is available: " + reason)
    }
    public func finished(_ request: GateRequest, _ completion: GateCompletion) {}
    public var wantsCompletion: Bool { false }
    public var pendingServiceFD: Int32? { nil }
    public func startPendingService() {}
    public var relayFD: Int32? { nil }
    public func serveRelay() {}
    public func sandbox(for request: GateRequest) -> Sandbox { .none }
    public var policyName: String? { nil }
    public func completionAllows(_ request: GateRequest) -> Bool {
        if case .deny = decide(request) { return false }
        return true
    }
}

/// Allows everything. For tests of the language only; never the default for a governed user.
public final class AllowAllGate: Gate {
    public init() {}
    public func decide(_ request: GateRequest) -> GateDecision { .allow }
    public var policyName: String? { "unrestricted" }
}

/// Refuses everything, with one reason. Used when the policy could not be loaded: fail closed.
public final class DenyAllGate: Gate {
    let reason: String
    public init(reason: String) { self.reason = reason }
    public func decide(_ request: GateRequest) -> GateDecision { .deny(reason: reason) }
    public func summary() -> String { "nothing is allowed: \(reason)\n" }
    public var policyName: String? { "refusing everything" }
}
