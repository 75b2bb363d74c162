import Glibc
import CSys
import Interp
import Policy
import Audit

// aegish's end of the supervisor channel: an Approver that puts each `ask` to the process
// serving the policy's [supervisor] socket (`aegishctl supervise`) and waits for the answer.
//
// The agent must not be able to answer its own questions. The socket lives in a directory the
// governed user cannot write, but the check that matters is the kernel's: SO_PEERCRED gives the
// uid of the process that listens on the socket, and it must be the policy's supervisor uid
// (root by default). A supervisor the agent started itself — on a socket it created, or after
// replacing the real one in a directory that was left writable — runs as the agent's uid and is
// refused before anything is sent. Every failure (nobody listening, wrong uid, timeout, broken
// connection, an answer that is not well-formed or not for this question) is `.unavailable`:
// the command is refused.

public final class SupervisorClient: Approver {
    /// Who asks, as the supervisor is told (it sees the kernel's uid and pid as well).
    public struct Asker: Sendable {
        public var session: String
        public var user: String
        public var host: String
        public var tty: String?
        public init(session: String, user: String, host: String, tty: String?) {
            self.session = session; self.user = user; self.host = host; self.tty = tty
        }
    }

    let config: SupervisorConfig
    let socketPath: String
    /// Looked up at the first question: most shells never ask, and a passwd lookup at every
    /// start would cost each of them.
    private let describeAsker: () -> Asker
    private lazy var asker: Asker = describeAsker()
    public private(set) var answeredBy: String? = nil

    public init(config: SupervisorConfig, socket: String, asker: @escaping () -> Asker) {
        self.config = config
        self.socketPath = socket
        self.describeAsker = asker
    }

    public convenience init(config: SupervisorConfig, socket: String, session: String, user: String, host: String,
                            tty: String?) {
        let a = Asker(session: session, user: user, host: host, tty: tty)
        self.init(config: config, socket: socket, asker: { a })
    }

    public func approve(_ q: ApprovalRequest) -> ApprovalAnswer {
        answeredBy = nil
        let fd = aegish_unix_connect(socketPath)
        guard fd >= 0 else {
            let e = aegish_errno()
            let why = e == ENOENT || e == ECONNREFUSED ? "no supervisor is listening on \(socketPath)"
                : "the supervisor socket \(socketPath) cannot be reached (\(errorText(e)))"
            return .unavailable(reason: why + " (start `aegishctl supervise` as \(config.supervisorDescription))")
        }
        defer { close(fd) }
        var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
        guard aegish_peer_cred(fd, &pid, &uid, &gid) == 0 else {
            return .unavailable(reason: "the supervisor's identity cannot be checked (\(errorText(aegish_errno())))")
        }
        guard uid == config.uid else {
            return .unavailable(reason: "the process serving \(socketPath) runs as uid \(uid), not as the supervisor "
                                + "the policy names (\(config.supervisorDescription)); its answers are not trusted")
        }
        let question = self.question(q)
        guard sendLine(fd, question.encoded()) else {
            return .unavailable(reason: "the connection to the supervisor broke (\(errorText(aegish_errno())))")
        }
        let line: String
        switch readLine(fd, timeoutSeconds: config.timeout) {
        case .success(let l): line = l
        case .failure(let f): return .unavailable(reason: f.reason)
        }
        guard let answer = SupervisorAnswer(decoding: line), answer.id == question.id else {
            return .unavailable(reason: "the supervisor's answer could not be understood")
        }
        var who = "supervisor uid \(uid) pid \(pid)"
        if let by = answer.by, !by.isEmpty { who += " (\(by))" }
        answeredBy = who
        return answer.approval
    }

    func question(_ q: ApprovalRequest) -> SupervisorQuestion {
        let r = q.request
        let action: String
        switch r.action {
        case .exec: action = "exec"
        case .open(let m): action = "open(\(m))"
        case .cd: action = "cd"
        case .source: action = "source"
        }
        var command = r.sourceLine ?? ""
        if command.isEmpty { command = r.argv.isEmpty ? r.path : r.argv.joined(separator: " ") }
        // The gate's reason starts with the rule id; the question carries the rule separately.
        let reason = q.reason.hasPrefix(q.rule + ": ") ? String(q.reason.dropFirst(q.rule.count + 2)) : q.reason
        let a = asker
        return SupervisorQuestion(id: randomHex(bytes: 8), session: a.session, user: a.user, uid: getuid(), host: a.host,
                                  pid: getpid(), tty: a.tty, cwd: r.cwd, action: action, command: command,
                                  argv: r.argv, path: r.path, rule: q.rule, reason: reason, timeout: config.timeout)
    }

    private func sendLine(_ fd: Int32, _ s: String) -> Bool {
        let bytes = Array((s + "\n").utf8)
        var off = 0
        while off < bytes.count {
            // MSG_NOSIGNAL: a supervisor that went away must not kill the shell with SIGPIPE.
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && aegish_errno() == EINTR { continue }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    struct Failure: Error { var reason: String }

    /// One line, within the timeout. A signal for the shell (Ctrl-C, HUP) cancels the wait.
    private func readLine(_ fd: Int32, timeoutSeconds: Int) -> Result<String, Failure> {
        let deadline = aegish_monotonic_ns() + Int64(timeoutSeconds) * 1_000_000_000
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline - aegish_monotonic_ns()
            if left <= 0 {
                return .failure(Failure(reason: "the supervisor did not answer within \(timeoutSeconds) s"))
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(min(left / 1_000_000 + 1, 1_000)))
            if r < 0 {
                if aegish_errno() == EINTR {
                    if aegish_signal_pending() != 0 {
                        return .failure(Failure(reason: "the wait for the supervisor was interrupted"))
                    }
                    continue
                }
                return .failure(Failure(reason: "waiting for the supervisor failed (\(errorText(aegish_errno())))"))
            }
            if r == 0 { continue }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && aegish_errno() == EINTR { continue }
            if n <= 0 {
                return .failure(Failure(reason: "the supervisor closed the connection without answering"))
            }
            bytes.append(contentsOf: buf[0..<n])
            if let nl = bytes.firstIndex(of: 0x0A) {
                guard let s = String(validating: bytes[..<nl], as: UTF8.self) else {
                    return .failure(Failure(reason: "the supervisor's answer is not valid UTF-8"))
                }
                return .success(s)
            }
            if bytes.count > 65536 {
                return .failure(Failure(reason: "the supervisor's answer is too long"))
            }
        }
    }
}

func errorText(_ e: Int32) -> String { String(cString: strerror(e)) }
