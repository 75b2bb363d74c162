import Glibc
import CSys
import Interp

// [supervisor] terminal = true: a human supervising themself answers on the controlling
// terminal. Only built when standard input is a terminal (Setup.swift); an agent driving aegish
// through a pipe never gets asked. Anything typed before the question is thrown away, so type-
// ahead cannot answer it; no answer within the timeout, end of input, or a shell not in the
// foreground of its terminal means no.

public final class TerminalApprover: Approver {
    let timeout: Int
    public private(set) var answeredBy: String? = nil

    public init(timeout: Int) { self.timeout = timeout }

    public func approve(_ q: ApprovalRequest) -> ApprovalAnswer {
        answeredBy = nil
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return .unavailable(reason: "there is no terminal to ask on") }
        defer { close(fd) }
        guard tcgetpgrp(fd) == getpgrp() else {
            return .unavailable(reason: "the shell is not in the foreground of its terminal, so it cannot ask there")
        }
        tcflush(fd, TCIFLUSH)
        let r = q.request
        var command = r.sourceLine ?? ""
        if command.isEmpty { command = r.argv.isEmpty ? r.path : r.argv.joined(separator: " ") }
        let text = "aegish: approval needed — \(q.reason)\n  \(command)\n"
            + "  allow? [y] once, [s] for this session, [n] no (then a reason); \(timeout) s: "
        put(fd, text)
        guard let line = readLine(fd) else {
            put(fd, "\naegish: no answer; refused\n")
            return .unavailable(reason: "nobody answered at the terminal within \(timeout) s")
        }
        var name = "uid \(getuid())"
        if let p = ttyname(fd) { name = String(cString: p) + " (uid \(getuid()))" }
        answeredBy = "the terminal " + name
        let word = line.split(separator: " ", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        switch word {
        case "y", "yes", "a", "allow": return .allowOnce
        case "s", "session": return .allowForSession
        default:
            var reason = line.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init)
            if reason == nil && (word == "n" || word == "no" || word == "d") {
                put(fd, "  reason (optional): ")
                reason = readLine(fd)
            }
            return .deny(reason: reason.flatMap { $0.isEmpty ? nil : $0 } ?? "refused at the terminal")
        }
    }

    private func put(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { b in _ = write(fd, b.baseAddress, b.count) }
    }

    /// A line typed within the timeout (the terminal is in cooked mode between commands).
    private func readLine(_ fd: Int32) -> String? {
        let deadline = aegish_monotonic_ns() + Int64(timeout) * 1_000_000_000
        var bytes: [UInt8] = []
        var b: UInt8 = 0
        while true {
            let left = deadline - aegish_monotonic_ns()
            if left <= 0 { return nil }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(min(left / 1_000_000 + 1, 1_000)))
            if r < 0 && aegish_errno() == EINTR {
                if aegish_signal_pending() != 0 { return nil }
                continue
            }
            if r < 0 { return nil }
            if r == 0 { continue }
            let n = read(fd, &b, 1)
            if n < 0 && aegish_errno() == EINTR { continue }
            if n <= 0 { return nil }
            if b == 0x0A { break }
            bytes.append(b)
            if bytes.count > 4096 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters()
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
