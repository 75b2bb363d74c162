import Glibc

/// RFC 5424 datagrams to a local syslog socket. Never blocks and never fails the caller: a
/// missing socket or a full queue drops the message.
final class SyslogSink {
    let path: String
    let facility: Int
    private var fd: Int32 = -1

    static let facilities: [String: Int] = [
        "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
        "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "local0": 16, "local1": 17, "local2": 18,
        "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
    ]

    init(path: String, facility: Int) {
        self.path = path
        self.facility = facility
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    private func connectSocket() -> Bool {
        if fd >= 0 { return true }
        let s = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard s >= 0 else { return false }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let cap = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < cap else { Glibc.close(s); return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { p in
            for (k, b) in bytes.enumerated() { p[k] = b }
            p[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else { Glibc.close(s); return false }
        fd = s
        return true
    }

    /// Sends one message; returns false if it was dropped.
    @discardableResult
    func send(severity: Int, timestamp: String, host: String, msgID: String,
              structured: [(String, String)], message: String) -> Bool {
        guard connectSocket() else { return false }
        var out = "<\(facility * 8 + severity)>1 \(timestamp) \(header(host, 255)) aegish \(getpid()) \(header(msgID, 32)) "
        if structured.isEmpty { out += "-" } else {
            out += "[aegish@32473"
            for (k, v) in structured {
                out += " \(k)=\""
                for c in v.unicodeScalars {
                    if c == "\"" || c == "\\" || c == "]" { out += "\\" }
                    out.unicodeScalars.append(c)
                }
                out += "\""
            }
            out += "]"
        }
        out += " " + message
        let bytes = Array(out.utf8)
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        if n < 0 {
            let e = errno
            if e == ECONNREFUSED || e == ENOTCONN || e == EBADF {
                Glibc.close(fd)
                fd = -1
            }
            return false
        }
        return true
    }

    /// A header field: printable ASCII without spaces, at most `max` bytes, "-" when empty.
    private func header(_ s: String, _ max: Int) -> String {
        var u = Array(s.utf8.filter { $0 > 0x20 && $0 < 0x7F })
        if u.count > max { u = Array(u.prefix(max)) }
        return u.isEmpty ? "-" : String(decoding: u, as: UTF8.self)
    }
}

extension AuditConfig {
    /// The names `syslog_facility` accepts, in facility-code order: the policy loader checks the
    /// value when the policy loads, so a typo is a load error at its line, not a log that fails
    /// to open at the first command.
    public static let syslogFacilities: [String] =
        SyslogSink.facilities.sorted { $0.value < $1.value }.map(\.key)
}
