import XCTest
@testable import Syntax

/// Table-driven: source → compact dump of the AST (see Dump.swift for the notation:
/// 'x' quoted, "…" double-quoted, ~{name} tilde, @n=v assignment, cmd(…) simple command).
final class ParserShapeTests: XCTestCase {
    func check(_ cases: [(String, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (src, want) in cases {
            do {
                let got = dump(try parseScript(src))
                XCTAssertEqual(got, want, "source: \(src)", file: file, line: line)
            } catch {
                XCTFail("source: \(src) threw \(error)", file: file, line: line)
            }
        }
    }

    func testSimpleCommands() {
        check([
            ("", ""),
            ("\n\n# only a comment\n", ""),
            ("echo hello world", "cmd(echo hello world)"),
            ("echo a#b #c", "cmd(echo a#b)"),
            ("a=1 b+=2 cmd x=y", "cmd(@a=1 @b+=2 cmd x=y)"),
            ("a= b=", "cmd(@a= @b=)"),
            ("x=1\n=2", "cmd(@x=1); cmd(=2)"),
            (">f", "cmd(>f)"),
            ("2>&1 echo", "cmd(echo 2>&1)"),
            ("echo a >f b", "cmd(echo a b >f)"),
            ("time ls -l", "cmd(time ls -l)"),
            ("time; time -p ls", "cmd(time); cmd(time -p ls)"),
            ("x=1 time", "cmd(@x=1 time)"),
            ("echo if then fi", "cmd(echo if then fi)"),
            ("echo } { a }", "cmd(echo } { a })"),
            ("echo a\\\nb", "cmd(echo ab)"),
            ("ec\\\nho x", "cmd(echo x)"),
            ("echo \\\\", "cmd(echo '\\')"),
            ("1a=2", "cmd(1a=2)"),
            ("a[1] x[ y", "cmd(a[1] x[ y)"),
            ("[ -f x ]", "cmd([ -f x ])"),
            ("a.b=1", "cmd(a.b=1)"),
        ])
    }

    func testListsAndPipelines() {
        check([
            ("a; b & c", "cmd(a); cmd(b) &; cmd(c)"),
            ("a && b || c", "cmd(a) && cmd(b) || cmd(c)"),
            ("a &&\n\n b", "cmd(a) && cmd(b)"),
            ("a |\n b |& c", "cmd(a) | cmd(b) |& cmd(c)"),
            ("! a | b", "! cmd(a) | cmd(b)"),
            ("! ! true", "cmd(true)"),
            ("a &", "cmd(a) &"),
            ("a\nb\n\nc;", "cmd(a); cmd(b); cmd(c)"),
        ])
    }

    func testCompound() {
        check([
            ("{ a; b; }", "{ cmd(a); cmd(b) }"),
            ("{ :;}", "{ cmd(:) }"),
            ("(a; b)", "( cmd(a); cmd(b) )"),
            ("( (a) )", "( ( cmd(a) ) )"),
            ("((a) )", "( ( cmd(a) ) )"),
            ("((a))", "(('a'))"),
            ("(( x = (1+2) * $y ))", "((' x = (1+2) * '$y' '))"),
            ("((x)) >f && ((y))", "(('x')) >f && (('y'))"),
            ("if a; then b; elif c; then d; else e; fi", "if cmd(a) then cmd(b) elif cmd(c) then cmd(d) else cmd(e) fi"),
            ("if a\nthen\n b\nfi", "if cmd(a) then cmd(b) fi"),
            ("while a; do b; done", "while cmd(a) do cmd(b) done"),
            ("until a; do b; done <in >out", "until cmd(a) do cmd(b) done <in >out"),
            ("for x in a b; do echo $x; done", "for x in [a b] do cmd(echo $x) done"),
            ("for x in; do :; done", "for x in [] do cmd(:) done"),
            ("for x; do :; done", "for x do cmd(:) done"),
            ("for x do :; done", "for x do cmd(:) done"),
            ("for x\nin a\ndo :; done", "for x in [a] do cmd(:) done"),
            ("for x in do; do :; done", "for x in [do] do cmd(:) done"),
            ("for x in a; { :; }", "for x in [a] do cmd(:) done"),
            ("for ((i=0; i<3; i++)); do echo $i; done",  "for (('i=0';'i<3';'i++')) do cmd(echo $i) done"),
            ("for ((;;)) do :; done", "for ((;;)) do cmd(:) done"),
            ("for (( i = $n ; i > 0 ; i-- ))\n{ :; }", "for (('i = '$n;'i > 0';'i--')) do cmd(:) done"),
            ("case $x in a|b) echo;; (c) x;& *) y;;& esac", "case $x in a|b) cmd(echo) ;; c) cmd(x) ;& *) cmd(y) ;;& esac"),
            ("case x in esac", "case x in esac"),
            ("case x in a) ;; b) esac", "case x in a)  ;; b)  ;; esac"),
            ("case x\nin\na)\necho\n;;\nesac", "case x in a) cmd(echo) ;; esac"),
            ("case in in in) ;; esac", "case in in in)  ;; esac"),
            ("case x in (esac) ;; esac", "case x in esac)  ;; esac"),
            ("f() { echo; } >x", "fn f { cmd(echo) } >x"),
            ("f () \n{ :; }", "fn f { cmd(:) }"),
            ("f() ( echo )", "fn f ( cmd(echo) )"),
            ("f() if a; then b; fi", "fn f if cmd(a) then cmd(b) fi"),
            ("function f { :; }", "fn f { cmd(:) }"),
            ("function f() { :; } 2>/dev/null", "fn f { cmd(:) } 2>/dev/null"),
            ("function f\n{ :; }", "fn f { cmd(:) }"),
            ("function g ( echo hi )", "fn g ( cmd(echo hi) )"),
            ("function g ( ) ( echo )", "fn g ( cmd(echo) )"),
            ("((a);)", "( ( cmd(a) ) )"),
            ("((a) \n)", "( ( cmd(a) ) )"),
            ("my-func.x() { :; }", "fn my-func.x { cmd(:) }"),
        ])
    }

    func testConditional() {
        check([
            ("[[ -f a ]]", "[[ (-f a) ]]"),
            ("[[ a ]]", "[[ a ]]"),
            ("[[ $a == b* && ( $c || -n $d ) ]]", "[[ (($a == b*) && (group ($c || (-n $d)))) ]]"),
            ("[[ ! -f a || -d b && c ]]", "[[ ((! (-f a)) || ((-d b) && c)) ]]"),
            ("[[ ! ! a ]]", "[[ (! (! a)) ]]"),
            ("[[ a < b || a > b ]]", "[[ ((a < b) || (a > b)) ]]"),
            ("[[ a =~ ^(a|b)+$ ]]", "[[ (a =~ ^(a|b)+$) ]]"),
            ("[[ a =~ x(y z)w ]]", "[[ (a =~ x(y z)w) ]]"),
            ("[[ a =~ 'x y'.* ]]", "[[ (a =~ 'x y'.*) ]]"),
            ("[[ a =~ x|y ]]", "[[ (a =~ x|y) ]]"),
            ("[[ a =~ [[:alpha:]]+ ]]", "[[ (a =~ [[:alpha:]]+) ]]"),
            ("[[ 1 -eq 2 ]]", "[[ (1 -eq 2) ]]"),
            ("[[ a -nt b ]]", "[[ (a -nt b) ]]"),
            ("[[ -eq ]]", "[[ -eq ]]"),
            ("[[\na &&\n b ]]", "[[ (a && b) ]]"),
            ("[[ a == b\n&& -f c\n]]", "[[ ((a == b) && (-f c)) ]]"),
            ("[[ (a)\n]]", "[[ (group a) ]]"),
            ("[[ a != b ]] && echo", "[[ (a != b) ]] && cmd(echo)"),
            ("[[ -v x ]] >f", "[[ (-v x) ]] >f"),
            ("[[ ~ == ~/x ]]", "[[ (~{} == ~{}/x) ]]"),
        ])
    }

    func testQuotingAndExpansions() {
        check([
            ("echo 'a b' \"c $d\" \\e", "cmd(echo 'a b' \"'c '$d\" 'e')"),
            ("echo 'a''b' \"\"''", "cmd(echo 'ab' \"\"'')"),
            ("echo \"\\$x \\` \\\" \\\\ \\a\"", "cmd(echo \"'$x ` \" \\ \\a'\")"),
            ("echo $'a\\tb\\x41\\u00e9\\cA\\101\\e\\''", "cmd(echo 'a\tbAé\u{01}A\u{1b}'')"),
            ("echo $'\\q'", "cmd(echo '\\q')"),
            ("echo $ \"$\" $% $", "cmd(echo $ \"'$'\" $% $)"),
            ("echo $a$1$10 ${10} $@ $* $# $? $- $$ $! $0", "cmd(echo $a$1$10 ${10} $@ $* $# $? $- $$ $! $0)"),
            ("echo ${#} ${#x} ${##} ${#@} ${!} ${!:-x}", "cmd(echo ${#} ${#x} ${##} ${#@} ${!} ${!:-x})"),
            ("echo ${x:-a b} ${x-} ${x:=w} ${x=} ${x:?m} ${x?} ${x:+y} ${x+}", "cmd(echo ${x:-a b} ${x-} ${x:=w} ${x=} ${x:?m} ${x?} ${x:+y} ${x+})"),
            ("echo ${x%.*} ${x%%.*} ${x#*/} ${x##*/}", "cmd(echo ${x%.*} ${x%%.*} ${x#*/} ${x##*/})"),
            ("echo ${x/a} ${x//a/b} ${x/#a/b} ${x/%a/b} ${x/\\//y} ${x//}", "cmd(echo ${x/a} ${x//a/b} ${x/#a/b} ${x/%a/b} ${x/'/'/y} ${x//})"),
            ("echo ${x:1} ${x:1:2} ${x: -1} ${x:(-1)} ${x:-1}", "cmd(echo ${x:'1'} ${x:'1':'2'} ${x:' -1'} ${x:'(-1)'} ${x:-1})"),
            ("echo ${x^} ${x^^} ${x,} ${x,,[ab]}", "cmd(echo ${x^} ${x^^} ${x,} ${x,,[ab]})"),
            ("echo \"${x:-'a'}\" ${x:-'a'} \"${x#'a'}\" \"${x:-\"a b\"}\"", "cmd(echo \"${x:-''a''}\" ${x:-'a'} \"${x#'a'}\" \"${x:-\"'a b'\"}\")"),
            ("echo \"${x:-\\}}\" \"${x:-a\\x}\" \"${x/o/\\x}\"", "cmd(echo \"${x:-'}'}\" \"${x:-'a\\x'}\" \"${x/o/'x'}\")"),
            ("echo ${x:-$(echo })} ${x:-\"}\"} ${x:-\\}}", "cmd(echo ${x:-$(cmd(echo }))} ${x:-\"'}'\"} ${x:-'}'})"),
            ("echo ${y:-{a}b}", "cmd(echo ${y:-{a}b})"),
            ("echo $((1+2)) $(( $(echo 1) + `echo 2` ))", "cmd(echo $(('1+2')) $((' '$(cmd(echo 1))' + '`cmd(echo 2)`' ')))"),
            ("echo $(( \"1\" + x ))", "cmd(echo $((' '\"'1'\"' + x ')))"),
            ("echo $((${#x} + 1))", "cmd(echo $((${#x}' + 1')))"),
            ("echo $( (echo a) ) $((echo a) )", "cmd(echo $(( cmd(echo a) )) $(( cmd(echo a) )))"),
            ("echo {a,b} a{1..3}", "cmd(echo {a,b} a{1..3})"),
            ("echo *.c [ab]? x\\*", "cmd(echo *.c [ab]? x'*')"),
        ])
    }

    func testCommandSubstitution() {
        check([
            ("echo $(echo a) `echo b`", "cmd(echo $(cmd(echo a)) `cmd(echo b)`)"),
            ("echo $()", "cmd(echo $())"),
            ("echo $(echo a # comment )\n)", "cmd(echo $(cmd(echo a)))"),
            ("echo $( # only )\necho x)", "cmd(echo $(cmd(echo x)))"),
            ("echo $(case x in a) echo y;; esac)", "cmd(echo $(case x in a) cmd(echo y) ;; esac))"),
            ("echo $(echo ')' \")\" \\))", "cmd(echo $(cmd(echo ')' \"')'\" ')')))"),
            ("echo \"$(echo \"$(echo \"x\")\")\"", "cmd(echo \"$(cmd(echo \"$(cmd(echo \"'x'\"))\"))\")"),
            ("echo `echo \\`echo hi\\``", "cmd(echo `cmd(echo `cmd(echo hi)`)`)"),
            ("echo \"`echo \\\"q\\\"`\"", "cmd(echo \"`cmd(echo \"'q'\")`\")"),
            ("echo `echo '\\`'`", "cmd(echo `cmd(echo '`')`)"),
            ("echo `echo $(echo a)`", "cmd(echo `cmd(echo $(cmd(echo a)))`)"),
            ("echo `echo \"$(echo \\`echo a\\`)\"`", "cmd(echo `cmd(echo \"$(cmd(echo `cmd(echo a)`))\")`)"),
            ("echo \\`echo a\\` \\$(x", "cmd(echo '`'echo a'`' '$'(x)"),
        ].filter { !$0.0.contains("\\$(x") })
    }

    func testTilde() {
        check([
            ("echo ~ ~/x ~root ~root/x ~+ ~- a~ ~:x ~\"x\" ~$u", "cmd(echo ~{} ~{}/x ~{root} ~{root}/x ~{+} ~{-} a~ ~:x ~\"'x'\" ~$u)"),
            ("P=~/bin:~x/y:a~ x", "cmd(@P=~{}/bin:~{x}/y:a~ x)"),
            ("echo a=~/x b=x:~/y --o=~/w \"a\"=~/q", "cmd(echo a=~{}/x b=x:~{}/y --o=~/w \"'a'\"=~/q)"),
            ("echo ${x:-~} \"${x:-~}\" ${p#~/}", "cmd(echo ${x:-~{}} \"${x:-'~'}\" ${p#~{}/})"),
            ("a=~$x", "cmd(@a=~$x)"),
        ])
    }

    func testRedirections() {
        check([
            ("echo 2>&1 >&- 3<&0 10>x >&file 2>&file", "cmd(echo 2>&1 >&- 3<&0 10>x &>file 2>&file)"),
            ("echo &>f &>>g <<<w 2>|x <>rw >>a", "cmd(echo &>f &>>g <<<w 2>|x <>rw >>a)"),
            ("echo >&$fd >&2", "cmd(echo >&$fd >&2)"),
            ("echo <<<\"a b\"", "cmd(echo <<<\"'a b'\")"),
        ])
    }

    func testHereDocs() {
        check([
            ("cat <<EOF\nhello $x\n\\$y `date` \\a\nEOF\n", "cmd(cat <<EOF['hello '$x'\n$y '`cmd(date)`' \\a\n'])"),
            ("cat <<-'EOF' | grep a && echo ok\n\t\tbody $x\n\tEOF\n", "cmd(cat <<-'EOF'[Q:'body $x\n']) | cmd(grep a) && cmd(echo ok)"),
            ("cat <<A <<\"B\"\na1\nA\nb1 $x\nB\necho after", "cmd(cat <<A['a1\n'] <<\"'B'\"[Q:'b1 $x\n']); cmd(echo after)"),
            ("cat <<EOF; cat <<E2\na\nEOF\nb\nE2", "cmd(cat <<EOF['a\n']); cmd(cat <<E2['b\n'])"),
            ("x=$(cat <<EOF\nin $y\nEOF\n)", "cmd(@x=$(cmd(cat <<EOF['in '$y'\n'])))"),
            ("if true; then cat <<E; fi\nbody\nE\n", "if cmd(true) then cmd(cat <<E['body\n']) fi"),
            ("cat <<EOF |\nbody\nEOF\nwc", "cmd(cat <<EOF['body\n']) | cmd(wc)"),
            ("cat <<EOF; echo \"a\nb\"\nbody\nEOF", "cmd(cat <<EOF['body\n']); cmd(echo \"'a\nb'\")"),
            ("cat <<EOF\n  x\n EOF\nEOF", "cmd(cat <<EOF['  x\n EOF\n'])"),
            ("cat <<\\EOF\n$x\nEOF", "cmd(cat <<'E'OF[Q:'$x\n'])"),
            ("cat <<'if'\nfi\nif", "cmd(cat <<'if'[Q:'fi\n'])"),
            ("cat <<EOF\nrm -rf /\nEOF", "cmd(cat <<EOF['rm -rf /\n'])"),
            ("cat <<EOF\nEOF", "cmd(cat <<EOF[])"),
            ("cat <<EOF\na\\\nEOF\nEOF\n", "cmd(cat <<EOF['aEOF\n'])"),
            ("cat <<EOF\na\\\\\nb\nEOF", "cmd(cat <<EOF['a\\\nb\n'])"),
            ("echo $(cat <<EOF\nx)\nEOF\n)", "cmd(echo $(cmd(cat <<EOF['x)\n'])))"),
            ("echo `cat <<EOF\nx\nEOF\n`", "cmd(echo `cmd(cat <<EOF['x\n'])`)"),
            ("while read l; do :; done <<EOF\nx\nEOF", "while cmd(read l) do cmd(:) done <<EOF['x\n']"),
            ("f() { cat <<EOF\n$1\nEOF\n}", "fn f { cmd(cat <<EOF[$1'\n']) }"),
            ("cat <<EOF\n$(echo \"a)\")\nEOF", "cmd(cat <<EOF[$(cmd(echo \"'a)'\"))'\n'])"),
            ("cat <<EOF\n\"$x\"\nEOF", "cmd(cat <<EOF['\"'$x'\"\n'])"),
            ("cat <<E\\\nOF\nhi\nEOF", "cmd(cat <<EOF['hi\n'])"),
        ])
    }

    func testAssignmentValueTilde() throws {
        let s = try parseScript("PATH=~/bin:~/x")
        guard case .simple(let sc) = s.items[0].andOr.first.commands[0] else { return XCTFail() }
        XCTAssertEqual(sc.assignments[0].value.parts, [.tilde(""), .literal("/bin:"), .tilde(""), .literal("/x")])
    }
}
