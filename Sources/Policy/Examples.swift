import Syntax

/// The policy's own [[test]] examples must hold, or the policy is not used.
public func checkExamples(_ engine: PolicyEngine, home: String?) throws {
    for t in engine.policy.tests {
        let loc = t.location ?? SourceLocation(file: engine.settings.file, line: 0, column: 0)
        let script: Script
        do { script = try parseCompleteInput(t.command).script } catch {
            throw PolicyLoadError(location: loc, message: "[[test]] command does not parse: \(error)")
        }
        let result = analyze(script, engine: engine, cwd: t.cwd ?? engine.settings.workspace ?? "/", home: home)
        let d = result.decision
        if d.verdict != t.expect || (t.rule != nil && t.rule != d.ruleID) {
            throw PolicyLoadError(location: loc, message:
                "[[test]] `\(t.command)`: expected \(t.expect)\(t.rule.map { " by rule \($0)" } ?? ""), got \(d.verdict) by rule \(d.ruleID) (\(d.reason))")
        }
    }
}

