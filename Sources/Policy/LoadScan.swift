// The [scan] table: scanning code before an allowed interpreter runs it, and package names
// before an install (Scan.ScanConfig). Everything the scanners will rely on is checked here, when
// the policy loads, with a line:column: an unknown scanner name, a semgrep without rules, a
// command without `{file}`. See man/aegish-allowlist.5, [scan].
//
//   [scan]                      cache_dir, unseen_stdin, builtin_max_bytes
//   [scan.<language>]           python, node, perl, ruby, shell: scanners, optional, timeout_ms,
//                               on_error, severity, min_confidence, rules
//   [scan.scanner.<name>]       command, format, exit_codes, rules
//   [scan.packages]             enabled, popular_dir, typosquat, not_listed, on_error, and an
//                               allowlist per ecosystem (pypi, npm, crates, rubygems, go, apt)

import Scan
import TOMLTree

private let scanKeys = ["cache_dir", "unseen_stdin", "builtin_max_bytes", "scanner", "packages"]
    + ScanLanguage.allCases.map(\.rawValue)
private let languageKeys = ["scanners", "optional", "timeout_ms", "on_error", "severity", "min_confidence", "rules"]
private let scannerKeys = ["command", "format", "exit_codes", "rules"]
private let packageKeys = ["enabled", "popular_dir", "typosquat", "not_listed", "on_error"] + Ecosystem.allCases.map(\.rawValue)

private func scanKeyHint(_ key: String) -> String? {
    switch key {
    case "cache", "cache_directory", "dir": return "use cache_dir = \"/var/lib/aegish/scan\""
    case "javascript", "js": return "JavaScript run by node is [scan.node]"
    case "sh", "bash": return "shell scripts are [scan.shell]"
    case "scanners": return "scanners are listed per language: [scan.python] scanners = [\"builtin\", \"bandit\"]"
    case "timeout_ms", "on_error", "severity", "rules": return "\"\(key)\" is set per language, in [scan.python] etc."
    case "typosquat", "popular_dir", "pypi", "npm": return "\"\(key)\" belongs in [scan.packages]"
    default: return nil
    }
}

extension PolicyReader {
    mutating func readScan(_ root: TOMLTable, into policy: inout Policy) {
        guard let t = singleTable(root, "scan", arrayHint: "write a single [scan] table, with [scan.python] etc. under it") else { return }
        let base: TOMLPath = [.key("scan")]
        let before = problems.count
        checkKeys(t, base, "[scan]", allowed: scanKeys, hint: scanKeyHint)
        var config = ScanConfig()
        if let d = absolutePath(t, "cache_dir", base + [.key("cache_dir")], "scan.cache_dir", file: false) {
            config.cacheDirectory = d
        }
        if let v = verdict(t, "unseen_stdin", base + [.key("unseen_stdin")], "scan.unseen_stdin") {
            config.unseenStdin = ScanVerdict(rawValue: v.rawValue)!
        }
        if let n = integer(t, "builtin_max_bytes", base + [.key("builtin_max_bytes")], "scan.builtin_max_bytes",
                           1...(64 << 20), unit: " bytes") {
            config.builtinMaxBytes = n
        }
        // Scanners first: the languages name them.
        if let scanners = table(t, "scanner", base + [.key("scanner")], "[scan.scanner]") {
            for name in scanners.keys {
                let p = base + [.key("scanner"), .key(name)]
                if name == ScannerSpec.builtinName || name.isEmpty || name.contains(where: { $0 == " " || $0 == "." }) {
                    problem(p, atKey: true, "[scan.scanner.\(name)]: \"\(name)\" cannot name a scanner; choose a name without spaces or dots, other than \"builtin\"")
                    continue
                }
                guard let st = table(scanners, name, p, "[scan.scanner.\(name)]") else { continue }
                if let spec = readScanner(st, name, p) { config.scanners[name] = spec }
            }
        }
        for lang in ScanLanguage.allCases {
            let p = base + [.key(lang.rawValue)]
            guard let lt = table(t, lang.rawValue, p, "[scan.\(lang.rawValue)]") else { continue }
            if let l = readLanguage(lt, lang, p, config: config) { config.languages[lang] = l }
        }
        if let pt = table(t, "packages", base + [.key("packages")], "[scan.packages]") {
            readPackages(pt, base + [.key("packages")], into: &config)
        }
        if problems.count == before { policy.scan = config }
    }

    private mutating func readScanner(_ t: TOMLTable, _ name: String, _ base: TOMLPath) -> ScannerSpec? {
        let label = "[scan.scanner.\(name)]"
        checkKeys(t, base, label, allowed: scannerKeys) { key in
            key == "args" || key == "cmd" ? "use command = [\"program\", \"--option\", \"{file}\"]" : nil
        }
        let standard = ScannerSpec.standard(name)
        var spec = standard ?? ScannerSpec(name: name, command: [], format: .json)
        let commandPath = base + [.key("command")]
        if let command = strings(t, "command", commandPath, "\(label) command") {
            if command.isEmpty || command[0].isEmpty {
                problem(commandPath, "\(label) command is empty; write the program and its arguments, with {file} for the file to scan")
            } else if !command.contains(where: { $0.contains("{file}") }) {
                problem(commandPath, "\(label) command has no {file}: aegish hands the code to the scanner as a file; add \"{file}\" where the scanner expects it")
            } else if let msg = command[0].hasPrefix("/") ? absolutePathProblem(command[0], file: true) : commandNameProblem(command[0]) {
                problem(commandPath + [.index(0)], "\(label) program \"\(command[0])\" \(msg)")
            } else {
                spec.command = command
            }
        } else if standard == nil {
            problem(base, atKey: true, "\(label) has no command; add command = [\"program\", \"--json\", \"{file}\"]")
        }
        let formats = ReportFormat.allCases.map(\.rawValue)
        if let f = choice(t, "format", base + [.key("format")], "\(label) format", formats,
                          help: "use one of \(formats.joined(separator: ", ")) (how the scanner reports on standard output)") {
            spec.format = ReportFormat(rawValue: f)!
        } else if standard == nil && t["format"] == nil {
            problem(base, atKey: true, "\(label) has no format; add format = \"sarif\" (or \(formats.filter { $0 != "sarif" }.joined(separator: ", ")))")
        }
        let codesPath = base + [.key("exit_codes")]
        if let v = t["exit_codes"] {
            if let a = v.array, a.allSatisfy({ $0.type == .int }) {
                let codes = a.compactMap { $0.int }
                if codes.isEmpty || codes.contains(where: { $0 < 0 || $0 > 255 }) {
                    problem(codesPath, "\(label) exit_codes must list statuses 0 to 255 (those meaning \"ran\", with or without findings)")
                } else {
                    spec.exitCodes = codes.map { Int32($0) }
                }
            } else {
                problem(codesPath, "\(label) exit_codes must be an array of integers (e.g. [0, 1])")
            }
        }
        if let r = absolutePath(t, "rules", base + [.key("rules")], "\(label) rules", file: true) { spec.rules = r }
        if spec.command.contains(where: { $0.contains("{rules}") }) && spec.rules == nil {
            problem(base, atKey: true, "\(label) uses {rules} but names no rules file; add rules = \"/etc/aegish/\(name).yml\"")
        }
        return spec.command.isEmpty ? nil : spec
    }

    private mutating func readLanguage(_ t: TOMLTable, _ lang: ScanLanguage, _ base: TOMLPath, config: ScanConfig) -> LanguageScan? {
        let label = "[scan.\(lang.rawValue)]"
        checkKeys(t, base, label, allowed: languageKeys) { key in
            switch key {
            case "timeout", "budget_ms", "time_budget_ms": return "use timeout_ms = 10000"
            case "scanner": return "use scanners = [\"builtin\", …]"
            case "required": return "scanners are required; list optional ones in optional = [\"bandit\"]"
            case "confidence": return "use min_confidence = \"medium\""
            default: return nil
            }
        }
        var l = LanguageScan()
        for key in ["scanners", "optional"] {
            let p = base + [.key(key)]
            guard let names = strings(t, key, p, "scan.\(lang.rawValue).\(key)") else { continue }
            for (i, n) in names.enumerated() {
                if n == ScannerSpec.builtinName {
                    if lang == .shell {
                        problem(p + [.index(i)], "scan.shell: the built-in layer has no shell rules (aegish parses and checks every shell command itself); use shellcheck")
                    }
                    continue
                }
                guard let spec = config.scanner(n) else {
                    problem(p + [.index(i)], "scan.\(lang.rawValue).\(key): unknown scanner \"\(n)\"; use builtin, bandit, shellcheck, semgrep, or define it in [scan.scanner.\(n)]")
                    continue
                }
                if spec.command.contains(where: { $0.contains("{rules}") }) && spec.rules == nil {
                    problem(p + [.index(i)], "scan.\(lang.rawValue).\(key): \(n) needs a rules file; add [scan.scanner.\(n)] rules = \"/etc/aegish/\(n).yml\"")
                }
            }
            if key == "scanners" { l.scanners = names } else { l.optional = names }
        }
        if t["scanners"] == nil && lang == .shell { l.scanners = [] }
        if l.scanners.isEmpty && l.optional.isEmpty {
            problem(base, atKey: true, "\(label) runs no scanner; add scanners = [\(lang == .shell ? "\"shellcheck\"" : "\"builtin\"")]")
        }
        if let ms = integer(t, "timeout_ms", base + [.key("timeout_ms")], "scan.\(lang.rawValue).timeout_ms", 1...600_000, unit: " ms") {
            l.timeoutMS = ms
        }
        if let v = verdict(t, "on_error", base + [.key("on_error")], "scan.\(lang.rawValue).on_error") {
            if v == .allow {
                problem(base + [.key("on_error")], "scan.\(lang.rawValue).on_error = \"allow\" would run code no scanner has looked at; use \"ask\" or \"deny\" (list a scanner you can do without in optional = […])")
            } else {
                l.onError = ScanVerdict(rawValue: v.rawValue)!
            }
        }
        if let sev = table(t, "severity", base + [.key("severity")], "scan.\(lang.rawValue).severity (e.g. severity = { high = \"deny\", medium = \"ask\", low = \"allow\" })") {
            for key in sev.keys {
                let p = base + [.key("severity"), .key(key)]
                guard let s = Severity(key) else {
                    problem(p, atKey: true, "scan.\(lang.rawValue).severity: unknown severity \"\(key)\"; use low, medium, high")
                    continue
                }
                if let v = verdict(sev, key, p, "scan.\(lang.rawValue).severity.\(key)") {
                    l.severity[s.rawValue] = ScanVerdict(rawValue: v.rawValue)!
                }
            }
        }
        if let c = choice(t, "min_confidence", base + [.key("min_confidence")], "scan.\(lang.rawValue).min_confidence",
                          ["low", "medium", "high"], help: "use low, medium or high") {
            l.minConfidence = Severity(c)!
        }
        if let rules = table(t, "rules", base + [.key("rules")], "scan.\(lang.rawValue).rules (e.g. rules = { B101 = \"allow\" })") {
            // Longest pattern first, so a specific rule id wins over a prefix.
            for key in rules.keys.sorted(by: { $0.count > $1.count || ($0.count == $1.count && $0 < $1) }) {
                let p = base + [.key("rules"), .key(key)]
                if key.isEmpty || key.dropLast().contains("*") || key.contains(" ") {
                    problem(p, atKey: true, "scan.\(lang.rawValue).rules: \"\(key)\" is not a rule id (\"B602\", \"bandit.B602\", \"builtin.py.eval\") or a prefix ending in *")
                    continue
                }
                if let v = verdict(rules, key, p, "scan.\(lang.rawValue).rules.\(key)") {
                    l.rules.append(RuleVerdict(pattern: key, verdict: ScanVerdict(rawValue: v.rawValue)!))
                }
            }
        }
        return l
    }

    private mutating func readPackages(_ t: TOMLTable, _ base: TOMLPath, into config: inout ScanConfig) {
        checkKeys(t, base, "[scan.packages]", allowed: packageKeys) { key in
            switch key {
            case "pip", "python": return "the PyPI allowlist is pypi = […]"
            case "cargo", "crates.io", "rust": return "the crates.io allowlist is crates = […]"
            case "gem", "gems", "ruby": return "the RubyGems allowlist is rubygems = […]"
            case "debian", "deb": return "the Debian allowlist is apt = […]"
            case "allow": return "allowlists are per ecosystem: pypi = […], npm = […] …"
            default: return nil
            }
        }
        var p = PackageScan()
        if let d = absolutePath(t, "popular_dir", base + [.key("popular_dir")], "scan.packages.popular_dir", file: false) {
            p.popularDirectory = d
        }
        for (key, apply) in [("typosquat", { (v: ScanVerdict, p: inout PackageScan) in p.typosquat = v }),
                             ("not_listed", { (v: ScanVerdict, p: inout PackageScan) in p.notListed = v }),
                             ("on_error", { (v: ScanVerdict, p: inout PackageScan) in p.onError = v })] {
            if let v = verdict(t, key, base + [.key(key)], "scan.packages.\(key)") { apply(ScanVerdict(rawValue: v.rawValue)!, &p) }
        }
        for e in Ecosystem.allCases {
            let path = base + [.key(e.rawValue)]
            guard let names = strings(t, e.rawValue, path, "scan.packages.\(e.rawValue)") else { continue }
            for (i, n) in names.enumerated() where n.isEmpty || n.contains(where: { $0 == " " || $0 == "=" || $0 == "@" && e != .npm || $0 == ">" || $0 == "<" }) {
                problem(path + [.index(i)], "scan.packages.\(e.rawValue): \"\(n)\" is not a package name (write the name without version or extras)")
            }
            p.allow[e] = names
        }
        let enabled = bool(t, "enabled", base + [.key("enabled")], "scan.packages.enabled") ?? true
        config.packages = enabled ? p : nil
    }
}
