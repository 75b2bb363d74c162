import XCTest
import Glibc
@testable import Scan

/// External scanners (real Bandit and ShellCheck when installed), the report formats, the cache
/// and what findings mean under a configuration.
final class ScannerTests: XCTestCase {
    var dir = ""
    let context = RunnerContext(searchPath: ["/usr/local/bin", "/usr/bin", "/bin"], trustProblem: { _ in nil })

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-scan-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&t)!)
    }
    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func config(_ lang: ScanLanguage, _ scanners: [String], optional: [String] = []) -> ScanConfig {
        var c = ScanConfig()
        var l = LanguageScan()
        l.scanners = scanners
        l.optional = optional
        c.languages[lang] = l
        return c
    }

    func unit(_ code: String, _ lang: ScanLanguage = .python, label: String = "app.py") -> CodeUnit {
        CodeUnit(language: lang, label: label, bytes: Array(code.utf8))
    }

    func installed(_ p: String) -> Bool { context.resolve(p) != nil }

    func testBanditFindsInsecureCode() throws {
        try XCTSkipUnless(installed("bandit"), "bandit is not installed")
        let s = CodeScanner(config: config(.python, ["bandit"]), cache: nil, context: context)
        // (Bandit 1.6, Debian 12's, reports `input()` as B322, a Python 2 concern; sys.argv here.)
        let r = s.scan([unit("import subprocess, sys\nx = sys.argv[1]\nsubprocess.call(x, shell=True)\neval(x)\n")])
        XCTAssertTrue(r.failures.isEmpty, "\(r.failures)")
        let rules = Set(r.findings.map(\.finding.rule))
        XCTAssertTrue(rules.isSuperset(of: ["B602", "B307"]), "\(rules)")
        XCTAssertEqual(r.findings.first { $0.finding.rule == "B602" }?.finding.line, 3)
        XCTAssertEqual(r.findings.first { $0.finding.rule == "B602" }?.finding.file, "app.py")
        let a = assess(r, config: config(.python, ["bandit"]))
        XCTAssertEqual(a.verdict, .deny)
        XCTAssertEqual(a.rule, "scan.bandit.B602")
        XCTAssertTrue(a.reasons[0].hasPrefix("app.py:3: bandit B602 (high"), a.reasons[0])

        let clean = s.scan([unit("print(sum(range(10)))\n")])
        XCTAssertTrue(clean.findings.isEmpty && clean.failures.isEmpty)
        XCTAssertEqual(assess(clean, config: config(.python, ["bandit"])).verdict, .allow)
        // A syntax error is a failure, not "clean".
        let broken = s.scan([unit("def (:\n")])
        XCTAssertEqual(broken.failures.first?.failure.kind, .failed)
    }

    func testShellCheck() throws {
        try XCTSkipUnless(installed("shellcheck"), "shellcheck is not installed")
        let s = CodeScanner(config: config(.shell, ["shellcheck"]), cache: nil, context: context)
        let r = s.scan([unit("#!/bin/bash\nrm -rf $DIR/\nfor f in $(ls); do echo $f; done\n", .shell, label: "x.sh")])
        XCTAssertTrue(r.failures.isEmpty, "\(r.failures)")
        XCTAssertTrue(r.findings.contains { $0.finding.rule == "SC2086" && $0.finding.line == 2 }, "\(r.findings.map(\.finding.description))")
        XCTAssertEqual(shellDialect(Array("#!/usr/bin/env bash\n".utf8)), "bash")
        XCTAssertEqual(shellDialect(Array("echo hi\n".utf8)), "sh")
    }

    func testMissingTimeoutAndCrash() throws {
        // Required and missing: a failure. Optional and missing: skipped.
        var c = config(.python, ["nosuchscanner"], optional: ["othermissing"])
        c.scanners["nosuchscanner"] = ScannerSpec(name: "nosuchscanner", command: ["aegish-no-such-tool", "{file}"], format: .json)
        c.scanners["othermissing"] = ScannerSpec(name: "othermissing", command: ["aegish-no-such-tool-2", "{file}"], format: .json)
        var r = CodeScanner(config: c, cache: nil, context: context).scan([unit("x = 1\n")])
        XCTAssertEqual(r.failures.map(\.failure.kind), [.missing])
        XCTAssertEqual(r.skipped, ["othermissing"])
        XCTAssertEqual(assess(r, config: c).verdict, .deny)
        c.languages[.python]!.onError = .ask
        XCTAssertEqual(assess(r, config: c).verdict, .ask)

        // A scanner that runs too long is killed (its whole process group) and is a failure.
        c = config(.python, ["slow"])
        c.languages[.python]!.timeoutMS = 300
        c.scanners["slow"] = ScannerSpec(name: "slow", command: ["sh", "-c", "sleep 5 & sleep 5; echo []", "x", "{file}"], format: .json)
        let t0 = aegish_now()
        r = CodeScanner(config: c, cache: nil, context: context).scan([unit("x = 1\n")])
        XCTAssertEqual(r.failures.map(\.failure.kind), [.timeout])
        XCTAssertLessThan(aegish_now() - t0, 2.0)
        XCTAssertTrue(assess(r, config: c).reasons[0].contains("timeout_ms"))

        // An unexpected exit status, or output that is not the report: failures.
        c = config(.python, ["crash"])
        c.scanners["crash"] = ScannerSpec(name: "crash", command: ["sh", "-c", "echo oops >&2; exit 3", "x", "{file}"], format: .json)
        r = CodeScanner(config: c, cache: nil, context: context).scan([unit("x = 1\n")])
        XCTAssertEqual(r.failures.first?.failure.message, "exited with status 3: oops")
        c.scanners["crash"] = ScannerSpec(name: "crash", command: ["sh", "-c", "echo not json", "x", "{file}"], format: .json)
        r = CodeScanner(config: c, cache: nil, context: context).scan([unit("x = 1\n")])
        XCTAssertTrue(r.failures.first?.failure.message.contains("not JSON") ?? false)
    }

    func testCustomScannerReadsTheSealedCopy() throws {
        // A command scanner sees exactly the code (on /dev/fd/3) and cannot change it.
        var c = config(.python, ["mine"])
        let script = "printf '[{\"line\": 2, \"rule\": \"R1\", \"severity\": \"high\", \"message\": \"%s\"}]' \"$(sed -n 2p \"$1\")\"; echo x >> \"$1\" 2>/dev/null; exit 0"
        c.scanners["mine"] = ScannerSpec(name: "mine", command: ["sh", "-c", script, "x", "{file}"], format: .json)
        let r = CodeScanner(config: c, cache: nil, context: context).scan([unit("a = 1\nsecond line\n")])
        XCTAssertTrue(r.failures.isEmpty, "\(r.failures)")
        XCTAssertEqual(r.findings.map(\.finding.description), ["app.py:2: mine R1 (high): second line"])
    }

    func testCache() throws {
        let cacheDir = dir + "/cache"
        mkdir(cacheDir, 0o700)
        var c = config(.python, ["builtin", "counting"])
        // Counts its runs in a file: a cache hit does not run it.
        let counter = dir + "/runs"
        c.scanners["counting"] = ScannerSpec(name: "counting", command: ["sh", "-c", "echo run >> \(counter); echo '[{\"line\":1,\"rule\":\"C1\",\"severity\":\"low\",\"message\":\"m\"}]'", "x", "{file}"], format: .json)
        let s = CodeScanner(config: c, cache: ScanCache(directory: cacheDir), context: context)
        let code = unit("import os\nos.system('id')\n")
        let first = s.scan([code])
        XCTAssertEqual(first.cacheState(enabled: true), "miss")
        let second = s.scan([code])
        XCTAssertEqual(second.cacheState(enabled: true), "hit")
        XCTAssertEqual(second.findings.map(\.finding.description), first.findings.map(\.finding.description))
        XCTAssertEqual(readSmallFile(counter), "run\n")
        // Other code, or another label for the same code: the label is not part of the key.
        XCTAssertEqual(s.scan([unit("x = 2\n")]).cacheState(enabled: true), "miss")
        let relabelled = s.scan([CodeUnit(language: .python, label: "-c", bytes: code.bytes)])
        XCTAssertEqual(relabelled.cacheState(enabled: true), "hit")
        XCTAssertEqual(relabelled.findings.first?.finding.file, "-c")
        // A corrupt entry is a miss, never a partial result.
        for name in try listDirectory(cacheDir) where !name.hasPrefix(".") {
            let fd = open(cacheDir + "/" + name, O_WRONLY | O_TRUNC)
            _ = write(fd, "garbage", 7); close(fd)
        }
        XCTAssertEqual(s.scan([code]).cacheState(enabled: true), "miss")
    }

    func testReportFormats() {
        func parse(_ s: String, _ f: ReportFormat) -> [String] {
            switch parseReport(Array(s.utf8), format: f, scanner: "x", file: "f") {
            case .success(let fs): return fs.map { "\($0.line) \($0.rule) \($0.severity)" }
            case .failure(let e): return ["error: " + e.message]
            }
        }
        XCTAssertEqual(parse(#"{"comments":[{"file":"/dev/fd/3","line":3,"level":"warning","code":2086,"message":"Double quote"}]}"#, .shellcheck),
                       ["3 SC2086 medium"])
        XCTAssertEqual(parse(#"{"results":[{"check_id":"r.eval","start":{"line":4},"extra":{"severity":"ERROR","message":"m"}}],"errors":[]}"#, .semgrep),
                       ["4 r.eval high"])
        let sarif = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"S1","properties":{"security-severity":"8.1"}}]}},"results":[{"ruleId":"S1","message":{"text":"m"},"locations":[{"physicalLocation":{"region":{"startLine":7}}}]},{"ruleId":"S2","level":"note","message":{"text":"n"}}]}]}"#
        XCTAssertEqual(parse(sarif, .sarif), ["7 S1 high", "0 S2 low"])
        XCTAssertEqual(parse(#"{"findings":[{"line":1,"rule":"X","severity":"low","message":"m"}]}"#, .json), ["1 X low"])
        XCTAssertEqual(parse(#"{"results":[],"errors":[{"filename":"f","reason":"syntax error while parsing AST from file"}]}"#, .bandit),
                       ["error: it could not analyse the code: syntax error while parsing AST from file"])
        XCTAssertEqual(parse("", .sarif), ["error: its output is not JSON (no output)"])
    }

    func testVerdictMapping() {
        var l = LanguageScan()
        l.minConfidence = .medium
        l.rules = [RuleVerdict(pattern: "B101", verdict: .allow), RuleVerdict(pattern: "builtin.secret.*", verdict: .deny),
                   RuleVerdict(pattern: "bandit.B6*", verdict: .ask)]
        func f(_ scanner: String, _ rule: String, _ sev: Severity, _ conf: Severity? = nil) -> Finding {
            Finding(file: "f", line: 1, scanner: scanner, rule: rule, severity: sev, confidence: conf, message: "m")
        }
        XCTAssertEqual(l.verdict(for: f("bandit", "B101", .high)), .allow)
        XCTAssertEqual(l.verdict(for: f("builtin", "secret.aws-key", .low)), .deny)
        XCTAssertEqual(l.verdict(for: f("bandit", "B602", .high)), .ask)
        XCTAssertEqual(l.verdict(for: f("bandit", "B307", .high, .low)), .allow, "below min_confidence")
        XCTAssertEqual(l.verdict(for: f("bandit", "B307", .medium, .high)), .ask)
        XCTAssertEqual(l.verdict(for: f("x", "y", .low)), .allow)
    }
}

func aegish_now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func listDirectory(_ path: String) throws -> [String] {
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let e = readdir(d) {
        let name = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
        if name != "." && name != ".." { out.append(name) }
    }
    return out
}
