// The [scan] table in the compiled-policy cache (CachePolicy.swift): written after everything
// else in a policy record, read back the same way; anything malformed makes the whole cache
// unusable (the slow path), as for the rest of the format.

import Scan

extension CacheWriter {
    mutating func scan(_ s: ScanConfig?) {
        guard let s else { int(0); return }
        int(1)
        optString(s.cacheDirectory); int(s.unseenStdin.rawValue); int(s.builtinMaxBytes)
        let scanners = s.scanners.sorted { $0.key < $1.key }
        int(scanners.count)
        for (_, spec) in scanners {
            string(spec.name); strings(spec.command); string(spec.format.rawValue)
            strings(spec.exitCodes.map { String($0) }); optString(spec.rules)
        }
        let languages = ScanLanguage.allCases.filter { s.languages[$0] != nil }
        int(languages.count)
        for lang in languages {
            let l = s.languages[lang]!
            string(lang.rawValue); strings(l.scanners); strings(l.optional); int(l.timeoutMS); int(l.onError.rawValue)
            strings(l.severity.map { String($0.rawValue) }); int(l.minConfidence.rawValue)
            int(l.rules.count)
            for r in l.rules { string(r.pattern); int(r.verdict.rawValue) }
        }
        guard let p = s.packages else { int(0); return }
        int(1)
        string(p.popularDirectory); int(p.typosquat.rawValue); int(p.notListed.rawValue); int(p.onError.rawValue)
        let lists = Ecosystem.allCases.filter { p.allow[$0] != nil }
        int(lists.count)
        for e in lists { string(e.rawValue); strings(p.allow[e]!) }
    }
}

extension CacheReader {
    /// nil: malformed; .some(nil): the policy has no [scan].
    mutating func scan() -> ScanConfig?? {
        switch int() {
        case 0: return .some(nil)
        case 1: break
        default: return nil
        }
        func verdict(_ v: Int?) -> ScanVerdict? { v.flatMap(ScanVerdict.init(rawValue:)) }
        var s = ScanConfig()
        guard let dir = optString(), let unseen = verdict(int()), let maxBytes = int(), let scannerCount = count() else { return nil }
        s.cacheDirectory = dir; s.unseenStdin = unseen; s.builtinMaxBytes = maxBytes
        for _ in 0..<scannerCount {
            guard let name = string(), let command = strings(), let format = string().flatMap(ReportFormat.init(rawValue:)),
                  let codes = strings(), let rules = optString() else { return nil }
            var spec = ScannerSpec(name: name, command: command, format: format)
            let exit = codes.compactMap { Int32($0) }
            guard exit.count == codes.count else { return nil }
            spec.exitCodes = exit
            spec.rules = rules
            s.scanners[name] = spec
        }
        guard let languageCount = count() else { return nil }
        for _ in 0..<languageCount {
            guard let lang = string().flatMap(ScanLanguage.init(rawValue:)), let scanners = strings(), let optional = strings(),
                  let timeout = int(), let onError = verdict(int()), let severity = strings(),
                  let minConfidence = int().flatMap(Severity.init(rawValue:)), let ruleCount = count() else { return nil }
            var l = LanguageScan()
            l.scanners = scanners; l.optional = optional; l.timeoutMS = timeout; l.onError = onError
            let sev = severity.compactMap { Int($0).flatMap(ScanVerdict.init(rawValue:)) }
            guard sev.count == 3 else { return nil }
            l.severity = sev
            l.minConfidence = minConfidence
            for _ in 0..<ruleCount {
                guard let pattern = string(), let v = verdict(int()) else { return nil }
                l.rules.append(RuleVerdict(pattern: pattern, verdict: v))
            }
            s.languages[lang] = l
        }
        switch int() {
        case 0: s.packages = nil
        case 1:
            var p = PackageScan()
            guard let dir = string(), let t = verdict(int()), let n = verdict(int()), let e = verdict(int()),
                  let listCount = count() else { return nil }
            p.popularDirectory = dir; p.typosquat = t; p.notListed = n; p.onError = e
            for _ in 0..<listCount {
                guard let eco = string().flatMap(Ecosystem.init(rawValue:)), let names = strings() else { return nil }
                p.allow[eco] = names
            }
            s.packages = p
        default: return nil
        }
        return .some(s)
    }
}
