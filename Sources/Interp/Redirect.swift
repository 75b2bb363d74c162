import Glibc
import CSys
import Syntax

// Redirections are performed in the shell process itself: the original descriptor is saved on a
// close-on-exec copy (so it never leaks into children), and restored when the command ends.
// Every file opened here is first put to the Gate.

struct SavedFD {
    var fd: Int32
    /// The saved copy, or -1 if `fd` was closed before.
    var copy: Int32
}

extension Shell {
    func applyRedirections(_ redirs: [Redirection]) throws -> [SavedFD] {
        var saved: [SavedFD] = []
        do {
            for r in redirs { try applyRedirection(r, saved: &saved) }
        } catch {
            restoreRedirections(saved)
            throw error
        }
        return saved
    }

    func restoreRedirections(_ saved: [SavedFD]) {
        for s in saved.reversed() {
            if s.copy >= 0 {
                dup2(s.copy, s.fd)
                close(s.copy)
            } else {
                close(s.fd)
            }
        }
    }

    private func save(_ fd: Int32, _ saved: inout [SavedFD]) {
        if saved.contains(where: { $0.fd == fd }) { return }
        saved.append(SavedFD(fd: fd, copy: Sys.saveFD(fd)))
    }

    private func applyRedirection(_ r: Redirection, saved: inout [SavedFD]) throws {
        if options.xtrace == false, let fd = r.fd, fd > 255 {
            throw ShellError(message: "\(fd): bad file descriptor", status: 1, fatal: false)
        }
        if let fd = r.fd, let f = Int32(exactly: fd), aegish_fd_is_internal(f) != 0 {   // aegish's own (rulesets)
            throw ShellError(message: "\(fd): bad file descriptor", status: 1, fatal: false)
        }
        switch r.op {
        case .input:
            let fd = Int32(r.fd ?? 0)
            try openOnto(fd, try expandRedirectTarget(r.target), O_RDONLY, .read, &saved)
        case .output, .clobber:
            let fd = Int32(r.fd ?? 1)
            let path = try expandRedirectTarget(r.target)
            var flags = O_WRONLY | O_CREAT | O_TRUNC
            if r.op == .output && options.noclobber {
                var st = stat()
                let abs = absolutePath(path, cwd: cwd)
                if stat(abs, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG {
                    throw ShellError(message: "\(path): cannot overwrite existing file", status: 1, fatal: false)
                }
                flags |= O_EXCL
            }
            try openOnto(fd, path, flags, .write, &saved)
        case .append:
            try openOnto(Int32(r.fd ?? 1), try expandRedirectTarget(r.target), O_WRONLY | O_CREAT | O_APPEND, .append, &saved)
        case .readWrite:
            try openOnto(Int32(r.fd ?? 0), try expandRedirectTarget(r.target), O_RDWR | O_CREAT, .readWrite, &saved)
        case .outputBoth, .appendBoth:
            let path = try expandRedirectTarget(r.target)
            let flags = r.op == .outputBoth ? (O_WRONLY | O_CREAT | O_TRUNC) : (O_WRONLY | O_CREAT | O_APPEND)
            save(2, &saved)
            try openOnto(1, path, flags, r.op == .outputBoth ? .write : .append, &saved)
            dup2(1, 2)
        case .dupInput, .dupOutput:
            let fd = Int32(r.fd ?? (r.op == .dupInput ? 0 : 1))
            let word = try expandRedirectTarget(r.target)
            if word == "-" {
                save(fd, &saved)
                close(fd)
                return
            }
            var src = word, move = false
            if src.hasSuffix("-") { src.removeLast(); move = true }
            guard let n = Int32(src), n >= 0 else {
                if r.op == .dupOutput && r.fd == nil {
                    // `>& file` is bash's `&> file`.
                    save(2, &saved)
                    try openOnto(1, word, O_WRONLY | O_CREAT | O_TRUNC, .write, &saved)
                    dup2(1, 2)
                    return
                }
                throw ShellError(message: "\(word): ambiguous redirect", status: 1, fatal: false)
            }
            if n == fd { return }
            // aegish's own descriptors (Landlock rulesets) are never handed to a program.
            guard Sys.fdIsOpen(n), !isSavedCopy(n, saved), aegish_fd_is_internal(n) == 0 else {
                throw ShellError(message: "\(n): Bad file descriptor", status: 1, fatal: false)
            }
            save(fd, &saved)
            dup2(n, fd)
            if move { close(n) }
        case .hereDoc, .hereDocStrip:
            let fd = Int32(r.fd ?? 0)
            let body: String
            if let hd = r.hereDoc {
                body = try expandString(hd.body)
            } else {
                body = ""
            }
            try feed(fd, body, &saved)
        case .hereString:
            let fd = Int32(r.fd ?? 0)
            try feed(fd, try expandString(r.target) + "\n", &saved)
        }
    }

    private func isSavedCopy(_ fd: Int32, _ saved: [SavedFD]) -> Bool {
        saved.contains { $0.copy == fd }
    }

    private func openOnto(_ fd: Int32, _ path: String, _ flags: Int32, _ mode: OpenMode,
                          _ saved: inout [SavedFD]) throws {
        if path.isEmpty {
            throw ShellError(message: ": No such file or directory", status: 1, fatal: false)
        }
        // The policy decides on the file itself (symlinks resolved), and exactly that file is
        // opened, refusing to pass through any symlink: swapping one in between the check and
        // the open gains nothing. /dev and /proc are opened as named (their links are the point).
        let lexical = absolutePath(path, cwd: cwd)
        let special = lexical.hasPrefix("/dev/") || lexical.hasPrefix("/proc/")
        let abs = special ? lexical : resolveSymlinks(lexical)
        let request = gateRequest(.open(mode), path: abs)
        if refusal(for: request, what: path) != nil {
            throw ShellError(message: "", status: 126, fatal: false).silenced
        }
        // Save first: the new descriptor may be allocated on `fd` itself if it is closed.
        save(fd, &saved)
        let opened = special ? open(abs, flags | O_CLOEXEC, 0o666)
                             : aegish_open_nosymlinks(abs, flags | O_CLOEXEC, 0o666)
        if opened < 0 {
            let e = aegish_errno()
            if e == ELOOP && !special {
                throw ShellError(message: "\(path): the path changed while it was being opened (a symlink appeared); refused",
                                 status: 1, fatal: false)
            }
            throw ShellError(message: "\(path): \(Sys.errorString(e))", status: 1, fatal: false)
        }
        moveFD(opened, onto: fd)
    }

    /// Puts `from` on `to` (inheritable) and releases `from`.
    private func moveFD(_ from: Int32, onto to: Int32) {
        if from == to {
            _ = fcntl(to, F_SETFD, 0)
        } else {
            dup2(from, to)
            close(from)
        }
    }

    /// Makes `fd` read `text`: through a pipe when it fits in the pipe buffer, otherwise through a
    /// forked writer so a large here-doc cannot deadlock the shell.
    private func feed(_ fd: Int32, _ text: String, _ saved: inout [SavedFD]) throws {
        save(fd, &saved)
        var p: [Int32] = [-1, -1]
        guard Sys.pipe(&p) == 0 else {
            throw ShellError(message: "pipe: \(Sys.errorString(errno))", status: 1, fatal: false)
        }
        let bytes = Array(text.utf8)
        if bytes.count <= 60000 {
            Sys.write(p[1], bytes)
        } else {
            let writer = aegish_fork()
            if writer == 0 {
                close(p[0])
                Sys.write(p[1], bytes)
                _exit(0)
            }
        }
        close(p[1])
        moveFD(p[0], onto: fd)
        if fd == 0 { noteHereStdin(text) }
    }
}

extension ShellError {
    /// An error whose message was already printed.
    var silenced: ShellError { var e = self; e.message = ""; return e }
}
