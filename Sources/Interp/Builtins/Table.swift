import Glibc
import Syntax

// The builtin table. A builtin gets the shell and its expanded argv (argv[0] is its name) and
// returns a status; its redirections are already in place.

typealias Builtin = (Shell, [String]) throws -> Int32

let builtins: [String: Builtin] = [
    ":": { _, _ in 0 },
    "true": { _, _ in 0 },
    "false": { _, _ in 1 },
    "echo": { sh, argv in sh.emit(runEcho(Array(argv.dropFirst()))) },
    "printf": builtinPrintf,
    "test": { sh, argv in sh.emit(sh.runTest(argv, bracket: false)) },
    "[": { sh, argv in sh.emit(sh.runTest(argv, bracket: true)) },
    "cd": builtinCd,
    "pwd": builtinPwd,
    "export": { sh, argv in try sh.declare(argv, export: true) },
    "readonly": { sh, argv in try sh.declare(argv, readonly: true) },
    "local": builtinLocal,
    "unset": builtinUnset,
    "set": builtinSet,
    "shift": builtinShift,
    "exit": builtinExit,
    "return": builtinReturn,
    "break": { sh, argv in try sh.loopControl(argv, isBreak: true) },
    "continue": { sh, argv in try sh.loopControl(argv, isBreak: false) },
    "eval": builtinEval,
    "source": builtinSource,
    ".": builtinSource,
    "command": builtinCommand,
    "type": builtinType,
    "wait": builtinWait,
    "trap": builtinTrap,
    "umask": builtinUmask,
    "read": builtinRead,
    "getopts": builtinGetopts,
    "let": builtinLet,
    "exec": builtinExec,
    "kill": builtinKill,
    "times": builtinTimes,
    "jobs": builtinJobs,
    "fg": builtinFg,
    "bg": builtinBg,
    "allowed": { sh, _ in sh.out(sh.gate.summary()); return 0 },
    // aegish looks commands up afresh after PATH changes; `hash -r` just forgets what it cached.
    "hash": { sh, _ in sh.commandHash.removeAll(); return 0 },
]

/// POSIX special builtins: assignments before them persist.
let specialBuiltins: Set<String> = [":", "break", "continue", ".", "eval", "exec", "exit", "export",
                                     "readonly", "return", "set", "shift", "trap", "unset"]

/// Bash builtins aegish does not implement. Named so the refusal is clear (status 2), instead of a
/// confusing "command not found" or, worse, some program of that name on PATH.
let unsupportedBuiltins: [String: String] = [
    "declare": "builtin not supported (use plain assignments and export)",
    "typeset": "builtin not supported (use plain assignments and export)",
    "shopt": "builtin not supported",
    "alias": "builtin not supported",
    "unalias": "builtin not supported",
    "mapfile": "builtin not supported (arrays are not supported)",
    "readarray": "builtin not supported (arrays are not supported)",
    "select": "not supported",
    "coproc": "not supported",
    "enable": "builtin not supported",
    "builtin": "builtin not supported",
    "bind": "builtin not supported",
    "complete": "builtin not supported",
    "compgen": "builtin not supported",
    "compopt": "builtin not supported",
    "disown": "builtin not supported",
    "fc": "builtin not supported",
    "history": "builtin not supported",
    "pushd": "builtin not supported (use cd)",
    "popd": "builtin not supported (use cd)",
    "dirs": "builtin not supported",
    "suspend": "builtin not supported",
    "ulimit": "builtin not supported",
    "caller": "builtin not supported",
    "logout": "builtin not supported",
]

extension Shell {
    /// Writes a pure builtin's output and returns its status.
    func emit(_ r: BuiltinResult) -> Int32 {
        if !r.stdout.isEmpty && !Sys.write(1, r.stdout) {
            let e = errno
            warnAt("write error: \(Sys.errorString(e))")
            return 1
        }
        if !r.stderr.isEmpty {
            var text = String(decoding: r.stderr, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                warnAt(String(line))
            }
        }
        return r.status
    }

    func runTest(_ argv: [String], bracket: Bool) -> BuiltinResult {
        if let quick = quickTest(argv, bracket: bracket) {
            return BuiltinResult(stdout: [], stderr: [], status: quick ? 0 : 1)
        }
        return evaluateTest(Array(argv.dropFirst()), bracket: bracket, cwd: cwd,
                     isSet: { [unowned self] in self.paramValue($0) != nil })
    }

    /// The three-argument comparisons loops run all the time (`[ $i -lt 10 ]`, `[ "$a" = b ]`),
    /// decided without the general evaluator. nil: not one of them, use the full `test`.
    private func quickTest(_ argv: [String], bracket: Bool) -> Bool? {
        let n = argv.count - (bracket ? 1 : 0)
        guard n == 4, !bracket || argv[4] == "]" else { return nil }
        let a = argv[1], op = argv[2], b = argv[3]
        switch op {
        case "=", "==": return a == b
        case "!=": return a != b
        case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
            // Plain decimal integers only; anything else (spaces, overflow) gets the full rules.
            guard let x = Int(a), let y = Int(b) else { return nil }
            switch op {
            case "-eq": return x == y
            case "-ne": return x != y
            case "-lt": return x < y
            case "-le": return x <= y
            case "-gt": return x > y
            default: return x >= y
            }
        default: return nil
        }
    }

    /// Prints a usage-style error for a builtin and returns `status`.
    func builtinError(_ name: String, _ message: String, status: Int32 = 1) -> Int32 {
        warnAt("\(name): \(message)")
        return status
    }

    func out(_ s: String) { Sys.write(1, s) }
}
