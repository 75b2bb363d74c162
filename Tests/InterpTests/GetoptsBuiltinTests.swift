// Generated from bash 5.2.15: a loop calling `getopts OPTSTRING opt ARGS…` and printing
// "status|opt|OPTARG|OPTIND" after each call (OPTARG: U unset, D declared without value, V:value),
// optionally assigning OPTIND=resetValue after call number resetAt.
import XCTest
@testable import Interp

final class GetoptsBuiltinTests: XCTestCase {
    static let cases: [(optstring: String, args: [String], resetAt: String, resetValue: String, stdout: String, stderr: String)] = [
        (#"ab"#, [#"-a"#, #"-b"#], #""#, #""#, #"0|a|D|2\x0a0|b|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-ab"#], #""#, #""#, #"0|a|D|1\x0a0|b|D|2\x0a1|?|U|2\x0a"#, #""#),
        (#"ab"#, [#"-ba"#, #"x"#], #""#, #""#, #"0|b|D|1\x0a0|a|D|2\x0a1|?|U|2\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"x"#, #"-b"#], #""#, #""#, #"0|a|D|2\x0a1|?|U|2\x0a"#, #""#),
        (#"ab"#, [#"-c"#], #""#, #""#, #"0|?|U|2\x0a1|?|U|2\x0a"#, #"bash: illegal option -- c\x0a"#),
        (#":ab"#, [#"-c"#], #""#, #""#, #"0|?|V:c|2\x0a1|?|U|2\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"--"#, #"-b"#], #""#, #""#, #"0|a|D|2\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"--"#], #""#, #""#, #"1|?|U|2\x0a"#, #""#),
        (#"ab"#, [#"-"#], #""#, #""#, #"1|?|U|1\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-"#, #"-b"#], #""#, #""#, #"0|a|D|2\x0a1|?|U|2\x0a"#, #""#),
        (#"ab"#, [], #""#, #""#, #"1|?|U|1\x0a"#, #""#),
        (#"ab"#, [#"x"#], #""#, #""#, #"1|?|U|1\x0a"#, #""#),
        (#"a:b"#, [#"-a"#, #"val"#, #"-b"#], #""#, #""#, #"0|a|V:val|3\x0a0|b|D|4\x0a1|?|U|4\x0a"#, #""#),
        (#"a:b"#, [#"-aval"#, #"-b"#], #""#, #""#, #"0|a|V:val|2\x0a0|b|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"a:b"#, [#"-baval"#], #""#, #""#, #"0|b|D|1\x0a0|a|V:val|2\x0a1|?|U|2\x0a"#, #""#),
        (#"a:b"#, [#"-ba"#, #"val"#], #""#, #""#, #"0|b|D|1\x0a0|a|V:val|3\x0a1|?|U|3\x0a"#, #""#),
        (#"a:b"#, [#"-a"#], #""#, #""#, #"0|?|U|2\x0a1|?|U|2\x0a"#, #"bash: option requires an argument -- a\x0a"#),
        (#":a:b"#, [#"-a"#], #""#, #""#, #"0|:|V:a|2\x0a1|?|U|2\x0a"#, #""#),
        (#"a:b"#, [#"-b"#, #"-a"#], #""#, #""#, #"0|b|D|2\x0a0|?|U|3\x0a1|?|U|3\x0a"#, #"bash: option requires an argument -- a\x0a"#),
        (#":a:b"#, [#"-ba"#], #""#, #""#, #"0|b|D|1\x0a0|:|V:a|2\x0a1|?|U|2\x0a"#, #""#),
        (#"a:"#, [#"-a"#, #"-b"#], #""#, #""#, #"0|a|V:-b|3\x0a1|?|U|3\x0a"#, #""#),
        (#"a:"#, [#"-a"#, #"--"#], #""#, #""#, #"0|a|V:--|3\x0a1|?|U|3\x0a"#, #""#),
        (#"a:"#, [#"-a"#, #""#], #""#, #""#, #"0|a|V:|3\x0a1|?|U|3\x0a"#, #""#),
        (#"a:"#, [#"-a"#, #""#, #"x"#], #""#, #""#, #"0|a|V:|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-a:"#], #""#, #""#, #"0|a|D|1\x0a0|?|U|2\x0a1|?|U|2\x0a"#, #"bash: illegal option -- :\x0a"#),
        (#":ab"#, [#"-:"#], #""#, #""#, #"0|?|V::|2\x0a1|?|U|2\x0a"#, #""#),
        (#"a::"#, [#"-a"#, #"x"#], #""#, #""#, #"0|a|V:x|3\x0a1|?|U|3\x0a"#, #""#),
        (#"a::"#, [#"-ax"#], #""#, #""#, #"0|a|V:x|2\x0a1|?|U|2\x0a"#, #""#),
        (#""#, [#"-a"#], #""#, #""#, #"0|?|U|2\x0a1|?|U|2\x0a"#, #"bash: illegal option -- a\x0a"#),
        (#":"#, [#"-a"#], #""#, #""#, #"0|?|V:a|2\x0a1|?|U|2\x0a"#, #""#),
        (#"abc"#, [#"-abc"#, #"-cba"#, #"rest"#], #""#, #""#, #"0|a|D|1\x0a0|b|D|1\x0a0|c|D|2\x0a0|c|D|2\x0a0|b|D|2\x0a0|a|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"xyz"#, [#"-xq"#, #"-y"#], #""#, #""#, #"0|x|D|1\x0a0|?|U|2\x0a0|y|D|3\x0a1|?|U|3\x0a"#, #"bash: illegal option -- q\x0a"#),
        (#":xyz"#, [#"-xq"#, #"-y"#], #""#, #""#, #"0|x|D|1\x0a0|?|V:q|2\x0a0|y|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-a\xc3\xa9"#], #""#, #""#, #"0|a|D|1\x0a0|?|U|1\x0a0|?|U|2\x0a1|?|U|2\x0a"#, #"bash: illegal option -- \xc3\x0abash: illegal option -- \xa9\x0a"#),
        (#"\xc3\xa9"#, [#"-\xc3\xa9"#], #""#, #""#, #"0|\xc3|D|1\x0a0|\xa9|D|2\x0a1|?|U|2\x0a"#, #""#),
        (#"a"#, [#"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#, #"-a"#], #""#, #""#, #"0|a|D|2\x0a0|a|D|3\x0a0|a|D|4\x0a0|a|D|5\x0a0|a|D|6\x0a0|a|D|7\x0a0|a|D|8\x0a0|a|D|9\x0a0|a|D|10\x0a0|a|D|11\x0a0|a|D|12\x0a1|?|U|12\x0a"#, #""#),
        (#"o:"#, [#"-o"#, #"file"#, #"-ofile"#, #"-o"#, #"-o"#], #""#, #""#, #"0|o|V:file|3\x0a0|o|V:file|4\x0a0|o|V:-o|6\x0a1|?|U|6\x0a"#, #""#),
        (#"v"#, [#"-vvv"#], #""#, #""#, #"0|v|D|1\x0a0|v|D|1\x0a0|v|D|2\x0a1|?|U|2\x0a"#, #""#),
        (#"a"#, [#"-"#, #"-a"#], #""#, #""#, #"1|?|U|1\x0a"#, #""#),
        (#"a"#, [#"x"#, #"-a"#], #""#, #""#, #"1|?|U|1\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-b"#, #"--"#, #"-a"#], #""#, #""#, #"0|a|D|2\x0a0|b|D|3\x0a1|?|U|4\x0a"#, #""#),
        (#"ab"#, [#"-ab"#, #"-a"#], #"1"#, #"1"#, #"0|a|D|1\x0a0|a|D|1\x0a0|b|D|2\x0a0|a|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-ab"#, #"-b"#, #"-a"#], #"2"#, #"1"#, #"0|a|D|1\x0a0|b|D|2\x0a0|a|D|1\x0a0|b|D|2\x0a0|b|D|3\x0a0|a|D|4\x0a1|?|U|4\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-b"#, #"-a"#], #"2"#, #"2"#, #"0|a|D|2\x0a0|b|D|3\x0a0|b|D|3\x0a0|a|D|4\x0a1|?|U|4\x0a"#, #""#),
        (#"ab"#, [#"-ab"#, #"-ba"#], #"1"#, #"2"#, #"0|a|D|1\x0a0|b|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-ab"#], #"1"#, #"5"#, #"0|a|D|1\x0a1|?|U|2\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-b"#], #"1"#, #"0"#, #"0|a|D|2\x0a0|a|D|2\x0a0|b|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-b"#], #"1"#, #"-3"#, #"0|a|D|2\x0a0|a|D|2\x0a0|b|D|3\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-b"#, #"-a"#], #"2"#, #""#, #"0|a|D|2\x0a0|b|D|3\x0a0|a|D|2\x0a0|b|D|3\x0a0|a|D|4\x0a1|?|U|4\x0a"#, #""#),
        (#"ab"#, [#"-abab"#, #"-b"#], #"2"#, #"3"#, #"0|a|D|1\x0a0|b|D|1\x0a1|?|U|3\x0a"#, #""#),
        (#"ab"#, [#"-a"#, #"-b"#], #"1"#, #"x"#, #"0|a|D|2\x0a0|a|D|2\x0a0|b|D|3\x0a1|?|U|3\x0a"#, #""#),
    ]

    func testAgainstBash() {
        for c in Self.cases {
            let args = c.args.map(hexString)
            var state = GetoptsState()
            var out = ""
            var err = ""
            var optarg = GetoptsOptarg.unset
            var i = 0
            while true {
                let r = getoptsStep(optstring: hexString(c.optstring), args: args, state: state)
                state = r.state
                if let e = r.error { err += "bash: " + e + "\n" }
                optarg = r.optarg
                let oa: String
                switch optarg {
                case .unset: oa = "U"
                case .declaredWithoutValue: oa = "D"
                case .value(let v): oa = "V:" + v
                }
                out += "\(r.done ? 1 : 0)|\(r.name)|\(oa)|\(r.optind)\n"
                if r.done { break }
                i += 1
                if i > 20 { break }
                if String(i) == c.resetAt { state.optindAssigned(hexString(c.resetValue)) }
            }
            XCTAssertEqual(out, hexString(c.stdout), "getopts \(c.optstring) \(c.args) reset \(c.resetAt)=\(c.resetValue)")
            XCTAssertEqual(err, hexString(c.stderr), "stderr of getopts \(c.optstring) \(c.args)")
        }
    }

    func testSimpleForm() {
        let r = getoptsStep(optstring: "ab", args: ["-ab"], optind: 1, subIndex: 0)
        XCTAssertEqual(r.name, "a")
        XCTAssertEqual(r.optind, "1")
        XCTAssertEqual(r.state.subIndex, 2)
        let r2 = getoptsStep(optstring: "ab", args: ["-ab"], optind: r.state.optind, subIndex: r.state.subIndex)
        XCTAssertEqual(r2.name, "b")
        XCTAssertEqual(r2.optind, "2")
        XCTAssertEqual(r2.state.subIndex, 0)
        let r3 = getoptsStep(optstring: "ab", args: ["-ab"], optind: 2, subIndex: 0)
        XCTAssertTrue(r3.done)
        XCTAssertEqual(r3.name, "?")
        XCTAssertEqual(r3.optarg, .unset)
    }
}
