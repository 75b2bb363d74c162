import Glibc
import Syntax
import Expand

// Word expansion driver: walks WordParts and produces fields, using the pure pieces of the Expand
// module (patterns, arithmetic, braces, splitting, globbing). It lives in Interp because command
// substitution and `${x:=w}` need the running shell.

/// Words under construction. A break starts a new word (from "$@" or unquoted $@/$*).
struct FieldBuilder {
    var words: [[Segment]] = [[]]
    mutating func add(_ s: Segment) { words[words.count - 1].append(s) }
    mutating func breakWord() { words.append([]) }
}

extension Shell {
    /// Full expansion of command words: braces, tilde, parameters, substitutions, arithmetic,
    /// field splitting, pathname expansion, quote removal.
    func expandWords(_ words: [Word]) throws -> [String] {
        var out: [String] = []
        out.reserveCapacity(words.count)
        for w in words {
            // Fast paths (loops spend their time here): a plain literal, and a lone `$name`
            // whose value needs no splitting or globbing.
            if w.parts.count == 1 {
                switch w.parts[0] {
                case .literal(let t) where !hasSpecialLiteral(t):
                    out.append(t)
                    continue
                case .param(let p) where p.op == .none && !isMultiParam(p.name):
                    if let v = paramValue(p.name) {
                        if v.isEmpty { continue }
                        if isPlainField(v) { out.append(v); continue }
                    } else if !options.nounset {
                        continue
                    }
                default: break
                }
            }
            let variants = hasBraceCandidate(w.parts) ? try braceExpand(w.parts) : [w.parts]
            for parts in variants {
                var b = FieldBuilder()
                try expandParts(parts, quoted: false, into: &b)
                for segs in b.words {
                    for field in splitFields(segs, ifs: vars.value("IFS")) {
                        out.append(contentsOf: globField(field))
                    }
                }
            }
        }
        return out
    }

    /// Expansion without splitting or globbing (assignments, case subjects, here-strings, [[ ]]).
    func expandString(_ word: Word) throws -> String {
        if word.parts.count == 1 {
            switch word.parts[0] {
            case .literal(let t), .quoted(let t): return t
            case .arithmetic(let w): return String(try arithmetic(w))
            default: break
            }
        }
        var b = FieldBuilder()
        try expandParts(word.parts, quoted: false, into: &b)
        return b.words.map { $0.map(\.text).joined() }.joined(separator: " ")
    }

    /// Expansion for a pattern: quoted parts match literally, everything else keeps its meaning.
    func expandPattern(_ word: Word) throws -> ShellPattern {
        var b = FieldBuilder()
        try expandParts(word.parts, quoted: false, into: &b)
        var chunks: [PatternChunk] = []
        for (i, segs) in b.words.enumerated() {
            if i > 0 { chunks.append(PatternChunk(text: " ", quoted: true)) }
            for s in segs { chunks.append(PatternChunk(text: s.text, quoted: s.kind == .quoted)) }
        }
        return ShellPattern(chunks)
    }

    /// Expands a redirection target: one field, or "ambiguous redirect".
    func expandRedirectTarget(_ word: Word) throws -> String {
        let fields = try expandWords([word])
        guard fields.count == 1 else {
            throw ShellError(message: "\(sourceText(word)): ambiguous redirect", status: 1, fatal: false)
        }
        return fields[0]
    }

    /// True if `v` would come out of splitting and globbing unchanged as one field.
    func isPlainField(_ v: String) -> Bool {
        guard isPlainValue(v) else { return false }
        if vars.ifsIsDefault { return true }
        guard let ifs = vars.value("IFS") else { return true }
        // Custom IFS: no IFS character may occur in the value.
        let set = Set(ifs.utf8)
        return !v.utf8.contains { set.contains($0) }
    }

    private func globField(_ field: Field) -> [String] {
        let text = field.chunks.map(\.text).joined()
        if options.noglob { return [text] }
        if !mayMatchFiles(field) { return [text] }
        let matches = globExpand(field, cwd: cwd)
        return matches.isEmpty ? [text] : matches
    }

    private func braceExpand(_ parts: [WordPart]) throws -> [[WordPart]] {
        do { return try expandBraces(parts) } catch {
            throw ShellError(message: "brace expansion: \(error)", status: 1, fatal: false)
        }
    }

    // MARK: parts

    /// `literal` is the kind given to unquoted literal text: `.literal` for script words, but
    /// `.expansion` inside `${x:-word}` (bash splits the word of an unquoted operator).
    func expandParts(_ parts: [WordPart], quoted: Bool, literal: SegmentKind = .literal,
                     into b: inout FieldBuilder) throws {
        for part in parts {
            switch part {
            case .literal(let t):
                b.add(Segment(text: t, kind: quoted ? .quoted : literal))
            case .quoted(let t):
                b.add(Segment(text: t, kind: .quoted))
            case .doubleQuoted(let inner):
                // An empty "" still makes a field; "$@" with no parameters makes none.
                if inner.isEmpty || !inner.allSatisfy(isAtParam) { b.add(Segment(text: "", kind: .quoted)) }
                try expandParts(inner, quoted: true, into: &b)
            case .tilde(let name):
                let home = vars.value("HOME")
                let t = expandTilde(name, home: home, pwd: vars.value("PWD"), oldpwd: vars.value("OLDPWD")) ?? ("~" + name)
                b.add(Segment(text: t, kind: .quoted))
            case .param(let p):
                try expandParam(p, quoted: quoted, into: &b)
            case .commandSub(let script, _):
                let out = try commandSubstitution(script)
                b.add(Segment(text: out, kind: quoted ? .quoted : .expansion))
            case .arithmetic(let w):
                let v = try arithmetic(w)
                b.add(Segment(text: String(v), kind: quoted ? .quoted : .expansion))
            }
        }
    }

    func arithmetic(_ w: Word) throws -> Int {
        if w.parts.count == 1 {
            switch w.parts[0] {
            case .literal(let t), .quoted(let t): return try evalArith(t)
            default: break
            }
        }
        var b = FieldBuilder()
        try expandParts(w.parts, quoted: true, into: &b)
        let text = b.words.map { $0.map(\.text).joined() }.joined(separator: " ")
        return try evalArith(text)
    }

    func evalArith(_ text: String) throws -> Int {
        arithArrayRef = nil
        defer { arithArrayRef = nil }
        do {
            let v = try evaluateArithmetic(text, self)
            if let ref = arithArrayRef {
                throw ShellError(message: "\(ref): arrays are not supported", status: 1, fatal: false)
            }
            return v
        } catch let e as ArithError {
            throw ShellError(message: e.description, status: 1, fatal: false)
        }
    }

    // MARK: parameters

    /// The value of a scalar parameter, nil if unset.
    func paramValue(_ name: String) -> String? {
        guard let c = name.utf8.first else { return nil }
        if isDigit(c) {
            guard let n = Int(name) else { return nil }
            if n == 0 { return scriptName }
            return n <= positional.count ? positional[n - 1] : nil
        }
        if name.utf8.count == 1 {
            switch c {
            case UInt8(ascii: "?"): return String(lastStatus)
            case UInt8(ascii: "#"): return String(positional.count)
            case UInt8(ascii: "$"): return String(shellPID)
            case UInt8(ascii: "!"): return lastBackground == 0 ? nil : String(lastBackground)
            case UInt8(ascii: "-"): return options.flags
            case UInt8(ascii: "@"), UInt8(ascii: "*"):
                return positional.isEmpty ? nil : positional.joined(separator: " ")
            default: break
            }
        }
        if let v = vars.value(name) { return v }
        switch name {
        case "LINENO": return String(currentLine)
        case "RANDOM": return String(Int(Glibc.random() % 32768))
        default: return nil
        }
    }

    func isMultiParam(_ name: String) -> Bool { name == "@" || name == "*" }

    func expandParam(_ p: ParamExp, quoted: Bool, into b: inout FieldBuilder) throws {
        let kind: SegmentKind = quoted ? .quoted : .expansion
        switch p.op {
        case .none:
            try mapValue(p, quoted: quoted, into: &b) { $0 }
        case .length:
            if isMultiParam(p.name) {
                b.add(Segment(text: String(positional.count), kind: kind))
                return
            }
            guard let v = paramValue(p.name) else {
                if options.nounset { throw unbound(p.name) }
                b.add(Segment(text: "0", kind: kind))
                return
            }
            b.add(Segment(text: String(v.unicodeScalars.count), kind: kind))
        case .useDefault(let w, let colon), .assignDefault(let w, let colon),
             .useAlternative(let w, let colon), .errorIfUnset(let w?, let colon):
            let v = isMultiParam(p.name) ? (positional.isEmpty ? nil : positional.joined(separator: " ")) : paramValue(p.name)
            let isSet = v != nil && !(colon && v!.isEmpty)
            switch p.op {
            case .useDefault:
                if isSet { try expandParam(ParamExp(name: p.name, braced: true, pos: p.pos), quoted: quoted, into: &b) }
                else { try expandParts(w.parts, quoted: quoted, literal: .expansion, into: &b) }
            case .assignDefault:
                if isSet { b.add(Segment(text: v!, kind: kind)); return }
                guard isValidName(p.name) else {
                    throw ShellError(message: "$\(p.name): cannot assign in this way", status: 1, fatal: false)
                }
                let value = try expandString(w)
                try setVar(p.name, value)
                b.add(Segment(text: value, kind: kind))
            case .useAlternative:
                if isSet { try expandParts(w.parts, quoted: quoted, literal: .expansion, into: &b) }
                else if quoted { b.add(Segment(text: "", kind: .quoted)) }
            default:
                if isSet { b.add(Segment(text: v!, kind: kind)); return }
                let msg = try expandString(w)
                throw ShellError(message: "\(p.name): \(msg)", status: 1, fatal: true)
            }
        case .errorIfUnset(nil, let colon):
            let v = paramValue(p.name)
            if let v = v, !(colon && v.isEmpty) { b.add(Segment(text: v, kind: kind)); return }
            throw ShellError(message: "\(p.name): " + (colon ? "parameter null or not set" : "parameter not set"),
                             status: 1, fatal: true)
        case .removePrefix(let w, let longest):
            try mapValue(p, quoted: quoted, into: &b) { try self.expandPattern(w).removePrefix($0, longest: longest) }
        case .removeSuffix(let w, let longest):
            try mapValue(p, quoted: quoted, into: &b) { try self.expandPattern(w).removeSuffix($0, longest: longest) }
        case .replace(let pw, let rw, let anchor):
            try mapValue(p, quoted: quoted, into: &b) {
                let pat = try self.expandPattern(pw)
                let rep = try rw.map { try self.expandString($0) } ?? ""
                return pat.replace(in: $0, with: rep, anchor: anchor)
            }
        case .caseChange(let change, let pw):
            try mapValue(p, quoted: quoted, into: &b) { try self.changeCase($0, change, pw) }
        case .substring(let ow, let lw):
            try substring(p, offset: ow, length: lw, quoted: quoted, into: &b)
        }
    }

    private var ifsFirst: String {
        guard let ifs = vars.value("IFS") else { return " " }
        return ifs.isEmpty ? "" : String(ifs.unicodeScalars.first!)
    }

    private func unbound(_ name: String) -> ShellError {
        ShellError(message: "\(name): unbound variable", status: 1, fatal: true)
    }

    /// Applies `f` to the parameter's value, or to each positional parameter for $@ / $*.
    private func mapValue(_ p: ParamExp, quoted: Bool, into b: inout FieldBuilder,
                          _ f: (String) throws -> String) throws {
        let kind: SegmentKind = quoted ? .quoted : .expansion
        if isMultiParam(p.name) {
            addPositional(try positional.map(f), star: p.name == "*", quoted: quoted, into: &b)
            return
        }
        guard let v = paramValue(p.name) else {
            if options.nounset { throw unbound(p.name) }
            b.add(Segment(text: "", kind: kind))
            return
        }
        b.add(Segment(text: try f(v), kind: kind))
    }

    /// Positional parameters as fields: "$*" joins them with IFS's first character; "$@", $@
    /// and $* make one field each (then split and globbed when unquoted).
    private func addPositional(_ values: [String], star: Bool, quoted: Bool, into b: inout FieldBuilder) {
        if star && quoted {
            b.add(Segment(text: values.joined(separator: ifsFirst), kind: .quoted))
            return
        }
        for (i, v) in values.enumerated() {
            if i > 0 { b.breakWord() }
            b.add(Segment(text: v, kind: quoted ? .quoted : .expansion))
        }
    }

    private func changeCase(_ s: String, _ change: CaseChange, _ pw: Word?) throws -> String {
        let pattern = try pw.map { try expandPattern($0) }
        var out = String.UnicodeScalarView()
        var first = true
        for u in s.unicodeScalars {
            let applies: Bool
            switch change {
            case .upperFirst, .lowerFirst: applies = first
            case .upperAll, .lowerAll: applies = true
            }
            first = false
            if applies, pattern?.matches(String(u)) ?? true {
                let t: String
                switch change {
                case .upperFirst, .upperAll: t = String(u).uppercased()
                case .lowerFirst, .lowerAll: t = String(u).lowercased()
                }
                out.append(contentsOf: t.unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    private func substring(_ p: ParamExp, offset ow: Word, length lw: Word?, quoted: Bool,
                           into b: inout FieldBuilder) throws {
        let kind: SegmentKind = quoted ? .quoted : .expansion
        let offset = try arithmetic(ow)
        let length = try lw.map { try arithmetic($0) }
        if isMultiParam(p.name) {
            // ${@:o:l} slices the positional parameters; offset 0 includes $0.
            let all = [scriptName] + positional
            var start = offset < 0 ? all.count + offset : offset
            if p.name == "@" || p.name == "*", offset == 0 { start = 0 }
            if start < 0 || start > all.count { return }
            var end = all.count
            if let l = length {
                if l < 0 { throw ShellError(message: "\(l): substring expression < 0", status: 1, fatal: true) }
                end = min(all.count, start + l)
            }
            addPositional(Array(all[start..<end]), star: p.name == "*", quoted: quoted, into: &b)
            return
        }
        guard let v = paramValue(p.name) else {
            if options.nounset { throw unbound(p.name) }
            b.add(Segment(text: "", kind: kind))
            return
        }
        let chars = Array(v.unicodeScalars)
        var start = offset < 0 ? chars.count + offset : offset
        if start < 0 { start = 0; if offset < 0 { b.add(Segment(text: "", kind: kind)); return } }
        if start > chars.count { b.add(Segment(text: "", kind: kind)); return }
        var end = chars.count
        if let l = length {
            end = l < 0 ? chars.count + l : min(chars.count, start + l)
            if end < start {
                throw ShellError(message: "\(l): substring expression < 0", status: 1, fatal: true)
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: chars[start..<end])
        b.add(Segment(text: String(view), kind: kind))
    }

    /// Source-ish text of a word for messages.
    func sourceText(_ w: Word) -> String {
        var s = ""
        for p in w.parts {
            switch p {
            case .literal(let t), .quoted(let t): s += t
            case .param(let pe): s += "$" + pe.name
            default: s += "…"
            }
        }
        return s
    }
}

/// True if the field has an unquoted `*` or `?`, or an unquoted `[` with a `]` after it — only
/// then can it match anything but itself, so only then is the directory read (`[` as a command
/// name must not cost a readdir).
private func mayMatchFiles(_ field: Field) -> Bool {
    var openBracket = false
    for c in field.chunks {
        for b in c.text.utf8 {
            if openBracket && b == 0x5D { return true }
            if c.quoted { continue }
            if b == 0x2A || b == 0x3F { return true }
            if b == 0x5B { openBracket = true }
        }
    }
    return false
}

private func isAtParam(_ p: WordPart) -> Bool {
    if case .param(let pe) = p, pe.name == "@" { return true }
    return false
}

/// Could this unquoted literal change under brace or pathname expansion?
@inline(__always)
private func hasSpecialLiteral(_ t: String) -> Bool {
    var bracket = false
    for c in t.utf8 {
        switch c {
        case 0x2A, 0x3F, 0x7B: return true          // * ? {
        case 0x5B: bracket = true                  // [
        case 0x5D: if bracket { return true }      // ] after [
        default: break
        }
    }
    return false
}

/// A value with no default-IFS characters and no glob characters stays one field as it is.
/// (Only valid while IFS is the default; checked by the caller's use of `ifsIsDefault`.)
@inline(__always)
private func isPlainValue(_ v: String) -> Bool {
    for c in v.utf8 {
        switch c {
        case 0x20, 0x09, 0x0A, 0x2A, 0x3F, 0x5B: return false
        default: break
        }
    }
    return true
}

private func hasBraceCandidate(_ parts: [WordPart]) -> Bool {
    parts.contains { if case .literal(let t) = $0 { return t.utf8.contains(0x7B) } else { return false } }
}

extension Shell: ArithContext {
    public func arithGet(_ name: String) -> String? {
        if name.utf8.contains(0x5B) {
            // `a[i]` in arithmetic: aegish has no arrays. Evaluation is failed after the fact
            // (this protocol cannot throw) rather than reading it as an unset variable.
            arithArrayRef = name
            return nil
        }
        return paramValue(name)
    }
    public func arithSet(_ name: String, _ value: Int) throws {
        if name.utf8.contains(0x5B) {
            throw ArithError(message: "arrays are not supported", expression: name)
        }
        try setVar(name, String(value))
    }
}
