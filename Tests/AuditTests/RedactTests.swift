import XCTest
@testable import Audit

final class RedactTests: XCTestCase {
    let r = try! Redactor(config: AuditConfig(path: "/x"))

    func line(_ s: String) -> String { r.redact(commandLine: s) }

    /// The built-in patterns are compiled only for lines containing their trigger byte; each
    /// trigger must be a byte every match contains, which the compiled pattern knows.
    func testBuiltinTriggersAreTheCompiledPatternsRequiredBytes() throws {
        XCTAssertEqual(AuditConfig.defaultRedactPatterns.count, RedactPattern.builtinTriggers.count)
        for (p, t) in zip(AuditConfig.defaultRedactPatterns, RedactPattern.builtinTriggers) {
            XCTAssertEqual(try ByteRegex(p).requiredByte, t, p)
        }
        // Lines without a trigger are left alone; one with it compiles the pattern and redacts.
        let fresh = try Redactor(config: AuditConfig(path: "/x"))
        XCTAssertEqual(fresh.redact(commandLine: "ls -la /tmp"), "ls -la /tmp")
        XCTAssertEqual(fresh.redact(commandLine: "GITHUB_TOKEN=abc make"), "GITHUB_TOKEN=[REDACTED] make")
        XCTAssertEqual(fresh.redact(commandLine: "git clone https://u:pw@h/r"), "git clone https://u:[REDACTED]@h/r")
        // A policy's own pattern is compiled when the log opens: a bad one is an error there.
        XCTAssertThrowsError(try Redactor(patterns: ["(unclosed"], options: [], attached: [:]))
    }

    func testOptions() {
        XCTAssertEqual(line("tool --password=hunter2 --user bob"), "tool --password=[REDACTED] --user bob")
        XCTAssertEqual(line("tool --token abc123 next"), "tool --token [REDACTED] next")
        XCTAssertEqual(line("tool --token 'a b c' next"), "tool --token [REDACTED] next")
        XCTAssertEqual(line("tool --token=\"a b\";ls"), "tool --token=[REDACTED];ls")
        XCTAssertEqual(line("tool --passwordless x"), "tool --passwordless x")
        XCTAssertEqual(line("tool --token"), "tool --token")
        XCTAssertEqual(r.redact(args: ["tool", "--password=hunter2", "--token", "abc", "--tokenish", "x"]),
                       ["tool", "--password=[REDACTED]", "--token", "[REDACTED]", "--tokenish", "x"])
        XCTAssertEqual(r.redact(args: ["tool", "--token"]), ["tool", "--token"])
    }

    func testHeaders() {
        XCTAssertEqual(line("curl -H 'Authorization: Bearer abc.def' https://x"), "curl -H 'Authorization: [REDACTED]' https://x")
        XCTAssertEqual(line("curl -H \"authorization:Basic Zm9v\" -H 'X-Api-Key: k1'"),
                       "curl -H \"authorization:[REDACTED]\" -H 'X-Api-Key: [REDACTED]'")
        XCTAssertEqual(r.redact(args: ["curl", "-H", "Authorization: Bearer abc", "https://x"]),
                       ["curl", "-H", "Authorization: [REDACTED]", "https://x"])
        XCTAssertEqual(line("echo Cookie: a=b"), "echo Cookie: [REDACTED]")
    }

    func testEnvironmentAssignments() {
        XCTAssertEqual(line("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG aws s3 ls"), "AWS_SECRET_ACCESS_KEY=[REDACTED] aws s3 ls")
        XCTAssertEqual(line("GITHUB_TOKEN=ghp_x gh pr list"), "GITHUB_TOKEN=[REDACTED] gh pr list")
        XCTAssertEqual(line("export DB_PASSWORD='p w'; x"), "export DB_PASSWORD=[REDACTED]; x")
        XCTAssertEqual(line("env NPM_TOKEN=\"abc\" npm publish"), "env NPM_TOKEN=[REDACTED] npm publish")
        XCTAssertEqual(line("AWS_ACCESS_KEY_ID=AKIA x"), "AWS_ACCESS_KEY_ID=AKIA x")
        XCTAssertEqual(r.redact(args: ["env", "SLACK_TOKEN=xoxb-1", "cmd"]), ["env", "SLACK_TOKEN=[REDACTED]", "cmd"])
        XCTAssertEqual(line("make TOKENIZER=bpe"), "make TOKENIZER=bpe")
    }

    func testURLPassword() {
        XCTAssertEqual(line("git clone https://bob:s3cret@github.com/x/y"), "git clone https://bob:[REDACTED]@github.com/x/y")
        XCTAssertEqual(line("curl https://github.com:443/x"), "curl https://github.com:443/x")
    }

    func testMySQLAttachedPassword() {
        XCTAssertEqual(line("mysql -u root -phunter2 db"), "mysql -u root -p[REDACTED] db")
        XCTAssertEqual(line("/usr/bin/mysqldump -p'a b' db | gzip -p1"), "/usr/bin/mysqldump -p[REDACTED] db | gzip -p1")
        XCTAssertEqual(line("mkdir -p dir"), "mkdir -p dir")
        XCTAssertEqual(r.redact(args: ["/usr/bin/mysql", "-u", "root", "-phunter2", "-p", "--port=3"]),
                       ["/usr/bin/mysql", "-u", "root", "-p[REDACTED]", "-p", "--port=3"])
        XCTAssertEqual(r.redact(args: ["mkdir", "-pv", "d"]), ["mkdir", "-pv", "d"])
    }

    func testNothingToRedact() {
        let s = "git commit -m 'fix: parse key=value pairs' && ls -la"
        XCTAssertEqual(line(s), s)
        XCTAssertEqual(line(""), "")
        XCTAssertEqual(line("é 漢字 --token 😀x"), "é 漢字 --token [REDACTED]")
    }

    func testCustomPatterns() throws {
        let c = try Redactor(patterns: [#"(?i)sk-[a-z0-9]{8,}"#, #"pin (\d+)"#, #"^secret$"#],
                             options: ["-k"], attached: [:])
        XCTAssertEqual(c.redact(commandLine: "openai SK-abcdef123456 x"), "openai [REDACTED] x")
        XCTAssertEqual(c.redact(commandLine: "call pin 1234 now"), "call pin [REDACTED] now")
        XCTAssertEqual(c.redact(args: ["x", "secret", "secrets", "-k", "v"]), ["x", "[REDACTED]", "secrets", "-k", "[REDACTED]"])
        let ab = try Redactor(patterns: [#"a|b"#], options: [], attached: [:])
        XCTAssertEqual(ab.redact(commandLine: "cab"), "c[REDACTED]")
        // A pathological pattern runs out of budget and redacts the whole value (fail safe).
        let p = try Redactor(patterns: [#"(x+x+)+[yz]"#], options: [], attached: [:])
        XCTAssertEqual(p.redact(commandLine: String(repeating: "x", count: 40)), "[REDACTED]")
    }

    func testPatternErrors() {
        for bad in ["(", "[a-", "*x", "(?=x)", "x{2000}", "\\"] {
            XCTAssertThrowsError(try ByteRegex(bad), bad)
        }
    }

    func testRedactionReachesTheFile() throws {
        let path = makeTempDir(self) + "/audit.log"
        let log = try AuditLog(config: testConfig(path))
        // Values no other field of a record can contain by chance ("T2" was in every timestamp
        // from 20:00 to 23:59 UTC).
        try log.record(AuditEvent(action: .exec, outcome: .allowed, commandLine: "curl -H 'Authorization: Bearer TOPSECRET' --token TOKVAL9Q x",
                                  args: ["curl", "-H", "Authorization: Bearer TOPSECRET", "--token", "TOKVAL9Q", "x"]))
        let text = readLines(path).joined()
        XCTAssertFalse(text.contains("TOPSECRET"))
        XCTAssertFalse(text.contains("TOKVAL9Q"))
        XCTAssertTrue(text.contains("[REDACTED]"))
    }
}
