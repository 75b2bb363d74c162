// Running an external scanner. aegish starts it itself (CSys aegish_spawn, never through the
// shell or its gate) with:
//   - the code as a sealed memfd on descriptor 3 (`{file}` = /dev/fd/3): the bytes that were
//     hashed are the bytes scanned, whatever another process of the same user does meanwhile;
//   - stdin /dev/null, stdout and stderr on pipes, cwd "/", a fixed small environment (HOME
//     unusable, PYTHONNOUSERSITE: nothing of the governed user's configures the scanner);
//   - its own process group, killed as a whole when the time budget runs out;
//   - without the `aegish` group (aegish_spawn drops it), so it cannot touch the cache or the log.
// The program is looked up in the policy's search path and must pass the caller's trust check.

import CSys
import Glibc

/// What the runner needs from the policy.
public struct RunnerContext: Sendable {
    /// Where scanner programs are looked up (the policy's path, never the agent's PATH).
    public var searchPath: [String]
    /// nil when the program may be trusted, else why not (e.g. the governed user can modify it).
    public var trustProblem: @Sendable (String) -> String?
    public init(searchPath: [String], trustProblem: @escaping @Sendable (String) -> String?) {
        self.searchPath = searchPath; self.trustProblem = trustProblem
    }

    /// The program file for `name`, nil when not found.
    func resolve(_ name: String) -> String? {
        if name.hasPrefix("/") { return access(name, X_OK) == 0 ? name : nil }
        for dir in searchPath {
            let p = dir + "/" + name
            var st = stat()
            if stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(p, X_OK) == 0 { return p }
        }
        return nil
    }

    var environment: [String] {
        ["PATH=" + searchPath.joined(separator: ":"), "HOME=/nonexistent", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
         "PYTHONNOUSERSITE=1", "PYTHONDONTWRITEBYTECODE=1", "PYTHONSAFEPATH=1", "SEMGREP_SEND_METRICS=off",
         "SEMGREP_ENABLE_VERSION_CHECK=0", "NO_COLOR=1"]
    }
}

/// Reports larger than this are refused (a scanner gone wrong, or output meant to exhaust memory).
let maxReportBytes = 32 << 20

/// Runs `spec` on `code`; returns its standard output, or why it could not be used.
/// `dialect`: what `{shell}` stands for. `deadlineNS`: monotonic time by which it must be done.
func runScanner(_ spec: ScannerSpec, code: [UInt8], dialect: String, context: RunnerContext,
                deadlineNS: Int64) -> Result<[UInt8], ScanFailure> {
    func fail(_ kind: ScanFailure.Kind, _ m: String) -> Result<[UInt8], ScanFailure> {
        .failure(ScanFailure(scanner: spec.name, kind: kind, message: m))
    }
    guard let name = spec.command.first else { return fail(.failed, "its command is empty") }
    guard let program = context.resolve(name) else {
        return fail(.missing, "\(name) is not installed in the policy's search path (\(context.searchPath.joined(separator: ":"))); install it, or remove \(spec.name) from the scanners")
    }
    if let why = context.trustProblem(program) { return fail(.untrusted, "\(program) cannot be trusted: \(why)") }

    let memfd = code.withUnsafeBytes { aegish_sealed_copy("aegish-scan", $0.baseAddress, $0.count) }
    guard memfd >= 0 else { return fail(.failed, "cannot make a sealed copy of the code: \(String(cString: strerror(aegish_errno())))") }
    var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
    let devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)
    defer { close(memfd); if devnull >= 0 { close(devnull) } }
    guard devnull >= 0, aegish_pipe(&outPipe) == 0 else { return fail(.failed, "cannot create a pipe") }
    guard aegish_pipe(&errPipe) == 0 else { close(outPipe[0]); close(outPipe[1]); return fail(.failed, "cannot create a pipe") }

    let argv = spec.command.map { arg -> String in
        var a = arg.replacingAll("{file}", with: "/dev/fd/3")
        a = a.replacingAll("{shell}", with: dialect)
        if let r = spec.rules { a = a.replacingAll("{rules}", with: r) }
        return a
    }
    let fdmap: [Int32] = [0, devnull, 1, outPipe[1], 2, errPipe[1], 3, memfd]
    var err: Int32 = 0
    let cargv = CStrings(argv), cenv = CStrings(context.environment)
    defer { cargv.free(); cenv.free() }
    let pid = cargv.pointers.withUnsafeBufferPointer { a in
        cenv.pointers.withUnsafeBufferPointer { e in
            fdmap.withUnsafeBufferPointer { m in
                aegish_spawn(program, a.baseAddress, e.baseAddress, m.baseAddress, 4, "/", 0, &err)
            }
        }
    }
    close(outPipe[1]); close(errPipe[1])
    defer { close(outPipe[0]); close(errPipe[0]) }
    guard pid > 0 else { return fail(.failed, "cannot start \(program): \(String(cString: strerror(err)))") }

    var out: [UInt8] = [], errText: [UInt8] = []
    var reading = [outPipe[0], errPipe[0]]
    var buf = [UInt8](repeating: 0, count: 65536)
    func killGroup() {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        var code: Int32 = 0, sig: Int32 = 0
        while aegish_wait(pid, 0, &code, &sig, nil) < 0 && aegish_errno() == EINTR {}
    }
    while !reading.isEmpty {
        let left = deadlineNS - aegish_monotonic_ns()
        if left <= 0 { killGroup(); return fail(.timeout, "did not finish within the time budget") }
        var fds = reading.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = poll(&fds, nfds_t(fds.count), Int32(min(left / 1_000_000 + 1, 60_000)))
        if n < 0 { if aegish_errno() == EINTR { continue }; killGroup(); return fail(.failed, "poll failed") }
        for p in fds where p.revents != 0 {
            let r = buf.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
            if r < 0 && aegish_errno() == EINTR { continue }
            if r <= 0 { reading.removeAll { $0 == p.fd }; continue }
            if p.fd == outPipe[0] {
                out.append(contentsOf: buf[0..<r])
                if out.count > maxReportBytes { killGroup(); return fail(.failed, "its report is larger than \(maxReportBytes >> 20) MiB") }
            } else {
                errText.append(contentsOf: buf[0..<r])
                if errText.count > 65536 { errText.removeFirst(errText.count - 65536) }
            }
        }
    }
    // Output closed: wait for the exit, still within the budget.
    var code: Int32 = 0, sig: Int32 = 0
    while true {
        let r = aegish_wait(pid, WNOHANG, &code, &sig, nil)
        if r == pid { break }
        if r < 0 && aegish_errno() != EINTR { return fail(.failed, "lost track of the scanner process") }
        if aegish_monotonic_ns() >= deadlineNS { killGroup(); return fail(.timeout, "did not finish within the time budget") }
        var none = pollfd()
        _ = poll(&none, 0, 2)
    }
    kill(-pid, SIGKILL)   // anything it left behind in its group
    let stderrTail = short(String(decoding: errText.suffix(400), as: UTF8.self).trimmingBlanks())
    if sig != 0 { return fail(.failed, "was killed by signal \(sig)" + (stderrTail.isEmpty ? "" : ": " + stderrTail)) }
    guard spec.exitCodes.contains(code) else {
        return fail(.failed, "exited with status \(code)" + (stderrTail.isEmpty ? "" : ": " + stderrTail))
    }
    return .success(out)
}

/// NULL-terminated C string arrays for aegish_spawn.
private final class CStrings {
    var pointers: [UnsafeMutablePointer<CChar>?]
    init(_ strings: [String]) { pointers = strings.map { strdup($0) } + [nil] }
    func free() { for p in pointers { Glibc.free(p) } }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
