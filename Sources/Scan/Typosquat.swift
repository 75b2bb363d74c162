// Package names checked before an install: the policy's allowlist for the ecosystem when it has
// one; otherwise a name that is not itself popular but looks like a popular one — one or two
// edits away (Damerau-Levenshtein: insert, delete, substitute, swap two neighbours), the same but
// for separators (`-`, `_`, `.`), or the same after look-alike swaps (0/o, 1/l/i, rn/m) — is
// flagged. The popular lists are files (data/popular/<ecosystem>.txt, one name a line, most
// popular first, see scripts/popular-packages), read only when an install is decided.

import Glibc

/// A popular-names list. Looking a name up needs only the rank table; the indexes for the
/// look-alike comparisons are built the first time a name is not itself popular.
public final class PopularList {
    let ecosystem: Ecosystem
    /// Normalised name → rank (0 = most popular).
    let rank: [String: Int]
    private var indexes: (byLength: [Int: [String]], skeletons: [String: String], lookalikes: [String: String])?

    init(names: [String], ecosystem: Ecosystem) {
        self.ecosystem = ecosystem
        var rank: [String: Int] = [:]
        rank.reserveCapacity(names.count)
        for (i, raw) in names.enumerated() {
            let n = normalizePackage(raw, ecosystem)
            if !n.isEmpty && rank[n] == nil { rank[n] = i }
        }
        self.rank = rank
    }

    public var count: Int { rank.count }

    /// Reads `<directory>/<ecosystem>.txt` (`#` comments and blank lines ignored).
    public static func load(directory: String, ecosystem: Ecosystem) -> PopularList? {
        guard let text = readSmallFile(directory + "/" + ecosystem.rawValue + ".txt", limit: 16 << 20) else { return nil }
        var names: [String] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            var l = line[...]
            while let last = l.last, last == 32 || last == 13 || last == 9 { l = l.dropLast() }
            if !l.isEmpty { names.append(String(decoding: l, as: UTF8.self)) }
        }
        return names.isEmpty ? nil : PopularList(names: names, ecosystem: ecosystem)
    }

    public func isPopular(_ name: String) -> Bool { rank[normalizePackage(name, ecosystem)] != nil }

    private func buildIndexes() -> (byLength: [Int: [String]], skeletons: [String: String], lookalikes: [String: String]) {
        if let i = indexes { return i }
        var byLength: [Int: [String]] = [:], skeletons: [String: String] = [:], look: [String: String] = [:]
        for (n, _) in rank.sorted(by: { $0.value < $1.value }) {
            byLength[n.count, default: []].append(n)
            let sk = skeleton(n)
            if skeletons[sk] == nil { skeletons[sk] = n }
            let lk = lookalike(n)
            if look[lk] == nil { look[lk] = n }
        }
        indexes = (byLength, skeletons, look)
        return indexes!
    }

    /// The popular name `name` imitates and how, nil when it imitates none (or is popular itself).
    public func resembles(_ name: String) -> (popular: String, how: String)? {
        let n = normalizePackage(name, ecosystem)
        guard !n.isEmpty, rank[n] == nil else { return nil }
        let ix = buildIndexes()
        if let p = ix.skeletons[skeleton(n)], p != n { return (p, "differs only in separators from") }
        if let p = ix.lookalikes[lookalike(n)], p != n { return (p, "differs only in look-alike characters from") }
        // Short names are too close to each other to judge by edits.
        guard n.count >= 4 else { return nil }
        var best: (String, Int, Int)? = nil   // (name, distance, rank)
        let maxDistance = n.count >= 8 ? 2 : 1
        let chars = Array(n.unicodeScalars)
        for len in max(1, n.count - maxDistance)...(n.count + maxDistance) {
            for p in ix.byLength[len] ?? [] {
                guard let r = rank[p], best.map({ r < $0.2 }) ?? true else { continue }
                let pc = Array(p.unicodeScalars)
                let limit = pc.count >= 8 ? maxDistance : 1
                if let d = editDistance(chars, pc, limit: limit) { best = (p, d, r) }
            }
        }
        guard let (p, d, _) = best else { return nil }
        return (p, d == 1 ? "is one edit away from" : "is two edits away from")
    }
}

/// How an ecosystem compares names: PyPI per PEP 503 (case, and runs of `-_.` are one separator),
/// crates.io treats `-` and `_` alike, npm and RubyGems by lower case.
public func normalizePackage(_ name: String, _ ecosystem: Ecosystem) -> String {
    // Names are ASCII in every registry but by mistake; bytes are much faster than Characters
    // for the 5000-name lists.
    var out: [UInt8] = []
    out.reserveCapacity(name.utf8.count)
    var lastSep = false
    for b in name.utf8 {
        guard b < 0x80 else { return normalizeUnicode(name, ecosystem) }
        let c = b >= 65 && b <= 90 ? b + 32 : b
        switch ecosystem {
        case .pypi where c == 45 || c == 95 || c == 46:          // - _ .
            if !lastSep { out.append(45) }
            lastSep = true
            continue
        case .crates where c == 95:
            out.append(45)
        default:
            out.append(c)
        }
        lastSep = false
    }
    return String(decoding: out, as: UTF8.self)
}

private func normalizeUnicode(_ name: String, _ ecosystem: Ecosystem) -> String {
    let lower = name.lowercased()
    switch ecosystem {
    case .pypi:
        var out = ""
        var lastSep = false
        for c in lower {
            if c == "-" || c == "_" || c == "." {
                if !lastSep { out.append("-") }
                lastSep = true
            } else {
                out.append(c); lastSep = false
            }
        }
        return out
    case .crates: return lower.replacingAll("_", with: "-")
    default: return lower
    }
}

/// Without separators: `python-dateutil` and `pythondateutil` meet.
func skeleton(_ n: String) -> String { String(n.filter { $0 != "-" && $0 != "_" && $0 != "." }) }

/// After look-alike swaps (0→o, 1/i→l, rn→m, vv→w): `c0lorama` meets `colorama`.
func lookalike(_ n: String) -> String {
    var s = n.replacingAll("rn", with: "m").replacingAll("vv", with: "w")
    s = String(s.map { c -> Character in
        switch c {
        case "0": return "o"
        case "1", "i", "|": return "l"
        default: return c
        }
    })
    return s
}

/// Optimal-string-alignment Damerau-Levenshtein distance when it is at most `limit`, else nil.
func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
    if abs(a.count - b.count) > limit { return nil }
    if a == b { return 0 }
    let n = a.count, m = b.count
    var prev2 = [Int](repeating: 0, count: m + 1)
    var prev = Array(0...m)
    var cur = [Int](repeating: 0, count: m + 1)
    for i in 1...n {
        cur[0] = i
        var rowMin = cur[0]
        for j in 1...max(m, 1) where m > 0 {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            cur[j] = v
            rowMin = min(rowMin, v)
        }
        if rowMin > limit { return nil }
        prev2 = prev; prev = cur
    }
    return prev[m] <= limit ? prev[m] : nil
}

// MARK: - Checking an install

/// The popular lists, loaded on first use (once per shell).
public final class PopularLists {
    let directory: String
    /// Why a list file cannot be trusted, nil when it can (checked when first loaded).
    let trustProblem: (String) -> String?
    private var loaded: [Ecosystem: PopularList] = [:]
    private var unreadable: Set<Ecosystem> = []

    public init(directory: String, trustProblem: @escaping (String) -> String?) {
        self.directory = directory; self.trustProblem = trustProblem
    }

    /// The list, or why it cannot be used. The file is checked with `trustProblem` (the governed
    /// user must not be able to change it, or the directories above it).
    func list(_ e: Ecosystem) -> (list: PopularList?, problem: String?) {
        if let l = loaded[e] { return (l, nil) }
        let file = directory + "/" + e.rawValue + ".txt"
        guard !unreadable.contains(e), let l = PopularList.load(directory: directory, ecosystem: e) else {
            unreadable.insert(e)
            return (nil, "\(file) cannot be read; install the popular-package lists (make install) or set scan.packages.popular_dir")
        }
        if let why = trustProblem(file) {
            return (nil, "\(file) cannot be trusted (\(why)); make it and its directories root-owned and not writable by the agent")
        }
        loaded[e] = l
        return (l, nil)
    }
}

/// The verdict on an install and the lines that explain it.
public func assessPackages(_ install: PackageInstall, config: PackageScan, lists: PopularLists) -> Assessment {
    var deciding: [(ScanVerdict, String, String)] = []
    for p in install.problems {
        deciding.append((config.onError, "scan.packages.error", "\(p); the packages it names cannot be checked"))
    }
    var seen: Set<String> = []
    for r in install.requests {
        guard seen.insert(r.ecosystem.rawValue + "\u{0}" + r.name).inserted else { continue }
        if let allowed = config.allow[r.ecosystem] {
            if !packageAllowed(r.name, allowed, r.ecosystem) {
                deciding.append((config.notListed, "scan.packages.not-listed",
                                 "\(r.name)\(from(r)) is not on the policy's \(r.ecosystem) allowlist (scan.packages.\(r.ecosystem.rawValue))"))
            }
            continue
        }
        guard r.ecosystem.hasPopularList else { continue }
        let (list, problem) = lists.list(r.ecosystem)
        if let problem { deciding.append((config.onError, "scan.packages.error", problem)) }
        if let list {
            if let (popular, how) = list.resembles(r.name) {
                deciding.append((config.typosquat, "scan.packages.typosquat",
                                 "\(r.name)\(from(r)) \(how) \(popular), a popular \(r.ecosystem) package, and is not itself popular: a typosquat? Did you mean \(popular)?"))
            }
        }
    }
    let relevant = deciding.filter { $0.0 != .allow }
    guard let top = relevant.map(\.0).max() else { return Assessment(verdict: .allow, reasons: [], rule: "scan.packages") }
    let strongest = relevant.filter { $0.0 == top }
    return Assessment(verdict: top, reasons: strongest.map(\.2), rule: strongest[0].1)
}

/// ` (requirements.txt:3)` for names read from a file; nothing for the command line.
private func from(_ r: PackageRequest) -> String { r.source == "command line" ? "" : " (\(r.source))" }

/// Is `name` on the allowlist? Go module paths also allow their subpackages (`golang.org/x/tools`
/// allows `golang.org/x/tools/cmd/goimports`).
func packageAllowed(_ name: String, _ allowed: [String], _ e: Ecosystem) -> Bool {
    let n = normalizePackage(name, e)
    for a in allowed {
        let p = normalizePackage(a, e)
        if p == n { return true }
        if e == .go && n.hasPrefix(p + "/") { return true }
    }
    return false
}
