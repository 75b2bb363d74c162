// bash `$(( ))` arithmetic on 64-bit Int, wrapping like C.
//
// The text is expected to be already expanded (`$x`, `$(cmd)` done by the caller). Variables named
// in it are read through `ArithContext`; a variable's value is itself evaluated as an expression
// (empty/unset = 0) up to bash's recursion limit (1024 levels). `name[expr]` is passed to the
// context as the name "name[<value of expr>]" (the caller decides what that means).

/// What arithmetic needs from the shell.
public protocol ArithContext: AnyObject {
    /// The variable's string value, nil if unset.
    func arithGet(_ name: String) -> String?
    /// Assignment (may throw, e.g. for a readonly variable; the error is passed through).
    func arithSet(_ name: String, _ value: Int) throws
    /// A cache of compiled expressions, or nil for none. Declare it with exactly this type
    /// (`let arithCache: ArithCache? = ArithCache()`), or the default (nil) is used.
    var arithCache: ArithCache? { get }
}

extension ArithContext {
    public var arithCache: ArithCache? { nil }
}

/// An arithmetic error. `message` mirrors bash's text after the colon, e.g.
/// `division by 0 (error token is "0")`; `expression` is the (sub)expression bash names before it
/// (for an error inside a variable's value, that value). bash prints "expression: message".
public struct ArithError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var expression: String
    public init(message: String, expression: String = "") {
        self.message = message; self.expression = expression
    }
    public var description: String { expression.isEmpty ? message : "\(expression): \(message)" }
}

/// Compiled expressions keyed by text. Not thread-safe: one per shell (interpreter) instance.
public final class ArithCache {
    var entries: [String: Result<ArithProgram, ArithError>] = [:]
    public let capacity: Int
    public init(capacity: Int = 512) { self.capacity = capacity }
    public var count: Int { entries.count }

    func program(_ text: String) throws -> ArithProgram {
        if let r = entries[text] { return try r.get() }
        let r: Result<ArithProgram, ArithError>
        do { r = .success(try ArithParser.compile(text)) } catch let e as ArithError { r = .failure(e) }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[text] = r
        return try r.get()
    }
}

/// Evaluates `text` as bash arithmetic. Uses `ctx.arithCache` if the context provides one.
public func evaluateArithmetic(_ text: String, _ ctx: ArithContext) throws -> Int {
    try evaluateArithmetic(text, ctx, cache: ctx.arithCache)
}

/// Evaluates `text` as bash arithmetic with an explicit cache (nil: compile every time).
public func evaluateArithmetic(_ text: String, _ ctx: ArithContext, cache: ArithCache?) throws -> Int {
    let ev = ArithEvaluator(ctx: ctx, cache: cache)
    return try ev.evaluate(text, depth: 1)
}

/// bash's MAX_EXPR_RECURSION_LEVEL.
let arithMaxRecursion = 1024

struct ArithEvaluator {
    let ctx: ArithContext
    let cache: ArithCache?

    func evaluate(_ text: String, depth: Int) throws -> Int {
        let prog = try cache?.program(text) ?? ArithParser.compile(text)
        return try run(prog, depth: depth)
    }

    /// A variable's value as a number: fast path for plain decimal integers, otherwise evaluated.
    func value(of name: String, prog: ArithProgram, at: Int, depth: Int) throws -> Int {
        guard let s = ctx.arithGet(name), !s.isEmpty else { return 0 }
        if depth >= arithMaxRecursion {
            throw ArithError(message: "expression recursion level exceeded (error token is \"\(prog.tokenText(at))\")",
                             expression: prog.displayText)
        }
        if let v = plainDecimal(s) { return v }
        return try evaluate(s, depth: depth + 1)
    }

    func plainDecimal(_ s: String) -> Int? {
        var v = 0
        var neg = false
        var n = 0
        for (i, c) in s.utf8.enumerated() {
            if i == 0 && c == UInt8(ascii: "-") { neg = true; continue }
            guard c >= 0x30 && c <= 0x39 else { return nil }
            if n == 0 && c == 0x30 && s.utf8.count > i + 1 { return nil }  // octal: general path
            v = v &* 10 &+ Int(c - 0x30)
            n += 1
        }
        if n == 0 { return nil }
        return neg ? 0 &- v : v
    }

    func fail(_ prog: ArithProgram, _ msg: String, _ at: Int) -> ArithError {
        ArithError(message: "\(msg) (error token is \"\(prog.tokenText(skipSpace(prog, at)))\")",
                   expression: prog.displayText)
    }

    func skipSpace(_ prog: ArithProgram, _ at: Int) -> Int {
        var i = at
        while i < prog.text.count && ArithLexer.isSpace(prog.text[i]) { i += 1 }
        return i
    }

    func run(_ prog: ArithProgram, depth: Int) throws -> Int {
        if prog.code.isEmpty { return 0 }
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: prog.maxStack) { st in
            try run(prog, depth: depth, stack: st)
        }
    }

    func run(_ prog: ArithProgram, depth: Int, stack st: UnsafeMutableBufferPointer<Int>) throws -> Int {
        let code = prog.code
        var sp = 0          // number of values on the stack
        var pc = 0
        let n = code.count
        while pc < n {
            switch code[pc] {
            case .push(let v):
                st[sp] = v; sp += 1
            case .load(let name, let at):
                st[sp] = try value(of: prog.names[name], prog: prog, at: at, depth: depth); sp += 1
            case .loadIdx(let name, let at):
                st[sp - 1] = try value(of: "\(prog.names[name])[\(st[sp - 1])]", prog: prog, at: at, depth: depth)
            case .loadIdxKeep(let name, let at):
                st[sp] = try value(of: "\(prog.names[name])[\(st[sp - 1])]", prog: prog, at: at, depth: depth); sp += 1
            case .unary(let op):
                let a = st[sp - 1]
                switch op {
                case .neg: st[sp - 1] = 0 &- a
                case .not: st[sp - 1] = a == 0 ? 1 : 0
                case .bitNot: st[sp - 1] = ~a
                default: break
                }
            case .binary(let op, let errAt):
                sp -= 1
                st[sp - 1] = try binary(op, st[sp - 1], st[sp], prog, errAt)
            case .jumpIfZero(let t):
                sp -= 1
                if st[sp] == 0 { pc = t; continue }
            case .jumpIfNonZero(let t):
                sp -= 1
                if st[sp] != 0 { pc = t; continue }
            case .jump(let t):
                pc = t; continue
            case .toBool:
                st[sp - 1] = st[sp - 1] != 0 ? 1 : 0
            case .pop:
                sp -= 1
            case .store(let name, let indexed):
                let v = st[sp - 1]
                if indexed {
                    sp -= 1
                    try ctx.arithSet("\(prog.names[name])[\(st[sp - 1])]", v)
                    st[sp - 1] = v
                } else {
                    try ctx.arithSet(prog.names[name], v)
                }
            case .incr(let name, let delta, let post, let indexed, let at):
                let full = indexed ? "\(prog.names[name])[\(st[sp - 1])]" : prog.names[name]
                if indexed { sp -= 1 }
                let old = try value(of: full, prog: prog, at: at, depth: depth)
                let new = old &+ delta
                try ctx.arithSet(full, new)
                st[sp] = post ? old : new; sp += 1
            }
            pc += 1
        }
        return sp > 0 ? st[sp - 1] : 0
    }

    func binary(_ op: ArithOp, _ a: Int, _ b: Int, _ prog: ArithProgram, _ errAt: Int) throws -> Int {
        switch op {
        case .add: return a &+ b
        case .sub: return a &- b
        case .mul: return a &* b
        case .div:
            if b == 0 { throw fail(prog, "division by 0", errAt) }
            if b == -1 { return 0 &- a }          // INT_MIN / -1 is INT_MIN in bash
            return a / b
        case .mod:
            if b == 0 { throw fail(prog, "division by 0", errAt) }
            if b == -1 { return 0 }
            return a % b
        case .pow:
            if b < 0 { throw ArithError(message: "exponent less than 0 (error token is \"\(prog.tokenText(errAt))\")",
                                        expression: prog.displayText) }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 { result = result &* base }
                e >>= 1
                if e > 0 { base = base &* base }
            }
            return result
        case .shl: return a &<< b
        case .shr: return a &>> b
        case .lt: return a < b ? 1 : 0
        case .le: return a <= b ? 1 : 0
        case .gt: return a > b ? 1 : 0
        case .ge: return a >= b ? 1 : 0
        case .eq: return a == b ? 1 : 0
        case .ne: return a != b ? 1 : 0
        case .band: return a & b
        case .bor: return a | b
        case .bxor: return a ^ b
        case .land: return (a != 0 && b != 0) ? 1 : 0
        case .lor: return (a != 0 || b != 0) ? 1 : 0
        default: return 0
        }
    }
}
