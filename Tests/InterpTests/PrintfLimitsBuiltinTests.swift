// aegish's deliberate differences from bash's printf (bash's behaviour is recorded in
// PrintfBuiltinTests.swift, in the comment at its end).
import XCTest
@testable import Interp

final class PrintfLimitsBuiltinTests: XCTestCase {
    func check(_ args: [String], _ stdout: String, _ stderr: String, _ status: Int32,
               file: StaticString = #filePath, line: UInt = #line) {
        let r = runPrintf(args)
        XCTAssertEqual(show(r.stdout), show(Array(stdout.utf8)), "stdout of \(args)", file: file, line: line)
        XCTAssertEqual(show(r.stderr), show(Array(stderr.utf8)), "stderr of \(args)", file: file, line: line)
        XCTAssertEqual(r.status, status, "status of \(args)", file: file, line: line)
    }

    func testOversizedFieldsAreRefused() {
        let msg = { (spec: String) in "printf: `\(spec)': field width or precision too large\n" }
        // bash writes 100000001 bytes
        check(["%99999999s|\n", "x"], "|\n", msg("%99999999s"), 1)
        check(["%.99999999f|\n", "1"], "|\n", msg("%.99999999f"), 1)
        check(["%*d|\n", "100000000", "1"], "|\n", msg("%*d"), 1)
        check(["%*s|\n", "-100000000", "x"], "|\n", msg("%*s"), 1)
        check(["%99999999b|\n", "x"], "|\n", msg("%99999999b"), 1)
        check(["%99999999q|\n", "x"], "|\n", msg("%99999999q"), 1)
        check(["%16777217d|\n", "1"], "|\n", msg("%16777217d"), 1)
        // bash: 2147483649 bytes
        check(["%.2147483647d|\n", "1"], "|\n", msg("%.2147483647d"), 1)
        // bash: warns (naming the next argument), then pads to INT_MAX: 2147483653 bytes
        check(["%*d|\n", "99999999999", "1", "2"], "|\n 0|\n",
              "printf: warning: 1: Numerical result out of range\n" + msg("%*d"), 1)
        // processing continues after a refused field
        check(["%99999999s|%s|%d\n", "x", "y", "3"], "|y|3\n", msg("%99999999s"), 1)
    }

    func testLimitItself() {
        let r = runPrintf(["%\(printfFieldLimit)s", "x"])
        XCTAssertEqual(r.stdout.count, printfFieldLimit)
        XCTAssertEqual(r.status, 0)
        // precision of %s/%b only truncates: no limit needed
        XCTAssertEqual(runPrintf(["%.99999999s|%.99999999b|", "x", "y"]).stdout, Array("x|y|".utf8))
    }

    func testPercentNIsRefused() {
        check(["ab%ncd", "x"], "ab", "printf: `n': invalid format character\n", 1)
    }

    func testVarOption() {
        XCTAssertEqual(parsePrintfVarOption(["-v", "x", "%s", "y"]).varName, "x")
        XCTAssertEqual(parsePrintfVarOption(["-v", "x", "%s", "y"]).rest, ["--", "%s", "y"])
        XCTAssertEqual(parsePrintfVarOption(["-vx", "--", "-5"]).varName, "x")
        XCTAssertEqual(parsePrintfVarOption(["-vx", "--", "-5"]).rest, ["--", "-5"])
        XCTAssertEqual(parsePrintfVarOption(["-v", "a", "-v", "b", "z"]).varName, "b")
        XCTAssertNil(parsePrintfVarOption(["%s", "-v"]).varName)
        XCTAssertNil(parsePrintfVarOption(["-v"]).varName)
        XCTAssertNil(parsePrintfVarOption(["-x", "-v", "a"]).varName)
        XCTAssertEqual(parsePrintfVarOption(["--", "-v"]).rest, ["--", "-v"])
        let (name, rest) = parsePrintfVarOption(["-vx", "--", "-5"])
        XCTAssertEqual(name, "x")
        XCTAssertEqual(runPrintf(rest).stdout, Array("-5".utf8))
    }
}
