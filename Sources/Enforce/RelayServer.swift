import Glibc
import CSys
import Audit
import RateLimit
import Policy

/// The relay's server, in an aegish that holds its setgid group (the only processes that can
/// write the log and the limit state): it answers nested aegish processes inside the programs it
/// started (Relay.swift). Its socket is a datagram socket at a path programs get in
/// AEGISH_RELAY (a descriptor would not survive programs that close what they inherit, as
/// Python's subprocess does). The shell watches `serverFD` while it waits for a program
/// (Gate.relayFD, Interp's waitForeground), as does every subshell it forks, so whichever of them
/// is waiting answers; the shell keeps its process while programs run (wantsCompletion), or no
/// one would be left to answer.
final class RelayServer {
    /// Close-on-exec, marked internal: never reaches a program.
    let serverFD: Int32
    let path: String
    private let log: AuditLog?
    private let limiter: Limiter?
    private let engine: PolicyEngine?
    /// The sealed copy of the compiled policy, made on the first request and kept.
    private var policyCopy: Int32 = -1
    /// Only the governed user's own processes are answered (the socket is theirs, 0600, in their
    /// private directory: this is for /tmp, where another user might have taken that name).
    private let uid = getuid()
    /// Relayed records whose completion this process may write (event ids it issued).
    private var issued: Set<String> = []
    /// Made on the first request: most sessions never get one, and 160 KiB of fresh pages cost.
    private lazy var buffer = [UInt8](repeating: 0, count: RelayProtocol.maxMessage)

    /// nil when the socket cannot be made: nested shells then find no relay and refuse.
    init?(log: AuditLog?, limiter: Limiter?, engine: PolicyEngine? = nil) {
        let path = relayDirectory() + "/aegish-relay-\(getpid())-" + randomHex(bytes: 8)
        let s = aegish_relay_bind(path)
        guard s >= 0 else { return nil }
        let server = aegish_dup_cloexec(s, 300)
        close(s)
        guard server >= 0 else { unlink(path); return nil }
        _ = aegish_fd_set_internal(server, 1)
        serverFD = server
        self.path = path
        self.log = log
        self.limiter = limiter
        self.engine = engine
        relaySocketToRemove = path
        relayOwner = getpid()
        atexit { if getpid() == relayOwner, let p = relaySocketToRemove { unlink(p) } }
    }

    /// Answers the requests waiting on the socket, at most 64 before the shell looks at its
    /// program again (a flood cannot keep it from seeing the program end). Nothing here blocks:
    /// the socket is read without waiting and answers are sent without waiting.
    func serve() {
        for _ in 0..<64 {
            var replyFD: Int32 = -1, pid: pid_t = 0, uid: uid_t = 0
            let n = buffer.withUnsafeMutableBytes {
                aegish_relay_receive(serverFD, $0.baseAddress, $0.count, &replyFD, &pid, &uid)
            }
            if n < 0 {
                if aegish_errno() == EPROTO { continue }   // discarded; look for the next one
                return                                      // EAGAIN: nothing left (or a real error)
            }
            guard uid == self.uid, aegish_is_seqpacket_socket(replyFD) == 1 else { close(replyFD); continue }
            let answer = handle(Array(buffer[0..<n]), pid: pid, uid: uid)
            _ = answer.bytes.withUnsafeBytes { aegish_relay_reply(replyFD, $0.baseAddress, $0.count, carried) }
            carried = -1
        }
    }

    /// A descriptor `handle` wants sent with its answer (the policy copy), or -1.
    private var carried: Int32 = -1

    func handle(_ bytes: [UInt8], pid: pid_t, uid: uid_t) -> RelayWriter {
        do {
            var r = RelayReader(bytes)
            guard try r.byte() == RelayProtocol.version, let kind = RelayKind(rawValue: try r.byte()) else {
                throw RelayError(message: "not a request of this aegish's relay")
            }
            switch kind {
            case .record:
                var e = try r.event()
                try r.atEnd()
                guard let log else { throw RelayError(message: "this session has no audit log") }
                // Who claims it, as the kernel says, after the claim's own fields.
                e.extra += [("aegish.relayed_from.pid", .int(Int(pid))), ("aegish.relayed_from.uid", .int(Int(uid)))]
                let id = try log.record(e)
                if e.outcome == .allowed || e.outcome == .askedAllowed, e.action == .exec {
                    if issued.count >= 4096 { issued.removeAll() }
                    issued.insert(id)
                }
                var w = RelayWriter(replyOK: true)
                w.string(id)
                return w
            case .complete:
                let id = try r.string(), code = try r.optionalInt(), signal = try r.optionalInt(), ns = try r.int()
                try r.atEnd()
                guard let log, issued.remove(id) != nil else {
                    throw RelayError(message: "no relayed record \(id) is waiting for its end here")
                }
                try log.complete(id: id, exitCode: code.map { Int32(truncatingIfNeeded: $0) },
                                 signal: signal.map { Int32(truncatingIfNeeded: $0) }, durationNS: UInt64(max(0, ns)))
                return RelayWriter(replyOK: true)
            case .policy:
                let path = try r.string()
                try r.atEnd()
                guard let engine, path == engine.settings.file else {
                    throw RelayError(message: "this session's policy is not \(path)")
                }
                if policyCopy < 0 {
                    let fd = engine.sealedCompiledCopy()
                    guard fd >= 0 else { throw RelayError(message: "this session's policy is not compiled") }
                    policyCopy = aegish_dup_cloexec(fd, 300)
                    close(fd)
                    _ = aegish_fd_set_internal(policyCopy, 1)
                }
                carried = policyCopy
                return RelayWriter(replyOK: true)
            case .limitCheck, .limitRecord:
                let op = try r.operation()
                try r.atEnd()
                guard let limiter else { throw RelayError(message: "this session has no rate limits") }
                var w = RelayWriter(replyOK: true)
                w.outcome(kind == .limitCheck ? limiter.check(op) : limiter.record(op))
                return w
            }
        } catch {
            var w = RelayWriter(replyOK: false)
            w.string("\(error)")
            return w
        }
    }
}

/// The socket's name, removed when the shell that made it exits (not when a forked subshell
/// does: those leave with _exit).
nonisolated(unsafe) private var relaySocketToRemove: String? = nil
nonisolated(unsafe) private var relayOwner: pid_t = 0

/// A private directory of the user's for the relay sockets: $XDG_RUNTIME_DIR, else
/// /tmp/aegish-UID (made 0700), else /tmp itself when someone else holds that name. Sockets of
/// shells that died without removing theirs (killed) are removed here, by the next one.
func relayDirectory() -> String {
    func privateDirectory(_ d: String) -> Bool {
        var st = stat()
        return lstat(d, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == getuid() && st.st_mode & 0o077 == 0
    }
    var dir = "/tmp"
    if let v = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), v.hasPrefix("/"), v.utf8.count < 60, privateDirectory(v) {
        dir = v
    } else {
        let mine = "/tmp/aegish-\(getuid())"
        if mkdir(mine, 0o700) == 0 || errno == EEXIST, privateDirectory(mine) { dir = mine }
    }
    if dir != "/tmp" { removeStaleRelays(dir) }
    return dir
}

/// aegish-relay-PID-… sockets whose shell is gone.
private func removeStaleRelays(_ dir: String) {
    guard let d = opendir(dir) else { return }
    defer { closedir(d) }
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard name.hasPrefix("aegish-relay-"), let pid = pid_t(name.dropFirst(13).prefix { $0 != "-" }), pid > 0,
              kill(pid, 0) != 0, errno == ESRCH else { continue }
        unlink(dir + "/" + name)
    }
}
