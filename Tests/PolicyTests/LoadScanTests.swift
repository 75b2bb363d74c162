import PolicyTestSupport
import XCTest
import Glibc
import Scan
@testable import Policy

/// [scan]: every key lands in ScanConfig, each kind of mistake is a load error at its line, the
/// compiled-policy cache carries it, and the engine answers the scan step's questions.
final class LoadScanTests: PolicyTestCase {
    func load(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Policy? {
        do { return try parsePolicy(text, file: "p.toml") } catch {
            XCTFail("policy did not load: \(error)", file: file, line: line)
            return nil
        }
    }

    func assertError(_ text: String, _ l: Int, _ contains: String..., file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try parsePolicy(text, file: "p.toml")
            XCTFail("policy loaded but should not have", file: file, line: line)
        } catch let e as PolicyLoadError {
            XCTAssertEqual(e.location.line, l, "line: \(e)", file: file, line: line)
            for s in contains { XCTAssertTrue(e.message.contains(s), "message lacks \"\(s)\": \(e)", file: file, line: line) }
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    static let full = """
        [scan]
        cache_dir = "/var/lib/aegish/scan"
        unseen_stdin = "ask"
        builtin_max_bytes = 65536

        [scan.python]
        scanners = ["builtin", "bandit"]
        optional = ["semgrep"]
        timeout_ms = 5000
        on_error = "ask"
        severity = { high = "deny", medium = "deny", low = "ask" }
        min_confidence = "medium"
        rules = { B101 = "allow", "builtin.secret.*" = "deny", "bandit.B6*" = "ask" }

        [scan.shell]
        scanners = ["shellcheck"]

        [scan.node]
        scanners = ["builtin", "mylint"]

        [scan.scanner.semgrep]
        rules = "/etc/aegish/semgrep.yml"

        [scan.scanner.mylint]
        command = ["/opt/mylint/bin/mylint", "--sarif", "--input={file}"]
        format = "sarif"
        exit_codes = [0, 2]

        [scan.packages]
        popular_dir = "/usr/share/aegish/popular"
        typosquat = "deny"
        not_listed = "ask"
        on_error = "ask"
        pypi = ["requests", "numpy"]
        go = ["golang.org/x/tools"]
        """

    func testEveryKeyLands() throws {
        let s = try XCTUnwrap(load(LoadScanTests.full)?.scan)
        XCTAssertEqual(s.cacheDirectory, "/var/lib/aegish/scan")
        XCTAssertEqual(s.unseenStdin, .ask)
        XCTAssertEqual(s.builtinMaxBytes, 65536)
        let py = try XCTUnwrap(s.languages[.python])
        XCTAssertEqual(py.scanners, ["builtin", "bandit"])
        XCTAssertEqual(py.optional, ["semgrep"])
        XCTAssertEqual(py.timeoutMS, 5000)
        XCTAssertEqual(py.onError, .ask)
        XCTAssertEqual(py.severity, [.ask, .deny, .deny])
        XCTAssertEqual(py.minConfidence, .medium)
        XCTAssertEqual(py.rules.map(\.pattern), ["builtin.secret.*", "bandit.B6*", "B101"], "longest first")
        XCTAssertEqual(s.languages[.shell]?.scanners, ["shellcheck"])
        XCTAssertNil(s.languages[.perl])
        XCTAssertEqual(s.scanners["semgrep"]?.rules, "/etc/aegish/semgrep.yml")
        XCTAssertEqual(s.scanners["semgrep"]?.format, .semgrep, "a standard scanner keeps what is not overridden")
        XCTAssertEqual(s.scanners["mylint"]?.command, ["/opt/mylint/bin/mylint", "--sarif", "--input={file}"])
        XCTAssertEqual(s.scanners["mylint"]?.exitCodes, [0, 2])
        let pk = try XCTUnwrap(s.packages)
        XCTAssertEqual(pk.popularDirectory, "/usr/share/aegish/popular")
        XCTAssertEqual(pk.typosquat, .deny)
        XCTAssertEqual(pk.notListed, .ask)
        XCTAssertEqual(pk.onError, .ask)
        XCTAssertEqual(pk.allow[.pypi], ["requests", "numpy"])
        XCTAssertEqual(pk.allow[.go], ["golang.org/x/tools"])
        // The cache directory is the shell's own: the agent cannot redirect into it.
        XCTAssertTrue(load(LoadScanTests.full)!.enforcementPaths.contains("/var/lib/aegish/scan"))
    }

    func testDefaults() throws {
        let s = try XCTUnwrap(load("[scan]\n[scan.python]\n")?.scan)
        XCTAssertEqual(s.languages[.python]?.scanners, ["builtin"])
        XCTAssertEqual(s.languages[.python]?.onError, .deny)
        XCTAssertEqual(s.languages[.python]?.severity, [.allow, .ask, .deny])
        XCTAssertEqual(s.unseenStdin, .deny)
        XCTAssertNotNil(s.packages, "package installs are checked unless switched off")
        XCTAssertNil(load("[scan]\n[scan.packages]\nenabled = false\n")?.scan?.packages)
        XCTAssertNil(load("[policy]\nname = \"x\"\n")?.scan)
    }

    func testMistakes() {
        assertError("[scan]\ncache = \"/x\"\n", 2, "unknown key \"cache\" in [scan]", "cache_dir")
        assertError("[scan]\ncache_dir = \"var/x\"\n", 2, "relative")
        assertError("[scan]\n[scan.python]\nscanners = [\"builtin\", \"banditt\"]\n", 3, "unknown scanner \"banditt\"")
        assertError("[scan]\n[scan.python]\nscanners = [\"semgrep\"]\n", 3, "semgrep needs a rules file")
        assertError("[scan]\n[scan.shell]\nscanners = [\"builtin\"]\n", 3, "no shell rules", "shellcheck")
        assertError("[scan]\n[scan.shell]\ntimeout_ms = 10\n", 2, "runs no scanner")
        assertError("[scan]\n[scan.python]\non_error = \"allow\"\n", 3, "would run code no scanner has looked at")
        assertError("[scan]\n[scan.python]\ntimeout_ms = 0\n", 3, "timeout_ms is 0")
        assertError("[scan]\n[scan.python]\nseverity = { critical = \"deny\" }\n", 3, "unknown severity \"critical\"")
        assertError("[scan]\n[scan.python]\nmin_confidence = \"sure\"\n", 3, "min_confidence")
        assertError("[scan]\n[scan.python]\nrules = { \"B*1\" = \"deny\" }\n", 3, "not a rule id")
        assertError("[scan]\n[scan.javascript]\n", 2, "unknown key \"javascript\"", "[scan.node]")
        assertError("[scan]\n[scan.scanner.mine]\ncommand = [\"mine\", \"--json\"]\nformat = \"json\"\n", 3, "has no {file}")
        assertError("[scan]\n[scan.scanner.mine]\ncommand = [\"mine\", \"{file}\"]\n", 2, "has no format")
        assertError("[scan]\n[scan.scanner.mine]\ncommand = [\"mine\", \"{file}\"]\nformat = \"xml\"\n", 4, "invalid value \"xml\"")
        assertError("[scan]\n[scan.scanner.mine]\ncommand = [\"mine\", \"{file}\"]\nformat = \"json\"\nexit_codes = [0, 300]\n", 5, "exit_codes")
        assertError("[scan]\n[scan.packages]\npip = [\"requests\"]\n", 3, "pypi = [")
        assertError("[scan]\n[scan.packages]\npypi = [\"requests==2.0\"]\n", 3, "not a package name")
        assertError("[[scan]]\n", 1, "single [scan] table")
    }

    func testCompiledCacheCarriesScan() throws {
        let p = try XCTUnwrap(load(LoadScanTests.full))
        let back = try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p)))
        XCTAssertEqual(back.scan, p.scan)
        var none = p
        none.scan = nil
        XCTAssertNil(try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(none))).scan)
        var noPackages = p
        noPackages.scan?.packages = nil
        XCTAssertEqual(try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(noPackages))).scan, noPackages.scan)
        // Truncated anywhere in the scan part: not usable.
        let bytes = encodeCachedPolicy(p)
        for cut in stride(from: bytes.count - 1, to: bytes.count - 200, by: -7) {
            XCTAssertNil(decodeCachedPolicy(Array(bytes[0..<cut])))
        }
    }

    func testEngineAnswersForCode() throws {
        var p = Policy()
        p.workspace = "/tmp/aegish-ws-test"
        p.paths.write = ["$WORKSPACE"]
        p.network.allow = ["pypi.org", ".example.com"]
        let e = try PolicyEngine(policy: p, home: "/home/u", governedUID: 65534)
        XCTAssertEqual(e.decideCodeWrite("out.txt", cwd: "/tmp/aegish-ws-test").verdict, .allow)
        XCTAssertEqual(e.decideCodeWrite("/etc/passwd", cwd: "/tmp/aegish-ws-test").verdict, .deny)
        XCTAssertEqual(e.decideCodeWrite("../escape", cwd: "/tmp/aegish-ws-test").verdict, .deny)
        XCTAssertEqual(e.decideCodeContact("https://pypi.org/simple/x").verdict, .allow)
        XCTAssertEqual(e.decideCodeContact("api.example.com").verdict, .allow)
        XCTAssertEqual(e.decideCodeContact("https://user:pw@evil.test/x").verdict, .deny)
        XCTAssertEqual(e.decideCodeContact("http://0x7f.1/").verdict, .deny)
        XCTAssertNil(e.programTrustProblem("/bin/sh"))
    }

    func testUvAndGemRegistries() {
        func hosts(_ argv: [String]) -> [String] {
            (networkTargets(argv, cwd: "/", home: nil) ?? []).map { $0.host ?? "?" }
        }
        XCTAssertEqual(hosts(["uv", "pip", "install", "requests"]), ["pypi.org", "files.pythonhosted.org"])
        XCTAssertEqual(hosts(["uv", "pip", "install", "--index-url", "https://evil.test/simple", "x"]), ["evil.test"])
        XCTAssertEqual(hosts(["uv", "pip", "install", "--index", "https://mirror.test/simple", "x"]), ["mirror.test", "pypi.org", "files.pythonhosted.org"])
        XCTAssertEqual(hosts(["uv", "run", "x.py"]), ["?"])
        XCTAssertEqual(hosts(["gem", "install", "rails"]), ["rubygems.org"])
        XCTAssertEqual(hosts(["gem", "install", "-s", "https://gems.evil.test", "rails"]), ["gems.evil.test"])
        XCTAssertEqual(hosts(["gem", "list"]), [])
    }
}
