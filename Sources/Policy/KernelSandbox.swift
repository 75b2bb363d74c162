import Glibc
import CSys
import Interp

// The kernel sandbox of one session (one aegish process): compiles the policy's kernel rules on
// the first program started, builds Landlock rulesets from them in the parent and caches their
// descriptors by what a command adds to the policy's rules (most commands add nothing and share
// one), starts the session's HTTP proxy when the policy names hosts, and says what is not
// enforced. aegish itself is never restricted: each program gets the ruleset between fork and
// exec (CSys aegish_spawn_sandboxed).
//
// Fail closed: with `kernel = "required"` a missing Landlock, an ABI too old for a right the
// policy needs, or any error while building refuses the program with the reason. With
// "best-effort" the same is said (session start, audit log) and the program runs with what the
// kernel can do. A forked subshell inherits the cache and the proxy.

public final class KernelSandbox {
    let engine: PolicyEngine
    let shellPath: String
    let extraReads: [String]
    public let mode: KernelMode
    /// The running kernel's Landlock ABI version (0: none).
    public let abi: Int
    private var compiled: KernelPlan? = nil
    /// Ruleset descriptors by the sorted extra programs their command added (joined with NUL: a
    /// String key; an array key costs more generic set-up at startup than the whole lookup).
    private var rulesets: [String: Int32] = [:]
    private var proxy: ProxyHandle? = nil
    private var proxyFailure: String? = nil
    /// The proxy's listener while its helper has not started (-1 otherwise).
    private var lazyListener: Int32 = -1
    /// The process that started the helper (its parent; a forked subshell is not).
    private var proxyParent: pid_t = -1
    /// Writes warnings (best-effort downgrades that happen after start).
    public var warn: (String) -> Void = { line in
        var s = line + "\n"
        s.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// `abi`: the kernel's Landlock ABI, or nil to ask the kernel (tests pass one).
    public init(engine: PolicyEngine, shellPath: String, extraReads: [String] = [], abi: Int? = nil) {
        self.engine = engine
        self.shellPath = shellPath
        self.extraReads = extraReads
        self.mode = engine.settings.kernel
        self.abi = mode == .off ? 0 : (abi ?? Int(aegish_landlock_abi()))
    }

    private var coverageCache: KernelCoverage? = nil
    /// The cheap part of the rules (computed once).
    var coverage: KernelCoverage {
        if let c = coverageCache { return c }
        let c = engine.kernelCoverage()
        coverageCache = c
        return c
    }

    /// The policy's rules (compiled on first use: the programs it allows are looked at then).
    public var plan: KernelPlan {
        if let p = compiled { return p }
        let p = engine.compileKernelPlan(shellPath: shellPath, extraReads: extraReads, coverage: coverage)
        compiled = p
        return p
    }

    // MARK: What is not enforced

    /// Everything the policy says that programs are not held to on this kernel: gaps in what
    /// Landlock can express, and (best-effort) what this kernel's ABI lacks. Cheap: the
    /// programs are not looked at.
    public func notEnforced() -> [String] {
        guard mode != .off else { return ["kernel = \"off\": programs are not confined by the kernel"] }
        let cov = coverage
        var out = cov.gaps.map(\.message)
        if mode == .bestEffort {
            out += shortfalls(cov)
        }
        return out
    }

    private func shortfalls(_ cov: KernelCoverage) -> [String] {
        let p = KernelPlan(mode: mode, rules: KernelRules(handled: .write, restrictsConnect: cov.restrictsConnect),
                           executables: [], executableTrees: [], gaps: [], neededABI: cov.neededABI,
                           usesProxy: cov.usesProxy, restrictsReads: cov.readRoots != nil)
        return p.shortfalls(abi: abi)
    }

    /// The lines printed at session start in best-effort mode (empty when everything holds).
    public func startupWarnings() -> [String] {
        guard mode == .bestEffort else { return [] }
        let lines = notEnforced()
        return lines.map { "aegish: kernel best-effort: not enforced for programs: " + $0 }
    }

    private var note: String? = nil

    /// One short phrase for the audit log's aegish.sandbox field (computed once).
    public func auditNote() -> String {
        if let note { return note }
        let n = makeAuditNote()
        note = n
        return n
    }

    private func makeAuditNote() -> String {
        switch mode {
        case .off: return "off"
        case .required: return "landlock \(abi), required"
        case .bestEffort:
            let missing = notEnforced()
            return abi < 1 ? "none (no Landlock), best-effort" :
                "landlock \(abi), best-effort" + (missing.isEmpty ? "" : "; not enforced: " + missing.joined(separator: "; "))
        }
    }

    /// For `allowed`: the mode and what programs are held to, then what is not enforced.
    public func summary() -> String {
        var s = "kernel: \(mode.rawValue)"
        switch mode {
        case .off: return s + ": programs are not confined by the kernel\n"
        case .required, .bestEffort:
            s += abi >= 1 ? " (Landlock ABI \(abi))\n" : " (this kernel has no Landlock)\n"
        }
        for line in describe(program: nil) { s += "  " + line + "\n" }
        return s
    }

    /// The kernel rules a command would run under, as short lines (`allowed`, `aegishctl check`
    /// and `explain`). `program`: the command's resolved program, for what it adds.
    public func describe(program: String?) -> [String] {
        guard mode != .off else { return ["none (kernel = \"off\")"] }
        let plan = self.plan
        var out: [String] = []
        if abi < 1 {
            out.append(mode == .required ? "refused: this kernel has no Landlock and the policy requires it"
                                         : "none: this kernel has no Landlock (best-effort)")
        } else if mode == .required && abi < plan.neededABI {
            out.append("refused: Landlock ABI \(abi) is too old for this policy (\(plan.neededABI) needed)")
        }
        var exec = "execute: \(plan.executables.count) programs the policy allows (with aegish and the dynamic loader)"
        if !plan.executableTrees.isEmpty { exec += ", and anything under " + plan.executableTrees.joined(separator: ", ") }
        if let program {
            let extra = extraPrograms(program, plan)
            if !extra.isEmpty { exec += "; this command adds " + extra.joined(separator: ", ") }
        }
        out.append(exec)
        let cov = coverage
        let writes = cov.writeRoots.filter { !deviceWrites.contains($0) }
        out.append("write: " + (writes.isEmpty ? "nothing" : writes.joined(separator: " "))
                   + " (and " + deviceWrites.filter { !$0.hasPrefix("/dev/pt") }.joined(separator: ", ") + ", the terminal)")
        if let reads = cov.readRoots {
            if reads == ["/"] {
                out.append("read: everything except " + cov.readDenies.joined(separator: " "))
            } else {
                out.append("read: " + reads.joined(separator: " ") + ", the write paths and the system files programs need"
                           + (cov.readDenies.isEmpty ? "" : ", except " + cov.readDenies.joined(separator: " ")))
            }
        } else {
            out.append("read: everything (reads are not restricted)")
        }
        if !cov.restrictsConnect {
            out.append("network: not restricted ([network] outside = \"allow\")")
        } else if cov.usesProxy {
            out.append("network: TCP only to the session's HTTP proxy on 127.0.0.1, which allows the hosts in network.allow")
        } else {
            out.append("network: no TCP connections (network.allow is empty)")
        }
        out.append(engine.settings.kernelShells == .aegish
                   ? "shells: sh, bash, dash … that a program starts are aegish, which checks their commands (kernel_shells)"
                   : "shells: a program cannot start sh, bash, dash … (kernel_shells = \"refuse\")")
        for gap in notEnforced() { out.append("not enforced: " + gap) }
        return out
    }

    // MARK: The sandbox of one program

    /// The program the policy decided for the last exec request (its canonical path then): the
    /// one the sandbox may add for it. Resolving `request.path` again when the sandbox is built
    /// would follow a symlink swapped in after the check.
    private var lastDecided: (path: String, cwd: String, program: String?)? = nil

    func decided(_ r: GateRequest, program: String?) {
        lastDecided = (r.path, r.cwd, program)
    }

    /// Whether programs run under no_new_privs in a Landlock domain (so a nested aegish does not
    /// get aegish's setgid group).
    public var confinesPrograms: Bool { mode != .off && abi >= 1 }

    /// Whether the program `sandbox(for:)` last gave a ruleset may start another (so a nested
    /// aegish): false for the plain tools of `startsNoPrograms`.
    public private(set) var lastProgramMayStartOthers = true

    /// The sandbox for an allowed exec of `request.path`.
    public func sandbox(for request: GateRequest) -> Sandbox {
        lastProgramMayStartOthers = true
        guard mode != .off, case .exec = request.action else { return .none }
        if abi < 1 {
            if mode == .required {
                return .refused(reason: "kernel: the policy requires the kernel sandbox (kernel = \"required\") and this "
                                + "kernel has no Landlock; nothing runs until an administrator enables it (lsm=…,landlock) "
                                + "or sets kernel = \"best-effort\"")
            }
            return .none
        }
        let plan = self.plan
        if mode == .required, abi < plan.neededABI {
            let why = plan.shortfalls(abi: abi).joined(separator: "; ")
            return .refused(reason: "kernel: the policy requires the kernel sandbox and this kernel's Landlock "
                            + "(ABI \(abi)) cannot enforce all of it: \(why); nothing runs")
        }
        // The checked program; never decided (a caller that skipped the gate): nothing is added.
        var extra: [String] = []
        var decided: String? = nil
        if let d = lastDecided, d.path == request.path, d.cwd == request.cwd, let program = d.program {
            extra = extraPrograms(program, plan, canonical: true)
            decided = program
        }
        // The namespace that brings shells back to aegish costs ~0.3 ms per program (user and
        // mount namespace, created and torn down): not for programs that never start another.
        let shells = !startsNoPrograms(decided)
        lastProgramMayStartOthers = shells
        aegish_shell_redirect_select(shells ? 1 : 0)
        if shells { redirectShells() }
        let key = extra.joined(separator: "\u{0}")
        if let fd = rulesets[key] { return .ruleset(fd) }
        switch build(plan, extra: extra) {
        case .success(let fd):
            rulesets[key] = fd
            return .ruleset(fd)
        case .failure(let e):
            if mode == .required { return .refused(reason: "kernel: \(e.message); nothing runs") }
            warn("aegish: kernel best-effort: \(e.message); \(basename(request.path)) runs without the kernel sandbox")
            return .none
        }
    }

    /// The command's own program (and its script interpreter) when the policy's rules do not
    /// already let it run: a program a person approved (`ask`), one allowed only by an argument
    /// pattern, a script run by its interpreter.
    func extraPrograms(_ path: String, _ plan: KernelPlan, canonical: Bool = false) -> [String] {
        let program = canonical ? path : canonicalPath(path, cwd: "/")
        // A program of the policy's brought its interpreters when the plan was compiled.
        if plan.executables.contains(program) || plan.executableTrees.contains(where: { isWithin(program, $0) }) {
            return []
        }
        var out: [String] = []
        for p in [program] + engine.interpreterChain(program) {
            let c = canonicalPath(p, cwd: "/")
            if plan.executables.contains(c) || plan.executableTrees.contains(where: { isWithin(c, $0) }) { continue }
            if shellProgramNames.contains(basename(c)) { continue }
            out.append(c)
        }
        return out.sorted()
    }

    /// The shells a sandboxed program's `sh -c` may reach, bound over by aegish in the program's
    /// own namespaces (CSys shellns.c): the POSIX-style shells that exist here, by canonical path
    /// (/bin/sh → /usr/bin/dash). Not for an agent that runs as the overflow uid ("nobody"): in
    /// the namespace, only its own uid is mapped and every other owner shows as that uid, so a
    /// nested aegish could not tell root's policy from one the agent owns. In the setgid
    /// deployment (not dumpable after the setgid exec) the child makes itself dumpable once it
    /// has dropped the group and closed what it holds (shellns.c); a process that is not
    /// dumpable for another reason gets no redirection (the shells are refused, EACCES). Nor does
    /// a nested aegish (under no_new_privs, inside a program's domain): its programs are in that
    /// program's namespace already, where the shells are aegish, and the domain would not let it
    /// write its own id maps.
    public var redirectsShells: Bool {
        engine.settings.kernelShells == .aegish && getuid() != overflowUID()
            && (aegish_dumpable() == 1 || getegid() != getgid()) && aegish_no_new_privs() == 0
    }

    /// Configures the redirection (CSys) on the first program that gets it. Each directory is
    /// resolved once (/bin is /usr/bin on a merged-/usr system), each name costs one lstat
    /// unless it is a link.
    private func redirectShells() {
        guard !shellsConfigured else { return }
        shellsConfigured = true
        guard redirectsShells else { return }
        var dirs: [String] = []
        for d in ["/bin", "/usr/bin", "/usr/local/bin"] {
            let c = canonicalPath(d, cwd: "/")
            if !dirs.contains(c) { dirs.append(c) }
        }
        var targets: [String] = []
        for dir in dirs {
            for name in redirectedShells {
                var st = stat()
                let p = dir + "/" + name
                guard lstat(p, &st) == 0 else { continue }
                let c = (st.st_mode & S_IFMT) == S_IFLNK ? canonicalPath(p, cwd: "/") : p
                guard c != shellPath, !targets.contains(c), c == p ? (st.st_mode & S_IFMT) == S_IFREG : isRegularFile(c) else { continue }
                targets.append(c)
            }
        }
        _ = withCStrings(targets) { aegish_set_shell_redirect(shellPath, $0, Int32(min(targets.count, 16))) }
    }
    private var shellsConfigured = false

    struct BuildError: Error { var message: String }

    /// A ruleset for the plan plus `extra` programs: its descriptor, above the shell's own
    /// descriptors and marked internal (a redirection cannot hand it to a program).
    private func build(_ plan: KernelPlan, extra: [String]) -> Result<Int32, BuildError> {
        let rules = plan.rules
        let handled = rules.handled.intersection(LandlockAccess.supported(abi: abi))
        let net: UInt64 = rules.restrictsConnect && abi >= 4 ? LandlockNet.connectTCP : 0
        let scoped: UInt64 = abi >= 6 ? LandlockNet.scopeAbstractUnixSocket | LandlockNet.scopeSignal : 0
        let created = aegish_landlock_create(handled.rawValue, net, scoped)
        guard created >= 0 else {
            return .failure(BuildError(message: "cannot create a Landlock ruleset (\(errnoText(aegish_errno())))"))
        }
        defer { close(created) }   // kept as a copy above 300, see below

        let restrictsReads = handled.contains(.readFile)
        var followed: [(String, UInt64)] = [], exact: [(String, UInt64)] = []
        for g in rules.grants {
            let a = g.access.intersection(handled)
            if a.isEmpty { continue }
            if g.exact { exact.append((g.path, a.rawValue)) } else { followed.append((g.path, a.rawValue)) }
        }
        for p in extra {
            exact.append((p, (LandlockAccess.execute.union(restrictsReads ? .readFile : [])).intersection(handled).rawValue))
        }
        for (list, nosymlinks) in [(followed, Int32(0)), (exact, Int32(1))] where !list.isEmpty {
            var failed: Int32 = -1
            let r = withCStrings(list.map(\.0)) { paths in
                list.map(\.1).withUnsafeBufferPointer { acc in
                    aegish_landlock_add_paths(created, paths, acc.baseAddress, Int32(list.count), nosymlinks, &failed)
                }
            }
            if r < 0 {
                let what = failed >= 0 ? list[Int(failed)].0 : "?"
                return .failure(BuildError(message: "cannot add the rule for \(what) (\(errnoText(aegish_errno())))"))
            }
        }
        for s in rules.siblings {
            let a = s.access.intersection(handled)
            if a.isEmpty { continue }
            let r = withCStrings(s.except) { except in
                aegish_landlock_add_children(created, s.directory, except, Int32(s.except.count), a.rawValue)
            }
            if r < 0 {
                return .failure(BuildError(message: "cannot add the rules for the entries of \(s.directory) (\(errnoText(aegish_errno())))"))
            }
        }
        if net != 0 {
            var ports = rules.ports
            if plan.usesProxy {
                if let port = proxyPort() { ports.append(port) } else if mode == .required {
                    return .failure(BuildError(message: "the network proxy could not start (\(proxyFailure ?? "unknown error"))"))
                }
            }
            for port in ports where aegish_landlock_add_port(created, UInt64(port), net) != 0 {
                return .failure(BuildError(message: "cannot add the rule for TCP port \(port) (\(errnoText(aegish_errno())))"))
            }
        }
        // Above the descriptors a script uses and the shell's saved copies (≥ 100).
        let fd = aegish_dup_cloexec(created, 300)
        guard fd >= 0 else { return .failure(BuildError(message: "cannot keep the ruleset (\(errnoText(aegish_errno())))")) }
        _ = aegish_fd_set_internal(fd, 1)
        return .success(fd)
    }

    // MARK: The proxy

    /// Whether this process started a proxy helper (its child), or has a listener whose helper it
    /// must still start: either way the shell must outlive the programs it starts.
    public var ownsProxy: Bool { ((proxy?.pid ?? -1) > 0 && proxyParent == getpid()) || lazyListener >= 0 }

    /// The listener to watch while waiting for a program (Gate.pendingServiceFD).
    public var pendingProxyListener: Int32? { lazyListener >= 0 ? lazyListener : nil }

    /// Starts the helper on the pending listener. Fails closed: if it cannot start, the listener
    /// is closed and programs' connections are refused.
    public func startPendingProxy() {
        guard lazyListener >= 0, let port = proxy?.port else { return }
        let listener = lazyListener
        lazyListener = -1
        defer { close(listener) }
        switch startProxyHelper(listener: listener, port: port, engine: engine, shellPath: shellPath, abi: abi) {
        case .success(let h):
            proxy = h
            proxyParent = getpid()
        case .failure(let e):
            proxyFailure = e.message
            warn("aegish: the network proxy could not start (\(e.message)); connections through it are refused")
        }
    }

    /// The session's proxy port, starting the proxy on first use; nil if it cannot start.
    func proxyPort() -> UInt16? {
        if let p = proxy { return p.port }
        if proxyFailure != nil { return nil }
        if let port = enclosingProxyPort() {
            proxy = ProxyHandle(port: port, pid: -1)
            return port
        }
        switch openProxyListener() {
        case .success(let l):
            lazyListener = l.fd
            proxy = ProxyHandle(port: l.port, pid: -1)
            return l.port
        case .failure(let e): proxyFailure = e.message; return nil
        }
    }

    /// A nested aegish (a program's `$SHELL -c`) cannot start a proxy of its own that reaches
    /// anything: it runs inside its parent's sandbox, whose TCP connects go only to the parent's
    /// proxy. It uses that one (AEGISH_SESSION_PROXY, set by the parent) — but only when its
    /// connects really are confined, so a variable set by hand at the top level gains nothing.
    private func enclosingProxyPort() -> UInt16? {
        guard let v = getenv("AEGISH_SESSION_PROXY").map({ String(cString: $0) }),
              v.hasPrefix("127.0.0.1:"), let port = UInt16(v.dropFirst(10)), port > 0,
              aegish_tcp_connect_is_confined() == 1 else { return nil }
        return port
    }

    /// Variables that send programs through the proxy, replacing any the agent set; empty when
    /// the policy names no hosts or the kernel layer is off.
    public func environment(_ env: [String]) -> [String] {
        guard mode != .off, abi >= 1 || mode == .bestEffort else { return env }
        var out = env.filter { entry in
            let name = entry.prefix { $0 != "=" }
            return !proxyVariables.contains(String(name)) && name != "AEGISH_POLICY_FILE" && name != "AEGISH_SELF"
        }
        // A program's `$SHELL -c` is aegish again: it loads the same policy (main.swift,
        // inheritedPolicyFile), and finds its own files from its real path (ownExecutablePath).
        if engine.settings.file.hasPrefix("/") { out.append("AEGISH_POLICY_FILE=" + engine.settings.file) }
        out.append("AEGISH_SELF=" + shellPath)
        guard coverage.usesProxy, let port = proxyPort() else { return out }
        let url = "http://127.0.0.1:\(port)"
        for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"] { out.append(name + "=" + url) }
        out.append("AEGISH_SESSION_PROXY=127.0.0.1:\(port)")
        return out
    }
}

/// Shells whose language aegish speaks (zsh, fish and csh stay refused by the kernel domain).
let redirectedShells = ["sh", "bash", "dash", "ash", "ksh", "mksh", "posh", "yash", "rbash"]

/// System programs that never start another program, whatever their arguments: they need no
/// shell redirection (KernelSandbox.sandbox). Only speed depends on this list — a program on it
/// that did run /bin/sh would get EACCES from its domain, never a shell outside aegish. Not here:
/// anything with an option that runs a program or a shell (sort --compress-program, sed `e`,
/// find -exec, file -z, tar, awk, env, xargs, timeout, git, …).
private let programsThatStartNothing: Set<String> = [
    "true", "false", "ls", "cat", "head", "tail", "wc", "cut", "tr", "uniq", "grep", "egrep", "fgrep",
    "stat", "touch", "mkdir", "rmdir", "rm", "mv", "cp", "ln", "chmod", "date", "id", "pwd",
    "basename", "dirname", "realpath", "readlink", "echo", "printf", "seq", "tee", "du", "df",
    "md5sum", "sha1sum", "sha256sum", "sha512sum", "base64", "whoami", "uname", "nproc", "sleep",
    "comm", "join", "paste", "fold", "nl", "od",
]

func startsNoPrograms(_ program: String?) -> Bool {
    guard let p = program, p.hasPrefix("/usr/bin/") || p.hasPrefix("/bin/") else { return false }
    return programsThatStartNothing.contains(basename(p))
}

func overflowUID() -> uid_t {
    // Digits by byte: Character.isNumber would consult Unicode tables at every start.
    guard let text = readSmallTextFile("/proc/sys/kernel/overflowuid", limit: 64),
          let v = UInt32(String(decoding: text.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)) else { return 65534 }
    return v
}

func isRegularFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

/// Proxy settings a program could read; the session's replace them (NO_PROXY included: a host
/// listed there would be contacted directly, which the kernel refuses anyway).
let proxyVariables: Set<String> = ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                                   "no_proxy", "NO_PROXY", "ftp_proxy", "FTP_PROXY", "AEGISH_SESSION_PROXY"]

/// `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var ptrs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    ptrs.append(nil)
    defer { for p in ptrs { free(p) } }
    return ptrs.withUnsafeBufferPointer { buf in
        buf.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { body($0) }
    }
}

/// `body` with a NULL-terminated `char *const[]` of the strings (argv, envp).
func withCArgv<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var ptrs: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    ptrs.append(nil)
    defer { for p in ptrs { free(p) } }
    return ptrs.withUnsafeBufferPointer { body($0.baseAddress!) }
}
