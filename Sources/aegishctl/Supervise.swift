import ArgumentParser
import CSys
import Enforce
import Foundation
import Glibc
import Policy

/// `aegishctl supervise`: answer the `ask` decisions of aegish sessions (the policy's
/// [supervisor] socket). The protocol is in Sources/Enforce/SupervisorProtocol.swift.
struct Supervise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer the questions aegish sessions ask (the policy's [supervisor] socket).",
        discussion: """
            Listens on the policy's [supervisor] socket and shows each question as it arrives: who \
            asks (user and pid as the kernel reports them), the session, the directory, the \
            command, the rule and why it asks. Answer with a (allow once), s (allow this command \
            for the rest of that session), or d (deny; a reason is asked for and shown to the \
            agent). With several questions pending, the oldest is answered first; "N a" answers \
            question N. Many sessions may be connected at once. Run it as the user the policy \
            names (uid, default root): aegish refuses answers from any other. The socket's \
            directory must not be writable by anyone else. Ctrl-C stops; questions still \
            pending are then refused. Exit status: 0, or 3 when the socket cannot be served.
            """)

    @Option(name: .long, help: ArgumentHelp("The policy file (its [supervisor] socket and uid).", valueName: "file"))
    var policy: String = defaultPolicyFile

    @Flag(name: .long, help: "Read the policy without the ownership check (a policy being written, owned by you).")
    var draft = false

    @Option(name: .long, help: ArgumentHelp("Serve this socket instead of the policy's [supervisor] socket (no uid check).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Answer every question at once, without asking (tests, demos): allow, session, or deny[:reason].", valueName: "answer"))
    var auto: String?

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        setvbuf(stdout, nil, _IOLBF, 0)
        let (path, expectedUID) = try socketToServe()
        var autoAnswer: (SupervisorAnswer.Decision, String?)? = nil
        if let a = auto {
            guard let parsed = parseAutoAnswer(a) else {
                stderrLine("aegishctl supervise: --auto \(a): use allow, session, or deny[:reason]")
                throw ExitCode(errorExit)
            }
            autoAnswer = parsed
        }
        if let expectedUID, expectedUID != geteuid() {
            stderrLine("aegishctl supervise: the policy names \(describeUID(expectedUID)) as the supervisor, and you are "
                       + "\(describeUID(geteuid())): aegish would refuse your answers. Run this as that user.")
            throw ExitCode(errorExit)
        }
        let listener: Int32
        do {
            listener = try SupervisorSocket.open(path)
        } catch let e as SupervisorSocket.SetupError {
            stderrLine("aegishctl supervise: \(e.message)")
            throw ExitCode(errorExit)
        }
        var screen = SupervisorScreen(listener: listener, path: path, auto: autoAnswer)
        screen.run()
        SupervisorSocket.remove(path, listener: listener)
    }

    /// The socket path and the uid aegish will require of its server (nil with --socket).
    private func socketToServe() throws -> (String, uid_t?) {
        if let s = socket {
            guard s.hasPrefix("/") else {
                stderrLine("aegishctl supervise: --socket \(s): give an absolute path")
                throw ExitCode(errorExit)
            }
            return (s, nil)
        }
        let loaded: Policy
        do {
            if draft {
                let text = try String(contentsOfFile: policy, encoding: .utf8)
                loaded = try parsePolicy(text, file: policy)
            } else {
                let uid = getuid()
                loaded = try loadPolicy(path: policy, governedUID: ownershipCheckUID(uid))
            }
        } catch {
            stderrLine("aegishctl supervise: \(error)")
            throw ExitCode(errorExit)
        }
        guard let config = loaded.supervisor, let s = config.socket else {
            stderrLine("aegishctl supervise: \(policy) has no [supervisor] socket; add one "
                       + "(socket = \"/run/aegish/supervisor.sock\") or pass --socket")
            throw ExitCode(errorExit)
        }
        return (s, config.uid)
    }
}

func parseAutoAnswer(_ a: String) -> (SupervisorAnswer.Decision, String?)? {
    switch a {
    case "allow", "a": return (.allow, nil)
    case "session", "s": return (.allowSession, nil)
    case "deny", "d": return (.deny, nil)
    default:
        if a.hasPrefix("deny:") { return (.deny, String(a.dropFirst(5))) }
        return nil
    }
}

func describeUID(_ uid: uid_t) -> String {
    if let pw = getpwuid(uid), let n = pw.pointee.pw_name { return "\(String(cString: n)) (uid \(uid))" }
    return "uid \(uid)"
}

// MARK: - The socket

enum SupervisorSocket {
    struct SetupError: Error { var message: String }

    /// Creates the socket, mode 0666 (who may connect is not the question: who answers is, and
    /// aegish checks that with SO_PEERCRED), in a directory nobody else can write.
    static func open(_ path: String) throws -> Int32 {
        let dir = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "/"
        var st = stat()
        if stat(dir, &st) != 0 {
            guard errno == ENOENT, mkdir(dir, 0o755) == 0 else {
                throw SetupError(message: "\(dir): \(String(cString: strerror(errno))); create it (mode 0755, owned by the supervisor)")
            }
            _ = chmod(dir, 0o755)
        }
        if let why = unsafeDirectory(dir) {
            throw SetupError(message: "\(why): another user could put their own socket at \(path). Use a directory "
                             + "only the supervisor can write, e.g. /run/aegish (mode 0755).")
        }
        var ls = stat()
        if lstat(path, &ls) == 0 {
            guard (ls.st_mode & S_IFMT) == S_IFSOCK else {
                throw SetupError(message: "\(path) exists and is not a socket; remove it or choose another path")
            }
            let probe = aegish_unix_connect(path)
            if probe >= 0 {
                close(probe)
                throw SetupError(message: "another supervisor is already listening on \(path)")
            }
            unlink(path)   // left behind by a supervisor that was killed
        }
        let fd = aegish_unix_listen(path, 64)
        guard fd >= 0 else {
            throw SetupError(message: "cannot listen on \(path): \(String(cString: strerror(aegish_errno())))")
        }
        chmod(path, 0o666)
        return fd
    }

    /// Why `dir` (or a directory above it) could be written by someone other than root or us.
    static func unsafeDirectory(_ dir: String) -> String? {
        var path = dir
        while true {
            var st = stat()
            guard stat(path, &st) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
            let owner = st.st_uid
            if owner != 0 && owner != geteuid() { return "\(path) belongs to \(describeUID(owner))" }
            let sticky = st.st_mode & S_ISVTX != 0
            if st.st_mode & (S_IWGRP | S_IWOTH) != 0 && !(sticky && path != dir) {
                return "\(path) is writable by its group or by others"
            }
            if path == "/" { return nil }
            path = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "/"
        }
    }

    /// Removes the socket file (aegish then finds nobody listening, and refuses) and closes it.
    static func remove(_ path: String, listener: Int32) {
        var there = stat()
        if lstat(path, &there) == 0, (there.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
        close(listener)
    }
}
