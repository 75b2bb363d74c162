// What a scanner found, in one shape whatever reported it.

/// Something the built-in layer could not judge alone: a literal path the code writes or a host
/// it contacts. The caller checks it against the policy's path and host rules (Enforce does, with
/// the engine), so a cached result never goes stale when the policy changes.
public enum FindingSubject: Equatable, Sendable {
    case writes(String)
    case contacts(String)
}

public struct Finding: Equatable, Sendable {
    /// Where: the file as the command named it (`app.py`), `-c`/`-e` code, or `<stdin>`.
    public var file: String
    public var line: Int
    /// `builtin`, `bandit`, `shellcheck`, … or `packages`.
    public var scanner: String
    /// The scanner's rule id (`B602`, `SC2086`, `py.eval`).
    public var rule: String
    public var severity: Severity
    /// The scanner's confidence, when it reports one.
    public var confidence: Severity?
    public var message: String
    /// For the built-in layer: a path or host still to be checked against the policy.
    public var subject: FindingSubject?

    public init(file: String, line: Int, scanner: String, rule: String, severity: Severity,
                confidence: Severity? = nil, message: String, subject: FindingSubject? = nil) {
        self.file = file; self.line = line; self.scanner = scanner; self.rule = rule
        self.severity = severity; self.confidence = confidence; self.message = message; self.subject = subject
    }

    /// `app.py:3: bandit B602 (high): subprocess call with shell=True identified`
    public var description: String {
        let at = line > 0 ? "\(file):\(line)" : file
        var sev = "\(severity)"
        if let c = confidence { sev += ", confidence \(c)" }
        return "\(at): \(scanner) \(rule) (\(sev)): \(message)"
    }
}

/// Why a scanner produced no usable result.
public struct ScanFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case missing, untrusted, failed, timeout, unreadable }
    public var scanner: String
    public var kind: Kind
    public var message: String
    public init(scanner: String, kind: Kind, message: String) {
        self.scanner = scanner; self.kind = kind; self.message = message
    }
    public var description: String { "\(scanner): \(message)" }
}
