import XCTest
@testable import RateLimit

final class MatchTests: XCTestCase {
    func cls(_ commands: [String], _ patterns: [String] = []) -> LimitClass {
        LimitClass(id: "t", commands: commands, patterns: patterns, window: 60, maxOperations: 1)
    }

    func testCommandsByBasenameAndGlob() {
        let c = cls(["rm", "mkfs.*"])
        XCTAssertTrue(c.covers(program: "rm", argv: ["rm", "x"]))
        XCTAssertTrue(c.covers(program: "/usr/bin/rm", argv: ["rm"]))
        XCTAssertTrue(c.covers(program: "/sbin/mkfs.ext4", argv: ["mkfs.ext4", "/dev/x"]))
        XCTAssertFalse(c.covers(program: "rmdir", argv: ["rmdir", "x"]))
        XCTAssertFalse(c.covers(program: "/bin/ls", argv: ["ls"]))
    }

    func testGitResetHard() {
        let c = cls(["git"], ["reset --hard", "clean"])
        XCTAssertTrue(c.covers(program: "git", argv: ["git", "reset", "--hard"]))
        XCTAssertTrue(c.covers(program: "git", argv: ["git", "-C", "/w", "reset", "-q", "--hard", "HEAD~1"]))
        XCTAssertTrue(c.covers(program: "git", argv: ["git", "reset", "--hard=HEAD"]))
        XCTAssertTrue(c.covers(program: "git", argv: ["git", "reset", "--ha"]), "GNU abbreviation")
        XCTAssertTrue(c.covers(program: "git", argv: ["git", "clean", "-fdx"]))
        XCTAssertFalse(c.covers(program: "git", argv: ["git", "reset", "--soft", "HEAD~1"]))
        XCTAssertFalse(c.covers(program: "git", argv: ["git", "status"]))
        XCTAssertFalse(c.covers(program: "git", argv: ["git", "commit", "-m", "reset --hard"]))
    }

    func testFindDeleteChmodRecursiveDd() {
        let find = cls(["find"], ["-delete"])
        XCTAssertTrue(find.covers(program: "find", argv: ["find", ".", "-name", "*.o", "-delete"]))
        XCTAssertFalse(find.covers(program: "find", argv: ["find", ".", "-name", "*.o", "-print"]))
        XCTAssertFalse(find.covers(program: "find", argv: ["find", ".", "-depth", "-type", "f"]))
        let chmod = cls(["chmod", "chown"], ["-R", "--recursive"])
        XCTAssertTrue(chmod.covers(program: "chmod", argv: ["chmod", "-R", "777", "/w"]))
        XCTAssertTrue(chmod.covers(program: "chmod", argv: ["chmod", "-vR", "777", "/w"]))
        XCTAssertTrue(chmod.covers(program: "chmod", argv: ["chmod", "777", "/w", "--recursive"]))
        XCTAssertTrue(chmod.covers(program: "chmod", argv: ["chmod", "--recur", "777", "/w"]))
        XCTAssertFalse(chmod.covers(program: "chmod", argv: ["chmod", "644", "f"]))
        XCTAssertFalse(chmod.covers(program: "chmod", argv: ["chmod", "644", "--", "-R"]), "after -- it is a file")
        let dd = cls(["dd"], ["of=*"])
        XCTAssertTrue(dd.covers(program: "dd", argv: ["dd", "if=/dev/zero", "of=/w/disk.img", "bs=1M"]))
        XCTAssertFalse(dd.covers(program: "dd", argv: ["dd", "if=/w/disk.img"]))
        let rmrf = cls(["rm"], ["-rf"])
        XCTAssertTrue(rmrf.covers(program: "rm", argv: ["rm", "-fr", "x"]))
        XCTAssertTrue(rmrf.covers(program: "rm", argv: ["rm", "-rf", "x"]))
        XCTAssertFalse(rmrf.covers(program: "rm", argv: ["rm", "-r", "x"]))
        let forced = cls(["git"], ["push --force-with-lease=*", "push --force"])
        XCTAssertTrue(forced.covers(program: "git", argv: ["git", "push", "--force-with-lease=main"]))
        XCTAssertTrue(forced.covers(program: "git", argv: ["git", "push", "-force"]))
    }

    func testPatternWords() {
        XCTAssertEqual(splitPatternWords("reset  --hard"), ["reset", "--hard"])
        XCTAssertEqual(splitPatternWords(#"a\ b c"#), ["a b", "c"])
        XCTAssertEqual(compileWord("--hard"), .long(name: "--hard", value: nil))
        XCTAssertEqual(compileWord("-R"), .short(UInt8(ascii: "R")))
        XCTAssertEqual(compileWord("-delete"), .dashWord(name: "-delete", value: nil))
        XCTAssertEqual(compileWord("of=*"), .glob("of=*"))
        XCTAssertEqual(compileWord("clean"), .literal("clean"))
        XCTAssertEqual(compileWord("-*"), .glob("-*"))
    }

    func testValidate() {
        XCTAssertEqual(LimitConfig(classes: [LimitClass(id: "a", commands: ["rm"], window: 60, maxOperations: 5)]).validate(), [])
        let bad = LimitConfig(stateDirectory: "rel", classes: [
            LimitClass(id: "", commands: [], window: 0),
            LimitClass(id: "x", commands: ["/bin/rm"], window: 60, maxTargets: -1),
            LimitClass(id: "x", commands: ["rm"], window: 60, maxTargets: 1),
        ])
        let errs = bad.validate()
        XCTAssertEqual(errs.count, 8, errs.joined(separator: "\n"))
    }
}
