// Option parsing for policy rules: which options a command line contains, however spelled.
//
// The parser follows GNU getopt conventions, which nearly every tool an agent runs uses:
//   -rfv          a cluster: -r -f -v, until an option that takes a value: -xC dir, -Cdir
//   --long=value  a long option with an attached value; `--long value` when `--long` takes one
//   --            ends options: everything after it is an operand
//   -             a lone dash is an operand (stdin)
// Matching against rules is deliberately generous (a false "this has -f" makes a decision
// stricter, a missed one is a bypass): long options match by any unique-or-not prefix
// (`rm --f` *is* `rm --force` in GNU getopt), short rules match inside clusters, and
// single-dash long spellings (`-force`, Go's flag package and find-style) also match `--force`.

/// One option as found on a command line.
public struct ParsedOption: Equatable, Sendable {
    /// The option's name as written, without an attached value: `-r`, `--recursive`, `--forc`.
    /// Clusters are split (`-rf` gives `-r` and `-f`). Long abbreviations keep their written
    /// form (the full option set is not known here); `optionMatches` resolves prefixes.
    public var spelling: String
    /// The value, attached (`-Cdir`, `--git-dir=x`) or the next word, for options in `withValue`.
    public var value: String?
    /// Index of the word (in the `args` given to the parser) where the option was written.
    public var index: Int
    public init(spelling: String, value: String? = nil, index: Int) {
        self.spelling = spelling; self.value = value; self.index = index
    }
}

public struct ParsedArguments: Equatable, Sendable {
    /// Every option found, in order, clusters split.
    public var options: [ParsedOption]
    /// The non-option words, in order (everything after `--`, and after the first operand when
    /// `stopAtFirstOperand`).
    public var operands: [String]
    /// Index in `args` of the first operand (for git: the subcommand).
    public var firstOperandIndex: Int?
    public init(options: [ParsedOption] = [], operands: [String] = [], firstOperandIndex: Int? = nil) {
        self.options = options; self.operands = operands; self.firstOperandIndex = firstOperandIndex
    }
}

/// Normalises a `withValue` entry: `--git-dir=` and `--git-dir` are the same.
@inline(__always) func stripTrailingEquals(_ s: String) -> String {
    s.hasSuffix("=") ? String(s.dropLast()) : s
}

/// Does the written long option name (`--forc`) resolve to one in `set`? Exact match, else a
/// prefix of exactly one entry (GNU abbreviation). Returns the full entry.
func resolveLong(_ written: String, in set: Set<String>) -> String? {
    if set.contains(written) { return written }
    var found: String? = nil
    for s in set where s.hasPrefix("--") && s.count > written.count && s.hasPrefix(written) {
        if found != nil { return nil }  // ambiguous among value-taking options: treat as no value
        found = s
    }
    return found
}

/// Parse `args` (argv without argv[0]). See the file comment for the rules.
/// `withValue`: spellings taking a value (`-C`, `--git-dir`; a trailing `=` is ignored). A
/// single-dash multi-letter entry (`-name`, find/Java style) is recognised only as a whole word.
/// A long option is taken to have a value when it is, or uniquely abbreviates, an entry.
/// A value-taking option at the very end gets `value == nil`.
public func parseArguments(_ args: [String], withValue: Set<String>, stopAtFirstOperand: Bool) -> ParsedArguments {
    let wv = Set(withValue.map(stripTrailingEquals))
    var result = ParsedArguments()
    var i = 0
    func addOperand(_ k: Int) {
        if result.firstOperandIndex == nil { result.firstOperandIndex = k }
        result.operands.append(args[k])
    }
    while i < args.count {
        let w = args[i]
        if w == "--" {
            for k in (i + 1)..<max(i + 1, args.count) { addOperand(k) }
            break
        }
        if w == "-" || !w.hasPrefix("-") {
            addOperand(i)
            if stopAtFirstOperand {
                for k in (i + 1)..<max(i + 1, args.count) { addOperand(k) }
                break
            }
            i += 1; continue
        }
        if w.hasPrefix("--") {
            if let eq = w.firstIndex(of: "=") {
                result.options.append(ParsedOption(spelling: String(w[..<eq]), value: String(w[w.index(after: eq)...]), index: i))
                i += 1; continue
            }
            if resolveLong(w, in: wv) != nil {
                let v: String? = i + 1 < args.count ? args[i + 1] : nil
                result.options.append(ParsedOption(spelling: w, value: v, index: i))
                i += 2; continue
            }
            result.options.append(ParsedOption(spelling: w, value: nil, index: i))
            i += 1; continue
        }
        // Single dash. A whole-word match of a single-dash long option (`-name`, `-exec`).
        let head: String = { if let eq = w.firstIndex(of: "=") { return String(w[..<eq]) }; return w }()
        if head.count > 2 && wv.contains(head) {
            if head.count < w.count {
                result.options.append(ParsedOption(spelling: head, value: String(w.dropFirst(head.count + 1)), index: i))
                i += 1
            } else {
                let v: String? = i + 1 < args.count ? args[i + 1] : nil
                result.options.append(ParsedOption(spelling: head, value: v, index: i))
                i += 2
            }
            continue
        }
        // A cluster.
        let chars = Array(w.dropFirst())
        var consumedNext = false
        var j = 0
        while j < chars.count {
            let sp = "-" + String(chars[j])
            if wv.contains(sp) {
                if j + 1 < chars.count {
                    result.options.append(ParsedOption(spelling: sp, value: String(chars[(j + 1)...]), index: i))
                } else {
                    let v: String? = i + 1 < args.count ? args[i + 1] : nil
                    result.options.append(ParsedOption(spelling: sp, value: v, index: i))
                    consumedNext = true
                }
                break
            }
            result.options.append(ParsedOption(spelling: sp, value: nil, index: i))
            j += 1
        }
        i += consumedNext ? 2 : 1
    }
    return result
}

/// A rule spelling split into name and optional required value (`--force=yes`).
private func splitRule(_ rule: String) -> (name: String, value: String?) {
    if let eq = rule.firstIndex(of: "="), rule.hasPrefix("-") {
        return (String(rule[..<eq]), String(rule[rule.index(after: eq)...]))
    }
    return (rule, nil)
}

/// Is `s` a single-dash word (`-x`, `-rf`), not `--…` and not `-`?
@inline(__always) private func isShortForm(_ s: String) -> Bool {
    s.count >= 2 && s.hasPrefix("-") && !s.hasPrefix("--")
}

/// Does the option as written match `rule` (a spelling from deny_options/ask_options)?
/// - `--force` matches `--force`, `--force=x`, and any abbreviation `--f`, `--fo`, `--forc`
///   (deliberately any non-empty prefix, not only ≥ 3 letters: GNU `rm --f` is `rm --force`;
///   an ambiguous abbreviation makes the real program fail, so matching it costs nothing).
/// - `-r` matches `-r` and a cluster written as one option containing `r` (`-rf`); case matters.
/// - `-rf` (several letters after one dash) matches an option written exactly so, or a cluster
///   containing all its letters; `matchingOptions` also matches it across `-r -f`.
/// - `--opt=v` matches only when the option's value matches the glob `v`.
/// - anything else (`+x`, `-exec`) matches the written spelling exactly.
public func optionMatches(_ opt: ParsedOption, rule: String) -> Bool {
    let (name, wantValue) = splitRule(rule)
    if let wantValue {
        guard let v = opt.value, globMatch(wantValue, v) else { return false }
    }
    let sp = opt.spelling
    if sp == name { return true }
    if name.hasPrefix("--") && name.count > 2 {
        return sp.hasPrefix("--") && sp.count > 2 && name.hasPrefix(sp)
    }
    if isShortForm(name) && isShortForm(sp) {
        let letters = Set(sp.dropFirst())
        return name.dropFirst().allSatisfy { letters.contains($0) }
    }
    return false
}

/// All options of a command line (full argv without argv[0]) matching any of `rules`, in
/// order, each option once. Parses GNU-style with permutation (options after operands count,
/// as GNU getopt allows; nothing after `--` counts). Beyond `optionMatches`:
/// - a multi-letter single-dash rule (`-rf`) also matches when all its letters appear as
///   separate options (`-r -f`, `-f x -r`); all those options are returned;
/// - a long rule `--force` also matches a word written `-force` / `-force=x` (Go flag
///   package and similar accept a single dash).
public func matchingOptions(_ args: [String], rules: [String], withValue: Set<String>) -> [ParsedOption] {
    let parsed = parseArguments(args, withValue: withValue, stopAtFirstOperand: false)
    var hit = Set<Int>()  // positions in parsed.options
    let singleRules = rules.filter { !(isShortForm(splitRule($0).name) && splitRule($0).name.count > 2) }
    for (k, o) in parsed.options.enumerated() where singleRules.contains(where: { optionMatches(o, rule: $0) }) {
        hit.insert(k)
    }
    var extra: [ParsedOption] = []
    for rule in rules {
        let (name, wantValue) = splitRule(rule)
        if isShortForm(name) && name.count > 2 {
            // Written exactly so (`-rf`, find's `-delete`, `-exec`).
            var exact = false
            var seen = Set<Int>()
            for o in parsed.options where !seen.contains(o.index) {
                seen.insert(o.index)
                let w = args[o.index]
                let head = w.firstIndex(of: "=").map { String(w[..<$0]) } ?? w
                guard head == name else { continue }
                let v = head.count < w.count ? String(w.dropFirst(head.count + 1)) : o.value
                if let wantValue { guard let v, globMatch(wantValue, v) else { continue } }
                exact = true
                extra.append(ParsedOption(spelling: name, value: v, index: o.index))
            }
            if exact || wantValue != nil { continue }
            // A cluster rule (distinct letters) across separate options: `-r -f` for `-rf`.
            let letters = Array(name.dropFirst())
            guard Set(letters).count == letters.count else { continue }
            var ks: [Int] = []
            var all = true
            for c in name.dropFirst() {
                let sp = "-" + String(c)
                let found = parsed.options.indices.filter { parsed.options[$0].spelling == sp }
                if found.isEmpty { all = false; break }
                ks += found
            }
            if all { hit.formUnion(ks) }
        }
        if name.hasPrefix("--") && name.count > 3 {
            let single = String(name.dropFirst())
            var seen = Set<Int>()
            for o in parsed.options where isShortForm(args[o.index]) && !seen.contains(o.index) {
                seen.insert(o.index)
                let w = args[o.index]
                let head = w.firstIndex(of: "=").map { String(w[..<$0]) } ?? w
                guard head == single else { continue }
                let v = head.count < w.count ? String(w.dropFirst(head.count + 1)) : nil
                if let wantValue { guard let v, globMatch(wantValue, v) else { continue } }
                extra.append(ParsedOption(spelling: name, value: v, index: o.index))
            }
        }
    }
    var out = hit.sorted().map { parsed.options[$0] }
    for e in extra where !out.contains(where: { $0.index == e.index && $0.spelling == e.spelling }) { out.append(e) }
    out.sort { $0.index < $1.index }
    return out
}
