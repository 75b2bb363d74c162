// ${…} parameter expansions and $'…' strings.

extension Parser {
    /// Reads a parameter name after `${` (identifier, positional digits, or one special char).
    func readParamName() -> String? {
        let c = peekc()
        if i >= n { return nil }
        if isNameStart(c) {
            let st = i
            while i < n && isNameChar(s[i]) { i += 1 }
            return String(decoding: s[st..<i], as: UTF8.self)
        }
        if isDigit(c) {
            let st = i
            while i < n && isDigit(s[i]) { i += 1 }
            return String(decoding: s[st..<i], as: UTF8.self)
        }
        if isSpecialParam(c) {
            i += 1
            return String(Character(Unicode.Scalar(c)))
        }
        return nil
    }

    /// bash first finds the closing `}` and only complains at run time; so a `${` with no `}`
    /// anywhere after it is incomplete, anything else a bad substitution.
    func badSubstitution(_ start: Int) throws -> Never {
        var k = i
        while k < n && s[k] != cRBrace {
            if s[k] == cBackslash { k += 1 }
            else if s[k] == cSQ { k += 1; while k < n && s[k] != cSQ { k += 1 } }
            else if s[k] == cDQ { k += 1; while k < n && s[k] != cDQ { if s[k] == cBackslash { k += 1 }; k += 1 } }
            else if s[k] == cBQ { k += 1; while k < n && s[k] != cBQ { if s[k] == cBackslash { k += 1 }; k += 1 } }
            k += 1
        }
        if k >= n { throw err(.incomplete, "unterminated ${", at: start) }
        throw err(.syntax, "bad substitution", at: start)
    }

    func expectRBrace(_ start: Int) throws {
        let c = peekc()
        if i >= n { throw err(.incomplete, "unterminated ${", at: start) }
        if c != cRBrace { throw err(.syntax, "bad substitution", at: start) }
        i += 1
    }

    /// `${` … `}`; `start` is the `$`, the current position is at `{`.
    func readBraced(start: Int, ctx: Ctx) throws -> ParamExp {
        i += 1
        let p = pos(start)
        var c = peekc()
        var name: String
        if c == cHash {
            let save = i
            i += 1
            let d = peekc()
            if d == cRBrace {
                i += 1
                return ParamExp(name: "#", braced: true, pos: p)
            }
            if let nm = readParamName() {
                let e = peekc()
                if e == cRBrace {
                    i += 1
                    return ParamExp(name: nm, op: .length, braced: true, pos: p)
                }
                if e == cLBracket && isNameStart(nm.utf8.first!) {
                    throw unsupported("arrays (${#\(nm)[...]})", at: start)
                }
            }
            i = save + 1
            name = "#"
        } else if c == 0x21 {   // !
            i += 1
            let d = peekc()
            if d == cRBrace {
                i += 1
                return ParamExp(name: "!", braced: true, pos: p)
            }
            if isNameStart(d) || isDigit(d) || isSpecialParam(d) {
                if let nm = readParamName(), isNameStart(nm.utf8.first!) {
                    let e = peekc()
                    if e == cLBracket { throw unsupported("arrays (${!\(nm)[...]})", at: start) }
                    if e == 0x2A || e == 0x40 { throw unsupported("name-prefix expansion (${!\(nm)\(Character(Unicode.Scalar(e)))})", at: start) }
                }
                throw unsupported("indirect expansion (${!name})", at: start)
            }
            name = "!"
        } else {
            if c == cSpace || c == cTab || c == cNL || c == cPipe {
                throw unsupported("bash 5.3 ${ command; } substitutions", at: start)
            }
            guard let nm = readParamName() else { try badSubstitution(start) }
            name = nm
        }
        c = peekc()
        if i >= n { throw err(.incomplete, "unterminated ${", at: start) }
        if c == cLBracket && isNameStart(name.utf8.first!) {
            throw unsupported("arrays (${\(name)[...]})", at: start)
        }
        let dq = ctx != .unquoted
        var op: ParamOp = .none
        switch c {
        case cRBrace:
            i += 1
            return ParamExp(name: name, braced: true, pos: p)
        case cColon:
            i += 1
            let d = peekc()
            if d == cMinus || d == cEq || d == 0x3F || d == cPlus {
                i += 1
                op = try defaultOp(d, colon: true, dq: dq, start: start)
            } else {
                let offStart = i
                var ob = PartsBuilder()
                try readDQLike(.subOffset, into: &ob, openedAt: start)
                let off = Word(parts: ob.finish(), pos: pos(offStart))
                var len: Word? = nil
                if peekc() == cColon {
                    i += 1
                    let ls = i
                    var lb = PartsBuilder()
                    try readDQLike(.subLength, into: &lb, openedAt: start)
                    len = Word(parts: lb.finish(), pos: pos(ls))
                }
                op = .substring(offset: off, length: len)
            }
        case cMinus, cEq, 0x3F, cPlus:
            i += 1
            op = try defaultOp(c, colon: false, dq: dq, start: start)
        case cHash, 0x25:   // # %
            i += 1
            let longest = peekc() == c
            if longest { i += 1 }
            let w = try patternWord(stopSlash: false, start: start)
            op = c == cHash ? .removePrefix(w, longest: longest) : .removeSuffix(w, longest: longest)
        case cSlash:
            i += 1
            var anchor = ReplaceAnchor.first
            let d = peekc()
            if d == cSlash { anchor = .all; i += 1 }
            else if d == cHash { anchor = .prefix; i += 1 }
            else if d == 0x25 { anchor = .suffix; i += 1 }
            let pat = try patternWord(stopSlash: true, start: start)
            var rep: Word? = nil
            if peekc() == cSlash {
                i += 1
                rep = try patternWord(stopSlash: false, start: start)
            }
            op = .replace(pattern: pat, with: rep, anchor: anchor)
        case 0x5E, 0x2C:   // ^ ,
            i += 1
            let all = peekc() == c
            if all { i += 1 }
            let w = try patternWord(stopSlash: false, start: start)
            let cc: CaseChange = c == 0x5E ? (all ? .upperAll : .upperFirst) : (all ? .lowerAll : .lowerFirst)
            op = .caseChange(cc, pattern: w.parts.isEmpty ? nil : w)
        case 0x40:   // @
            throw unsupported("parameter transformations (${\(name)@...})", at: start)
        default:
            try badSubstitution(start)
        }
        try expectRBrace(start)
        return ParamExp(name: name, op: op, braced: true, pos: p)
    }

    /// The word of `${x-w}`-style operators.
    func defaultOp(_ c: UInt8, colon: Bool, dq: Bool, start: Int) throws -> ParamOp {
        _ = peekc()
        let ws = i
        var b = PartsBuilder()
        if dq {
            try readDQLike(.paramDQ, into: &b, openedAt: start)
        } else {
            var cfg = UnqCfg()
            cfg.stopAtMeta = false
            cfg.stopBrace = true
            cfg.openedAt = start
            try readUnquoted(cfg, into: &b)
        }
        let w = Word(parts: b.finish(), pos: pos(ws))
        switch c {
        case cMinus: return .useDefault(w, colon: colon)
        case cEq: return .assignDefault(w, colon: colon)
        case cPlus: return .useAlternative(w, colon: colon)
        default: return .errorIfUnset(w.parts.isEmpty ? nil : w, colon: colon)
        }
    }

    /// Pattern and replacement words: read with unquoted rules even inside double quotes.
    func patternWord(stopSlash: Bool, start: Int) throws -> Word {
        _ = peekc()
        let ws = i
        var b = PartsBuilder()
        var cfg = UnqCfg()
        cfg.stopAtMeta = false
        cfg.stopBrace = true
        cfg.stopSlash = stopSlash
        cfg.openedAt = start
        try readUnquoted(cfg, into: &b)
        return Word(parts: b.finish(), pos: pos(ws))
    }

    // MARK: $'…'

    /// At `'` after `$`.
    func readAnsiC(into b: inout PartsBuilder) throws {
        let start = i - 1
        i += 1
        var out: [UInt8] = []
        var truncated = false
        func emit(_ c: UInt8) { if c == 0 { truncated = true }; if !truncated { out.append(c) } }
        func emitScalar(_ v: UInt32) {
            if v == 0 { truncated = true; return }
            guard let u = Unicode.Scalar(v) else { return }
            if truncated { return }
            out.append(contentsOf: Array(String(Character(u)).utf8))
        }
        func hexVal(_ c: UInt8) -> UInt32? {
            switch c {
            case 0x30...0x39: return UInt32(c - 0x30)
            case 0x41...0x46: return UInt32(c - 0x41 + 10)
            case 0x61...0x66: return UInt32(c - 0x61 + 10)
            default: return nil
            }
        }
        while true {
            if i >= n { throw err(.incomplete, "unterminated $'", at: start) }
            let c = s[i]
            if c == cSQ { i += 1; break }
            if c != cBackslash || i + 1 >= n { emit(c); i += 1; continue }
            let d = s[i + 1]
            i += 2
            switch d {
            case 0x61: emit(7)          // a
            case 0x62: emit(8)          // b
            case 0x65, 0x45: emit(27)   // e E
            case 0x66: emit(12)         // f
            case 0x6E: emit(10)         // n
            case 0x72: emit(13)         // r
            case 0x74: emit(9)          // t
            case 0x76: emit(11)         // v
            case cBackslash, cSQ, cDQ, 0x3F: emit(d)
            case 0x30...0x37:
                var v = UInt32(d - 0x30)
                var k = 1
                while k < 3 && i < n && s[i] >= 0x30 && s[i] <= 0x37 { v = v * 8 + UInt32(s[i] - 0x30); i += 1; k += 1 }
                emit(UInt8(truncatingIfNeeded: v))
            case 0x78, 0x75, 0x55:      // x u U
                let maxDigits = d == 0x78 ? 2 : (d == 0x75 ? 4 : 8)
                var v: UInt32 = 0
                var k = 0
                while k < maxDigits && i < n, let h = hexVal(s[i]) { v = v * 16 + h; i += 1; k += 1 }
                if k == 0 { emit(cBackslash); emit(d) }
                else if d == 0x78 { emit(UInt8(truncatingIfNeeded: v)) }
                else { emitScalar(v) }
            case 0x63:                  // cX
                if i < n {
                    let x = s[i]
                    i += 1
                    if x == 0x3F { emit(0x7F) }
                    else {
                        var u = x
                        if u >= 0x61 && u <= 0x7A { u -= 32 }
                        emit(u & 0x1F)
                    }
                } else { emit(cBackslash); emit(d) }
            default:
                emit(cBackslash); emit(d)
            }
        }
        b.quo(contentsOf: out)
    }
}
