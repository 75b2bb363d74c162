import ArgumentParser
import Foundation
import Policy
import Syntax

/// `aegishctl explain`: `check`, plus why. The parse tree, what each word expands to without
/// running anything, and every step the engine took for every command (rules consulted, argument
/// patterns tried, options, commands run in turn, files with their roles, hosts), recorded by the
/// decision code itself as it ran (Policy/Trace.swift).
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Like check, with the parse tree, the expansions and every rule consulted.",
        discussion: """
            For a decision that surprises you. Shows how aegish parsed the input, what each word \
            is known to expand to before anything runs, and for every command in every branch, \
            loop, function and substitution: the program the name resolves to, each rule and \
            argument pattern consulted, matched options, the commands it would run in turn, \
            the files it names (read or write) and the hosts it contacts, each with its \
            decision. Nothing is run. Exit status as for check: 0 allow, 1 ask, 2 deny, 3 errors.
            """)

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var userOption: UserOption

    @Option(name: .long, help: ArgumentHelp("The directory the command runs in (default: the current directory).", valueName: "dir"))
    var cwd: String?

    @Option(name: .long, help: ArgumentHelp("A variable of the shell's environment (repeatable).", valueName: "name=value"))
    var env: [String] = []

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Explain the script in this file instead of CMD.", valueName: "script"))
    var file: String?

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command line to explain.", valueName: "cmd"))
    var command: [String] = []

    mutating func validate() throws {
        if command.first == "--help" || command.first == "-h" { throw CleanExit.helpRequest(self) }
        if command.first == "--" { command.removeFirst() }
        if command.isEmpty == (file == nil) {
            throw ValidationError("give exactly one of: a command line, --file SCRIPT")
        }
    }

    func run() throws {
        let cwd = absolutePath(self.cwd ?? currentDirectoryPath(), base: currentDirectoryPath())
        let environment = try parseEnvOptions(env)
        let text = try commandText(command: command, file: file)
        let p = try loadForTool(policyOptions, user: userOption.user, environment: environment)
        warnIfExamplesFail(p)
        let script: Script
        do {
            script = try parseCompleteInput(text).script
        } catch {
            if json {
                print(jsonText(["command": text, "cwd": cwd, "error": "\(error)", "exit": Int(errorExit)], pretty: true))
            } else {
                stderrLine("aegishctl: \(file ?? "command"): does not parse: \(error)")
            }
            throw ExitCode(errorExit)
        }
        let trace = DecisionTrace()
        let outcome = try analyseText(text, p, cwd: cwd, environment: environment, trace: trace)
        if json {
            var out = outcomeJSON(text, cwd: cwd, outcome)
            out["user"] = Int(p.uid)
            out["home"] = p.home ?? NSNull()
            out["environment"] = environment
            out["tree"] = treeDump(script).split(separator: "\n").map(String.init)
            out["steps"] = trace.steps.map(stepJSON)
            out["paths"] = pathSummary(trace).map { ["path": $0.subject, "role": $0.note, "verdict": $0.decision.verdict.description,
                                                     "rule": $0.decision.ruleID, "reason": $0.decision.reason] }
            out["hosts"] = hostSummary(trace).map { ["host": $0.subject, "from": $0.note, "verdict": $0.decision.verdict.description,
                                                     "rule": $0.decision.ruleID, "reason": $0.decision.reason] }
            print(jsonText(out, pretty: true))
        } else {
            printText(text, cwd: cwd, p, environment: environment, script: script, trace: trace, outcome: outcome)
        }
        let code = verdictExit(outcome.decision.verdict)
        if code != 0 { throw ExitCode(code) }
    }

    func printText(_ text: String, cwd: String, _ p: LoadedPolicy, environment: [String: String], script: Script,
                   trace: DecisionTrace, outcome: Outcome) {
        print("input:  " + (text.contains("\n") ? "(\(text.split(separator: "\n").count) lines)" : text))
        print("cwd:    \(cwd)")
        print("user:   uid \(p.uid), home \(p.home ?? "(none: ~ cannot be expanded)")")
        print("policy: \(p.engine.policy.name) (\(p.engine.policy.file)); default \(p.engine.policy.defaultVerdict)")
        if !environment.isEmpty {
            print("environment (used for $NAME only where the script cannot change it):")
            for (k, v) in environment.sorted(by: { $0.key < $1.key }) { print("  \(k)=\(v)") }
        }
        for w in outcome.warnings { print("warning: \(w)") }
        print("\nparse tree:")
        print(treeDump(script).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        print("\nanalysis (in the order aegish would meet it; nothing was run):")
        if trace.steps.isEmpty { print("  (nothing runs or opens a file)") }
        for s in trace.steps { print(renderStep(s)) }
        let paths = pathSummary(trace), hosts = hostSummary(trace)
        if !paths.isEmpty || !hosts.isEmpty {
            print("\nfiles and hosts:")
            for s in paths {
                // note: "read /canonical/path"; the subject is the path as written.
                let canonical = s.note.split(separator: " ", maxSplits: 1).last.map(String.init) ?? s.subject
                print("  " + s.note + (canonical == s.subject ? "" : " (written \(s.subject))") + " — " + verdictText(s.decision))
            }
            for s in hosts { print("  host  " + s.subject + " (\(s.note)) — " + verdictText(s.decision)) }
        }
        let d = outcome.decision
        print("\nverdict: \(d.verdict.description.uppercased()) (rule \(d.ruleID.isEmpty ? "-" : d.ruleID))"
              + (d.reason.isEmpty ? "" : " — \(d.reason)"))
    }
}

/// The script text from CMD words or --file (read errors exit 3).
func commandText(command: [String], file: String?) throws -> String {
    guard let file else { return command.joined(separator: " ") }
    guard let data = FileManager.default.contents(atPath: file),
          let t = String(data: data, encoding: .utf8) else {
        stderrLine("aegishctl: cannot read \(file) (missing, unreadable or not UTF-8)")
        throw ExitCode(errorExit)
    }
    return t
}

func verdictText(_ d: Decision) -> String {
    "\(d.verdict.description.uppercased()) \(d.ruleID.isEmpty ? "-" : d.ruleID)" + (d.reason.isEmpty ? "" : " — \(d.reason)")
}

/// One line per step, indented by nesting; a command's own steps one level below it.
func renderStep(_ s: DecisionTrace.Step) -> String {
    let indent = String(repeating: "  ", count: s.depth + (s.kind == .command ? 1 : 2))
    let d = s.decision.map(verdictText)
    let line: String
    switch s.kind {
    case .command:
        line = (s.pos.map { "\($0) " } ?? "") + s.subject + (s.note.isEmpty ? "" : "  (\(s.note))")
    case .expansion: line = "word     \(s.subject)  \(s.note)"
    case .program: line = "program  \(s.subject) \(s.note)"
    case .rule: line = "rule     \(s.subject): \(d ?? "")" + (s.note.isEmpty ? "" : " (\(s.note))")
    case .pattern: line = "pattern  \(s.subject): \(s.note)"
    case .option: line = "option   \(s.subject) \(s.note)"
    case .inner: line = "runs     \(s.subject) (\(s.note)); checked as if typed:"
    case .path: line = "path     \(s.subject) (\(s.note)): \(d ?? "")"
    case .host: line = "host     \(s.subject) (\(s.note)): \(d ?? "")"
    case .environment: line = "env      \(s.subject): " + (d ?? s.note)
    case .check: line = "check    \(s.subject): \(s.note)" + (d.map { " — " + $0 } ?? "")
    case .decision: line = "⇒ \(d ?? "")  [\(s.subject)]"
    case .finding: line = "= \(d ?? "")"
    }
    return indent + line
}

func stepJSON(_ s: DecisionTrace.Step) -> [String: Any] {
    var o: [String: Any] = ["kind": s.kind.rawValue, "depth": s.depth, "subject": s.subject]
    if !s.note.isEmpty { o["note"] = s.note }
    if let d = s.decision {
        o["verdict"] = d.verdict.description
        o["rule"] = d.ruleID
        o["reason"] = d.reason
    }
    if let p = s.pos { o["line"] = p.line; o["column"] = p.column }
    return o
}

/// Every file the analysis decided, once each (first decision).
func pathSummary(_ t: DecisionTrace) -> [(subject: String, note: String, decision: Decision)] {
    var seen = Set<String>()
    var out: [(subject: String, note: String, decision: Decision)] = []
    for s in t.steps where s.kind == .path {
        guard let d = s.decision, seen.insert(s.note + "\u{0}" + s.subject).inserted else { continue }
        out.append((s.subject, s.note, d))
    }
    return out
}

func hostSummary(_ t: DecisionTrace) -> [(subject: String, note: String, decision: Decision)] {
    var seen = Set<String>()
    var out: [(subject: String, note: String, decision: Decision)] = []
    for s in t.steps where s.kind == .host {
        guard let d = s.decision, seen.insert(s.subject).inserted else { continue }
        out.append((s.subject, s.note, d))
    }
    return out
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
