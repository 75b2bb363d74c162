import XCTest
@testable import Syntax

final class ParserErrorTests: XCTestCase {
    typealias K = ParseError.Kind

    func check(_ cases: [(String, K, String, Int, Int)], file: StaticString = #filePath, line: UInt = #line) {
        for (src, kind, msg, l, c) in cases {
            do {
                let s = try parseScript(src)
                XCTFail("source: \(src.debugDescription) parsed as \(dump(s)), expected \(kind)", file: file, line: line)
            } catch let e as ParseError {
                XCTAssertEqual(e.kind, kind, "source: \(src.debugDescription): \(e)", file: file, line: line)
                XCTAssertTrue(e.message.contains(msg), "source: \(src.debugDescription): message \(e.message.debugDescription) lacks \(msg.debugDescription)", file: file, line: line)
                XCTAssertEqual(e.pos, Pos(line: l, column: c), "source: \(src.debugDescription): \(e)", file: file, line: line)
            } catch {
                XCTFail("unexpected error \(error)", file: file, line: line)
            }
        }
    }

    func testSyntaxErrors() {
        check([
            ("fi", .syntax, "unexpected 'fi'", 1, 1),
            ("done", .syntax, "unexpected 'done'", 1, 1),
            ("then", .syntax, "unexpected 'then'", 1, 1),
            ("}", .syntax, "unexpected '}'", 1, 1),
            ("echo a; }", .syntax, "unexpected '}'", 1, 9),
            (";;", .syntax, "unexpected ';;'", 1, 1),
            ("a ;; b", .syntax, "unexpected ';;'", 1, 3),
            (";", .syntax, "unexpected ';'", 1, 1),
            ("( )", .syntax, "unexpected ')'", 1, 3),
            ("{ }", .syntax, "unexpected '}'", 1, 3),
            ("&& x", .syntax, "unexpected '&&'", 1, 1),
            ("a & & b", .syntax, "unexpected '&'", 1, 5),
            ("echo a;\n;", .syntax, "unexpected ';'", 2, 1),
            ("if then fi", .syntax, "unexpected 'then'", 1, 4),
            ("if a; then b; fi fi", .syntax, "unexpected 'fi'", 1, 18),
            ("if :; then :; else; fi", .syntax, "unexpected ';'", 1, 19),
            ("{ :; } a", .syntax, "unexpected 'a'", 1, 8),
            ("{:;}", .syntax, "unexpected '}'", 1, 4),
            ("echo >", .syntax, "missing file name after '>'", 1, 6),
            ("echo 2>\nx", .syntax, "missing file name after '>'", 1, 6),
            ("echo > ;", .syntax, "unexpected ';'", 1, 8),
            ("a=1 f() { :; }", .syntax, "unexpected '('", 1, 6),
            ("f() echo", .syntax, "unexpected 'echo'", 1, 5),
            ("f\n() { :; }", .syntax, "unexpected ')'", 2, 2),
            ("function { :; }", .syntax, "unexpected ':'", 1, 12),
            ("echo (", .syntax, "unexpected end of input", 1, 7),
            ("echo (\n)", .syntax, "unexpected 'newline'", 1, 7),
            ("for", .syntax, "unexpected end of input", 1, 4),
            ("for\nx in a; do :; done", .syntax, "unexpected 'newline'", 1, 4),
            ("case", .syntax, "unexpected end of input", 1, 5),
            ("function", .syntax, "unexpected end of input", 1, 9),
            ("case x in a", .syntax, "unexpected end of input", 1, 12),
            ("case x in a |", .syntax, "unexpected end of input", 1, 14),
            ("case x in (", .syntax, "unexpected end of input", 1, 12),
            ("[[ a", .syntax, "unexpected end of input", 1, 5),
            ("[[ a ==", .syntax, "unexpected end of input", 1, 8),
            ("[[ -f", .syntax, "unexpected end of input", 1, 6),
            ("cat <<", .syntax, "missing file name after '<<'", 1, 5),
            ("echo a (b)", .syntax, "unexpected '('", 1, 8),
            ("for 1 in a; do :; done", .syntax, "not a valid loop variable", 1, 5),
            ("while :; { :; }", .incomplete, "unexpected end of input", 1, 16),
            ("case x in esac) ;; esac", .syntax, "unexpected ')'", 1, 15),
            ("case x in a|) ;; esac", .syntax, "unexpected ')'", 1, 13),
            ("case x in |a) ;; esac", .syntax, "unexpected '|'", 1, 11),
            ("case x in ) ;; esac", .syntax, "unexpected ')'", 1, 11),
            ("case x in a) ;;; esac", .syntax, "unexpected ';'", 1, 16),
            ("case x in a) b c) ;; esac", .syntax, "unexpected ')'", 1, 17),
            ("true | ! false", .syntax, "unexpected '!'", 1, 8),
            ("! &&", .syntax, "unexpected '&&'", 1, 3),
            ("echo $(fi)", .syntax, "unexpected 'fi'", 1, 8),
            ("echo $(a;;)", .syntax, "unexpected ';;'", 1, 9),
            ("echo ${}", .syntax, "bad substitution", 1, 6),
            ("echo ${x!y}", .syntax, "bad substitution", 1, 6),
            ("echo ${x y}", .syntax, "bad substitution", 1, 6),
            ("in", .syntax, "unexpected 'in'", 1, 1),
            ("((a)\n)", .syntax, "unexpected newline after '((...)'", 1, 1),
            ("[[ a\n== b ]]", .syntax, "unexpected 'newline'", 1, 5),
            ("[[ a ==\nb ]]", .syntax, "unexpected 'newline'", 1, 8),
            ("time done", .syntax, "unexpected 'done'", 1, 6),
            ("time && x", .syntax, "unexpected '&&'", 1, 6),
            ("time &", .syntax, "unexpected '&'", 1, 6),
            ("a | ]]", .syntax, "unexpected ']]'", 1, 5),
            ("[[ -f ]]", .syntax, "unexpected ']]'", 1, 7),
            ("[[ ]]", .syntax, "empty conditional expression", 1, 1),
            ("[[ a b ]]", .syntax, "conditional binary operator expected", 1, 6),
            ("[[ a\n]]", .syntax, "unexpected 'newline'", 1, 5),
            ("[[ a == ]]", .syntax, "unexpected ']]'", 1, 9),
            ("[[ a ) ]]", .syntax, "unexpected ')'", 1, 6),
            ("[[ a == b ]] ]]", .syntax, "unexpected ']]'", 1, 14),
            ("[[ a ; ]]", .syntax, "unexpected ';'", 1, 6),
            ("echo `a |`", .syntax, "inside `...`", 1, 10),
            ("echo `fi`", .syntax, "unexpected 'fi' (inside `...`)", 1, 7),
            ("echo `echo \"`", .syntax, "unterminated double quote", 1, 12),
            ("cat <<E\n$(\nE\n", .syntax, "inside a here-document", 2, 1),
            ("echo $((1 + (2)) )", .syntax, "unexpected '(' (inside $((...) read as a command substitution)", 1, 13),
            ("(( ${x ))", .syntax, "unterminated ${ (inside arithmetic)", 1, 4),
            ("(( [,&###\"\n ))", .incomplete, "unterminated ((", 1, 1),
            ("echo $(( `a ))", .incomplete, "unterminated ((", 1, 6),
            ("echo \\$(echo)", .syntax, "unexpected '('", 1, 8),
        ])
    }

    func testIncomplete() {
        check([
            ("echo 'abc", .incomplete, "unterminated single quote", 1, 6),
            ("echo \"abc", .incomplete, "unterminated double quote", 1, 6),
            ("echo \"$(echo \")\"", .incomplete, "unterminated $(", 1, 7),
            ("echo $(echo \"", .incomplete, "unterminated double quote", 1, 13),
            ("echo $'abc", .incomplete, "unterminated $'", 1, 6),
            ("echo $(ls", .incomplete, "unterminated $(", 1, 6),
            ("echo $(ls\n", .incomplete, "unterminated $(", 1, 6),
            ("echo `ls", .incomplete, "unterminated backquote", 1, 6),
            ("echo ${x", .incomplete, "unterminated ${", 1, 6),
            ("echo ${x:-", .incomplete, "unterminated ${", 1, 6),
            ("echo \"${x:-a", .incomplete, "unterminated ${", 1, 7),
            ("echo $((1+", .incomplete, "unterminated ((", 1, 6),
            ("cat <<EOF\nabc", .incomplete, "here-document delimited by 'EOF' is not terminated", 1, 5),
            ("cat <<EOF\nabc\n", .incomplete, "'EOF' is not terminated", 1, 5),
            ("cat <<EOF", .incomplete, "'EOF' is not terminated", 1, 5),
            ("cat <<EOF\n", .incomplete, "'EOF' is not terminated", 1, 5),
            ("cat <<-EOF\n\tx\n EOF\n", .incomplete, "'EOF' is not terminated", 1, 5),
            ("x=$(cat <<EOF\nabc\n", .incomplete, "'EOF' is not terminated", 1, 9),
            ("if true; then", .incomplete, "unexpected end of input", 1, 14),
            ("if true; then echo; else", .incomplete, "unexpected end of input", 1, 25),
            ("if", .incomplete, "unexpected end of input", 1, 3),
            ("a |", .incomplete, "unexpected end of input", 1, 4),
            ("a |\n", .incomplete, "unexpected end of input", 2, 1),
            ("a &&", .incomplete, "unexpected end of input", 1, 5),
            ("a ||\n\n", .incomplete, "unexpected end of input", 3, 1),
            ("{ echo a", .incomplete, "unexpected end of input", 1, 9),
            ("{ echo }", .incomplete, "unexpected end of input", 1, 9),
            ("(", .incomplete, "unexpected end of input", 1, 2),
            ("( a", .incomplete, "unexpected end of input", 1, 4),
            ("((", .incomplete, "unterminated ((", 1, 1),
            ("while true", .incomplete, "unexpected end of input", 1, 11),
            ("while true; do", .incomplete, "unexpected end of input", 1, 15),
            ("for x in a b", .incomplete, "unexpected end of input", 1, 13),
            ("for x", .incomplete, "unexpected end of input", 1, 6),
            ("case x in", .incomplete, "unexpected end of input", 1, 10),
            ("case x in a)", .incomplete, "unexpected end of input", 1, 13),
            ("case x in a) ;;", .incomplete, "unexpected end of input", 1, 16),
            ("f()", .incomplete, "unexpected end of input", 1, 4),
            ("function f", .incomplete, "unexpected end of input", 1, 11),
            ("echo a\\\n", .incomplete, "line continuation", 2, 1),
            ("[[", .incomplete, "unexpected end of input", 1, 3),
            ("[[ !", .incomplete, "unexpected end of input", 1, 5),
            ("[[ (", .incomplete, "unexpected end of input", 1, 5),
            ("[[ a &&", .incomplete, "unexpected end of input", 1, 8),
            ("[[ a == b", .incomplete, "unexpected end of input", 1, 10),
            ("[[ -z $x]]", .incomplete, "unexpected end of input", 1, 11),
            ("[[ a == b\n", .incomplete, "unexpected end of input", 2, 1),
            ("echo \"${x\n", .incomplete, "unterminated ${", 1, 7),
            ("function g (\n", .incomplete, "unexpected end of input", 2, 1),
            ("case x", .incomplete, "unexpected end of input", 1, 7),
            ("function f (", .incomplete, "unexpected end of input", 1, 13),
            ("f() {", .incomplete, "unexpected end of input", 1, 6),
            ("[[ a =~ (", .incomplete, "unterminated '('", 1, 10),
            ("$(", .incomplete, "unterminated $(", 1, 1),
            ("aa[", .incomplete, "unterminated '['", 1, 1),
            ("a[ do ", .incomplete, "unterminated '['", 1, 1),
            ("`", .incomplete, "unterminated backquote", 1, 1),
            ("echo $(case x in a) echo", .incomplete, "unexpected end of input", 1, 25),
        ])
    }

    func testUnsupported() {
        check([
            ("a=(1 2)", .unsupported, "arrays are not supported (a=(...))", 1, 1),
            ("x+=(3)", .unsupported, "arrays", 1, 1),
            ("local a=(1 2)", .unsupported, "arrays", 1, 7),
            ("a[0]=x", .unsupported, "arrays", 1, 1),
            ("a[$i]+=x", .unsupported, "arrays", 1, 1),
            ("echo ${a[0]}", .unsupported, "arrays", 1, 6),
            ("echo ${a[@]}", .unsupported, "arrays", 1, 6),
            ("echo ${#a[@]}", .unsupported, "arrays", 1, 6),
            ("echo ${!a[@]}", .unsupported, "arrays", 1, 6),
            ("echo \"${!x}\"", .unsupported, "indirect expansion", 1, 7),
            ("echo ${!pre*}", .unsupported, "name-prefix expansion", 1, 6),
            ("echo ${x@Q}", .unsupported, "transformations", 1, 6),
            ("select x in a; do :; done", .unsupported, "select", 1, 1),
            ("coproc cat", .unsupported, "coproc", 1, 1),
            ("for ((i=0;i<3)); do :; done", .syntax, "two ';'", 1, 5),
            ("diff <(ls) b", .unsupported, "process substitution is not supported (<(...))", 1, 6),
            ("tee >(wc) </dev/null", .unsupported, "process substitution is not supported (>(...))", 1, 5),
            ("exec {fd}>file", .unsupported, "named file descriptor", 1, 6),
            ("echo @(a|b)", .unsupported, "extended glob", 1, 6),
            ("echo a!(x)", .unsupported, "extended glob", 1, 7),
            ("[[ $x == +(a) ]]", .unsupported, "extended glob", 1, 10),
            ("case x in *(a)) ;; esac", .unsupported, "extended glob", 1, 11),
            ("echo $\"hi\"", .unsupported, "locale", 1, 6),
            ("echo $[1+2]", .unsupported, "$[...]", 1, 6),
            ("!", .unsupported, "'!' without a command", 1, 1),
            ("\"f\"() { :; }", .unsupported, "function names", 1, 1),
            ("echo $(cat <<EOF)\nx\nEOF\n", .unsupported, "here-document", 1, 6),
            ("[[ -R x ]]", .unsupported, "-R", 1, 4),
            ("echo ${ x; }", .unsupported, "5.3", 1, 6),
            ("a[ ; rm -rf / ; ]", .unsupported, "array subscripts", 1, 1),
            ("x=1 b[1 2]", .unsupported, "array subscripts", 1, 5),
            ("time { ls; }", .unsupported, "time keyword", 1, 1),
            ("time ! false", .unsupported, "time keyword", 1, 1),
            ("x | time ( ls )", .unsupported, "time keyword", 1, 5),
            ("cat <<EOF | $(echo\ncat)\nbody\nEOF\n", .unsupported, "pending here-document", 1, 13),
            ("echo `select x in a; do :; done`", .unsupported, "select", 1, 7),
            ("echo 99999999999>x", .unsupported, "file descriptor", 1, 6),
        ])
    }

    func testDeepNesting() {
        // Deep but acceptable nesting parses; absurd nesting is refused, never crashes.
        let ok = String(repeating: "(", count: 50) + "a" + String(repeating: ")", count: 50)
        XCTAssertNoThrow(try parseScript(ok))
        let okSub = String(repeating: "$(", count: 50) + "a" + String(repeating: ")", count: 50)
        XCTAssertNoThrow(try parseScript("echo " + okSub))
        for src in [String(repeating: "( ", count: 5000) + "a" + String(repeating: " )", count: 5000),
                    "echo " + String(repeating: "$(", count: 5000) + String(repeating: ")", count: 5000),
                    String(repeating: "{ ", count: 5000) + "a; " + String(repeating: "} ", count: 5000),
                    String(repeating: "if a; then ", count: 3000) + "b" + String(repeating: "; fi", count: 3000),
                    "echo " + String(repeating: "\"${x:-", count: 3000) + String(repeating: "}\"", count: 3000),
                    "[[ " + String(repeating: "( ", count: 3000) + "a" + String(repeating: " )", count: 3000) + " ]]",
                    "[[ " + String(repeating: "! ", count: 3000) + "a ]]"] {
            XCTAssertThrowsError(try parseScript(src)) { e in
                XCTAssertEqual((e as? ParseError)?.kind, .unsupported)
            }
        }
        // Unbalanced deep nesting: incomplete, not a crash.
        XCTAssertThrowsError(try parseScript(String(repeating: "(", count: 100))) { e in
            XCTAssertEqual((e as? ParseError)?.kind, .incomplete)
        }
    }

    func testDescription() {
        let e = ParseError(kind: .syntax, message: "unexpected 'fi'", pos: Pos(line: 3, column: 7))
        XCTAssertEqual(e.description, "line 3:7: unexpected 'fi'")
    }
}
