// Which commands a limit class covers.
//
// `commands` are globs (fnmatch, no flags) matched against the program's basename: `rm`,
// `mkfs.*`. `patterns` (optional) narrow the class: the command counts when ANY pattern matches;
// with no patterns every invocation of the command counts.
//
// A pattern is words separated by spaces (`\ ` is a space inside a word). It matches when EVERY
// word matches some argument (argv without argv[0]), in any order and anywhere on the line —
// matching is deliberately generous, because counting a harmless command is only stricter while
// missing a destructive one is a bypass. Word kinds:
//   --long        an option before `--`: `--long`, `--long=…`, any abbreviation `--lo` (GNU
//                 getopt and git accept unique prefixes), and the single-dash `-long`.
//   --long=GLOB   as above, with its value (attached, or the next word) matching GLOB.
//   -x            a short option before `--`, alone or inside a cluster: `-x`, `-vx`, `-xf`.
//   -word         a single-dash word before `--` (`-delete`, `-rf`): written exactly so (or
//                 `-word=…`), or one cluster containing all its letters (`-fr` for `-rf`,
//                 `-execdir` for `-exec`).
//   anything else a glob matched against a whole argument anywhere (`reset`, `clean`, `of=*`).
//                 A word with glob characters (`*?[`) before any `=` is always a glob.
// Examples: git + `reset --hard`, git + `clean`, find + `-delete`, chmod + `-R` and
// `--recursive` (two patterns: either), dd + `of=*`.
import Glibc

enum PatternWord: Equatable, Sendable {
    case long(name: String, value: String?)      // name includes "--"
    case short(UInt8)                            // the letter
    case dashWord(name: String, value: String?)  // name includes "-"
    case glob(String)
    case literal(String)                         // a glob word without special characters
}

private func hasGlobMeta<S: StringProtocol>(_ s: S) -> Bool {
    s.contains { $0 == "*" || $0 == "?" || $0 == "[" }
}

/// Split a pattern into words at unescaped spaces; `\ ` becomes a space (other escapes are kept
/// for the glob).
func splitPatternWords(_ pattern: String) -> [String] {
    var words: [String] = []
    var cur = ""
    var inWord = false
    var esc = false
    for c in pattern {
        if esc {
            if c != " " { cur.append("\\") }
            cur.append(c); esc = false; continue
        }
        if c == "\\" { esc = true; inWord = true; continue }
        if c == " " || c == "\t" {
            if inWord { words.append(cur); cur = ""; inWord = false }
            continue
        }
        cur.append(c); inWord = true
    }
    if esc { cur.append("\\") }
    if inWord { words.append(cur) }
    return words
}

func compileWord(_ w: String) -> PatternWord {
    let head: Substring
    let value: String?
    if let eq = w.firstIndex(of: "=") {
        head = w[..<eq]; value = String(w[w.index(after: eq)...])
    } else {
        head = w[...]; value = nil
    }
    if hasGlobMeta(head) || !head.hasPrefix("-") || head.count < 2 {
        return hasGlobMeta(w) || w.contains("\\") ? .glob(w) : .literal(w)
    }
    if head.hasPrefix("--") {
        return head.count > 2 ? .long(name: String(head), value: value) : .glob(w)
    }
    if head.count == 2 && value == nil, let b = head.utf8.last, b < 0x80 { return .short(b) }
    return .dashWord(name: String(head), value: value)
}

func compilePattern(_ p: String) -> [PatternWord] { splitPatternWords(p).map(compileWord) }

@inline(__always) func globMatches(_ pattern: String, _ s: String) -> Bool {
    fnmatch(pattern, s, 0) == 0
}

/// One argument as seen by the matcher.
private struct ArgView {
    var text: String
    var isOption: Bool        // before `--`, starts with `-`, not `-` itself
    var isLong: Bool          // `--…`
    var head: Substring       // up to `=`
    var value: Substring?     // after `=`
}

private func views(_ args: ArraySlice<String>) -> [ArgView] {
    var out: [ArgView] = []
    out.reserveCapacity(args.count)
    var optionsEnded = false
    for a in args {
        if !optionsEnded && a == "--" {
            optionsEnded = true
            out.append(ArgView(text: a, isOption: false, isLong: false, head: a[...], value: nil))
            continue
        }
        let isOpt = !optionsEnded && a.utf8.count >= 2 && a.utf8.first == UInt8(ascii: "-")
        var head = a[...]
        var value: Substring? = nil
        if isOpt, let eq = a.firstIndex(of: "=") { head = a[..<eq]; value = a[a.index(after: eq)...] }
        out.append(ArgView(text: a, isOption: isOpt, isLong: isOpt && a.hasPrefix("--"), head: head, value: value))
    }
    return out
}

private func wordMatches(_ w: PatternWord, _ args: [ArgView]) -> Bool {
    switch w {
    case .glob(let g):
        return args.contains { globMatches(g, $0.text) }
    case .literal(let l):
        return args.contains { $0.text == l }
    case .short(let letter):
        return args.contains { a in a.isOption && !a.isLong && a.head.utf8.dropFirst().contains(letter) }
    case .long(let name, let want):
        let single = name.dropFirst()  // `-long`
        for (i, a) in args.enumerated() where a.isOption {
            let named: Bool
            if a.isLong {
                named = a.head.count > 2 && name.hasPrefix(a.head)
            } else {
                named = a.head == single
            }
            guard named else { continue }
            guard let want else { return true }
            if let v = a.value {
                if globMatches(want, String(v)) { return true }
            } else if i + 1 < args.count, globMatches(want, args[i + 1].text) {
                return true
            }
        }
        return false
    case .dashWord(let name, let want):
        let letters = Set(name.utf8.dropFirst())
        for (i, a) in args.enumerated() where a.isOption && !a.isLong {
            if a.head == name {
                guard let want else { return true }
                if let v = a.value {
                    if globMatches(want, String(v)) { return true }
                } else if i + 1 < args.count, globMatches(want, args[i + 1].text) {
                    return true
                }
            } else if want == nil {
                let have = Set(a.head.utf8.dropFirst())
                if letters.isSubset(of: have) { return true }
            }
        }
        return false
    }
}

/// Does any of the compiled patterns match the arguments (argv without argv[0])?
func anyPatternMatches(_ patterns: [[PatternWord]], _ args: ArraySlice<String>) -> Bool {
    let v = views(args)
    return patterns.contains { words in words.allSatisfy { wordMatches($0, v) } }
}

/// The basename of a program path (`/usr/bin/rm` → `rm`).
func programBasename(_ p: String) -> Substring {
    if let slash = p.lastIndex(of: "/") { return p[p.index(after: slash)...] }
    return p[...]
}
