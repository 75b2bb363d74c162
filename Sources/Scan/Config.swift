// What the policy's [scan] table says, as plain values (loaded and validated by
// Policy/LoadScan.swift, like AuditConfig and LimitConfig). Nothing here touches the file system.

/// allow < ask < deny, as the policy's verdicts (Scan does not import Policy: Policy imports it).
public enum ScanVerdict: Int, Comparable, Sendable, CustomStringConvertible {
    case allow = 0, ask = 1, deny = 2
    public static func < (a: ScanVerdict, b: ScanVerdict) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
        switch self { case .allow: return "allow"; case .ask: return "ask"; case .deny: return "deny" }
    }
    public init?(_ s: String) {
        switch s { case "allow": self = .allow; case "ask": self = .ask; case "deny": self = .deny; default: return nil }
    }
}

/// A finding's severity or a scanner's confidence in it: low < medium < high.
public enum Severity: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case low = 0, medium = 1, high = 2
    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
        switch self { case .low: return "low"; case .medium: return "medium"; case .high: return "high" }
    }
    public init?(_ s: String) {
        switch s { case "low": self = .low; case "medium": self = .medium; case "high": self = .high; default: return nil }
    }
}

/// The languages code is scanned in. `node` is JavaScript run by node (or deno/bun).
public enum ScanLanguage: String, CaseIterable, Sendable {
    case python, node, perl, ruby, shell

    var slot: Int {
        switch self {
        case .python: return 0
        case .node: return 1
        case .perl: return 2
        case .ruby: return 3
        case .shell: return 4
        }
    }
}

/// Settings per language, looked up like a dictionary. A fixed array rather than a
/// `[ScanLanguage: LanguageScan]`: a dictionary keyed by this enum costs every start a search of
/// the whole binary's protocol conformances for its Hashable witness (about 45 µs with
/// Foundation linked in), and the shell reads this table at every start.
public struct LanguageTable: Equatable, Sendable {
    private var slots: [LanguageScan?] = [nil, nil, nil, nil, nil]
    public init() {}
    public subscript(_ language: ScanLanguage) -> LanguageScan? {
        get { slots[language.slot] }
        set { slots[language.slot] = newValue }
    }
}

/// How a scanner reports its findings on standard output.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// `bandit -f json`
    case bandit
    /// `shellcheck -f json1`
    case shellcheck
    /// `semgrep --json`
    case semgrep
    /// SARIF 2.1.0 (most analysers: `--sarif`, `-f sarif`)
    case sarif
    /// A JSON array (or an object with `findings`/`results`/`issues`) of objects with
    /// line, rule, severity, message (see aegish-allowlist(5))
    case json
}

/// An external scanner: a command that reads one file and reports findings.
public struct ScannerSpec: Equatable, Sendable {
    public var name: String
    /// argv; `{file}` is replaced by the file to scan (a sealed copy, `/dev/fd/3`), `{rules}` by
    /// `rules`, `{shell}` by the script's shell dialect (sh, bash, dash, ksh). argv[0] is looked up
    /// in the policy's search path.
    public var command: [String]
    public var format: ReportFormat
    /// Exit statuses meaning "ran" (with or without findings); any other is a failure.
    public var exitCodes: [Int32] = [0, 1]
    /// The rules file `{rules}` stands for (semgrep).
    public var rules: String? = nil
    public init(name: String, command: [String], format: ReportFormat) {
        self.name = name; self.command = command; self.format = format
    }

    /// The name of aegish's own first layer (no external tool).
    public static let builtinName = "builtin"

    /// The scanners aegish knows how to run without a [scan.scanner.NAME] table.
    public static func standard(_ name: String) -> ScannerSpec? {
        switch name {
        case "bandit":
            // -q: no banner on stderr. Bandit 1.6 reports syntax errors in "errors".
            return ScannerSpec(name: name, command: ["bandit", "-q", "-f", "json", "{file}"], format: .bandit)
        case "shellcheck":
            // --norc: ~/.shellcheckrc belongs to the governed user and could switch checks off.
            return ScannerSpec(name: name, command: ["shellcheck", "--norc", "-s", "{shell}", "-f", "json1", "{file}"],
                               format: .shellcheck)
        case "semgrep":
            var s = ScannerSpec(name: name, command: ["semgrep", "scan", "--json", "--quiet", "--metrics=off",
                                                      "--disable-version-check", "--scan-unknown-extensions",
                                                      "--config", "{rules}", "{file}"], format: .semgrep)
            s.rules = nil
            return s
        default:
            return nil
        }
    }
}

/// A finding's verdict chosen by its rule id: `pattern` is a rule id (`B602`), a scanner-qualified
/// id (`bandit.B602`, `builtin.py.eval`) or a prefix ending in `*` (`B3*`, `builtin.secret.*`).
public struct RuleVerdict: Equatable, Sendable {
    public var pattern: String
    public var verdict: ScanVerdict
    public init(pattern: String, verdict: ScanVerdict) { self.pattern = pattern; self.verdict = verdict }

    func matches(scanner: String, rule: String) -> Bool {
        let full = scanner + "." + rule
        if pattern.hasSuffix("*") {
            let prefix = pattern.dropLast()
            return rule.hasPrefix(prefix) || full.hasPrefix(prefix)
        }
        return pattern == rule || pattern == full
    }
}

/// `[scan.<language>]`: which scanners run on code in this language and what their findings mean.
public struct LanguageScan: Equatable, Sendable {
    /// Required scanners: each must run; missing, crashed or timed out → `onError`.
    public var scanners: [String] = [ScannerSpec.builtinName]
    /// Scanners used when installed (skipped, and logged as skipped, when not found).
    public var optional: [String] = []
    /// Time budget for all external scanners of one command.
    public var timeoutMS: Int = 10_000
    /// A required scanner that is missing, fails or runs out of time.
    public var onError: ScanVerdict = .deny
    /// Verdict by severity, indexed by `Severity.rawValue` (low, medium, high).
    public var severity: [ScanVerdict] = [.allow, .ask, .deny]
    /// Findings the scanner itself is less sure of than this are allowed (logged all the same).
    public var minConfidence: Severity = .low
    /// Verdicts by rule id; the first matching entry wins over `severity`.
    public var rules: [RuleVerdict] = []
    public init() {}

    /// Every scanner this language may run: required first, then optional.
    public var allScanners: [String] { scanners + optional.filter { !scanners.contains($0) } }

    /// What one finding means under this configuration.
    public func verdict(for f: Finding) -> ScanVerdict {
        if let r = rules.first(where: { $0.matches(scanner: f.scanner, rule: f.rule) }) { return r.verdict }
        if let c = f.confidence, c < minConfidence { return .allow }
        return severity[f.severity.rawValue]
    }
}

/// Package ecosystems whose installs are checked.
public enum Ecosystem: String, CaseIterable, Sendable, CustomStringConvertible {
    case pypi, npm, crates, rubygems, go, apt
    public var description: String {
        switch self {
        case .pypi: return "PyPI"; case .npm: return "npm"; case .crates: return "crates.io"
        case .rubygems: return "RubyGems"; case .go: return "Go"; case .apt: return "Debian"
        }
    }
    /// Ecosystems with a bundled list of popular names (typosquat detection).
    public var hasPopularList: Bool { self == .pypi || self == .npm || self == .crates || self == .rubygems }
}

/// `[scan.packages]`: names an agent installs.
public struct PackageScan: Equatable, Sendable {
    /// Where `<ecosystem>.txt` lists of popular names are (one name a line, most popular first).
    public var popularDirectory: String = "/usr/local/share/aegish/popular"
    /// A name close to a popular one (edits, separator or look-alike swap) and not itself popular.
    public var typosquat: ScanVerdict = .ask
    /// Per-ecosystem allowlists; an ecosystem with a list allows only its names.
    public var allow: [Ecosystem: [String]] = [:]
    /// A name not on its ecosystem's allowlist.
    public var notListed: ScanVerdict = .deny
    /// The popular list or a requirements file cannot be read.
    public var onError: ScanVerdict = .deny
    public init() {}
}

public struct ScanConfig: Equatable, Sendable {
    /// Scan results by content hash; root:aegish 2770 like the audit log. nil: no cache.
    public var cacheDirectory: String? = nil
    public var languages = LanguageTable()
    /// `[scan.scanner.NAME]`: scanners defined or redefined by the policy.
    public var scanners: [String: ScannerSpec] = [:]
    /// nil: package installs are not checked (`[scan.packages] enabled = false`).
    public var packages: PackageScan? = PackageScan()
    /// Code an interpreter reads from standard input that aegish cannot see (a pipe, a file,
    /// a terminal) — only a here-document or here-string is visible.
    public var unseenStdin: ScanVerdict = .deny
    /// The built-in layer reads at most this much code; more is a scanner error.
    public var builtinMaxBytes: Int = 1 << 20
    public init() {}

    /// The scanner called `name`: the policy's definition, else a standard one.
    public func scanner(_ name: String) -> ScannerSpec? {
        scanners[name] ?? ScannerSpec.standard(name)
    }
}
