// Screening inline programs of text tools that can run commands: awk and GNU sed.
// Both answers err towards "yes, it runs something": a false yes asks needlessly, a false no
// is a bypass.

// MARK: - awk

private let awkRegexStarters: Set<String> = ["print", "printf", "return", "in", "getline", "case", "do", "else"]

/// Does the awk program (possibly) run commands? True when it contains, outside string literals:
/// - a call of `system` (the word anywhere, even inside strings/regexes: `system` is cheap to avoid),
/// - a `|` that is not `||` — `print … | "cmd"`, `"cmd" | getline`, `|&` coprocesses — except
///   inside string literals and regex literals (`/a|b/`, `$0 ~ /x|y/`),
/// - `close(` (pipes and coprocesses are closed with it),
/// - `@` (gawk `@load` extensions, `@include` files, indirect calls `@f()` that can name
///   `system`).
/// Regex-vs-division is decided from the previous token as awk's lexer does (after an operand
/// `/` divides); when a regex literal is not closed on its line the `/` is taken as division,
/// so its contents are scanned as code.
public func awkRunsCommands(_ program: String) -> Bool {
    let cs = Array(program.unicodeScalars)
    var i = 0
    var prevOperand = false
    func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
    func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || (c >= "0" && c <= "9") }
    /// Is the word `system` inside cs[a..<b] (as an identifier)?
    func mentionsSystem(_ a: Int, _ b: Int) -> Bool {
        var k = a
        while k < b {
            if isIdentStart(cs[k]) {
                var e = k
                while e < b && isIdent(cs[e]) { e += 1 }
                if String(String.UnicodeScalarView(cs[k..<e])) == "system" { return true }
                k = e
            } else { k += 1 }
        }
        return false
    }
    while i < cs.count {
        let c = cs[i]
        switch c {
        case " ", "\t", "\r":
            i += 1
        case "\n":
            prevOperand = false; i += 1
        case "\\":
            i += 2  // line continuation (or stray backslash)
        case "#":
            while i < cs.count && cs[i] != "\n" { i += 1 }
        case "\"":
            let start = i
            i += 1
            while i < cs.count && cs[i] != "\"" && cs[i] != "\n" {
                if cs[i] == "\\" { i += 1 }
                i += 1
            }
            if mentionsSystem(start, min(i, cs.count)) { return true }
            i += 1
            prevOperand = true
        case "/":
            if prevOperand {  // division (or /=)
                prevOperand = false; i += 1; continue
            }
            // Regex literal: up to an unescaped `/` outside brackets, on this line.
            var j = i + 1
            var inBracket = false
            var closed = false
            while j < cs.count && cs[j] != "\n" {
                let d = cs[j]
                if d == "\\" { j += 2; continue }
                if inBracket {
                    if d == "]" { inBracket = false }
                } else if d == "[" {
                    inBracket = true
                    if j + 1 < cs.count && cs[j + 1] == "^" { j += 1 }
                    if j + 1 < cs.count && cs[j + 1] == "]" { j += 1 }
                } else if d == "/" { closed = true; break }
                j += 1
            }
            if closed {
                if mentionsSystem(i + 1, j) { return true }
                i = j + 1; prevOperand = true
            } else {
                i += 1; prevOperand = false
            }
        case "|":
            if i + 1 < cs.count && cs[i + 1] == "|" { i += 2; prevOperand = false; continue }
            return true
        case "@":
            return true
        case ")", "]", "$":
            // `$` is followed by its operand; `$1 /x/` cannot start a regex there anyway.
            prevOperand = c != "$"; i += 1
        default:
            if isIdentStart(c) {
                var e = i
                while e < cs.count && isIdent(cs[e]) { e += 1 }
                let word = String(String.UnicodeScalarView(cs[i..<e]))
                if word == "system" { return true }
                if word == "close" {
                    var k = e
                    while k < cs.count && (cs[k] == " " || cs[k] == "\t") { k += 1 }
                    if k < cs.count && cs[k] == "(" { return true }
                }
                prevOperand = !awkRegexStarters.contains(word)
                i = e
            } else if c >= "0" && c <= "9" || c == "." {
                while i < cs.count && (isIdent(cs[i]) || cs[i] == ".") { i += 1 }
                prevOperand = true
            } else if (c == "+" || c == "-") && i + 1 < cs.count && cs[i + 1] == c {
                // `x++ / 2` divides; `++x` is followed by its operand anyway.
                i += 2; prevOperand = true
            } else {
                prevOperand = false; i += 1
            }
        }
    }
    return false
}

// MARK: - sed

/// What a (GNU) sed script does besides editing text.
struct SedEffects {
    var executes = false
    var writes: [String] = []
    /// The script could not be understood (unknown command, unterminated `s`…).
    var unparsed = false
}

func sedEffects(_ script: String) -> SedEffects {
    let cs = Array(script)
    var i = 0
    var fx = SedEffects()
    func skipBlanks() { while i < cs.count && (cs[i] == " " || cs[i] == "\t") { i += 1 } }
    func restOfLine() -> String {
        let s = i
        while i < cs.count && cs[i] != "\n" { i += 1 }
        return String(cs[s..<i])
    }
    /// Skip a regex or replacement up to the unescaped delimiter `d`; brackets only in regexes.
    func skipDelimited(_ d: Character, brackets: Bool) -> Bool {
        while i < cs.count {
            let c = cs[i]
            if c == "\\" { i += 2; continue }
            if c == d { i += 1; return true }
            if c == "\n" && brackets { return false }
            if brackets && c == "[" {
                var j = i + 1
                if j < cs.count && cs[j] == "^" { j += 1 }
                if j < cs.count && cs[j] == "]" { j += 1 }
                while j < cs.count && cs[j] != "]" && cs[j] != "\n" {
                    if cs[j] == "[" && j + 1 < cs.count && (cs[j + 1] == ":" || cs[j + 1] == "." || cs[j + 1] == "=") {
                        let kind = cs[j + 1]
                        var k = j + 2
                        while k + 1 < cs.count && !(cs[k] == kind && cs[k + 1] == "]") && cs[k] != "\n" { k += 1 }
                        j = k + 2
                        continue
                    }
                    j += 1
                }
                if j < cs.count && cs[j] == "]" { i = j + 1; continue }
            }
            i += 1
        }
        return false
    }
    func parseAddress() -> Bool {
        guard i < cs.count else { return true }
        let c = cs[i]
        if c.isASCII && c.isNumber {
            while i < cs.count && cs[i].isASCII && cs[i].isNumber { i += 1 }
            if i < cs.count && cs[i] == "~" { i += 1; while i < cs.count && cs[i].isASCII && cs[i].isNumber { i += 1 } }
        } else if c == "$" {
            i += 1
        } else if c == "/" || c == "\\" {
            var d: Character = "/"
            if c == "\\" { guard i + 1 < cs.count else { return false }; d = cs[i + 1]; i += 2 } else { i += 1 }
            guard skipDelimited(d, brackets: true) else { return false }
            while i < cs.count && (cs[i] == "I" || cs[i] == "M") { i += 1 }
        }
        return true
    }
    while i < cs.count {
        let c = cs[i]
        if c == " " || c == "\t" || c == "\n" || c == ";" || c == "\r" { i += 1; continue }
        if c == "#" { _ = restOfLine(); continue }
        guard parseAddress() else { fx.unparsed = true; return fx }
        skipBlanks()
        if i < cs.count && cs[i] == "," {
            i += 1; skipBlanks()
            if i < cs.count && (cs[i] == "+" || cs[i] == "~") {
                i += 1; while i < cs.count && cs[i].isASCII && cs[i].isNumber { i += 1 }
            } else {
                guard parseAddress() else { fx.unparsed = true; return fx }
            }
        }
        skipBlanks()
        while i < cs.count && cs[i] == "!" { i += 1; skipBlanks() }
        guard i < cs.count else { fx.unparsed = true; return fx }
        let cmd = cs[i]
        i += 1
        switch cmd {
        case "{":
            continue
        case "}", "=", "d", "D", "g", "G", "h", "H", "n", "N", "p", "P", "x", "z", "F":
            break
        case "l", "L", "q", "Q":
            skipBlanks(); while i < cs.count && cs[i].isASCII && cs[i].isNumber { i += 1 }
        case ":", "b", "t", "T", "v":
            skipBlanks(); while i < cs.count && cs[i] != "\n" && cs[i] != ";" { i += 1 }
        case "a", "i", "c":
            // Text to the end of the line; a trailing backslash continues it.
            while i < cs.count {
                if cs[i] == "\\" { i += 2; continue }
                if cs[i] == "\n" { break }
                i += 1
            }
        case "r", "R":
            _ = restOfLine()
        case "w", "W":
            skipBlanks(); fx.writes.append(restOfLine())
        case "e":
            fx.executes = true; _ = restOfLine()
        case "y":
            guard i < cs.count else { fx.unparsed = true; return fx }
            let d = cs[i]; i += 1
            guard skipDelimited(d, brackets: false), skipDelimited(d, brackets: false) else { fx.unparsed = true; return fx }
        case "s":
            guard i < cs.count, cs[i] != "\n", cs[i] != "\\" else { fx.unparsed = true; return fx }
            let d = cs[i]; i += 1
            guard skipDelimited(d, brackets: true), skipDelimited(d, brackets: false) else { fx.unparsed = true; return fx }
            flags: while i < cs.count {
                let f = cs[i]
                switch f {
                case "g", "p", "i", "I", "m", "M": i += 1
                case "e": fx.executes = true; i += 1
                case "w": i += 1; skipBlanks(); fx.writes.append(restOfLine()); break flags
                default:
                    if f.isASCII && f.isNumber { i += 1 } else { break flags }
                }
            }
        default:
            fx.unparsed = true; return fx
        }
        // After a command: blanks, then `;`, newline, `}` or `#`.
        skipBlanks()
        if i < cs.count && !(cs[i] == ";" || cs[i] == "\n" || cs[i] == "}" || cs[i] == "#") {
            fx.unparsed = true; return fx
        }
    }
    return fx
}

/// Can the (GNU) sed script execute commands? The `e` command and the `e` flag of `s` do.
/// A script that cannot be parsed counts as executing.
public func sedExecutes(_ script: String) -> Bool {
    let fx = sedEffects(script)
    return fx.executes || fx.unparsed
}

/// The files the sed script writes with `w`/`W` and the `w` flag of `s`, nil if the script
/// cannot be parsed (treat as "writes anything"). `/dev/stdout` and `/dev/stderr` are included
/// as written (GNU sed treats them specially; the caller may ignore them).
public func sedWrittenFiles(_ script: String) -> [String]? {
    let fx = sedEffects(script)
    return fx.unparsed ? nil : fx.writes
}

/// Does the sed script write files (other than /dev/stdout and /dev/stderr)? True when it
/// cannot be parsed. (`sed -i` writes the input files: that is an option, not the script.)
public func sedWritesFiles(_ script: String) -> Bool {
    guard let files = sedWrittenFiles(script) else { return true }
    return files.contains { $0 != "/dev/stdout" && $0 != "/dev/stderr" }
}
