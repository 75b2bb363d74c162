import PolicyTestSupport
import XCTest
@testable import Policy

/// The cases files of `aegishctl test` (ReportCases.swift).
final class CtlCasesTests: PolicyTestCase {
    func testReadsCasesWithLines() throws {
        let text = """
            # a suite
            [[case]]
            command = "ls -la"
            expect = "allow"
            rule = "read-only"

            [[case]]
            name = "push"
            command = "git push"
            expect = "ask"
            cwd = "$WORKSPACE/sub"
            """
        let cases = try parsePolicyCases(text, file: "s.toml")
        XCTAssertEqual(cases.count, 2)
        XCTAssertEqual(cases[0].name, "ls -la")
        XCTAssertEqual(cases[0].expect, .allow)
        XCTAssertEqual(cases[0].rule, "read-only")
        XCTAssertEqual(cases[0].location.line, 2)
        XCTAssertEqual(cases[1].name, "push")
        XCTAssertEqual(cases[1].expect, .ask)
        XCTAssertEqual(cases[1].cwd, "$WORKSPACE/sub")
        XCTAssertEqual(cases[1].location.line, 7)
        XCTAssertEqual(try parsePolicyCases("", file: "e.toml").count, 0)
    }

    func testProblemsAreReported() {
        func message(_ text: String) -> String {
            do { _ = try parsePolicyCases(text, file: "f.toml"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("[[case]]\ncommand = \"ls\"\nexpect = \"maybe\"\n").contains("f.toml:1:1: [[case]] #1: invalid expect \"maybe\""))
        XCTAssertTrue(message("[[case]]\ncommand = \"ls\"\n").contains("has no expect"))
        XCTAssertTrue(message("[[case]]\nexpect = \"deny\"\n").contains("has no command"))
        XCTAssertTrue(message("[[case]]\ncommand = \"ls\"\nexpect = \"deny\"\nverdict = \"x\"\n").contains("unknown key \"verdict\""))
        XCTAssertTrue(message("[[test]]\ncommand = \"ls\"\n").contains("unknown key \"test\""))
        XCTAssertTrue(message("[[case]\n").contains("invalid TOML"))
        XCTAssertTrue(message("[[case]]\ncommand = 1\nexpect = \"deny\"\n").contains("command must be a string"))
    }
}
