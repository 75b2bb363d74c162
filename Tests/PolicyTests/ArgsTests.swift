import PolicyTestSupport
import XCTest
@testable import Policy

final class ArgsTests: PolicyTestCase {
    private func w(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }
    private func spellings(_ o: [ParsedOption]) -> [String] { o.map { x in x.value.map { "\(x.spelling)=\($0)" } ?? x.spelling } }

    func testParseClustersValuesAndOperands() {
        let cases: [(String, Set<String>, Bool, [String], [String], Int?)] = [
            ("-rf x", [], false, ["-r", "-f"], ["x"], 1),
            ("-fr x", [], false, ["-f", "-r"], ["x"], 1),
            ("-r -f", [], false, ["-r", "-f"], [], nil),
            ("--recursive --force x", [], false, ["--recursive", "--force"], ["x"], 2),
            ("x -rf", [], false, ["-r", "-f"], ["x"], 0),
            ("-- -rf", [], false, [], ["-rf"], 1),
            ("- -r", [], false, ["-r"], ["-"], 0),
            ("-xzf a.tgz", ["-f"], false, ["-x", "-z", "-f=a.tgz"], [], nil),
            ("-xzfa.tgz b", ["-f"], false, ["-x", "-z", "-f=a.tgz"], ["b"], 1),
            ("-xC dir y", ["-C"], false, ["-x", "-C=dir"], ["y"], 2),
            ("-Cdir", ["-C"], false, ["-C=dir"], [], nil),
            ("--git-dir x push", ["--git-dir"], true, ["--git-dir=x"], ["push"], 2),
            ("--git-dir=x push", ["--git-dir"], true, ["--git-dir=x"], ["push"], 1),
            ("--git-d x push", ["--git-dir="], true, ["--git-d=x"], ["push"], 2),
            ("-c x=y push --force", ["-c"], true, ["-c=x=y"], ["push", "--force"], 2),
            ("-C dir -c a=b push -f origin", ["-C", "-c"], true, ["-C=dir", "-c=a=b"], ["push", "-f", "origin"], 4),
            ("-C", ["-C"], false, ["-C"], [], nil),
            ("-name x -exec", ["-name"], false, ["-name=x", "-e", "-x", "-e", "-c"], [], nil),
            ("--force=yes x", [], false, ["--force=yes"], ["x"], 1),
            ("-e -rf x", ["-e"], false, ["-e=-rf"], ["x"], 2),
        ]
        for (line, wv, stop, opts, ops, first) in cases {
            let p = parseArguments(w(line), withValue: wv, stopAtFirstOperand: stop)
            XCTAssertEqual(spellings(p.options), opts, line)
            XCTAssertEqual(p.operands, ops, line)
            XCTAssertEqual(p.firstOperandIndex, first, line)
        }
    }

    func testParseIndices() {
        let p = parseArguments(["-rf", "x", "-v"], withValue: [], stopAtFirstOperand: false)
        XCTAssertEqual(p.options.map(\.index), [0, 0, 2])
    }

    func testOptionMatches() {
        let yes: [(String, String?, String)] = [
            ("-r", nil, "-r"), ("--force", nil, "--force"), ("--forc", nil, "--force"), ("--f", nil, "--force"),
            ("--force", "yes", "--force"), ("--forc", "x", "--force"), ("-rf", nil, "-r"), ("-rf", nil, "-f"),
            ("-rf", nil, "-rf"), ("-fr", nil, "-rf"), ("-rfv", nil, "-rf"), ("--force", "yes", "--force=yes"),
            ("--output", "/etc/x", "--output=/etc/*"), ("-exec", nil, "-exec"), ("+x", nil, "+x"),
        ]
        for (sp, v, rule) in yes {
            XCTAssertTrue(optionMatches(ParsedOption(spelling: sp, value: v, index: 0), rule: rule), "\(sp) ~ \(rule)")
        }
        let no: [(String, String?, String)] = [
            ("-R", nil, "-r"), ("-r", nil, "-R"), ("--force-with-lease", nil, "--force"), ("--", nil, "--force"),
            ("--force", "no", "--force=yes"), ("--force", nil, "--force=yes"), ("-r", nil, "-rf"),
            ("--recursive", nil, "--force"), ("-f", nil, "--force"), ("--fx", nil, "--force"),
        ]
        for (sp, v, rule) in no {
            XCTAssertFalse(optionMatches(ParsedOption(spelling: sp, value: v, index: 0), rule: rule), "\(sp) !~ \(rule)")
        }
    }

    func testMatchingOptions() {
        let rules = ["-r", "-R", "--recursive", "-f", "--force"]
        let cases: [(String, [String])] = [
            ("-rf x", ["-r", "-f"]),
            ("-fr x", ["-f", "-r"]),
            ("-r -f x", ["-r", "-f"]),
            ("--recursive --force x", ["--recursive", "--force"]),
            ("--recur --forc x", ["--recur", "--forc"]),
            ("--force=yes x", ["--force=yes"]),
            ("-Rf x", ["-R", "-f"]),
            ("x -rf", ["-r", "-f"]),
            ("-- -rf", []),
            ("x -- -rf", []),
            ("-v x", []),
            ("-i x", []),
            ("-vir x", ["-r"]),
        ]
        for (line, expect) in cases {
            XCTAssertEqual(spellings(matchingOptions(w(line), rules: rules, withValue: [])), expect, line)
        }
        // Case matters: -R is not -r.
        XCTAssertEqual(spellings(matchingOptions(w("-R x"), rules: ["-r"], withValue: [])), [])
        // Cluster rule across separate options.
        XCTAssertEqual(spellings(matchingOptions(w("-r x -f"), rules: ["-rf"], withValue: [])), ["-r", "-f"])
        XCTAssertEqual(spellings(matchingOptions(w("-r x"), rules: ["-rf"], withValue: [])), [])
        // Values are not options: `grep -e -rf` has no -r.
        XCTAssertEqual(spellings(matchingOptions(w("-e -rf x"), rules: ["-r"], withValue: ["-e"])), [])
        // Attached value letters are not options: tar -xzfr.tgz has no -r.
        XCTAssertEqual(spellings(matchingOptions(w("-xzfr.tgz"), rules: ["-r"], withValue: ["-f"])), [])
        // Go/find style single-dash long options.
        XCTAssertEqual(spellings(matchingOptions(w("-force x"), rules: ["--force"], withValue: [])), ["--force"])
        XCTAssertEqual(spellings(matchingOptions(w("-force=true x"), rules: ["--force"], withValue: [])), ["--force=true"])
        XCTAssertEqual(spellings(matchingOptions(w(". -name x -delete"), rules: ["-delete"], withValue: ["-name"])), ["-delete"])
        // git push: global options before the subcommand are parsed too (permutation).
        XCTAssertEqual(spellings(matchingOptions(w("push --force-with-lease origin"), rules: ["--force"], withValue: [])), [])
        XCTAssertEqual(spellings(matchingOptions(w("push origin +main -f"), rules: ["--force", "-f"], withValue: [])), ["-f"])
    }

    func testArgumentPatterns() {
        let cases: [(String, String, Bool)] = [
            ("push *", "push", true),
            ("push *", "push origin main", true),
            ("push *", "pull", false),
            ("push", "push origin", false),
            ("push", "push", true),
            ("reset --hard*", "reset --hard", true),
            ("reset --hard*", "reset --hard=HEAD", true),
            ("reset --hard*", "reset", false),
            ("reset --hard*", "reset --hard HEAD", false),
            ("reset --hard *", "reset --hard HEAD", true),
            ("reset --hard *", "reset --hard", true),
            ("*", "", true),
            ("*", "a b c", true),
            ("", "", true),
            ("", "a", false),
            ("?ush *", "push x", true),
            ("[pP]ush", "Push", true),
            ("[!p]ush", "push", false),
            ("a\\*", "a*", true),
            ("a\\*", "ab", false),
            ("commit  -m *", "commit -m x", true),
            ("* --force", "push --force", true),
            ("* --force", "--force", false),
            ("*/x", "a/b/x", true),
        ]
        for (p, a, expect) in cases {
            XCTAssertEqual(argumentsMatch(p, a.isEmpty ? [] : w(a)), expect, "\(p) vs \(a)")
        }
        XCTAssertTrue(argumentsMatch("commit -m hello\\ world", ["commit", "-m", "hello world"]))
    }

    func testCommandArguments() {
        let wv: Set<String> = ["-c", "-C", "--git-dir", "--work-tree"]
        XCTAssertEqual(commandArguments(w("-c x=y -C dir push --force"), withValue: wv), ["push", "--force"])
        XCTAssertEqual(commandArguments(w("--git-dir=x push"), withValue: wv), ["push"])
        XCTAssertEqual(commandArguments(w("--git-dir x push -f"), withValue: wv), ["push", "-f"])
        XCTAssertEqual(commandArguments(w("--no-pager log -p"), withValue: wv), ["log", "-p"])
        XCTAssertEqual(commandArguments(w("-c x=y"), withValue: wv), [])
        XCTAssertEqual(commandArguments(w("-- push"), withValue: wv), ["push"])
        XCTAssertEqual(commandArguments([], withValue: wv), [])
        XCTAssertTrue(argumentsMatch("push *", commandArguments(w("-C dir -c a=b push -f origin"), withValue: wv)))
    }
}
