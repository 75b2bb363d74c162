// Where keys and values were written in the policy text, for error messages only.
//
// TOMLKit (toml++ underneath) parses the file but does not expose the source positions of keys
// and values, so this scans the raw text once more. It is not a TOML parser: it runs only on text
// TOMLKit has already accepted, tracks `[table]` / `[[array.of.tables]]` headers (counting the
// occurrences of each array of tables), `key = value` lines with dotted and quoted keys, and the
// insides of arrays and inline tables, and records a line:column for every key path it sees.
// Anything it does not understand it skips to the end of the line; a path it never saw is
// located at its nearest located ancestor, and failing that at line 0 ("unknown").

/// One step of a path into the TOML document: a table key or an array index (0-based).
enum TOMLPathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)
}

typealias TOMLPath = [TOMLPathComponent]

/// A 1-based line and column (columns count Unicode scalars, as toml++ does).
struct TextPosition: Equatable, Sendable {
    var line: Int
    var column: Int
}

struct KeyLocator {
    /// Where the key (or table header, or array element) for a path starts.
    private(set) var keyPositions: [TOMLPath: TextPosition] = [:]
    /// Where the value for a path starts (`[` of a header for tables).
    private(set) var valuePositions: [TOMLPath: TextPosition] = [:]

    init(text: String) {
        var scanner = LocatorScanner(tokens: LocatorLexer.tokens(of: text))
        scanner.run()
        keyPositions = scanner.keyPositions
        valuePositions = scanner.valuePositions
    }

    /// The positions of top-level `[[name]]` headers by name, in order, from a quick scan of
    /// lines alone (no tokenising). A multi-line string containing such a line can add one,
    /// which callers notice by comparing the count with the parsed document.
    static func arrayTableHeaders(in text: String) -> [String: [TextPosition]] {
        var text = text
        return text.withUTF8 { b in
            var out: [String: [TextPosition]] = [:]
            var line = 1
            var i = 0
            let n = b.count
            let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), nl = UInt8(ascii: "\n")
            let open = UInt8(ascii: "["), close = UInt8(ascii: "]")
            while i < n {
                var j = i
                while j < n && (b[j] == space || b[j] == tab) { j += 1 }
                let column = j - i + 1
                if j + 1 < n && b[j] == open && b[j + 1] == open {
                    var k = j + 2
                    var name: [UInt8] = []
                    var plain = true
                    while k < n && b[k] != close && b[k] != nl {
                        let c = b[k]
                        if c == UInt8(ascii: ".") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { plain = false }
                        if c != space && c != tab { name.append(c) }
                        k += 1
                    }
                    if plain && k < n && b[k] == close && !name.isEmpty {
                        out[String(decoding: name, as: UTF8.self), default: []]
                            .append(TextPosition(line: line, column: column))
                    }
                }
                while j < n && b[j] != nl { j += 1 }
                i = j + 1
                line += 1
            }
            return out
        }
    }

    /// The position of `path`'s key (`value: false`) or value (`value: true`), or of its nearest
    /// located ancestor; nil when nothing on the way up was located.
    func position(of path: TOMLPath, value: Bool) -> TextPosition? {
        var p = path
        var first = true
        while true {
            if first && value, let pos = valuePositions[p] { return pos }
            if let pos = keyPositions[p] { return pos }
            if let pos = valuePositions[p] { return pos }
            if p.isEmpty { return nil }
            p.removeLast()
            first = false
        }
    }
}

// MARK: - Lexer

private enum LocatorTokenKind: Equatable {
    case lbracket, rbracket, lbrace, rbrace, equals, comma, dot, newline
    case string(String)   // a quoted string, decoded (escapes in basic strings best effort)
    case bare(String)     // a bare key, number, boolean, date piece …
}

private struct LocatorToken {
    var kind: LocatorTokenKind
    var pos: TextPosition
}

private enum LocatorLexer {
    static func tokens(of text: String) -> [LocatorToken] {
        let s = Array(text.unicodeScalars)
        var out: [LocatorToken] = []
        var i = 0, line = 1, col = 1

        func advance(_ n: Int = 1) {
            for _ in 0..<n where i < s.count {
                if s[i] == "\n" { line += 1; col = 1 } else { col += 1 }
                i += 1
            }
        }
        func at(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        while i < s.count {
            let c = s[i]
            let pos = TextPosition(line: line, column: col)
            switch c {
            case " ", "\t", "\r":
                advance()
            case "\n":
                out.append(LocatorToken(kind: .newline, pos: pos)); advance()
            case "#":
                while i < s.count && s[i] != "\n" { advance() }
            case "[": out.append(LocatorToken(kind: .lbracket, pos: pos)); advance()
            case "]": out.append(LocatorToken(kind: .rbracket, pos: pos)); advance()
            case "{": out.append(LocatorToken(kind: .lbrace, pos: pos)); advance()
            case "}": out.append(LocatorToken(kind: .rbrace, pos: pos)); advance()
            case "=": out.append(LocatorToken(kind: .equals, pos: pos)); advance()
            case ",": out.append(LocatorToken(kind: .comma, pos: pos)); advance()
            case ".": out.append(LocatorToken(kind: .dot, pos: pos)); advance()
            case "\"", "'":
                let basic = c == "\""
                var value = ""
                if at(1) == c && at(2) == c {
                    // Multi-line string: up to the closing triple quote; one or two quotes may
                    // directly precede it and belong to the content.
                    advance(3)
                    while i < s.count {
                        if basic && s[i] == "\\" { advance(2); continue }
                        if s[i] == c && at(1) == c && at(2) == c {
                            advance(3)
                            var extra = 0
                            while extra < 2 && i < s.count && s[i] == c { advance(); extra += 1 }
                            break
                        }
                        value.unicodeScalars.append(s[i]); advance()
                    }
                } else {
                    advance()
                    while i < s.count && s[i] != c && s[i] != "\n" {
                        if basic && s[i] == "\\", let e = at(1) {
                            switch e {
                            case "n": value += "\n"; advance(2)
                            case "t": value += "\t"; advance(2)
                            case "r": value += "\r"; advance(2)
                            case "b": value += "\u{8}"; advance(2)
                            case "f": value += "\u{c}"; advance(2)
                            case "e": value += "\u{1b}"; advance(2)
                            case "u", "U":
                                let n = e == "u" ? 4 : 8
                                var hex = ""
                                var k = 2
                                while k < 2 + n, let h = at(k), h.properties.isASCIIHexDigit {
                                    hex.unicodeScalars.append(h); k += 1
                                }
                                if let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) {
                                    value.unicodeScalars.append(u)
                                }
                                advance(k)
                            default: value.unicodeScalars.append(e); advance(2)
                            }
                            continue
                        }
                        value.unicodeScalars.append(s[i]); advance()
                    }
                    if i < s.count && s[i] == c { advance() }
                }
                out.append(LocatorToken(kind: .string(value), pos: pos))
            default:
                var word = ""
                while i < s.count {
                    let d = s[i]
                    if d == " " || d == "\t" || d == "\r" || d == "\n" || d == "#" || d == "[" || d == "]"
                        || d == "{" || d == "}" || d == "=" || d == "," || d == "." || d == "\"" || d == "'" {
                        break
                    }
                    word.unicodeScalars.append(d); advance()
                }
                out.append(LocatorToken(kind: .bare(word), pos: pos))
            }
        }
        return out
    }
}

// MARK: - Scanner

private struct LocatorScanner {
    let tokens: [LocatorToken]
    var i = 0
    var keyPositions: [TOMLPath: TextPosition] = [:]
    var valuePositions: [TOMLPath: TextPosition] = [:]
    /// How many `[[x]]` headers have been seen for each resolved array-of-tables path.
    var arrayCounts: [TOMLPath: Int] = [:]
    var current: TOMLPath = []

    init(tokens: [LocatorToken]) { self.tokens = tokens }

    var peek: LocatorTokenKind? { i < tokens.count ? tokens[i].kind : nil }
    func peek(_ k: Int) -> LocatorTokenKind? { i + k < tokens.count ? tokens[i + k].kind : nil }

    mutating func record(_ path: TOMLPath, key: TextPosition, value: TextPosition? = nil) {
        if keyPositions[path] == nil { keyPositions[path] = key }
        if let value, valuePositions[path] == nil { valuePositions[path] = value }
    }

    mutating func skipLine() {
        while let k = peek, k != .newline { i += 1 }
    }

    mutating func skipNewlines() {
        while peek == .newline { i += 1 }
    }

    /// A dotted key: bare or quoted parts separated by dots. Empty if none.
    mutating func dottedKey() -> [String] {
        var parts: [String] = []
        while true {
            guard let k = peek else { break }
            switch k {
            case .bare(let w), .string(let w): parts.append(w); i += 1
            default: return parts
            }
            // Bare keys that look like numbers lex as several words only around dots, so a dot
            // always separates parts here.
            if peek == .dot { i += 1 } else { break }
        }
        return parts
    }

    mutating func run() {
        while i < tokens.count {
            skipNewlines()
            guard i < tokens.count else { break }
            let tok = tokens[i]
            switch tok.kind {
            case .lbracket:
                let isArray = peek(1) == .lbracket
                i += isArray ? 2 : 1
                let parts = dottedKey()
                header(parts, array: isArray, at: tok.pos)
                skipLine()
            case .bare, .string:
                keyValue(base: current)
                skipLine()
            default:
                skipLine()
            }
        }
    }

    mutating func header(_ parts: [String], array: Bool, at pos: TextPosition) {
        guard !parts.isEmpty else { return }
        var path: TOMLPath = []
        for (n, part) in parts.enumerated() {
            path.append(.key(part))
            if n == parts.count - 1 && array {
                let count = arrayCounts[path] ?? 0
                arrayCounts[path] = count + 1
                record(path, key: pos)
                path.append(.index(count))
            } else if let count = arrayCounts[path], count > 0 {
                path.append(.index(count - 1))
            }
            record(path, key: pos)
        }
        valuePositions[path] = pos
        keyPositions[path] = pos
        current = path
    }

    /// `a.b.c = value` relative to `base`; the cursor is on the first key part.
    mutating func keyValue(base: TOMLPath) {
        let start = tokens[i].pos
        let parts = dottedKey()
        guard !parts.isEmpty, peek == .equals else { return }
        i += 1
        var path = base
        for part in parts {
            path.append(.key(part))
            record(path, key: start)
        }
        value(at: path)
    }

    /// A value at `path`; the cursor is on its first token.
    mutating func value(at path: TOMLPath) {
        guard i < tokens.count else { return }
        let tok = tokens[i]
        if keyPositions[path] == nil { keyPositions[path] = tok.pos }
        valuePositions[path] = tok.pos
        switch tok.kind {
        case .lbracket:
            i += 1
            var index = 0
            while i < tokens.count {
                skipNewlines()
                guard let k = peek else { return }
                if k == .rbracket { i += 1; return }
                if k == .comma { i += 1; continue }
                value(at: path + [.index(index)])
                index += 1
                skipNewlines()
                if peek == .comma { i += 1 } else if peek == .rbracket { i += 1; return } else if peek != nil && !isValueStart(peek!) {
                    i += 1 // something unexpected: step over it rather than loop
                }
            }
        case .lbrace:
            i += 1
            while i < tokens.count {
                skipNewlines()
                guard let k = peek else { return }
                switch k {
                case .rbrace: i += 1; return
                case .comma: i += 1
                case .bare, .string: keyValue(base: path)
                default: i += 1
                }
            }
        case .string:
            i += 1
        default:
            // A scalar: a number, boolean or date, possibly lexed as several words and dots.
            i += 1
            while let k = peek {
                switch k {
                case .bare, .dot: i += 1
                default: return
                }
            }
        }
    }

    func isValueStart(_ k: LocatorTokenKind) -> Bool {
        switch k {
        case .lbracket, .lbrace, .string, .bare: return true
        default: return false
        }
    }
}
