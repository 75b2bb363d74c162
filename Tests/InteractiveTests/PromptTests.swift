import XCTest
@testable import Interactive

/// The prompt escapes, the word completion works on, and the history file's encoding.
final class PromptTests: XCTestCase {
    let ctx = PromptContext(user: "alice", host: "box.example.org", cwd: "/home/alice/work/src", home: "/home/alice",
                            policy: "coding-agent", isRoot: false, status: 3)

    func testDefaultPrompt() {
        XCTAssertEqual(expandPrompt(defaultPS1, ctx), "[coding-agent] alice@box:~/work/src$ ")
        var root = ctx
        root.isRoot = true
        root.cwd = "/"
        XCTAssertEqual(expandPrompt(defaultPS1, root), "[coding-agent] alice@box:/# ")
    }

    func testEscapes() {
        XCTAssertEqual(expandPrompt("\\u \\h \\H \\w \\W \\$ \\p \\? \\s", ctx),
                       "alice box box.example.org ~/work/src src $ coding-agent 3 aegish")
        XCTAssertEqual(expandPrompt("a\\nb\\\\c\\qd", ctx), "a\nb\\c\\qd")
        XCTAssertEqual(expandPrompt("\\[\\e[32m\\]x\\[\\e[0m\\]", ctx), "\u{1}\u{1B}[32m\u{1}x\u{1}\u{1B}[0m\u{1}")
        XCTAssertEqual(plainPrompt(expandPrompt("\\[\\e[32m\\]x", ctx)), "\u{1B}[32mx")
        XCTAssertEqual(expandPrompt("trailing\\", ctx), "trailing\\")
        var home = ctx
        home.cwd = "/home/alice"
        XCTAssertEqual(expandPrompt("\\w \\W", home), "~ ~")
        home.cwd = "/home/alicex"
        XCTAssertEqual(expandPrompt("\\w", home), "/home/alicex")
        XCTAssertEqual(expandPrompt("\\t", ctx).count, 8)
    }

    func testCurrentWord() {
        XCTAssertEqual(currentWord("ls"), Word(text: "ls", quote: nil, commandPosition: true))
        XCTAssertEqual(currentWord("ls sr"), Word(text: "sr", quote: nil, commandPosition: false))
        XCTAssertEqual(currentWord("cat a | gr"), Word(text: "gr", quote: nil, commandPosition: true))
        XCTAssertEqual(currentWord("true && ec"), Word(text: "ec", quote: nil, commandPosition: true))
        XCTAssertEqual(currentWord("X=1 Y=2 ma"), Word(text: "ma", quote: nil, commandPosition: true))
        XCTAssertEqual(currentWord("if gi"), Word(text: "gi", quote: nil, commandPosition: true))
        XCTAssertEqual(currentWord("echo x > fi"), Word(text: "fi", quote: nil, commandPosition: false))
        XCTAssertEqual(currentWord("cat my\\ fi"), Word(text: "my fi", quote: nil, commandPosition: false))
        XCTAssertEqual(currentWord("cat \"my fi"), Word(text: "my fi", quote: "\"", commandPosition: false))
        XCTAssertEqual(currentWord("cat "), Word(text: "", quote: nil, commandPosition: false))
        XCTAssertEqual(currentWord(""), Word(text: "", quote: nil, commandPosition: true))
    }

    func testQuoting() {
        let plain = Word(text: "", quote: nil, commandPosition: false)
        XCTAssertEqual(quoteForInsert("my file$.txt", word: plain), "my\\ file\\$.txt")
        XCTAssertEqual(quoteForInsert("it's", word: Word(text: "", quote: "'", commandPosition: false)), "it'\\''s")
        XCTAssertEqual(quoteForInsert("a\"$b", word: Word(text: "", quote: "\"", commandPosition: false)), "a\\\"\\$b")
        XCTAssertEqual(commonPrefix(["lscpu", "ls", "lsx"]), "ls")
        XCTAssertEqual(commonPrefix(["abc"]), "abc")
        XCTAssertEqual(commonPrefix(["x", "y"]), "")
    }

    func testHistoryEncoding() {
        for entry in ["echo hi", "if true\nthen echo x\nfi", "printf 'a\\nb'", "back\\slash\\", ""] {
            XCTAssertEqual(decode(encode(entry)), entry)
            XCTAssertFalse(encode(entry).contains("\n"))
        }
    }
}
