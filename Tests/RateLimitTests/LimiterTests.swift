import XCTest
import Glibc
@testable import RateLimit

final class LimiterTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDir("limits") }
    override func tearDown() { removeTree(dir) }

    /// The governed uid of these tests: not the test's own uid (which owns the directory).
    let user: uid_t = 4242

    func config(_ classes: [LimitClass], onStateError: StateErrorPolicy = .deny) -> LimitConfig {
        LimitConfig(stateDirectory: dir, classes: classes, onStateError: onStateError, trustedOwner: getuid())
    }

    /// Which classes a program meets: those naming it (by basename), those whose glob matches
    /// it, in the configuration's order; a program no class names meets none.
    func testClassesCoveringByNameAndGlobInConfigurationOrder() {
        let l = Limiter(config: config([
            LimitClass(id: "py", commands: ["python*"], window: 60, maxOperations: 5),
            LimitClass(id: "delete", commands: ["rm", "shred"], window: 60, maxOperations: 3),
            LimitClass(id: "git", commands: ["git"], patterns: ["reset --hard"], window: 60, maxOperations: 1),
            LimitClass(id: "any-rm", commands: ["r?"], window: 60, maxOperations: 9),
        ]), uid: user)
        func ids(_ argv: [String]) -> [String] { l.classes(covering: argv[0], argv: argv).map(\.id) }
        XCTAssertEqual(ids(["/usr/bin/rm", "-f", "x"]), ["delete", "any-rm"])
        XCTAssertEqual(ids(["shred", "x"]), ["delete"])
        XCTAssertEqual(ids(["/usr/bin/python3.11", "x.py"]), ["py"])
        XCTAssertEqual(ids(["git", "reset", "--hard"]), ["git"])
        XCTAssertEqual(ids(["git", "status"]), [])
        XCTAssertEqual(ids(["/bin/true"]), [])
        XCTAssertEqual(ids(["rmdir", "d"]), [])
    }

    func testOperationsLimitWindowAndMessage() {
        let clock = FakeClock()
        let l = Limiter(config: config([LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 3)]),
                        uid: user, clock: clock.read)
        for i in 1...3 {
            let o = l.check(rm("f\(i)"))
            XCTAssertTrue(o.isAllowed, "\(o)")
            XCTAssertEqual(o.usage.first?.operations, i)
            XCTAssertEqual(o.usage.first?.description, "delete: \(i)/3 operations in 60 s")
            clock.now += 10
        }
        // now = +30: the first entry (t=0) leaves the window at 0 + 1 + 60.
        guard let e = l.check(rm("f4")).exceeded else { return XCTFail("not exceeded") }
        XCTAssertEqual(e.classID, "delete")
        XCTAssertEqual(e.verdict, .deny)
        XCTAssertEqual(e.retryAfter, 31)
        XCTAssertEqual(e.reason, "rm: 4 of 3 operations in 60 s (limit delete); wait 31 s")
        XCTAssertEqual(e.usage.first?.operations, 3, "refused operations are not counted")
        // Not a command of the class: not counted, no state touched.
        XCTAssertEqual(l.check(LimitOperation(program: "ls", argv: ["ls"], cwd: "/", targets: [])), .allowed(usage: [], warning: nil))
        clock.now += 30
        XCTAssertNotNil(l.check(rm("f4")).exceeded, "one second early")
        clock.now += 1
        let o = l.check(rm("f4"))
        XCTAssertTrue(o.isAllowed, "\(o)")
        XCTAssertEqual(o.usage.first?.operations, 3)
    }

    func testTargetsLimitAndAsk() {
        let clock = FakeClock()
        let l = Limiter(config: config([LimitClass(id: "files", commands: ["rm", "shred"], window: 60, maxTargets: 100, onExceed: .ask)]),
                        uid: user, clock: clock.read)
        let many = (0..<90).map { LimitTarget(path: "/w/f\($0)", recursive: false) }
        XCTAssertTrue(l.check(LimitOperation(program: "rm", argv: ["rm"], cwd: "/w", targets: many)).isAllowed)
        clock.now += 37
        let thirty = (0..<30).map { LimitTarget(path: "/w/g\($0)", recursive: false) }
        let op = LimitOperation(program: "/usr/bin/shred", argv: ["shred", "-u"], cwd: "/w", targets: thirty)
        guard let e = l.check(op).exceeded else { return XCTFail() }
        XCTAssertEqual(e.verdict, .ask)
        XCTAssertEqual(e.reason, "shred: 120 of 100 files in 60 s (limit files); wait 24 s or ask a supervisor")
        // A supervisor approved: counted without limits.
        let r = l.record(op)
        XCTAssertEqual(r.usage.first?.targets, 120)
        // An operation alone over the limit never fits.
        clock.now += 1000
        let huge = (0..<101).map { LimitTarget(path: "/w/h\($0)", recursive: false) }
        guard let e2 = l.check(LimitOperation(program: "rm", argv: ["rm"], cwd: "/", targets: huge)).exceeded else { return XCTFail() }
        XCTAssertNil(e2.retryAfter)
        XCTAssertEqual(e2.reason, "rm: 101 files in one operation, over the limit of 100 in 60 s (limit files); ask a supervisor")
    }

    func testSeveralClassesAllMustAllow() {
        let clock = FakeClock()
        let l = Limiter(config: config([
            LimitClass(id: "burst", commands: ["rm", "mv"], window: 10, maxOperations: 2, onExceed: .ask),
            LimitClass(id: "hour", commands: ["rm"], window: 3600, maxOperations: 3),
            LimitClass(id: "git", commands: ["git"], patterns: ["reset --hard"], window: 60, maxOperations: 1),
        ]), uid: user, clock: clock.read)
        XCTAssertEqual(l.check(rm("a")).usage.map(\.classID), ["burst", "hour"])
        XCTAssertTrue(l.check(rm("b")).isAllowed)
        let e = l.check(rm("c")).exceeded
        XCTAssertEqual(e?.classID, "burst")
        XCTAssertEqual(e?.verdict, .ask)
        clock.now += 11
        XCTAssertTrue(l.check(rm("c")).isAllowed)
        clock.now += 11
        let e2 = l.check(rm("d")).exceeded
        XCTAssertEqual(e2?.classID, "hour")
        XCTAssertEqual(e2?.verdict, .deny)
        // mv is only in "burst": still allowed.
        XCTAssertTrue(l.check(LimitOperation(program: "mv", argv: ["mv", "a", "b"], cwd: "/", targets: [])).isAllowed)
        let git = LimitOperation(program: "git", argv: ["git", "reset", "--hard"], cwd: "/", targets: [])
        XCTAssertTrue(l.check(git).isAllowed)
        XCTAssertEqual(l.check(git).exceeded?.reason, "git: 2 of 1 operations in 60 s (limit git); wait 61 s")
        XCTAssertTrue(l.check(LimitOperation(program: "git", argv: ["git", "status"], cwd: "/", targets: [])).isAllowed)
        guard case .success(let u) = l.usage() else { return XCTFail() }
        XCTAssertEqual(u.map(\.description), ["burst: 1/2 operations in 10 s", "hour: 3/3 operations in 3600 s", "git: 1/1 operations in 60 s"])
    }

    func testWindowsExpireInRealTime() {
        let l = Limiter(config: config([LimitClass(id: "fast", commands: ["rm"], window: 1, maxOperations: 2)]), uid: user)
        XCTAssertTrue(l.check(rm("a")).isAllowed)
        XCTAssertTrue(l.check(rm("b")).isAllowed)
        guard let e = l.check(rm("c")).exceeded, let wait = e.retryAfter else { return XCTFail() }
        XCTAssertLessThanOrEqual(wait, 2)
        var ts = timespec(tv_sec: wait, tv_nsec: 50_000_000)
        nanosleep(&ts, nil)
        let o = l.check(rm("c"))
        XCTAssertTrue(o.isAllowed, "\(o)")
        // c, plus b when the clock's second ticked between a and b (then only a has left).
        XCTAssertLessThanOrEqual(o.usage.first?.operations ?? 99, 2)
    }

    func testClockGoingBackwardsKeepsCounts() {
        let clock = FakeClock(50_000)
        let l = Limiter(config: config([LimitClass(id: "d", commands: ["rm"], window: 60, maxOperations: 2)]), uid: user, clock: clock.read)
        XCTAssertTrue(l.check(rm("a")).isAllowed)
        XCTAssertTrue(l.check(rm("b")).isAllowed)
        clock.now = 100  // reboot: CLOCK_BOOTTIME restarts
        XCTAssertNotNil(l.check(rm("c")).exceeded, "entries from before are still counted")
        clock.now += 61
        XCTAssertTrue(l.check(rm("c")).isAllowed, "…for one window")
    }

    func testRecursiveTargetsCountedByWalk() {
        let tree = dir + "/tree"
        let below = makeTree(tree, dirs: 5, files: 20)  // 105 entries below
        symlink("/", tree + "/d0/link-to-root")        // counted once, never followed
        let clock = FakeClock()
        let l = Limiter(config: config([LimitClass(id: "files", commands: ["rm"], window: 60, maxTargets: 500)]),
                        uid: user, clock: clock.read)
        let op = LimitOperation(program: "rm", argv: ["rm", "-r", "tree", "x"], cwd: dir,
                                targets: [LimitTarget(path: "tree", recursive: true), LimitTarget(path: "x", recursive: false)])
        let o = l.check(op)
        XCTAssertEqual(o.usage.first?.targets, 1 + below + 1 + 1, "root, entries, the symlink, x")
        // A symlink operand is one target even when recursive.
        let o2 = l.check(LimitOperation(program: "rm", argv: ["rm", "-r", "l"], cwd: dir,
                                        targets: [LimitTarget(path: tree + "/d0/link-to-root", recursive: true)]))
        XCTAssertEqual(o2.usage.first?.targets, 109)
        // Over the limit: the walk stops at max_targets + 1 and the message says "more than".
        let l2 = Limiter(config: config([LimitClass(id: "small", commands: ["rm"], window: 60, maxTargets: 50)]),
                         uid: user + 1, clock: clock.read)
        guard let e = l2.check(op).exceeded else { return XCTFail() }
        XCTAssertEqual(e.reason, "rm: more than 50 files under \(dir)/tree, over the limit of 50 in 60 s (limit small)")
        XCTAssertNil(e.retryAfter)
    }

    func testWalkStopsAtEntryCap() {
        let tree = dir + "/big"
        let below = makeTree(tree, dirs: 10, files: 50)
        XCTAssertEqual(below, 510)
        let full = countTargets([LimitTarget(path: tree, recursive: true)], cwd: "/", maxEntries: 100_000, budgetNanoseconds: 10_000_000_000)
        XCTAssertEqual(full, WalkResult(count: 511, stopped: nil, stoppedIn: nil))
        let capped = countTargets([LimitTarget(path: tree, recursive: true)], cwd: "/", maxEntries: 100, budgetNanoseconds: 10_000_000_000)
        XCTAssertEqual(capped.count, 100)
        XCTAssertEqual(capped.stopped, .entries)
        // Through the limiter: a walk cap below max_targets is "too many to count", fail closed.
        var cfg = config([LimitClass(id: "files", commands: ["rm"], window: 60, maxTargets: 10_000)])
        cfg.walkMaxEntries = 100
        let e = Limiter(config: cfg, uid: user).check(LimitOperation(program: "rm", argv: ["rm", "-rf", tree], cwd: "/",
                                                                  targets: [LimitTarget(path: tree, recursive: true)])).exceeded
        XCTAssertEqual(e?.reason, "rm: more than 100 entries under \(tree), too many to count (walk_max_entries); taken as over the limit of 10000 files in 60 s (limit files)")
    }

    func testWalkStopsAtTimeBudget() {
        let tree = dir + "/wide"
        let below = makeTree(tree, dirs: 10, files: 500)
        var t0 = monotonicNanoseconds()
        let full = countTargets([LimitTarget(path: tree, recursive: true)], cwd: "/", maxEntries: 1_000_000, budgetNanoseconds: 10_000_000_000)
        let fullNs = monotonicNanoseconds() - t0
        XCTAssertEqual(full.count, below + 1)
        t0 = monotonicNanoseconds()
        let r = countTargets([LimitTarget(path: tree, recursive: true)], cwd: "/", maxEntries: 1_000_000, budgetNanoseconds: 100_000)
        let ns = monotonicNanoseconds() - t0
        print("walk: \(below + 1) entries in \(fullNs / 1000) µs (\(fullNs / Int64(below + 1)) ns/entry); 100 µs budget stopped after \(r.count) entries, \(ns / 1000) µs")
        XCTAssertEqual(r.stopped, .time)
        XCTAssertLessThan(r.count, below + 1)
        XCTAssertLessThan(ns, 20_000_000)
        var cfg = config([LimitClass(id: "files", commands: ["rm"], window: 60, maxTargets: 1_000_000)])
        cfg.walkMaxMilliseconds = 1
        // The walk may finish within 1 ms on a fast machine with a warm cache; then it is counted.
        let o = Limiter(config: cfg, uid: user).check(LimitOperation(program: "rm", argv: ["rm", "-r", tree], cwd: "/",
                                                                    targets: [LimitTarget(path: tree, recursive: true)]))
        if let e = o.exceeded {
            XCTAssertTrue(e.reason.hasPrefix("rm: could not count the files under \(tree) within 1 ms"), e.reason)
        } else {
            XCTAssertEqual(o.usage.first?.targets, below + 1)
        }
    }

    func testPerUserSeparation() {
        let clock = FakeClock()
        let cfg = config([LimitClass(id: "d", commands: ["rm"], window: 60, maxOperations: 1)])
        let a = Limiter(config: cfg, uid: 5001, clock: clock.read)
        let b = Limiter(config: cfg, uid: 5002, clock: clock.read)
        XCTAssertTrue(a.check(rm("x")).isAllowed)
        XCTAssertNotNil(a.check(rm("x")).exceeded)
        XCTAssertTrue(b.check(rm("x")).isAllowed)
        XCTAssertEqual(a.statePath, dir + "/5001")
        XCTAssertEqual(b.statePath, dir + "/5002")
        XCTAssertEqual(a.reset(), nil)
        XCTAssertTrue(a.check(rm("x")).isAllowed)
        XCTAssertNotNil(b.check(rm("x")).exceeded)
    }

    func testStateStaysBounded() {
        let clock = FakeClock()
        let l = Limiter(config: config([
            LimitClass(id: "minute", commands: ["rm"], window: 60, maxOperations: 1_000_000),
            LimitClass(id: "week", commands: ["rm"], window: 604_800, maxOperations: 1_000_000, maxTargets: 1_000_000),
        ]), uid: user, clock: clock.read)
        for _ in 0..<3000 {
            XCTAssertTrue(l.check(rm("x")).isAllowed)
            clock.now += 997
        }
        XCTAssertLessThanOrEqual(fileSize(l.statePath), slotSize + 2000)
        let fd = open(l.statePath, O_RDONLY)
        defer { close(fd) }
        guard case .state(let s, _) = readSlots(fd) else { return XCTFail() }
        XCTAssertEqual(s.classes.first { $0.id == "minute" }?.buckets.count, 1)
        XCTAssertLessThanOrEqual(s.classes.first { $0.id == "week" }?.buckets.count ?? 99, 65)
        XCTAssertEqual(s.seq, 3000)
    }

    // MARK: - Failing closed

    func testMissingOrUnsafeDirectoryFailsClosed() {
        let cls = [LimitClass(id: "d", commands: ["rm"], window: 60, maxOperations: 5)]
        var cfg = config(cls)
        cfg.stateDirectory = dir + "/missing"
        var r = Limiter(config: cfg, uid: user).check(rm("x")).unavailableReason
        XCTAssertEqual(r, "rate-limit state directory \(dir)/missing: No such file or directory; refusing rm (rate limits fail closed)")
        // Not covered by a class: the state is never looked at.
        XCTAssertTrue(Limiter(config: cfg, uid: user).check(LimitOperation(program: "ls", argv: ["ls"], cwd: "/", targets: [])).isAllowed)
        cfg.onStateError = .allow
        let o = Limiter(config: cfg, uid: user).check(rm("x"))
        XCTAssertTrue(o.isAllowed)
        XCTAssertEqual(o.warning, "rate-limit state directory \(dir)/missing: No such file or directory; rm ran uncounted (on_state_error = \"allow\")")

        chmod(dir, 0o777)
        r = Limiter(config: config(cls), uid: user).check(rm("x")).unavailableReason
        XCTAssertEqual(r, "rate-limit state directory \(dir) is writable by everyone; refusing rm (rate limits fail closed)")
        chmod(dir, 0o755)
        var st = stat()
        stat(dir, &st)
        chown(dir, 4242, st.st_gid)
        var owned = config(cls)
        owned.trustedOwner = 4242
        r = Limiter(config: owned, uid: 4242).check(rm("x")).unavailableReason
        XCTAssertTrue(r?.contains("is owned by the governed user") ?? false, r ?? "allowed")
        chown(dir, st.st_uid, st.st_gid)
        let link = dir + "-link"
        symlink(dir, link)
        defer { unlink(link) }
        cfg = config(cls); cfg.stateDirectory = link
        r = Limiter(config: cfg, uid: user).check(rm("x")).unavailableReason
        XCTAssertEqual(r, "rate-limit state directory \(link) is a symlink; refusing rm (rate limits fail closed)")
        if getuid() == 0 {
            chown(dir, user, 0)
            r = Limiter(config: config(cls), uid: user).check(rm("x")).unavailableReason
            XCTAssertTrue(r?.contains("owned by the governed user (uid 4242)") ?? false, r ?? "allowed")
            chown(dir, 0, 0)
        }
    }

    func testCorruptOrUnusableStateFailsClosed() {
        let l = Limiter(config: config([LimitClass(id: "d", commands: ["rm"], window: 60, maxOperations: 5)]), uid: user)
        writeFile(l.statePath, Array("not a state file, just some text someone wrote here\n".utf8))
        XCTAssertEqual(l.check(rm("x")).unavailableReason,
                       "rate-limit state \(l.statePath) is corrupt: no valid record in the state file (52 bytes); refusing rm (rate limits fail closed)")
        if case .success = l.usage() { XCTFail("usage of a corrupt file") }
        XCTAssertNil(l.reset())
        XCTAssertTrue(l.check(rm("x")).isAllowed)
        // A directory, a symlink, a hard link in place of the state file.
        unlink(l.statePath); mkdir(l.statePath, 0o700)
        XCTAssertTrue(l.check(rm("x")).unavailableReason?.hasPrefix("rate-limit state \(l.statePath): Is a directory") ?? false)
        rmdir(l.statePath); symlink("/etc/passwd", l.statePath)
        XCTAssertTrue(l.check(rm("x")).unavailableReason?.hasPrefix("rate-limit state \(l.statePath): Too many levels of symbolic links") ?? false)
        unlink(l.statePath); writeFile(dir + "/other", []); link(dir + "/other", l.statePath)
        XCTAssertTrue(l.check(rm("x")).unavailableReason?.hasPrefix("rate-limit state \(l.statePath) is not a regular file with one link") ?? false)
        unlink(l.statePath)
        // Unreadable (meaningful when the tests do not run as root).
        writeFile(l.statePath, []); chmod(l.statePath, 0)
        let o = l.check(rm("x"))
        if getuid() != 0 { XCTAssertTrue(o.unavailableReason?.contains("Permission denied") ?? false) }
    }

    func testLockHeldTooLongFailsClosed() {
        var cfg = config([LimitClass(id: "d", commands: ["rm"], window: 60, maxOperations: 5)])
        cfg.lockTimeoutMilliseconds = 30
        let l = Limiter(config: cfg, uid: user)
        XCTAssertTrue(l.check(rm("x")).isAllowed)
        let fd = open(l.statePath, O_RDONLY)
        XCTAssertEqual(flock(fd, LOCK_EX), 0)  // a stopped session holding the lock
        let t0 = monotonicNanoseconds()
        XCTAssertEqual(l.check(rm("x")).unavailableReason,
                       "rate-limit state \(l.statePath): still locked after 30 ms; refusing rm (rate limits fail closed)")
        XCTAssertLessThan(monotonicNanoseconds() - t0, 500_000_000)
        close(fd)
        XCTAssertEqual(l.check(rm("x")).usage.first?.operations, 2)
    }

    func testInterruptedWritesKeepThePreviousState() throws {
        let clock = FakeClock()
        let l = Limiter(config: config([LimitClass(id: "d", commands: ["rm"], window: 60, maxOperations: 10)]), uid: user, clock: clock.read)
        // The very first write (slot 1) cut short: an empty state, not corruption.
        let first = encodeSlot(LimitState(seq: 1, classes: [ClassState(id: "d", window: 60, width: 1, buckets: [Bucket(start: clock.now, ops: 1, targets: 0)])]))!
        let fd0 = open(l.statePath, O_RDWR | O_CREAT, 0o600)
        _ = first.withUnsafeBytes { pwrite(fd0, $0.baseAddress, first.count - 5, off_t(slotSize)) }
        close(fd0)
        XCTAssertEqual(l.check(rm("a")).usage.first?.operations, 1)
        for _ in 0..<3 { XCTAssertTrue(l.check(rm("a")).isAllowed) }  // 4 counted; slots hold seq 3 and 4
        // The next write cut short: garbage in the slot being written, the other slot intact.
        let fd = open(l.statePath, O_RDWR)
        guard case .state(let s, let slot?) = readSlots(fd) else { return XCTFail() }
        XCTAssertEqual(s.classes.first?.operations, 4)
        var half = encodeSlot(LimitState(seq: s.seq + 1, classes: []))!
        half[half.count - 1] ^= 0xff
        _ = half.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t((1 - slot) * slotSize)) }
        close(fd)
        XCTAssertEqual(l.check(rm("a")).usage.first?.operations, 5)
        XCTAssertEqual(l.check(rm("a")).usage.first?.operations, 6)
    }

    // MARK: - Concurrency

    /// 50 processes at once against one limit of 17 operations: exactly 17 succeed.
    func testFiftyConcurrentProcesses() {
        let allowedOps = 17, procs = 50
        let l = Limiter(config: config([LimitClass(id: "d", commands: ["rm"], window: 3600, maxOperations: allowedOps, maxTargets: 1_000_000)]),
                        uid: user)
        var results: [Int32] = [0, 0], start: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&results), 0)
        XCTAssertEqual(pipe(&start), 0)
        var pids: [pid_t] = []
        for i in 0..<procs {
            let pid = fork()
            if pid == 0 {
                close(results[0]); close(start[1])
                var b: UInt8 = 0
                _ = read(start[0], &b, 1)  // wait until every child exists
                let o = l.check(rm("f\(i)", "g\(i)"))
                var c: UInt8 = o.isAllowed ? UInt8(ascii: "A") : (o.exceeded != nil ? UInt8(ascii: "X") : UInt8(ascii: "E"))
                _ = write(results[1], &c, 1)
                _exit(0)
            }
            XCTAssertGreaterThan(pid, 0)
            pids.append(pid)
        }
        close(results[1]); close(start[0])
        close(start[1])  // go
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(results[0], &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        close(results[0])
        for p in pids { var st: Int32 = 0; waitpid(p, &st, 0) }
        XCTAssertEqual(out.count, procs)
        XCTAssertEqual(out.filter { $0 == UInt8(ascii: "A") }.count, allowedOps)
        XCTAssertEqual(out.filter { $0 == UInt8(ascii: "X") }.count, procs - allowedOps)
        guard case .success(let u) = l.usage() else { return XCTFail() }
        XCTAssertEqual(u.first?.operations, allowedOps)
        XCTAssertEqual(u.first?.targets, 2 * allowedOps)
    }

    // MARK: - Cost

    func testCostOfOneCheck() {
        let tree = dir + "/small"
        makeTree(tree, dirs: 2, files: 10)
        let l = Limiter(config: config([
            LimitClass(id: "delete", commands: ["rm", "rmdir", "shred", "unlink"], window: 60, maxOperations: 10_000_000, maxTargets: 100_000_000),
            LimitClass(id: "git", commands: ["git"], patterns: ["reset --hard", "clean", "checkout --force"], window: 300, maxOperations: 10),
            LimitClass(id: "find", commands: ["find"], patterns: ["-delete"], window: 60, maxOperations: 10),
            LimitClass(id: "chmod", commands: ["chmod", "chown"], patterns: ["-R", "--recursive"], window: 60, maxOperations: 10),
        ]), uid: user)
        func time(_ label: String, _ n: Int, _ body: () -> Void) {
            body()
            let t0 = monotonicNanoseconds()
            for _ in 0..<n { body() }
            let ns = (monotonicNanoseconds() - t0) / Int64(n)
            print("rate-limit cost: \(label): \(ns) ns per check")
        }
        let ls = LimitOperation(program: "ls", argv: ["ls", "-la", "/w"], cwd: "/w", targets: [])
        let gitStatus = LimitOperation(program: "git", argv: ["git", "status", "--short"], cwd: "/w", targets: [])
        let one = rm("/w/a")
        let recursive = LimitOperation(program: "rm", argv: ["rm", "-r", tree], cwd: "/", targets: [LimitTarget(path: tree, recursive: true)])
        time("not covered (ls)", 20_000) { _ = l.check(ls) }
        time("covered program, no pattern matches (git status)", 20_000) { _ = l.check(gitStatus) }
        time("counted (rm one file)", 2_000) { XCTAssertTrue(l.check(one).isAllowed) }
        time("counted, recursive walk of 23 entries", 2_000) { XCTAssertTrue(l.check(recursive).isAllowed) }
        var d = l.config; d.durable = true
        let ld = Limiter(config: d, uid: user)
        time("counted, durable (fdatasync)", 200) { XCTAssertTrue(ld.check(one).isAllowed) }
    }
}
