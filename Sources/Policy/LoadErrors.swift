// The one error type policy loading throws. A policy that fails to load governs nothing: the
// caller refuses every command (fail closed), and shows this message to say why.

public struct PolicyLoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// file:line:column (column 1-based); line and column 0 when the position is unknown
    /// (the file could not be read, or is writable by the governed user).
    public var location: SourceLocation
    /// What is wrong and what to do about it.
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.init(location: SourceLocation(file: file, line: line, column: column), message: message)
    }

    /// `FILE:LINE:COL: MESSAGE`, or `FILE: MESSAGE` when the position is unknown (line 0).
    public var description: String {
        location.line > 0 ? "\(location): \(message)" : "\(location.file): \(message)"
    }
}
