import PolicyTestSupport
import XCTest
@testable import Policy

/// basename and containsBytes are byte-level rewrites of generic library calls (start-up cost);
/// they must answer exactly as the calls they replaced.
final class BasenameTests: PolicyTestCase {
    func testBasenameAgreesWithSplit() {
        func old(_ p: String) -> String { String(p.split(separator: "/").last ?? Substring(p)) }
        let cases = ["", "/", "//", "git", "/usr/bin/git", "/usr/bin/", "a//", "./x", "../y/", "/a/b c/d e",
                     "/é/ß", "x86_64-linux-gnu-gcc-12", "/usr/bin//python3"]
        for c in cases { XCTAssertEqual(basename(c), old(c), "basename(\(c))") }
        let pieces = ["a", "", "bb", ".", "é"]
        for _ in 0..<1000 {
            let p = (0..<Int.random(in: 0...5)).map { _ in pieces.randomElement()! }.joined(separator: "/")
            XCTAssertEqual(basename(p), old(p), "basename(\(p))")
        }
    }

    func testContainsBytes() {
        XCTAssertTrue(containsBytes("x86_64-linux-gnu-gcc-12", "gcc"))
        XCTAssertTrue(containsBytes("g++", "g++"))
        XCTAssertTrue(containsBytes("abc", ""))
        XCTAssertFalse(containsBytes("gc", "gcc"))
        XCTAssertFalse(containsBytes("clang", "gcc"))
        XCTAssertTrue(containsBytes("aggcc", "gcc"))
        XCTAssertEqual(companions(of: "/usr/bin/x86_64-linux-gnu-gcc-12").first, "/usr/lib/gcc")
        XCTAssertEqual(companions(of: "/usr/bin/cc"), ["/usr/lib/gcc", "/usr/libexec/gcc", "as", "ld"])
        XCTAssertEqual(companions(of: "/usr/bin/ls"), [])
    }
}
