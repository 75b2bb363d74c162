// The policy as plain values: what the TOML file says, validated. Loading is in Load.swift,
// deciding in Engine.swift. Nothing here touches the file system.

import Audit
import RateLimit
import Scan

/// allow < ask < deny: when several rules match, the strongest wins (deny beats ask beats allow).
public enum Verdict: Int, Comparable, Sendable, CustomStringConvertible {
    case allow = 0, ask = 1, deny = 2
    public static func < (a: Verdict, b: Verdict) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
        switch self { case .allow: return "allow"; case .ask: return "ask"; case .deny: return "deny" }
    }
    public init?(_ s: String) {
        switch s { case "allow": self = .allow; case "ask": self = .ask; case "deny": self = .deny; default: return nil }
    }
}

/// A decision with the rule that made it and a reason a person (or an agent) can act on.
public struct Decision: Equatable, Sendable {
    public var verdict: Verdict
    public var ruleID: String
    public var reason: String
    public init(_ verdict: Verdict, rule: String, _ reason: String) {
        self.verdict = verdict; self.ruleID = rule; self.reason = reason
    }
    /// The stronger of two decisions (the first wins a tie, so earlier evidence is reported).
    public func combined(with other: Decision) -> Decision { other.verdict > verdict ? other : self }
}

/// Where something was written in the policy file, for messages.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

public struct Policy: Sendable {
    public var name: String = "unnamed"
    /// For commands (and everything else) no rule names.
    public var defaultVerdict: Verdict = .deny
    /// Where command names are looked up. Never the agent's PATH.
    public var searchPath: [String] = ["/usr/local/bin", "/usr/bin", "/bin"]
    /// The directory the agent works in; `$WORKSPACE` in path patterns.
    public var workspace: String? = nil
    /// Verdict for programs under the workspace that no rule names (`./a.out` the agent built).
    /// They are the agent's own code, like a script run by an allowed interpreter; the files and
    /// hosts they name on the command line are still checked.
    public var workspacePrograms: Verdict = .deny
    public var paths = PathRules()
    public var network = NetworkRules()
    public var environment = EnvironmentRules()
    public var commands: [CommandRule] = []
    public var tests: [PolicyTest] = []
    /// `[audit]`: where and how decisions are logged. nil: the policy has no [audit] table and
    /// nothing is logged.
    public var audit: AuditConfig? = nil
    /// `[limits]` and `[[limit]]`: rate limits on destructive operations. nil: none.
    public var limits: LimitConfig? = nil
    /// `[policy] kernel`: the kernel sandbox (Landlock) for the programs aegish starts.
    /// Absent: best-effort, so a policy written before the kernel layer keeps working on a kernel
    /// without Landlock (and says so); the example policy sets "required".
    public var kernel: KernelMode = .bestEffort
    /// `[policy] kernel_shells`: what a sandboxed program's `/bin/sh` (and bash, dash, …) is.
    public var kernelShells: KernelShells = .aegish
    /// `[supervisor]`: who answers `ask` (LoadSupervisor.swift). nil: nobody, so `ask` is refused.
    public var supervisor: SupervisorConfig? = nil
    /// `[scan]`: code scanned before an interpreter runs it, package installs checked. nil: none.
    /// From the compiled-policy cache it is decoded at its first use (`scanSource`): most
    /// commands run no interpreter, and decoding it cost every start ~30 µs.
    public var scan: ScanConfig? {
        get { if let s = scanSource { return s.config }; return scanValue }
        set { scanValue = newValue; scanSource = nil }
    }
    private var scanValue: ScanConfig? = nil
    /// A `[scan]` table still in the cache (CacheScan.swift).
    public internal(set) var scanSource: LazyScanConfig? = nil
    /// Whether the policy has a `[scan]` table (without decoding one that is still in the cache).
    public var hasScan: Bool { scanSource != nil || scanValue != nil }
    /// Paths the shell keeps for itself: the audit log's and the rate-limit state's directories,
    /// the supervisor's socket, the scan cache.
    public var enforcementPaths: [String] {
        var out: [String] = []
        if let a = audit, let slash = a.path.lastIndex(of: "/") {
            let dir = String(a.path[..<slash])
            out.append(dir.isEmpty ? a.path : dir)
        }
        if let l = limits { out.append(l.stateDirectory) }
        // The supervisor's socket: only aegish itself talks to it, never a command it runs.
        if let s = supervisor?.socket { out.append(s) }
        if let s = scanSource {
            if let d = s.cacheDirectory { out.append(d) }
        } else if let d = scanValue?.cacheDirectory {
            out.append(d)
        }
        return out
    }
    /// Where the policy was loaded from.
    public var file: String = ""
    public init() {}
}

/// What a shell started from inside a sandboxed program is (CSys shellns.c).
public enum KernelShells: String, Sendable {
    /// aegish, bound over the system's shells in the program's own namespaces: `make` recipes,
    /// `sh -c` from any program, run under the same policy.
    case aegish
    /// Nothing: the kernel domain refuses to execute them (EACCES), and the program fails.
    case refuse
}

/// How the kernel layer is used (KernelRules.swift, KernelSandbox.swift).
public enum KernelMode: String, Sendable {
    /// Every program runs in the sandbox. When the kernel cannot build it (no Landlock, an ABI
    /// too old for a right the policy needs, any error), no program runs.
    case required
    /// The sandbox with what the kernel supports; what is not enforced is said at session start
    /// (stderr) and in the audit log.
    case bestEffort = "best-effort"
    /// No sandbox: only the shell's own checks apply.
    case off
}

public struct PathRules: Sendable {
    /// nil: reads are not restricted (only `deny` applies to reads).
    public var read: [String]? = nil
    public var write: [String] = []
    /// Never readable or writable, even inside `read`/`write` (e.g. ~/.ssh).
    public var deny: [String] = []
    /// Verdict for a path outside the lists (deny in the example).
    public var outside: Verdict = .deny
    public init() {}
}

public struct NetworkRules: Sendable {
    /// Host patterns: `example.com` (exactly), `*.example.com` (subdomains only), `.example.com`
    /// (the domain and its subdomains).
    public var allow: [String] = []
    public var deny: [String] = []
    /// Verdict for a host not in `allow`.
    public var outside: Verdict = .deny
    public init() {}
}

public struct EnvironmentRules: Sendable {
    /// Variables passed to programs from the shell's environment (names or `PREFIX_*`).
    /// nil: pass everything not denied.
    public var pass: [String]? = nil
    /// Set for every program, overriding the shell's value.
    public var set: [String: String] = [:]
    /// Never passed; `VAR=x cmd` with one of these is refused.
    public var deny: [String] = []
    public init() {}
}

/// A rule about one program (reached by any of `names`: bare names resolve through the search
/// path; absolute paths as written; both are compared after symlinks are resolved).
public struct CommandRule: Sendable {
    public var id: String
    public var names: [String]
    public var verdict: Verdict
    public var reason: String? = nil
    /// Optional pin: the program file's SHA-256 (hex).
    public var sha256: String? = nil
    /// Options that take a value as the next word (`-C dir`, `--git-dir x`), so argument
    /// parsing knows `-C` is not a flag cluster and `dir` is not a subcommand.
    public var optionsWithValue: [String] = []
    /// Options refused/asked however spelled (`-r`, `--recursive`, `-rf`, `--recur`, `--opt=v`).
    public var denyOptions: [String] = []
    public var askOptions: [String] = []
    /// Argument patterns in order, matched against the arguments after the program name with
    /// global options removed (`push *`, `reset --hard*`). The strongest matching verdict applies.
    public var arguments: [ArgumentRule] = []
    /// For interpreters: inline code (`python -c`, `node -e`, `perl -e`, awk programs).
    public var inlineCode: Verdict? = nil
    /// Extra: this rule's own reason for network use, read/write path roles, etc. come from the
    /// built-in command knowledge (Knowledge.swift).
    public var location: SourceLocation? = nil
    public init(id: String, names: [String], verdict: Verdict) {
        self.id = id; self.names = names; self.verdict = verdict
    }
}

public struct ArgumentRule: Sendable {
    public var pattern: String
    public var verdict: Verdict
    public var reason: String? = nil
    public var id: String
    public init(pattern: String, verdict: Verdict, id: String) {
        self.pattern = pattern; self.verdict = verdict; self.id = id
    }
}

/// `[[test]]`: an example the policy must decide as stated, checked every time it loads.
public struct PolicyTest: Sendable {
    public var command: String
    public var expect: Verdict
    public var rule: String? = nil
    public var cwd: String? = nil
    public var location: SourceLocation? = nil
    public init(command: String, expect: Verdict) { self.command = command; self.expect = expect }
}
