// The [scan] table in the compiled-policy cache (CachePolicy.swift): written after everything
// else in a policy record, read back the same way; anything malformed makes the whole cache
// unusable (the slow path), as for the rest of the format.

import Scan

extension BlobWriter {
    mutating func scan(_ s: ScanConfig?) {
        guard let s else { u8(0); return }
        u8(1)
        optStr(s.cacheDirectory); i64(s.unseenStdin.rawValue); i64(s.builtinMaxBytes)
        let scanners = s.scanners.sorted { $0.key < $1.key }
        u32(scanners.count)
        for (_, spec) in scanners {
            str(spec.name); strs(spec.command); str(spec.format.rawValue)
            strs(spec.exitCodes.map { String($0) }); optStr(spec.rules)
        }
        let languages = ScanLanguage.allCases.filter { s.languages[$0] != nil }
        u32(languages.count)
        for lang in languages {
            let l = s.languages[lang]!
            str(lang.rawValue); strs(l.scanners); strs(l.optional); i64(l.timeoutMS); i64(l.onError.rawValue)
            strs(l.severity.map { String($0.rawValue) }); i64(l.minConfidence.rawValue)
            u32(l.rules.count)
            for r in l.rules { str(r.pattern); i64(r.verdict.rawValue) }
        }
        guard let p = s.packages else { u8(0); return }
        u8(1)
        str(p.popularDirectory); i64(p.typosquat.rawValue); i64(p.notListed.rawValue); i64(p.onError.rawValue)
        let lists = Ecosystem.allCases.filter { p.allow[$0] != nil }
        u32(lists.count)
        for e in lists { str(e.rawValue); strs(p.allow[e]!) }
    }
}

extension BlobReader {
    /// Sets `p.scan` (nil when the policy has no [scan]); false if malformed.
    mutating func scan(into out: inout Policy) -> Bool {
        switch u8() {
        case 0: out.scan = nil; return ok
        case 1: break
        default: return false
        }
        func verdict(_ v: Int) -> ScanVerdict? { ScanVerdict(rawValue: v) }
        var s = ScanConfig()
        let dir = optStr()
        guard let unseen = verdict(i64()) else { return false }
        let maxBytes = i64()
        let scannerCount = u32()
        guard ok, scannerCount < 1 << 16 else { return false }
        s.cacheDirectory = dir; s.unseenStdin = unseen; s.builtinMaxBytes = maxBytes
        for _ in 0..<scannerCount {
            let name = str(), command = strs()
            guard let format = ReportFormat(rawValue: str()) else { return false }
            let codes = strs(), rules = optStr()
            guard ok else { return false }
            var spec = ScannerSpec(name: name, command: command, format: format)
            let exit = codes.compactMap { Int32($0) }
            guard exit.count == codes.count else { return false }
            spec.exitCodes = exit
            spec.rules = rules
            s.scanners[name] = spec
        }
        let languageCount = u32()
        guard ok, languageCount < 1 << 8 else { return false }
        for _ in 0..<languageCount {
            guard let lang = ScanLanguage(rawValue: str()) else { return false }
            let scanners = strs(), optional = strs(), timeout = i64()
            guard let onError = verdict(i64()) else { return false }
            let severity = strs()
            guard let minConfidence = Severity(rawValue: i64()) else { return false }
            let ruleCount = u32()
            guard ok, ruleCount < 1 << 20 else { return false }
            var l = LanguageScan()
            l.scanners = scanners; l.optional = optional; l.timeoutMS = timeout; l.onError = onError
            let sev = severity.compactMap { Int($0).flatMap(ScanVerdict.init(rawValue:)) }
            guard sev.count == 3 else { return false }
            l.severity = sev
            l.minConfidence = minConfidence
            for _ in 0..<ruleCount {
                let pattern = str()
                guard let v = verdict(i64()) else { return false }
                l.rules.append(RuleVerdict(pattern: pattern, verdict: v))
            }
            s.languages[lang] = l
        }
        switch u8() {
        case 0: s.packages = nil
        case 1:
            var p = PackageScan()
            let dir = str()
            guard let t = verdict(i64()), let n = verdict(i64()), let e = verdict(i64()) else { return false }
            let listCount = u32()
            guard ok, listCount < 1 << 8 else { return false }
            p.popularDirectory = dir; p.typosquat = t; p.notListed = n; p.onError = e
            for _ in 0..<listCount {
                guard let eco = Ecosystem(rawValue: str()) else { return false }
                p.allow[eco] = strs()
            }
            s.packages = p
        default: return false
        }
        out.scan = s
        return ok
    }
}

/// A `[scan]` table left in the compiled-policy cache until something asks for it. Its cache
/// directory is read at once (it is one of the paths the shell keeps for itself).
public final class LazyScanConfig: @unchecked Sendable {   // used by one thread: the shell's
    public let cacheDirectory: String?
    private let decode: () -> ScanConfig?
    private var decoded = false
    private var value: ScanConfig?

    init(cacheDirectory: String?, decode: @escaping () -> ScanConfig?) {
        self.cacheDirectory = cacheDirectory
        self.decode = decode
    }

    /// The table; nil if it cannot be decoded (a damaged cache: the writer ran the loader and
    /// the file is checksummed, so this is a bug), which ScanStep turns into refusals.
    public var config: ScanConfig? {
        if !decoded { value = decode(); decoded = true }
        return value
    }
}
