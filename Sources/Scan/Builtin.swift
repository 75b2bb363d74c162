// The built-in first layer: no external tool, for inline code and small scripts in Python,
// JavaScript (node), Perl and Ruby. It looks at tokens (Lexer.swift) for what an allowlisted
// interpreter could do that the command line does not show:
//   - running other programs or shell commands (which then escape aegish's own checks),
//   - evaluating code built at run time,
//   - deleting directory trees,
//   - writing literal paths and contacting literal hosts (reported as subjects for the caller to
//     check against the policy's path and host rules),
//   - hard-coded credentials (AWS access key ids, private keys, common API tokens).
// Rules are per language (BuiltinPython.swift, BuiltinScripts.swift); the language-independent
// ones are here. Shell code is not scanned here: aegish parses and checks every shell command.

public enum BuiltinScanner {
    /// Part of the cache key: bump when the rules change, so old results are not reused.
    public static let version = "builtin-3"

    /// Findings in `code` (`file` names it in findings). Subjects (`writes`, `contacts`) still have
    /// to be checked against the policy by the caller.
    public static func scan(_ code: String, language: ScanLanguage, file: String) -> [Finding] {
        let lang: LexLanguage
        switch language {
        case .python: lang = .python
        case .node: lang = .javascript
        case .perl: lang = .perl
        case .ruby: lang = .ruby
        case .shell: return []
        }
        let tokens = lex(code, lang)
        var r = RuleContext(file: file, tokens: tokens, calls: extractCalls(tokens, lang))
        switch lang {
        case .python: pythonRules(&r)
        case .javascript: javascriptRules(&r)
        case .perl: perlRules(&r)
        case .ruby: rubyRules(&r)
        }
        stringRules(&r)
        secretRules(code, &r)
        return r.findings
    }
}

/// What a rule sees and adds to.
struct RuleContext {
    let file: String
    let tokens: [Token]
    let calls: [Call]
    var findings: [Finding] = []
    private var seen: Set<String> = []

    init(file: String, tokens: [Token], calls: [Call]) { self.file = file; self.tokens = tokens; self.calls = calls }

    mutating func add(_ line: Int, _ rule: String, _ severity: Severity, _ message: String, _ subject: FindingSubject? = nil) {
        let key = "\(line)\u{0}\(rule)\u{0}\(message)"
        guard seen.insert(key).inserted else { return }
        findings.append(Finding(file: file, line: line, scanner: ScannerSpec.builtinName, rule: rule,
                                severity: severity, message: message, subject: subject))
    }

    /// A literal path the code writes (checked against paths.write by the caller).
    mutating func writes(_ line: Int, _ path: String, _ how: String) {
        let p = path.trimmingBlanks()
        guard !p.isEmpty, !p.contains("\0"), !p.contains("{"), !p.contains("$") else { return }
        add(line, "path.write", .medium, "\(how) writes \(p)", .writes(p))
    }

    /// A literal host the code contacts (checked against network.allow by the caller).
    mutating func contacts(_ line: Int, _ hostOrURL: String, _ how: String) {
        let h = hostOrURL.trimmingBlanks()
        guard !h.isEmpty, !h.contains("{"), !h.contains("$"), !h.contains(" ") else { return }
        add(line, "net.host", .medium, "\(how) contacts \(h)", .contacts(h))
    }
}

extension StringProtocol {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - Every language

/// URLs in string literals (a host the code may contact), and `rm -r` in strings and commands.
func stringRules(_ r: inout RuleContext) {
    for t in r.tokens where (t.kind == .string || t.kind == .command) && !t.statement {
        for u in urls(in: t.text) { r.contacts(t.line, u, "a URL in the code") }
        if let rm = recursiveRemove(in: t.text) {
            r.add(t.line, "shell.rm-recursive", .high, "a shell command that deletes recursively: \(rm)")
        }
    }
}

private let urlSchemes = ["https://", "http://", "ftp://", "wss://", "ws://", "sftp://", "ssh://"].map { Array($0.unicodeScalars) }

/// `scheme://…` substrings with a network scheme, up to a quote or blank.
func urls(in text: String) -> [String] {
    let u = Array(text.unicodeScalars)
    // ASCII lower case only, so indices stay aligned with `u`.
    let lower = u.map { $0 >= "A" && $0 <= "Z" ? Unicode.Scalar($0.value + 32)! : $0 }
    var out: [String] = []
    guard find(text.utf8, "://") != nil else { return out }
    var k = 0
    while k < u.count {
        guard let m = urlSchemes.first(where: { k + $0.count <= u.count && Array(lower[k..<(k + $0.count)]) == $0 }),
              k == 0 || !(lower[k - 1] >= "a" && lower[k - 1] <= "z") else { k += 1; continue }
        var e = k + m.count
        while e < u.count, !" \t\n\"'`<>()\\,;{}".unicodeScalars.contains(u[e]) { e += 1 }
        // An interpolation (`${host}`, `#{host}`) ends what is known of the URL.
        if e < u.count, u[e] == "{", e > k, u[e - 1] == "$" || u[e - 1] == "#" { e -= 1 }
        if e > k + m.count { out.append(String(String.UnicodeScalarView(u[k..<e]))) }
        k = e
    }
    return out
}

/// `rm` with a recursive option (`rm -rf x`, `rm -R`, `rm --recursive`) in a command string.
func recursiveRemove(in text: String) -> String? {
    guard find(text.utf8, "rm") != nil else { return nil }
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" || $0 == "&" || $0 == "|" || $0 == "(" || $0 == "`" })
    var k = 0
    while k < words.count {
        let w = words[k]
        if w == "rm" || w.hasSuffix("/rm") {
            var j = k + 1
            while j < words.count, words[j].hasPrefix("-") {
                let o = words[j]
                if o == "--recursive" || (!o.hasPrefix("--") && (o.contains("r") || o.contains("R"))) {
                    return words[k...min(j + 1, words.count - 1)].joined(separator: " ")
                }
                j += 1
            }
        }
        k += 1
    }
    return nil
}

// MARK: - Credentials

/// Hard-coded secrets anywhere in the text (strings, comments, heredocs). The secret itself is
/// never repeated in the finding: the log and the refusal show a masked form.
func secretRules(_ code: String, _ r: inout RuleContext) {
    var lineNo = 0
    let all = Array(code.utf8)
    var start = 0
    while start <= all.count {
        var end = start
        while end < all.count && all[end] != 10 { end += 1 }
        defer { start = end + 1 }
        lineNo += 1
        let u = all[start..<end]
        if u.count < 16 { continue }
        // AWS access key ids: AKIA/ASIA/AGPA/AIDA/AROA/ANPA… + 16 upper-case letters or digits.
        var k = u.startIndex
        while k + 20 <= u.endIndex {
            defer { k += 1 }
            guard u[k] == 65, awsKeyPrefixes.contains(where: { u[k + 1] == $0.0 && u[k + 2] == $0.1 && u[k + 3] == $0.2 }) else { continue }
            let before = k == u.startIndex ? UInt8(ascii: " ") : u[k - 1]
            let after = k + 20 < u.endIndex ? u[k + 20] : UInt8(ascii: " ")
            guard !isAlnum(before), !isAlnum(after),
                  u[(k + 4)..<(k + 20)].allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }) else { continue }
            let id = String(decoding: u[k..<(k + 20)], as: UTF8.self)
            r.add(lineNo, "secret.aws-key", .high, "hard-coded AWS access key id \(mask(id)); read credentials from the environment or a credentials file")
            break
        }
        if let b = find(u, "-----BEGIN "), find(u[b...], "PRIVATE KEY-----") != nil {
            r.add(lineNo, "secret.private-key", .high, "a private key in the code; load it from a file outside the code instead")
        }
        for (prefix, what, minLength) in tokenPrefixes {
            guard let at = find(u, prefix) else { continue }
            var e = at + prefix.count
            while e < u.endIndex, isAlnum(u[e]) || u[e] == UInt8(ascii: "_") || u[e] == UInt8(ascii: "-") { e += 1 }
            if e - at >= minLength {
                r.add(lineNo, "secret.token", .high, "hard-coded \(what) \(mask(String(decoding: u[at..<e], as: UTF8.self))); read it from the environment instead")
            }
        }
    }
}

/// Token prefixes, what they are, and the shortest plausible token.
private let tokenPrefixes: [([UInt8], String, Int)] = [
    ("ghp_", "GitHub token", 36), ("gho_", "GitHub token", 36), ("github_pat_", "GitHub token", 40),
    ("xoxb-", "Slack token", 20), ("xoxp-", "Slack token", 20), ("sk_live_", "Stripe secret key", 20),
    ("glpat-", "GitLab token", 20),
].map { (Array($0.0.utf8), $0.1, $0.2) }

/// The index of `needle` in `hay` (bytes), or nil.
func find<C: Collection>(_ hay: C, _ needle: String) -> C.Index? where C.Element == UInt8 {
    find(hay, Array(needle.utf8))
}

func find<C: Collection>(_ hay: C, _ needle: [UInt8]) -> C.Index? where C.Element == UInt8 {
    guard let first = needle.first, hay.count >= needle.count else { return nil }
    var i = hay.startIndex
    let last = hay.index(hay.endIndex, offsetBy: -needle.count)
    while i <= last {
        if hay[i] == first {
            var j = hay.index(after: i)
            var k = 1
            while k < needle.count && hay[j] == needle[k] { j = hay.index(after: j); k += 1 }
            if k == needle.count { return i }
        }
        i = hay.index(after: i)
    }
    return nil
}

/// The letters after "A" of AWS key id prefixes (AKIA, ASIA, AGPA, AIDA, AROA, ANPA, ANVA, AIPA).
private let awsKeyPrefixes: [(UInt8, UInt8, UInt8)] = ["KIA", "SIA", "GPA", "IDA", "ROA", "NPA", "NVA", "IPA"].map {
    let b = Array($0.utf8)
    return (b[0], b[1], b[2])
}

private func isAlnum(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }

/// The first four and last two characters only.
func mask(_ s: String) -> String {
    let c = Array(s)
    guard c.count > 8 else { return "****" }
    return String(c.prefix(4)) + "…" + String(c.suffix(2))
}
