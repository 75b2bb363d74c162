import Glibc
import CSys
import Interp
import Syntax

// The history file: $HISTFILE, default ~/.aegish_history. Writing it is writing a file, so the
// gate decides, as for `>>`: only if the policy allows appending to it is history kept across
// sessions (and only if it allows reading it are earlier entries loaded); otherwise history lives
// in memory for the session and the banner says so once. The file is opened once, without
// following symlinks, and appended to after each command.
//
// Format: one entry per line; a backslash is written `\\` and a newline inside an entry `\n`.

final class HistoryFile {
    let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Opens the history file if the policy allows it. Returns the file (or nil) and, when
    /// history is not saved, a note saying why.
    static func open(shell: Shell, gate: Gate) -> (HistoryFile?, note: String?) {
        let home = shell.variable("HOME")
        var path: String
        if let h = shell.variable("HISTFILE") {
            if h.isEmpty { return (nil, "history is kept in memory only (HISTFILE is empty)") }
            path = h
        } else {
            guard let home, home.hasPrefix("/") else { return (nil, "history is kept in memory only (HOME is not set)") }
            path = (home == "/" ? "" : home) + "/.aegish_history"
        }
        if !path.hasPrefix("/") { path = (shell.workingDirectory == "/" ? "" : shell.workingDirectory) + "/" + path }
        let shown = tildeDirectory(path, home: home)
        func request(_ mode: OpenMode) -> GateRequest {
            GateRequest(action: .open(mode), argv: [], path: path, cwd: shell.workingDirectory, environment: [], pos: .none)
        }
        guard case .allow = gate.decide(request(.append)) else {
            return (nil, "history is kept in memory only: the policy does not allow writing \(shown)")
        }
        let fd = aegish_open_nosymlinks(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0o600)
        guard fd >= 0 else {
            return (nil, "history is kept in memory only: \(shown) cannot be opened (\(String(cString: strerror(aegish_errno()))))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(fd)
            return (nil, "history is kept in memory only: \(shown) is not a regular file")
        }
        let file = HistoryFile(path: path, fd: fd)
        if case .allow = gate.decide(request(.read)) { return (file, nil) }
        file.unreadable = true
        return (file, nil)
    }

    /// The policy lets the file be appended to but not read: earlier sessions are not loaded.
    private(set) var unreadable = false

    /// The last `limit` entries of earlier sessions, oldest first.
    func load(limit: Int) -> [String] {
        guard !unreadable else { return [] }
        let rfd = aegish_open_nosymlinks(path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0)
        guard rfd >= 0 else { return [] }
        defer { Glibc.close(rfd) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while bytes.count < 16 << 20 {
            let n = buf.withUnsafeMutableBytes { read(rfd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        let lines = bytes.split(separator: 0x0A).suffix(limit)
        return lines.compactMap { line in String(validating: line, as: UTF8.self).map(decode) }
    }

    func append(_ entry: String) {
        guard fd >= 0 else { return }
        let line = Array((encode(entry) + "\n").utf8)
        let n = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n != line.count {
            // A full disk or a revoked file: stop trying, say so once.
            writeAll(2, "aegish: history: cannot write \(path) (\(String(cString: strerror(errno)))); history is now kept in memory only\n")
            close()
        }
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

func encode(_ entry: String) -> String {
    var out = ""
    for ch in entry {
        switch ch {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default: out.append(ch)
        }
    }
    return out
}

func decode(_ line: String) -> String {
    var out = ""
    var escaped = false
    for ch in line {
        if escaped {
            out.append(ch == "n" ? "\n" : ch)
            escaped = false
        } else if ch == "\\" {
            escaped = true
        } else {
            out.append(ch)
        }
    }
    return out
}
