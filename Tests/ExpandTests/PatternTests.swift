import XCTest
import Dispatch
import Syntax
@testable import Expand

final class PatternTests: XCTestCase {
    func testMatchTable() {
        for (p, s, want) in matchCases {
            XCTAssertEqual(ShellPattern(unquoted: p).matches(s), want, "[[ \(s.debugDescription) == \(p) ]]")
        }
    }

    func testRemoveTable() {
        for (p, s, short1, long1, short2, long2) in removeCases {
            let pat = ShellPattern(unquoted: p)
            XCTAssertEqual(pat.removePrefix(s, longest: false), short1, "${s#\(p)} s=\(s)")
            XCTAssertEqual(pat.removePrefix(s, longest: true), long1, "${s##\(p)} s=\(s)")
            XCTAssertEqual(pat.removeSuffix(s, longest: false), short2, "${s%\(p)} s=\(s)")
            XCTAssertEqual(pat.removeSuffix(s, longest: true), long2, "${s%%\(p)} s=\(s)")
        }
    }

    func testReplaceTable() {
        for (p, s, first, all, pre, suf) in replaceCases {
            let pat = ShellPattern(unquoted: p)
            XCTAssertEqual(pat.replace(in: s, with: "<&>", anchor: .first), first, "${s/\(p)/r} s=\(s)")
            XCTAssertEqual(pat.replace(in: s, with: "<&>", anchor: .all), all, "${s//\(p)/r} s=\(s)")
            XCTAssertEqual(pat.replace(in: s, with: "<&>", anchor: .prefix), pre, "${s/#\(p)/r} s=\(s)")
            XCTAssertEqual(pat.replace(in: s, with: "<&>", anchor: .suffix), suf, "${s/%\(p)/r} s=\(s)")
        }
    }

    func testAmpersandReplacement() {
        for (p, s, r, want) in ampCases {
            let got = ShellPattern(unquoted: p).replace(in: s, withChunks: [PatternChunk(r, quoted: false)], anchor: .all)
            XCTAssertEqual(got, want, "${s//\(p)/\(r)}")
        }
        // quoted `&` is literal: ${x/b/"&"} → a&c
        XCTAssertEqual(ShellPattern(unquoted: "b").replace(in: "abc", withChunks: [PatternChunk("&", quoted: true)], anchor: .first), "a&c")
    }

    func testQuotedChunksAreLiteral() {
        // [[ a == "["a] ]] style: quoted `[` is literal
        XCTAssertTrue(ShellPattern([PatternChunk("[", quoted: true), PatternChunk("a]", quoted: false)]).matches("[a]"))
        // [[ b == ["a-c"] ]] → no; [[ - == ["a-c"] ]] → yes
        let p = ShellPattern([PatternChunk("[", quoted: false), PatternChunk("a-c", quoted: true), PatternChunk("]", quoted: false)])
        XCTAssertFalse(p.matches("b"))
        XCTAssertTrue(p.matches("-"))
        // [[ '[a]' == [a"]" ]]: quoted `]` does not close
        XCTAssertTrue(ShellPattern([PatternChunk("[a", quoted: false), PatternChunk("]", quoted: true)]).matches("[a]"))
        // "*" quoted
        let star = ShellPattern([PatternChunk("*", quoted: true)])
        XCTAssertFalse(star.hasMeta)
        XCTAssertTrue(star.matches("*"))
        XCTAssertFalse(star.matches("x"))
        XCTAssertTrue(ShellPattern([PatternChunk("a", quoted: true), PatternChunk("*", quoted: false)]).hasMeta)
        XCTAssertFalse(ShellPattern(unquoted: "a\\*").hasMeta)
        // quoted backslash is a literal backslash, not an escape
        XCTAssertTrue(ShellPattern([PatternChunk("\\", quoted: true), PatternChunk("*", quoted: false)]).matches("\\xyz"))
    }

    func testPathologicalIsFast() {
        let s = String(repeating: "a", count: 20_000)
        let p = ShellPattern(unquoted: "*a*a*a*a*a*a*a*a*a*a*b")
        let t0 = DispatchTime.now().uptimeNanoseconds
        XCTAssertFalse(p.matches(s))
        XCTAssertEqual(p.removePrefix(s, longest: true), s)
        XCTAssertEqual(p.removeSuffix(s, longest: false), s)
        XCTAssertEqual(ShellPattern(unquoted: "*a").removePrefix(s, longest: true), "")
        XCTAssertEqual(ShellPattern(unquoted: "a*").removeSuffix(s, longest: true), "")
        XCTAssertEqual(ShellPattern(unquoted: "a*b").replace(in: s, with: "x", anchor: .all), s)
        XCTAssertEqual(ShellPattern(unquoted: "*b").replace(in: s, with: "x", anchor: .first), s)
        XCTAssertEqual(ShellPattern(unquoted: "a").replace(in: String(s.prefix(2000)), with: "b", anchor: .all), String(repeating: "b", count: 2000))
        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        print("pathological pattern ops on 20k chars: \(ms) ms")
        XCTAssertTrue(ShellPattern(unquoted: "*a*a*a*a*a*a*a*a*a*a*").matches(s))
        let mixed = String(repeating: "ab", count: 5000) + "c"
        XCTAssertTrue(ShellPattern(unquoted: "*a*b*a*b*a*b*c").matches(mixed))
        XCTAssertFalse(ShellPattern(unquoted: "*a*b*a*b*a*b*d").matches(mixed))
        XCTAssertTrue(ShellPattern(unquoted: "*[[:alpha:]]?[!x]*c").matches(mixed))
    }

    func testGraphemesAreNotUnits() {
        // e + combining acute is two scalars: `?` does not match it, `??` does
        let s = "e\u{301}"
        XCTAssertFalse(ShellPattern(unquoted: "?").matches(s))
        XCTAssertTrue(ShellPattern(unquoted: "??").matches(s))
        XCTAssertEqual(ShellPattern(unquoted: "?").removePrefix(s, longest: false), "\u{301}")
    }
}
