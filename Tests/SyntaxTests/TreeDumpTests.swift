import XCTest
@testable import Syntax

/// `shellText` and `treeDump` (TreeDump.swift), used by `aegishctl explain`.
final class TreeDumpTests: XCTestCase {
    let inputs = [
        "ls -la", "a && b || ! c | d", "echo 'it''s' \"$HOME/x\" ${x:-default} $(date) $((1 + 2))",
        "if test -f x; then cat x; elif true; then :; else echo no; fi",
        "for f in *.py; do python3 \"$f\" > \"out/$f.log\" 2>&1; done",
        "while read -r l; do echo \"$l\"; done < in.txt", "case $x in a|b) echo ab ;; *) echo other ;; esac",
        "f() { rm -r build; }", "( cd sub && make ) &", "[[ -n $x && $y == a* ]]", "for ((i = 0; i < 3; i++)); do :; done",
        "x=1 y=\"two words\" env", "cat <<-EOF\n\tline $x\n\tEOF\n", "echo ~ ~root/x", "echo \"a\\\"b\\$c\"",
    ]

    /// Printing is stable: the printed text parses to a tree that prints the same.
    func testShellTextIsAFixedPoint() throws {
        for src in inputs {
            let once = shellText(try parseCompleteInput(src).script)
            let twice = shellText(try parseCompleteInput(once).script)
            XCTAssertEqual(once, twice, src)
        }
    }

    func testShellTextOfWords() throws {
        let s = try parseCompleteInput("echo 'a b' \"$x\" ${y%.c} $(ls -1) ~/d").script
        guard case .simple(let sc) = s.items[0].andOr.first.commands[0] else { return XCTFail() }
        XCTAssertEqual(sc.words.map(shellText), ["echo", "'a b'", "\"$x\"", "${y%.c}", "$(ls -1)", "~/d"])
    }

    func testTreeDumpShowsNodesWithPositions() throws {
        let dump = treeDump(try parseCompleteInput("for f in *.py; do python3 \"$f\" > out.log; done\necho $(rm x)").script)
        XCTAssertTrue(dump.contains("1:1 for f in\n"), dump)
        XCTAssertTrue(dump.contains("    1:19 simple command: python3 \"$f\" > out.log\n"), dump)
        XCTAssertTrue(dump.contains("parameter $f (known only when it runs)"), dump)
        XCTAssertTrue(dump.contains("redirection 1:32 > out.log"), dump)
        XCTAssertTrue(dump.contains("2:1 simple command: echo $(rm x)"), dump)
        XCTAssertTrue(dump.contains("command substitution $(…)"), dump)
        XCTAssertTrue(dump.contains("2:8 simple command: rm x"), dump)
    }
}
