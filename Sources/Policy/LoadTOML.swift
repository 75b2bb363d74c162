// Where the policy's TOML is parsed: in-process when the program links the parser (aegishctl,
// the tests: `TOMLParser.inProcess`), else in aegish-toml, a helper beside the shell (the shell
// does not link TOMLKit, which brings Foundation; see Sources/TOMLTree/Tree.swift).
//
// Only a cache miss runs the helper: a shell that finds its compiled policy never parses TOML.
// The helper is trusted like the policy (not writable by the user the shell runs as, nor any
// directory above it); it gets the text on a sealed memfd, an empty environment and no
// arguments, and its answer is decoded defensively (TOMLCodec). Anything wrong is a load error,
// and a policy that does not load refuses every command.

import CSys
import Glibc
import TOMLTree

public enum TOMLParser {
    /// Set by programs that link TOMLRead; nil in the shell.
    nonisolated(unsafe) public static var inProcess: ((String) throws -> TOMLTable)?

    /// Parses `text`: a `TOMLSyntaxError` for invalid TOML, a `TOMLHelperError` when the helper
    /// cannot be used.
    static func parse(_ text: String) throws -> TOMLTable {
        if let p = inProcess { return try p(text) }
        return try runTOMLHelper(text).get()
    }
}

/// The helper could not parse for us (missing, untrusted, crashed, or answered nonsense).
public struct TOMLHelperError: Error, CustomStringConvertible {
    public var description: String
}

/// Where the helper is for the shell at `shellPath`: `../libexec/aegish/aegish-toml` from the
/// shell's directory (bin/aegish → libexec/aegish/aegish-toml, in the source tree and installed).
public func tomlHelperPath(forShell shellPath: String) -> String {
    canonicalPath(parentPath(shellPath) + "/../libexec/aegish/aegish-toml", cwd: "/")
}

/// The running program's own path (/proc/self/exe), nil if unreadable. A nested aegish started
/// as a program's /bin/sh (bound over it in the program's namespace, shellns.c) reads /bin/sh
/// there; AEGISH_SELF, which programs get, names the real path — used only in such a nested
/// aegish (no_new_privs) and only when it is the very file running (same device and inode).
public func ownExecutablePath() -> String? {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    guard n > 0 else { return nil }
    let exe = String(cString: buf)
    if let v = getenv("AEGISH_SELF"), v.pointee == 0x2F /* "/" */, strcmp(v, buf) != 0, aegish_no_new_privs() == 1 {
        var a = stat(), b = stat()
        if stat(v, &a) == 0, stat("/proc/self/exe", &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino {
            return String(cString: v)
        }
    }
    return exe
}

private func runTOMLHelper(_ text: String) -> Result<TOMLTable, Error> {
    func fail(_ m: String) -> Result<TOMLTable, Error> { .failure(TOMLHelperError(description: m)) }
    guard let exe = ownExecutablePath() else { return fail("cannot read /proc/self/exe to find the TOML parser") }
    let helper = tomlHelperPath(forShell: exe)
    guard access(helper, X_OK) == 0 else {
        return fail("the TOML parser \(helper) is missing (it is installed with aegish; reinstall, or use the compiled policy cache)")
    }
    if let why = policyWritableBy(ownershipCheckUID(getuid()), path: helper) {   // as for the policy
        return fail("the TOML parser \(helper) cannot be trusted: \(why)")
    }
    var text = text
    let memfd = text.withUTF8 { aegish_sealed_copy("aegish-policy", $0.baseAddress, $0.count) }
    guard memfd >= 0 else { return fail("cannot pass the policy to the TOML parser: \(errnoText(aegish_errno()))") }
    defer { close(memfd) }
    var outPipe: [Int32] = [-1, -1]
    guard aegish_pipe(&outPipe) == 0 else { return fail("cannot create a pipe for the TOML parser") }
    let devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)
    defer { if devnull >= 0 { close(devnull) } }
    let fdmap: [Int32] = [0, memfd, 1, outPipe[1], 2, devnull >= 0 ? devnull : outPipe[1]]
    var err: Int32 = 0
    let name = strdup("aegish-toml")
    defer { free(name) }
    let argv: [UnsafeMutablePointer<CChar>?] = [name, nil]
    let envp: [UnsafeMutablePointer<CChar>?] = [nil]
    let pid = argv.withUnsafeBufferPointer { a in
        envp.withUnsafeBufferPointer { e in
            fdmap.withUnsafeBufferPointer { m in
                aegish_spawn(helper, a.baseAddress, e.baseAddress, m.baseAddress, 3, "/", -1, &err)
            }
        }
    }
    close(outPipe[1])
    defer { close(outPipe[0]) }
    guard pid > 0 else { return fail("cannot start the TOML parser \(helper): \(errnoText(err))") }
    let out = readAnswer(outPipe[0], limit: 256 << 20, deadlineNS: aegish_monotonic_ns() + tomlHelperTimeoutNS)
    if out == nil { kill(pid, SIGKILL) }   // too slow, too much, or unreadable: it is not waited for
    var code: Int32 = 0, sig: Int32 = 0
    while aegish_wait(pid, 0, &code, &sig, nil) < 0 && aegish_errno() == EINTR {}
    if out == nil && sig == SIGKILL {
        return fail("the TOML parser \(helper) did not answer within \(tomlHelperTimeoutNS / 1_000_000_000) s (or answered more than 256 MiB)")
    }
    guard sig == 0, code == 0 else {
        return fail("the TOML parser \(helper) failed (" + (sig != 0 ? "signal \(sig)" : "status \(code)") + ")")
    }
    guard let out else { return fail("cannot read the TOML parser's answer") }
    do {
        switch try TOMLCodec.decode(out) {
        case .success(let t): return .success(t)
        case .failure(let e): return .failure(e)
        }
    } catch {
        return fail("the TOML parser's answer is malformed: \(error)")
    }
}

/// How long the helper may take: a 4 MiB policy (the largest loaded) parses in well under a
/// second; a helper that hangs must not hang the shell that waits for it.
let tomlHelperTimeoutNS: Int64 = 5_000_000_000

/// Everything the helper writes until it closes its end; nil past `limit` bytes, past the
/// deadline, or on a read error.
private func readAnswer(_ fd: Int32, limit: Int, deadlineNS: Int64) -> [UInt8]? {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let left = deadlineNS - aegish_monotonic_ns()
        if left <= 0 { return nil }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, Int32(min(left / 1_000_000 + 1, 60_000)))
        if r < 0 { if aegish_errno() == EINTR { continue }; return nil }
        if r == 0 { continue }
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if aegish_errno() == EINTR { continue }; return nil }
        if n == 0 { return out }
        out.append(contentsOf: buf[0..<n])
        if out.count > limit { return nil }
    }
}
