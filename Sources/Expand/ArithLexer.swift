// Tokens of bash arithmetic expressions (`$(( ))`, `(( ))`, `let`).

enum ArithOp: UInt8 {
    // binary, in no particular order
    case add, sub, mul, div, mod, pow, shl, shr, lt, le, gt, ge, eq, ne, band, bor, bxor, land, lor
    // unary
    case not, bitNot, neg, plus
}

enum ATok: Equatable {
    case num(Int)
    case ident(String, subscript: Range<Int>?)   // subscript: byte range inside `[...]`
    case binop(ArithOp)                          // also `-`/`+`/`!`/`~` which may be unary
    case assign(ArithOp?)                        // `=` or `op=`
    case preInc, preDec, postInc, postDec
    case lparen, rparen, question, colon, comma
    case bad                                     // a character that is no token
    case eof
}

struct ArithLexer {
    let b: [UInt8]
    let end: Int
    var pos: Int
    /// Start of the current token (error reporting: bash's `lasttp`; not moved by EOF).
    var tokStart: Int
    var tok: ATok = .eof
    var prev: ATok = .eof
    var prevPrev: ATok = .eof

    init(_ bytes: [UInt8], from: Int, to: Int) {
        b = bytes; end = to; pos = from; tokStart = from
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    static func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 0x30 && c <= 0x39) }

    func text(_ from: Int) -> String { String(decoding: b[min(from, end)..<end], as: UTF8.self) }

    func err(_ msg: String, at: Int) -> ArithError {
        ArithError(message: "\(msg) (error token is \"\(text(at))\")")
    }

    @inline(__always) func peek(_ k: Int = 0) -> UInt8 { pos + k < end ? b[pos + k] : 0 }

    mutating func next() throws {
        prevPrev = prev
        prev = tok
        while pos < end && ArithLexer.isSpace(b[pos]) { pos += 1 }
        if pos >= end { tok = .eof; return }
        tokStart = pos
        let c = b[pos]
        if c >= 0x30 && c <= 0x39 { tok = .num(try lexNumber()); return }
        if ArithLexer.isIdentStart(c) { tok = try lexIdent(); return }
        pos += 1
        let c1 = peek()
        switch c {
        case UInt8(ascii: "("): tok = .lparen
        case UInt8(ascii: ")"): tok = .rparen
        case UInt8(ascii: "?"): tok = .question
        case UInt8(ascii: ":"): tok = .colon
        case UInt8(ascii: ","): tok = .comma
        case UInt8(ascii: "~"): tok = .binop(.bitNot)
        case UInt8(ascii: "="):
            if c1 == UInt8(ascii: "=") { pos += 1; tok = .binop(.eq) } else { tok = .assign(nil) }
        case UInt8(ascii: "!"):
            if c1 == UInt8(ascii: "=") { pos += 1; tok = .binop(.ne) } else { tok = .binop(.not) }
        case UInt8(ascii: "<"):
            if c1 == UInt8(ascii: "<") {
                pos += 1
                if peek() == UInt8(ascii: "=") { pos += 1; tok = .assign(.shl) } else { tok = .binop(.shl) }
            } else if c1 == UInt8(ascii: "=") { pos += 1; tok = .binop(.le) } else { tok = .binop(.lt) }
        case UInt8(ascii: ">"):
            if c1 == UInt8(ascii: ">") {
                pos += 1
                if peek() == UInt8(ascii: "=") { pos += 1; tok = .assign(.shr) } else { tok = .binop(.shr) }
            } else if c1 == UInt8(ascii: "=") { pos += 1; tok = .binop(.ge) } else { tok = .binop(.gt) }
        case UInt8(ascii: "&"):
            if c1 == UInt8(ascii: "&") { pos += 1; tok = .binop(.land) } else { tok = simpleOrAssign(.band) }
        case UInt8(ascii: "|"):
            if c1 == UInt8(ascii: "|") { pos += 1; tok = .binop(.lor) } else { tok = simpleOrAssign(.bor) }
        case UInt8(ascii: "^"): tok = simpleOrAssign(.bxor)
        case UInt8(ascii: "/"): tok = simpleOrAssign(.div)
        case UInt8(ascii: "%"): tok = simpleOrAssign(.mod)
        case UInt8(ascii: "*"):
            if c1 == UInt8(ascii: "*") { pos += 1; tok = .binop(.pow) } else { tok = simpleOrAssign(.mul) }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let minus = c == UInt8(ascii: "-")
            if c1 == c {
                if case .ident = tok, prevPrev == .preInc || prevPrev == .preDec {
                    // `++x++`: bash has already turned `++x` into a number
                    throw err(minus ? "--: assignment requires lvalue" : "++: assignment requires lvalue",
                              at: pos - 1)
                } else if case .ident = tok {
                    pos += 1; tok = minus ? .postDec : .postInc
                } else {
                    var x = pos + 1
                    while x < end && ArithLexer.isSpace(b[x]) { x += 1 }
                    if x < end && ArithLexer.isIdentStart(b[x]) {
                        pos += 1; tok = minus ? .preDec : .preInc
                    } else {
                        tok = .binop(minus ? .sub : .add)   // `++5` is `+ +5`
                    }
                }
            } else {
                tok = simpleOrAssign(minus ? .sub : .add)
            }
        default:
            pos -= 1
            tok = .bad
        }
    }

    private mutating func simpleOrAssign(_ op: ArithOp) -> ATok {
        if peek() == UInt8(ascii: "=") { pos += 1; return .assign(op) }
        return .binop(op)
    }

    private mutating func lexIdent() throws -> ATok {
        let start = pos
        while pos < end && ArithLexer.isIdentChar(b[pos]) { pos += 1 }
        let name = String(decoding: b[start..<pos], as: UTF8.self)
        guard pos < end && b[pos] == UInt8(ascii: "[") else { return .ident(name, subscript: nil) }
        // subscript up to the matching `]`
        var depth = 0
        var k = pos
        while k < end {
            if b[k] == UInt8(ascii: "[") { depth += 1 }
            else if b[k] == UInt8(ascii: "]") { depth -= 1; if depth == 0 { break } }
            k += 1
        }
        if k >= end || k == pos + 1 { throw err("bad array subscript", at: start) }
        let sub = (pos + 1)..<k
        pos = k + 1
        return .ident(name, subscript: sub)
    }

    /// Decimal, 0x hex, leading-0 octal and base#digits, wrapping on overflow like bash.
    private mutating func lexNumber() throws -> Int {
        let start = pos
        while pos < end {
            let c = b[pos]
            if ArithLexer.isIdentChar(c) || c == UInt8(ascii: "#") || c == UInt8(ascii: "@") { pos += 1 } else { break }
        }
        let t = Array(b[start..<pos])
        let tokText = String(decoding: t, as: UTF8.self)
        func fail(_ m: String) -> ArithError { ArithError(message: "\(m) (error token is \"\(tokText)\")", expression: tokText) }
        var base = 10
        var i = 0
        if let hash = t.firstIndex(of: UInt8(ascii: "#")) {
            var bv = 0
            for d in t[0..<hash] {
                guard d >= 0x30 && d <= 0x39 else { throw fail("invalid number") }
                bv = bv &* 10 &+ Int(d - 0x30)
            }
            if bv == 0 { throw fail("invalid number") }
            if bv < 2 || bv > 64 { throw fail("invalid arithmetic base") }
            if hash + 1 >= t.count { throw fail("invalid integer constant") }
            base = bv; i = hash + 1
        } else if t.count >= 2 && t[0] == UInt8(ascii: "0") && (t[1] == UInt8(ascii: "x") || t[1] == UInt8(ascii: "X")) {
            base = 16; i = 2
        } else if t[0] == UInt8(ascii: "0") {
            base = 8; i = 1
        }
        var v = 0
        while i < t.count {
            let c = t[i]
            var d: Int
            switch c {
            case 0x30...0x39: d = Int(c - 0x30)
            case 0x61...0x7A: d = Int(c - 0x61) + 10
            case 0x41...0x5A: d = base <= 36 ? Int(c - 0x41) + 10 : Int(c - 0x41) + 36
            case UInt8(ascii: "@"): d = 62
            case UInt8(ascii: "_"): d = 63
            default: d = 99
            }
            if d >= base { throw fail("value too great for base") }
            v = v &* base &+ d
            i += 1
        }
        return v
    }
}
