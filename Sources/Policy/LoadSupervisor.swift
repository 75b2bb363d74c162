// The [supervisor] table: who answers when the policy says `ask`. Without it every `ask` is
// refused. With it, aegish puts the question to a supervisor process (`aegishctl supervise`)
// over a Unix socket, or — for a human supervising themself — on the controlling terminal. The
// socket client and the terminal prompt are in Sources/Enforce; see man/aegish-allowlist.5.
//
//   [supervisor]
//   socket = "/run/aegish/supervisor.sock"   # in a directory the governed user cannot write
//   timeout = 60                              # seconds to wait for an answer; then: refused
//   uid = "root"                              # the supervisor must run as this user (or uid)
//   terminal = false                          # ask on /dev/tty instead (no socket; never when
//                                             # stdin is not a terminal)

import Glibc
import TOMLTree

/// Where `ask` decisions go.
public struct SupervisorConfig: Sendable, Equatable {
    /// Absolute path of the supervisor's Unix socket; nil with `terminal`.
    public var socket: String?
    /// Seconds to wait for an answer.
    public var timeout: Int = 60
    /// The uid the process serving the socket must have (checked with SO_PEERCRED).
    public var uid: UInt32 = 0
    /// `uid` as a user name, when the policy gave one (for messages).
    public var userName: String? = nil
    /// Ask on the controlling terminal (only when standard input is a terminal).
    public var terminal: Bool = false

    public init(socket: String? = nil, timeout: Int = 60, uid: UInt32 = 0, userName: String? = nil,
                terminal: Bool = false) {
        self.socket = socket; self.timeout = timeout; self.uid = uid; self.userName = userName
        self.terminal = terminal
    }

    /// "root (uid 0)" / "uid 1001".
    public var supervisorDescription: String {
        userName.map { "\($0) (uid \(uid))" } ?? (uid == 0 ? "root (uid 0)" : "uid \(uid)")
    }
}

private let supervisorKeys = ["socket", "timeout", "uid", "terminal"]

extension PolicyReader {
    mutating func readSupervisor(_ root: TOMLTable, into policy: inout Policy) {
        guard let t = singleTable(root, "supervisor", arrayHint: "write a single [supervisor] table") else { return }
        let base: TOMLPath = [.key("supervisor")]
        checkKeys(t, base, "[supervisor]", allowed: supervisorKeys) { key in
            switch key {
            case "path", "socket_path", "sock": return "use socket = \"/run/aegish/supervisor.sock\""
            case "user", "owner": return "use uid = \"root\" (a user name or a number)"
            case "tty", "ask_terminal": return "use terminal = true"
            case "timeout_s", "wait": return "use timeout = 60 (seconds)"
            default: return nil
            }
        }
        var config = SupervisorConfig()
        config.socket = absolutePath(t, "socket", base + [.key("socket")], "supervisor.socket", file: true)
        if let n = integer(t, "timeout", base + [.key("timeout")], "supervisor.timeout", 1...3600, unit: " s") {
            config.timeout = n
        }
        if let v = t["uid"] {
            let path = base + [.key("uid")]
            if v.type == .int, let n = v.int {
                if let u = UInt32(exactly: n) { config.uid = u } else {
                    problem(path, "supervisor.uid \(n) is not a valid uid")
                }
            } else if let name = stringValue(v, path, "supervisor.uid (a user name or a number)") {
                if let uid = passwdUID(name: name) {
                    config.uid = uid
                    config.userName = name
                } else {
                    problem(path, "supervisor.uid: /etc/passwd has no user named \"\(name)\"; name one it lists or give a uid")
                }
            }
        }
        config.terminal = bool(t, "terminal", base + [.key("terminal")], "supervisor.terminal") ?? false
        if t["socket"] == nil && !config.terminal {
            problem(base, atKey: true, "[supervisor] needs socket = \"/run/aegish/supervisor.sock\" (answered by `aegishctl supervise`) or terminal = true")
            return
        }
        if t["socket"] != nil && config.terminal {
            problem(base + [.key("terminal")], "supervisor.terminal = true asks on the terminal instead of a socket; set either socket or terminal, not both")
            return
        }
        policy.supervisor = config
    }
}

/// The uid /etc/passwd gives `name` (passwdEntry: never NSS).
func passwdUID(name: String, file: String = "/etc/passwd") -> uid_t? {
    passwdEntry(file, { $0[0] == Substring(name) && UInt32($0[2]) != nil }).flatMap { UInt32($0[2]) }
}
