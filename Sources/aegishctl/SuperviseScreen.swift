import CSys
import Enforce
import Foundation
import Glibc

// The supervisor's event loop and what the human sees. One thread, poll(2) over the listening
// socket, every connected aegish, and standard input (answers piped in ahead wait for their
// question; on a terminal, what was typed before a question was shown is thrown away). Each connection carries one question; the
// answer is written back and the connection closed. A client that hangs up first (its timeout, or
// Ctrl-C in the agent's shell) withdraws its question.

struct SupervisorScreen {
    /// A connected aegish.
    struct Client {
        let fd: Int32
        /// From the kernel (SO_PEERCRED), not from the message.
        let pid: pid_t
        let uid: uid_t
        /// The program at the other end (/proc/PID/exe), when readable.
        let exe: String?
        let connected: Date
        var buffer: [UInt8] = []
        var question: SupervisorQuestion? = nil
        var number = 0
    }

    let listener: Int32
    let path: String
    let auto: (SupervisorAnswer.Decision, String?)?
    let color: Bool
    let interactiveInput: Bool
    var clients: [Client] = []
    var nextNumber = 1
    /// Pending question numbers, oldest first.
    var queue: [Int] = []
    /// `d` was typed for this question: the next line is the reason.
    var awaitingReason: Int? = nil
    var input: [UInt8] = []
    var inputClosed = false
    /// Who answers, as told to aegish (the log shows it next to the kernel's uid and pid).
    let answerer: String

    init(listener: Int32, path: String, auto: (SupervisorAnswer.Decision, String?)?) {
        self.listener = listener
        self.path = path
        self.auto = auto
        color = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        interactiveInput = isatty(0) == 1
        let env = ProcessInfo.processInfo.environment
        answerer = env["SUDO_USER"] ?? env["USER"] ?? describeUID(geteuid())
    }

    mutating func run() {
        _ = aegish_signal_catch(SIGINT)
        _ = aegish_signal_catch(SIGTERM)
        _ = aegish_signal_catch(SIGHUP)
        say(paint("aegish supervisor", "1") + " on \(path) as \(describeUID(geteuid()))"
            + (auto.map { " — answering every question: \(describe($0))" } ?? ""))
        say(auto == nil ? "Waiting for questions. Answer a (allow once), s (allow for the session), d (deny). Ctrl-C stops."
                        : "Waiting for questions. Ctrl-C stops.")
        while true {
            if aegish_signal_pending() != 0 {
                for s in [SIGINT, SIGTERM, SIGHUP] { _ = aegish_signal_take(s) }
                say("\nstopping: \(queue.count) pending question(s) refused (their sessions are told nobody answered)")
                break
            }
            if inputClosed && !input.contains(0x0A) {
                say("standard input closed: nobody can answer any more"
                    + (queue.isEmpty ? "" : "; \(queue.count) pending question(s) refused"))
                break
            }
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            for c in clients { fds.append(pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)) }
            let clientCount = clients.count
            let readInput = auto == nil && !inputClosed
            if readInput { fds.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
            let r = poll(&fds, nfds_t(fds.count), 1000)
            if r < 0 { if errno == EINTR { continue }; say("poll: \(String(cString: strerror(errno)))"); break }
            if readInput, let last = fds.last, last.revents != 0 { readStandardInput() }
            for (i, p) in fds.enumerated().dropFirst() where i <= clientCount && p.revents != 0 {
                readClient(fd: p.fd)
            }
            if fds[0].revents & Int16(POLLIN) != 0 { accept() }
            dropStaleConnections()
        }
        for c in clients { close(c.fd) }
        clients.removeAll()
    }

    // MARK: connections

    mutating func accept() {
        let fd = aegish_unix_accept(listener)
        guard fd >= 0 else { return }
        var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
        guard aegish_peer_cred(fd, &pid, &uid, &gid) == 0 else { close(fd); return }
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/\(pid)/exe", &buf, buf.count - 1)
        let exe = n > 0 ? String(cString: buf) : nil
        clients.append(Client(fd: fd, pid: pid, uid: uid, exe: exe, connected: Date()))
    }

    /// A client that never sent its question is closed after 10 s.
    mutating func dropStaleConnections() {
        let now = Date()
        for c in clients where c.question == nil && now.timeIntervalSince(c.connected) > 10 {
            close(c.fd)
        }
        clients.removeAll { $0.question == nil && now.timeIntervalSince($0.connected) > 10 }
    }

    mutating func readClient(fd: Int32) {
        guard let i = clients.firstIndex(where: { $0.fd == fd }) else { return }
        var buf = [UInt8](repeating: 0, count: 8192)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && errno == EINTR { return }
        if n <= 0 {
            let c = clients.remove(at: i)
            close(fd)
            if let q = c.question {
                queue.removeAll { $0 == c.number }
                if awaitingReason == c.number { awaitingReason = nil }
                say(paint("[\(c.number)] withdrawn", "33") + ": \(q.user)'s session \(q.session.prefix(8)) stopped waiting "
                    + "(its timeout passed, or it was interrupted); the command was refused")
                prompt()
            }
            return
        }
        guard clients[i].question == nil else { return }   // one question per connection
        clients[i].buffer.append(contentsOf: buf[0..<n])
        guard let nl = clients[i].buffer.firstIndex(of: 0x0A) else {
            if clients[i].buffer.count > 1 << 20 { close(fd); clients.remove(at: i) }
            return
        }
        let line = String(decoding: clients[i].buffer[..<nl], as: UTF8.self)
        guard let q = SupervisorQuestion(decoding: line) else {
            say(paint("ignored", "31") + " a malformed question from pid \(clients[i].pid) (\(describeUID(clients[i].uid)))")
            close(fd)
            clients.remove(at: i)
            return
        }
        clients[i].question = q
        clients[i].number = nextNumber
        nextNumber += 1
        show(clients[i])
        if let (decision, reason) = auto {
            answer(clients[i].number, decision, reason: reason)
            return
        }
        if queue.isEmpty && interactiveInput {
            tcflush(0, TCIFLUSH)   // keys typed before the question was shown do not answer it
            input.removeAll()
        }
        queue.append(clients[i].number)
        prompt()
        drainInput()   // answers piped in ahead
    }

    // MARK: what the human sees

    func show(_ c: Client) {
        guard let q = c.question else { return }
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss"
        var who = "\(describeUID(c.uid)), pid \(c.pid)"
        if let exe = c.exe {
            who += exe.hasSuffix("/aegish") ? "" : paint(" — not aegish: \(exe)", "31")
        }
        if q.uid != c.uid { who += paint(" — claims uid \(q.uid)", "31") }
        say("")
        say(paint("[\(c.number)]", "1;33") + " " + f.string(from: Date()) + "  " + paint(who, "1")
            + "  session " + q.session.prefix(8) + " on " + q.host + (q.tty.map { " (\($0))" } ?? ""))
        say("    in  " + q.cwd)
        say("    " + paint("$ " + q.command.replacingOccurrences(of: "\n", with: "\n      "), "1"))
        if q.action != "exec" { say("    " + q.action + " " + q.path) }
        say("    " + paint("rule " + q.rule, "36") + ": " + q.reason)
    }

    func prompt() {
        guard auto == nil, let head = queue.first else { return }
        if awaitingReason != nil {
            put("    reason for denying [\(awaitingReason!)] (optional) › ")
            return
        }
        let more = queue.count > 1 ? " (\(queue.count) pending; \"N a\" answers N)" : ""
        put("[\(head)] a = allow once, s = allow for this session, d = deny\(more) › ")
    }

    func say(_ s: String) { print(s) }

    func put(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func describe(_ a: (SupervisorAnswer.Decision, String?)) -> String {
        switch a.0 {
        case .allow: return "allow once"
        case .allowSession: return "allow for the session"
        case .deny: return "deny" + (a.1.map { " (\($0))" } ?? "")
        }
    }

    // MARK: answers

    mutating func readStandardInput() {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(0, &buf, buf.count)
        if n < 0 && errno == EINTR { return }
        if n <= 0 { inputClosed = true; return }
        input.append(contentsOf: buf[0..<n])
        drainInput()
    }

    /// Answers with the complete lines read so far, while questions are pending; the rest waits
    /// for the next question.
    mutating func drainInput() {
        while !queue.isEmpty, let nl = input.firstIndex(of: 0x0A) {
            let line = String(decoding: input[..<nl], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            input.removeSubrange(...nl)
            if !interactiveInput { say(line) }   // so a log of the session shows the answer
            handle(line)
        }
    }

    mutating func handle(_ line: String) {
        if let n = awaitingReason {
            awaitingReason = nil
            answer(n, .deny, reason: line.isEmpty ? nil : line)
            prompt()
            return
        }
        var words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard !words.isEmpty, let head = queue.first else { prompt(); return }
        var target = head
        if let n = Int(words[0]) {
            guard queue.contains(n) else { say("no pending question \(n)"); prompt(); return }
            target = n
            words = words.count > 1 ? words[1].split(separator: " ", maxSplits: 1).map(String.init) : []
            guard !words.isEmpty else { prompt(); return }
        }
        switch words[0].lowercased() {
        case "a", "allow", "y": answer(target, .allow, reason: nil)
        case "s", "session": answer(target, .allowSession, reason: nil)
        case "d", "deny", "n":
            if words.count > 1 { answer(target, .deny, reason: words[1]) } else { awaitingReason = target }
        case "l", "list":
            for n in queue { if let c = clients.first(where: { $0.number == n }) { show(c) } }
        default:
            say("a = allow once, s = allow this command for the rest of its session, d [reason] = deny, "
                + "l = list pending; prefix a number to answer another question (\"3 d not now\")")
        }
        prompt()
    }

    mutating func answer(_ number: Int, _ decision: SupervisorAnswer.Decision, reason: String?) {
        guard let i = clients.firstIndex(where: { $0.number == number }), let q = clients[i].question else { return }
        let a = SupervisorAnswer(id: q.id, decision: decision, reason: reason, by: answerer)
        let line = Array((a.encoded() + "\n").utf8)
        let sent = line.withUnsafeBytes { send(clients[i].fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == line.count
        close(clients[i].fd)
        clients.remove(at: i)
        queue.removeAll { $0 == number }
        let code = decision == .deny ? "31" : "32"
        let text = describe((decision, reason))
        say(paint("[\(number)] \(text)", code) + (sent ? "" : paint(" — but the session had already gone", "33")))
    }
}
