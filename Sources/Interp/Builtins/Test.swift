// bash 5.2's `test` / `[` builtin (test.c), as a function of its words plus a few lookups.
//
// - The POSIX argument-count rules (0–4 operands) come first, then bash's recursive descent
//   over `! -a -o ( )` for longer expressions — including bash's quirks (three operands
//   `( x )` only look at the first character of the parentheses, `<`/`>` compare bytes).
// - Relative paths in file tests are resolved against `TestContext.cwd`, because the shell keeps
//   its own working directory. `-r -w -x` use faccessat(…, AT_EACCESS) like bash's sh_eaccess.
// - Messages are bash's text after "bash: line N: ", e.g. "[: missing `]'"; integer errors and
//   syntax errors give status 2.

import Glibc

/// What `test` needs from the shell besides its words.
public struct TestContext {
    /// The shell's working directory, used to resolve relative file names.
    public var cwd: String
    /// `-v NAME`: is the variable (or `NAME[sub]`, or positional `N`) set?
    public var isSet: (String) -> Bool
    /// `-R NAME`: is the variable a set nameref?
    public var isNameref: (String) -> Bool
    /// `-o OPTION`: is the `set -o` option on? (false for unknown names)
    public var optionIsOn: (String) -> Bool
    /// `-t FD`: is the descriptor a terminal? Default: isatty(2) on the process's descriptor.
    public var isTerminal: (Int32) -> Bool

    public init(cwd: String,
                isSet: @escaping (String) -> Bool = { _ in false },
                isNameref: @escaping (String) -> Bool = { _ in false },
                optionIsOn: @escaping (String) -> Bool = { _ in false },
                isTerminal: @escaping (Int32) -> Bool = { isatty($0) == 1 }) {
        self.cwd = cwd
        self.isSet = isSet
        self.isNameref = isNameref
        self.optionIsOn = optionIsOn
        self.isTerminal = isTerminal
    }
}

/// Runs `test` (bracket: false) or `[` (bracket: true). `args` are the words after the command
/// name; for `[` they include the closing `]`.
public func evaluateTest(_ args: [String], bracket: Bool, cwd: String,
                         isSet: @escaping (String) -> Bool = { _ in false },
                         diagnosticPrefix: String = "") -> BuiltinResult {
    evaluateTest(args, bracket: bracket, context: TestContext(cwd: cwd, isSet: isSet),
                 diagnosticPrefix: diagnosticPrefix)
}

/// Same, with every lookup supplied.
public func evaluateTest(_ args: [String], bracket: Bool, context: TestContext,
                         diagnosticPrefix: String = "") -> BuiltinResult {
    var t = TestEvaluator(args: args, bracket: bracket, context: context)
    do {
        let value = try t.run()
        return BuiltinResult(status: value ? 0 : 1)
    } catch let e as TestSyntaxError {
        var r = BuiltinResult(status: 2)
        r.diagnose(diagnosticPrefix, (bracket ? "[: " : "test: ") + e.message)
        return r
    } catch {
        return BuiltinResult(status: 2)
    }
}

struct TestSyntaxError: Error {
    var message: String
}

/// bash's `legal_number`: optional blanks, sign, decimal digits, trailing blanks; no overflow.
func legalNumber(_ s: String) -> Int? {
    let b = Array(s.utf8)
    var i = 0
    // strtoimax skips isspace
    while i < b.count, b[i] == 0x20 || (b[i] >= 0x09 && b[i] <= 0x0D) { i += 1 }
    var negative = false
    if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
        negative = b[i] == UInt8(ascii: "-")
        i += 1
    }
    let digitsStart = i
    var value: Int = 0
    while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
        let d = Int(b[i] - 0x30)
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
        if o1 || o2 { return nil }
        value = a
        i += 1
    }
    if i == digitsStart { return nil }
    while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
    return i == b.count ? value : nil
}

struct TestEvaluator {
    /// argv as bash sees it: [name, operands…, (for `[`) "]"]; reads past the end give nil.
    var argv: [String]
    var argc: Int
    var pos = 1
    let bracket: Bool
    let context: TestContext

    init(args: [String], bracket: Bool, context: TestContext) {
        self.argv = [bracket ? "[" : "test"] + args
        self.argc = argv.count
        self.bracket = bracket
        self.context = context
    }

    func at(_ i: Int) -> String? { i >= 0 && i < argv.count ? argv[i] : nil }
    func arg(_ i: Int) -> [UInt8] { Array((at(i) ?? "").utf8) }

    mutating func run() throws -> Bool {
        if bracket {
            argc -= 1
            if argv[argc] != "]" { throw TestSyntaxError(message: "missing `]'") }
            if argc < 2 { return false }
        }
        pos = 1
        if pos >= argc { return false }
        let value = try posixTest()
        if pos != argc {
            if pos < argc, arg(pos).first == UInt8(ascii: "-") {
                throw TestSyntaxError(message: "syntax error: `\(argv[pos])' unexpected")
            }
            throw TestSyntaxError(message: "too many arguments")
        }
        return value
    }

    func isWord(_ i: Int, _ w: String) -> Bool { i < argc && argv[i] == w }

    mutating func advance(_ mustHaveMore: Bool) throws {
        pos += 1
        if mustHaveMore && pos >= argc { throw TestSyntaxError(message: "argument expected") }
    }

    mutating func posixTest() throws -> Bool {
        switch argc - 1 {
        case 0:
            pos = argc
            return false
        case 1:
            let v = !argv[1].isEmpty
            pos = argc
            return v
        case 2:
            let v = try twoArguments()
            pos = argc
            return v
        case 3:
            return try threeArguments()
        case 4:
            if argv[pos] == "!" {
                try advance(true)
                return try !threeArguments()
            }
            if argv[pos] == "(" && argv[argc - 1] == ")" {
                try advance(true)
                let v = try twoArguments()
                pos = argc
                return v
            }
            return try expr()
        default:
            return try expr()
        }
    }

    mutating func twoArguments() throws -> Bool {
        let a = arg(pos)
        if a == [UInt8(ascii: "!")] { return arg(pos + 1).isEmpty }
        if a.count == 2 && a[0] == UInt8(ascii: "-") && isUnaryOperator(a) {
            return try unaryOperator()
        }
        throw TestSyntaxError(message: "\(argv[pos]): unary operator expected")
    }

    mutating func threeArguments() throws -> Bool {
        let value: Bool
        let op = arg(pos + 1)
        if isBinaryOperator(op) {
            value = try binaryOperator()
            pos = argc
        } else if op == Array("-a".utf8) || op == Array("-o".utf8) {
            let l = !argv[pos].isEmpty, r = !argv[pos + 2].isEmpty
            value = op[1] == UInt8(ascii: "a") ? (l && r) : (l || r)
            pos = argc
        } else if argv[pos] == "!" {
            try advance(true)
            value = try !twoArguments()
            pos = argc
        } else if arg(pos).first == UInt8(ascii: "(") && arg(pos + 2).first == UInt8(ascii: ")") {
            value = !argv[pos + 1].isEmpty
            pos = argc
        } else {
            throw TestSyntaxError(message: "\(argv[pos + 1]): binary operator expected")
        }
        return value
    }

    mutating func expr() throws -> Bool {
        if pos >= argc { throw TestSyntaxError(message: "argument expected") }
        return try or()
    }

    mutating func or() throws -> Bool {
        let value = try and()
        if isWord(pos, "-o") {
            try advance(false)
            let v2 = try or()
            return value || v2
        }
        return value
    }

    mutating func and() throws -> Bool {
        let value = try term()
        if isWord(pos, "-a") {
            try advance(false)
            let v2 = try and()
            return value && v2
        }
        return value
    }

    mutating func term() throws -> Bool {
        if pos >= argc { throw TestSyntaxError(message: "argument expected") }
        if argv[pos] == "!" {
            var negate = false
            while pos < argc && argv[pos] == "!" {
                try advance(true)
                negate.toggle()
            }
            let v = try term()
            return negate ? !v : v
        }
        if argv[pos] == "(" {
            try advance(true)
            let value = try expr()
            guard let w = at(pos) else { throw TestSyntaxError(message: "`)' expected") }
            if w != ")" { throw TestSyntaxError(message: "`)' expected, found \(w)") }
            try advance(false)
            return value
        }
        if pos + 3 <= argc && isBinaryOperator(arg(pos + 1)) {
            return try binaryOperator()
        }
        if pos + 2 <= argc && isUnaryOperator(arg(pos)) {
            return try unaryOperator()
        }
        let value = !argv[pos].isEmpty
        try advance(false)
        return value
    }

    // MARK: operators

    func isUnaryOperator(_ op: [UInt8]) -> Bool {
        guard op.count == 2, op[0] == UInt8(ascii: "-") else { return false }
        return "abcdefghknoprstuvwxzGLOSNR".utf8.contains(op[1])
    }

    func isBinaryOperator(_ op: [UInt8]) -> Bool {
        switch String(decoding: op, as: UTF8.self) {
        case "=", "==", "!=", "<", ">", "-nt", "-ot", "-ef", "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
            return true
        default:
            return false
        }
    }

    mutating func binaryOperator() throws -> Bool {
        let op = argv[pos + 1]
        let a = argv[pos], b = argv[pos + 2]
        pos += 3
        switch op {
        case "=", "==": return Array(a.utf8) == Array(b.utf8)
        case "!=": return Array(a.utf8) != Array(b.utf8)
        case "<": return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        case ">": return Array(b.utf8).lexicographicallyPrecedes(Array(a.utf8))
        case "-nt", "-ot", "-ef": return fileCompare(a, b, op)
        default:
            guard let l = legalNumber(a) else { throw TestSyntaxError(message: "\(a): integer expression expected") }
            guard let r = legalNumber(b) else { throw TestSyntaxError(message: "\(b): integer expression expected") }
            switch op {
            case "-eq": return l == r
            case "-ne": return l != r
            case "-lt": return l < r
            case "-le": return l <= r
            case "-gt": return l > r
            default: return l >= r
            }
        }
    }

    mutating func unaryOperator() throws -> Bool {
        let op = arg(pos)
        guard isUnaryOperator(op) else { return false }
        if op[1] == UInt8(ascii: "t") {
            try advance(false)
            if pos < argc {
                if let fd = legalNumber(argv[pos]) {
                    try advance(false)
                    return fd == Int(Int32(truncatingIfNeeded: fd)) && context.isTerminal(Int32(fd))
                }
                return false
            }
            return context.isTerminal(1)
        }
        try advance(true)
        pos += 1
        return unaryTest(op[1], argv[pos - 1])
    }

    // MARK: file system

    func resolve(_ path: String) -> String {
        if path.isEmpty || path.utf8.first == UInt8(ascii: "/") { return path }
        if context.cwd.isEmpty { return path }
        return context.cwd.utf8.last == UInt8(ascii: "/") ? context.cwd + path : context.cwd + "/" + path
    }

    func statPath(_ path: String) -> stat? {
        if path.isEmpty { return nil }
        var st = stat()
        return stat(resolve(path), &st) == 0 ? st : nil
    }

    func unaryTest(_ op: UInt8, _ a: String) -> Bool {
        func mode(_ test: (mode_t) -> Bool) -> Bool {
            guard let st = statPath(a) else { return false }
            return test(st.st_mode)
        }
        switch op {
        case UInt8(ascii: "a"), UInt8(ascii: "e"): return statPath(a) != nil
        case UInt8(ascii: "r"): return access(a, R_OK)
        case UInt8(ascii: "w"): return access(a, W_OK)
        case UInt8(ascii: "x"): return access(a, X_OK)
        case UInt8(ascii: "O"): return statPath(a).map { $0.st_uid == geteuid() } ?? false
        case UInt8(ascii: "G"): return statPath(a).map { $0.st_gid == getegid() } ?? false
        case UInt8(ascii: "N"):
            guard let st = statPath(a) else { return false }
            let m = st.st_mtim, t = st.st_atim
            return m.tv_sec > t.tv_sec || (m.tv_sec == t.tv_sec && m.tv_nsec > t.tv_nsec)
        case UInt8(ascii: "f"): return mode { ($0 & S_IFMT) == S_IFREG || ($0 & S_IFMT) == 0 }
        case UInt8(ascii: "d"): return mode { ($0 & S_IFMT) == S_IFDIR }
        case UInt8(ascii: "s"): return statPath(a).map { $0.st_size > 0 } ?? false
        case UInt8(ascii: "S"): return mode { ($0 & S_IFMT) == S_IFSOCK }
        case UInt8(ascii: "c"): return mode { ($0 & S_IFMT) == S_IFCHR }
        case UInt8(ascii: "b"): return mode { ($0 & S_IFMT) == S_IFBLK }
        case UInt8(ascii: "p"): return mode { ($0 & S_IFMT) == S_IFIFO }
        case UInt8(ascii: "L"), UInt8(ascii: "h"):
            if a.isEmpty { return false }
            var st = stat()
            return lstat(resolve(a), &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
        case UInt8(ascii: "u"): return mode { $0 & S_ISUID != 0 }
        case UInt8(ascii: "g"): return mode { $0 & S_ISGID != 0 }
        case UInt8(ascii: "k"): return mode { $0 & S_ISVTX != 0 }
        case UInt8(ascii: "t"):
            guard let fd = legalNumber(a), fd == Int(Int32(truncatingIfNeeded: fd)) else { return false }
            return context.isTerminal(Int32(fd))
        case UInt8(ascii: "n"): return !a.isEmpty
        case UInt8(ascii: "z"): return a.isEmpty
        case UInt8(ascii: "o"): return context.optionIsOn(a)
        case UInt8(ascii: "v"): return context.isSet(a)
        case UInt8(ascii: "R"): return context.isNameref(a)
        default: return false
        }
    }

    func access(_ path: String, _ mode: Int32) -> Bool {
        if path.isEmpty { return false }
        return faccessat(AT_FDCWD, resolve(path), mode, AT_EACCESS) == 0
    }

    func fileCompare(_ a: String, _ b: String, _ op: String) -> Bool {
        let s1 = statPath(a), s2 = statPath(b)
        func mtime(_ s: stat) -> (Int, Int) { (Int(s.st_mtim.tv_sec), Int(s.st_mtim.tv_nsec)) }
        switch op {
        case "-ef":
            guard let s1, let s2 else { return false }
            return s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino
        case "-nt":
            guard let s1 else { return false }
            guard let s2 else { return true }
            return mtime(s1) > mtime(s2)
        default: // -ot
            guard let s2 else { return false }
            guard let s1 else { return true }
            return mtime(s1) < mtime(s2)
        }
    }
}
