// bash 5.2's `echo` builtin (builtins/echo.def) with xpg_echo off.

/// Runs `echo` with `args` (the words after "echo"). Leading words made only of the letters
/// n, e, E after a `-` are options (`-n` no newline, `-e` escapes on, `-E` escapes off; a lone
/// `-` is an operand). With `-e`, `\c` stops all
/// output, including the newline. `xpgEcho` turns escape processing on by default.
public func runEcho(_ args: [String], xpgEcho: Bool = false) -> BuiltinResult {
    var newline = true
    var escapes = xpgEcho
    var i = 0
    options: while i < args.count {
        let word = Array(args[i].utf8)
        guard word.count >= 2, word[0] == 0x2D else { break }
        let letters = word.dropFirst()
        for c in letters where c != UInt8(ascii: "n") && c != UInt8(ascii: "e") && c != UInt8(ascii: "E") {
            break options
        }
        for c in letters {
            switch c {
            case UInt8(ascii: "n"): newline = false
            case UInt8(ascii: "e"): escapes = true
            default: escapes = false
            }
        }
        i += 1
    }
    var out: [UInt8] = []
    while i < args.count {
        if escapes {
            let (bytes, sawC) = expandEchoEscapes(Array(args[i].utf8))
            out += bytes
            if sawC { return BuiltinResult(stdout: out) }
        } else {
            out += args[i].utf8
        }
        i += 1
        if i < args.count { out.append(0x20) }
    }
    if newline { out.append(0x0A) }
    return BuiltinResult(stdout: out)
}
