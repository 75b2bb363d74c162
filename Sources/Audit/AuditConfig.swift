/// Settings of the audit log: plain values, read by the shell from the policy's `[audit]` table
/// (keys in brackets; see aegish-audit(5)).
public struct AuditConfig: Sendable {
    public enum OnFailure: String, Sendable {
        /// Commands are refused when their decision cannot be logged (the default).
        case refuse
        /// Commands run anyway; the failure is reported on stderr.
        case `continue`
    }

    /// [file] Absolute path of the JSON Lines file. Its directory must exist; the file is created 0600.
    public var path: String
    /// [fsync] fdatasync after every record (while the lock is held, so a power loss can lose only
    /// a suffix of the log, never a record a later one is chained to).
    public var fsync: Bool = false
    /// [on_failure] "refuse" or "continue".
    public var onFailure: OnFailure = .refuse
    /// [exit_status] Record how every program ended (exit status, signal, duration) in a
    /// completion record, like sudo's log_exit_status. The shell then waits for every program;
    /// false lets the last program of a `-c` string replace the shell's process (faster start).
    public var exitStatus: Bool = true
    /// [syslog] Also send each record, summarised, as an RFC 5424 datagram to `syslogSocket`.
    public var syslog: Bool = false
    /// [syslog_socket]
    public var syslogSocket: String = "/dev/log"
    /// [syslog_facility] Facility name (auth, authpriv, user, local0 … local7, daemon).
    public var syslogFacility: String = "authpriv"
    /// [redact] Regular expressions applied to the command line and to every argument before
    /// writing: capture group 1 when the pattern has one, else the whole match, becomes [REDACTED].
    /// Syntax: literals, `.`, `[...]`, `\s \S \d \D \w \W \b`, `( )`, `(?: )`, `|`, `* + ? {n,m}`
    /// (lazy with `?`), `^ $`, and a leading `(?i)`. Bytes, ASCII classes.
    public var redactPatterns: [String] = AuditConfig.defaultRedactPatterns
    /// [redact_options] Options whose value is secret: `--opt=VALUE` and `--opt VALUE` (the next
    /// argument), in the arguments and in the command line.
    public var redactOptions: [String] = AuditConfig.defaultRedactOptions
    /// [redact_attached] Command name → option with an attached secret value (`mysql -pSECRET`).
    public var redactAttached: [String: String] = AuditConfig.defaultRedactAttached
    /// [host] host.name (default: gethostname).
    public var hostName: String?
    /// user.name (default: the passwd name of the real uid). The shell usually knows it already.
    public var userName: String?
    /// user.id (default: getuid()).
    public var userID: UInt32?
    /// session.id (default: 16 random hex digits per AuditLog).
    public var sessionID: String?
    /// process.tty.name (default: the terminal on fd 0, 1 or 2, if any).
    public var tty: String?
    /// [lock_timeout_ms] How long a writer waits for the lock before failing (a stopped process can
    /// hold it).
    public var lockTimeoutMS: Int = 10_000

    public init(path: String = AuditConfig.defaultPath) { self.path = path }

    /// The log file when the policy names none.
    public static let defaultPath = "/var/log/aegish/audit.log"

    public static let defaultRedactPatterns: [String] = [
        // HTTP header values: -H 'Authorization: Bearer …', cookies, API-key headers.
        #"(?i)\b(?:authorization|proxy-authorization|x-api-key|x-auth-token|cookie)\s*:\s*([^"'\r\n]+)"#,
        // Secret-looking environment assignments: AWS_SECRET_ACCESS_KEY=…, GITHUB_TOKEN=…, *_PASSWORD=…
        #"(?i)\b[a-z0-9_]*(?:token|secret|password|passwd|secret_access_key|access_key|api_key|apikey)=("[^"]*"|'[^']*'|[^\s"']+)"#,
        // Passwords in URLs: scheme://user:PASSWORD@host
        #"://[^/\s:@]+:([^/\s@]+)@"#,
    ]
    public static let defaultRedactOptions: [String] = [
        "--password", "--passwd", "--pass", "--token", "--access-token", "--auth-token", "--api-key",
        "--apikey", "--secret", "--client-secret", "--secret-key", "--private-key-password",
    ]
    public static let defaultRedactAttached: [String: String] = [
        "mysql": "-p", "mysqldump": "-p", "mysqladmin": "-p", "mysqlimport": "-p", "mysqlshow": "-p",
        "mysqlcheck": "-p", "mariadb": "-p", "mariadb-dump": "-p", "mariadb-admin": "-p",
    ]
}
