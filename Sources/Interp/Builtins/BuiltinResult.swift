// Shared result type for the pure builtins in this folder (printf, echo, test, getopts).
//
// Conventions for diagnostics: bash prefixes most builtin errors with "<shell>: line N: ". These
// functions take a `diagnosticPrefix` (default "") that is prepended to each such message, so the
// caller passes e.g. "aegish: line 3: ". Usage lines ("printf: usage: ...") get no prefix, as in bash.

/// Output of a builtin run: bytes for stdout and stderr, and the exit status.
public struct BuiltinResult: Equatable, Sendable {
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var status: Int32

    public init(stdout: [UInt8] = [], stderr: [UInt8] = [], status: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
    }
}

extension BuiltinResult {
    /// Appends one located diagnostic line: prefix + message + "\n".
    mutating func diagnose(_ prefix: String, _ message: String) {
        stderr.append(contentsOf: prefix.utf8)
        stderr.append(contentsOf: message.utf8)
        stderr.append(0x0A)
    }

    /// Appends one unprefixed line (bash's `builtin_usage`).
    mutating func usage(_ line: String) {
        stderr.append(contentsOf: line.utf8)
        stderr.append(0x0A)
    }
}
