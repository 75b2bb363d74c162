import PolicyTestSupport
import XCTest
import Glibc
import Interp
import Syntax
@testable import Enforce
@testable import Policy
import Audit

/// `aegishctl replay`'s core (Policy/Replay.swift) on a log written by the real gate and writer.
final class ReplayTests: PolicyTestCase {
    var dir = ""
    var ws: String { dir + "/ws" }
    var logPath: String { dir + "/log/audit.log" }

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-replay-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&t)!)
        chmod(dir, 0o755)
        for d in ["ws", "log"] { mkdir(dir + "/" + d, 0o755) }
    }

    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func policy(rm: Verdict, chmod: Verdict, ls: Verdict) -> Policy {
        var p = Policy()
        p.searchPath = ["/usr/bin", "/bin"]
        p.workspace = ws
        p.paths.write = ["$WORKSPACE"]
        p.commands = [CommandRule(id: "rm", names: ["rm"], verdict: rm),
                      CommandRule(id: "chmod", names: ["chmod"], verdict: chmod),
                      CommandRule(id: "ls", names: ["ls"], verdict: ls)]
        p.audit = AuditConfig(path: logPath)
        return p
    }

    func testReplayFindsWhatANewPolicyChanges() throws {
        // The old policy decides and logs, through the gate the shell uses.
        let old = try PolicyEngine(policy: policy(rm: .allow, chmod: .ask, ls: .allow), home: nil, governedUID: 65534)
        let gate = enforcingGate(PolicyGate(engine: old, shellPath: "/bin/aegish"), checkUID: 65534, warn: { _ in })
        func exec(_ argv: [String]) {
            let r = GateRequest(action: .exec, argv: argv, path: "/usr/bin/" + argv[0], cwd: ws, environment: [],
                                pos: Pos(line: 1, column: 1), sourceLine: argv.joined(separator: " "))
            switch gate.decide(r) {
            case .ask(let why): _ = gate.resolveAsk(r, reason: why)
            case .allow: gate.finished(r, GateCompletion(exitCode: 0, signal: nil, durationNS: 1_000))
            case .deny: break
            }
        }
        exec(["rm", "-r", "build"])
        exec(["chmod", "+x", "run.sh"])
        exec(["ls", "-la"])
        exec(["sudo", "ls"])
        _ = gate.decide(GateRequest(action: .open(.write), argv: [], path: ws + "/out.txt", cwd: ws, environment: [],
                                    pos: Pos(line: 1, column: 8), sourceLine: "echo x > out.txt"))
        _ = gate.decide(GateRequest(action: .open(.write), argv: [], path: "/etc/motd", cwd: ws, environment: [],
                                    pos: Pos(line: 1, column: 8), sourceLine: "echo x > /etc/motd"))

        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        var decisions: [LoggedDecision] = []
        for l in lines {
            if case .decision(let d) = readLogLine(l) { decisions.append(d) }
        }
        XCTAssertEqual(decisions.map(\.action), ["exec", "exec", "exec", "exec", "open", "open"])
        XCTAssertEqual(decisions.map(\.oldVerdict), [.allow, .ask, .allow, .deny, .allow, .deny])
        XCTAssertTrue(lines.contains { if case .skipped = readLogLine($0) { return true }; return false },
                      "completion records are skipped")
        if case .unreadable = readLogLine("not json") {} else { XCTFail("a line that is not JSON is unreadable") }

        // The new policy: rm denied, chmod allowed, ls unchanged.
        let new = try PolicyEngine(policy: policy(rm: .deny, chmod: .allow, ls: .allow), home: nil, governedUID: 65534)
        let now = decisions.map { redecide($0, engine: new) }
        XCTAssertEqual(now.map(\.decision.verdict), [.deny, .allow, .allow, .deny, .allow, .deny])
        XCTAssertEqual(now.map(\.what), ["rm -r build", "chmod +x run.sh", "ls -la", "sudo ls",
                                         "> \(ws)/out.txt", "> /etc/motd"])
        // Under the old policy nothing changes (the replay decides as the gate did).
        XCTAssertEqual(decisions.map { redecide($0, engine: old).decision.verdict }, decisions.map { $0.oldVerdict! })
    }

    func testOpenModeComesFromTheLoggedRedirection() {
        var d = LoggedDecision(action: "open", outcome: "allowed")
        d.filePath = ws + "/in.txt"
        d.workingDirectory = ws
        d.commandLine = "sort < in.txt > out.txt"
        XCTAssertEqual(openAccess(d, cwd: ws), .read)
        d.filePath = ws + "/out.txt"
        XCTAssertEqual(openAccess(d, cwd: ws), .write)
        d.commandLine = nil
        XCTAssertEqual(openAccess(d, cwd: ws), .write, "unknown: the stricter")
    }
}
