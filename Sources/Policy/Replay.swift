import Audit
import Syntax

// Deciding logged decisions again (`aegishctl replay`): an audit record (aegish-audit(5)) carries
// what the gate saw — the argv after expansion and the working directory for an exec, the path for
// an open, cd or source — so the engine can decide it again exactly as the gate would, under
// another policy. What the record does not carry is decided conservatively: an open record keeps
// the path but not the mode (read or write), which is taken from the logged command line's
// redirection to that file, else from the logged rule, else write (the stricter); variables set
// on the command line (`VAR=x cmd`) are not logged and so not checked again. Arguments the log
// redacted are decided as "[REDACTED]".

/// One decision record of the log, as far as replaying needs it.
public struct LoggedDecision: Sendable {
    /// event.action: exec, open, cd, source.
    public var action: String
    /// event.outcome: allowed, denied, asked_*, rate_limited.
    public var outcome: String
    public var ruleID: String?
    public var userName: String?
    public var userID: UInt32?
    public var workingDirectory: String?
    public var commandLine: String?
    /// process.args (exec).
    public var args: [String]?
    /// file.path (open, cd, source).
    public var filePath: String?

    /// The policy's verdict at the time, from the logged outcome. A refusal or question from the
    /// rate limiter counts as the policy's allow (the limiter only sees what the policy let
    /// through); nil for records that are not decisions.
    public var oldVerdict: Verdict? {
        let rule = ruleID ?? ""
        if rule == "limits" || rule.hasPrefix("limit.") { return .allow }
        switch outcome {
        case "allowed", "rate_limited": return .allow
        case "denied": return .deny
        default: return outcome.hasPrefix("asked") ? .ask : nil
        }
    }
}

public enum LogLine: Sendable {
    /// A decision to replay.
    case decision(LoggedDecision)
    /// A record with nothing to replay (completions, log repairs, records missing what is needed).
    case skipped
    /// Not a JSON object.
    case unreadable
}

/// Reads one line of the log.
public func readLogLine(_ line: String) -> LogLine {
    guard let members = parseJSONObject(line) else { return .unreadable }
    var f: [String: JSONValue] = [:]
    for (k, v) in members { f[k] = v }
    guard let action = f["event.action"]?.stringValue, ["exec", "open", "cd", "source"].contains(action),
          let outcome = f["event.outcome"]?.stringValue else { return .skipped }
    var d = LoggedDecision(action: action, outcome: outcome)
    d.ruleID = f["rule.id"]?.stringValue
    d.userName = f["user.name"]?.stringValue
    d.userID = f["user.id"]?.stringValue.flatMap { UInt32($0) }
    d.workingDirectory = f["process.working_directory"]?.stringValue
    d.commandLine = f["process.command_line"]?.stringValue
    if case .array(let items)? = f["process.args"] { d.args = items.map { $0.stringValue ?? "" } }
    d.filePath = f["file.path"]?.stringValue
    if d.oldVerdict == nil { return .skipped }
    if action == "exec" ? (d.args ?? []).isEmpty : d.filePath == nil { return .skipped }
    return .decision(d)
}

extension LoggedDecision {
    init(action: String, outcome: String) { self.action = action; self.outcome = outcome }
}

/// The decision `engine` makes now for a logged one, and what it was about (`git push origin`,
/// `> /work/out.txt`, `cd /tmp`). `relocate` maps logged absolute paths and directories into
/// this machine's layout (the identity unless the workspace was moved).
public func redecide(_ d: LoggedDecision, engine: PolicyEngine,
                     relocate: (String) -> String = { $0 }) -> (what: String, decision: Decision) {
    let cwd = relocate(d.workingDirectory ?? "/")
    if d.action == "exec", let argv = d.args {
        return (argv.joined(separator: " "), engine.decideExec(argv: argv, path: nil, cwd: cwd))
    }
    let path = d.filePath ?? "/"
    let access: Access = d.action == "open" ? openAccess(d, cwd: d.workingDirectory ?? "/") : .read
    let what = (d.action == "open" ? (access == .read ? "< " : "> ") : d.action + " ") + path
    return (what, engine.decideOpen(relocate(path), access: access, cwd: cwd))
}

/// Read or write, for an open record (see the top of this file).
func openAccess(_ d: LoggedDecision, cwd: String) -> Access {
    if let line = d.commandLine, let script = try? parseCompleteInput(line).script, let path = d.filePath {
        var found: Access? = nil
        forEachRedirection(in: script) { r in
            guard found == nil, let target = plainText(r.target),
                  canonicalPath(target, cwd: cwd) == canonicalPath(path, cwd: cwd) else { return }
            switch r.op {
            case .input: found = .read
            case .output, .append, .clobber, .readWrite, .outputBoth, .appendBoth, .dupOutput: found = .write
            case .dupInput, .hereDoc, .hereDocStrip, .hereString: break
            }
        }
        if let found { return found }
    }
    return d.ruleID == "paths.read" ? .read : .write
}

/// A word's text when it has no expansions.
private func plainText(_ w: Word) -> String? {
    var s = ""
    for p in w.parts {
        switch p {
        case .literal(let t), .quoted(let t): s += t
        default: return nil
        }
    }
    return s
}

/// Every redirection in a script, in every command.
func forEachRedirection(in s: Script, _ f: (Redirection) -> Void) {
    func command(_ c: Command) {
        switch c {
        case .simple(let sc): sc.redirections.forEach(f)
        case .compound(let cc, let rs, _):
            switch cc {
            case .brace(let b), .subshell(let b): forEachRedirection(in: b, f)
            case .ifClause(let ic):
                for b in ic.branches { forEachRedirection(in: b.condition, f); forEachRedirection(in: b.body, f) }
                if let e = ic.elseBody { forEachRedirection(in: e, f) }
            case .loop(let l): forEachRedirection(in: l.condition, f); forEachRedirection(in: l.body, f)
            case .forLoop(let l): forEachRedirection(in: l.body, f)
            case .arithFor(let l): forEachRedirection(in: l.body, f)
            case .caseClause(let c): c.items.forEach { forEachRedirection(in: $0.body, f) }
            case .condition, .arithmetic: break
            }
            rs.forEach(f)
        case .function(let fn): command(fn.body)
        }
    }
    for item in s.items {
        item.andOr.first.commands.forEach(command)
        for r in item.andOr.rest { r.pipeline.commands.forEach(command) }
    }
}
