import PolicyTestSupport
import XCTest
import Glibc
import Interp
import Syntax
@testable import Enforce
@testable import Policy
import Audit
import Scan

/// The scan step of the enforcing gate: code an allowed interpreter would run and packages an
/// install would fetch are checked before anything runs, findings go into the decision record.
final class ScanStepTests: PolicyTestCase {
    var dir = ""
    var ws: String { dir + "/ws" }
    var logPath: String { dir + "/log/audit.log" }
    var warnings: [String] = []
    static let popular: String = {
        var p = #filePath
        for _ in 0..<3 { p = String(p[..<p.lastIndex(of: "/")!]) }
        return p + "/data/popular"
    }()

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-scanstep-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&t)!)
        chmod(dir, 0o755)
        for d in ["ws", "log", "cache"] { mkdir(dir + "/" + d, 0o755) }
        chmod(dir + "/cache", 0o700)
    }
    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func policy(scan: ScanConfig? = nil) -> Policy {
        var p = Policy()
        p.searchPath = ["/usr/bin", "/bin"]
        p.workspace = ws
        p.paths.write = ["$WORKSPACE"]
        p.paths.deny = ["/etc/shadow"]
        p.network.allow = ["pypi.org", "files.pythonhosted.org"]
        var py = CommandRule(id: "interpreters", names: ["python3", "perl", "env", "pip3"], verdict: .allow)
        py.inlineCode = .allow
        p.commands = [py, CommandRule(id: "cat", names: ["cat"], verdict: .allow)]
        p.audit = AuditConfig(path: logPath)
        // Not about the kernel layer (whose best-effort warnings would join the ones checked).
        p.kernel = .off
        var s = scan ?? ScanConfig()
        if scan == nil {
            s.cacheDirectory = dir + "/cache"
            s.languages[.python] = LanguageScan()
            s.languages[.perl] = LanguageScan()
            s.packages?.popularDirectory = ScanStepTests.popular
        }
        p.scan = s
        return p
    }

    func gate(_ p: Policy) throws -> Gate {
        let engine = try PolicyEngine(policy: p, home: nil, governedUID: 65534)
        return enforcingGate(PolicyGate(engine: engine, shellPath: "/bin/aegish"), checkUID: 65534,
                             warn: { self.warnings.append($0) })
    }

    func exec(_ argv: [String], stdin: String? = nil) -> GateRequest {
        var r = GateRequest(action: .exec, argv: argv, path: "/usr/bin/" + argv[0], cwd: ws, environment: [],
                            pos: Pos(line: 1, column: 1), sourceLine: argv.joined(separator: " "))
        r.stdinText = stdin
        return r
    }

    /// The last record's fields, values as written (arrays as JSON text).
    func lastRecord() -> [String: String] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8),
              let line = text.split(separator: "\n").last else { return [:] }
        var d: [String: String] = [:]
        for (k, v) in parseJSONObject(String(line)) ?? [] {
            switch v {
            case .array(let a): d[k] = a.compactMap(\.stringValue).joined(separator: "\n")
            default: d[k] = v.stringValue
            }
        }
        return d
    }

    /// A [scan] table that cannot be decoded (from a damaged compiled-policy cache) refuses
    /// every command that would need it, and nothing else; it is decoded only when needed.
    func testAnUndecodableTableRefusesWhatItWouldHaveChecked() throws {
        let engine = try PolicyEngine(policy: policy(), home: nil, governedUID: 65534)
        var asked = 0
        let step = ScanStep(source: { asked += 1; return nil }, engine: engine, checkUID: 65534, warn: { _ in })
        XCTAssertNil(step.check(exec(["cat", "notes.txt"])).decision)
        XCTAssertEqual(asked, 0, "a command that runs no code and installs nothing needs no [scan] table")
        for argv in [["python3", "-c", "print(1)"], ["perl", "-e", "1"], ["pip3", "install", "requests"]] {
            guard let d = step.check(exec(argv)).decision else { return XCTFail("\(argv) must be refused") }
            XCTAssertEqual(d.verdict, .deny, "\(argv)")
            XCTAssertTrue(d.reason.contains("cannot be read"), d.reason)
        }
        XCTAssertEqual(asked, 1)
    }

    func testHereDocumentCodeIsScannedAndTheFindingNamed() throws {
        let g = try gate(policy())
        guard case .deny(let why) = g.decide(exec(["python3", "-"], stdin: "x = input()\neval(x)\n")) else {
            return XCTFail("eval(input()) fed on stdin must be refused")
        }
        XCTAssertTrue(why.contains("<stdin>:2: builtin py.eval (high)"), why)
        let r = lastRecord()
        XCTAssertEqual(r["event.outcome"], "denied")
        XCTAssertEqual(r["rule.id"], "scan.builtin.py.eval")
        XCTAssertEqual(r["scan.verdict"], "deny")
        XCTAssertEqual(r["scan.scanners"], "builtin")
        XCTAssertTrue(r["scan.findings"]?.contains("<stdin>:2: builtin py.eval") ?? false)
    }

    func testCleanCodeRunsAndTheCacheAnswersARerun() throws {
        let g = try gate(policy())
        XCTAssertEqual(g.decide(exec(["python3", "-c", "print(1)"])), .allow)
        XCTAssertEqual(lastRecord()["scan.verdict"], "allow")
        XCTAssertEqual(lastRecord()["scan.cache"], "miss")
        XCTAssertEqual(g.decide(exec(["python3", "-c", "print(1)"])), .allow)
        XCTAssertEqual(lastRecord()["scan.cache"], "hit")
        XCTAssertTrue(warnings.isEmpty, "\(warnings)")
    }

    func testScriptsWrappersAndShebangs() throws {
        let g = try gate(policy())
        try "import os\nos.system('id')\n".write(toFile: ws + "/tool.py", atomically: true, encoding: .utf8)
        guard case .deny(let why) = g.decide(exec(["python3", "-u", "tool.py", "arg"])) else { return XCTFail("script") }
        XCTAssertTrue(why.contains("tool.py:2: builtin py.shell"), why)
        guard case .deny = g.decide(exec(["env", "A=1", "python3", "tool.py"])) else { return XCTFail("through env") }
        try "#!/usr/bin/env python3\nimport os\nos.system('id')\n".write(toFile: ws + "/run.py", atomically: true, encoding: .utf8)
        chmod(ws + "/run.py", 0o755)
        var r = exec(["./run.py"])
        r.path = ws + "/run.py"
        guard case .deny(let w2) = g.decide(r) else { return XCTFail("shebang script") }
        XCTAssertTrue(w2.contains("./run.py:3"), w2)
        // Not an interpreter running code: nothing scanned, no scan fields.
        XCTAssertEqual(g.decide(exec(["cat", "tool.py"])), .allow)
        XCTAssertNil(lastRecord()["scan.verdict"])
        XCTAssertEqual(g.decide(exec(["python3", "--version"])), .allow)
        XCTAssertNil(lastRecord()["scan.verdict"])
    }

    func testUnseenStdinAndPolicyDenialsFirst() throws {
        let g = try gate(policy())
        guard case .deny(let why) = g.decide(exec(["python3"])) else { return XCTFail("unseen stdin") }
        XCTAssertTrue(why.contains("cannot see"), why)
        // A command the policy refuses is not scanned at all.
        guard case .deny = g.decide(exec(["python3", "-c", "import os; os.system('x')", "/etc/shadow"])) else { return XCTFail("policy") }
        XCTAssertEqual(lastRecord()["rule.id"], "paths.deny")
        XCTAssertNil(lastRecord()["scan.verdict"])
    }

    func testPackagesAskedThenLoggedWithTheAnswer() throws {
        let g = try gate(policy())
        let r = exec(["pip3", "install", "reqeusts"])
        guard case .ask(let why) = g.decide(r) else { return XCTFail("typosquat is ask by default") }
        XCTAssertTrue(why.contains("Did you mean requests?"), why)
        guard case .deny = g.resolveAsk(r, reason: why) else { return XCTFail("no supervisor") }
        let rec = lastRecord()
        XCTAssertEqual(rec["event.outcome"], "asked_unanswered")
        XCTAssertEqual(rec["scan.verdict"], "ask")
        XCTAssertEqual(rec["scan.packages"], "pypi:reqeusts")
        XCTAssertEqual(g.decide(exec(["pip3", "install", "requests"])), .allow)
    }

    func testUnprotectedCacheIsNotUsed() throws {
        chown(dir + "/cache", 65534, 65534)
        let g = try gate(policy())
        XCTAssertEqual(g.decide(exec(["python3", "-c", "print(2)"])), .allow)
        XCTAssertEqual(lastRecord()["scan.cache"], "off")
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("not protected from the governed user"), warnings[0])
    }

    func testScanAloneMakesAnEnforcingGate() throws {
        var p = policy()
        p.audit = nil
        let g = try gate(p)
        XCTAssertTrue(g is EnforcingGate)
        guard case .deny = g.decide(exec(["python3", "-c", "import os; os.system('x')"])) else { return XCTFail("scan without a log") }
    }
}
