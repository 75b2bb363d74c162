import Glibc
import Syntax
import Expand

// `[[ … ]]`: words are expanded without splitting or globbing; `==`/`!=` take a pattern on the
// right, `=~` a POSIX extended regular expression (quoted parts match literally).

extension Shell {
    func evalCond(_ e: CondExpr) throws -> Bool {
        switch e {
        case .word(let w):
            return !(try expandString(w)).isEmpty
        case .not(let inner):
            return !(try evalCond(inner))
        case .and(let a, let b):
            return try evalCond(a) && evalCond(b)
        case .or(let a, let b):
            return try evalCond(a) || evalCond(b)
        case .group(let inner):
            return try evalCond(inner)
        case .unary(let op, let w):
            let v = try expandString(w)
            switch op {
            case .z: return v.isEmpty
            case .n: return !v.isEmpty
            case .v: return paramValue(v) != nil
            case .o:
                return ["errexit": options.errexit, "nounset": options.nounset, "xtrace": options.xtrace,
                        "pipefail": options.pipefail, "noglob": options.noglob, "noclobber": options.noclobber][v] ?? false
            default:
                let r = evaluateTest([op.rawValue, v], bracket: false, cwd: cwd, isSet: { _ in false })
                return r.status == 0
            }
        case .binary(let op, let lw, let rw):
            let l = try expandString(lw)
            switch op {
            case .strEqual, .strEqualSingle:
                return try expandPattern(rw).matches(l)
            case .strNotEqual:
                return !(try expandPattern(rw).matches(l))
            case .match:
                return try regexMatch(l, rw)
            case .less:
                return Array(l.utf8).lexicographicallyPrecedes(Array(try expandString(rw).utf8))
            case .greater:
                return Array(try expandString(rw).utf8).lexicographicallyPrecedes(Array(l.utf8))
            case .eq, .ne, .lt, .le, .gt, .ge:
                // Inside [[ ]] the operands of arithmetic comparisons are arithmetic expressions.
                let a = try evalArith(l), b = try evalArith(try expandString(rw))
                switch op {
                case .eq: return a == b
                case .ne: return a != b
                case .lt: return a < b
                case .le: return a <= b
                case .gt: return a > b
                default: return a >= b
                }
            case .newerThan, .olderThan, .sameFile:
                let r = evaluateTest([l, op.rawValue, try expandString(rw)], bracket: false, cwd: cwd, isSet: { _ in false })
                return r.status == 0
            }
        }
    }

    private func regexMatch(_ subject: String, _ rw: Word) throws -> Bool {
        var b = FieldBuilder()
        try expandParts(rw.parts, quoted: false, into: &b)
        var pattern = ""
        for segs in b.words {
            for s in segs {
                if s.kind == .quoted {
                    for c in s.text {
                        if "\\.[]()*+?{}|^$".contains(c) { pattern.append("\\") }
                        pattern.append(c)
                    }
                } else {
                    pattern += s.text
                }
            }
        }
        var re = regex_t()
        let rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)
        guard rc == 0 else {
            // bash: an invalid regex makes the expression return 2.
            throw ShellError(message: "[[: invalid regular expression `\(pattern)'", status: 2, fatal: false)
        }
        defer { regfree(&re) }
        return regexec(&re, subject, 0, nil, 0) == 0
    }
}
