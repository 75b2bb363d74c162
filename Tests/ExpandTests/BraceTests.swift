import XCTest
import Syntax
@testable import Expand

/// Text of a brace result as bash would print it; nil for a word bash drops (no parts at all).
func flatten(_ parts: [WordPart]) -> String? {
    if parts.isEmpty { return nil }
    var s = ""
    for p in parts {
        switch p {
        case .literal(let t), .quoted(let t): s += t
        case .param(let pe): s += "$" + pe.name
        default: s += "?"
        }
    }
    return s
}

final class BraceTests: XCTestCase {
    func testTable() throws {
        for (word, want) in braceCases {
            let got = try expandBraces([.literal(word)]).compactMap(flatten)
            XCTAssertEqual(got, want, word)
        }
    }

    func testOpaquePartsAreCopiedAndDoNotCount() throws {
        let x = WordPart.param(ParamExp(name: "x", braced: false, pos: .none))
        // a{$x,'b,c'}d → a$xd a'b,c'd
        let r = try expandBraces([.literal("a{"), x, .literal(","), .quoted("b,c"), .literal("}d")])
        XCTAssertEqual(r, [[.literal("a"), x, .literal("d")], [.literal("a"), .quoted("b,c"), .literal("d")]])
        // "{a,b}" quoted: nothing
        let q: [WordPart] = [.doubleQuoted([.literal("{a,b}")])]
        XCTAssertEqual(try expandBraces(q), [q])
        // {a\,b} → the escaped comma is a quoted part: no expansion
        let e: [WordPart] = [.literal("{a"), .quoted(","), .literal("b}")]
        XCTAssertEqual(try expandBraces(e), [e])
        // {1..$n} is not a sequence
        let n: [WordPart] = [.literal("{1.."), x, .literal("}")]
        XCTAssertEqual(try expandBraces(n), [n])
        // literal `$` before `{`: blocked, like bash's ${
        XCTAssertEqual(try expandBraces([.literal("${a,b}")]).compactMap(flatten), ["${a,b}"])
        XCTAssertEqual(try expandBraces([.literal("${a}{b,c}")]).compactMap(flatten), ["${a}b", "${a}c"])
        // the `\` produced by {Z..a} is an empty quoted part
        XCTAssertEqual(try expandBraces([.literal("{Z..a}")])[1...3], [[.literal("[")], [.quoted("")], [.literal("]")]])
        // adjacent text merges into one literal part
        XCTAssertEqual(try expandBraces([.literal("x{1..2}y")]), [[.literal("x1y")], [.literal("x2y")]])
    }

    func testCap() throws {
        XCTAssertEqual(try expandBraces([.literal("{1..100000}")]).count, 100_000)
        XCTAssertThrowsError(try expandBraces([.literal("{1..100001}")]))
        // bash leaves sequences of more than INT_MAX-3 words unexpanded
        XCTAssertEqual(try expandBraces([.literal("{1..9223372036854775807}")]), [[.literal("{1..9223372036854775807}")]])
        XCTAssertEqual(try expandBraces([.literal("{1..3000000000}")]), [[.literal("{1..3000000000}")]])
        XCTAssertThrowsError(try expandBraces([.literal("{1..2000000000}")]))
        XCTAssertThrowsError(try expandBraces([.literal("{1..1000}{1..1000}")]))
        XCTAssertThrowsError(try expandBraces([.literal(String(repeating: "{a,b}", count: 20))]))
        XCTAssertEqual(try expandBraces([.literal(String(repeating: "{a,b}", count: 10))]).count, 1024)
        XCTAssertThrowsError(try expandBraces([.literal("{1..20}")], limit: 10))
        XCTAssertEqual(try expandBraces([.literal("{1..20}")], limit: 20).count, 20)
        // min/max do not overflow
        XCTAssertEqual(try expandBraces([.literal("{-9223372036854775808..-9223372036854775806}")]).compactMap(flatten),
                       ["-9223372036854775808", "-9223372036854775807", "-9223372036854775806"])
        XCTAssertEqual(try expandBraces([.literal("{9223372036854775807..9223372036854775806}")]).count, 2)
    }

    func testNoBracesIsIdentity() throws {
        let w: [WordPart] = [.literal("abc"), .quoted("{a,b}")]
        XCTAssertEqual(try expandBraces(w), [w])
    }
}
