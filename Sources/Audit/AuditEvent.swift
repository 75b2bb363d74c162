/// event.action values.
public struct AuditAction: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public static let exec: AuditAction = "exec"
    public static let open: AuditAction = "open"
    public static let cd: AuditAction = "cd"
    public static let source: AuditAction = "source"
    public static let complete: AuditAction = "complete"
    public static let repair: AuditAction = "log.repair"
}

/// event.outcome values: the decision for exec/open/cd/source records, success/failure for
/// complete records.
public struct AuditOutcome: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public static let allowed: AuditOutcome = "allowed"
    public static let denied: AuditOutcome = "denied"
    /// Asked, and the user said yes / no / nobody answered.
    public static let askedAllowed: AuditOutcome = "asked_allowed"
    public static let askedDenied: AuditOutcome = "asked_denied"
    public static let askedUnanswered: AuditOutcome = "asked_unanswered"
    /// Refused by a rate limit.
    public static let rateLimited: AuditOutcome = "rate_limited"
    public static let success: AuditOutcome = "success"
    public static let failure: AuditOutcome = "failure"
    public static let repaired: AuditOutcome = "repaired"
}

/// The value of an extra field: a string, an integer or a list of strings.
public enum AuditValue: Equatable, Sendable {
    case string(String)
    case int(Int)
    case strings([String])
}

/// One decision, as the shell reports it. Everything but action and outcome is optional; nil
/// fields are left out of the record.
public struct AuditEvent: Sendable {
    public var action: AuditAction
    public var outcome: AuditOutcome
    /// process.command_line: the raw source line (redacted before writing).
    public var commandLine: String?
    /// aegish.source.file: the script being run, nil for -c and interactive input.
    public var sourceFile: String?
    /// aegish.source.position: "line:col" of the command in its source.
    public var line: Int?
    public var column: Int?
    /// process.args: argv after expansion (redacted before writing).
    public var args: [String]?
    /// process.executable: the resolved program path.
    public var executable: String?
    /// file.path: the path an open/cd/source decision is about.
    public var filePath: String?
    /// process.working_directory (default: getcwd at record time).
    public var workingDirectory: String?
    /// rule.id and event.reason (why the policy decided so).
    public var ruleID: String?
    public var reason: String?
    /// limit.<key>: limiter state, opaque (written in this order).
    public var limit: [(String, String)]
    /// aegish.approver: who answered an `ask` (the supervisor's uid and pid, or the terminal).
    public var approver: String? = nil
    /// Further fields by full name (`scan.verdict`, `scan.findings`, …), written after limit.*,
    /// in this order. Strings are redacted like the command line.
    public var extra: [(String, AuditValue)] = []
    /// process.exit_code, process.signal, event.duration (ns): complete records.
    public var exitCode: Int32?
    public var signal: Int32?
    public var durationNS: UInt64?
    /// aegish.sandbox: the kernel sandbox an allowed exec runs in ("landlock 7, required", or what
    /// best-effort does not enforce); nil for other records.
    public var sandbox: String? = nil

    public init(action: AuditAction, outcome: AuditOutcome, commandLine: String? = nil,
                sourceFile: String? = nil, line: Int? = nil, column: Int? = nil, args: [String]? = nil,
                executable: String? = nil, filePath: String? = nil, workingDirectory: String? = nil,
                ruleID: String? = nil, reason: String? = nil, limit: [(String, String)] = [],
                exitCode: Int32? = nil, signal: Int32? = nil, durationNS: UInt64? = nil) {
        self.action = action; self.outcome = outcome; self.commandLine = commandLine
        self.sourceFile = sourceFile; self.line = line; self.column = column; self.args = args
        self.executable = executable; self.filePath = filePath; self.workingDirectory = workingDirectory
        self.ruleID = ruleID; self.reason = reason; self.limit = limit
        self.exitCode = exitCode; self.signal = signal; self.durationNS = durationNS
    }
}
