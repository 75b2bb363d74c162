import XCTest
@testable import Syntax

final class PositionTests: XCTestCase {
    func first(_ s: Script, _ k: Int = 0) -> Command { s.items[k].andOr.first.commands[0] }
    func simple(_ c: Command) -> SimpleCommand? { if case .simple(let sc) = c { return sc }; return nil }
    func param(_ w: Word, _ k: Int = 0) -> ParamExp? { if case .param(let p) = w.parts[k] { return p }; return nil }
    func P(_ l: Int, _ c: Int) -> Pos { Pos(line: l, column: c) }

    func testSimpleCommandPositions() throws {
        let s = try parseScript("  echo  $x 2>f\n\tA=1 B+=x cmd")
        XCTAssertEqual(s.items[0].pos, P(1, 3))
        XCTAssertEqual(s.items[0].andOr.first.pos, P(1, 3))
        let sc = try XCTUnwrap(simple(first(s)))
        XCTAssertEqual(sc.pos, P(1, 3))
        XCTAssertEqual(sc.words[0].pos, P(1, 3))
        XCTAssertEqual(sc.words[1].pos, P(1, 9))
        XCTAssertEqual(param(sc.words[1])?.pos, P(1, 9))
        XCTAssertEqual(sc.redirections[0].pos, P(1, 12))
        XCTAssertEqual(sc.redirections[0].target.pos, P(1, 14))
        let sc2 = try XCTUnwrap(simple(first(s, 1)))
        XCTAssertEqual(sc2.pos, P(2, 2))
        XCTAssertEqual(sc2.assignments[0].pos, P(2, 2))
        XCTAssertEqual(sc2.assignments[0].value.pos, P(2, 4))
        XCTAssertEqual(sc2.assignments[1].pos, P(2, 6))
        XCTAssertEqual(sc2.assignments[1].value.pos, P(2, 9))
        XCTAssertEqual(sc2.words[0].pos, P(2, 11))
    }

    func testUnicodeColumns() throws {
        let s = try parseScript("echo é日本 $x")
        let sc = try XCTUnwrap(simple(first(s)))
        XCTAssertEqual(sc.words[2].pos, P(1, 10))
    }

    func testCompoundPositions() throws {
        let s = try parseScript("x; if a\nthen\n  b 2>f\nfi >out")
        guard case .compound(.ifClause(let ic), let rs, let p) = first(s, 1) else { return XCTFail() }
        XCTAssertEqual(p, P(1, 4))
        XCTAssertEqual(s.items[1].pos, P(1, 4))
        XCTAssertEqual(rs[0].pos, P(4, 4))
        let b = try XCTUnwrap(simple(first(ic.branches[0].body)))
        XCTAssertEqual(b.pos, P(3, 3))
        XCTAssertEqual(b.redirections[0].pos, P(3, 5))

        let f = try parseScript("for i in a b\ndo :; done")
        guard case .compound(.forLoop(let fl), _, _) = first(f) else { return XCTFail() }
        XCTAssertEqual(fl.pos, P(1, 1))
        XCTAssertEqual(fl.items?[1].pos, P(1, 12))

        let c = try parseScript("case $x in\n  a|b) x;;\n  (c) y;;\nesac")
        guard case .compound(.caseClause(let cc), _, _) = first(c) else { return XCTFail() }
        XCTAssertEqual(cc.subject.pos, P(1, 6))
        XCTAssertEqual(cc.items[0].pos, P(2, 3))
        XCTAssertEqual(cc.items[0].patterns[1].pos, P(2, 5))
        XCTAssertEqual(cc.items[1].pos, P(3, 3))

        let fn = try parseScript("\n  function f { :; }\ng() ( : )")
        guard case .function(let fd) = first(fn) else { return XCTFail() }
        XCTAssertEqual(fd.pos, P(2, 3))
        guard case .compound(_, _, let bp) = fd.body else { return XCTFail() }
        XCTAssertEqual(bp, P(2, 14))
        guard case .function(let gd) = first(fn, 1) else { return XCTFail() }
        XCTAssertEqual(gd.pos, P(3, 1))

    }

    func testPipelinePositions() throws {
        let s = try parseScript("! a |\n  b && c")
        XCTAssertEqual(s.items[0].andOr.first.pos, P(1, 1))
        XCTAssertEqual(s.items[0].andOr.rest[0].pipeline.pos, P(2, 8))
        XCTAssertEqual(simple(s.items[0].andOr.first.commands[1])?.pos, P(2, 3))
    }

    func testNestedSubstitutionPositions() throws {
        let s = try parseScript("echo $(echo $a) `echo $b` \"$(x $c)\"\necho \\\n  $d")
        let sc = try XCTUnwrap(simple(first(s)))
        guard case .commandSub(let inner, false) = sc.words[1].parts[0] else { return XCTFail() }
        XCTAssertEqual(simple(first(inner))?.words[1].pos, P(1, 13))
        XCTAssertEqual(param(simple(first(inner))!.words[1])?.pos, P(1, 13))
        guard case .commandSub(let bq, true) = sc.words[2].parts[0] else { return XCTFail() }
        XCTAssertEqual(simple(first(bq))?.pos, P(1, 18))
        XCTAssertEqual(param(simple(first(bq))!.words[1])?.pos, P(1, 23))
        guard case .doubleQuoted(let dq) = sc.words[3].parts[0], case .commandSub(let ds, _) = dq[0] else { return XCTFail() }
        XCTAssertEqual(simple(first(ds))?.words[1].pos, P(1, 32))
        let sc2 = try XCTUnwrap(simple(first(s, 1)))
        XCTAssertEqual(sc2.words[1].pos, P(3, 3))

        // backquotes with removed backslashes keep original columns
        let t = try parseScript("echo `echo \\$x $y`")
        guard case .commandSub(let b2, true) = simple(first(t))!.words[1].parts[0] else { return XCTFail() }
        let w = simple(first(b2))!
        XCTAssertEqual(w.words[1].pos, P(1, 13))   // the `$` (its escaping backslash was removed)
        XCTAssertEqual(w.words[2].pos, P(1, 16))
    }

    func testHereDocPositions() throws {
        let s = try parseScript("cat <<EOF; cat <<-X\nhello $a\nEOF\n\tbody $b\n\tX\n")
        let r1 = simple(first(s, 0))!.redirections[0]
        let r2 = simple(first(s, 1))!.redirections[0]
        XCTAssertEqual(r1.pos, P(1, 5))
        XCTAssertEqual(r1.hereDoc?.body.pos, P(2, 1))
        XCTAssertEqual(r2.pos, P(1, 16))
        XCTAssertEqual(r2.hereDoc?.body.pos, P(4, 1))
        guard case .param(let pa)? = r1.hereDoc?.body.parts[1] else { return XCTFail() }
        XCTAssertEqual(pa.pos, P(2, 7))
        guard case .param(let pb)? = r2.hereDoc?.body.parts[1] else { return XCTFail() }
        XCTAssertEqual(pb.pos, P(4, 7))
    }

    func testErrorPositionsInsideNestedText() {
        for (src, pos) in [("echo `echo $(fi)`", P(1, 14)), ("x\ncat <<E\n$(fi)\nE", P(3, 3)),
                           ("echo $(\n  echo a; fi)", P(2, 11))] {
            XCTAssertThrowsError(try parseScript(src)) { e in
                XCTAssertEqual((e as? ParseError)?.pos, pos, src)
            }
        }
    }
}
