import Glibc
import Interp
import Policy
import Scan
import Audit

// The scan step of EnforcingGate (issue 8), after the policy allowed or asked about a request:
//   - an exec of an interpreter that runs code — a script file, inline code (`-c`, `-e`), or a
//     here-document/here-string on standard input — has that code scanned by the scanners the
//     policy names for its language (Scan.CodeScanner); paths and hosts the built-in layer found
//     are checked with the engine's own path and host rules;
//   - an exec that installs packages has their names checked (allowlists, typosquats);
//   - `bash x.sh` / `source x.sh` (a `.source` request) has the script scanned when [scan.shell]
//     names scanners (aegish checks every command in it anyway).
// Wrappers (`sudo`, `env`, `timeout` …) are looked through with the policy's own analysis.
// What it found goes into the decision's audit record (scan.* fields).

final class ScanStep {
    /// The policy's [scan] table, decoded at the first command that could need it (from the
    /// compiled-policy cache it is still undecoded at start). If it cannot be decoded (a damaged
    /// cache), every language and install counts as scanned, and check refuses what it finds.
    private(set) lazy var config: ScanConfig = loadConfig()
    private let source: () -> ScanConfig?
    private var damaged = false
    let engine: PolicyEngine
    /// Set up at the first scan, not at every start (most commands run no interpreter): the
    /// cache directory's ownership walk is paid only by a session that scans something.
    private(set) lazy var scanner: CodeScanner = makeScanner()
    private let checkUID: uid_t
    private(set) lazy var popular: PopularLists? = config.packages.map { [checkUID] p in
        PopularLists(directory: p.popularDirectory, trustProblem: { policyWritableBy(checkUID, path: $0) })
    }
    /// Why the cache is not used, said once (at the first scan).
    private var cacheProblem: String?
    let warn: (String) -> Void

    /// The verdict (nil: nothing was scanned or checked) and the audit fields.
    struct Outcome {
        var decision: Decision?
        var fields: [(String, AuditValue)]
    }

    /// Scripts larger than this are not read (a scanner error).
    static let maxScriptBytes = 16 << 20

    init(source: @escaping () -> ScanConfig?, engine: PolicyEngine, checkUID: uid_t, warn: @escaping (String) -> Void) {
        self.source = source
        self.engine = engine
        self.warn = warn
        self.checkUID = checkUID
    }

    convenience init(config: ScanConfig, engine: PolicyEngine, checkUID: uid_t, warn: @escaping (String) -> Void) {
        self.init(source: { config }, engine: engine, checkUID: checkUID, warn: warn)
    }

    private func loadConfig() -> ScanConfig {
        if let c = source() { return c }
        damaged = true
        var all = ScanConfig()
        for l in ScanLanguage.allCases { all.languages[l] = LanguageScan() }
        return all
    }

    private func makeScanner() -> CodeScanner {
        var cache: ScanCache? = nil
        if let dir = config.cacheDirectory {
            var st = stat()
            if stat(dir, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR {
                cacheProblem = "the scan cache directory \(dir) does not exist"
            } else if let why = directoryWritableBy(checkUID, path: dir) {
                cacheProblem = "the scan cache directory \(dir) is not protected from the governed user (\(why))"
            } else {
                cache = ScanCache(directory: dir)
            }
        }
        let engineRef = engine
        let context = RunnerContext(searchPath: engine.settings.searchPath,
                                    trustProblem: { [engineRef] p in engineRef.programTrustProblem(p) })
        return CodeScanner(config: config, cache: cache, context: context)
    }

    /// For `allowed`: what is scanned, so the agent knows before it runs code.
    func summary() -> String {
        var s = ""
        for l in ScanLanguage.allCases {
            guard let lc = config.languages[l] else { continue }
            var names = lc.scanners
            names += lc.optional.map { $0 + " (if installed)" }
            s += "scan \(l.rawValue): code is scanned before it runs by " + names.joined(separator: ", ") + "\n"
        }
        if config.packages != nil { s += "scan packages: install names are checked (allowlists, typosquats)\n" }
        return s
    }

    func check(_ r: GateRequest) -> Outcome {
        var units: [CodeUnit] = []
        var unseen: [String] = []
        var install = PackageInstall()
        var installs = 0
        var problems: [(ScanLanguage, String)] = []   // scripts that could not be read
        switch r.action {
        case .exec:
            for (argv, sharesStdin) in effectiveCommands(r.argv) {
                // The install first: it is recognised by name, and the table is needed only then.
                if let p = packageInstall(argv, cwd: r.cwd), config.packages != nil {
                    install.requests += p.requests
                    install.problems += p.problems
                    installs += 1
                }
                collectCode(argv, r, stdin: sharesStdin ? r.stdinText : nil, &units, &unseen, &problems)
            }
        case .source:
            if config.languages[.shell] != nil { read(r.path, label: r.path, .shell, &units, &problems) }
        default:
            break
        }
        if units.isEmpty && unseen.isEmpty && installs == 0 && problems.isEmpty { return Outcome(decision: nil, fields: []) }
        if damaged {
            return Outcome(decision: Decision(.deny, rule: "scan", "the compiled policy's [scan] table cannot be read (a damaged "
                                              + "cache file in the policy cache directory); delete it and run the command again"),
                           fields: [])
        }

        var fields: [(String, AuditValue)] = []
        var verdicts: [(ScanVerdict, String, [String])] = []   // (verdict, rule, reasons)
        var lines: [String] = []
        if !units.isEmpty || !problems.isEmpty {
            let scanner = self.scanner   // set up now (and with it cacheProblem)
            if let why = cacheProblem {
                warn("aegish: warning: \(why); scan results are not cached (see aegish-audit(5), DEPLOYMENT)")
                cacheProblem = nil
            }
            var report = units.isEmpty ? ScanReport() : scanner.scan(units)
            resolveSubjects(&report, cwd: r.cwd)
            for (l, p) in problems {
                report.failures.append(ScanReport.Failure(language: l, failure: ScanFailure(scanner: "aegish", kind: .unreadable, message: p)))
            }
            let a = assess(report, config: config)
            if a.verdict != .allow { verdicts.append((a.verdict, a.rule, a.reasons)) }
            for e in report.findings {
                let v = config.languages[e.language]?.verdict(for: e.finding) ?? .deny
                lines.append("\(e.finding.description) [\(v)]")
            }
            fields.append(("scan.scanners", .strings(report.scanners)))
            fields.append(("scan.cache", .string(report.cacheState(enabled: scanner.cache != nil))))
            fields.append(("scan.duration_ms", .int(Int(report.durationNS / 1_000_000))))
            if !report.failures.isEmpty { fields.append(("scan.errors", .strings(report.failures.map { $0.failure.description }))) }
            if !report.skipped.isEmpty { fields.append(("scan.skipped", .strings(report.skipped))) }
        }
        for what in unseen {
            verdicts.append((config.unseenStdin, "scan.unseen-stdin",
                             ["\(what) reads its program from standard input, which aegish cannot see (only a here-document or here-string is visible); write the code to a file and run that, or feed it with <<'EOF'"]))
        }
        if installs > 0, let packages = config.packages, let popular {
            let a = assessPackages(install, config: packages, lists: popular)
            if a.verdict != .allow { verdicts.append((a.verdict, a.rule, a.reasons)) }
            fields.append(("scan.packages", .strings(install.requests.map { "\($0.ecosystem.rawValue):\($0.name)" })))
            lines += a.reasons.map { "packages: \($0) [\(a.verdict)]" }
        }
        if !lines.isEmpty { fields.append(("scan.findings", .strings(Array(lines.prefix(50))))) }
        guard let top = verdicts.map(\.0).max() else {
            fields.insert(("scan.verdict", AuditValue.string("allow")), at: 0)
            return Outcome(decision: Decision(.allow, rule: "scan", ""), fields: fields)
        }
        fields.insert(("scan.verdict", AuditValue.string("\(top)")), at: 0)
        let deciding = verdicts.filter { $0.0 == top }
        let reasons = deciding.flatMap(\.2)
        var text = reasons.prefix(5).joined(separator: "; ")
        if reasons.count > 5 { text += "; and \(reasons.count - 5) more" }
        let advice = top == .deny ? " — fix the code (or the command) and run it again" : ""
        return Outcome(decision: Decision(Verdict(rawValue: top.rawValue)!, rule: deciding[0].1, text + advice), fields: fields)
    }

    /// The command and every command it runs in turn through wrappers (`sudo pip …`, `env python3 …`),
    /// each with whether it reads the same standard input (not below xargs, which consumes it).
    private func effectiveCommands(_ argv: [String], sharesStdin: Bool = true, depth: Int = 0) -> [([String], Bool)] {
        guard !argv.isEmpty, depth < 8 else { return [] }
        var out = [(argv, sharesStdin)]
        let shares = sharesStdin && !argv[0].hasSuffix("xargs")
        for inner in innerCommands(argv) {
            if case .argv(let a, _) = inner { out += effectiveCommands(a, sharesStdin: shares, depth: depth + 1) }
        }
        return out
    }

    /// The code `argv` makes an interpreter run, in a language the policy scans.
    private func collectCode(_ argv: [String], _ r: GateRequest, stdin: String?, _ units: inout [CodeUnit], _ unseen: inout [String],
                             _ problems: inout [(ScanLanguage, String)]) {
        var language = interpreterLanguage(argv[0])
        var args = Array(argv.dropFirst())
        if language == nil, argv[0].contains("/") {
            // A script run through its #! line: the interpreter runs the file. Programs in the
            // policy's search path are installed tools, not the agent's code: not read.
            let path = argv[0].hasPrefix("/") ? argv[0] : r.cwd + "/" + argv[0]
            // The text before the last "/" (not split/joined: that generic path costs a start
            // a search of the binary's conformances).
            let dir = path.utf8.lastIndex(of: 0x2F).map { String(path[..<$0]) } ?? ""
            if !engine.settings.searchPath.contains(dir), let l = shebangLanguage(path), config.languages[l] != nil {
                read(path, label: argv[0], l, &units, &problems)
                return
            }
        }
        var inlineFound = false
        for inner in innerCommands(argv) {
            guard case .inlineCode(let lang, let code) = inner, let l = scanLanguage(inline: lang) else { continue }
            inlineFound = true
            language = l
            guard config.languages[l] != nil else { continue }
            if code == "-" {
                if let text = stdin {
                    units.append(CodeUnit(language: l, label: "<stdin>", bytes: Array(text.utf8)))
                } else {
                    unseen.append(argv[0])
                }
            } else {
                units.append(CodeUnit(language: l, label: l == .python ? "-c" : "-e", bytes: Array(code.utf8)))
            }
        }
        guard !inlineFound, let l = language, config.languages[l] != nil else { return }
        if l == .node, ["deno", "bun"].contains(argv[0]) { args = [] }
        if let (path, label) = scriptFile(l, args, cwd: r.cwd) { read(path, label: label, l, &units, &problems) }
    }

    private func read(_ path: String, label: String, _ language: ScanLanguage, _ units: inout [CodeUnit], _ problems: inout [(ScanLanguage, String)]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            if errno != ENOENT { problems.append((language, "\(label) cannot be read to be scanned (\(String(cString: strerror(errno))))")) }
            return
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            problems.append((language, "\(label) is not a regular file; only files can be scanned before they run"))
            return
        }
        guard st.st_size <= ScanStep.maxScriptBytes else {
            problems.append((language, "\(label) is larger than \(ScanStep.maxScriptBytes >> 20) MiB; it is not scanned, so it does not run"))
            return
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            off += n
        }
        units.append(CodeUnit(language: language, label: label, bytes: Array(bytes[0..<off])))
    }

    /// The built-in layer's paths and hosts, decided by the policy: allowed ones are dropped, the
    /// others become findings (deny → high, ask → medium) with the policy's reason.
    private func resolveSubjects(_ report: inout ScanReport, cwd: String) {
        report.findings = report.findings.compactMap { e in
            guard let subject = e.finding.subject else { return e }
            let d: Decision
            switch subject {
            case .writes(let p): d = engine.decideCodeWrite(p, cwd: cwd)
            case .contacts(let h): d = engine.decideCodeContact(h)
            }
            if d.verdict == .allow { return nil }
            var f = e.finding
            f.severity = d.verdict == .deny ? .high : .medium
            f.message += " (\(d.ruleID): \(d.reason))"
            return ScanReport.Entry(language: e.language, finding: f)
        }
    }
}
