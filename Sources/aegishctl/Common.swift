import ArgumentParser
import Foundation
import Glibc
import Policy
import Syntax

let defaultPolicyFile = "/etc/aegish/allowlist.toml"

/// Exit status for usage, load and parse errors.
let errorExit: Int32 = 3

/// Options shared by every subcommand that loads a policy.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The policy file.", valueName: "file"))
    var policy: String = defaultPolicyFile

    @Option(name: .long, help: ArgumentHelp("The governed user's home, for ~ in the policy and in commands (default: HOME given with --env, else the --user's home, else $HOME).", valueName: "dir"))
    var home: String?

    @Option(name: .long, help: ArgumentHelp("Relocate the policy's workspace to this directory ($WORKSPACE, and cwds under the old workspace).", valueName: "dir"))
    var workspace: String?

    @Flag(name: .long, help: "Read the policy without the ownership check (for a policy being written, owned by you).")
    var draft = false
}

/// --user, for the subcommands that decide as aegish would for a governed user (`limits` has its
/// own --user: whose counters).
struct UserOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The governed user (name or uid): whose files count as writable by the agent, and whose home ~ is (default: you).", valueName: "user"))
    var user: String?
}

func stderrLine(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

func currentDirectoryPath() -> String { FileManager.default.currentDirectoryPath }

/// `path` made absolute against `base`, lexically normalised (no symlinks resolved).
func absolutePath(_ path: String, base: String) -> String {
    let full = path.hasPrefix("/") ? path : (base.hasSuffix("/") ? base : base + "/") + path
    var parts: [Substring] = []
    for c in full.split(separator: "/") {
        if c == "." { continue }
        if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
        parts.append(c)
    }
    return "/" + parts.joined(separator: "/")
}

/// A loaded policy ready to decide, with what is needed to place commands in it.
struct LoadedPolicy {
    let engine: PolicyEngine
    let home: String?
    /// The governed user the engine decides for.
    let uid: uid_t
    /// The workspace as the policy file names it (before --workspace).
    let originalWorkspace: String?
    /// The workspace in effect.
    var workspace: String? { engine.policy.workspace }

    /// A cwd from a test or case: `$WORKSPACE[/x]`, relative (to the workspace), or absolute
    /// (moved along with the workspace when it lies under the policy's original one).
    func resolveCwd(_ cwd: String?) -> String {
        let ws = workspace
        guard var c = cwd, !c.isEmpty else { return ws ?? "/" }
        for v in ["${WORKSPACE}", "$WORKSPACE"] where c == v || c.hasPrefix(v + "/") {
            c = (ws ?? "/") + c.dropFirst(v.count)
        }
        if !c.hasPrefix("/") { return absolutePath(c, base: ws ?? "/") }
        if let o = originalWorkspace, let ws, o != ws, c == o || c.hasPrefix(o.hasSuffix("/") ? o : o + "/") {
            c = ws + c.dropFirst(o.count)
        }
        return absolutePath(c, base: "/")
    }
}

/// Loads the policy as aegish would (ownership check for the invoking user, unless --draft) and
/// builds the engine. Problems are printed and turned into exit status 3.
func loadForTool(_ o: PolicyOptions, user: String? = nil, environment: [String: String] = [:]) throws -> LoadedPolicy {
    switch loadResult(o, user: user, environment: environment) {
    case .success(let p): return p
    case .failure(let e):
        stderrLine(e.message)
        throw ExitCode(errorExit)
    }
}

/// Why a policy could not be loaded, as printed ("aegishctl: …").
struct ToolLoadFailure: Error { var message: String }

/// `loadForTool` without printing: for callers that must answer even then (the hook fails closed).
func loadResult(_ o: PolicyOptions, user: String? = nil, environment: [String: String] = [:]) -> Result<LoadedPolicy, ToolLoadFailure> {
    Result { try loadOrThrow(o, user: user, environment: environment) }.mapError { $0 as? ToolLoadFailure ?? ToolLoadFailure(message: "aegishctl: \($0)") }
}

private func loadOrThrow(_ o: PolicyOptions, user: String?, environment: [String: String]) throws -> LoadedPolicy {
    let (uid, userHome) = try governedUser(user)
    let checkUID = ownershipCheckUID(uid)   // as in aegish
    // aegish takes HOME from its environment, which a login sets to the user's home.
    let home = o.home ?? environment["HOME"] ?? userHome ?? ProcessInfo.processInfo.environment["HOME"]
    do {
        var policy = try readPolicy(o, checkUID: checkUID)
        let original = policy.workspace
        if let ws = o.workspace {
            policy.workspace = absolutePath(ws, base: currentDirectoryPath())
        }
        let engine = try PolicyEngine(policy: policy, home: home, governedUID: uid)
        return LoadedPolicy(engine: engine, home: home, uid: uid, originalWorkspace: original)
    } catch let e as PolicyLoadError {
        var msg = "aegishctl: \(e)"
        if !o.draft && e.location.line == 0 && e.message.hasPrefix("refusing to load") {
            msg += "\naegishctl: (to check a policy you are still writing, add --draft)"
        }
        throw ToolLoadFailure(message: msg)
    } catch {
        throw ToolLoadFailure(message: "aegishctl: \(o.policy): \(error)")
    }
}

/// The live shell refuses everything while an example fails: say so, or a dry run's "allow"
/// would mislead.
func warnIfExamplesFail(_ p: LoadedPolicy) {
    if let why = failingExample(p) {
        stderrLine("aegishctl: warning: aegish would refuse every command under this policy: \(why)")
    }
}

/// The first of the policy's own [[test]] examples that fails (aegish then refuses every
/// command), decided as `aegishctl test` decides them (cwds moved with --workspace).
func failingExample(_ p: LoadedPolicy) -> String? {
    for t in p.engine.policy.tests {
        let d: Decision
        do {
            d = try analyseText(t.command, p, cwd: p.resolveCwd(t.cwd)).decision
        } catch {
            return "[[test]] `\(t.command)` does not parse: \(error)"
        }
        if d.verdict != t.expect || (t.rule != nil && t.rule != d.ruleID) {
            let loc = t.location.map { "\($0): " } ?? ""
            return "\(loc)[[test]] `\(t.command)`: expected \(t.expect)\(t.rule.map { " by rule \($0)" } ?? ""), got \(d.verdict) by rule \(d.ruleID)"
        }
    }
    return nil
}

/// The policy as aegish would read it (ownership checked for `checkUID`), or without the
/// ownership check with --draft.
func readPolicy(_ o: PolicyOptions, checkUID: uid_t) throws -> Policy {
    if o.draft {
        guard let data = FileManager.default.contents(atPath: o.policy) else {
            throw PolicyLoadError(file: o.policy, line: 0, column: 0, "cannot read the policy")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyLoadError(file: o.policy, line: 0, column: 0, "the policy is not valid UTF-8")
        }
        return try parsePolicy(text, file: o.policy)
    }
    return try loadPolicy(path: o.policy, governedUID: checkUID)
}

/// The governed uid (--user, else the invoking user) and, with --user, that user's home.
func governedUser(_ spec: String?) throws -> (uid_t, String?) {
    guard let spec else { return (getuid(), nil) }
    guard let e = lookupUser(spec) else {
        throw ToolLoadFailure(message: "aegishctl: --user \(spec): no such user in /etc/passwd; give a user name or a numeric uid")
    }
    return (uid_t(e.uid), e.home.isEmpty ? nil : e.home)
}

/// `--env NAME=VALUE` options as a dictionary.
func parseEnvOptions(_ list: [String]) throws -> [String: String] {
    var env: [String: String] = [:]
    for item in list {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
            throw ValidationError("--env \(item): write NAME=VALUE")
        }
        env[String(item[..<eq])] = String(item[item.index(after: eq)...])
    }
    return env
}

/// What the static analysis says about one command line.
struct Outcome {
    var findings: [Finding]
    var decision: Decision
    var warnings: [String]
}

/// Parses and analyses `text` (nothing runs). Throws `ParseError` when it does not parse.
/// `runner`: .otherShell when the command line will be run by another shell (the hook).
func analyseText(_ text: String, _ p: LoadedPolicy, cwd: String, environment: [String: String] = [:],
                 trace: DecisionTrace? = nil, runner: StaticRunner = .aegish) throws -> Outcome {
    let parsed = try parseCompleteInput(text)
    let a = analyze(parsed.script, engine: p.engine, cwd: cwd, home: p.home, environment: environment, trace: trace,
                    runner: runner)
    return Outcome(findings: a.findings, decision: a.decision, warnings: parsed.warnings)
}

func verdictExit(_ v: Verdict) -> Int32 {
    switch v { case .allow: return 0; case .ask: return 1; case .deny: return 2 }
}

func findingJSON(_ f: Finding) -> [String: Any] {
    ["line": f.pos.line, "column": f.pos.column, "verdict": f.decision.verdict.description,
     "rule": f.decision.ruleID, "what": f.what, "reason": f.decision.reason]
}

func jsonText(_ object: Any, pretty: Bool) -> String {
    var opts: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
    if pretty { opts.insert(.prettyPrinted) }
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: opts) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
}
