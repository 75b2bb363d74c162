import XCTest
import Foundation
@testable import Expand

final class GlobTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "aegish-glob-\(getpid())-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        for d in globFixtureDirs { try fm.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true) }
        for f in globFixtureFiles { XCTAssertTrue(fm.createFile(atPath: root + "/" + f, contents: nil), f) }
        for (l, t) in globFixtureLinks { try fm.createSymbolicLink(atPath: root + "/" + l, withDestinationPath: t) }
    }

    override func tearDownWithError() throws {
        chmod(root + "/e", 0o755)
        try FileManager.default.removeItem(atPath: root)
    }

    func field(_ c: [(String, Bool)]) -> Field { Field(c.map { PatternChunk($0.0, quoted: $0.1) }) }

    func testTable() {
        for (chunks, want) in globCases {
            let f = field(chunks)
            let got = globExpand(f, cwd: root)
            XCTAssertEqual(got.isEmpty ? [f.text] : got, want, "\(chunks)")
        }
    }

    func testAbsoluteAndCwd() {
        XCTAssertEqual(globExpand(Field([PatternChunk(root + "/a*", quoted: false)]), cwd: "/"), [root + "/a", root + "/a-b"])
        XCTAssertEqual(globExpand(Field([PatternChunk(root, quoted: true), PatternChunk("/e/*", quoted: false)]), cwd: "/nonexistent"),
                       [root + "/e/1", root + "/e/2"])
        XCTAssertEqual(globExpand(Field([PatternChunk("*", quoted: false)]), cwd: root + "/e"), ["1", "2"])
        XCTAssertEqual(globExpand(Field([PatternChunk("*", quoted: false)]), cwd: root + "/e/"), ["1", "2"])
        // //root/a* keeps the double slash as bash does
        XCTAssertEqual(globExpand(Field([PatternChunk("/" + root + "/e/[12]", quoted: false)]), cwd: "/"), ["/" + root + "/e/1", "/" + root + "/e/2"])
    }

    func testNotAPattern() {
        // quoted meta only, or escaped meta (x='\*star'; echo $x) → not globbed at all
        XCTAssertEqual(globExpand(Field([PatternChunk("*star", quoted: true)]), cwd: root), [])
        XCTAssertEqual(globExpand(Field([PatternChunk("\\*star", quoted: false)]), cwd: root), [])
        // x='s\rc/*'; echo $x → src/x src/y (backslash removed in the literal component)
        XCTAssertEqual(globExpand(Field([PatternChunk("s\\rc/*", quoted: false)]), cwd: root), ["src/x", "src/y"])
        // x='\*sta[r]' → matches the file named *star
        XCTAssertEqual(globExpand(Field([PatternChunk("\\*sta[r]", quoted: false)]), cwd: root), ["*star"])
    }

    func testUnreadableDirectorySkipped() throws {
        try XCTSkipIf(getuid() == 0, "root can read any directory")
        chmod(root + "/e", 0)
        XCTAssertEqual(globExpand(Field([PatternChunk("e/*", quoted: false)]), cwd: root), [])
    }

    func testSplitComponents() {
        let c = splitComponents([PatternChunk("//a//b*/", quoted: false)])
        XCTAssertEqual(c.map { ($0.chunks.map(\.text).joined()) }, ["", "a", "b*", ""])
        XCTAssertEqual(c.map(\.sep), ["//", "//", "/", ""])
        let e = splitComponents([PatternChunk("a\\/b", quoted: false)])
        XCTAssertEqual(e.map { ($0.chunks.map(\.text).joined()) }, ["a", "b"])
    }
}
