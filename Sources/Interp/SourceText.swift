import Syntax

// The text being run, kept so a gate request can carry the line it came from (the audit log
// records the command as written, not only as expanded). Line starts are found once, on first use.

final class SourceText {
    let text: String
    private var starts: [String.Index]? = nil

    init(_ text: String) { self.text = text }

    /// Line `n` (1-based) without its newline; nil when out of range.
    func line(_ n: Int) -> String? {
        if starts == nil {
            var s = [text.startIndex]
            var i = text.utf8.startIndex
            while let nl = text.utf8[i...].firstIndex(of: 0x0A) {
                i = text.utf8.index(after: nl)
                s.append(i)
            }
            starts = s
        }
        guard let starts, n >= 1, n <= starts.count else { return nil }
        let start = starts[n - 1]
        let end = n < starts.count ? text.utf8.index(before: starts[n]) : text.endIndex
        return start <= end ? String(text[start..<end]) : ""
    }
}

extension Shell {
    /// Runs `body` with `text` as the source that positions refer to.
    func withSource<T>(_ text: String, _ body: () throws -> T) rethrows -> T {
        let saved = source
        source = SourceText(text)
        defer { source = saved }
        return try body()
    }

    /// A gate request from here: the cwd, the position of the command being run (redirections,
    /// `cd` and `source` carry the position of their command) and its source line.
    func gateRequest(_ action: GateAction, argv: [String] = [], path: String, environment: [String] = [],
                     pos: Pos? = nil, assignedNames: [String] = []) -> GateRequest {
        let at = pos ?? commandPos
        var r = GateRequest(action: action, argv: argv, path: path, cwd: cwd, environment: environment, pos: at,
                            assignedNames: assignedNames, sourceLine: at.line > 0 ? source?.line(at.line) : nil)
        if action == .exec { r.stdinText = currentHereStdin() }
        return r
    }
}
