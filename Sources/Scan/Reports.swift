// Scanner reports → findings. Each parser accepts exactly its tool's documented JSON shape; a
// report that does not parse, or that says the tool could not analyse the code, is a failure
// (never "no findings").

/// Findings in `output` from scanner `name` in `format`, for code shown as `file`.
func parseReport(_ output: [UInt8], format: ReportFormat, scanner name: String, file: String) -> Result<[Finding], ScanFailure> {
    func failed(_ why: String) -> Result<[Finding], ScanFailure> {
        .failure(ScanFailure(scanner: name, kind: .failed, message: why))
    }
    guard let json = JSON.parse(output) else {
        let head = String(decoding: output.prefix(200), as: UTF8.self)
        return failed("its output is not JSON (\(output.isEmpty ? "no output" : "starts: " + short(head)))")
    }
    switch format {
    case .bandit: return bandit(json, name, file).mapError { ScanFailure(scanner: name, kind: .failed, message: $0.message) }
    case .shellcheck: return shellcheck(json, name, file).mapError { ScanFailure(scanner: name, kind: .failed, message: $0.message) }
    case .semgrep: return semgrep(json, name, file).mapError { ScanFailure(scanner: name, kind: .failed, message: $0.message) }
    case .sarif: return sarif(json, name, file).mapError { ScanFailure(scanner: name, kind: .failed, message: $0.message) }
    case .json: return generic(json, name, file).mapError { ScanFailure(scanner: name, kind: .failed, message: $0.message) }
    }
}

/// Why a report could not be used (wrapped into a ScanFailure by parseReport).
private struct ReportError: Error {
    let message: String
    init(_ m: String) { message = m }
}

/// "HIGH", "error", "Warning", … → a severity.
func severity(_ s: String?) -> Severity? {
    guard let s else { return nil }
    switch s.lowercased() {
    case "high", "error", "critical", "blocker", "fatal": return .high
    case "medium", "warning", "moderate", "major": return .medium
    case "low", "info", "note", "style", "minor", "none", "informational", "hint": return .low
    default: return nil
    }
}

/// Bandit's messages for hard-coded passwords quote the password: masked here, so neither the
/// refusal nor the audit log repeats it.
private func banditMessage(_ text: String, _ test: String) -> String {
    guard ["B105", "B106", "B107"].contains(test), let colon = text.firstRange(of: ": ") else { return text }
    return String(text[..<colon.lowerBound]) + ": '****'"
}

private func bandit(_ j: JSON, _ name: String, _ file: String) -> Result<[Finding], ReportError> {
    guard let results = j["results"]?.array else { return .failure(ReportError("its report has no \"results\"")) }
    if let errors = j["errors"]?.array, let e = errors.first {
        return .failure(ReportError("it could not analyse the code: " + (e["reason"]?.string ?? "unknown error")))
    }
    var out: [Finding] = []
    for r in results {
        guard let line = r["line_number"]?.int, let test = r["test_id"]?.string else { return .failure(ReportError("a result without line_number/test_id")) }
        out.append(Finding(file: file, line: line, scanner: name, rule: test,
                           severity: severity(r["issue_severity"]?.string) ?? .medium,
                           confidence: severity(r["issue_confidence"]?.string),
                           message: banditMessage(r["issue_text"]?.string ?? test, test)))
    }
    return .success(out)
}

private func shellcheck(_ j: JSON, _ name: String, _ file: String) -> Result<[Finding], ReportError> {
    // json1: {"comments": [...]}; json: [...]
    guard let comments = j["comments"]?.array ?? j.array else { return .failure(ReportError("its report has no \"comments\"")) }
    return .success(comments.map { c in
        let code = c["code"]?.int.map { "SC\($0)" } ?? "SC?"
        return Finding(file: file, line: c["line"]?.int ?? 0, scanner: name, rule: code,
                       severity: severity(c["level"]?.string) ?? .medium, message: c["message"]?.string ?? code)
    })
}

private func semgrep(_ j: JSON, _ name: String, _ file: String) -> Result<[Finding], ReportError> {
    guard let results = j["results"]?.array else { return .failure(ReportError("its report has no \"results\"")) }
    if let errors = j["errors"]?.array, let e = errors.first(where: { severity($0["level"]?.string) == .high || $0["level"] == nil }) {
        return .failure(ReportError("it reported an error: " + short(e["message"]?.string ?? e["type"]?.string ?? "unknown")))
    }
    return .success(results.map { r in
        let extra = r["extra"]
        return Finding(file: file, line: r["start"]?["line"]?.int ?? 0, scanner: name,
                       rule: r["check_id"]?.string ?? "semgrep",
                       severity: severity(extra?["severity"]?.string) ?? .medium,
                       confidence: severity(extra?["metadata"]?["confidence"]?.string),
                       message: short(extra?["message"]?.string ?? ""))
    })
}

private func sarif(_ j: JSON, _ name: String, _ file: String) -> Result<[Finding], ReportError> {
    guard let runs = j["runs"]?.array else { return .failure(ReportError("its report has no \"runs\" (not SARIF)")) }
    var out: [Finding] = []
    for run in runs {
        // Rule metadata: default levels and security-severity scores.
        var ruleLevel: [String: Severity] = [:]
        for rule in run["tool"]?["driver"]?["rules"]?.array ?? [] {
            guard let id = rule["id"]?.string else { continue }
            if let score = rule["properties"]?["security-severity"]?.double {
                ruleLevel[id] = score >= 7 ? .high : score >= 4 ? .medium : .low
            } else if let l = severity(rule["defaultConfiguration"]?["level"]?.string) {
                ruleLevel[id] = l
            }
        }
        for r in run["results"]?.array ?? [] {
            let id = r["ruleId"]?.string ?? r["rule"]?["id"]?.string ?? "sarif"
            let line = r["locations"]?.array?.first?["physicalLocation"]?["region"]?["startLine"]?.int ?? 0
            let level = severity(r["level"]?.string) ?? ruleLevel[id] ?? .medium
            out.append(Finding(file: file, line: line, scanner: name, rule: id, severity: level,
                               message: short(r["message"]?["text"]?.string ?? id)))
        }
    }
    return .success(out)
}

/// A JSON array (or an object with findings/results/issues) of objects with line, rule,
/// severity and message under the usual names.
private func generic(_ j: JSON, _ name: String, _ file: String) -> Result<[Finding], ReportError> {
    guard let list = j.array ?? j["findings"]?.array ?? j["results"]?.array ?? j["issues"]?.array else {
        return .failure(ReportError("its report is neither an array nor an object with \"findings\", \"results\" or \"issues\""))
    }
    return .success(list.map { f in
        let line = f["line"]?.int ?? f["line_number"]?.int ?? f["startLine"]?.int ?? f["start"]?["line"]?.int ?? 0
        let rule = f["rule"]?.string ?? f["rule_id"]?.string ?? f["id"]?.string ?? f["check_id"]?.string ?? f["code"]?.string ?? name
        let sev = severity(f["severity"]?.string ?? f["level"]?.string) ?? .medium
        let msg = f["message"]?.string ?? f["text"]?.string ?? f["msg"]?.string ?? rule
        return Finding(file: file, line: line, scanner: name, rule: rule, severity: sev,
                       confidence: severity(f["confidence"]?.string), message: short(msg))
    })
}
