import PolicyTestSupport
import XCTest
import Glibc
@testable import Policy
import Syntax
import CSys

/// The compiled-policy cache as the shell uses it (`loadPolicyEngine`): written on a miss, used
/// on a hit, ignored (and rewritten) when anything in its key changed or it is damaged, ignored
/// and never written where the governed user could change it — and an engine from the cache
/// decides exactly like one loaded from the TOML. Runs as root (ownership), for a simulated
/// governed user, uid 4242.
final class PolicyCacheTests: PolicyTestCase {
    let user: uid_t = 4242
    var base = ""
    var policyPath: String { base + "/etc/p.toml" }
    var cacheDir: String { base + "/cache" }
    var home: String { base + "/home" }

    override func setUpWithError() throws {
        try XCTSkipIf(getuid() != 0, "cache tests need root (the policy and cache must not be the governed user's)")
        var template = Array("/tmp/aegish-cache-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        base = String(cString: p)
        chmod(base, 0o755)
        for d in ["etc", "cache", "bin", "ws", "home", "secret", "log"] { mkdir(base + "/" + d, 0o755); chmod(base + "/" + d, 0o755) }
        write(base + "/bin/tool", "#!/bin/sh\n", mode: 0o755)
        write(policyPath, policyText())
    }

    override func tearDown() {
        if !base.isEmpty { _ = system("rm -rf '\(base)'") }
    }

    func policyText(lsVerdict: String = "allow", audit: Bool = false) -> String {
        """
        [policy]
        name = "cache-test"
        default = "deny"
        path = ["\(base)/bin", "/usr/bin", "/bin"]
        workspace = "\(base)/ws"

        [paths]
        read = ["/"]
        write = ["$WORKSPACE", "/dev/null"]
        deny = ["~/.ssh", "\(base)/secret"]

        [network]
        allow = ["example.com", ".pypi.org"]

        [environment]
        pass = ["HOME", "LANG"]
        deny = ["LD_*"]

        [environment.set]
        PAGER = "cat"
        \(audit ? "\n[audit]\nfile = \"\(base)/log/audit.log\"\n" : "")
        [[command]]
        id = "basics"
        names = ["true", "cat", "tool", "env"]
        decision = "allow"

        [[command]]
        id = "ls"
        names = ["ls"]
        decision = "\(lsVerdict)"

        [[command]]
        id = "rm"
        names = ["rm"]
        decision = "allow"
        deny_options = ["-r", "--recursive"]

        [[command]]
        id = "git"
        names = ["git"]
        decision = "allow"
        [[command.arguments]]
        pattern = "push *"
        decision = "ask"

        [[command]]
        id = "ghost"
        names = ["no-such-program-xyz"]
        decision = "allow"

        [[command]]
        id = "curl"
        names = ["curl"]
        decision = "allow"

        [[test]]
        command = "cat notes.txt"
        expect = "allow"
        rule = "basics"
        cwd = "\(base)/ws"

        """
    }

    func write(_ path: String, _ text: String, mode: mode_t = 0o644) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(fd >= 0)
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        chmod(path, mode)
    }

    func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd, limit: 64 << 20)
    }

    func writeBytes(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Starts an engine the way the shell does; returns it and what happened with the cache.
    func start(home h: String? = nil, cache: String?? = nil, path: String? = nil) throws -> (PolicyEngine, [PolicyCacheEvent]) {
        var events: [PolicyCacheEvent] = []
        // This test's cache directory stands for /var/cache/aegish (where the user's own caches count).
        let engine = try loadPolicyEngine(path: path ?? policyPath, governedUID: user, checkUID: user, home: h ?? home,
                                          cacheDirectory: cache ?? cacheDir, sharedDirectory: cacheDir,
                                          report: { events.append($0) })
        return (engine, events)
    }

    func kinds(_ events: [PolicyCacheEvent]) -> [String] {
        events.map { e in
            switch e {
            case .hit: return "hit"
            case .miss: return "miss"
            case .written: return "written"
            case .notWritten: return "notWritten"
            case .disabled: return "disabled"
            }
        }
    }

    func cacheFile() -> String {
        var st = stat()
        precondition(stat(policyPath, &st) == 0)
        return policyCacheFile(directory: cacheDir, policy: st, uid: user)
    }

    /// A nested aegish's engine from the sealed copy of the compiled policy its parent hands down
    /// (through the relay): it decides like the parent's; only under no_new_privs (set in a
    /// forked child: it cannot be undone); not for another policy path, nor once the policy
    /// file changed; and the copy cannot be written.
    func testHandedDownCopy() throws {
        _ = try start()
        let (engine, events) = try start()
        XCTAssertEqual(kinds(events), ["hit"])
        let fd = engine.sealedCompiledCopy()
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        XCTAssertEqual(Glibc.write(fd, "x", 1), -1, "the copy is sealed")
        let loaded = try loadPolicyEngine(path: policyPath, governedUID: user, checkUID: user, home: home,
                                          cacheDirectory: nil, sharedDirectory: cacheDir, report: { _ in })
        XCTAssertEqual(loaded.sealedCompiledCopy(), -1, "an engine loaded from the TOML has no copy")
        XCTAssertNil(handedDownPolicyEngine(fd: fd, path: policyPath, governedUID: user, checkUID: user, home: home,
                                            shellPaths: []), "not without no_new_privs")
        let want = decisions(engine).joined(separator: "\n")
        func inChild(_ body: () -> String) -> String {
            var p: [Int32] = [0, 0]
            precondition(pipe(&p) == 0)
            let pid = fork()
            if pid == 0 {
                close(p[0])
                let out = aegish_set_no_new_privs() == 0 ? body() : "no nnp"
                _ = out.utf8CString.withUnsafeBufferPointer { Glibc.write(p[1], $0.baseAddress, $0.count - 1) }
                _exit(0)
            }
            close(p[1])
            let text = String(decoding: readAll(p[0], limit: 1 << 20) ?? [], as: UTF8.self)
            close(p[0])
            var st: Int32 = 0
            waitpid(pid, &st, 0)
            return text
        }
        XCTAssertEqual(inChild {
            _ = lseek(fd, 0, SEEK_SET)
            guard let e = handedDownPolicyEngine(fd: fd, path: policyPath, governedUID: user, checkUID: user, home: home,
                                                 shellPaths: [cacheDir]) else { return "nil" }
            return decisions(e).joined(separator: "\n")
        }, want)
        XCTAssertEqual(inChild {
            handedDownPolicyEngine(fd: fd, path: base + "/etc/other.toml", governedUID: user, checkUID: user, home: home,
                                   shellPaths: []) == nil ? "refused" : "loaded"
        }, "refused", "another policy path")
        XCTAssertEqual(inChild {
            handedDownPolicyEngine(fd: fd, path: policyPath, governedUID: user + 1, checkUID: user, home: home,
                                   shellPaths: []) == nil ? "refused" : "loaded"
        }, "refused", "another uid")
        write(policyPath, policyText(lsVerdict: "deny"))
        XCTAssertEqual(inChild {
            handedDownPolicyEngine(fd: fd, path: policyPath, governedUID: user, checkUID: user, home: home,
                                   shellPaths: []) == nil ? "refused" : "loaded"
        }, "refused", "the policy changed since the copy was compiled")
    }

    /// Every decision the test compares, as text.
    func decisions(_ e: PolicyEngine) -> [String] {
        let ws = base + "/ws"
        let commands: [[String]] = [
            ["true"], ["ls", "-la"], ["rm", "-rf", "x"], ["rm", "--recursive", "x"], ["rm", "x"], ["git", "status"],
            ["git", "push", "origin", "main"], ["no-such-program-xyz"], ["not-in-policy"], ["tool"], ["cat", base + "/secret/k"],
            ["cat", "/etc/hostname"], ["cat", home + "/.ssh/id_rsa"], ["curl", "https://example.com/x"],
            ["curl", "https://files.pypi.org/x"], ["curl", "https://evil.example.net/"], ["env", "rm", "-r", "x"],
            ["env", "LD_PRELOAD=x", "true"], ["./a.out"], ["python3", "-c", "print(1)"], ["/bin/sh", "-c", "true"],
        ]
        var out = commands.map { argv -> String in
            let d = e.decideExec(argv: argv, path: nil, cwd: ws)
            return "\(argv.joined(separator: " ")) → \(d.verdict) \(d.ruleID): \(d.reason)"
        }
        for (p, a) in [(base + "/secret/x", Access.read), (ws + "/out.txt", .write), ("/etc/passwd", .write),
                       ("/dev/null", .write), (home + "/.ssh", .read)] {
            let d = e.decideOpen(p, access: a, cwd: ws)
            out.append("open \(p) \(a) → \(d.verdict) \(d.ruleID): \(d.reason)")
        }
        out.append(e.childEnvironment(["HOME=/x", "LANG=C", "LD_PRELOAD=y", "SECRET=z"], shellPath: "/bin/aegish").joined(separator: " "))
        return out
    }

    // MARK: - The cache's life cycle

    func testMissCompilesThenHitDecidesTheSame() throws {
        let (slow, first) = try start()
        XCTAssertEqual(kinds(first), ["miss", "written"])
        let file = cacheFile()
        var st = stat()
        XCTAssertEqual(stat(file, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o444, "read-only for everyone, its owner included")
        XCTAssertEqual(access(file + ".new", F_OK), -1, "the staged name is renamed away")

        let (fast, second) = try start()
        XCTAssertEqual(kinds(second), ["hit"])
        XCTAssertEqual(decisions(fast), decisions(slow))
        // The whole policy comes back from the cache too (tools, `allowed`).
        XCTAssertEqual(fast.policy.commands.map(\.id), slow.policy.commands.map(\.id))
        XCTAssertEqual(fast.policy.commands.map(\.names), slow.policy.commands.map(\.names))
        XCTAssertEqual(fast.policy.tests.map(\.command), ["cat notes.txt"])
        XCTAssertEqual(fast.rulesByBinary, slow.rulesByBinary)
        XCTAssertEqual(fast.unresolvedNames, slow.unresolvedNames)
        XCTAssertNoThrow(try checkExamples(fast, home: home))
    }

    func testAChangedPolicyIsAMissAndIsRewritten() throws {
        _ = try start()
        let (_, hit) = try start()
        XCTAssertEqual(kinds(hit), ["hit"])
        write(policyPath, policyText(lsVerdict: "deny"))
        let (changed, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertTrue(events[0].description.contains("policy file changed") || events[0].description.contains("No such file"),
                      events[0].description)
        XCTAssertEqual(changed.decideExec(argv: ["ls"], path: nil, cwd: "/").verdict, .deny)
        let (cached, again) = try start()
        XCTAssertEqual(kinds(again), ["hit"])
        XCTAssertEqual(cached.decideExec(argv: ["ls"], path: nil, cwd: "/").verdict, .deny)
    }

    func testAnotherHomeIsAMissInTheSameSlot() throws {
        _ = try start()
        let (_, events) = try start(home: base + "/elsewhere")
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertTrue(events[0].description.contains("HOME"), events[0].description)
        XCTAssertEqual(try FileManagerLite.entries(cacheDir), [URLName(cacheFile())])
    }

    func testAChangedSearchPathDirectoryIsAMiss() throws {
        _ = try start()
        write(base + "/bin/newtool", "#!/bin/sh\n", mode: 0o755)
        let (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertTrue(events[0].description.contains("\(base)/bin changed"), events[0].description)
    }

    /// The compiled path patterns come from the cache (a hit that decides paths compiles
    /// nothing), until a directory their literal part went through changes: a `~/.ssh` made a
    /// link to the workspace makes the deny cover the workspace, as a fresh compile says.
    func testPathPatternsComeFromTheCacheUntilTheirDirectoriesChange() throws {
        _ = try start()
        let (engine, events) = try start()
        XCTAssertEqual(kinds(events), ["hit"])
        XCTAssertNotNil(engine.cachedPathRulesForTests(), "the section is usable while nothing changed")
        let ws = base + "/ws"
        XCTAssertEqual(engine.decideOpen(ws + "/f", access: .write, cwd: ws).verdict, .allow)
        XCTAssertEqual(engine.decideOpen(home + "/.ssh/id", access: .read, cwd: ws).verdict, .deny)

        XCTAssertEqual(symlink(ws, home + "/.ssh"), 0)
        // An engine from the same cache file: the name tables did not change, so it is a hit.
        let (after, events2) = try start()
        XCTAssertEqual(kinds(events2), ["hit"])
        XCTAssertNil(after.cachedPathRulesForTests(), "\(home) changed: the cached patterns are not used")
        let fresh = try PolicyEngine(policy: try loadPolicy(path: policyPath, governedUID: user), home: home, governedUID: user)
        fresh.shellPaths = after.shellPaths
        let want = fresh.decideOpen(ws + "/f", access: .write, cwd: ws)
        XCTAssertEqual(want.verdict, .deny, "a fresh compile: ~/.ssh is now the workspace")
        XCTAssertEqual(after.decideOpen(ws + "/f", access: .write, cwd: ws).verdict, want.verdict)
        // Other protected shell paths than when the cache was written: compiled again too.
        let (third, _) = try start()
        third.shellPaths = third.shellPaths + ["/elsewhere"]
        XCTAssertNil(third.cachedPathRulesForTests())
    }

    func testADamagedCacheIsIgnoredAndRewritten() throws {
        _ = try start()
        let file = cacheFile()
        var bytes = try XCTUnwrap(readBytes(file))
        bytes[bytes.count / 2] ^= 0x40
        writeBytes(file, bytes)
        var (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertTrue(events[0].description.contains("checksum"), events[0].description)
        XCTAssertEqual(kinds(try start().1), ["hit"])

        writeBytes(file, Array(try XCTUnwrap(readBytes(file)).prefix(200)))
        (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertEqual(kinds(try start().1), ["hit"])
    }

    func testDisabledNeitherReadsNorWrites() throws {
        let (_, events) = try start(cache: .some(nil))
        XCTAssertEqual(kinds(events), ["disabled"])
        XCTAssertEqual(access(cacheFile(), F_OK), -1)
    }

    // MARK: - Trust

    func testACacheDirectoryTheUserCanWriteIsNeitherUsedNorWritten() throws {
        _ = try start()
        XCTAssertEqual(kinds(try start().1), ["hit"])
        chown(cacheDir, user, 0)
        var (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "notWritten"])
        XCTAssertTrue(events[0].description.contains("uid 4242"), events[0].description)
        chown(cacheDir, 0, 0)
        chmod(cacheDir, 0o777)   // writable by everyone, no sticky bit
        (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "notWritten"])
        chmod(cacheDir, 0o1777)  // sticky: the root-owned file cannot be replaced by the user…
        XCTAssertEqual(kinds(try start().1), ["hit"])
        chown(cacheFile(), user, 0)   // …but one the user owns could be
        (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "notWritten"])
    }

    func testAUserOwnedCacheIsUsedOnlyWhereTheUserCannotReachIt() throws {
        // What aegish writes when installed setgid: the file belongs to the user, the directory
        // (root:aegish 2770) is closed to them.
        _ = try start()
        chown(cacheFile(), user, 0)
        var (_, events) = try start()          // directory 0755: the user can reach their file
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertTrue(events[0].description.contains("can be entered by everyone"), events[0].description)
        chown(cacheFile(), user, 0)
        chmod(cacheDir, 0o700)
        let (fast, hit) = try start()
        XCTAssertEqual(kinds(hit), ["hit"])
        XCTAssertEqual(fast.decideExec(argv: ["ls"], path: nil, cwd: "/").verdict, .allow)
        // Writable by its owner (or anyone), without the writer's mark, or with a second link:
        // not used.
        for mode: mode_t in [0o644, 0o664, 0o446] {
            chown(cacheFile(), user, 0)
            chmod(cacheFile(), mode)
            (_, events) = try start()
            XCTAssertEqual(kinds(events), ["miss", "written"], "mode \(String(mode, radix: 8))")
        }
        chown(cacheFile(), user, 0)
        XCTAssertEqual(kinds(try start().1), ["hit"])
        let fd = open(cacheFile(), O_RDONLY)
        XCTAssertEqual(aegish_fsetxattr(fd, "user.aegish.compiled-policy", "3", 1), 0)   // not this writer's mark
        close(fd)
        (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
        chown(cacheFile(), user, 0)
        XCTAssertEqual(link(cacheFile(), cacheDir + "/second-link"), 0)
        (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
    }

    func testAUserOwnedCacheOutsideTheSharedDirectoryIsNotUsed() throws {
        // Only /var/cache/aegish is protected from every aegish process's redirections; in a
        // directory named by AEGISH_POLICY_CACHE a file of the user's is not trusted.
        let other = base + "/other"
        mkdir(other, 0o700)
        _ = try start(cache: .some(other))
        var st = stat()
        XCTAssertEqual(stat(policyPath, &st), 0)
        let file = policyCacheFile(directory: other, policy: st, uid: user)
        XCTAssertEqual(kinds(try start(cache: .some(other)).1), ["hit"])   // root's own: trusted
        chown(file, user, 0)
        let (_, events) = try start(cache: .some(other))
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertTrue(events[0].description.contains("owned by uid 4242"), events[0].description)
    }

    func testAnotherUsersCacheIsNotUsed() throws {
        _ = try start()
        chown(cacheFile(), 5555, 0)
        chmod(cacheDir, 0o700)
        let (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
    }

    func testTheAuditLogDirectoryIsNeverUsedForCaches() throws {
        write(policyPath, policyText(audit: true))
        let (_, events) = try start(cache: .some(base + "/log"))
        XCTAssertEqual(kinds(events), ["miss", "notWritten"])
        XCTAssertTrue(events[1].description.contains("audit log"), events[1].description)
    }

    func testAMissingDirectoryIsNotCreated() throws {
        let (_, events) = try start(cache: .some(base + "/nonexistent"))
        XCTAssertEqual(kinds(events), ["miss", "notWritten"])
        XCTAssertEqual(access(base + "/nonexistent", F_OK), -1)
    }

    func testALeftoverStagedFileIsReplaced() throws {
        write(cacheFile() + ".new", "garbage from a writer that died", mode: 0o444)
        let (_, events) = try start()
        XCTAssertEqual(kinds(events), ["miss", "written"])
        XCTAssertEqual(access(cacheFile() + ".new", F_OK), -1)
        XCTAssertEqual(kinds(try start().1), ["hit"])
    }

    func testTheCacheFileIsNeverWritableByName() throws {
        // Written without a name and read-only before it gets one: the user who owns it (the
        // setgid case) cannot open it for writing, even through aegish's group.
        _ = try start()
        var st = stat()
        XCTAssertEqual(stat(cacheFile(), &st), 0)
        XCTAssertEqual(st.st_mode & 0o222, 0)
        let fd = open(cacheFile(), O_RDONLY)
        defer { close(fd) }
        XCTAssertTrue(hasCacheMark(fd))
    }

    func testAPolicyThatFailsToLoadIsNeverCached() throws {
        write(policyPath, policyText() + "\n[[test]]\ncommand = \"ls\"\nexpect = \"deny\"\n")
        XCTAssertThrowsError(try start())
        XCTAssertEqual(access(cacheFile(), F_OK), -1)
    }

    // MARK: - Start-up helpers behave like what they replace

    func testNamePatternsMatchLikeMatchesAny() {
        let patterns = ["LD_*", "BASH_ENV", "ENV", "GIT_SSH*", "*", "A*B", "", "PYTHON*"]
        let names = ["LD_PRELOAD", "LD_", "LD", "BASH_ENV", "BASH_ENVX", "ENV", "GIT_SSH_COMMAND", "PATH", "",
                     "A*B", "AB", "AXB", "PYTHONSTARTUP", "é", "e\u{301}"]
        for k in 0..<patterns.count {
            for list in [Array(patterns[k...]), Array(patterns[..<k]), [patterns[k]]] {
                let m = NamePatterns(list)
                for n in names { XCTAssertEqual(m.matches(n), matchesAny(n, list), "\(n) vs \(list)") }
            }
        }
    }

    func testLargePoliciesResolveNamesLikeSmallOnes() throws {
        // Over 256 names, each search directory is listed once; the result must not change.
        symlink(base + "/bin/tool", base + "/bin/alias")
        mkdir(base + "/bin/adir", 0o755)
        var names = ["tool", "alias", "adir", "ls", "cat", "true", "sh", "/bin/sh", "bin/tool", "", ".", ".."]
        for i in 0..<300 { names.append("no-such-\(i)") }
        var big = Policy()
        big.searchPath = [base + "/bin", "/usr/bin", "/bin"]
        big.commands = names.enumerated().map { CommandRule(id: "r\($0.offset)", names: [$0.element], verdict: .allow) }
        let engine = try PolicyEngine(policy: big, home: nil, governedUID: user)
        var byBinary: [String: [Int]] = [:], unresolved: [String: [Int]] = [:]
        for (i, n) in names.enumerated() {
            var one = Policy()
            one.searchPath = big.searchPath
            one.commands = [CommandRule(id: "r", names: [n], verdict: .allow)]
            let e = try PolicyEngine(policy: one, home: nil, governedUID: user)
            for (k, _) in e.rulesByBinary { byBinary[k, default: []].append(i) }
            for (k, _) in e.unresolvedNames { unresolved[k, default: []].append(i) }
        }
        XCTAssertEqual(engine.rulesByBinary, byBinary)
        XCTAssertEqual(engine.unresolvedNames, unresolved)
        XCTAssertEqual(Array(engine.rulesByBinary[base + "/bin/tool"]?.prefix(2) ?? []), [0, 1])   // tool, and alias → tool
        XCTAssertNotNil(engine.unresolvedNames["no-such-7"])
    }

    func testCanonicalMemoResolvesLikeCanonicalPath() {
        // Patterns share directories, which CanonicalMemo resolves once; every result must be
        // canonicalPath's, whatever order the paths come in and whatever links lie on the way.
        mkdir(base + "/r", 0o755); mkdir(base + "/r/d", 0o755); mkdir(base + "/r/d/e", 0o755)
        FileManagerLite.touch(base + "/r/file")
        symlink(base + "/r/d", base + "/abs")              // absolute, to a directory
        symlink("r/d/e", base + "/rel")                     // relative, two levels down
        symlink("../file", base + "/r/d/up")                // relative with ..
        symlink("abs", base + "/chain")                     // a link to a link
        symlink(base + "/nowhere/x", base + "/dangling")
        symlink("l2", base + "/l1"); symlink("l1", base + "/l2")
        let names = ["r", "r/d", "r/d/e", "r/file", "r/file/x", "abs", "abs/e", "abs/e/new", "abs/../file",
                     "rel", "rel/..", "rel/../../d", "r/d/up", "r/d/up/z", "chain/e", "chain/./e/f", "dangling",
                     "dangling/y", "l1", "l1/z", "missing", "missing/a/b", "missing/../r", "r/d/e/.ssh",
                     "r/d/e/.config/gh", "r//d"]
        var paths = names.map { base + "/" + $0 }
        paths += ["/", "/etc", "/etc/shadow", "/bin/true", "/proc/self", "/proc/self/environ", "/proc/self/../1",
                  "/proc/thread-self/fd", "/dev/stdout", "/tmp"]
        for order in [paths, paths.reversed(), paths.sorted(), paths.sorted().reversed()] {
            let memo = CanonicalMemo()
            for p in order { XCTAssertEqual(memo.canonical(p), canonicalPath(p, cwd: "/"), p) }
            for p in order { XCTAssertEqual(memo.canonical(p), canonicalPath(p, cwd: "/"), "again: " + p) }
        }
    }

    func testCanonicalPathOnBytes() {
        // The byte-level walk resolves like the kernel: every 0x2F separates, `..` after a
        // symlink goes to the parent of its target.
        mkdir(base + "/real", 0o755); mkdir(base + "/real/sub", 0o755)
        symlink(base + "/real/sub", base + "/link")
        symlink("../real", base + "/ws/rel")
        XCTAssertEqual(canonicalPath(base + "/link/../x", cwd: "/"), base + "/real/x")
        XCTAssertEqual(canonicalPath("rel/sub/./y", cwd: base + "/ws"), base + "/real/sub/y")
        XCTAssertEqual(canonicalPath("//" + base + "//real///sub/", cwd: "/"), base + "/real/sub")
        XCTAssertEqual(canonicalPath("/proc/self/../1", cwd: "/"), "/proc/1")
        XCTAssertEqual(canonicalPath("../../..", cwd: "/a"), "/")
        XCTAssertEqual(canonicalPath("a", cwd: "relative"), "/relative/a")
        symlink("loop2", base + "/loop1"); symlink("loop1", base + "/loop2")
        XCTAssertEqual(canonicalPath(base + "/loop1/z", cwd: "/"), base + "/loop1/z")   // ELOOP: the rest as written
    }

    // MARK: - The example policy, both ways

    func testTheExamplePolicyDecidesTheSameFromTheCache() throws {
        let example = LoadTests.repoRoot + "/allowlist.example.toml"
        let text = try XCTUnwrap(readTextFile(example))
        let path = base + "/etc/example.toml"
        write(path, text)
        let (slow, first) = try start(path: path)
        XCTAssertEqual(kinds(first), ["miss", "written"])
        let (fast, second) = try start(path: path)
        XCTAssertEqual(kinds(second), ["hit"])
        XCTAssertNoThrow(try checkExamples(fast, home: home))
        let commands = [
            "ls -la src", "git status", "git push origin main", "git push --force", "rm -rf /", "rm -rf build",
            "curl https://pypi.org/simple/", "curl https://evil.example/", "python3 -m pytest", "make",
            "sudo ls", "cat ~/.ssh/id_rsa", "cat /etc/shadow", "echo x > /etc/passwd", "npm install",
            "pip install requests", "find . -name '*.o' -delete", "chmod -R 755 .", "env LD_PRELOAD=x ls",
            "tar xzf a.tgz", "sed -i s/a/b/ f.txt", "xargs rm", "bash -c 'rm -rf x'", "node -e 'x'",
        ]
        for c in commands {
            let script = try parseCompleteInput(c).script
            let a = analyze(script, engine: slow, cwd: "/work", home: home).decision
            let b = analyze(script, engine: fast, cwd: "/work", home: home).decision
            XCTAssertEqual(a, b, c)
        }
        XCTAssertEqual(fast.policy.commands.count, slow.policy.commands.count)
        XCTAssertEqual(fast.policy.tests.count, slow.policy.tests.count)
        XCTAssertEqual(fast.policy.audit?.path, slow.policy.audit?.path)
        XCTAssertEqual(fast.policy.limits, slow.policy.limits)
        XCTAssertEqual(fast.settings.environment.set, slow.settings.environment.set)
        // [scan] stays in the cache until asked for, then reads back whole.
        XCTAssertNotNil(fast.settings.scanSource)
        XCTAssertTrue(fast.settings.hasScan)
        XCTAssertEqual(fast.settings.enforcementPaths, slow.settings.enforcementPaths)
        XCTAssertEqual(fast.settings.scan, slow.settings.scan)
        XCTAssertNotNil(fast.settings.scan)
        // The kernel plan reads only each rule's verdict from the cache (ruleVerdict): the same
        // programs, grants and rules as from the policy itself.
        let planFast = fast.compileKernelPlan(shellPath: "/bin/true"), planSlow = slow.compileKernelPlan(shellPath: "/bin/true")
        // The cached engine read no program for it: the cache remembers their `#!` lines (only the
        // shell path's TOML helper, which does not exist beside /bin/true, is looked for again).
        XCTAssertGreaterThan(slow.liveProbes, 50)
        XCTAssertLessThanOrEqual(fast.liveProbes, 2)
        // (Compared as sorted lists: the grants come from sets, whose order differs between two
        // engines, and a failure message should name the difference, not print both plans.)
        XCTAssertFalse(planSlow.executables.isEmpty)
        XCTAssertEqual(planFast.executables.sorted(), planSlow.executables.sorted())
        func grants(_ p: KernelPlan) -> [String] { p.rules.grants.map { "\($0.path) \($0.access.rawValue) \($0.exact)" }.sorted() }
        let (gf, gs) = (grants(planFast), grants(planSlow))
        XCTAssertEqual(gf.count, gs.count)
        XCTAssertEqual(Set(gf).symmetricDifference(gs).sorted(), [], "grants that differ")
        XCTAssertEqual(planFast.rules.siblings, planSlow.rules.siblings)
        XCTAssertEqual(planFast.rules.handled, planSlow.rules.handled)
        for i in 0..<slow.policy.commands.count {
            XCTAssertEqual(fast.ruleVerdict(i), slow.policy.commands[i].verdict, "rule \(i)")
        }
    }
}

extension PolicyCacheTests {
    /// The kernel plan's looks at programs come from the cache while a program is unchanged,
    /// and are made again once it changed (its ctime moved), although nothing in the cache's key
    /// did: same size, same inode, same directory.
    func testKernelProbesComeFromTheCacheUntilTheProgramChanges() throws {
        let bin = base + "/bin"
        write(bin + "/interp1", "\n", mode: 0o755)
        write(bin + "/interp2", "\n", mode: 0o755)
        write(bin + "/tool2", "#!\(bin)/interp1\n", mode: 0o755)
        let path = base + "/etc/k.toml"
        write(path, """
            [policy]
            name = "probe-cache"
            default = "deny"
            path = ["\(bin)", "/usr/bin", "/bin"]
            kernel = "best-effort"

            [[command]]
            id = "tools"
            names = ["tool2", "true"]
            decision = "allow"

            """)
        let (slow, first) = try start(path: path)
        XCTAssertEqual(kinds(first), ["miss", "written"])
        let planSlow = slow.compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(planSlow.executables.contains(bin + "/interp1"))
        let (fast, second) = try start(path: path)
        XCTAssertEqual(kinds(second), ["hit"])
        let planFast = fast.compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertEqual(planFast.executables.sorted(), planSlow.executables.sorted())
        XCTAssertGreaterThan(slow.liveProbes, fast.liveProbes)
        XCTAssertLessThanOrEqual(fast.liveProbes, 2, "only /x/aegish and its helper are looked for again")

        write(bin + "/tool2", "#!\(bin)/interp2\n", mode: 0o755)
        let (again, third) = try start(path: path)
        XCTAssertEqual(kinds(third), ["hit"])
        let planAgain = again.compileKernelPlan(shellPath: "/x/aegish")
        XCTAssertTrue(planAgain.executables.contains(bin + "/interp2"), "the changed #! line is read again")
        XCTAssertFalse(planAgain.executables.contains(bin + "/interp1"))

        // Trust is decided afresh: a program the governed user now owns is not granted.
        XCTAssertEqual(chown(bin + "/interp2", user, 0), 0)
        let (fourth, _) = try start(path: path)
        XCTAssertFalse(fourth.compileKernelPlan(shellPath: "/x/aegish").executables.contains(bin + "/interp2"))
    }
}

/// Directory listing without Foundation (names only, sorted, no dot entries).
enum FileManagerLite {
    static func touch(_ path: String) {
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
    }

    static func entries(_ dir: String) throws -> [String] {
        guard let d = opendir(dir) else { throw XCTSkip("cannot list \(dir)") }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }
}

/// The last component of a path.
func URLName(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
