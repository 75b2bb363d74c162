// Argument patterns of `[[command]] arguments` rules: `push *`, `reset --hard*`.
//
// A pattern is words separated by spaces (runs of spaces count as one; `\ ` is a space inside
// a word). Each word is a glob matched against exactly one argument: `*` any run of characters
// (including `/` and none), `?` one character, `[abc]` `[a-z]` `[!x]` `[^x]` a set, `\c` the
// character c. A final word that is a lone `*` matches any number (zero or more) of remaining
// arguments; otherwise the pattern and the arguments must have the same number of words.
// So `push *` matches `push` and `push origin main`; `reset --hard*` matches `reset --hard`
// and `reset --hard=HEAD` but neither `reset` nor `reset --hard HEAD` (write `reset --hard *`).
// Patterns are positional: to catch an option wherever it is written use deny/ask options.

/// Split a pattern into words at unescaped spaces (backslashes are kept for the glob).
func patternWords(_ pattern: String) -> [String] {
    var words: [String] = []
    var cur = ""
    var esc = false
    var inWord = false
    for c in pattern {
        if esc { cur.append(c); esc = false; continue }
        if c == "\\" { cur.append(c); esc = true; inWord = true; continue }
        if c == " " || c == "\t" {
            if inWord { words.append(cur); cur = ""; inWord = false }
            continue
        }
        cur.append(c); inWord = true
    }
    if inWord { words.append(cur) }
    return words
}

/// Does `pattern` match `args` (the arguments after the program name, global options removed)?
public func argumentsMatch(_ pattern: String, _ args: [String]) -> Bool {
    var words = patternWords(pattern)
    var rest = false
    if words.last == "*" { words.removeLast(); rest = true }
    if rest ? args.count < words.count : args.count != words.count { return false }
    for (w, a) in zip(words, args) where !globMatch(w, a) { return false }
    return true
}

/// The arguments with the leading global options (and their values) removed, from the first
/// operand on: `git -c x=y -C dir push --force` → `["push", "--force"]` (with `-c`, `-C` in
/// `withValue`). `[]` if there is no operand. A `--` before the first operand is dropped.
public func commandArguments(_ args: [String], withValue: Set<String>) -> [String] {
    let p = parseArguments(args, withValue: withValue, stopAtFirstOperand: true)
    guard let k = p.firstOperandIndex else { return [] }
    return Array(args[k...])
}

// MARK: - Glob

private enum GlobTok: Equatable {
    case lit(Character)
    case any
    case star
    case set(negated: Bool, items: [(Character, Character)])
    static func == (a: GlobTok, b: GlobTok) -> Bool {
        switch (a, b) {
        case (.lit(let x), .lit(let y)): return x == y
        case (.any, .any), (.star, .star): return true
        default: return false
        }
    }
    func matches(_ c: Character) -> Bool {
        switch self {
        case .lit(let l): return l == c
        case .any, .star: return true
        case .set(let neg, let items):
            let hit = items.contains { c >= $0.0 && c <= $0.1 }
            return hit != neg
        }
    }
}

private func compileGlob(_ p: String) -> [GlobTok] {
    let cs = Array(p)
    var toks: [GlobTok] = []
    var i = 0
    while i < cs.count {
        let c = cs[i]
        switch c {
        case "\\":
            if i + 1 < cs.count { toks.append(.lit(cs[i + 1])); i += 2 } else { toks.append(.lit("\\")); i += 1 }
        case "*":
            if toks.last != .star { toks.append(.star) }
            i += 1
        case "?":
            toks.append(.any); i += 1
        case "[":
            // Find the closing bracket; `]` first in the set is literal.
            var j = i + 1
            var neg = false
            if j < cs.count && (cs[j] == "!" || cs[j] == "^") { neg = true; j += 1 }
            var items: [(Character, Character)] = []
            var first = true
            var closed = false
            while j < cs.count {
                var a = cs[j]
                if a == "]" && !first { closed = true; break }
                first = false
                if a == "\\" && j + 1 < cs.count { j += 1; a = cs[j] }
                if j + 2 < cs.count && cs[j + 1] == "-" && cs[j + 2] != "]" {
                    var b = cs[j + 2]
                    var k = j + 2
                    if b == "\\" && k + 1 < cs.count { k += 1; b = cs[k] }
                    items.append((a, b)); j = k + 1
                } else {
                    items.append((a, a)); j += 1
                }
            }
            if closed { toks.append(.set(negated: neg, items: items)); i = j + 1 }
            else { toks.append(.lit("[")); i += 1 }
        default:
            toks.append(.lit(c)); i += 1
        }
    }
    return toks
}

/// Whole-string glob match (`*` `?` `[...]` `\x`), linear-ish: greedy with one restart point.
func globMatch(_ pattern: String, _ s: String) -> Bool {
    let toks = compileGlob(pattern)
    let cs = Array(s)
    var t = 0, i = 0
    var starT = -1, starI = 0
    while i < cs.count {
        if t < toks.count, toks[t] == .star {
            starT = t; starI = i; t += 1; continue
        }
        if t < toks.count, toks[t].matches(cs[i]) { t += 1; i += 1; continue }
        if starT >= 0 { t = starT + 1; starI += 1; i = starI; continue }
        return false
    }
    while t < toks.count, toks[t] == .star { t += 1 }
    return t == toks.count
}
