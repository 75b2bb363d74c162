import Audit

// The supervisor protocol (docs/ARCHITECTURE.md, "Supervision"): over a Unix stream socket,
// aegish connects, sends one question as one JSON line, and reads one answer as one JSON line;
// one connection per question. Both ends read each other's credentials from the kernel
// (SO_PEERCRED), never from the messages: what a message says about who sent it is shown, not
// trusted.
//
//   aegish → supervisor
//   {"type":"ask","version":1,"id":"…","session":"…","user":"alice","uid":1000,"host":"box",
//    "pid":4242,"tty":"/dev/pts/3","cwd":"/work","action":"exec","command":"rm -rf build",
//    "argv":["rm","-rf","build"],"path":"/usr/bin/rm","rule":"rm.recursive",
//    "reason":"…","timeout":60}
//   supervisor → aegish
//   {"id":"…","decision":"allow"|"allow_session"|"deny","reason":"…","by":"alice"}
//
// Anything else — another id, another decision, a line that is not JSON, no line before the
// timeout — is no answer, and the command is refused.

/// One question from aegish.
public struct SupervisorQuestion: Sendable, Equatable {
    public static let version = 1
    public var id: String
    public var session: String
    public var user: String
    public var uid: UInt32
    public var host: String
    public var pid: Int32
    public var tty: String?
    public var cwd: String
    /// exec, open (read|write|append|readWrite), cd, source.
    public var action: String
    /// The command line as typed (or the argv joined).
    public var command: String
    public var argv: [String]
    /// The program, file or directory.
    public var path: String
    public var rule: String
    public var reason: String
    /// Seconds aegish waits.
    public var timeout: Int

    public init(id: String, session: String, user: String, uid: UInt32, host: String, pid: Int32, tty: String?,
                cwd: String, action: String, command: String, argv: [String], path: String, rule: String,
                reason: String, timeout: Int) {
        self.id = id; self.session = session; self.user = user; self.uid = uid; self.host = host
        self.pid = pid; self.tty = tty; self.cwd = cwd; self.action = action; self.command = command
        self.argv = argv; self.path = path; self.rule = rule; self.reason = reason; self.timeout = timeout
    }

    /// The JSON line (without the newline).
    public func encoded() -> String {
        var members: [String] = [
            q("type") + ":" + q("ask"), q("version") + ":\(Self.version)", q("id") + ":" + q(id),
            q("session") + ":" + q(session), q("user") + ":" + q(user), q("uid") + ":\(uid)",
            q("host") + ":" + q(host), q("pid") + ":\(pid)",
        ]
        if let tty { members.append(q("tty") + ":" + q(tty)) }
        members += [
            q("cwd") + ":" + q(cwd), q("action") + ":" + q(action), q("command") + ":" + q(command),
            q("argv") + ":[" + argv.map(q).joined(separator: ",") + "]", q("path") + ":" + q(path),
            q("rule") + ":" + q(rule), q("reason") + ":" + q(reason), q("timeout") + ":\(timeout)",
        ]
        return "{" + members.joined(separator: ",") + "}"
    }

    /// nil unless `line` is a question of this version with every member present and typed.
    public init?(decoding line: String) {
        guard let members = parseJSONObject(line) else { return nil }
        var m: [String: JSONValue] = [:]
        for (k, v) in members { m[k] = v }
        guard str(m["type"]) == "ask", m["version"]?.intValue == Self.version,
              let id = str(m["id"]), let session = str(m["session"]),
              let user = str(m["user"]), let uid = m["uid"]?.intValue.flatMap(UInt32.init(exactly:)),
              let host = str(m["host"]), let pid = m["pid"]?.intValue.flatMap(Int32.init(exactly:)),
              let cwd = str(m["cwd"]), let action = str(m["action"]),
              let command = str(m["command"]), case .array(let a)? = m["argv"],
              let path = str(m["path"]), let rule = str(m["rule"]),
              let reason = str(m["reason"]), let timeout = m["timeout"]?.intValue else { return nil }
        let argv = a.compactMap { str($0) }
        guard argv.count == a.count else { return nil }
        self.init(id: id, session: session, user: user, uid: uid, host: host, pid: pid,
                  tty: str(m["tty"]), cwd: cwd, action: action, command: command, argv: argv,
                  path: path, rule: rule, reason: reason, timeout: timeout)
    }
}

/// The supervisor's answer.
public struct SupervisorAnswer: Sendable, Equatable {
    public enum Decision: String, Sendable {
        case allow
        case allowSession = "allow_session"
        case deny
    }
    public var id: String
    public var decision: Decision
    /// Why (for a denial: shown to the agent).
    public var reason: String?
    /// Who answered, as the supervisor says (shown in the log next to the kernel's uid and pid).
    public var by: String?

    public init(id: String, decision: Decision, reason: String? = nil, by: String? = nil) {
        self.id = id; self.decision = decision; self.reason = reason; self.by = by
    }

    public func encoded() -> String {
        var s = "{" + q("id") + ":" + q(id) + "," + q("decision") + ":" + q(decision.rawValue)
        if let reason { s += "," + q("reason") + ":" + q(reason) }
        if let by { s += "," + q("by") + ":" + q(by) }
        return s + "}"
    }

    public init?(decoding line: String) {
        guard let members = parseJSONObject(line) else { return nil }
        var m: [String: JSONValue] = [:]
        for (k, v) in members { m[k] = v }
        guard let id = str(m["id"]),
              let d = str(m["decision"]).flatMap(Decision.init(rawValue:)) else { return nil }
        self.init(id: id, decision: d, reason: str(m["reason"]), by: str(m["by"]))
    }

    /// What aegish does with it.
    public var approval: ApprovalAnswer {
        switch decision {
        case .allow: return .allowOnce
        case .allowSession: return .allowForSession
        case .deny: return .deny(reason: reason.flatMap { $0.isEmpty ? nil : $0 })
        }
    }
}

private func q(_ s: String) -> String { jsonQuote(s) }

/// A JSON string member, strictly (a number is not a string here).
private func str(_ v: JSONValue?) -> String? {
    if case .string(let s)? = v { return s }
    return nil
}
