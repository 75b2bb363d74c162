import PolicyTestSupport
import XCTest
@testable import Policy

final class InlineTests: PolicyTestCase {
    func testAwkRunsCommands() {
        let runs = [
            #"BEGIN{system("rm x")}"#,
            #"{ system ("id") }"#,
            #"{ print $0 | "sh" }"#,
            #"{ print | "sort" }"#,
            #"BEGIN { "date" | getline d; print d }"#,
            #"BEGIN { cmd = "id"; cmd | getline x }"#,
            #"BEGIN { print "x" |& "cat"; "cat" |& getline y }"#,
            #"{ close(f) }"#,
            #"@load "filefuncs""#,
            #"BEGIN { f = "system"; @f("id") }"#,
            #"BEGIN { s = "system"; x = 1 }"#,  // the word system anywhere: conservative
            "{ x = a / 2 | \"sh\" }",
            "{ x = 4 / 2 / 1 ; system(\"id\") }",
            "$0 ~ /a|b/ { print | \"sh\" }",
            "{ n++ / 2; print | \"sh\" }",
            "/unclosed|regex\n{ print }",  // regex not closed on its line: scanned as code
        ]
        for p in runs { XCTAssertTrue(awkRunsCommands(p), p) }
        let safe = [
            #"{print $1}"#,
            #"BEGIN{FS=":"} {print $1, $NF}"#,
            #"/foo|bar/ { n++ } END { print n }"#,
            #"$3 ~ /^(a|b)$/ || $4 == "x|y" { print }"#,
            #"{ a = $1 / 2; b = a / 3; print a, b }"#,
            #"{ print "a|b" > "/dev/stderr" }"#,
            #"NR > 1 && /x[|]y/ { print $0 }"#,
            "# comment with | pipe and system(\n{ print }",
            #"{ sum += $2 } END { printf "%d\n", sum }"#,
            #"{ gsub(/a|b/, "c"); print }"#,
            #"{ if (x || y) print }"#,
        ]
        for p in safe { XCTAssertFalse(awkRunsCommands(p), p) }
    }

    func testSedExecutes() {
        let exec = ["s/x/echo hi/e", "1e echo run", "e", "/re/e date", "s|a|b|ge", "1{s/a/b/;e ls\n}",
                    "s/a/b/w out\ne id", "y/abc/xyz/;e id", "$!N;s/\\n/ /e", "2q;e id",
                    "k",  // unknown command: unparsable counts as executing
                    "s/a/b",  // unterminated
        ]
        for s in exec { XCTAssertTrue(sedExecutes(s), s) }
        let safe = ["s/a/b/g", "s/[/]/X/", "\\,a/,s/[,]/X/", "1d", "$d", "/^#/d", "s/e/E/", "s/x/y/2p",
                    "a foo; e echo no", "i\\\ntext e id", "y/e/f/", ":a;N;$!ba;s/\\n/ /g", "1~2d", "0,/x/d",
                    "/a/,+2p", "s/a/b/w /dev/stdout", "= ;l 5;q", "/x/I,/y/M!{p}", "s#a#e#", "c\\\ne echo",
                    "s/\\(e\\)/\\1/g", "b end; s/a/b/; :end", "s/a/b/;# e comment", "r /etc/hosts"]
        for s in safe { XCTAssertFalse(sedExecutes(s), s) }
    }

    func testSedWrites() {
        XCTAssertEqual(sedWrittenFiles("s/a/b/w out.txt"), ["out.txt"])
        XCTAssertEqual(sedWrittenFiles("/x/w /tmp/y\np"), ["/tmp/y"])
        XCTAssertEqual(sedWrittenFiles("1W  f\ns/a/b/gw g"), ["f", "g"])
        XCTAssertEqual(sedWrittenFiles("s/a/b/g"), [])
        XCTAssertNil(sedWrittenFiles("s/a/b"))
        XCTAssertTrue(sedWritesFiles("w /etc/cron.d/x"))
        XCTAssertFalse(sedWritesFiles("s/a/b/w /dev/stdout"))
        XCTAssertFalse(sedWritesFiles("s/w/W/g"))
        XCTAssertTrue(sedWritesFiles("s/a/b"))  // unparsable
    }
}
