import PolicyTestSupport
import XCTest
import Glibc
import CSys
@testable import Enforce
import Policy
import Audit
import RateLimit

/// The relay between a nested aegish and the aegish that can write the log (Relay*.swift): its
/// encoding, what the server accepts from a process inside the sandbox, and a real round trip.
final class RelayTests: XCTestCase {
    var dir = ""
    var logPath: String { dir + "/audit.log" }

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-relay-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&t)!)
        chmod(dir, 0o755)
        mkdir(dir + "/limits", 0o755)
    }

    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func sampleEvent() -> AuditEvent {
        var e = AuditEvent(action: .exec, outcome: .rateLimited, commandLine: "rm -rf build # tidy", sourceFile: "/w/x.sh",
                           line: 3, column: 7, args: ["rm", "-rf", "build"], executable: "/usr/bin/rm",
                           workingDirectory: "/w", ruleID: "limit.delete", reason: "too many",
                           limit: [("class", "delete"), ("retry_after_s", "12")])
        e.approver = "uid 0 pid 1"
        e.extra = [("scan.verdict", .string("deny")), ("scan.findings", .strings(["a", "b"]))]
        e.sandbox = "landlock 7, required"
        return e
    }

    func testEventRoundTrip() throws {
        var w = RelayWriter(kind: .record)
        w.event(sampleEvent())
        var r = RelayReader(w.bytes)
        XCTAssertEqual(try r.byte(), RelayProtocol.version)
        XCTAssertEqual(try r.byte(), RelayKind.record.rawValue)
        let e = try r.event()
        try r.atEnd()
        let s = sampleEvent()
        XCTAssertEqual(e.action, s.action)
        XCTAssertEqual(e.outcome, s.outcome)
        XCTAssertEqual(e.commandLine, s.commandLine)
        XCTAssertEqual(e.sourceFile, s.sourceFile)
        XCTAssertEqual(e.line, 3)
        XCTAssertEqual(e.column, 7)
        XCTAssertEqual(e.args, s.args)
        XCTAssertEqual(e.executable, s.executable)
        XCTAssertNil(e.filePath)
        XCTAssertEqual(e.workingDirectory, "/w")
        XCTAssertEqual(e.ruleID, s.ruleID)
        XCTAssertEqual(e.reason, s.reason)
        XCTAssertEqual(e.limit.map { $0.0 + "=" + $0.1 }, ["class=delete", "retry_after_s=12"])
        XCTAssertEqual(e.approver, s.approver)
        XCTAssertEqual(e.extra.map(\.0), ["scan.verdict", "scan.findings"])
        XCTAssertEqual(e.extra.map(\.1), [.string("deny"), .string("a\nb")], "lists travel as lines")
        XCTAssertEqual(e.sandbox, s.sandbox)
    }

    func testLimitRoundTrip() throws {
        let op = LimitOperation(program: "/usr/bin/rm", argv: ["rm", "-r", "x"], cwd: "/w",
                                targets: [LimitTarget(path: "/w/x", recursive: true), LimitTarget(path: "/w/y", recursive: false)])
        var w = RelayWriter(kind: .limitCheck)
        w.operation(op)
        var r = RelayReader(Array(w.bytes.dropFirst(2)))
        XCTAssertEqual(try r.operation(), op)
        let usage = [LimitUsage(classID: "delete", window: 60, operations: 4, maxOperations: 30, targets: 57,
                                maxTargets: nil, freesIn: 12)]
        let outcomes: [LimitOutcome] = [
            .allowed(usage: usage, warning: "state unusable"), .allowed(usage: [], warning: nil),
            .exceeded(LimitExceeded(classID: "delete", verdict: .ask, reason: "over", retryAfter: 9, usage: usage)),
            .exceeded(LimitExceeded(classID: "delete", verdict: .deny, reason: "over", retryAfter: nil, usage: [])),
            .unavailable(reason: "locked"),
        ]
        for o in outcomes {
            var w = RelayWriter(replyOK: true)
            w.outcome(o)
            var r = RelayReader(Array(w.bytes.dropFirst()))
            XCTAssertEqual(try r.outcome(), o)
            try r.atEnd()
        }
    }

    /// Every prefix of a message is refused (no read past the end), and a count larger than
    /// the bytes left is refused before anything is allocated for it.
    func testTruncatedAndLyingMessages() throws {
        var w = RelayWriter(kind: .record)
        w.event(sampleEvent())
        for cut in 2..<w.bytes.count {
            var r = RelayReader(Array(w.bytes[2..<cut]))
            XCTAssertThrowsError(try r.event(), "cut at \(cut)")
        }
        var lie = RelayWriter(kind: .limitCheck)
        lie.string("/usr/bin/rm")
        lie.int(Int.max)   // argv count
        var r = RelayReader(Array(lie.bytes.dropFirst(2)))
        XCTAssertThrowsError(try r.operation())
        var negative = RelayWriter(kind: .limitCheck)
        negative.string("/usr/bin/rm")
        negative.int(-1)
        r = RelayReader(Array(negative.bytes.dropFirst(2)))
        XCTAssertThrowsError(try r.operation())
    }

    func testLongStringsAreCut() throws {
        var w = RelayWriter(kind: .record)
        w.string(String(repeating: "x", count: RelayProtocol.maxString + 100))
        var r = RelayReader(Array(w.bytes.dropFirst(2)))
        let s = try r.string()
        XCTAssertTrue(s.hasSuffix("…[cut by the relay]"))
        XCTAssertEqual(s.utf8.count, RelayProtocol.maxString + "…[cut by the relay]".utf8.count)
    }

    func makeServer(limits: Bool = false) throws -> (RelayServer, AuditLog) {
        let log = try AuditLog(config: AuditConfig(path: logPath))
        var limiter: Limiter? = nil
        if limits {
            let c = LimitConfig(stateDirectory: dir + "/limits",
                                classes: [LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 2)],
                                trustedOwner: getuid())
            limiter = Limiter(config: c, uid: getuid())
        }
        return (try XCTUnwrap(RelayServer(log: log, limiter: limiter)), log)
    }

    func lines() -> [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func request(_ kind: RelayKind, _ body: (inout RelayWriter) -> Void) -> [UInt8] {
        var w = RelayWriter(kind: kind)
        body(&w)
        return w.bytes
    }

    /// What a process inside the sandbox may claim: the server writes it marked with the
    /// sender, and refuses anything outside the plain decision fields.
    func testServerMarksRecordsAndRefusesForgedFields() throws {
        let (server, _) = try makeServer()
        var answer = RelayReader(server.handle(request(.record) { $0.event(sampleEvent()) }, pid: 4242, uid: 1000).bytes)
        XCTAssertEqual(try answer.byte(), 0)
        let id = try answer.string()
        XCTAssertEqual(id.count, 32)
        let l = lines()
        XCTAssertEqual(l.count, 1)
        XCTAssertTrue(l[0].contains("\"aegish.relayed_from.pid\":4242,\"aegish.relayed_from.uid\":1000"), l[0])
        XCTAssertTrue(l[0].contains("\"event.id\":\"\(id)\""))

        func refused(_ e: AuditEvent, _ why: String) {
            var r = RelayReader(server.handle(request(.record) { $0.event(e) }, pid: 1, uid: 1).bytes)
            XCTAssertEqual(try r.byte(), 1, why)
        }
        refused(AuditEvent(action: .repair, outcome: .repaired), "a log.repair record is the server's own")
        refused(AuditEvent(action: .complete, outcome: .success), "a complete record is the server's own")
        refused(AuditEvent(action: .exec, outcome: "allowed\",\"x\":\""), "an outcome outside the set")
        var e = AuditEvent(action: .exec, outcome: .allowed)
        e.limit = [("x\",\"event.id", "1")]
        refused(e, "a limit field that is not plain")
        e.limit = []
        e.extra = [("event.id", .string("1"))]
        refused(e, "an extra field outside scan.*")
        var g = RelayReader(server.handle([RelayProtocol.version, 99], pid: 1, uid: 1).bytes)
        XCTAssertEqual(try g.byte(), 1, "an unknown kind")
        g = RelayReader(server.handle([7, 1], pid: 1, uid: 1).bytes)
        XCTAssertEqual(try g.byte(), 1, "another version")
        XCTAssertEqual(lines().count, 1, "nothing refused was written")

        // Completions only for a relayed exec this server allowed, once.
        let unknown = server.handle(request(.complete) { $0.string("0123"); $0.optional(0 as Int?); $0.optional(nil as Int?); $0.int(5) }, pid: 1, uid: 1)
        XCTAssertEqual(unknown.bytes.first, 1)
        var allowed = AuditEvent(action: .exec, outcome: .allowed, args: ["ls"], executable: "/usr/bin/ls")
        allowed.workingDirectory = "/"
        var a = RelayReader(server.handle(request(.record) { $0.event(allowed) }, pid: 7, uid: 7).bytes)
        XCTAssertEqual(try a.byte(), 0)
        let running = try a.string()
        let complete = request(.complete) { $0.string(running); $0.optional(0 as Int?); $0.optional(nil as Int?); $0.int(5) }
        XCTAssertEqual(server.handle(complete, pid: 7, uid: 7).bytes.first, 0)
        XCTAssertEqual(server.handle(complete, pid: 7, uid: 7).bytes.first, 1, "not twice")
        XCTAssertTrue(lines().last!.contains("\"event.action\":\"complete\""))
    }

    /// The compiled policy is handed down only for the session's own policy file, and only when
    /// it was loaded from the compiled cache (PolicyCacheTests covers the copy itself).
    func testPolicyCopyOnlyForTheSessionsCompiledPolicy() throws {
        var p = Policy()
        p.file = dir + "/p.toml"
        let engine = try PolicyEngine(policy: p, home: nil, governedUID: getuid())
        let server = try XCTUnwrap(RelayServer(log: nil, limiter: nil, engine: engine))
        var other = RelayReader(server.handle(request(.policy) { $0.string(dir + "/other.toml") }, pid: 1, uid: 1).bytes)
        XCTAssertEqual(try other.byte(), 1)
        XCTAssertTrue(try other.string().contains("is not"))
        var same = RelayReader(server.handle(request(.policy) { $0.string(dir + "/p.toml") }, pid: 1, uid: 1).bytes)
        XCTAssertEqual(try same.byte(), 1)
        XCTAssertTrue(try same.string().contains("not compiled"), "loaded from the TOML: nothing to hand down")
        let bare = try XCTUnwrap(RelayServer(log: nil, limiter: nil))
        XCTAssertEqual(bare.handle(request(.policy) { $0.string(dir + "/p.toml") }, pid: 1, uid: 1).bytes.first, 1)
    }

    /// A nested aegish's log and limiter against a real server over the socket: the child asks,
    /// this process answers while it waits, as the shell does.
    func testRoundTripOverTheSocket() throws {
        let (server, _) = try makeServer(limits: true)
        let config = AuditConfig(path: logPath)
        let local = Limiter(config: LimitConfig(stateDirectory: "/nonexistent",
                                                classes: [LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 2)]),
                            uid: getuid())
        let pid = fork()
        if pid == 0 {
            let log = RelayLog(relay: server.path, config: config)
            let limits = RelayLimiter(relay: server.path, local: local)
            let op = LimitOperation(program: "/usr/bin/rm", argv: ["rm", "x"], cwd: "/", targets: [])
            var e = AuditEvent(action: .exec, outcome: .allowed, commandLine: "rm x", args: ["rm", "x"])
            e.workingDirectory = "/"
            guard let id = try? log.record(e), (try? log.complete(id: id, exitCode: 0, signal: nil, durationNS: 9)) != nil,
                  limits.check(op).isAllowed, limits.check(op).isAllowed, case .exceeded = limits.check(op),
                  // Not covered by any class: answered here, nothing asked.
                  limits.check(LimitOperation(program: "/usr/bin/ls", argv: ["ls"], cwd: "/", targets: [])).isAllowed
            else { _exit(1) }
            _exit(0)
        }
        var fds = [server.serverFD]
        while aegish_wait_child_or_fds(pid, &fds, 1, -1) == 1 { server.serve() }
        var st: Int32 = 0
        waitpid(pid, &st, 0)
        XCTAssertEqual(st, 0, "the nested side saw every answer it expected")
        let l = lines()
        XCTAssertEqual(l.count, 2)
        XCTAssertTrue(l[0].contains("\"process.command_line\":\"rm x\"") && l[0].contains("\"aegish.relayed_from.pid\":\(pid)"))
        XCTAssertTrue(l[1].contains("\"event.action\":\"complete\""))
        XCTAssertEqual(access(server.path, F_OK), 0, "the socket is there while its shell runs")
    }
}
