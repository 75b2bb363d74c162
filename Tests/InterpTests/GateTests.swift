import XCTest
import Glibc
import Syntax
@testable import Interp

/// A gate that records every request and refuses those `deny` selects.
final class RecordingGate: Gate {
    var requests: [GateRequest] = []
    let deny: (GateRequest) -> GateDecision?
    init(deny: @escaping (GateRequest) -> GateDecision? = { _ in nil }) { self.deny = deny }
    func decide(_ r: GateRequest) -> GateDecision {
        requests.append(r)
        return deny(r) ?? .allow
    }
}

/// The policy seam: every exec, redirection open, cd and source passes the gate with expanded
/// values, and a refusal means nothing runs.
final class GateTests: XCTestCase {
    var dir = ""
    var savedCwd = ""

    override func setUp() {
        // The shell runs in this process and `cd` changes the process's directory: put it back.
        savedCwd = String(cString: getcwd(nil, 0))
        var template = Array("/tmp/aegish-gate-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&template)!)
    }

    override func tearDown() {
        _ = chdir(savedCwd)
        _ = try? runShell("rm -rf '\(dir)'", gate: AllowAllGate())
        _ = chdir(savedCwd)
    }

    @discardableResult
    func runShell(_ source: String, gate: Gate) throws -> Int32 {
        let script = try parseScript(source)
        let shell = Shell(gate: gate, environment: ["PATH=/usr/bin:/bin", "HOME=\(dir)"])
        // Keep the test runner's own descriptors out of it: stdout/stderr go to files.
        let saved1 = dup(1), saved2 = dup(2)
        let out = open(dir + "/.stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        dup2(out, 1); dup2(out, 2); close(out)
        defer { dup2(saved1, 1); dup2(saved2, 2); close(saved1); close(saved2) }
        return shell.runProgram(script)
    }

    func exists(_ name: String) -> Bool { access(dir + "/" + name, F_OK) == 0 }

    func output() -> String {
        guard let f = fopen(dir + "/.stdout", "r") else { return "" }
        defer { fclose(f) }
        var s = ""
        var buf = [CChar](repeating: 0, count: 4096)
        while fgets(&buf, 4096, f) != nil { s += String(cString: buf) }
        return s
    }

    func testExecRequestCarriesExpandedArgvAndResolvedPath() throws {
        let gate = RecordingGate()
        let status = try runShell("f=a; touch \"\(dir)/$f\"b", gate: gate)
        XCTAssertEqual(status, 0)
        let execs = gate.requests.filter { $0.action == .exec }
        XCTAssertEqual(execs.count, 1)
        XCTAssertEqual(execs.first?.argv, ["touch", "\(dir)/ab"])
        XCTAssertTrue(execs.first?.path.hasSuffix("/touch") ?? false)
        XCTAssertTrue(exists("ab"))
    }

    func testDeniedExecRunsNothingAndReturns126() throws {
        let gate = RecordingGate { $0.action == .exec && $0.argv.first == "touch" ? .deny(reason: "no touching") : nil }
        let status = try runShell("touch \(dir)/canary; echo after=$?", gate: gate)
        XCTAssertFalse(exists("canary"))
        XCTAssertEqual(status, 0)
        XCTAssertTrue(output().contains("aegish: denied: touch — no touching"), output())
        XCTAssertTrue(output().contains("after=126"), output())
    }

    func testAskWithoutSupervisorIsRefused() throws {
        let gate = RecordingGate { $0.action == .exec ? .ask(reason: "needs a human") : nil }
        let status = try runShell("touch \(dir)/canary", gate: gate)
        XCTAssertEqual(status, 126)
        XCTAssertFalse(exists("canary"))
    }

    func testDeniedInsideSubstitutionPipelineAndSubshell() throws {
        let gate = RecordingGate { $0.action == .exec && $0.argv.first == "touch" ? .deny(reason: "no") : nil }
        try runShell("""
            x=$(touch \(dir)/c1); echo | touch \(dir)/c2; (touch \(dir)/c3); { touch \(dir)/c4; }
            f() { touch \(dir)/c5; }; f; eval 'touch \(dir)/c6'; touch \(dir)/c7 &
            wait
            """, gate: gate)
        for c in ["c1", "c2", "c3", "c4", "c5", "c6", "c7"] { XCTAssertFalse(exists(c), c) }
    }

    func testRedirectionOpenIsCheckedWithModeAndAbsolutePath() throws {
        let gate = RecordingGate { r in
            if case .open(.write) = r.action, r.path.hasSuffix("/denied") { return .deny(reason: "read-only") }
            return nil
        }
        try runShell("cd \(dir); echo hi > ok; echo hi > denied; echo hi >> app; cat < ok > /dev/null", gate: gate)
        XCTAssertTrue(exists("ok"))
        XCTAssertFalse(exists("denied"))
        let opens = gate.requests.compactMap { r -> (OpenMode, String)? in
            if case .open(let m) = r.action { return (m, r.path) }
            return nil
        }
        XCTAssertTrue(opens.contains { $0.0 == .write && $0.1 == "\(dir)/ok" })
        XCTAssertTrue(opens.contains { $0.0 == .append && $0.1 == "\(dir)/app" })
        XCTAssertTrue(opens.contains { $0.0 == .read && $0.1 == "\(dir)/ok" })
    }

    func testCdAndSourceAreChecked() throws {
        let gate = RecordingGate { r in
            if r.action == .cd && r.path.hasSuffix("/secret") { return .deny(reason: "private") }
            if r.action == .source { return .deny(reason: "no sourcing") }
            return nil
        }
        try runShell("""
            mkdir \(dir)/secret \(dir)/pub
            cd \(dir)/pub/../secret; echo "cd=$?" > \(dir)/r1
            echo 'touch \(dir)/sourced' > \(dir)/s.sh
            . \(dir)/s.sh; echo "src=$?" >> \(dir)/r1
            """, gate: gate)
        XCTAssertFalse(exists("sourced"))
        let cds = gate.requests.filter { $0.action == .cd }
        // The path reaches the gate normalised: no `..` to hide behind.
        XCTAssertEqual(cds.first?.path, "\(dir)/secret")
        XCTAssertEqual(gate.requests.filter { $0.action == .source }.first?.path, "\(dir)/s.sh")
    }

    func testEnvironmentPrefixReachesTheGate() throws {
        let gate = RecordingGate()
        try runShell("LD_PRELOAD=/x.so true_cmd=1 /bin/true", gate: gate)
        let env = gate.requests.first { $0.action == .exec }?.environment ?? []
        XCTAssertTrue(env.contains("LD_PRELOAD=/x.so"))
    }
}
