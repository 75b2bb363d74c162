// Limit classes and the limiter's configuration.
//
// Intended TOML form (parsed by the policy loader, which builds these structs):
//
//   [limits]
//   state_dir = "/var/lib/aegish/limits"   # root-owned, not writable by the governed user
//   on_state_error = "deny"                # or "allow": run uncounted when the state is unusable
//   walk_max_entries = 100000              # bounded walk of recursive operands
//   walk_max_ms = 50
//   lock_timeout_ms = 2000
//   durable = false                        # fdatasync the state after each update
//
//   [[limit]]
//   id = "delete"
//   commands = ["rm", "rmdir", "unlink", "shred"]
//   window = 60                             # seconds, sliding
//   max_operations = 30                     # per window (optional)
//   max_targets = 200                       # files per window, recursive operands walked (optional)
//   on_exceed = "ask"                       # or "deny" (default)
//
//   [[limit]]
//   id = "git-destructive"
//   commands = ["git"]
//   patterns = ["reset --hard", "clean", "checkout --force", "restore"]
//   window = 300
//   max_operations = 5
//
// An operation matching several classes is counted in each, and is allowed only if every one of
// them allows it.
import Glibc

/// What happens when a class's limit would be exceeded.
public enum LimitVerdict: String, Sendable, Equatable {
    case deny, ask
}

/// What happens when the state store cannot be used (missing or unsafe directory, corrupt file,
/// lock timeout, I/O error).
public enum StateErrorPolicy: String, Sendable, Equatable {
    /// Refuse the operation (fail closed; the default).
    case deny
    /// Let it run uncounted, with a warning in the outcome (for the log).
    case allow
}

public struct LimitClass: Sendable, Equatable {
    /// Identifier shown in messages and the log, and the key of the class's counters in the
    /// state file (so keep it stable across policy edits). 1…64 bytes.
    public var id: String
    /// Program basenames, as globs (`rm`, `mkfs.*`).
    public var commands: [String]
    /// Argument patterns (see Match.swift): the class covers a command when any matches; empty =
    /// every invocation of `commands`.
    public var patterns: [String]
    /// Sliding window, seconds (1 … 604800). Counters are kept in at most 64 buckets per window,
    /// so an entry leaves the window between `window` and `window + ceil(window/64)` seconds after
    /// it was counted (never earlier).
    public var window: Int
    /// Most operations per window; nil = not limited.
    public var maxOperations: Int?
    /// Most targets (files named; for recursive operands the entries under them) per window; nil
    /// = not limited (and no walk is done).
    public var maxTargets: Int?
    public var onExceed: LimitVerdict

    /// The patterns compiled, when a command of the class is met (not at every shell start).
    var compiled: [[PatternWord]] { patterns.map(compilePattern) }

    public init(id: String, commands: [String], patterns: [String] = [], window: Int,
                maxOperations: Int? = nil, maxTargets: Int? = nil, onExceed: LimitVerdict = .deny) {
        self.id = id; self.commands = commands; self.patterns = patterns; self.window = window
        self.maxOperations = maxOperations; self.maxTargets = maxTargets; self.onExceed = onExceed
    }

    public static func == (a: LimitClass, b: LimitClass) -> Bool {
        a.id == b.id && a.commands == b.commands && a.patterns == b.patterns && a.window == b.window
            && a.maxOperations == b.maxOperations && a.maxTargets == b.maxTargets && a.onExceed == b.onExceed
    }

    /// Does this class cover the command? `program` may be a path (its basename is used);
    /// `argv` is the full argv, argv[0] included (it is not matched).
    public func covers(program: String, argv: [String]) -> Bool {
        let base = String(programBasename(program))
        guard commands.contains(where: { globMatches($0, base) }) else { return false }
        if patterns.isEmpty { return true }
        return anyPatternMatches(compiled, argv.dropFirst())
    }

    /// Seconds per counting bucket.
    var granularity: Int { max(1, (window + 63) / 64) }
}

public struct LimitConfig: Sendable, Equatable {
    /// Directory of the per-user state files (`<dir>/<uid>`). It must exist, must not be a
    /// symlink, must be owned by `trustedOwner` (root by default), not by the governed user, and
    /// not be writable by others nor (when this process runs as the governed user) by one of the
    /// process's real groups. Deployment: root:aegish 02770 (or 0770) with aegish installed
    /// setgid aegish, or a root-run supervisor.
    public var stateDirectory: String
    public var classes: [LimitClass]
    public var onStateError: StateErrorPolicy
    /// Bounded walk of recursive operands: entries and wall time, shared by all operands of one
    /// operation. Reaching either counts the operation as over its target limit.
    public var walkMaxEntries: Int
    public var walkMaxMilliseconds: Int
    /// Waiting for the state lock longer than this is a state error (a stopped process holding it).
    public var lockTimeoutMilliseconds: Int
    /// fdatasync after each update (survives power loss; costs a disk flush per destructive command).
    public var durable: Bool
    /// Required owner of the state directory.
    public var trustedOwner: uid_t

    public init(stateDirectory: String = "/var/lib/aegish/limits", classes: [LimitClass],
                onStateError: StateErrorPolicy = .deny, walkMaxEntries: Int = 100_000,
                walkMaxMilliseconds: Int = 50, lockTimeoutMilliseconds: Int = 2000,
                durable: Bool = false, trustedOwner: uid_t = 0) {
        self.stateDirectory = stateDirectory; self.classes = classes; self.onStateError = onStateError
        self.walkMaxEntries = walkMaxEntries; self.walkMaxMilliseconds = walkMaxMilliseconds
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds; self.durable = durable
        self.trustedOwner = trustedOwner
    }

    public static let maxClasses = 48

    /// Problems with the configuration, one message each (empty = valid). The loader should
    /// refuse a policy with any.
    public func validate() -> [String] {
        var errs: [String] = []
        if !stateDirectory.hasPrefix("/") { errs.append("limits: state_dir must be an absolute path") }
        if classes.count > LimitConfig.maxClasses { errs.append("limits: at most \(LimitConfig.maxClasses) [[limit]] classes") }
        var seen = Set<String>()
        for c in classes {
            let name = "limit \"\(c.id)\""
            if c.id.isEmpty || c.id.utf8.count > 64 { errs.append("\(name): id must be 1 to 64 bytes") }
            if !seen.insert(c.id).inserted { errs.append("\(name): duplicate id") }
            if c.commands.isEmpty { errs.append("\(name): commands is empty") }
            if c.commands.contains(where: { $0.isEmpty || $0.contains("/") }) {
                errs.append("\(name): commands are program basenames (no /)")
            }
            if c.patterns.contains(where: { splitPatternWords($0).isEmpty }) { errs.append("\(name): empty pattern") }
            if c.window < 1 || c.window > 604_800 { errs.append("\(name): window must be 1 to 604800 seconds") }
            if c.maxOperations == nil && c.maxTargets == nil {
                errs.append("\(name): set max_operations, max_targets or both")
            }
            if let m = c.maxOperations, m < 0 || m > Int(UInt32.max) { errs.append("\(name): max_operations out of range") }
            if let m = c.maxTargets, m < 0 || m > Int(UInt32.max) { errs.append("\(name): max_targets out of range") }
        }
        if walkMaxEntries < 1 { errs.append("limits: walk_max_entries must be positive") }
        if walkMaxMilliseconds < 1 { errs.append("limits: walk_max_ms must be positive") }
        if lockTimeoutMilliseconds < 1 { errs.append("limits: lock_timeout_ms must be positive") }
        return errs
    }
}
