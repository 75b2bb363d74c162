// Calls found in a token stream, for the built-in rules: the dotted name (`os.system`,
// `File.Path.rmtree`, `Path().write_text` when the receiver is itself a call), the line, and the
// arguments split at top-level commas.

struct Call {
    /// Components joined with "." (`::` and `->` become "."); a call receiver appears as `name()`.
    var name: String
    var line: Int
    var args: [[Token]]
    /// Index of the name token in the stream.
    var index: Int
    /// Arguments of the receiver call (`Path("x")` in `Path("x").write_text(…)`), if any.
    var receiverArgs: [[Token]] = []
    /// Written without parentheses (Perl, Ruby: `system "ls"`).
    var bare = false
    /// The last and first components of `name` (computed once: the rules ask often).
    let last: String
    let first: String

    init(parts: [String], line: Int, args: [[Token]], index: Int, receiverArgs: [[Token]]) {
        name = parts.joined(separator: ".")
        last = parts.last.map { String($0.split(separator: ".").last ?? Substring($0)) } ?? ""
        first = parts.first.map { String($0.split(separator: ".").first ?? Substring($0)) } ?? ""
        self.line = line; self.args = args; self.index = index; self.receiverArgs = receiverArgs
    }

    /// The positional argument `n` as a literal string, if it is one (adjacent literals joined).
    func literal(_ n: Int) -> String? { n < args.count ? literalValue(args[n]) : nil }

    /// `key=value` (Python) or `key: value` (JavaScript object) anywhere in the arguments.
    func keyword(_ key: String) -> [Token]? {
        for seg in args {
            var k = 0
            while k + 1 < seg.count {
                if seg[k].kind == .ident, seg[k].text == key,
                   seg[k + 1].kind == .punct, seg[k + 1].text == "=" || seg[k + 1].text == ":" || seg[k + 1].text == "=>" {
                    var v: [Token] = []
                    var j = k + 2
                    while j < seg.count, !(seg[j].kind == .punct && (seg[j].text == "," || seg[j].text == "}")) {
                        v.append(seg[j]); j += 1
                    }
                    return v
                }
                k += 1
            }
        }
        return nil
    }

    func keywordIs(_ key: String, _ values: Set<String>) -> Bool {
        guard let v = keyword(key), v.count == 1 else { return false }
        return values.contains(v[0].text)
    }
}

/// A segment that is only string literals (Python/JS adjacent or `+`-joined): their text.
func literalValue(_ seg: [Token]) -> String? {
    var out = ""
    var any = false
    for t in seg {
        if t.kind == .string { out += t.text; any = true }
        else if t.kind == .punct && (t.text == "+" || t.text == "." ) && any { continue }
        else if t.kind == .newline { continue }
        else { return nil }
    }
    return any ? out : nil
}

private let openers: Set<String> = ["(", "[", "{"]
private let closers: Set<String> = [")", "]", "}"]

/// Index of the token closing the bracket opened at `open`, or the stream's end.
func matchingClose(_ t: [Token], _ open: Int) -> Int {
    var level = 0
    var k = open
    while k < t.count {
        if t[k].kind == .punct {
            if openers.contains(t[k].text) { level += 1 }
            else if closers.contains(t[k].text) { level -= 1; if level == 0 { return k } }
        }
        k += 1
    }
    return t.count
}

/// Splits t[a..<b] at top-level commas (and Perl's `=>`, which is a comma that quotes).
func splitArguments(_ t: [Token], _ a: Int, _ b: Int) -> [[Token]] {
    var out: [[Token]] = []
    var cur: [Token] = []
    var level = 0
    var k = a
    while k < b {
        let x = t[k]
        if x.kind == .punct && openers.contains(x.text) { level += 1 }
        if x.kind == .punct && closers.contains(x.text) { level -= 1 }
        if level == 0 && x.kind == .punct && x.text == "," {
            out.append(cur); cur = []
        } else if x.kind != .newline {
            cur.append(x)
        }
        k += 1
    }
    if !cur.isEmpty || !out.isEmpty { out.append(cur) }
    return out
}

/// Names Perl and Ruby call without parentheses that the rules care about.
private let bareCallNames: Set<String> = [
    "system", "exec", "spawn", "eval", "open", "unlink", "rmdir", "mkdir", "rename", "chmod", "rmtree",
    "remove_tree", "open2", "open3", "require", "send", "public_send", "__send__", "instance_eval",
    "class_eval", "module_eval", "rm_rf", "rm_r", "rm", "mv", "cp", "mkdir_p", "touch", "write", "popen",
    "popen2", "popen3", "capture2", "capture2e", "capture3", "delete", "remove_dir", "remove_entry", "new", "start",
]

/// Words that end a paren-less argument list (Ruby/Perl statement modifiers, blocks).
private let bareStops: Set<String> = ["if", "unless", "while", "until", "or", "and", "do", "rescue"]

func extractCalls(_ t: [Token], _ lang: LexLanguage) -> [Call] {
    var out: [Call] = []
    for k in t.indices where t[k].kind == .ident {
        let isSep: (Token) -> Bool = { $0.kind == .punct && ($0.text == "." || $0.text == "::" || $0.text == "->") }
        // The dotted name, walking back over `a.b.c`.
        var parts = [t[k].text]
        var j = k
        var receiverArgs: [[Token]] = []
        while j >= 2, isSep(t[j - 1]) {
            if t[j - 2].kind == .ident {
                parts.insert(t[j - 2].text, at: 0)
                j -= 2
            } else if t[j - 2].kind == .punct && t[j - 2].text == ")" {
                // A call as the receiver: find its opening parenthesis and its name.
                var level = 0
                var m = j - 2
                while m >= 0 {
                    if t[m].kind == .punct && closers.contains(t[m].text) { level += 1 }
                    if t[m].kind == .punct && openers.contains(t[m].text) { level -= 1; if level == 0 { break } }
                    m -= 1
                }
                guard m >= 1, t[m - 1].kind == .ident else { break }
                receiverArgs = splitArguments(t, m + 1, j - 2)
                parts.insert(t[m - 1].text + "()", at: 0)
                j = m - 1
                // Keep walking: `a.b(…).c(…)`.
                while j >= 2, isSep(t[j - 1]), t[j - 2].kind == .ident {
                    parts[0] = t[j - 2].text + "." + parts[0]
                    j -= 2
                }
                break
            } else {
                break
            }
        }
        // `new Function(…)`, `new vm.Script(…)`: the call is the constructor.
        if k + 1 < t.count, t[k + 1].kind == .punct, t[k + 1].text == "(" {
            let close = matchingClose(t, k + 1)
            out.append(Call(parts: parts, line: t[k].line, args: splitArguments(t, k + 2, close), index: k,
                            receiverArgs: receiverArgs))
            continue
        }
        // Paren-less calls (Perl, Ruby): up to the end of the statement.
        guard lang == .perl || lang == .ruby, bareCallNames.contains(t[k].text), k + 1 < t.count else { continue }
        let next = t[k + 1]
        let startsArgument = next.kind == .string || next.kind == .command || next.kind == .number
            || (next.kind == .ident && !bareStops.contains(next.text) && !next.text.hasPrefix("=")
                && !(k > 0 && t[k - 1].kind == .punct && t[k - 1].text == "def"))
            || (next.kind == .punct && (next.text == ":" || next.text == "[" || next.text == "$" || next.text == "@"))
        guard startsArgument else { continue }
        if k > 0, t[k - 1].kind == .ident, t[k - 1].text == "def" || t[k - 1].text == "sub" { continue }
        var e = k + 1
        var level = 0
        while e < t.count {
            let x = t[e]
            if level == 0 && x.kind == .punct && x.text == "{" && lang == .ruby { break }   // a block
            if x.kind == .punct && openers.contains(x.text) { level += 1 }
            if x.kind == .punct && closers.contains(x.text) { if level == 0 { break }; level -= 1 }
            if level == 0 && (x.kind == .newline || (x.kind == .punct && x.text == ";")
                              || (x.kind == .ident && bareStops.contains(x.text))) { break }
            e += 1
        }
        var c = Call(parts: parts, line: t[k].line, args: splitArguments(t, k + 1, e), index: k, receiverArgs: receiverArgs)
        c.bare = true
        out.append(c)
    }
    return out
}
