import XCTest
@testable import Interp

/// normalizePath is the lexical half of every path the gate sees (`..` resolved without the
/// file system), so a mistake here is a mistake in every path decision.
final class NormalizePathTests: XCTestCase {
    func testCases() {
        let cases: [(String, String)] = [
            ("/", "/"), ("", "/"), ("//", "/"), ("/a", "/a"), ("/a/", "/a"), ("a/b", "/a/b"),
            ("/a//b///c", "/a/b/c"), ("/a/./b/.", "/a/b"), ("/a/b/..", "/a"), ("/a/..", "/"),
            ("/..", "/"), ("/../../x", "/x"), ("/a/b/../../c", "/c"), ("/a/../b/../c/d/..", "/c"),
            ("/work/../etc/shadow", "/etc/shadow"), ("/work/.../x", "/work/.../x"), ("/w/..x/y", "/w/..x/y"),
            ("/w/.x", "/w/.x"), ("/é/ü/../ß", "/é/ß"), ("/a b/c", "/a b/c"),
        ]
        for (input, want) in cases {
            XCTAssertEqual(normalizePath(input), want, "normalizePath(\(input))")
        }
    }

    /// Against a plain model implementation, on generated paths.
    func testAgainstModel() {
        func model(_ p: String) -> String {
            var parts: [String] = []
            for c in p.split(separator: "/") {
                if c == "." { continue }
                if c == ".." { _ = parts.popLast(); continue }
                parts.append(String(c))
            }
            return "/" + parts.joined(separator: "/")
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "bb", ".", "..", "", "...", ".x", "x."]
        for _ in 0..<2000 {
            let n = Int.random(in: 0...7, using: &rng)
            let p = (Bool.random(using: &rng) ? "/" : "") + (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: "/")
            XCTAssertEqual(normalizePath(p), model(p), "normalizePath(\(p))")
        }
    }
}
