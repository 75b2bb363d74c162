// Compiles a bash arithmetic expression into flat stack code (so deep left-nested expressions like
// `1+1+…+1` evaluate without recursion and a parsed expression can be cached and re-run cheaply).
//
// Grammar (bash precedence, lowest first):
//   comma   := assign (',' assign)*
//   assign  := IDENT ('=' | op'=') assign | ternary          (right-assoc)
//   ternary := binary(1) ['?' comma ':' ternary]
//   binary  := || && | ^ & (== !=) (< <= > >=) (<< >>) (+ -) (* / %), left-assoc, climbing
//   power   := unary ['**' power]                             (right-assoc; `-2**2` is 4)
//   unary   := ('!' | '~' | '-' | '+') unary | ('++' | '--') IDENT | primary
//   primary := NUMBER | IDENT ['++' | '--'] | '(' comma ')'

enum Inst {
    case push(Int)
    /// Push a variable's value (evaluated recursively as an expression). `at`: byte offset of the
    /// name, for the recursion-limit message.
    case load(Int, at: Int)
    /// Pops a subscript, pushes the value of `name[sub]`.
    case loadIdx(Int, at: Int)
    /// Like loadIdx but leaves the subscript on the stack (compound assignment to an element).
    case loadIdxKeep(Int, at: Int)
    case unary(ArithOp)
    /// `errAt`: byte offset shown as the error token (division by 0, negative exponent).
    case binary(ArithOp, errAt: Int)
    case jumpIfZero(Int)
    case jumpIfNonZero(Int)
    case jump(Int)
    case toBool
    case pop
    /// Pops the value (and the subscript below it if indexed), assigns, pushes the value.
    case store(Int, indexed: Bool)
    /// `++x`/`x--` etc. Pops the subscript if indexed.
    case incr(Int, delta: Int, post: Bool, indexed: Bool, at: Int)
}

/// A compiled expression.
final class ArithProgram {
    let text: [UInt8]
    let code: [Inst]
    /// Variable names referred to by index from `code`.
    let names: [String]
    /// Upper bound of the value stack depth.
    let maxStack: Int
    init(text: [UInt8], code: [Inst], names: [String] = []) {
        self.text = text; self.code = code; self.names = names
        var d = 0, m = 0
        for i in code {
            switch i {
            case .push, .load, .loadIdxKeep: d += 1
            case .incr(_, _, _, let indexed, _): if !indexed { d += 1 }
            case .binary, .jumpIfZero, .jumpIfNonZero, .pop: d -= 1
            case .store(_, let indexed): if indexed { d -= 1 }
            case .loadIdx, .unary, .jump, .toBool: break
            }
            m = max(m, d)
        }
        maxStack = m + 1
    }

    /// The expression as bash names it in messages: leading whitespace removed.
    var displayText: String {
        var i = 0
        while i < text.count && ArithLexer.isSpace(text[i]) { i += 1 }
        return String(decoding: text[i...], as: UTF8.self)
    }

    func tokenText(_ at: Int) -> String { String(decoding: text[min(at, text.count)...], as: UTF8.self) }
}

/// Maximum parenthesis / unary / assignment nesting accepted by the parser.
let arithMaxParseDepth = 1000

struct ArithParser {
    var lx: ArithLexer
    var code: [Inst] = []
    var depth = 0
    var names: [String] = []
    var nameIndex: [String: Int] = [:]

    private mutating func name(_ n: String) -> Int {
        if let i = nameIndex[n] { return i }
        names.append(n); nameIndex[n] = names.count - 1
        return names.count - 1
    }

    static func compile(_ text: String) throws -> ArithProgram {
        let bytes = Array(text.utf8)
        var p = ArithParser(lx: ArithLexer(bytes, from: 0, to: bytes.count))
        do {
            try p.lx.next()
            if p.lx.tok != .eof {
                try p.parseComma()
                if p.lx.tok != .eof {
                    let msg = p.lx.tok == .bad ? "syntax error: invalid arithmetic operator" : "syntax error in expression"
                    throw p.lx.err(msg, at: p.lx.tokStart)
                }
            }
        } catch var e as ArithError {
            if e.expression.isEmpty { e.expression = ArithProgram(text: bytes, code: []).displayText }
            throw e
        }
        return ArithProgram(text: bytes, code: p.code, names: p.names)
    }

    private mutating func enter() throws {
        depth += 1
        if depth > arithMaxParseDepth { throw lx.err("expression recursion level exceeded", at: lx.tokStart) }
    }

    @discardableResult
    private mutating func emit(_ i: Inst) -> Int { code.append(i); return code.count - 1 }

    private mutating func patch(_ at: Int) {
        switch code[at] {
        case .jumpIfZero: code[at] = .jumpIfZero(code.count)
        case .jumpIfNonZero: code[at] = .jumpIfNonZero(code.count)
        case .jump: code[at] = .jump(code.count)
        default: break
        }
    }

    mutating func parseComma() throws {
        try parseAssign()
        while lx.tok == .comma {
            try lx.next()
            emit(.pop)
            try parseAssign()
        }
    }

    private mutating func emitSubscript(_ r: Range<Int>) throws {
        let saved = lx
        lx = ArithLexer(saved.b, from: r.lowerBound, to: r.upperBound)
        try lx.next()
        if lx.tok == .eof { throw saved.err("bad array subscript", at: saved.tokStart) }
        try parseComma()
        if lx.tok != .eof {
            let msg = lx.tok == .bad ? "syntax error: invalid arithmetic operator" : "syntax error in expression"
            throw lx.err(msg, at: lx.tokStart)
        }
        lx = saved
    }

    private mutating func parseAssign() throws {
        if case .ident(let name, let sub) = lx.tok {
            var look = lx
            try look.next()
            if case .assign(let op) = look.tok {
                let namePos = lx.tokStart
                try enter(); defer { depth -= 1 }
                if let sub { try emitSubscript(sub) }
                if op != nil { emit(sub == nil ? .load(self.name(name), at: namePos) : .loadIdxKeep(self.name(name), at: namePos)) }
                lx = look
                try lx.next()
                let rhsPos = lx.tokStart
                try parseAssign()
                if let op { emit(.binary(op, errAt: rhsPos)) }
                emit(.store(self.name(name), indexed: sub != nil))
                return
            }
        }
        try parseTernary()
        if case .assign = lx.tok {
            throw lx.err("attempted assignment to non-variable", at: lx.tokStart)
        }
    }

    private mutating func parseTernary() throws {
        try parseBinary(1)
        guard lx.tok == .question else { return }
        try enter(); defer { depth -= 1 }
        try lx.next()
        if lx.tok == .colon || lx.tok == .eof { throw lx.err("expression expected", at: lx.tokStart) }
        let jz = emit(.jumpIfZero(0))
        try parseComma()
        if lx.tok != .colon { throw lx.err("`:' expected for conditional expression", at: lx.tokStart) }
        try lx.next()
        if lx.tok == .eof { throw lx.err("expression expected", at: lx.tokStart) }
        let j = emit(.jump(0))
        patch(jz)
        try parseTernary()
        patch(j)
    }

    private static func precedence(_ op: ArithOp) -> Int {
        switch op {
        case .lor: return 1
        case .land: return 2
        case .bor: return 3
        case .bxor: return 4
        case .band: return 5
        case .eq, .ne: return 6
        case .lt, .le, .gt, .ge: return 7
        case .shl, .shr: return 8
        case .add, .sub: return 9
        case .mul, .div, .mod: return 10
        default: return 0
        }
    }

    private mutating func parseBinary(_ minPrec: Int) throws {
        try parsePower()
        while case .binop(let op) = lx.tok {
            let p = ArithParser.precedence(op)
            if p == 0 || p < minPrec { break }
            try lx.next()
            let rhsPos = lx.tokStart
            switch op {
            case .land:
                let jz = emit(.jumpIfZero(0))
                try parseBinary(p + 1)
                emit(.toBool)
                let j = emit(.jump(0))
                patch(jz)
                emit(.push(0))
                patch(j)
            case .lor:
                let jnz = emit(.jumpIfNonZero(0))
                try parseBinary(p + 1)
                emit(.toBool)
                let j = emit(.jump(0))
                patch(jnz)
                emit(.push(1))
                patch(j)
            default:
                try parseBinary(p + 1)
                emit(.binary(op, errAt: rhsPos))
            }
        }
    }

    private mutating func parsePower() throws {
        try parseUnary()
        if lx.tok == .binop(.pow) {
            try enter(); defer { depth -= 1 }
            try lx.next()
            try parsePower()
            emit(.binary(.pow, errAt: lx.tokStart))
        }
    }

    private mutating func parseUnary() throws {
        switch lx.tok {
        case .binop(let op) where op == .not || op == .bitNot || op == .sub || op == .add:
            try enter(); defer { depth -= 1 }
            try lx.next()
            try parseUnary()
            switch op {
            case .sub: emit(.unary(.neg))
            case .add: break
            default: emit(.unary(op))
            }
        case .preInc, .preDec:
            let delta = lx.tok == .preInc ? 1 : -1
            try lx.next()
            guard case .ident(let name, let sub) = lx.tok else {
                throw lx.err("syntax error: operand expected", at: lx.tokStart)
            }
            let at = lx.tokStart
            if let sub { try emitSubscript(sub) }
            emit(.incr(self.name(name), delta: delta, post: false, indexed: sub != nil, at: at))
            try lx.next()
        default:
            try parsePrimary()
        }
    }

    private mutating func parsePrimary() throws {
        switch lx.tok {
        case .num(let v):
            emit(.push(v))
            try lx.next()
        case .ident(let name, let sub):
            let at = lx.tokStart
            try lx.next()
            if let sub { try emitSubscript(sub) }
            if lx.tok == .postInc || lx.tok == .postDec {
                emit(.incr(self.name(name), delta: lx.tok == .postInc ? 1 : -1, post: true, indexed: sub != nil, at: at))
                try lx.next()
            } else {
                emit(sub == nil ? .load(self.name(name), at: at) : .loadIdx(self.name(name), at: at))
            }
        case .lparen:
            try enter(); defer { depth -= 1 }
            try lx.next()
            try parseComma()
            if lx.tok != .rparen { throw lx.err("missing `)'", at: lx.tokStart) }
            try lx.next()
        default:
            throw lx.err("syntax error: operand expected", at: lx.tokStart)
        }
    }
}
