import PolicyTestSupport
import XCTest
import Audit
@testable import Policy

final class LoadTests: PolicyTestCase {
    /// The error `text` fails with (failing the test if it loads).
    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> PolicyLoadError? {
        do {
            _ = try parsePolicy(text, file: "p.toml")
            XCTFail("policy loaded but should not have", file: file, line: line)
            return nil
        } catch let e as PolicyLoadError {
            return e
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    /// Asserts `text` fails at line:column with a message containing `contains`.
    func assertError(_ text: String, _ l: Int, _ c: Int, _ contains: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let e = error(text, file: file, line: line) else { return }
        XCTAssertEqual(e.location.line, l, "line: \(e)", file: file, line: line)
        XCTAssertEqual(e.location.column, c, "column: \(e)", file: file, line: line)
        XCTAssertTrue(e.message.contains(contains), "message: \(e)", file: file, line: line)
        XCTAssertEqual(e.location.file, "p.toml", file: file, line: line)
    }

    // MARK: Valid policies

    let full = """
    [policy]
    name = "coding-agent"
    default = "deny"
    path = ["/usr/local/bin", "/usr/bin", "/bin"]
    workspace = "/work"

    [paths]
    read = ["/", "~"]
    write = ["$WORKSPACE", "/tmp", "$WORKSPACE/**/build"]
    deny = ["~/.ssh", "~/.aws", "/etc/shadow"]
    outside = "ask"

    [network]
    allow = ["pypi.org", "*.npmjs.org", ".github.com", "127.0.0.1", "::1"]
    deny = ["evil.example.com"]
    outside = "deny"

    [environment]
    pass = ["HOME", "LC_*"]
    set = { PAGER = "cat", GIT_PAGER = "cat" }
    deny = ["LD_*", "BASH_ENV"]

    [[command]]
    id = "git"
    names = ["git", "/usr/bin/git"]
    decision = "allow"
    reason = "version control"
    sha256 = "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
    options_with_value = ["-C", "-c", "--git-dir"]
    deny_options = ["--exec-path"]
    ask_options = ["-f", "--force"]
      [[command.arguments]]
      pattern = "push *"
      decision = "ask"
      reason = "pushing leaves the machine"
      [[command.arguments]]
      pattern = "reset --hard*"
      decision = "ask"
      id = "git-reset-hard"

    [[command]]
    name = "python3"
    decision = "allow"
    inline_code = "ask"

    [[test]]
    command = "git status"
    expect = "allow"
    rule = "git"
    cwd = "/work"

    [[test]]
    command = "git push origin main"
    expect = "ask"
    """

    func testFullPolicyLoads() throws {
        let p = try parsePolicy(full, file: "full.toml")
        XCTAssertEqual(p.file, "full.toml")
        XCTAssertEqual(p.name, "coding-agent")
        XCTAssertEqual(p.defaultVerdict, .deny)
        XCTAssertEqual(p.searchPath, ["/usr/local/bin", "/usr/bin", "/bin"])
        XCTAssertEqual(p.workspace, "/work")
        XCTAssertEqual(p.paths.read, ["/", "~"])
        XCTAssertEqual(p.paths.write, ["$WORKSPACE", "/tmp", "$WORKSPACE/**/build"])
        XCTAssertEqual(p.paths.deny, ["~/.ssh", "~/.aws", "/etc/shadow"])
        XCTAssertEqual(p.paths.outside, .ask)
        XCTAssertEqual(p.network.allow, ["pypi.org", "*.npmjs.org", ".github.com", "127.0.0.1", "::1"])
        XCTAssertEqual(p.network.deny, ["evil.example.com"])
        XCTAssertEqual(p.network.outside, .deny)
        XCTAssertEqual(p.environment.pass, ["HOME", "LC_*"])
        XCTAssertEqual(p.environment.set, ["PAGER": "cat", "GIT_PAGER": "cat"])
        XCTAssertEqual(p.environment.deny, ["LD_*", "BASH_ENV"])
        XCTAssertEqual(p.commands.count, 2)
        let git = p.commands[0]
        XCTAssertEqual(git.id, "git")
        XCTAssertEqual(git.names, ["git", "/usr/bin/git"])
        XCTAssertEqual(git.verdict, .allow)
        XCTAssertEqual(git.reason, "version control")
        XCTAssertEqual(git.sha256, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")
        XCTAssertEqual(git.optionsWithValue, ["-C", "-c", "--git-dir"])
        XCTAssertEqual(git.denyOptions, ["--exec-path"])
        XCTAssertEqual(git.askOptions, ["-f", "--force"])
        XCTAssertNil(git.inlineCode)
        XCTAssertEqual(git.location, SourceLocation(file: "full.toml", line: 23, column: 1))
        XCTAssertEqual(git.arguments.count, 2)
        XCTAssertEqual(git.arguments[0].pattern, "push *")
        XCTAssertEqual(git.arguments[0].verdict, .ask)
        XCTAssertEqual(git.arguments[0].id, "git:1")
        XCTAssertEqual(git.arguments[0].reason, "pushing leaves the machine")
        XCTAssertEqual(git.arguments[1].id, "git-reset-hard")
        XCTAssertNil(git.arguments[1].reason)
        let py = p.commands[1]
        XCTAssertEqual(py.id, "python3")
        XCTAssertEqual(py.names, ["python3"])
        XCTAssertEqual(py.inlineCode, .ask)
        XCTAssertEqual(py.location, SourceLocation(file: "full.toml", line: 41, column: 1))
        XCTAssertEqual(p.tests.count, 2)
        XCTAssertEqual(p.tests[0].command, "git status")
        XCTAssertEqual(p.tests[0].expect, .allow)
        XCTAssertEqual(p.tests[0].rule, "git")
        XCTAssertEqual(p.tests[0].cwd, "/work")
        XCTAssertEqual(p.tests[0].location, SourceLocation(file: "full.toml", line: 46, column: 1))
        XCTAssertEqual(p.tests[1].expect, .ask)
        XCTAssertNil(p.tests[1].rule)
        XCTAssertEqual(p.tests[1].location?.line, 52)
        XCTAssertTrue(policyProblems(full, file: "x").isEmpty)
    }

    func testEmptyPolicyHasFailClosedDefaults() throws {
        let p = try parsePolicy("", file: "e.toml")
        XCTAssertEqual(p.defaultVerdict, .deny)
        XCTAssertEqual(p.paths.outside, .deny)
        XCTAssertEqual(p.network.outside, .deny)
        XCTAssertNil(p.paths.read)
        XCTAssertNil(p.environment.pass)
        XCTAssertTrue(p.commands.isEmpty)
        XCTAssertEqual(p.file, "e.toml")
    }

    func testInlineTablesAndDottedKeys() throws {
        let p = try parsePolicy("""
        policy.name = "dotted"
        policy.workspace = "/w"
        paths = { write = ["$WORKSPACE"] }
        command = [ { name = "ls", decision = "allow" },
                    { names = ["/bin/cat"], decision = "ask", arguments = [{ pattern = "-n *", decision = "deny" }] } ]
        """, file: "d.toml")
        XCTAssertEqual(p.name, "dotted")
        XCTAssertEqual(p.paths.write, ["$WORKSPACE"])
        XCTAssertEqual(p.commands.map(\.id), ["ls", "/bin/cat"])
        XCTAssertEqual(p.commands[1].arguments[0].id, "/bin/cat:1")
        XCTAssertEqual(p.commands[1].location?.line, 5)
        XCTAssertEqual(p.commands[1].location?.column, 13)
    }

    // MARK: Errors with positions

    func testSyntaxErrorUsesTOMLKitPosition() {
        assertError("[policy]\nname = \"x\"\ndefault = \n", 3, 11, "invalid TOML")
        assertError("[policy]\nname = \"a\"\nname = \"b\"\n", 3, 8, "invalid TOML")
    }

    func testNULRefused() {
        assertError("[policy]\nname = \"x\"\n\0[paths]\n", 3, 1, "NUL")
    }

    func testUnknownKeys() {
        assertError("[policy]\nname = \"x\"\n  colour = \"red\"\n", 3, 3,
                    "unknown key \"colour\" in [policy]; allowed keys: name, default, path, workspace")
        assertError("[polcy]\nname = \"x\"\n", 1, 1, "unknown key \"polcy\" in the top level")
        assertError("name = \"x\"\n", 1, 1, "belongs in [policy]")
        assertError("[paths]\nread = []\nexec = []\n", 3, 1, "allowed keys: read, write, deny, outside")
        assertError("[network]\nhosts = []\n", 2, 1, "allowed keys: allow, deny, outside")
        assertError("[environment]\nunset = []\n", 2, 1, "allowed keys: pass, set, deny")
        assertError("[[command]]\nname = \"ls\"\ndecision = \"allow\"\nverdict = \"allow\"\n", 4, 1,
                    "unknown key \"verdict\" in [[command]] \"ls\"")
        assertError("""
        [[command]]
        name = "git"
        decision = "allow"
          [[command.arguments]]
          pattern = "push *"
          decision = "ask"
          why = "x"
        """, 7, 3, "unknown key \"why\" in [[command]] \"git\", [[command.arguments]] #1")
        assertError("[[test]]\ncommand = \"ls\"\nexpect = \"allow\"\ndecision = \"allow\"\n", 4, 1,
                    "unknown key \"decision\" in [[test]] #1")
        assertError("[environment]\nset = { PAGER = \"cat\", \"X-Y\" = \"1\" }\n", 2, 24, "\"X-Y\" is not a variable name")
    }

    func testWrongTypes() {
        assertError("[policy]\nname = 5\n", 2, 8, "policy.name must be a string, not an integer")
        assertError("[policy]\npath = \"/usr/bin\"\n", 2, 8, "policy.path must be an array of strings")
        assertError("[policy]\npath = [\"/bin\", 3]\n", 2, 17, "each entry of policy.path must be a string")
        assertError("policy = \"x\"\n", 1, 10, "[policy] must be a table, not a string")
        assertError("[command]\nname = \"ls\"\n", 1, 1, "command must be an array of tables")
        assertError("[environment]\nset = [\"PAGER=cat\"]\n", 2, 7, "environment.set")
        assertError("[environment]\nset = { PAGER = 1 }\n", 2, 17, "must be a string, not an integer")
        assertError("[paths]\nwrite = [\n  \"/tmp\",\n  true,\n]\n", 4, 3, "must be a string, not a boolean")
        assertError("[[command]]\nname = \"ls\"\ndecision = true\n", 3, 12, "must be a string, not a boolean")
    }

    func testInvalidVerdicts() {
        assertError("[policy]\ndefault = \"Deny\"\n", 2, 11, "invalid verdict \"Deny\"; use \"allow\", \"ask\" or \"deny\"")
        assertError("[paths]\noutside = \"block\"\n", 2, 11, "paths.outside: invalid verdict")
        assertError("[network]\noutside = \"\"\n", 2, 11, "network.outside: invalid verdict")
        assertError("[[command]]\nname = \"ls\"\ndecision = \"yes\"\n", 3, 12, "[[command]] \"ls\": decision: invalid verdict \"yes\"")
        assertError("[[command]]\nname = \"python3\"\ndecision = \"allow\"\ninline_code = \"no\"\n", 4, 15, "inline_code: invalid verdict")
        assertError("[[test]]\ncommand = \"ls\"\nexpect = \"allowed\"\n", 3, 10, "expect: invalid verdict")
    }

    func testCommandErrors() {
        assertError("[[command]]\nname = \"a\"\ndecision = \"allow\"\n\n[[command]]\nnames = [\"b\"]\nid = \"a\"\ndecision = \"deny\"\n",
                    7, 6, "duplicate rule id \"a\" (first defined at p.toml:1:1)")
        assertError("[[command]]\nname = \"ls\"\ndecision = \"allow\"\n[[command]]\nname = \"ls\"\ndecision = \"deny\"\n",
                    4, 1, "duplicate rule id \"ls\"")
        assertError("[[command]]\ndecision = \"allow\"\n", 1, 1, "[[command]] \"#1\" has no names")
        assertError("[[command]]\nnames = []\ndecision = \"allow\"\n", 2, 9, "names is empty")
        assertError("[[command]]\nname = \"ls\"\nnames = [\"ls\"]\ndecision = \"allow\"\n", 3, 1, "both name and names")
        assertError("[[command]]\nname = \"ls\"\n", 1, 1, "has no decision")
        assertError("[[command]]\nnames = [\"ls\", \"bin/ls\"]\ndecision = \"allow\"\n", 2, 16,
                    "name \"bin/ls\" is neither a plain command name (no \"/\") nor an absolute path")
        assertError("[[command]]\nname = \"./ls\"\ndecision = \"allow\"\n", 2, 8, "neither a plain command name")
        assertError("[[command]]\nname = \"py*\"\ndecision = \"allow\"\n", 2, 8, "glob")
        assertError("[[command]]\nname = \"ls\"\ndecision = \"allow\"\nsha256 = \"abc\"\n", 4, 10,
                    "sha256 must be 64 hexadecimal digits (got 3 characters)")
        assertError("[[command]]\nname = \"ls\"\ndecision = \"allow\"\nsha256 = \"\(String(repeating: "g", count: 64))\"\n", 4, 10,
                    "sha256 must be 64 hexadecimal digits")
        assertError("[[command]]\nname = \"rm\"\ndecision = \"allow\"\ndeny_options = [\"-r\", \"recursive\"]\n", 4, 23,
                    "\"recursive\" is not an option")
        assertError("[[command]]\nname = \"rm\"\ndecision = \"allow\"\nask_options = [\"--x=1\"]\n", 4, 16, "contains \"=\"")
        assertError("[[command]]\nid = \"has space\"\nname = \"rm\"\ndecision = \"allow\"\n", 2, 6, "no spaces")
    }

    func testArgumentRuleErrors() {
        let head = "[[command]]\nname = \"git\"\ndecision = \"allow\"\n"
        assertError(head + "  [[command.arguments]]\n  pattern = \"\"\n  decision = \"ask\"\n", 5, 13, "pattern is empty")
        assertError(head + "  [[command.arguments]]\n  pattern = \"   \"\n  decision = \"ask\"\n", 5, 13, "pattern is empty")
        assertError(head + "  [[command.arguments]]\n  decision = \"ask\"\n", 4, 3, "has no pattern")
        assertError(head + "  [[command.arguments]]\n  pattern = \"push\"\n", 4, 3, "#1 has no decision")
        assertError(head + "  [[command.arguments]]\n  pattern = \"a\"\n  decision = \"ask\"\n  [[command.arguments]]\n  pattern = \"b\"\n  decision = \"maybe\"\n",
                    9, 14, "[[command.arguments]] #2: decision: invalid verdict \"maybe\"")
        assertError(head + "  [[command.arguments]]\n  pattern = \"a\"\n  decision = \"ask\"\n  id = \"git\"\n", 7, 8,
                    "duplicate rule id \"git\"")
        // The second command's arguments are counted from 1 again (the locator tracks occurrences).
        assertError(head + "  [[command.arguments]]\n  pattern = \"a\"\n  decision = \"ask\"\n"
                    + "[[command]]\nname = \"hg\"\ndecision = \"allow\"\n  [[command.arguments]]\n  pattern = \"a\"\n  decision = \"ask\"\n"
                    + "  [[command.arguments]]\n  pattern = \"\"\n  decision = \"ask\"\n", 14, 13,
                    "[[command]] \"hg\", [[command.arguments]] #2: pattern is empty")
        assertError(head + "arguments = \"push\"\n", 4, 1, "must be an array of tables")
    }

    func testPolicyPathAndWorkspace() {
        assertError("[policy]\npath = [\"/usr/bin\", \"bin\"]\n", 2, 21, "\"bin\" is not an absolute directory")
        assertError("[policy]\nworkspace = \"/w\"\npath = [\"$WORKSPACE/bin\"]\n", 3, 9, "is not expanded here")
        assertError("[policy]\nworkspace = \"work\"\n", 2, 13, "must be an absolute directory")
        assertError("[policy]\nworkspace = \"/a/../b\"\n", 2, 13, ". or .. components")
    }

    func testPathPatternErrors() {
        assertError("[paths]\nwrite = [\"/tmp\", \"work\"]\n", 2, 18, "paths.write: \"work\" is relative; path patterns start with /, ~ or $WORKSPACE")
        assertError("[paths]\nwrite = [\"$WORKSPACE\"]\n", 2, 10, "uses $WORKSPACE but [policy] sets no workspace")
        assertError("[paths]\nread = [\"~root/x\"]\n", 2, 9, "~user")
        assertError("[paths]\ndeny = [\"$HOME/.ssh\"]\n", 2, 9, "only $WORKSPACE is expanded")
        assertError("[paths]\ndeny = [\"/a/$X\"]\n", 2, 9, "contains \"$\"")
        assertError("[paths]\ndeny = [\"/a/../b\"]\n", 2, 9, ". or .. components")
        assertError("[paths]\ndeny = [\"/a/b**\"]\n", 2, 9, "** must be a whole component")
        assertError("[paths]\ndeny = [\"\"]\n", 2, 9, "is empty")
        assertError("[policy]\nworkspace = \"/w\"\n[[test]]\ncommand = \"ls\"\nexpect = \"allow\"\ncwd = \"w\"\n", 6, 7, "cwd \"w\" is relative")
    }

    func testHostPatternErrors() {
        let cases: [(String, String)] = [
            ("*", "would match every host"),
            ("*.", "nothing after \"*.\""),
            ("https://pypi.org", "scheme"),
            ("pypi.org/simple", "path"),
            ("foo.*.com", "\"*\" other than as a leading"),
            ("*foo.com", "\"*\" other than as a leading"),
            ("pypi.org:443", "port"),
            ("a..b", "empty label"),
            ("pypi.org.", "trailing dot"),
            ("", "is empty"),
            (".", "nothing after"),
            ("exa mple.com", "invalid character"),
        ]
        for (host, msg) in cases {
            assertError("[network]\nallow = [\"ok.org\", \"\(host)\"]\n", 2, 20, msg)
        }
        assertError("[network]\ndeny = [\"*\"]\n", 2, 9, "network.deny")
    }

    func testEnvironmentErrors() {
        assertError("[environment]\ndeny = [\"LD_*\", \"1X\"]\n", 2, 17, "is not a variable name")
        assertError("[environment]\npass = [\"A*B\"]\n", 2, 9, "\"*\" other than at the end")
        assertError("[environment]\nset = { \"LD_*\" = \"x\" }\n", 2, 9, "set needs exact names")
        assertError("[environment]\ndeny = [\"LD_*\"]\nset = { LD_PRELOAD = \"x\" }\n", 3, 9, "also denied")
    }

    func testTestErrors() {
        assertError("[[test]]\nexpect = \"allow\"\n", 1, 1, "[[test]] #1 has no command")
        assertError("[[test]]\ncommand = \"ls\"\n", 1, 1, "[[test]] #1 has no expect")
        assertError("[[test]]\ncommand = \"ls\"\nexpect = \"deny\"\n\n[[test]]\ncommand = \"\"\nexpect = \"deny\"\n", 6, 11, "[[test]] #2: command is empty")
        assertError("test = [1]\n", 1, 9, "each test entry must be a table")
    }

    func testFirstProblemInFileOrderAndAllReported() {
        let text = "[network]\nallow = [\"*\"]\n[policy]\ndefault = \"nope\"\nzzz = 1\n"
        assertError(text, 2, 10, "network.allow")
        let all = policyProblems(text, file: "p.toml")
        XCTAssertEqual(all.map(\.location.line), [2, 4, 5])
    }

    func testDescription() {
        let e = PolicyLoadError(file: "/etc/aegish/p.toml", line: 3, column: 7, "bad")
        XCTAssertEqual(e.description, "/etc/aegish/p.toml:3:7: bad")
        XCTAssertEqual(PolicyLoadError(file: "f", line: 0, column: 0, "unreadable").description, "f: unreadable")
    }

    // MARK: The example policy

    static let repoRoot: String = {
        var p = "\(#filePath)"
        for _ in 0..<3 { p = String(p[..<p.lastIndex(of: "/")!]) }
        return p
    }()

    func testManPageExampleLoads() throws {
        let path = LoadTests.repoRoot + "/man/aegish-allowlist.5"
        guard let roff = readTextFile(path) else { return XCTFail("cannot read \(path)") }
        guard let start = roff.range(of: ".SH EXAMPLE\n.EX\n"), let end = roff.range(of: "\n.EE\n", range: start.upperBound..<roff.endIndex) else {
            return XCTFail("no EXAMPLE section")
        }
        let text = roff[start.upperBound..<end.lowerBound].replacingOccurrences(of: "\\-", with: "-")
        let p = try parsePolicy(text, file: "man")
        XCTAssertEqual(p.commands.map(\.id), ["git", "privilege"])
        XCTAssertEqual(p.commands[0].arguments.first?.id, "git:1")
        XCTAssertEqual(p.tests.last?.rule, "git:1")
        XCTAssertEqual(p.commands[0].optionsWithValue, ["-C", "-c", "--git-dir", "--work-tree"])
        XCTAssertEqual(p.audit?.redactPatterns, AuditConfig.defaultRedactPatterns + ["(?i)x-internal-key: *([^ ]+)"])
        XCTAssertEqual(p.limits?.classes.map(\.id), ["delete"])
    }

    func testExamplePolicyLoads() throws {
        let path = LoadTests.repoRoot + "/allowlist.example.toml"
        guard let text = readTextFile(path) else { return XCTFail("cannot read \(path)") }
        let problems = policyProblems(text, file: path)
        XCTAssertEqual(problems.map(\.description), [])
        let p = try parsePolicy(text, file: path)
        XCTAssertEqual(p.defaultVerdict, .deny)
        XCTAssertEqual(p.workspace, "/work")
        XCTAssertGreaterThanOrEqual(p.tests.count, 15)
        XCTAssertTrue(p.commands.contains { $0.names.contains("git") })
        XCTAssertTrue(p.tests.allSatisfy { $0.location != nil })
        let verdicts = Set(p.tests.map(\.expect))
        XCTAssertEqual(verdicts, [.allow, .ask, .deny])
    }
}
