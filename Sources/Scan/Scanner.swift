// Scanning the code an interpreter is about to run: every scanner its language names, through the
// cache, within the language's time budget; then what the findings mean under the policy.

import CSys

/// Code an interpreter is about to run.
public struct CodeUnit: Sendable {
    public var language: ScanLanguage
    /// How findings name it: the script as the command named it, `-c`, `-e`, `<stdin>`.
    public var label: String
    public var bytes: [UInt8]
    public init(language: ScanLanguage, label: String, bytes: [UInt8]) {
        self.language = language; self.label = label; self.bytes = bytes
    }
}

/// What the scanners said about some code units.
public struct ScanReport: Sendable {
    public struct Entry: Sendable {
        public var language: ScanLanguage
        public var finding: Finding
        public init(language: ScanLanguage, finding: Finding) { self.language = language; self.finding = finding }
    }
    public struct Failure: Sendable {
        public var language: ScanLanguage
        public var failure: ScanFailure
        public init(language: ScanLanguage, failure: ScanFailure) { self.language = language; self.failure = failure }
    }
    public var findings: [Entry] = []
    /// Required scanners that could not give a result.
    public var failures: [Failure] = []
    /// Optional scanners not installed ("bandit").
    public var skipped: [String] = []
    /// Scanners that gave a result (run now or answered from the cache), in order, unique.
    public var scanners: [String] = []
    public var cacheHits = 0
    public var cacheMisses = 0
    public var durationNS: Int64 = 0
    public init() {}

    /// `hit` (every result from the cache), `miss` (none), `partial`, or `off` (no cache).
    public func cacheState(enabled: Bool) -> String {
        if !enabled { return "off" }
        if cacheMisses == 0 && cacheHits > 0 { return "hit" }
        if cacheHits == 0 { return "miss" }
        return "partial"
    }
}

public final class CodeScanner {
    public let config: ScanConfig
    public let cache: ScanCache?
    let context: RunnerContext

    public init(config: ScanConfig, cache: ScanCache?, context: RunnerContext) {
        self.config = config; self.cache = cache; self.context = context
    }

    /// Runs every scanner each unit's language names. Units in languages without a [scan.<lang>]
    /// table are not scanned.
    public func scan(_ units: [CodeUnit]) -> ScanReport {
        var report = ScanReport()
        let start = aegish_monotonic_ns()
        for unit in units {
            guard let lc = config.languages[unit.language] else { continue }
            let deadline = aegish_monotonic_ns() + Int64(lc.timeoutMS) * 1_000_000
            for name in lc.allScanners {
                let required = lc.scanners.contains(name)
                switch run(name, on: unit, deadline: deadline, report: &report) {
                case .success(let findings):
                    if !report.scanners.contains(name) { report.scanners.append(name) }
                    report.findings += findings.map { ScanReport.Entry(language: unit.language, finding: $0) }
                case .failure(let f):
                    if !required && f.kind == .missing {
                        if !report.skipped.contains(name) { report.skipped.append(name) }
                    } else {
                        report.failures.append(ScanReport.Failure(language: unit.language, failure: f))
                    }
                }
            }
        }
        report.durationNS = aegish_monotonic_ns() - start
        return report
    }

    private func run(_ name: String, on unit: CodeUnit, deadline: Int64, report: inout ScanReport) -> Result<[Finding], ScanFailure> {
        if name == ScannerSpec.builtinName {
            guard unit.bytes.count <= config.builtinMaxBytes else {
                return .failure(ScanFailure(scanner: name, kind: .failed,
                                            message: "\(unit.label) is \(unit.bytes.count) bytes, more than the built-in layer reads (scan.builtin_max_bytes = \(config.builtinMaxBytes)); split the code or raise the limit"))
            }
            let fingerprint = "builtin\u{0}\(BuiltinScanner.version)\u{0}\(unit.language.rawValue)"
            return cached(fingerprint, unit, name, &report) {
                .success(BuiltinScanner.scan(String(decoding: unit.bytes, as: UTF8.self), language: unit.language, file: unit.label))
            }
        }
        guard let spec = config.scanner(name) else {
            return .failure(ScanFailure(scanner: name, kind: .missing, message: "no scanner called \(name) is defined"))
        }
        guard let program = spec.command.first.flatMap({ context.resolve($0) }) else {
            return .failure(ScanFailure(scanner: name, kind: .missing,
                                        message: "\(spec.command.first ?? name) is not installed in the policy's search path (\(context.searchPath.joined(separator: ":"))); install it, or remove \(name) from scan.\(unit.language.rawValue).scanners"))
        }
        let dialect = unit.language == .shell ? shellDialect(unit.bytes) : ""
        var fingerprint = [name, spec.command.joined(separator: "\u{1}"), spec.format.rawValue,
                           spec.exitCodes.map(String.init).joined(separator: ","), program, fileIdentity(program), dialect]
        if let r = spec.rules { fingerprint += [r, fileIdentity(r)] }
        return cached(fingerprint.joined(separator: "\u{0}"), unit, name, &report) {
            runScanner(spec, code: unit.bytes, dialect: dialect, context: context, deadlineNS: deadline).flatMap {
                parseReport($0, format: spec.format, scanner: name, file: unit.label)
            }
        }
    }

    private func cached(_ fingerprint: String, _ unit: CodeUnit, _ scanner: String, _ report: inout ScanReport,
                        _ compute: () -> Result<[Finding], ScanFailure>) -> Result<[Finding], ScanFailure> {
        guard let cache else { return compute() }
        let key = ScanCache.key(fingerprint: fingerprint, code: unit.bytes)
        if let hit = cache.load(key, scanner: scanner, file: unit.label) {
            report.cacheHits += 1
            return .success(hit)
        }
        report.cacheMisses += 1
        let result = compute()
        if case .success(let findings) = result { cache.store(key, findings) }
        return result
    }
}

/// The dialect `{shell}` stands for: from the `#!` line (sh, bash, dash, ksh), sh otherwise.
func shellDialect(_ bytes: [UInt8]) -> String {
    guard bytes.starts(with: Array("#!".utf8)) else { return "sh" }
    let line = String(decoding: bytes.prefix(200).prefix { $0 != 10 }, as: UTF8.self)
    for d in ["bash", "dash", "ksh", "mksh"] where line.contains(d) { return d == "mksh" ? "ksh" : d }
    return "sh"
}

// MARK: - What the findings mean

/// The verdict on a report under the policy, and what to tell the agent.
public struct Assessment: Sendable {
    public var verdict: ScanVerdict
    /// The findings and failures that decided it (strongest first), as lines for the refusal.
    public var reasons: [String]
    /// `scan.<scanner>.<rule>` of the first deciding finding, or `scan.error.<scanner>`.
    public var rule: String
}

public func assess(_ report: ScanReport, config: ScanConfig) -> Assessment {
    var deciding: [(ScanVerdict, String, String)] = []   // (verdict, rule, line)
    for e in report.findings {
        guard let lc = config.languages[e.language] else { continue }
        let v = lc.verdict(for: e.finding)
        if v != .allow { deciding.append((v, "scan.\(e.finding.scanner).\(e.finding.rule)", e.finding.description)) }
    }
    for f in report.failures {
        let v = config.languages[f.language]?.onError ?? .deny
        let what: String
        switch f.failure.kind {
        case .timeout: what = "\(f.failure.scanner) \(f.failure.message) (scan.\(f.language.rawValue).timeout_ms)"
        default: what = f.failure.description
        }
        deciding.append((v, "scan.error.\(f.failure.scanner)", "scanner failed: " + what))
    }
    guard let top = deciding.map(\.0).max() else { return Assessment(verdict: .allow, reasons: [], rule: "scan") }
    let strongest = deciding.filter { $0.0 == top }
    return Assessment(verdict: top, reasons: strongest.map(\.2), rule: strongest[0].1)
}
