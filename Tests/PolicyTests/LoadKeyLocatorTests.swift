import PolicyTestSupport
import XCTest
@testable import Policy

final class LoadKeyLocatorTests: PolicyTestCase {
    func pos(_ text: String, _ path: TOMLPath, value: Bool = false) -> [Int]? {
        guard let p = KeyLocator(text: text).position(of: path, value: value) else { return nil }
        return [p.line, p.column]
    }

    func testHeadersAndArraysOfTables() {
        let text = """
        # comment [not.a.header]
        [policy]
        name = "x"  # trailing [comment]

        [[command]]
        name = "a"
          [[command.arguments]]
          pattern = "p1"
          [[command.arguments]]
          pattern = "p2"
        [[command]]
        name = "b"
          [[command.arguments]]
          pattern = "q1"
        """
        XCTAssertEqual(pos(text, [.key("policy")]), [2, 1])
        XCTAssertEqual(pos(text, [.key("policy"), .key("name")]), [3, 1])
        XCTAssertEqual(pos(text, [.key("policy"), .key("name")], value: true), [3, 8])
        XCTAssertEqual(pos(text, [.key("command"), .index(0)]), [5, 1])
        XCTAssertEqual(pos(text, [.key("command"), .index(0), .key("arguments"), .index(1), .key("pattern")]), [10, 3])
        XCTAssertEqual(pos(text, [.key("command"), .index(1), .key("arguments"), .index(0), .key("pattern")], value: true), [14, 13])
        // Not written: the nearest located ancestor.
        XCTAssertEqual(pos(text, [.key("command"), .index(1), .key("decision")]), [11, 1])
        XCTAssertNil(pos(text, [.key("network")]))
    }

    func testDottedQuotedAndInline() {
        let text = """
        a.b . "c.d" = 1
        'lit' = { x = [1, 2], "y z" = { w = 'q' } }
        [ "quoted header" . inner ]
        k = [
          "one",   # comment
          { m = "two" },
          [3, 4],
        ]
        s = \"\"\"
        multi [x]
        line = "no"\"\"\"
        after = 1.5
        d = 1979-05-27 07:32:00
        e = true
        """
        XCTAssertEqual(pos(text, [.key("a"), .key("b"), .key("c.d")]), [1, 1])
        XCTAssertEqual(pos(text, [.key("a"), .key("b"), .key("c.d")], value: true), [1, 15])
        XCTAssertEqual(pos(text, [.key("lit"), .key("x"), .index(1)], value: true), [2, 19])
        XCTAssertEqual(pos(text, [.key("lit"), .key("y z"), .key("w")]), [2, 33])
        XCTAssertEqual(pos(text, [.key("quoted header"), .key("inner"), .key("k"), .index(0)]), [5, 3])
        XCTAssertEqual(pos(text, [.key("quoted header"), .key("inner"), .key("k"), .index(1), .key("m")]), [6, 5])
        XCTAssertEqual(pos(text, [.key("quoted header"), .key("inner"), .key("k"), .index(2), .index(1)]), [7, 7])
        XCTAssertEqual(pos(text, [.key("quoted header"), .key("inner"), .key("after")]), [12, 1])
        XCTAssertNil(KeyLocator(text: text).position(of: [.key("quoted header"), .key("inner"), .key("line")], value: false)
            .flatMap { $0.line == 11 ? $0 : nil })
        XCTAssertEqual(pos(text, [.key("quoted header"), .key("inner"), .key("e")], value: true), [14, 5])
    }

    func testErrorsInTheExamplePointIntoIt() throws {
        let path = LoadTests.repoRoot + "/allowlist.example.toml"
        guard let text = readTextFile(path) else { return XCTFail("cannot read \(path)") }
        // Break the decision of the "shells" command and the last test; both are located.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let shells = lines.firstIndex(of: "id = \"shells\"") else { return XCTFail("no shells rule") }
        guard let decision = lines[shells...].firstIndex(where: { $0.hasPrefix("decision = ") }) else { return XCTFail() }
        var broken = lines
        broken[decision] = "decision = \"refuse\""
        let problems = policyProblems(broken.joined(separator: "\n"), file: "x.toml")
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.location.line, decision + 1)
        XCTAssertEqual(problems.first?.location.column, 12)
        XCTAssertEqual(problems.first?.message.hasPrefix("[[command]] \"shells\": decision: invalid verdict \"refuse\""), true)
    }
}
