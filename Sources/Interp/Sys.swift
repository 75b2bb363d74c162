import Glibc
import CSys

// Thin wrappers over the system calls the interpreter uses, so the rest reads as Swift.

enum Sys {
    /// CLOCK_MONOTONIC in nanoseconds (durations for the audit log).
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Writes all of `bytes`; false on a write error (errno set).
    @discardableResult
    static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        return bytes.withUnsafeBufferPointer { buf in
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                off += n
            }
            return true
        }
    }

    static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                off += n
            }
        }
    }

    /// Reads everything from fd until EOF.
    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 65536) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    struct Errno: Error { var code: Int32 }

    static func readFile(_ path: String) -> Result<[UInt8], Errno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(Errno(code: errno)) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return .failure(Errno(code: EISDIR)) }
        return .success(readAll(fd))
    }

    /// Whether the file starts as something the kernel runs itself: an ELF image or a `#!` line.
    static func startsLikeProgram(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        if fd < 0 { return false }
        defer { close(fd) }
        var head: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let n = withUnsafeMutableBytes(of: &head) { read(fd, $0.baseAddress, 4) }
        if n >= 2 && head.0 == 0x23 && head.1 == 0x21 { return true }   // #!
        return n == 4 && head.0 == 0x7F && head.1 == 0x45 && head.2 == 0x4C && head.3 == 0x46   // \x7fELF
    }

    /// A pipe whose both ends are close-on-exec (they are dup'ed onto 0/1 where needed).
    static func pipe(_ fds: inout [Int32]) -> Int32 {
        guard Glibc.pipe(&fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    static func errorString(_ e: Int32) -> String {
        String(cString: strerror(e))
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func getcwd() -> String? {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard Glibc.getcwd(&buf, buf.count) != nil else { return nil }
        return String(cString: buf)
    }

    /// Duplicates `fd` to a close-on-exec descriptor >= 100 (above what scripts use), so it never leaks into children.
    static func saveFD(_ fd: Int32) -> Int32 {
        fcntl(fd, F_DUPFD_CLOEXEC, 100)
    }

    static func fdIsOpen(_ fd: Int32) -> Bool {
        fcntl(fd, F_GETFD) != -1
    }
}

/// Lexically normalises an absolute path: removes `.`, resolves `..` against the preceding
/// component, collapses slashes. This is `cd -L` semantics (symlinks are not resolved).
func normalizePath(_ path: String) -> String {
    // Bytes, not `split`/`joined` over [Substring]: those generic paths make every start search
    // the binary's protocol conformances (tens of µs), and this runs at every start.
    var out: [UInt8] = [0x2F]
    out.reserveCapacity(path.utf8.count + 1)
    var starts: [Int] = []   // where each kept component begins in `out`
    var component: [UInt8] = []
    func flush() {
        defer { component.removeAll(keepingCapacity: true) }
        if component.isEmpty || (component.count == 1 && component[0] == 0x2E) { return }
        if component.count == 2 && component[0] == 0x2E && component[1] == 0x2E {
            if let s = starts.popLast() { out.removeSubrange((s == 1 ? 1 : s - 1)...) }
            return
        }
        if out.count > 1 { out.append(0x2F) }
        starts.append(out.count)
        out.append(contentsOf: component)
    }
    for b in path.utf8 {
        if b == 0x2F { flush() } else { component.append(b) }
    }
    flush()
    return String(decoding: out, as: UTF8.self)
}

/// The real location of an absolute path: every symlink in it resolved, the part that does not
/// exist yet appended as written (so a redirection that creates a file is checked where the file
/// will really be). At most 40 links, like the kernel.
func resolveSymlinks(_ path: String) -> String {
    var pending = Array(path.split(separator: "/").reversed().map(String.init))
    var done: [String] = []
    var hops = 0
    var exists = true
    while let c = pending.popLast() {
        if c == "." || c.isEmpty { continue }
        if c == ".." { if !done.isEmpty { done.removeLast() }; continue }
        done.append(c)
        guard exists else { continue }
        let p = "/" + done.joined(separator: "/")
        var st = stat()
        if lstat(p, &st) != 0 { exists = false; continue }
        guard (st.st_mode & S_IFMT) == S_IFLNK else { continue }
        hops += 1
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(p, &buf, buf.count - 1)
        guard hops <= 40, n > 0 else { exists = false; continue }
        let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        done.removeLast()
        if target.hasPrefix("/") { done.removeAll() }
        pending.append(contentsOf: target.split(separator: "/").reversed().map(String.init))
    }
    return "/" + done.joined(separator: "/")
}

/// `path` made absolute against `cwd` and normalised.
func absolutePath(_ path: String, cwd: String) -> String {
    if path.hasPrefix("/") { return normalizePath(path) }
    return normalizePath(cwd + "/" + path)
}

/// A NULL-terminated C string array whose storage lives until `free()`.
struct CStringArray {
    var pointers: [UnsafeMutablePointer<CChar>?]
    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) }
        pointers.append(nil)
    }
    func free() { for p in pointers where p != nil { Glibc.free(p) } }
}
