// Character-level reading and tokens. The parser drives the lexer: words are read into `Word`s
// directly (command substitutions are parsed recursively as they are met).

enum Op: Equatable {
    case andIf, orIf, semi, amp, pipe, pipeAmp, dsemi, semiAmp, dsemiAmp, lparen, rparen
    case less, great, dgreat, clobber, lessGreat, lessAnd, greatAnd, dless, dlessDash, tless
    case andGreat, andDGreat

    var text: String {
        switch self {
        case .andIf: return "&&"
        case .orIf: return "||"
        case .semi: return ";"
        case .amp: return "&"
        case .pipe: return "|"
        case .pipeAmp: return "|&"
        case .dsemi: return ";;"
        case .semiAmp: return ";&"
        case .dsemiAmp: return ";;&"
        case .lparen: return "("
        case .rparen: return ")"
        case .less: return "<"
        case .great: return ">"
        case .dgreat: return ">>"
        case .clobber: return ">|"
        case .lessGreat: return "<>"
        case .lessAnd: return "<&"
        case .greatAnd: return ">&"
        case .dless: return "<<"
        case .dlessDash: return "<<-"
        case .tless: return "<<<"
        case .andGreat: return "&>"
        case .andDGreat: return "&>>"
        }
    }
    var isRedirection: Bool {
        switch self {
        case .less, .great, .dgreat, .clobber, .lessGreat, .lessAnd, .greatAnd, .dless, .dlessDash,
             .tless, .andGreat, .andDGreat: return true
        default: return false
        }
    }
}

enum TokKind: Equatable {
    case word
    case op(Op)
    case newline
    case eof
}

struct Token {
    var kind: TokKind
    var word: Word? = nil
    /// io-number before a redirection operator.
    var fd: Int? = nil
    var start: Int
    var end: Int

    var literal: String? { kind == .word ? word?.literalText : nil }
    func isOp(_ o: Op) -> Bool { kind == .op(o) }
    func isWord(_ s: String) -> Bool { kind == .word && word?.literalText == s }
}

struct PendingHereDoc {
    var key: Pos            // position of the redirection (unique)
    var delimiter: [UInt8]
    var quoted: Bool
    var strip: Bool
}

// Byte constants.
let cNL: UInt8 = 0x0A, cSpace: UInt8 = 0x20, cTab: UInt8 = 0x09, cBackslash: UInt8 = 0x5C
let cSQ: UInt8 = 0x27, cDQ: UInt8 = 0x22, cBQ: UInt8 = 0x60, cDollar: UInt8 = 0x24
let cLParen: UInt8 = 0x28, cRParen: UInt8 = 0x29, cLBrace: UInt8 = 0x7B, cRBrace: UInt8 = 0x7D
let cHash: UInt8 = 0x23, cSemi: UInt8 = 0x3B, cAmp: UInt8 = 0x26, cPipe: UInt8 = 0x7C
let cLess: UInt8 = 0x3C, cGreat: UInt8 = 0x3E, cTilde: UInt8 = 0x7E, cSlash: UInt8 = 0x2F
let cColon: UInt8 = 0x3A, cEq: UInt8 = 0x3D, cMinus: UInt8 = 0x2D, cPlus: UInt8 = 0x2B
let cLBracket: UInt8 = 0x5B, cRBracket: UInt8 = 0x5D

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isNameStart(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
}
@inline(__always) func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }
/// Characters that end an unquoted word.
@inline(__always) func isMeta(_ c: UInt8) -> Bool {
    switch c {
    case cSpace, cTab, cNL, cSemi, cAmp, cPipe, cLParen, cRParen, cLess, cGreat: return true
    default: return false
    }
}
/// Special parameters usable as `$c`.
@inline(__always) func isSpecialParam(_ c: UInt8) -> Bool {
    switch c {
    case 0x40, 0x2A, cHash, 0x3F, cMinus, cDollar, 0x21: return true   // @ * # ? - $ !
    default: return false
    }
}

extension Parser {
    /// Current byte (0 at end), skipping backslash-newline pairs.
    @inline(__always) func peekc() -> UInt8 {
        while i + 1 < n && s[i] == cBackslash && s[i + 1] == cNL {
            i += 2
            if i >= n { contAtEOF = true }
        }
        return i < n ? s[i] : 0
    }
    @inline(__always) var atEnd: Bool { _ = peekc(); return i >= n }
    /// Byte after the current one (raw, after skipping continuations at the current position).
    @inline(__always) func peekc2() -> UInt8 {
        _ = peekc()
        var j = i + 1
        while j + 1 < n && s[j] == cBackslash && s[j + 1] == cNL { j += 2 }
        return j < n ? s[j] : 0
    }

    func pos(_ offset: Int) -> Pos {
        if let o = origin {
            if o.isEmpty { return map.pos(originEnd) }
            return map.pos(offset < o.count ? o[offset] : (o[o.count - 1] + 1))
        }
        return map.pos(offset)
    }

    func err(_ kind: ParseError.Kind, _ msg: String, at offset: Int) -> ParseError {
        ParseError(kind: kind, message: msg, pos: pos(offset))
    }
    /// `what` is "construct" or "construct (detail)"; the message reads
    /// "construct is/are not supported (detail)", e.g. "arrays are not supported (a=(...))".
    func unsupported(_ what: String, at offset: Int) -> ParseError {
        var construct = what
        var detail = ""
        let u = Array(what.utf8)
        if let k = u.indices.first(where: { $0 + 1 < u.count && u[$0] == cSpace && u[$0 + 1] == cLParen }) {
            construct = String(decoding: u[..<k], as: UTF8.self)
            detail = String(decoding: u[k...], as: UTF8.self)
        }
        let verb = construct.hasSuffix("s") ? "are" : "is"
        return err(.unsupported, "\(construct) \(verb) not supported\(detail)", at: offset)
    }

    // MARK: tokens

    func peek() throws -> Token {
        if let t = la { return t }
        let t = try lex()
        la = t
        return t
    }
    @discardableResult
    func next() throws -> Token {
        let t = try peek()
        la = nil
        return t
    }
    func skipNewlines() throws {
        while try peek().kind == .newline { la = nil }
    }

    func lex() throws -> Token {
        // blanks and comments
        while true {
            let c = peekc()
            if c == cSpace || c == cTab { i += 1; continue }
            if c == cHash && i < n {
                while i < n && s[i] != cNL { i += 1 }
                continue
            }
            break
        }
        let start = i
        if i >= n {
            if !pending.isEmpty {
                throw ParseError(kind: .incomplete, message: "here-document delimited by '\(String(decoding: pending[0].delimiter, as: UTF8.self))' is not terminated", pos: pending[0].key,
                                 unterminatedHereDoc: String(decoding: pending[0].delimiter, as: UTF8.self))
            }
            return Token(kind: .eof, start: start, end: start)
        }
        let c = s[i]
        if c == cNL {
            i += 1
            if !pending.isEmpty { try readPendingHereDocs() }
            return Token(kind: .newline, start: start, end: start + 1)
        }
        if isDigit(c) {
            // io-number: digits immediately followed by < or >
            var j = i
            var v = 0
            var overflow = false
            while j < n && isDigit(s[j]) {
                v = v &* 10 &+ Int(s[j] - 0x30)
                if v > 1_000_000 { overflow = true }
                j += 1
            }
            if j < n && (s[j] == cLess || s[j] == cGreat) {
                if overflow { throw unsupported("a file descriptor number this large", at: start) }
                i = j
                let op = try lexOperator()!
                return Token(kind: .op(op), fd: v, start: start, end: i)
            }
        }
        if c == cLBrace {
            // {name}> named file descriptor
            var j = i + 1
            if j < n && isNameStart(s[j]) {
                while j < n && isNameChar(s[j]) { j += 1 }
                if j + 1 < n && s[j] == cRBrace && (s[j + 1] == cLess || s[j + 1] == cGreat) {
                    throw unsupported("named file descriptor redirections ({fd}>file)", at: start)
                }
            }
        }
        if let op = try lexOperator() {
            return Token(kind: .op(op), start: start, end: i)
        }
        let w = try readWord()
        return Token(kind: .word, word: w, start: start, end: i)
    }

    /// Reads an operator at the current position, or returns nil (position unchanged).
    func lexOperator() throws -> Op? {
        let start = i
        let c = peekc()
        func take(_ ch: UInt8) -> Bool {
            if peekc() == ch { i += 1; return true }
            return false
        }
        switch c {
        case cAmp:
            i += 1
            if take(cAmp) { return .andIf }
            if take(cGreat) { return take(cGreat) ? .andDGreat : .andGreat }
            return .amp
        case cPipe:
            i += 1
            if take(cPipe) { return .orIf }
            if take(cAmp) { return .pipeAmp }
            return .pipe
        case cSemi:
            i += 1
            if take(cSemi) { return take(cAmp) ? .dsemiAmp : .dsemi }
            if take(cAmp) { return .semiAmp }
            return .semi
        case cLParen: i += 1; return .lparen
        case cRParen: i += 1; return .rparen
        case cLess:
            i += 1
            if peekc() == cLParen { throw unsupported("process substitution (<(...))", at: start) }
            if take(cLess) {
                if take(cLess) { return .tless }
                if take(cMinus) { return .dlessDash }
                return .dless
            }
            if take(cAmp) { return .lessAnd }
            if take(cGreat) { return .lessGreat }
            return .less
        case cGreat:
            i += 1
            if peekc() == cLParen { throw unsupported("process substitution (>(...))", at: start) }
            if take(cGreat) { return .dgreat }
            if take(cAmp) { return .greatAnd }
            if take(cPipe) { return .clobber }
            return .great
        default:
            return nil
        }
    }
}
