// Generated from bash 5.2.15 (LANG=C.UTF-8): `bash -c 'echo "$@"' bash ARGS…`, and for quoting
// `set -x; : "$1"`, `set -x; x=$1` and `printf %q "$1"`.
import XCTest
@testable import Interp

final class EchoQuoteBuiltinTests: XCTestCase {
    static let echoCases: [(args: [String], stdout: String)] = [
        ([], #"\x0a"#),
        ([#"a"#], #"a\x0a"#),
        ([#"a"#, #"b"#], #"a b\x0a"#),
        ([#"-n"#, #"a"#], #"a"#),
        ([#"-n"#], #""#),
        ([#"-"#], #"-\x0a"#),
        ([#"--"#], #"--\x0a"#),
        ([#"-nx"#], #"-nx\x0a"#),
        ([#"-x"#], #"-x\x0a"#),
        ([#"-e"#, #"a\x5cnb"#], #"a\x0ab\x0a"#),
        ([#"-E"#, #"a\x5cnb"#], #"a\x5cnb\x0a"#),
        ([#"-ne"#, #"a\x5ctb"#], #"a\x09b"#),
        ([#"-en"#, #"x"#], #"x"#),
        ([#"-nE"#, #"\x5cn"#], #"\x5cn"#),
        ([#"-eE"#, #"\x5cn"#], #"\x5cn\x0a"#),
        ([#"-Ee"#, #"\x5cn"#], #"\x0a\x0a"#),
        ([#"-n"#, #"-e"#, #"x\x5cty"#], #"x\x09y"#),
        ([#"-e"#, #"-n"#, #"z"#], #"z"#),
        ([#"a"#, #"-n"#], #"a -n\x0a"#),
        ([#"-e"#, #"a\x5ccb"#, #"c"#], #"a"#),
        ([#"-e"#, #"x"#, #"\x5cc"#, #"y"#], #"x "#),
        ([#"-e"#, #"\x5c0101\x5c101\x5c01011\x5c0\x5c08"#], #"A\x5c101A1\x00\x008\x0a"#),
        ([#"-e"#, #"\x5cx41\x5cx4\x5cxg\x5cx"#], #"A\x04\x5cxg\x5cx\x0a"#),
        ([#"-e"#, #"\x5cu00e9\x5cU0001F600\x5cu\x5cuZ\x5cU110000\x5cUffffffff"#], #"\xc3\xa9\xf0\x9f\x98\x80\x5cu\x5cuZ\xf4\x90\x80\x80\x0a"#),
        ([#"-e"#, #"\x5ca\x5cb\x5ce\x5cE\x5cf\x5cr\x5cv\x5c\x5c\x5c'\x5c\x22\x5c?\x5cq"#], #"\x07\x08\x1b\x1b\x0c\x0d\x0b\x5c\x5c'\x5c\x22\x5c?\x5cq\x0a"#),
        ([#"-e"#, #"end\x5c"#], #"end\x5c\x0a"#),
        ([#"a\x5cnb"#], #"a\x5cnb\x0a"#),
        ([#"-e"#, #"\x5c1\x5c2\x5c7\x5c8"#], #"\x5c1\x5c2\x5c7\x5c8\x0a"#),
        ([#"-e"#, #""#], #"\x0a"#),
        ([#""#, #""#], #" \x0a"#),
        ([#"-n"#, #""#], #""#),
        ([#"-e"#, #"\x5cc"#], #""#),
        ([#"-nn"#, #"a"#], #"a"#),
        ([#"-e-n"#, #"a"#], #"-e-n a\x0a"#),
        ([#"- n"#, #"a"#], #"- n a\x0a"#),
        ([#"-e"#, #"\x5c0"#, #"\x5c00000"#], #"\x00 \x000\x0a"#),
        ([#"\xc3\xa9"#, #"\xc3\xbc"#], #"\xc3\xa9 \xc3\xbc\x0a"#),
        ([#"-e"#, #"\x5cx7f\x5cxff\x5cxfe"#], #"\x7f\xff\xfe\x0a"#),
        ([#"-neE"#, #"\x5ct"#], #"\x5ct"#),
        ([#"-ee"#, #"\x5ct"#], #"\x09\x0a"#),
    ]

    func testEchoAgainstBash() {
        for c in Self.echoCases {
            let r = runEcho(c.args.map(hexString))
            XCTAssertEqual(show(r.stdout), show(hexBytes(c.stdout)), "echo \(c.args)")
            XCTAssertEqual(r.status, 0)
            XCTAssertEqual(r.stderr, [])
        }
    }

    func testXpgEcho() {
        XCTAssertEqual(runEcho([#"a\tb"#], xpgEcho: true).stdout, Array("a\tb\n".utf8))
        XCTAssertEqual(runEcho(["-E", #"a\tb"#], xpgEcho: true).stdout, Array(#"a\tb"#.utf8) + [0x0A])
    }

    /// (word, `set -x` trace of `: word`, trace of `x=word`, `printf %q word`)
    static let quoteCases: [(word: String, trace: String, assign: String, q: String)] = [
        (#"a"#, #"+ : a\x0a"#, #"+ x=a\x0a"#, #"a"#),
        (#"a b"#, #"+ : 'a b'\x0a"#, #"+ x='a b'\x0a"#, #"a\x5c b"#),
        (#"a'b"#, #"+ : 'a'\x5c''b'\x0a"#, #"+ x='a'\x5c''b'\x0a"#, #"a\x5c'b"#),
        (#"'"#, #"+ : \x5c'\x0a"#, #"+ x=\x5c'\x0a"#, #"\x5c'"#),
        (#"''"#, #"+ : ''\x5c'''\x5c'''\x0a"#, #"+ x=''\x5c'''\x5c'''\x0a"#, #"\x5c'\x5c'"#),
        (#"a\x22b"#, #"+ : 'a\x22b'\x0a"#, #"+ x='a\x22b'\x0a"#, #"a\x5c\x22b"#),
        (#""#, #"+ : ''\x0a"#, #"+ x=\x0a"#, #"''"#),
        (#"$x"#, #"+ : '$x'\x0a"#, #"+ x='$x'\x0a"#, #"\x5c$x"#),
        (#"a\x5cb"#, #"+ : 'a\x5cb'\x0a"#, #"+ x='a\x5cb'\x0a"#, #"a\x5c\x5cb"#),
        (#"a\x09b"#, #"+ : 'a\x09b'\x0a"#, #"+ x='a\x09b'\x0a"#, #"$'a\x5ctb'"#),
        (#"a\x0ab"#, #"+ : 'a\x0ab'\x0a"#, #"+ x='a\x0ab'\x0a"#, #"$'a\x5cnb'"#),
        (#"\x1b[m"#, #"+ : '\x1b[m'\x0a"#, #"+ x='\x1b[m'\x0a"#, #"$'\x5cE[m'"#),
        (#"\xc3\xa9"#, #"+ : \xc3\xa9\x0a"#, #"+ x=\xc3\xa9\x0a"#, #"\xc3\xa9"#),
        (#"a,b"#, #"+ : a,b\x0a"#, #"+ x=a,b\x0a"#, #"a\x5c,b"#),
        (#"~"#, #"+ : '~'\x0a"#, #"+ x='~'\x0a"#, #"\x5c~"#),
        (#"~x"#, #"+ : '~x'\x0a"#, #"+ x='~x'\x0a"#, #"\x5c~x"#),
        (#"a~"#, #"+ : a~\x0a"#, #"+ x=a~\x0a"#, #"a~"#),
        (#"x=~"#, #"+ : 'x=~'\x0a"#, #"+ x='x=~'\x0a"#, #"x=\x5c~"#),
        (#"x:~y"#, #"+ : 'x:~y'\x0a"#, #"+ x='x:~y'\x0a"#, #"x:\x5c~y"#),
        (#"#"#, #"+ : '#'\x0a"#, #"+ x='#'\x0a"#, #"\x5c#"#),
        (#"a#"#, #"+ : a#\x0a"#, #"+ x=a#\x0a"#, #"a#"#),
        (#"!"#, #"+ : '!'\x0a"#, #"+ x='!'\x0a"#, #"\x5c!"#),
        (#"a*"#, #"+ : 'a*'\x0a"#, #"+ x='a*'\x0a"#, #"a\x5c*"#),
        (#"?"#, #"+ : '?'\x0a"#, #"+ x='?'\x0a"#, #"\x5c?"#),
        (#"["#, #"+ : '['\x0a"#, #"+ x='['\x0a"#, #"\x5c["#),
        (#"]"#, #"+ : ']'\x0a"#, #"+ x=']'\x0a"#, #"\x5c]"#),
        (#"{"#, #"+ : '{'\x0a"#, #"+ x='{'\x0a"#, #"\x5c{"#),
        (#"}"#, #"+ : '}'\x0a"#, #"+ x='}'\x0a"#, #"\x5c}"#),
        (#"^"#, #"+ : '^'\x0a"#, #"+ x='^'\x0a"#, #"\x5c^"#),
        (#"|"#, #"+ : '|'\x0a"#, #"+ x='|'\x0a"#, #"\x5c|"#),
        (#"&"#, #"+ : '&'\x0a"#, #"+ x='&'\x0a"#, #"\x5c&"#),
        (#";"#, #"+ : ';'\x0a"#, #"+ x=';'\x0a"#, #"\x5c;"#),
        (#"<"#, #"+ : '<'\x0a"#, #"+ x='<'\x0a"#, #"\x5c<"#),
        (#">"#, #"+ : '>'\x0a"#, #"+ x='>'\x0a"#, #"\x5c>"#),
        (#"("#, #"+ : '('\x0a"#, #"+ x='('\x0a"#, #"\x5c("#),
        (#")"#, #"+ : ')'\x0a"#, #"+ x=')'\x0a"#, #"\x5c)"#),
        (#"`"#, #"+ : '`'\x0a"#, #"+ x='`'\x0a"#, #"\x5c`"#),
        (#"="#, #"+ : =\x0a"#, #"+ x==\x0a"#, #"="#),
        (#"%"#, #"+ : %\x0a"#, #"+ x=%\x0a"#, #"%"#),
        (#"@"#, #"+ : @\x0a"#, #"+ x=@\x0a"#, #"@"#),
        (#"+"#, #"+ : +\x0a"#, #"+ x=+\x0a"#, #"+"#),
        (#"-"#, #"+ : -\x0a"#, #"+ x=-\x0a"#, #"-"#),
        (#"."#, #"+ : .\x0a"#, #"+ x=.\x0a"#, #"."#),
        (#","#, #"+ : ,\x0a"#, #"+ x=,\x0a"#, #"\x5c,"#),
        (#":"#, #"+ : :\x0a"#, #"+ x=:\x0a"#, #":"#),
        (#"/"#, #"+ : /\x0a"#, #"+ x=/\x0a"#, #"/"#),
        (#"\x7f"#, #"+ : $'\x5c177'\x0a"#, #"+ x=$'\x5c177'\x0a"#, #"$'\x5c177'"#),
        (#"\xc2\xa0"#, #"+ : \xc2\xa0\x0a"#, #"+ x=\xc2\xa0\x0a"#, #"\xc2\xa0"#),
        (#"\xe2\x80\xa8"#, #"+ : $'\x5c342\x5c200\x5c250'\x0a"#, #"+ x=$'\x5c342\x5c200\x5c250'\x0a"#, #"$'\x5c342\x5c200\x5c250'"#),
        (#"\xcd\xb8"#, #"+ : $'\x5c315\x5c270'\x0a"#, #"+ x=$'\x5c315\x5c270'\x0a"#, #"$'\x5c315\x5c270'"#),
        (#"\xee\x80\x80"#, #"+ : \xee\x80\x80\x0a"#, #"+ x=\xee\x80\x80\x0a"#, #"\xee\x80\x80"#),
        (#"\xe2\x80\x8b"#, #"+ : \xe2\x80\x8b\x0a"#, #"+ x=\xe2\x80\x8b\x0a"#, #"\xe2\x80\x8b"#),
        (#"x\x01y"#, #"+ : $'x\x5c001y'\x0a"#, #"+ x=$'x\x5c001y'\x0a"#, #"$'x\x5c001y'"#),
        (#"it's a 'test'"#, #"+ : 'it'\x5c''s a '\x5c''test'\x5c'''\x0a"#, #"+ x='it'\x5c''s a '\x5c''test'\x5c'''\x0a"#, #"it\x5c's\x5c a\x5c \x5c'test\x5c'"#),
        (#"a b\x09c"#, #"+ : 'a b\x09c'\x0a"#, #"+ x='a b\x09c'\x0a"#, #"$'a b\x5ctc'"#),
        (#"\x1b"#, #"+ : $'\x5cE'\x0a"#, #"+ x=$'\x5cE'\x0a"#, #"$'\x5cE'"#),
        (#"\xc3\xa9\x01"#, #"+ : $'\xc3\xa9\x5c001'\x0a"#, #"+ x=$'\xc3\xa9\x5c001'\x0a"#, #"$'\xc3\xa9\x5c001'"#),
        (#"ok_123"#, #"+ : ok_123\x0a"#, #"+ x=ok_123\x0a"#, #"ok_123"#),
        (#"-n"#, #"+ : -n\x0a"#, #"+ x=-n\x0a"#, #"-n"#),
        (#"\x5c"#, #"+ : '\x5c'\x0a"#, #"+ x='\x5c'\x0a"#, #"\x5c\x5c"#),
    ]

    func testQuotingAgainstBash() {
        for c in Self.quoteCases {
            let w = hexString(c.word)
            XCTAssertEqual(show(Array(("+ : " + traceQuote(w) + "\n").utf8)), show(hexBytes(c.trace)), "trace of \(c.word)")
            XCTAssertEqual(show(Array(("+ " + traceAssignment(name: "x", value: w) + "\n").utf8)), show(hexBytes(c.assign)), "assignment trace of \(c.word)")
            XCTAssertEqual(show(Array(shellQuote(w).utf8)), show(hexBytes(c.q)), "printf %q of \(c.word)")
        }
    }

    func testSingleQuote() {
        XCTAssertEqual(singleQuote("a b"), "'a b'")
        XCTAssertEqual(singleQuote("'"), "\\'")
        XCTAssertEqual(singleQuote("a'b"), "'a'\\''b'")
        XCTAssertEqual(traceAssignment(name: "a", value: "1 2", isArray: true), "a=(1 2)")
    }
}
