import PolicyTestSupport
import XCTest
import Glibc
import Interp
import Syntax
@testable import Enforce
@testable import Policy
import Audit
import RateLimit

/// The gate the shell runs under: every decision logged before anything runs, completions logged
/// after, destructive commands counted, and every failure of the log or the state a refusal.
final class EnforcingGateTests: PolicyTestCase {
    var dir = ""
    var ws: String { dir + "/ws" }
    var logPath: String { dir + "/log/audit.log" }
    var warnings: [String] = []

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-enforce-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&t)!)
        chmod(dir, 0o755)
        for d in ["ws", "log", "limits"] { mkdir(dir + "/" + d, 0o755) }
        for f in ["a", "b", "c", "d"] { creat(ws + "/" + f, 0o644) }
    }

    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func policy(audit: Bool = true, limit: LimitClass? = nil, onFailure: AuditConfig.OnFailure = .refuse) -> Policy {
        var p = Policy()
        p.defaultVerdict = .deny
        p.searchPath = ["/usr/bin", "/bin"]
        p.workspace = ws
        p.paths.write = ["$WORKSPACE"]
        p.commands = [CommandRule(id: "rm", names: ["rm"], verdict: .allow),
                      CommandRule(id: "true", names: ["true"], verdict: .allow),
                      CommandRule(id: "ls", names: ["ls"], verdict: .allow)]
        var ask = CommandRule(id: "chmod", names: ["chmod"], verdict: .ask)
        ask.reason = "permissions need a human"
        p.commands.append(ask)
        if audit {
            var a = AuditConfig(path: logPath)
            a.onFailure = onFailure
            p.audit = a
        }
        if let limit { p.limits = LimitConfig(stateDirectory: dir + "/limits", classes: [limit]) }
        return p
    }

    func gate(_ p: Policy) throws -> Gate {
        let engine = try PolicyEngine(policy: p, home: nil, governedUID: 65534)
        return enforcingGate(PolicyGate(engine: engine, shellPath: "/bin/aegish"), checkUID: 65534,
                             warn: { self.warnings.append($0) })
    }

    func exec(_ argv: [String], line: String? = nil) -> GateRequest {
        GateRequest(action: .exec, argv: argv, path: "/usr/bin/" + argv[0], cwd: ws, environment: [],
                    pos: Pos(line: 1, column: 1), sourceLine: line ?? argv.joined(separator: " "))
    }

    /// The log's records as field dictionaries (string values only).
    func records() -> [[String: String]] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            var d: [String: String] = [:]
            for (k, v) in parseJSONObject(String(line)) ?? [] {
                if let s = v.stringValue { d[k] = s } else if let i = v.intValue { d[k] = String(i) }
            }
            return d
        }
    }

    func testAllowedCommandIsLoggedBeforeAndCompletedAfter() throws {
        let g = try gate(policy())
        let r = exec(["rm", "a"], line: "rm a   # tidy")
        XCTAssertEqual(g.decide(r), .allow)
        XCTAssertEqual(records().count, 1, "the decision is on disk before the command runs")
        g.finished(r, GateCompletion(exitCode: 0, signal: nil, durationNS: 1234))
        let recs = records()
        XCTAssertEqual(recs.count, 2)
        XCTAssertEqual(recs[0]["event.action"], "exec")
        XCTAssertEqual(recs[0]["event.outcome"], "allowed")
        XCTAssertEqual(recs[0]["process.command_line"], "rm a   # tidy")
        XCTAssertEqual(recs[0]["process.executable"], "/usr/bin/rm")
        XCTAssertEqual(recs[0]["process.working_directory"], ws)
        XCTAssertEqual(recs[0]["aegish.source.position"], "1:1")
        XCTAssertEqual(recs[1]["event.action"], "complete")
        XCTAssertEqual(recs[1]["event.id"], recs[0]["event.id"])
        XCTAssertEqual(recs[1]["process.exit_code"], "0")
        XCTAssertEqual(recs[1]["event.duration"], "1234")
        XCTAssertTrue(verifyLog(path: logPath).intact)
    }

    func testDenialIsLoggedWithRuleAndReasonAndNotCompleted() throws {
        let g = try gate(policy())
        let r = exec(["rm", "/etc/passwd"])
        guard case .deny(let why) = g.decide(r) else { return XCTFail("rm outside the workspace must be denied") }
        XCTAssertTrue(why.contains("/etc/passwd"), why)
        let recs = records()
        XCTAssertEqual(recs.count, 1)
        XCTAssertEqual(recs[0]["event.outcome"], "denied")
        XCTAssertNotNil(recs[0]["rule.id"])
        XCTAssertNotNil(recs[0]["event.reason"])
    }

    func testUnansweredAskIsLoggedAsSuch() throws {
        let g = try gate(policy())
        let r = exec(["chmod", "600", "a"])
        guard case .ask(let why) = g.decide(r) else { return XCTFail("chmod is ask") }
        XCTAssertEqual(records().count, 0, "an ask is logged with its answer")
        guard case .deny(let shown) = g.resolveAsk(r, reason: why) else { return XCTFail("no supervisor: refused") }
        XCTAssertTrue(shown.contains("no supervisor") && shown.contains(why), shown)
        XCTAssertEqual(records().last?["event.outcome"], "asked_unanswered")
        XCTAssertEqual(records().last?["rule.id"], "chmod")
    }

    func testOpensAreLoggedButDevNullIsNot() throws {
        let g = try gate(policy())
        XCTAssertEqual(g.decide(GateRequest(action: .open(.write), argv: [], path: "/dev/null", cwd: ws, environment: [], pos: .none)), .allow)
        XCTAssertEqual(records().count, 0)
        XCTAssertEqual(g.decide(GateRequest(action: .open(.write), argv: [], path: ws + "/out", cwd: ws, environment: [], pos: .none)), .allow)
        XCTAssertEqual(records().last?["event.action"], "open")
        XCTAssertEqual(records().last?["file.path"], ws + "/out")
    }

    func testTheLogAndLimitStateAreNotTheAgents() throws {
        let limit = LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 100)
        let g = try gate(policy(limit: limit))
        for path in [logPath, dir + "/log/other", dir + "/limits/0"] {
            let d = g.decide(GateRequest(action: .open(.write), argv: [], path: path, cwd: ws, environment: [], pos: .none))
            XCTAssertNotEqual(d, .allow, path)
        }
    }

    func testMissingLogDirectoryRefusesEverything() throws {
        rmdir(dir + "/log")
        let g = try gate(policy())
        guard case .deny(let why) = g.decide(exec(["true"])) else { return XCTFail("must refuse") }
        XCTAssertTrue(why.contains("audit"), why)
        XCTAssertFalse(warnings.isEmpty)
    }

    func testOnFailureContinueRunsUnlogged() throws {
        rmdir(dir + "/log")
        let g = try gate(policy(onFailure: .continue))
        XCTAssertEqual(g.decide(exec(["true"])), .allow)
        XCTAssertTrue(warnings.contains { $0.contains("on_failure") }, "\(warnings)")
    }

    func testLogThatBecomesUnwritableRefusesTheNextCommand() throws {
        let g = try gate(policy())
        XCTAssertEqual(g.decide(exec(["true"])), .allow)
        // Rotate the log away and put a directory where it was: the writer cannot reopen it.
        rename(logPath, logPath + ".1")
        mkdir(logPath, 0o755)
        guard case .deny(let why) = g.decide(exec(["true"])) else { return XCTFail("must refuse") }
        XCTAssertTrue(why.contains("could not be logged"), why)
    }

    func testLogDirectoryTheAgentCanWriteIsRefused() throws {
        chown(dir + "/log", 65534, 65534)
        let g = try gate(policy())
        guard case .deny(let why) = g.decide(exec(["true"])) else { return XCTFail("must refuse") }
        XCTAssertTrue(why.contains("not protected"), why)
    }

    func testRateLimitDeniesOverTheLimitAndLogsIt() throws {
        let limit = LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 2)
        let g = try gate(policy(limit: limit))
        XCTAssertEqual(g.decide(exec(["rm", "a"])), .allow)
        XCTAssertEqual(g.decide(exec(["rm", "b"])), .allow)
        guard case .deny(let why) = g.decide(exec(["rm", "c"])) else { return XCTFail("third rm is over the limit") }
        XCTAssertTrue(why.contains("delete"), why)
        let last = records().last!
        XCTAssertEqual(last["event.outcome"], "rate_limited")
        XCTAssertEqual(last["rule.id"], "limit.delete")
        XCTAssertEqual(last["limit.class"], "delete")
        // Commands outside the class are not affected, and a policy denial is not counted.
        XCTAssertEqual(g.decide(exec(["ls"])), .allow)
    }

    func testSupervisorAnswersAreObeyedAndLogged() throws {
        let g = try gate(policy()) as! EnforcingGate
        let r = exec(["chmod", "600", "a"])
        guard case .ask(let why) = g.decide(r) else { return XCTFail("chmod is ask") }
        g.approver = Always(.deny(reason: "not on prod"))
        guard case .deny(let shown) = g.resolveAsk(r, reason: why) else { return XCTFail("supervisor said no") }
        XCTAssertTrue(shown.contains("not on prod"), shown)
        XCTAssertEqual(records().last?["event.outcome"], "asked_denied")
        // Allowed for the session: asked once, then remembered for exactly that command.
        let sup = Always(.allowForSession)
        g.approver = sup
        XCTAssertEqual(g.resolveAsk(r, reason: why), .allow)
        XCTAssertEqual(records().last?["event.outcome"], "asked_allowed")
        g.approver = Always(.unavailable(reason: "the supervisor timed out"))
        XCTAssertEqual(g.resolveAsk(r, reason: why), .allow, "remembered for this session")
        guard case .deny(let other) = g.resolveAsk(exec(["chmod", "777", "a"]), reason: why) else {
            return XCTFail("another command is asked again")
        }
        XCTAssertTrue(other.contains("timed out"), other)
        XCTAssertEqual(sup.asked, 1)
    }

    func testAllowedShowsTheRoomLeft() throws {
        let limit = LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 2)
        let g = try gate(policy(limit: limit))
        XCTAssertEqual(g.decide(exec(["rm", "a"])), .allow)
        let s = g.summary()
        XCTAssertTrue(s.contains("limit delete: 1/2 operations in 60 s"), s)
        XCTAssertTrue(s.contains("audit log: " + logPath), s)
    }

    func testRefusedCommandsDoNotUseTheBudget() throws {
        let limit = LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 1)
        let g = try gate(policy(limit: limit))
        for _ in 0..<3 { if case .allow = g.decide(exec(["rm", "/etc/passwd"])) { XCTFail("must be denied by policy") } }
        XCTAssertEqual(g.decide(exec(["rm", "a"])), .allow)
    }

    func testOverLimitAskThatNobodyAnswersIsRefused() throws {
        let limit = LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 1, onExceed: .ask)
        let g = try gate(policy(limit: limit))
        XCTAssertEqual(g.decide(exec(["rm", "a"])), .allow)
        let r = exec(["rm", "b"])
        guard case .ask(let why) = g.decide(r) else { return XCTFail("over the limit: ask") }
        guard case .deny = g.resolveAsk(r, reason: why) else { return XCTFail("unanswered: refused") }
        XCTAssertEqual(records().last?["event.outcome"], "asked_unanswered")
        // An approval is counted: the next one is over again.
        let r2 = exec(["rm", "c"])
        guard case .ask(let why2) = g.decide(r2) else { return XCTFail("still over") }
        (g as! EnforcingGate).approver = Always(.allowOnce)
        XCTAssertEqual(g.resolveAsk(r2, reason: why2), .allow)
        XCTAssertEqual(records().last?["event.outcome"], "asked_allowed")
    }

    func testUnusableLimitStateRefusesCoveredCommandsOnly() throws {
        let limit = LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 5)
        let g = try gate(policy(limit: limit))
        rmdir(dir + "/limits")
        guard case .deny(let why) = g.decide(exec(["rm", "a"])) else { return XCTFail("state missing: refuse") }
        XCTAssertTrue(why.contains("rate-limit"), why)
        XCTAssertEqual(g.decide(exec(["ls"])), .allow)
    }

    func testNoAuditNoLimitsIsThePlainPolicyGate() throws {
        let g = try gate(policy(audit: false))
        XCTAssertTrue(g is PolicyGate)
    }

    func testASupervisorAloneMakesAnEnforcingGateWithItsApprover() throws {
        var p = policy(audit: false)
        p.supervisor = SupervisorConfig(socket: dir + "/nobody.sock", timeout: 1)
        let g = try XCTUnwrap(try gate(p) as? EnforcingGate)
        XCTAssertTrue(g.approver is SupervisorClient)
        let r = exec(["chmod", "600", "a"])
        guard case .ask(let why) = g.decide(r) else { return XCTFail("chmod is ask") }
        guard case .deny(let shown) = g.resolveAsk(r, reason: why) else { return XCTFail("nobody listens: refused") }
        XCTAssertTrue(shown.contains("no supervisor is listening on \(dir)/nobody.sock"), shown)
    }

    func testWhoAnsweredIsLogged() throws {
        let g = try gate(policy()) as! EnforcingGate
        let r = exec(["chmod", "600", "a"])
        guard case .ask(let why) = g.decide(r) else { return XCTFail("chmod is ask") }
        g.approver = Named(.allowForSession, by: "supervisor uid 0 pid 7 (bob)")
        XCTAssertEqual(g.resolveAsk(r, reason: why), .allow)
        XCTAssertEqual(records().last?["aegish.approver"], "supervisor uid 0 pid 7 (bob), for this session")
        _ = g.decide(r)
        XCTAssertEqual(g.resolveAsk(r, reason: why), .allow)
        XCTAssertEqual(records().last?["aegish.approver"], "supervisor uid 0 pid 7 (bob), earlier in this session")
        g.approver = Named(.unavailable(reason: "timed out"), by: nil)
        let r2 = exec(["chmod", "700", "a"])
        guard case .ask(let why2) = g.decide(r2) else { return XCTFail("chmod is ask") }
        _ = g.resolveAsk(r2, reason: why2)
        XCTAssertNil(records().last?["aegish.approver"])
    }
}

final class Named: Approver {
    let answer: ApprovalAnswer
    let answeredBy: String?
    init(_ a: ApprovalAnswer, by: String?) { answer = a; answeredBy = by }
    func approve(_ q: ApprovalRequest) -> ApprovalAnswer { answer }
}

final class Always: Approver {
    let answer: ApprovalAnswer
    var asked = 0
    init(_ a: ApprovalAnswer) { answer = a }
    func approve(_ q: ApprovalRequest) -> ApprovalAnswer { asked += 1; return answer }
}
