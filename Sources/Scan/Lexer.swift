// A token-level lexer for the built-in layer: Python, JavaScript, Perl and Ruby source becomes
// identifiers, strings, commands (backticks, qx, %x), numbers, punctuation and newlines, each
// with its line. Comments, POD/=begin blocks and the text after __END__ are dropped; strings are
// kept as written (escapes not decoded). Code inside interpolations — Python f-strings `{…}`,
// JavaScript templates `${…}`, Ruby `#{…}`, Perl `s///e` replacements — is lexed as code and its
// tokens follow the string's.
//
// What it cannot see (documented in aegish-allowlist(5)): code built at run time (string
// concatenation handed to eval, getattr with a computed name, imports of other files), Perl
// interpolated `@{[ … ]}` blocks, and anything a regex-vs-division guess gets wrong (the guess
// follows the previous token, as the languages' own lexers do).

enum LexLanguage: Sendable { case python, javascript, perl, ruby }

struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case ident, string, command, number, punct, newline }
    var kind: Kind
    var text: String
    var line: Int
    /// A Python string that is a statement of its own (a docstring): not a value anything uses.
    var statement = false
}

/// Lexes `source`; `firstLine` is the line number of its first line.
func lex(_ source: String, _ language: LexLanguage, firstLine: Int = 1) -> [Token] {
    var l = Lexer(Array(source.unicodeScalars), language, line: firstLine)
    l.run()
    if language == .python { markStatementStrings(&l.tokens) }
    return l.tokens
}

private func isIdentStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c.value > 0x7F
}
private func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || (c >= "0" && c <= "9") }
private func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
private func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\u{0C}" || c == "\u{0B}" }

/// Words after which a `/` starts a regex rather than dividing.
private let regexAfterWords: Set<String> = [
    "return", "typeof", "case", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await",
    "else", "do", "and", "or", "not", "if", "unless", "while", "until", "when", "split", "grep", "map", "join",
    "push", "unshift", "elsif", "puts", "print", "x", "lt", "gt", "le", "ge", "eq", "ne", "cmp",
]

private let twoCharOperators = ["=>", "->", "::", "=~", "==", "!=", "<=", ">="]

private struct PendingHereDoc {
    var terminator: String
    var indented: Bool
    var interpolates: Bool
    var command: Bool
    var index: Int   // token to fill in
}

private struct Lexer {
    let s: [Unicode.Scalar]
    let lang: LexLanguage
    var i = 0
    var line: Int
    var depth = 0
    var tokens: [Token] = []
    var pending: [PendingHereDoc] = []

    init(_ s: [Unicode.Scalar], _ lang: LexLanguage, line: Int) { self.s = s; self.lang = lang; self.line = line }

    func at(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func emit(_ kind: Token.Kind, _ text: String, line l: Int? = nil) {
        tokens.append(Token(kind: kind, text: text, line: l ?? line))
    }

    mutating func emitNewline() {
        if let last = tokens.last, last.kind == .newline { return }
        if tokens.isEmpty { return }
        emit(.newline, "\n")
    }

    /// Is the previous token an operand (so `/` divides)?
    var afterOperand: Bool {
        guard let t = tokens.last else { return false }
        switch t.kind {
        case .number, .string, .command: return true
        case .ident: return !regexAfterWords.contains(t.text)
        case .punct: return t.text == ")" || t.text == "]" || t.text == "}"
        case .newline: return false
        }
    }

    /// Text from `a` to `b` (exclusive) as a String, counting its newlines.
    mutating func take(_ a: Int, _ b: Int) -> String {
        var out = String.UnicodeScalarView()
        for k in a..<min(b, s.count) {
            if s[k] == "\n" { line += 1 }
            out.append(s[k])
        }
        return String(out)
    }

    mutating func run() {
        if at(0) == "#" && at(1) == "!" { skipToEOL() }
        while i < s.count {
            let c = s[i]
            if c == "\n" {
                i += 1
                if lang != .python || depth == 0 { emitNewline() }
                line += 1
                if !pending.isEmpty { readHereDocs() }
                if atLineStart() && blockCommentOrEnd() { continue }
                continue
            }
            if isSpace(c) { i += 1; continue }
            if c == "\\" && at(1) == "\n" { i += 2; line += 1; continue }
            if i == 0 && blockCommentOrEnd() { continue }
            switch lang {
            case .python: if python(c) { continue }
            case .javascript: if javascript(c) { continue }
            case .perl: if perl(c) { continue }
            case .ruby: if ruby(c) { continue }
            }
            common(c)
        }
    }

    func atLineStart() -> Bool { i == 0 || s[i - 1] == "\n" }

    /// POD (`=head1 … =cut`), Ruby `=begin … =end`, and `__END__`/`__DATA__` (the rest is data).
    /// Called at the start of a line.
    mutating func blockCommentOrEnd() -> Bool {
        guard lang == .perl || lang == .ruby else { return false }
        if at(0) == "=", let n = at(1), isIdentStart(n) {
            let endMarker = lang == .perl ? "=cut" : "=end"
            if lang == .ruby && !startsWith("=begin") { return false }
            while i < s.count {
                let lineStart = i
                skipToEOL()
                let text = String(String.UnicodeScalarView(s[lineStart..<i]))
                if i < s.count { i += 1; line += 1 }
                if text.hasPrefix(endMarker) { break }
            }
            return true
        }
        if startsWith("__END__") || (lang == .perl && startsWith("__DATA__")) {
            i = s.count
            return true
        }
        return false
    }

    func startsWith(_ p: String) -> Bool {
        var k = i
        for u in p.unicodeScalars {
            guard k < s.count, s[k] == u else { return false }
            k += 1
        }
        return true
    }

    mutating func skipToEOL() { while i < s.count && s[i] != "\n" { i += 1 } }

    // MARK: shared pieces

    mutating func common(_ c: Unicode.Scalar) {
        if isIdentStart(c) {
            let a = i
            while i < s.count && isIdent(s[i]) { i += 1 }
            emit(.ident, String(String.UnicodeScalarView(s[a..<i])))
            return
        }
        if isDigit(c) {
            let a = i
            while i < s.count && (isIdent(s[i]) || s[i] == ".") { i += 1 }
            emit(.number, String(String.UnicodeScalarView(s[a..<i])))
            return
        }
        if c == "(" || c == "[" || c == "{" { depth += 1 }
        if c == ")" || c == "]" || c == "}" { depth = max(0, depth - 1) }
        // Two-character operators that matter to the rules.
        for op in twoCharOperators where startsWith(op) {
            i += 2
            emit(.punct, op)
            return
        }
        i += 1
        emit(.punct, String(c))
    }

    /// A string delimited by `q` (no nesting) from i (just after the opening quote). Backslash
    /// escapes the next character. `multiline: false` stops at a newline (unterminated).
    mutating func quoted(until q: Unicode.Scalar, multiline: Bool = true) -> String {
        let a = i
        while i < s.count && s[i] != q {
            if s[i] == "\\" { i += 1 }
            else if s[i] == "\n" && !multiline { break }
            i += 1
        }
        let text = take(a, min(i, s.count))
        if i < s.count && s[i] == q { i += 1 }
        return text
    }

    /// A string between bracket-like delimiters that nest (`q{…{…}…}`), or up to the same character.
    mutating func delimited(_ open: Unicode.Scalar) -> String {
        let close: Unicode.Scalar
        switch open {
        case "(": close = ")"
        case "[": close = "]"
        case "{": close = "}"
        case "<": close = ">"
        default: return quoted(until: open)
        }
        let a = i
        var level = 1
        while i < s.count {
            let c = s[i]
            if c == "\\" { i += 2; continue }
            if c == open { level += 1 }
            if c == close { level -= 1; if level == 0 { break } }
            i += 1
        }
        let text = take(a, min(i, s.count))
        if i < s.count { i += 1 }
        return text
    }

    /// A regex literal `/…/flags` (the opening `/` at i).
    mutating func regexLiteral() {
        i += 1
        var inClass = false
        while i < s.count && s[i] != "\n" {
            let c = s[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false } }
            else if c == "[" { inClass = true }
            else if c == "/" { break }
            i += 1
        }
        if i < s.count && s[i] == "/" { i += 1 }
        while i < s.count && isIdent(s[i]) { i += 1 }
        emit(.string, "/regex/")
    }

    /// Lexes interpolated code (`#{…}`, `${…}`, `{…}`) found in a string's text, appending its tokens.
    mutating func interpolations(_ text: String, opener: String, startLine: Int) {
        let t = Array(text.unicodeScalars)
        let o = Array(opener.unicodeScalars)
        var k = 0
        var lineAt = startLine
        while k < t.count {
            if t[k] == "\n" { lineAt += 1; k += 1; continue }
            if t[k] == "\\" { k += 2; continue }
            if lang == .python && t[k] == "{" && k + 1 < t.count && t[k + 1] == "{" { k += 2; continue }
            var match = k + o.count <= t.count
            if match { for (j, u) in o.enumerated() where t[k + j] != u { match = false; break } }
            guard match else { k += 1; continue }
            var j = k + o.count
            var level = 1
            let start = j
            var quote: Unicode.Scalar? = nil
            while j < t.count {
                let c = t[j]
                if let q = quote {
                    if c == "\\" { j += 2; continue }
                    if c == q { quote = nil }
                } else if c == "\"" || c == "'" || c == "`" {
                    quote = c
                } else if c == "{" { level += 1 }
                else if c == "}" { level -= 1; if level == 0 { break } }
                j += 1
            }
            let code = String(String.UnicodeScalarView(t[start..<min(j, t.count)]))
            tokens.append(contentsOf: lex(code, lang, firstLine: lineAt))
            for u in t[k..<min(j, t.count)] where u == "\n" { lineAt += 1 }
            k = j + 1
        }
    }

    /// After a newline: the bodies of here-documents started on the line that just ended.
    mutating func readHereDocs() {
        let docs = pending
        pending = []
        for d in docs {
            let bodyLine = line
            var body = String.UnicodeScalarView()
            var found = false
            while i < s.count {
                let a = i
                skipToEOL()
                let text = String(String.UnicodeScalarView(s[a..<i]))
                if i < s.count { i += 1 }
                line += 1
                let bare = d.indented ? String(text.drop { $0 == " " || $0 == "\t" }) : text
                if bare == d.terminator { found = true; break }
                body.append(contentsOf: text.unicodeScalars)
                body.append("\n")
            }
            _ = found
            let text = String(body)
            tokens[d.index].text = text
            tokens[d.index].line = bodyLine
            if d.interpolates {
                if lang == .ruby { interpolations(text, opener: "#{", startLine: bodyLine) }
            }
        }
    }

    /// `<<EOF`, `<<"EOF"`, `<<'EOF'`, `<<~EOF`, `<<-EOF` (Ruby), `` <<`EOF` `` (a command). At `<<`.
    mutating func hereDocStart() -> Bool {
        var k = i + 2
        var indented = false
        if k < s.count && (s[k] == "~" || (lang == .ruby && s[k] == "-")) { indented = true; k += 1 }
        guard k < s.count else { return false }
        var quote: Unicode.Scalar? = nil
        if s[k] == "\"" || s[k] == "'" || s[k] == "`" { quote = s[k]; k += 1 }
        guard k < s.count, isIdentStart(s[k]) else { return false }
        // Ruby: `x <<y` appends; a heredoc terminator is conventionally upper case (or quoted).
        if lang == .ruby && quote == nil && !(s[k] >= "A" && s[k] <= "Z") { return false }
        // Perl: `1 << 2` shifts; `<<EOF` is a heredoc only when the word follows immediately.
        let a = k
        while k < s.count && isIdent(s[k]) { k += 1 }
        let word = String(String.UnicodeScalarView(s[a..<k]))
        if let q = quote { guard k < s.count, s[k] == q else { return false }; k += 1 }
        i = k
        let command = quote == "`"
        emit(command ? .command : .string, "")
        pending.append(PendingHereDoc(terminator: word, indented: indented || lang == .perl && indented,
                                      interpolates: quote != "'", command: command, index: tokens.count - 1))
        return true
    }

    // MARK: Python

    mutating func python(_ c: Unicode.Scalar) -> Bool {
        if c == "#" { skipToEOL(); return true }
        var prefix = ""
        var k = i
        while k < s.count && k - i < 2 && "rRbBuUfF".unicodeScalars.contains(s[k]) { k += 1 }
        if k < s.count && (s[k] == "\"" || s[k] == "'") && (k == i || !(i > 0 && isIdent(s[i - 1]))) {
            prefix = String(String.UnicodeScalarView(s[i..<k])).lowercased()
        } else if !(c == "\"" || c == "'") {
            return false
        }
        // A prefix letter that is really the end of an identifier was ruled out above.
        i = k
        let q = s[i]
        let startLine = line
        let text: String
        if at(1) == q && at(2) == q {
            i += 3
            let a = i
            while i < s.count && !(s[i] == q && at(1) == q && at(2) == q) {
                if s[i] == "\\" { i += 1 }
                i += 1
            }
            text = take(a, min(i, s.count))
            i = min(i + 3, s.count)
        } else {
            i += 1
            text = quoted(until: q, multiline: false)
        }
        emit(.string, text, line: startLine)
        if prefix.contains("f") { interpolations(text, opener: "{", startLine: startLine) }
        return true
    }

    // MARK: JavaScript

    mutating func javascript(_ c: Unicode.Scalar) -> Bool {
        if c == "/" && at(1) == "/" { skipToEOL(); return true }
        if c == "/" && at(1) == "*" {
            i += 2
            while i < s.count && !(s[i] == "*" && at(1) == "/") { if s[i] == "\n" { line += 1 }; i += 1 }
            i = min(i + 2, s.count)
            return true
        }
        if c == "\"" || c == "'" {
            let l0 = line
            i += 1
            emit(.string, quoted(until: c, multiline: false), line: l0)
            return true
        }
        if c == "`" {
            let l0 = line
            i += 1
            let text = quoted(until: "`")
            emit(.string, text, line: l0)
            interpolations(text, opener: "${", startLine: l0)
            return true
        }
        if c == "/" && !afterOperand { regexLiteral(); return true }
        if c == "$" || c == "_" {   // identifiers may start with $
            let a = i
            i += 1
            while i < s.count && (isIdent(s[i]) || s[i] == "$") { i += 1 }
            emit(.ident, String(String.UnicodeScalarView(s[a..<i])))
            return true
        }
        return false
    }

    // MARK: Perl

    mutating func perl(_ c: Unicode.Scalar) -> Bool {
        if c == "#" { skipToEOL(); return true }
        if c == "$" || c == "@" || c == "%" || c == "&" {
            // Sigils: `$#array`, `$'`, `$"` must not start a comment or a string.
            if let n = at(1), !isIdentStart(n), !isSpace(n), n != "{", n != "(", n != "\n", c == "$" {
                i += 2
                emit(.ident, "$" + String(n))
                return true
            }
            if c == "$" || c == "@" {
                i += 1
                if i < s.count && isIdentStart(s[i]) {
                    let a = i
                    while i < s.count && (isIdent(s[i]) || (s[i] == ":" && at(1) == ":")) { i += s[i] == ":" ? 2 : 1 }
                    emit(.ident, String(c) + String(String.UnicodeScalarView(s[a..<i])))
                } else {
                    emit(.punct, String(c))
                }
                return true
            }
            return false
        }
        if c == "\"" || c == "'" {
            let l0 = line
            i += 1
            emit(.string, quoted(until: c), line: l0)
            return true
        }
        if c == "`" {
            let l0 = line
            i += 1
            emit(.command, quoted(until: "`"), line: l0)
            return true
        }
        if c == "<" && at(1) == "<" && hereDocStart() { return true }
        if c == "/" && !afterOperand { regexLiteral(); return true }
        if isIdentStart(c) {
            let a = i
            var k = i
            while k < s.count && isIdent(s[k]) { k += 1 }
            let word = String(String.UnicodeScalarView(s[a..<k]))
            if ["q", "qq", "qw", "qx", "m", "qr", "s", "tr", "y"].contains(word), quoteLike(word, from: k) { return true }
            return false
        }
        return false
    }

    /// `q{…}`, `qq(…)`, `qw/…/`, `qx{…}`, `m/…/`, `qr{…}`, `s/…/…/e`, `tr/…/…/` (word ends at k).
    mutating func quoteLike(_ word: String, from k0: Int) -> Bool {
        var k = k0
        while k < s.count && isSpace(s[k]) { k += 1 }
        guard k < s.count else { return false }
        let d = s[k]
        // `s => 1`, `y, `, `q;`…: a bareword, not a quote.
        if isIdent(d) || isSpace(d) || d == "," || d == ";" || d == ")" || d == "\n" || d == "#" && k != k0 { return false }
        if d == "=" && k + 1 < s.count && (s[k + 1] == ">" || s[k + 1] == "=" || s[k + 1] == "~") { return false }
        if let prev = tokens.last, prev.kind == .punct, prev.text == "->" || prev.text == "{" && d == "}" { return false }
        let l0 = line
        i = k + 1
        let first = delimited(d)
        var second: String? = nil
        if ["s", "tr", "y"].contains(word) {
            if "([{<".unicodeScalars.contains(d) {
                while i < s.count && (isSpace(s[i]) || s[i] == "\n") { if s[i] == "\n" { line += 1 }; i += 1 }
                if i < s.count { let d2 = s[i]; i += 1; second = delimited(d2) }
            } else {
                second = quoted(until: d)
            }
        }
        let modsStart = i
        while i < s.count && isIdent(s[i]) { i += 1 }
        let mods = String(String.UnicodeScalarView(s[modsStart..<i]))
        switch word {
        case "qx": emit(.command, first, line: l0)
        case "q", "qq", "qw": emit(.string, first, line: l0)
        default:
            emit(.string, "/regex/", line: l0)
            if word == "s", mods.contains("e"), let code = second {
                tokens.append(contentsOf: lex(code, .perl, firstLine: l0))
            }
        }
        return true
    }

    // MARK: Ruby

    mutating func ruby(_ c: Unicode.Scalar) -> Bool {
        if c == "#" { skipToEOL(); return true }
        if c == "\"" || c == "`" {
            let l0 = line
            i += 1
            let text = quoted(until: c)
            emit(c == "`" ? .command : .string, text, line: l0)
            interpolations(text, opener: "#{", startLine: l0)
            return true
        }
        if c == "'" {
            let l0 = line
            i += 1
            emit(.string, quoted(until: "'"), line: l0)
            return true
        }
        if c == "%", let n = at(1), !afterOperand || (n != " " && n != "=" && !isDigit(n)) {
            var k = i + 1
            var kind: Unicode.Scalar = "Q"
            if isIdentStart(n) {
                guard "qQwWiIxrs".unicodeScalars.contains(n) else { return false }
                kind = n
                k += 1
            }
            guard k < s.count else { return false }
            let d = s[k]
            guard !isIdent(d), !isSpace(d), d != "\n", d != "=" || kind != "Q" else { return false }
            let l0 = line
            i = k + 1
            let text = delimited(d)
            while i < s.count && isIdent(s[i]) { i += 1 }
            switch kind {
            case "x":
                emit(.command, text, line: l0)
                interpolations(text, opener: "#{", startLine: l0)
            case "r": emit(.string, "/regex/", line: l0)
            default:
                emit(.string, text, line: l0)
                if kind == "Q" || kind == "W" || kind == "I" { interpolations(text, opener: "#{", startLine: l0) }
            }
            return true
        }
        if c == "<" && at(1) == "<" && hereDocStart() { return true }
        if c == "/" && !afterOperand { regexLiteral(); return true }
        if c == "?", let n = at(1), !isSpace(n), n != "\n", at(2).map({ !isIdent($0) }) ?? true, !afterOperand {
            i += 2   // character literal ?x
            emit(.string, String(n))
            return true
        }
        if c == ":" && at(1) == "\"" {
            i += 2
            emit(.string, quoted(until: "\""))
            return true
        }
        if c == "@" || c == "$" {
            let a = i
            i += 1
            while i < s.count && (isIdent(s[i]) || s[i] == "@") { i += 1 }
            if i == a + 1 && i < s.count { i += 1 }   // $0, $!, $~ …
            emit(.ident, String(String.UnicodeScalarView(s[a..<i])))
            return true
        }
        return false
    }
}

/// Python strings that stand alone on a logical line (docstrings, comments-as-strings).
private func markStatementStrings(_ t: inout [Token]) {
    for k in t.indices where t[k].kind == .string {
        let before = k == 0 || t[k - 1].kind == .newline || (t[k - 1].kind == .punct && t[k - 1].text == ":")
        let after = k + 1 == t.count || t[k + 1].kind == .newline
        if before && after { t[k].statement = true }
    }
}
