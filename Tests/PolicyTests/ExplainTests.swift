import PolicyTestSupport
import XCTest
import Glibc
import Syntax
@testable import Policy

/// The explain trace (Trace.swift): recorded by the decision code itself, so it must never change
/// a decision, and it must show the rules, patterns, files and hosts that made one.
final class ExplainTests: PolicyTestCase {
    var ws = ""
    var engine: PolicyEngine!

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-explain-XXXXXX".utf8CString)
        ws = String(cString: mkdtemp(&t)!)
        var p = Policy()
        p.searchPath = ["/usr/bin", "/bin"]
        p.workspace = ws
        p.paths.write = ["$WORKSPACE"]
        p.paths.deny = ["~/.ssh"]
        p.network.allow = ["pypi.org"]
        var git = CommandRule(id: "git", names: ["git"], verdict: .allow)
        git.arguments = [ArgumentRule(pattern: "push *", verdict: .ask, id: "git-push"),
                         ArgumentRule(pattern: "status", verdict: .allow, id: "git-status")]
        var rm = CommandRule(id: "rm", names: ["rm"], verdict: .allow)
        rm.denyOptions = ["--no-preserve-root"]
        p.commands = [git, rm,
                      CommandRule(id: "ls", names: ["ls", "cat", "echo"], verdict: .allow),
                      CommandRule(id: "curl", names: ["curl"], verdict: .allow),
                      CommandRule(id: "env", names: ["env"], verdict: .allow)]
        engine = try PolicyEngine(policy: p, home: "/home/agent", governedUID: 65534)
    }

    override func tearDown() { _ = system("rm -rf '\(ws)'") }

    func analyse(_ text: String, env: [String: String] = [:], trace: DecisionTrace? = nil) throws -> StaticAnalysis {
        analyze(try parseCompleteInput(text).script, engine: engine, cwd: ws, home: "/home/agent",
                environment: env, trace: trace)
    }

    func testTracingNeverChangesADecision() throws {
        let scripts = [
            "git push origin main", "git status", "rm -rf --no-preserve-root /", "cat ~/.ssh/id_rsa",
            "curl -o out.html https://pypi.org/simple/", "curl https://evil.example/x",
            "env FOO=1 git push", "for f in *.txt; do cat \"$f\" > \"$f.bak\"; done",
            "f() { rm -r build; }; f", "echo $(git push) > /etc/x", "x=1; eval \"rm $x\"",
            "cat <<EOF > notes.txt\n$(rm -rf /)\nEOF\n", "sudo ls", "$CMD arg",
        ]
        for s in scripts {
            let plain = try analyse(s)
            let trace = DecisionTrace()
            let traced = try analyse(s, trace: trace)
            XCTAssertEqual(plain.findings.map(\.decision), traced.findings.map(\.decision), s)
            XCTAssertEqual(plain.decision, traced.decision, s)
            XCTAssertFalse(trace.steps.isEmpty, s)
            // Every finding is in the trace, in order.
            XCTAssertEqual(trace.steps.filter { $0.kind == .finding }.compactMap(\.decision), plain.findings.map(\.decision), s)
        }
        XCTAssertNil(engine.trace, "the analysis restores the engine's trace")
    }

    func testLoopsOverKnownWordsAreDecidedPerValue() throws {
        func verdict(_ s: String) throws -> Verdict { try analyse(s).decision.verdict }
        // Each value decided: all inside the workspace, or one outside it.
        XCTAssertEqual(try verdict("for f in a.txt b.txt; do rm $f; done"), .allow)
        XCTAssertEqual(try verdict("for i in {1..3}; do cat part$i.txt; done"), .allow)
        XCTAssertEqual(try verdict("for f in a.txt /etc/passwd; do rm \"$f\"; done"), .deny)
        XCTAssertEqual(try verdict("for f in /etc/passwd; do sh -c \"rm $f\"; done"), .deny, "expanded before the nested shell")
        // Not known: a glob, a body that may change the variable, a nested shell's own $f (the
        // loop variable is not exported), a function that could change it, too many values.
        XCTAssertEqual(try verdict("for f in *.txt; do rm $f; done"), .ask)
        XCTAssertEqual(try verdict("for f in a b; do f=/etc/passwd; rm $f; done"), .ask)
        XCTAssertEqual(try verdict("for f in a b; do read f; rm $f; done"), .ask)
        XCTAssertEqual(try verdict("for f in a.txt; do sh -c 'rm $f'; done"), .ask)
        XCTAssertEqual(try verdict("g() { f=/etc/passwd; }; for f in a.txt; do g; rm $f; done"), .ask)
        XCTAssertEqual(try verdict("for i in {1..65}; do cat part$i.txt; done"), .ask)
        XCTAssertEqual(try verdict("for i in {1..64}; do cat part$i.txt; done"), .allow)
        // After the loop the variable is unknown again; findings the values share appear once.
        XCTAssertEqual(try verdict("for f in a.txt; do :; done; rm $f"), .ask)
        XCTAssertEqual(try analyse("for f in a b c; do git push; done").findings.count, 1)
        XCTAssertEqual(try analyse("for f in a.txt /etc/x; do rm $f; done").findings.count, 2)
    }

    func testTraceShowsRulesPatternsAndTheDecision() throws {
        let t = DecisionTrace()
        let a = try analyse("git push origin main", trace: t)
        XCTAssertEqual(a.decision.verdict, .ask)
        let kinds = t.steps.map(\.kind)
        XCTAssertEqual(kinds.first, .command)
        XCTAssertTrue(t.steps.contains { $0.kind == .program && $0.note.hasSuffix("/git") })
        XCTAssertTrue(t.steps.contains { $0.kind == .rule && $0.subject == "git" && $0.decision?.verdict == .allow })
        let patterns = t.steps.filter { $0.kind == .pattern }
        XCTAssertEqual(patterns.count, 2, "every pattern of the rule is reported, matching or not")
        XCTAssertTrue(patterns[0].subject.contains("push *") && patterns[0].note.hasPrefix("matches"))
        XCTAssertTrue(patterns[1].subject.contains("status") && patterns[1].note.hasPrefix("does not match"))
        XCTAssertEqual(t.steps.last(where: { $0.kind == .decision })?.decision?.ruleID, "git-push")
    }

    func testTraceShowsFilesHostsOptionsAndInnerCommands() throws {
        let t = DecisionTrace()
        _ = try analyse("curl -o page.html https://pypi.org/simple/ && rm -rf --no-preserve-root / ; env A=1 git push", trace: t)
        let path = t.steps.first { $0.kind == .path && $0.subject == "page.html" }
        XCTAssertEqual(path?.note, "write \(canonicalPath(ws, cwd: "/"))/page.html")
        XCTAssertEqual(path?.decision?.verdict, .allow)
        let host = t.steps.first { $0.kind == .host }
        XCTAssertEqual(host?.subject, "pypi.org")
        XCTAssertEqual(host?.decision?.ruleID, "network.allow")
        XCTAssertTrue(t.steps.contains { $0.kind == .option && $0.subject == "--no-preserve-root" })
        let inner = try XCTUnwrap(t.steps.firstIndex { $0.kind == .inner })
        XCTAssertEqual(t.steps[inner].subject, "A=1 git push")
        // The inner command is decided one level deeper.
        let innerDecision = try XCTUnwrap(t.steps[inner...].first { $0.kind == .decision })
        XCTAssertEqual(innerDecision.depth, t.steps[inner].depth + 1)
        XCTAssertEqual(innerDecision.decision?.verdict, .ask)
    }

    func testTraceShowsExpansionsAndRedirections() throws {
        let t = DecisionTrace()
        _ = try analyse("cat ~/notes \"$X\" > out.txt", trace: t)
        let words = t.steps.filter { $0.kind == .expansion }
        XCTAssertEqual(words.map(\.subject), ["~/notes", "\"$X\""])
        XCTAssertEqual(words[0].note, "→ /home/agent/notes")
        XCTAssertTrue(words[1].note.hasPrefix("known only when it runs"), words[1].note)
        XCTAssertTrue(t.steps.contains { $0.kind == .command && $0.subject == "> out.txt" })
    }

    // MARK: --env

    func testEnvironmentIsUsedWhereTheScriptCannotChangeIt() throws {
        let env = ["D": "src", "HOME": "/home/agent", "PWD": "/elsewhere", "SPACE": "a b"]
        XCTAssertEqual(try analyse("ls $D", env: env).findings.first?.what, "ls src")
        XCTAssertEqual(try analyse("cat \"$HOME/.ssh/id_rsa\"", env: env).decision.ruleID, "paths.deny")
        XCTAssertEqual(try analyse("cat \"$HOME/.ssh/id_rsa\"").decision.verdict, .ask, "unknown without --env")
        // Unquoted values that would be split or globbed stay unknown; quoted ones do not.
        XCTAssertEqual(try analyse("ls $SPACE", env: env).decision.verdict, .ask)
        XCTAssertEqual(try analyse("ls \"$SPACE\"", env: env).findings.first?.what, "ls a b")
        // The shell's own variables never come from the environment.
        XCTAssertEqual(try analyse("ls \"$PWD\"", env: env).decision.verdict, .ask)
    }

    func testVariablesTheScriptMayChangeAreUnknown() {
        let env = ["D": "src"]
        for s in ["D=x; ls $D", "for D in a b; do ls $D; done", "read D; ls $D", "export D=/etc; ls $D",
                  "ls ${D:=x}", "(( D++ )); ls $D", "eval 'D=/etc'; ls $D", "sh -c 'D=1'; ls $D",
                  ". ./vars.sh; ls $D", "unset D; ls $D", "f() { local D=/; }; ls $D", "IFS=/; ls $D"] {
            let script = try! parseCompleteInput(s).script
            XCTAssertNil(knownEnvironment(env, script: script)["D"], s)
        }
        XCTAssertEqual(knownEnvironment(env, script: try! parseCompleteInput("ls $D; echo DD=1").script)["D"], "src")
    }

    // MARK: lint

    func testPatternCoverage() {
        XCTAssertTrue(patternCovers("push *", "push origin"))
        XCTAssertTrue(patternCovers("push *", "push origin *"))
        XCTAssertTrue(patternCovers("*", "status"))
        XCTAssertTrue(patternCovers("push *", "push *"))
        XCTAssertFalse(patternCovers("push origin", "push *"))
        XCTAssertFalse(patternCovers("push", "push origin"))
        XCTAssertFalse(patternCovers("reset --hard*", "reset"))
        XCTAssertTrue(patternCovers("reset --hard*", "reset --hard HEAD"))
    }

    func testLintFindsTheProblemsItIsFor() throws {
        let text = """
            [policy]
            name = "lint"
            default = "allow"
            path = ["/usr/bin", "/tmp"]
            workspace = "\(ws)"

            [paths]
            write = ["~", "$WORKSPACE"]
            outside = "allow"

            [network]
            allow = ["*.com", "pypi.org", ".github.io"]
            outside = "allow"

            [[command]]
            id = "git"
            name = "git"
            decision = "allow"
              [[command.arguments]]
              id = "push-any"
              pattern = "push *"
              decision = "deny"
              [[command.arguments]]
              id = "push-origin"
              pattern = "push origin main"
              decision = "allow"

            [[command]]
            id = "shells"
            names = ["bash", "python3", "env", "make", "no-such-program-here"]
            decision = "allow"
            """
        let policy = try parsePolicy(text, file: "lint.toml")
        let e = try PolicyEngine(policy: policy, home: "/home/agent", governedUID: 65534)
        let warnings = lintPolicy(e, text: text)
        let codes = Set(warnings.map(\.code))
        for c in ["W001", "W002", "W003", "W004", "W005", "W006", "W007", "W008", "W009", "W010", "W011", "W012", "W014"] {
            XCTAssertTrue(codes.contains(c), "\(c) missing: \(warnings.map { "\($0.code) \($0.message)" })")
        }
        let shadow = try XCTUnwrap(warnings.first { $0.code == "W002" })
        XCTAssertEqual(shadow.location.line, 23, "located at the shadowed [[command.arguments]]")
        XCTAssertTrue(shadow.message.contains("push origin main"))
        let broad = warnings.filter { $0.code == "W008" }
        XCTAssertEqual(broad.count, 2, "*.com and .github.io, not pypi.org")
        XCTAssertEqual(broad.first?.location.line, 12)
        XCTAssertEqual(warnings.first { $0.code == "W001" }?.message.contains("no-such-program-here"), true)
        XCTAssertTrue(warnings.allSatisfy { !$0.advice.isEmpty })
    }

    func testLintIsQuietOnATightPolicy() throws {
        let text = """
            [policy]
            name = "tight"
            path = ["/usr/bin"]
            workspace = "\(ws)"
            [paths]
            write = ["$WORKSPACE"]
            [network]
            allow = ["pypi.org"]
            [[command]]
            id = "ls"
            names = ["ls", "cat"]
            decision = "allow"
            """
        let e = try PolicyEngine(policy: try parsePolicy(text, file: "t.toml"), home: "/home/agent", governedUID: 65534)
        // Only the missing [audit] (the loader on this branch has no [audit] table yet, or it has one).
        XCTAssertEqual(lintPolicy(e, text: text).map(\.code).filter { $0 != "W012" }, [])
    }

    func testCasesCarryUserAndEnvironment() throws {
        let cases = try parsePolicyCases("""
            [[case]]
            command = "ls $D"
            expect = "allow"
            user = "nobody"
            env = { D = "src", HOME = "/home/x" }
            """, file: "c.toml")
        XCTAssertEqual(cases[0].user, "nobody")
        XCTAssertEqual(cases[0].env, ["D": "src", "HOME": "/home/x"])
        XCTAssertThrowsError(try parsePolicyCases("[[case]]\ncommand = \"x\"\nexpect = \"allow\"\nenv = 3\n", file: "c.toml"))
    }
}
