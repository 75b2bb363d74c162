// Recursive-descent parser for the bash subset aegish accepts.
//
// Entry point: `parseScript(_:)` (ParseError.swift). The parser drives a character-level lexer over
// UTF-8 bytes; `$( … )` bodies are parsed recursively on the spot, backquote and here-document
// bodies are re-parsed from their (unescaped) text with positions mapped back to the source.
//
// Conventions of the tree, for the expander:
// - Unquoted text is `.literal`; anything quoted (`'…'`, `\x`, `$'…'`, text inside "…") is `.quoted`.
// - `$(( … ))`, `(( … ))` and the offset/length of `${x:o:l}` are words read like the inside of
//   double quotes: `.quoted` text plus `.param`/`.commandSub`/`.arithmetic` (and `.doubleQuoted`
//   for inner "…", which bash removes). Expand, concatenate, then evaluate; never split or glob.
// - Here-document bodies: quoted delimiter → one `.quoted` part; otherwise double-quote-like parts
//   where only `\$ \` \\` and backslash-newline are escapes.
// - `${x-w}`-style words: inside "…" (or a here-document) they are double-quote-like (`.quoted`
//   text, single quotes literal, as bash does); unquoted they are unquoted words. Pattern and
//   replacement words (`# ## % %% / // ^ ,`) always use unquoted rules (`.literal` text is pattern
//   text, quotes make it literal), even inside "…", as bash does.
// - Tilde: `.tilde(name)` at the start of a word, and in assignment values (and assignment-shaped
//   arguments, as non-POSIX bash does) at the start of the value and after each unquoted `:`.
// - `>&word` without an fd and with a literal non-numeric target other than `-` becomes `.outputBoth`.

let maxDepth = 200

final class Parser {
    let s: [UInt8]
    var n: Int
    /// For re-parsed text (backquote bodies, here-document bodies): the root offset of each byte.
    let origin: [Int]?
    /// Root offset used for positions in an empty re-parsed text.
    var originEnd = 0
    let map: LineMap
    var i = 0
    var la: Token? = nil
    var pending: [PendingHereDoc] = []
    var hereDocs: [Pos: HereDoc] = [:]
    var contAtEOF = false
    var depth = 0
    var cla: CTok? = nil
    /// Set by `scanArith`: the byte after a matching `)` that was not `))` (0 if none).
    var arithMismatchNext: UInt8 = 0

    init(bytes: [UInt8], origin: [Int]?, map: LineMap) {
        self.s = bytes
        self.n = bytes.count
        self.origin = origin
        self.map = map
    }

    func parseProgram() throws -> Script {
        let script = try parseList()
        let t = try peek()
        if t.kind != .eof { throw unexpected(t) }
        if contAtEOF { throw err(.incomplete, "line continuation at end of input", at: n) }
        return try fixHereDocs(script)
    }

    func tokenText(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .newline: return "newline"
        case .op(let o): return o.text
        case .word:
            var bytes: [UInt8] = []
            var k = t.start
            while k < t.end && bytes.count < 40 {
                if s[k] == cBackslash && k + 1 < t.end && s[k + 1] == cNL { k += 2; continue }
                bytes.append(s[k]); k += 1
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    func unexpected(_ t: Token) -> ParseError {
        if t.kind == .eof { return err(.incomplete, "unexpected end of input", at: t.start) }
        return err(.syntax, "unexpected '\(tokenText(t))'", at: t.start)
    }

    /// For places where bash does not accept a newline: end of input there is a syntax error,
    /// since more lines cannot complete the construct.
    func unexpectedHere(_ t: Token) -> ParseError {
        if t.kind == .eof { return err(.syntax, "unexpected end of input", at: t.start) }
        return unexpected(t)
    }

    /// Reserved words that cannot start a command (bash rejects them in command position).
    static let closers: Set<String> = ["then", "fi", "elif", "else", "do", "done", "esac", "}", "in", "]]"]
    /// Words after which bash's `time` keyword would time a compound command or whole pipeline.
    static let timeKeywordFollowers: Set<String> = ["{", "if", "while", "until", "for", "case", "[[", "!",
                                                   "function", "select", "coproc", "time"]

    /// Whether a token can start a command (reserved closing words and most operators cannot).
    func startsCommand(_ t: Token) -> Bool {
        switch t.kind {
        case .word:
            if let l = t.word?.literalText, Parser.closers.contains(l) { return false }
            return true
        case .op(let o): return o == .lparen || o.isRedirection
        default: return false
        }
    }

    // MARK: lists

    func parseList() throws -> Script {
        try skipNewlines()
        var items: [ListItem] = []
        while true {
            let t = try peek()
            if !startsCommand(t) { break }
            let p = pos(t.start)
            let ao = try parseAndOr()
            let sep = try peek()
            switch sep.kind {
            case .op(.semi), .newline:
                la = nil
                items.append(ListItem(andOr: ao, background: false, pos: p))
                try skipNewlines()
            case .op(.amp):
                la = nil
                items.append(ListItem(andOr: ao, background: true, pos: p))
                try skipNewlines()
            default:
                items.append(ListItem(andOr: ao, background: false, pos: p))
                return Script(items: items)
            }
        }
        return Script(items: items)
    }

    func requireNonEmpty(_ s: Script) throws {
        if s.items.isEmpty { throw unexpected(try peek()) }
    }

    func parseAndOr() throws -> AndOr {
        let first = try parsePipeline()
        var rest: [(op: AndOrOp, pipeline: Pipeline)] = []
        while true {
            let t = try peek()
            let op: AndOrOp
            if t.isOp(.andIf) { op = .and } else if t.isOp(.orIf) { op = .or } else { break }
            la = nil
            try skipNewlines()
            rest.append((op, try parsePipeline()))
        }
        return AndOr(first: first, rest: rest)
    }

    func parsePipeline() throws -> Pipeline {
        var t = try peek()
        let start = t.start
        var negated = false
        var bangs = 0
        while t.isWord("!") {
            la = nil
            negated.toggle()
            bangs += 1
            t = try peek()
        }
        if bangs > 0 && !startsCommand(t) {
            switch t.kind {
            case .eof, .newline, .op(.semi), .op(.amp):
                throw unsupported("'!' without a command", at: start)
            default: throw unexpected(t)
            }
        }
        var commands = [try parseCommand()]
        var stderrToo: [Bool] = []
        while true {
            let t = try peek()
            let both: Bool
            if t.isOp(.pipe) { both = false } else if t.isOp(.pipeAmp) { both = true } else { break }
            la = nil
            try skipNewlines()
            commands.append(try parseCommand())
            stderrToo.append(both)
        }
        return Pipeline(negated: negated, commands: commands, stderrToo: stderrToo, pos: pos(start))
    }

    // MARK: commands

    func parseCommand() throws -> Command {
        let t = try peek()
        if !startsCommand(t) { throw unexpected(t) }
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth { throw unsupported("nesting this deep", at: t.start) }
        if t.isOp(.lparen) { return try parseParen() }
        if let w = t.literal {
            switch w {
            case "{":
                la = nil
                let body = try parseList()
                try requireNonEmpty(body)
                try expectWord("}")
                return try finishCompound(.brace(body), start: t.start)
            case "if": return try parseIf()
            case "while", "until":
                la = nil
                let cond = try parseList()
                try requireNonEmpty(cond)
                try expectWord("do")
                let body = try parseList()
                try requireNonEmpty(body)
                try expectWord("done")
                return try finishCompound(.loop(Loop(until: w == "until", condition: cond, body: body)), start: t.start)
            case "for": return try parseFor()
            case "case": return try parseCase()
            case "[[":
                la = nil
                let e = try parseCondCommand(start: t.start)
                return try finishCompound(.condition(e), start: t.start)
            case "function": return try parseFunctionKeyword()
            case "select": throw unsupported("select loops", at: t.start)
            case "coproc": throw unsupported("coproc", at: t.start)
            case "!": throw unexpected(t)
            default: break
            }
        }
        return try parseSimple()
    }

    func expectWord(_ kw: String) throws {
        let t = try peek()
        if t.isWord(kw) { la = nil; return }
        throw unexpected(t)
    }

    func expectOp(_ o: Op) throws {
        let t = try peek()
        if t.isOp(o) { la = nil; return }
        throw unexpected(t)
    }

    func finishCompound(_ cc: CompoundCommand, start: Int) throws -> Command {
        var redirs: [Redirection] = []
        while true {
            let t = try peek()
            guard case .op(let o) = t.kind, o.isRedirection else { break }
            redirs.append(try parseRedirection())
        }
        return .compound(cc, redirections: redirs, pos: pos(start))
    }

    /// `(` seen in command position: `(( … ))` arithmetic or a subshell.
    func parseParen() throws -> Command {
        let t = try next()
        if i < n && s[i] == cLParen {
            if let close = try scanArith(from: i + 1, openAt: t.start) {
                let w = try parseArithRegion(from: i + 1, to: close)
                i = close + 2
                return try finishCompound(.arithmetic(w), start: t.start)
            }
            // bash cannot re-read `((x)` followed by a newline as nested subshells
            if arithMismatchNext == cNL { throw err(.syntax, "unexpected newline after '((...)'", at: t.start) }
        }
        let body = try parseList()
        try requireNonEmpty(body)
        try expectOp(.rparen)
        return try finishCompound(.subshell(body), start: t.start)
    }

    func parseIf() throws -> Command {
        let t = try next()
        var branches: [(condition: Script, body: Script)] = []
        var elseBody: Script? = nil
        while true {
            let cond = try parseList()
            try requireNonEmpty(cond)
            try expectWord("then")
            let body = try parseList()
            try requireNonEmpty(body)
            branches.append((cond, body))
            let k = try peek()
            if k.isWord("elif") { la = nil; continue }
            if k.isWord("else") {
                la = nil
                let e = try parseList()
                try requireNonEmpty(e)
                elseBody = e
                try expectWord("fi")
                break
            }
            try expectWord("fi")
            break
        }
        return try finishCompound(.ifClause(IfClause(branches: branches, elseBody: elseBody)), start: t.start)
    }

    func parseFor() throws -> Command {
        let t = try next()
        let v = try peek()
        if v.isOp(.lparen) {
            if i < n && s[i] == cLParen { return try parseArithFor(start: t.start, open: v.start) }
            throw unexpected(v)
        }
        guard v.kind == .word else { throw unexpectedHere(v) }
        guard let name = v.literal, isValidName(name) else {
            throw err(.syntax, "'\(tokenText(v))' is not a valid loop variable", at: v.start)
        }
        la = nil
        try skipNewlines()
        var items: [Word]? = nil
        var k = try peek()
        if k.isWord("in") {
            la = nil
            var list: [Word] = []
            while true {
                k = try peek()
                guard k.kind == .word, let w = k.word else { break }
                la = nil
                list.append(w)
            }
            if k.isOp(.semi) || k.kind == .newline { la = nil } else { throw unexpected(k) }
            items = list
        } else if k.isOp(.semi) {
            la = nil
        }
        let body = try parseForBody()
        return try finishCompound(.forLoop(ForLoop(variable: name, items: items, body: body, pos: pos(t.start))), start: t.start)
    }

    /// The body of either `for`: `do … done`, or `{ … }` (bash also accepts `for x in …; { …; }`).
    func parseForBody() throws -> Script {
        try skipNewlines()
        let body: Script
        if try peek().isWord("{") {
            la = nil
            body = try parseList()
            try requireNonEmpty(body)
            try expectWord("}")
        } else {
            try expectWord("do")
            body = try parseList()
            try requireNonEmpty(body)
            try expectWord("done")
        }
        return body
    }

    /// `for ((init; cond; step))` with the `do … done` or `{ … }` body; `i` is at the second `(`.
    func parseArithFor(start: Int, open: Int) throws -> Command {
        la = nil
        guard let close = try scanArith(from: i + 1, openAt: open) else {
            throw err(.syntax, "malformed for ((...)) header", at: open)
        }
        // Split the header at the two top-level semicolons (not inside parentheses or quotes).
        var cuts: [Int] = []
        var depth = 0, k = i + 1
        var quote: UInt8 = 0
        while k < close {
            let c = s[k]
            if quote != 0 {
                if c == quote { quote = 0 } else if c == 0x5C && quote == cDQ { k += 1 }
            } else if c == cSQ || c == cDQ {
                quote = c
            } else if c == cLParen {
                depth += 1
            } else if c == cRParen {
                depth -= 1
            } else if c == 0x3B && depth == 0 {
                cuts.append(k)
            }
            k += 1
        }
        guard cuts.count == 2 else {
            throw err(.syntax, "for ((...)) needs exactly two ';' in its header", at: open)
        }
        func clause(_ a: Int, _ b: Int) throws -> Word? {
            var x = a, y = b
            while x < y && (s[x] == 0x20 || s[x] == 0x09 || s[x] == cNL) { x += 1 }
            while y > x && (s[y - 1] == 0x20 || s[y - 1] == 0x09 || s[y - 1] == cNL) { y -= 1 }
            return x == y ? nil : try parseArithRegion(from: x, to: y)
        }
        let initial = try clause(i + 1, cuts[0])
        let cond = try clause(cuts[0] + 1, cuts[1])
        let step = try clause(cuts[1] + 1, close)
        i = close + 2
        la = nil
        let sep = try peek()
        if sep.isOp(.semi) { la = nil }
        let body = try parseForBody()
        let f = ArithFor(initial: initial, condition: cond, step: step, body: body, pos: pos(start))
        return try finishCompound(.arithFor(f), start: start)
    }

    func parseCase() throws -> Command {
        let t = try next()
        let sub = try peek()
        guard sub.kind == .word, let subject = sub.word else { throw unexpectedHere(sub) }
        la = nil
        try skipNewlines()
        try expectWord("in")
        try skipNewlines()
        var items: [CaseItem] = []
        while true {
            var k = try peek()
            if k.isWord("esac") { la = nil; break }
            if k.kind == .eof { throw unexpected(k) }
            let itemStart = k.start
            if k.isOp(.lparen) { la = nil; k = try peek() }
            var patterns: [Word] = []
            while true {
                k = try peek()
                guard k.kind == .word, let w = k.word else { throw unexpectedHere(k) }
                la = nil
                patterns.append(w)
                k = try peek()
                if k.isOp(.pipe) { la = nil; continue }
                if k.isOp(.rparen) { la = nil; break }
                throw unexpectedHere(k)
            }
            let body = try parseList()
            k = try peek()
            var term = CaseTerminator.breakOut
            switch k.kind {
            case .op(.dsemi): la = nil
            case .op(.semiAmp): la = nil; term = .fallThrough
            case .op(.dsemiAmp): la = nil; term = .testNext
            default:
                if !k.isWord("esac") { throw unexpected(k) }
            }
            items.append(CaseItem(patterns: patterns, body: body, terminator: term, pos: pos(itemStart)))
            try skipNewlines()
        }
        return try finishCompound(.caseClause(CaseClause(subject: subject, items: items)), start: t.start)
    }

    func parseFunctionKeyword() throws -> Command {
        let t = try next()
        let nt = try peek()
        guard nt.kind == .word else { throw unexpectedHere(nt) }
        guard let name = nt.literal, !name.isEmpty else {
            throw unsupported("function names with quotes or expansions", at: nt.start)
        }
        la = nil
        if try peek().isOp(.lparen), i < n {
            // `function f ()` — or `function f ( list )`, a subshell body (bash's grammar allows both)
            var j = i
            while j < n && (s[j] == cSpace || s[j] == cTab) { j += 1 }
            if j < n && s[j] == cRParen {
                la = nil
                try expectOp(.rparen)
            }
        }
        try skipNewlines()
        let body = try parseFunctionBody()
        return .function(FunctionDef(name: name, body: body, pos: pos(t.start)))
    }

    func parseFunctionBody() throws -> Command {
        let t = try peek()
        if t.isOp(.lparen) { return try parseCommand() }
        if let w = t.literal, ["{", "if", "while", "until", "for", "case", "[["].contains(w) {
            return try parseCommand()
        }
        throw unexpected(t)
    }
}

func isValidName(_ s: String) -> Bool {
    var first = true
    for c in s.utf8 {
        if first { if !isNameStart(c) { return false }; first = false } else if !isNameChar(c) { return false }
    }
    return !first
}
