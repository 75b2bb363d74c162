import PolicyTestSupport
import XCTest
import Glibc
import CSys
import Interp
@testable import Policy

/// The policy → kernel rules compiler (KernelRules.swift) and the session sandbox's decisions
/// (KernelSandbox.swift). The rules are checked with a model of Landlock's semantics (`allows`):
/// a right holds on a path when a grant on it or an ancestor has it, or a sibling grant on an
/// ancestor covers the entry the path goes through. Real rulesets are built in the last tests.
final class KernelRulesTests: PolicyTestCase {
    var ws = ""
    var home = ""

    override func setUpWithError() throws {
        var t1 = Array("/var/tmp/aegish-kws-XXXXXX".utf8CString)
        ws = String(cString: mkdtemp(&t1)!)
        // Not under /tmp: a directory with thousands of entries on the way to a denied path is
        // not carved out (testHugeDirectoryOnTheWayIsAGap).
        var t2 = Array("/var/tmp/aegish-khome-XXXXXX".utf8CString)
        home = String(cString: mkdtemp(&t2)!)
        for d in ["/.ssh", "/a", "/.config", "/.config/gh", "/.config/other"] { mkdir(home + d, 0o755) }
        for f in ["/.ssh/id", "/a/x", "/.config/gh/hosts.yml", "/.config/other/x", "/.profile"] {
            let fd = open(home + f, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644); close(fd)
        }
        mkdir(ws + "/.git", 0o755)
        mkdir(ws + "/.git/hooks", 0o755)
        // The governed user (65534) must be able to reach the scratch directories.
        _ = chmod(ws, 0o755); _ = chmod(home, 0o755)
        // The home is the user's own (so a denied path missing from it could still appear).
        _ = chown(home, 65534, 65534)
    }

    override func tearDown() {
        _ = system("rm -rf '\(ws)' '\(home)'")
    }

    func policy(_ body: (inout Policy) -> Void = { _ in }) -> Policy {
        var p = Policy()
        p.name = "kernel-test"
        p.searchPath = ["/usr/bin", "/bin"]
        p.workspace = ws
        p.paths.write = ["$WORKSPACE", "/dev/null"]
        p.paths.deny = ["~/.ssh", "~/.aws", "~/.config/gh"]
        p.network.allow = ["allowed.localhost"]
        p.commands = [CommandRule(id: "tools", names: ["ls", "cat", "python3"], verdict: .allow),
                      CommandRule(id: "rm", names: ["rm"], verdict: .deny),
                      CommandRule(id: "shells", names: ["sh", "bash"], verdict: .allow),
                      CommandRule(id: "asked", names: ["touch"], verdict: .ask)]
        body(&p)
        return p
    }

    func engine(_ p: Policy) throws -> PolicyEngine {
        try PolicyEngine(policy: p, home: home, governedUID: 65534)
    }

    /// Landlock's semantics over the compiled rules (symlinks aside).
    func allows(_ r: KernelRules, _ path: String, _ a: LandlockAccess) -> Bool {
        let p = canonicalPath(path, cwd: "/")
        if !r.handled.contains(a) { return true }
        for g in r.grants where g.access.contains(a) && isWithin(p, canonicalPath(g.path, cwd: "/")) { return true }
        for s in r.siblings where s.access.contains(a) {
            let prefix = s.directory == "/" ? "/" : s.directory + "/"
            guard p.hasPrefix(prefix) else { continue }
            let first = String(p.dropFirst(prefix.count).prefix { $0 != "/" })
            if !first.isEmpty && !s.except.contains(first) { return true }
        }
        return false
    }

    func selfExe() -> String {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink("/proc/self/exe", &buf, 4096)
        return n > 0 ? String(cString: buf) : "/usr/bin/true"
    }

    func canonical(_ name: String) -> String { canonicalPath("/usr/bin/" + name, cwd: "/") }

    // MARK: execute

    func testExecuteOnlyWhatThePolicyAllows() throws {
        let me = canonicalPath("/proc/self/exe", cwd: "/") == "/proc/self/exe" ? selfExe() : "/usr/bin/true"
        let plan = try engine(policy()).compileKernelPlan(shellPath: me)
        for ok in ["ls", "cat", "python3"] {
            XCTAssertTrue(plan.executables.contains(canonical(ok)), ok)
            XCTAssertTrue(allows(plan.rules, canonical(ok), .execute), ok)
        }
        XCTAssertFalse(allows(plan.rules, canonical("rm"), .execute), "denied program")
        XCTAssertFalse(allows(plan.rules, canonical("touch"), .execute), "asked program: only for the approved command")
        XCTAssertFalse(allows(plan.rules, canonical("sh"), .execute), "shells never (aegish runs sh -c itself)")
        XCTAssertFalse(allows(plan.rules, canonical("bash"), .execute), "shells never")
        XCTAssertFalse(allows(plan.rules, canonical("dash"), .execute))
        XCTAssertTrue(allows(plan.rules, me, .execute), "aegish itself")
        XCTAssertTrue(allows(plan.rules, "/lib64/ld-linux-x86-64.so.2", .execute) || access("/lib64/ld-linux-x86-64.so.2", F_OK) != 0,
                      "the dynamic loader")
        XCTAssertTrue(plan.rules.grants.filter { $0.access.contains(.execute) && !$0.path.hasPrefix(ws)
                                                 && !dynamicLoaders.contains($0.path) }.allSatisfy(\.exact),
                      "programs are granted by their canonical path, never through a symlink")
        XCTAssertFalse(allows(plan.rules, ws + "/a.out", .execute), "workspace_programs = deny")
        XCTAssertFalse(allows(plan.rules, "/tmp/x", .execute))
    }

    func testWorkspaceProgramsAllowed() throws {
        let plan = try engine(policy { $0.workspacePrograms = .allow }).compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(allows(plan.rules, ws + "/build/a.out", .execute))
        XCTAssertFalse(allows(plan.rules, "/tmp/a.out", .execute))
    }

    func testScriptInterpreterAndCompanions() throws {
        // A script the policy allows brings its interpreter (through env), git its helpers.
        let script = ws + "/tool"
        let fd = open(script, O_WRONLY | O_CREAT | O_CLOEXEC, 0o755)
        let text = "#!/usr/bin/env python3\nprint(1)\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        let e = try engine(policy { $0.commands = [CommandRule(id: "tool", names: [script], verdict: .allow),
                                                   CommandRule(id: "git", names: ["git"], verdict: .allow)] })
        let plan = e.compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(allows(plan.rules, "/usr/bin/env", .execute))
        XCTAssertTrue(allows(plan.rules, canonical("python3"), .execute))
        if access("/usr/lib/git-core", F_OK) == 0 {
            XCTAssertTrue(allows(plan.rules, "/usr/lib/git-core/git-remote-http", .execute))
        }
    }

    // MARK: write

    func testWritesOnlyUnderWritePaths() throws {
        let plan = try engine(policy()).compileKernelPlan(shellPath: "/x/aegish")
        for a: LandlockAccess in [.writeFile, .makeReg, .removeFile, .removeDir, .truncate, .makeSym, .refer] {
            XCTAssertTrue(allows(plan.rules, ws + "/new/file", a), "\(a)")
            XCTAssertFalse(allows(plan.rules, home + "/a/x", a), "\(a)")
            XCTAssertFalse(allows(plan.rules, "/tmp/other", a), "\(a)")
        }
        XCTAssertTrue(allows(plan.rules, "/dev/null", .writeFile))
        XCTAssertTrue(allows(plan.rules, "/dev/tty", .writeFile))
        XCTAssertFalse(allows(plan.rules, "/dev/sda", .writeFile))
    }

    func testDenyInsideWriteIsReportedNotSilent() throws {
        let e = try engine(policy { $0.paths.deny.append("$WORKSPACE/.git/hooks") })
        let plan = e.compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(plan.gaps.contains { $0.entry == "$WORKSPACE/.git/hooks" && $0.message.contains("inside the writable") })
        // The workspace stays writable as a whole (files created in it later must be writable).
        XCTAssertTrue(allows(plan.rules, ws + "/newdir/f", .writeFile))
    }

    func testDenyCoveringAWriteRootTakesItAway() throws {
        let plan = try engine(policy { $0.paths.deny.append("$WORKSPACE") }).compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertFalse(allows(plan.rules, ws + "/f", .writeFile))
        XCTAssertFalse(allows(plan.rules, ws + "/f", .readFile))
    }

    // MARK: read

    func testDenyInsideOpenReadsBecomesSiblingGrants() throws {
        let plan = try engine(policy()).compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(plan.restrictsReads)
        XCTAssertTrue(plan.gaps.isEmpty, "\(plan.gaps)")
        XCTAssertFalse(allows(plan.rules, home + "/.ssh/id", .readFile))
        XCTAssertFalse(allows(plan.rules, home + "/.ssh", .readFile))
        XCTAssertFalse(allows(plan.rules, home + "/.aws/credentials", .readFile), "a denied path that does not exist yet")
        XCTAssertFalse(allows(plan.rules, home + "/.config/gh/hosts.yml", .readFile))
        XCTAssertTrue(allows(plan.rules, home + "/.config/other/x", .readFile), "a sibling inside the chain")
        XCTAssertTrue(allows(plan.rules, home + "/a/x", .readFile))
        XCTAssertTrue(allows(plan.rules, home + "/.profile", .readFile))
        XCTAssertTrue(allows(plan.rules, home, .readDir), "ls ~ works")
        XCTAssertTrue(allows(plan.rules, "/usr/lib/os-release", .readFile))
        XCTAssertTrue(allows(plan.rules, "/etc/passwd", .readFile))
        XCTAssertTrue(allows(plan.rules, ws + "/src/main.c", .readFile))
        // Every level of the chain from / to the home directory is expanded, nothing more.
        let dirs = Set(plan.rules.siblings.map(\.directory))
        XCTAssertTrue(dirs.contains("/") && dirs.contains(home) && dirs.contains(home + "/.config"), "\(dirs)")
        XCTAssertEqual(plan.rules.siblings.first { $0.directory == home }?.except, [".aws", ".config", ".ssh"])
    }

    func testReadsNotHandledWithoutARestrictionOrAReachableDeny() throws {
        let plan = try engine(policy { $0.paths.deny = [] }).compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertFalse(plan.restrictsReads)
        XCTAssertFalse(plan.rules.handled.contains(.readFile))
        XCTAssertTrue(plan.rules.siblings.isEmpty)
    }

    func testUnreachableDenyNeedsNoRule() throws {
        // A root-only file (like /etc/shadow): the governed user cannot open it anyway.
        let secret = ws + "/root-only"
        let fd = open(secret, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600); close(fd)
        _ = chown(secret, 0, 0)
        let e = try engine(policy { $0.paths.deny = [secret, "/root"] })
        XCTAssertFalse(e.governedUserCanReach(secret))
        XCTAssertTrue(e.governedUserCanReach(home + "/.ssh"))
        let cov = e.kernelCoverage()
        XCTAssertTrue(cov.readDenies.isEmpty, "\(cov.readDenies)")
        XCTAssertNil(cov.readRoots)
    }

    func testReachWalkSharedAcrossPathsAgreesWithAFreshWalk() throws {
        // kernelCoverage walks all denies with one ReachWalk (directories remembered); each
        // answer must be what a walk of that path alone gives, in any order.
        let t = ws + "/reach"
        mkdir(t, 0o755)
        for (d, mode, uid) in [("open", 0o755, 0), ("closed", 0o700, 0), ("closed/in", 0o755, 0),
                               ("mine", 0o700, 65534), ("mine/sub", 0o755, 0), ("sticky", 0o1777, 0)] as [(String, mode_t, uid_t)] {
            mkdir(t + "/" + d, mode); _ = chmod(t + "/" + d, mode); _ = chown(t + "/" + d, uid, 0)
        }
        for (f, mode, uid) in [("open/readable", 0o644, 0), ("open/secret", 0o600, 0), ("mine/own", 0o600, 65534),
                               ("closed/in/x", 0o644, 0), ("sticky/theirs", 0o600, 0)] as [(String, mode_t, uid_t)] {
            let fd = open(t + "/" + f, O_WRONLY | O_CREAT | O_CLOEXEC, mode); close(fd)
            _ = chmod(t + "/" + f, mode); _ = chown(t + "/" + f, uid, 0)
        }
        let e = try engine(policy { $0.paths.deny = [] })
        let paths = ["open", "open/readable", "open/secret", "open/missing", "open/missing/deeper", "closed",
                     "closed/in", "closed/in/x", "closed/nothing", "mine", "mine/own", "mine/sub", "mine/sub/new",
                     "sticky", "sticky/theirs", "sticky/new", "open/readable/below"].map { t + "/" + $0 }
        let expected = paths.map { e.governedUserCanReach($0) }
        // Not reachable: a 0600 file of root's, a missing name in a directory the user cannot
        // write, a 0700 directory of root's and all below it, a missing name under it.
        XCTAssertEqual(expected, [true, true, false, false, false, false, false, false, false, true, true, true, false,
                                  true, false, true, false], "the cases differ as intended")
        for order in [Array(paths.indices), paths.indices.reversed(), paths.indices.sorted { paths[$0] > paths[$1] }] {
            let walk = ReachWalk(engine: e, groups: [65534])
            for i in order { XCTAssertEqual(walk.reaches(paths[i]), expected[i], paths[i]) }
        }
    }

    func testRestrictedReads() throws {
        let plan = try engine(policy { $0.paths.read = ["~/a"] }).compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(allows(plan.rules, home + "/a/x", .readFile))
        XCTAssertFalse(allows(plan.rules, home + "/.profile", .readFile))
        XCTAssertFalse(allows(plan.rules, home + "/.ssh/id", .readFile))
        XCTAssertTrue(allows(plan.rules, ws + "/x", .readFile), "write paths are readable")
        XCTAssertTrue(allows(plan.rules, "/usr/lib/x86_64-linux-gnu/libc.so.6", .readFile), "libraries")
        XCTAssertTrue(allows(plan.rules, "/etc/ld.so.cache", .readFile))
        XCTAssertFalse(allows(plan.rules, "/etc/hostname-not-in-the-list", .readFile))
    }

    func testHugeDirectoryOnTheWayIsAGap() throws {
        var t = Array("/var/tmp/aegish-kbig-XXXXXX".utf8CString)
        let big = String(cString: mkdtemp(&t)!)
        _ = chmod(big, 0o755)
        defer { _ = system("rm -rf '\(big)'") }
        for i in 0...maxCarvedEntries { mkdir(big + "/d\(i)", 0o755) }
        mkdir(big + "/d0/secret", 0o755)
        let cov = try engine(policy { $0.paths.deny = [big + "/d0/secret"] }).kernelCoverage()
        XCTAssertTrue(cov.readDenies.isEmpty)
        XCTAssertTrue(cov.gaps.contains { $0.message.contains("more than \(maxCarvedEntries) entries") }, "\(cov.gaps)")
    }

    func testGlobDenyIsAGap() throws {
        let plan = try engine(policy { $0.paths.deny.append("/proc/*/environ") }).compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(plan.gaps.contains { $0.entry == "/proc/*/environ" && $0.message.contains("glob") })
    }

    // MARK: network

    func testNetwork() throws {
        var cov = try engine(policy()).kernelCoverage()
        XCTAssertTrue(cov.restrictsConnect && cov.usesProxy)
        XCTAssertEqual(cov.neededABI, 4)
        cov = try engine(policy { $0.network.allow = [] }).kernelCoverage()
        XCTAssertTrue(cov.restrictsConnect && !cov.usesProxy, "no hosts: no TCP at all")
        cov = try engine(policy { $0.network.outside = .allow }).kernelCoverage()
        XCTAssertFalse(cov.restrictsConnect)
        XCTAssertEqual(cov.neededABI, 3)
        cov = try engine(policy { $0.network.outside = .allow; $0.network.deny = ["evil.example"] }).kernelCoverage()
        XCTAssertTrue(cov.gaps.contains { $0.entry == "network.deny" })
    }

    // MARK: the setting

    func testKernelKeyLoadsAndIsCached() throws {
        let base = "[policy]\nname = \"k\"\n"
        XCTAssertEqual(try parsePolicy(base, file: "t.toml").kernel, .bestEffort, "absent: best-effort")
        for (text, mode) in [("required", KernelMode.required), ("best-effort", .bestEffort), ("off", .off)] {
            let p = try parsePolicy(base + "kernel = \"\(text)\"\n", file: "t.toml")
            XCTAssertEqual(p.kernel, mode)
            XCTAssertEqual(decodeCachedPolicy(encodeCachedPolicy(p))?.kernel, mode, "cache round trip")
        }
        XCTAssertThrowsError(try parsePolicy(base + "kernel = \"yes\"\n", file: "t.toml")) { e in
            XCTAssertTrue("\(e)".contains("policy.kernel"), "\(e)")
        }
        XCTAssertThrowsError(try parsePolicy("kernel = \"off\"\n", file: "t.toml")) { e in
            XCTAssertTrue("\(e)".contains("belongs in [policy]"), "\(e)")
        }
    }

    func testKernelShellsKeyLoadsAndIsCached() throws {
        let base = "[policy]\nname = \"k\"\n"
        XCTAssertEqual(try parsePolicy(base, file: "t.toml").kernelShells, .aegish, "absent: shells come back to aegish")
        for (text, mode) in [("aegish", KernelShells.aegish), ("refuse", .refuse)] {
            let p = try parsePolicy(base + "kernel_shells = \"\(text)\"\n", file: "t.toml")
            XCTAssertEqual(p.kernelShells, mode)
            XCTAssertEqual(decodeCachedPolicy(encodeCachedPolicy(p))?.kernelShells, mode, "cache round trip")
        }
        XCTAssertThrowsError(try parsePolicy(base + "kernel_shells = \"bash\"\n", file: "t.toml")) { e in
            XCTAssertTrue("\(e)".contains("policy.kernel_shells"), "\(e)")
        }
    }

    // MARK: the session sandbox

    func request(_ program: String) -> GateRequest {
        GateRequest(action: .exec, argv: [basename(program)], path: program, cwd: ws, environment: [], pos: .none)
    }

    func testRequiredRefusesWhatTheKernelCannotDo() throws {
        let none = KernelSandbox(engine: try engine(policy { $0.kernel = .required }), shellPath: "/x/aegish", abi: 0)
        guard case .refused(let why) = none.sandbox(for: request("/usr/bin/ls")) else { return XCTFail("ran without Landlock") }
        XCTAssertTrue(why.contains("no Landlock"), why)
        let old = KernelSandbox(engine: try engine(policy { $0.kernel = .required }), shellPath: "/x/aegish", abi: 3)
        guard case .refused(let why3) = old.sandbox(for: request("/usr/bin/ls")) else { return XCTFail("ABI 3 with network rules") }
        XCTAssertTrue(why3.contains("TCP"), why3)
    }

    func testBestEffortSaysWhatIsNotEnforced() throws {
        let e = try engine(policy { $0.kernel = .bestEffort; $0.paths.deny.append("/proc/*/environ") })
        let none = KernelSandbox(engine: e, shellPath: "/x/aegish", abi: 0)
        XCTAssertEqual(none.sandbox(for: request("/usr/bin/ls")), .none)
        XCTAssertTrue(none.startupWarnings().contains { $0.contains("no Landlock") }, "\(none.startupWarnings())")
        XCTAssertTrue(none.startupWarnings().contains { $0.contains("/proc/*/environ") })
        XCTAssertTrue(none.auditNote().contains("best-effort"))
        let old = KernelSandbox(engine: e, shellPath: "/x/aegish", abi: 3)
        XCTAssertTrue(old.startupWarnings().contains { $0.contains("TCP connections are not restricted") })
        let req = KernelSandbox(engine: try engine(policy { $0.kernel = .required }), shellPath: "/x/aegish", abi: 7)
        XCTAssertEqual(req.startupWarnings(), [], "required: refusals, not warnings")
        let off = KernelSandbox(engine: try engine(policy { $0.kernel = .off }), shellPath: "/x/aegish", abi: 7)
        XCTAssertEqual(off.sandbox(for: request("/usr/bin/ls")), .none)
    }

    func testAskedProgramIsAddedForItsOwnCommand() throws {
        let k = KernelSandbox(engine: try engine(policy()), shellPath: "/x/aegish", abi: 7)
        XCTAssertEqual(k.extraPrograms("/usr/bin/ls", k.plan), [])
        XCTAssertEqual(k.extraPrograms("/usr/bin/touch", k.plan), [canonical("touch")])
        XCTAssertEqual(k.extraPrograms("/bin/sh", k.plan), [], "never a shell")
        XCTAssertTrue(k.describe(program: "/usr/bin/touch").joined().contains("this command adds"))
    }

    func testRealRulesetsAreCachedAndKeptAway() throws {
        let abi = Int(aegish_landlock_abi())
        try XCTSkipIf(abi < 4, "Landlock ABI \(abi)")
        let k = KernelSandbox(engine: try engine(policy { $0.network.allow = [] }), shellPath: "/x/aegish")
        guard case .ruleset(let fd) = k.sandbox(for: request("/usr/bin/ls")) else { return XCTFail("no ruleset") }
        XCTAssertGreaterThanOrEqual(fd, 300)
        XCTAssertEqual(aegish_fd_is_internal(fd), 1, "a redirection may not hand it to a program")
        XCTAssertEqual(k.sandbox(for: request("/usr/bin/cat")), .ruleset(fd), "same rules, same ruleset")
        let touch = request("/usr/bin/touch")
        XCTAssertEqual(k.sandbox(for: touch), .ruleset(fd), "not decided: nothing added")
        k.decided(touch, program: canonical("touch"))
        guard case .ruleset(let fd2) = k.sandbox(for: touch) else { return XCTFail("no ruleset") }
        XCTAssertNotEqual(fd, fd2, "an approved program gets its own")
        // What was decided, not what the path points to now (a symlink swapped in after the check).
        k.decided(touch, program: canonical("ls"))
        XCTAssertEqual(k.sandbox(for: touch), .ruleset(fd))
    }

    // MARK: the proxy's parsing

    func testProxyRequests() {
        func parse(_ s: String) -> ProxyRequest? { parseProxyRequest(Array(s.utf8)) }
        XCTAssertEqual(parse("CONNECT pypi.org:443 HTTP/1.1\r\nHost: pypi.org:443")?.host, "pypi.org")
        XCTAssertEqual(parse("CONNECT PyPI.org.:443 HTTP/1.1")?.host, "pypi.org")
        XCTAssertEqual(parse("CONNECT [::1]:8080 HTTP/1.1")?.host, "::1")
        XCTAssertEqual(parse("CONNECT 0x7f.1:80 HTTP/1.1")?.host, "127.0.0.1")
        XCTAssertNil(parse("CONNECT pypi.org HTTP/1.1"), "no port")
        XCTAssertNil(parse("GET /path HTTP/1.1\r\nHost: a"), "origin form: not a proxy request")
        XCTAssertNil(parse("GET https://a/ HTTP/1.1"))
        let g = parse("GET http://allowed.localhost:8000/x?y=1#frag HTTP/1.1\r\nHost: allowed.localhost:8000\r\nProxy-Connection: keep-alive\r\nAccept: */*")
        XCTAssertEqual(g?.host, "allowed.localhost")
        XCTAssertEqual(g?.port, 8000)
        XCTAssertEqual(g?.path, "/x?y=1")
        XCTAssertEqual(parse("GET http://evil.com@allowed.localhost/ HTTP/1.1")?.host, "allowed.localhost")
        XCTAssertNil(parse("GET http://a@b@c/ HTTP/1.1")?.host, "ambiguous authority")
        let head = upstreamHead(g!, authority: "allowed.localhost:8000")
        XCTAssertTrue(head.hasPrefix("GET /x?y=1 HTTP/1.1\r\nHost: allowed.localhost:8000\r\n"), head)
        XCTAssertFalse(head.lowercased().contains("proxy-connection"))
        XCTAssertTrue(head.hasSuffix("Accept: */*\r\nConnection: close\r\n\r\n"), head)
    }
}
