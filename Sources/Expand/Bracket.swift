// Compilation of pattern text into tokens, including bracket expressions.
//
// Bracket rules (checked against bash 5.2): `[!…]`/`[^…]` negate; `]` first (after any negation)
// is literal; `a-z` ranges compare code points (globasciiranges); a reversed range matches nothing;
// `-` first, last, or right after a range or class is literal; `[:class:]` (invalid names match
// nothing), `[=c=]` and `[.c.]` are accepted; escaped (quoted) characters are always literal and
// an escaped `]` does not close; a `[` without a closing `]` is an ordinary character.

/// A pattern character with its quoting.
struct PatUnit {
    var c: UInt32
    var escaped: Bool
}

enum CharClass: Equatable {
    case alpha, digit, alnum, upper, lower, space, blank, punct, print, graph, cntrl, xdigit, word
    case invalid

    init(name: String) {
        switch name {
        case "alpha": self = .alpha
        case "digit": self = .digit
        case "alnum": self = .alnum
        case "upper": self = .upper
        case "lower": self = .lower
        case "space": self = .space
        case "blank": self = .blank
        case "punct": self = .punct
        case "print": self = .print
        case "graph": self = .graph
        case "cntrl": self = .cntrl
        case "xdigit": self = .xdigit
        case "word": self = .word
        default: self = .invalid
        }
    }

    func contains(_ c: UInt32) -> Bool {
        if c < 0x80 {
            let isUpper = c >= 0x41 && c <= 0x5A, isLower = c >= 0x61 && c <= 0x7A
            let isDigit = c >= 0x30 && c <= 0x39
            switch self {
            case .alpha: return isUpper || isLower
            case .digit: return isDigit
            case .alnum: return isUpper || isLower || isDigit
            case .upper: return isUpper
            case .lower: return isLower
            case .space: return c == 0x20 || (c >= 0x09 && c <= 0x0D)
            case .blank: return c == 0x20 || c == 0x09
            case .punct: return c > 0x20 && c < 0x7F && !(isUpper || isLower || isDigit)
            case .print: return c >= 0x20 && c < 0x7F
            case .graph: return c > 0x20 && c < 0x7F
            case .cntrl: return c < 0x20 || c == 0x7F
            case .xdigit: return isDigit || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
            case .word: return isUpper || isLower || isDigit || c == 0x5F
            case .invalid: return false
            }
        }
        guard let s = Unicode.Scalar(c) else { return false }
        let p = s.properties
        switch self {
        case .alpha, .word, .alnum: return p.isAlphabetic
        case .digit, .xdigit, .invalid: return false
        case .upper: return p.isUppercase
        case .lower: return p.isLowercase
        case .space: return p.isWhitespace
        case .blank: return p.generalCategory == .spaceSeparator
        case .punct:
            switch p.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol,
                 .currencySymbol, .modifierSymbol, .otherSymbol: return true
            default: return false
            }
        case .cntrl: return p.generalCategory == .control
        case .print: return !isNonPrint(p)
        case .graph: return !isNonPrint(p) && !p.isWhitespace
        }
    }

    private func isNonPrint(_ p: Unicode.Scalar.Properties) -> Bool {
        switch p.generalCategory {
        case .control, .unassigned, .surrogate, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}

enum BracketItem: Equatable {
    case single(UInt32)
    case range(UInt32, UInt32)
    case cls(CharClass)
}

struct BracketSet: Equatable {
    var negated: Bool
    var items: [BracketItem]

    func matches(_ c: UInt32) -> Bool {
        var hit = false
        for it in items {
            switch it {
            case .single(let x): hit = x == c
            case .range(let a, let b): hit = a <= c && c <= b
            case .cls(let k): hit = k.contains(c)
            }
            if hit { break }
        }
        return hit != negated
    }
}

private let cBracketOpen: UInt32 = 0x5B, cBracketClose: UInt32 = 0x5D
private let cBang: UInt32 = 0x21, cCaret: UInt32 = 0x5E, cDash: UInt32 = 0x2D
private let cColon: UInt32 = 0x3A, cEquals: UInt32 = 0x3D, cDot: UInt32 = 0x2E

func compilePattern(_ u: [PatUnit]) -> [PatToken] {
    var out: [PatToken] = []
    var i = 0
    while i < u.count {
        let x = u[i]
        if !x.escaped {
            switch x.c {
            case 0x2A:  // *
                if out.last != .star { out.append(.star) }
                i += 1; continue
            case 0x3F:  // ?
                out.append(.any); i += 1; continue
            case cBracketOpen:
                if let (set, next) = parseBracket(u, i + 1) {
                    out.append(.set(set)); i = next; continue
                }
            default: break
            }
        }
        out.append(.lit(x.c))
        i += 1
    }
    return out
}

/// Parses a bracket expression whose `[` is just before `start`. Returns the set and the index
/// after the closing `]`, or nil if it is not terminated.
func parseBracket(_ u: [PatUnit], _ start: Int) -> (BracketSet, Int)? {
    var j = start
    var negated = false
    if j < u.count, !u[j].escaped, u[j].c == cBang || u[j].c == cCaret { negated = true; j += 1 }
    var items: [BracketItem] = []
    var first = true
    while j < u.count {
        let x = u[j]
        if !x.escaped && x.c == cBracketClose && !first {
            return (BracketSet(negated: negated, items: items), j + 1)
        }
        first = false
        // [:class:], [=c=], [.c.]
        if !x.escaped && x.c == cBracketOpen, j + 1 < u.count, !u[j + 1].escaped,
           [cColon, cEquals, cDot].contains(u[j + 1].c) {
            let delim = u[j + 1].c
            var k = j + 2
            var found = -1
            while k + 1 < u.count {
                if u[k].c == delim && !u[k].escaped && u[k + 1].c == cBracketClose && !u[k + 1].escaped {
                    found = k; break
                }
                k += 1
            }
            if found >= 0 {
                let inner = Array(u[(j + 2)..<found].map { $0.c })
                j = found + 2
                if delim == cColon {
                    items.append(.cls(CharClass(name: string(inner))))
                } else if inner.count == 1 {
                    items.append(.single(inner[0]))
                } else {
                    items.append(.cls(.invalid))
                }
                continue
            }
        }
        // range lo-hi
        if j + 2 < u.count, !u[j + 1].escaped, u[j + 1].c == cDash,
           !(u[j + 2].c == cBracketClose && !u[j + 2].escaped) {
            items.append(.range(x.c, u[j + 2].c))
            j += 3
            continue
        }
        items.append(.single(x.c))
        j += 1
    }
    return nil
}
