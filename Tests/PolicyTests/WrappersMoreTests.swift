import PolicyTestSupport
import XCTest
@testable import Policy

final class WrappersMoreTests: PolicyTestCase {
    private func kinds(_ cmd: String) -> [String] {
        innerCommands(words(cmd)).map {
            switch $0 {
            case .argv(let a, _): return "argv:" + a.joined(separator: " ")
            case .shellScript(let s, _, _): return "sh:" + s
            case .shellFile(let f, _): return "file:" + f
            case .inlineCode(let l, let c): return "\(l):" + c
            case .unknown: return "unknown"
            }
        }
    }

    func testMoreTools() {
        let table: [(String, [String])] = [
            ("strace -o '|rm x' true", ["sh:rm x", "argv:true"]),
            ("strace -o'!id' -p 1", ["sh:id"]),
            ("strace -o out true", ["argv:true"]),
            ("tar -cf a.tar -T list", ["unknown"]),
            ("tar -cf a.tar --files-from=list", ["unknown"]),
            ("tar -cf a.tar --verbatim-files-from -T list", []),
            ("tar cTf list a.tar", ["unknown"]),
            ("sort --compress-program=gzip f", ["argv:gzip"]),
            ("sort --comp rm f", ["argv:rm"]),
            ("sort -u f", []),
            ("split --filter='rm x' f", ["sh:rm x"]),
            ("split -l 10 f", []),
            ("zip -T -TT 'rm x' a.zip f", ["sh:rm x"]),
            ("zip -r a.zip d", []),
            ("sqlite3 db 'select 1'", []),
            ("sqlite3 db '.shell rm x'", ["unknown"]),
            ("sqlite3 db '.system id'", ["unknown"]),
            ("sqlite3 db '.once |sh'", ["unknown"]),
            ("sqlite3 db \"select load_extension('x')\"", ["unknown"]),
            ("sqlite3 -cmd '.shell id' db 'select 1'", ["unknown"]),
            ("sqlite3 db", ["sqlite:-"]),
            ("sqlite3 -safe db", []),
            ("sqlite3 -init x.sql db", ["unknown"]),
            ("emacs --batch --eval '(x)'", ["unknown"]),
            ("emacs file", []),
            ("ssh-agent bash -c x", ["argv:bash -c x"]),
            ("ssh-agent -s", []),
            ("fakeroot rm x", ["argv:rm x"]),
            ("fakeroot -- make install", ["argv:make install"]),
            ("dbus-run-session -- rm x", ["argv:rm x"]),
        ]
        for (cmd, expect) in table { XCTAssertEqual(kinds(cmd), expect, cmd) }
    }

    func testAppendsInputArguments() {
        XCTAssertTrue(appendsInputArguments(words("xargs rm")))
        XCTAssertTrue(appendsInputArguments(words("/usr/bin/xargs -0 rm -f")))
        XCTAssertTrue(appendsInputArguments(words("xargs -I{} rm {}")))
        XCTAssertFalse(appendsInputArguments(words("xargs -I{} rm -- {}")))  // `--` is before the input word
        XCTAssertFalse(appendsInputArguments(words("xargs -I{} mv ./{} dest")))
        XCTAssertFalse(appendsInputArguments(words("find . -exec rm {} +")))
        XCTAssertFalse(appendsInputArguments(words("rm x")))
    }

    func testEnvironmentVariables() {
        for n in ["LD_PRELOAD", "LD_FOO", "BASH_ENV", "GIT_SSH_COMMAND", "GIT_CONFIG_KEY_0", "PAGER", "PATH",
                  "NODE_OPTIONS", "PERL5OPT", "PYTHONSTARTUP", "TAR_OPTIONS", "BASH_FUNC_x%%"] {
            XCTAssertTrue(environmentVariableRunsCode(n), n)
        }
        for n in ["FOO", "LANG", "TERM", "CI", "DEBUG"] { XCTAssertFalse(environmentVariableRunsCode(n), n) }
    }

    func testGitConfigKeys() {
        XCTAssertTrue(gitConfigRunsProgram("core.fsmonitor", value: "rm x"))
        XCTAssertFalse(gitConfigRunsProgram("core.fsmonitor", value: "false"))
        XCTAssertTrue(gitConfigRunsProgram("Core.SSHCommand", value: "ssh"))
        XCTAssertTrue(gitConfigRunsProgram("mergetool.x.cmd", value: "x"))
        XCTAssertTrue(gitConfigRunsProgram("hook.pre-commit.command", value: "x"))
        XCTAssertTrue(gitConfigRunsProgram("includeIf.gitdir:/x/.path", value: "x"))
        XCTAssertFalse(gitConfigRunsProgram("user.email", value: "a@b"))
        XCTAssertFalse(gitConfigRunsProgram("submodule.x.path", value: "x"))
        XCTAssertFalse(gitConfigRunsProgram("http.proxy", value: "x"))
    }
}
