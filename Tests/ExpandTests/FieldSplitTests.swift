import XCTest
@testable import Expand

final class FieldSplitTests: XCTestCase {
    func kind(_ k: String) -> SegmentKind { k == "L" ? .literal : k == "Q" ? .quoted : .expansion }

    func testTable() {
        for (ifs, segs, want) in splitCases {
            let got = splitFields(segs.map { Segment($0.1, kind($0.0)) }, ifs: ifs).map(\.text)
            XCTAssertEqual(got, want, "IFS=\(ifs.debugDescription) \(segs)")
        }
    }

    func testChunksKeepQuoting() {
        let f = splitFields([Segment("a*", .literal), Segment("*b", .quoted), Segment("c? d", .expansion)], ifs: nil)
        XCTAssertEqual(f, [Field([PatternChunk("a*", quoted: false), PatternChunk("*b", quoted: true), PatternChunk("c?", quoted: false)]),
                           Field([PatternChunk("d", quoted: false)])])
        XCTAssertTrue(f[0].hasGlobMeta)
        XCTAssertFalse(splitFields([Segment("*", .quoted)], ifs: nil)[0].hasGlobMeta)
    }

    func testLiteralScriptTextIsNotSplit() {
        // a=x; echo a${a}b → one field even though IFS contains a
        XCTAssertEqual(splitFields([Segment("a b", .literal), Segment("x", .expansion), Segment("b", .literal)], ifs: "ab ").map(\.text), ["a bxb"])
    }
}
