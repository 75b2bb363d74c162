import ArgumentParser
import Foundation
import Policy
import Syntax

/// `aegishctl check`: what the policy would decide for a command line or a script, without
/// running anything.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide a command line or script against the policy, without running anything.",
        discussion: """
            The words of CMD are joined with spaces and parsed as shell text: quote the whole \
            command line to keep its quoting (aegishctl check 'rm -rf "$HOME"'). Options of \
            aegishctl must come before CMD. Exit status: 0 allow, 1 ask, 2 deny, 3 usage, load \
            or parse error. With --batch, standard input is JSON lines ({"command": "…", \
            "cwd": "…", "env": {…}, "id": …} or a JSON string) and each gets one JSON line back. \
            Nothing is ever run: a variable's value is known only when given with --env and not \
            changed by the script, a substitution's output never.
            """)

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var userOption: UserOption

    @Option(name: .long, help: ArgumentHelp("The directory the command runs in (default: the current directory).", valueName: "dir"))
    var cwd: String?

    @Option(name: .long, help: ArgumentHelp("A variable of the shell's environment, so $NAME is known where the script does not change it (repeatable).", valueName: "name=value"))
    var env: [String] = []

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Check the script in this file instead of CMD.", valueName: "script"))
    var file: String?

    @Flag(name: .long, help: "Read JSON lines from standard input, write one JSON verdict line for each.")
    var batch = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command line to check.", valueName: "cmd"))
    var command: [String] = []

    mutating func validate() throws {
        // captureForPassthrough also takes --help when it comes first.
        if command.first == "--help" || command.first == "-h" { throw CleanExit.helpRequest(self) }
        if command.first == "--" { command.removeFirst() }
        let sources = (command.isEmpty ? 0 : 1) + (file == nil ? 0 : 1) + (batch ? 1 : 0)
        if sources != 1 {
            throw ValidationError("give exactly one of: a command line, --file SCRIPT, --batch")
        }
    }

    func run() throws {
        let cwd = absolutePath(self.cwd ?? currentDirectoryPath(), base: currentDirectoryPath())
        let environment = try parseEnvOptions(env)
        if batch {
            let p = try loadForTool(policyOptions, user: userOption.user, environment: environment)
        warnIfExamplesFail(p)
            runBatch(p, defaultCwd: cwd, environment: environment)
            return
        }
        let text: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file),
                  let t = String(data: data, encoding: .utf8) else {
                stderrLine("aegishctl: cannot read \(file) (missing, unreadable or not UTF-8)")
                throw ExitCode(errorExit)
            }
            text = t
        } else {
            text = command.joined(separator: " ")
        }
        let p = try loadForTool(policyOptions, user: userOption.user, environment: environment)
        warnIfExamplesFail(p)
        let outcome: Outcome
        do {
            outcome = try analyseText(text, p, cwd: cwd, environment: environment)
        } catch {
            if json {
                print(jsonText(["command": text, "cwd": cwd, "error": "\(error)", "exit": Int(errorExit)], pretty: true))
            } else {
                stderrLine("aegishctl: \(file ?? "command"): does not parse: \(error)")
            }
            throw ExitCode(errorExit)
        }
        if json {
            print(jsonText(outcomeJSON(text, cwd: cwd, outcome), pretty: true))
        } else {
            printText(outcome)
        }
        let code = verdictExit(outcome.decision.verdict)
        if code != 0 { throw ExitCode(code) }
    }

    func printText(_ o: Outcome) {
        for w in o.warnings { print("warning: \(w)") }
        // In source order (the analysis reports a command's redirections before the command).
        let sorted = o.findings.enumerated().sorted { a, b in
            (a.element.pos.line, a.element.pos.column, a.offset) < (b.element.pos.line, b.element.pos.column, b.offset)
        }.map(\.element)
        let rows = sorted.map { f -> (String, String, String, String) in
            let d = f.decision
            let tail = d.reason.isEmpty ? f.what : "\(f.what) — \(d.reason)"
            return ("\(f.pos.line):\(f.pos.column)", d.verdict.description.uppercased(), d.ruleID.isEmpty ? "-" : d.ruleID, tail)
        }
        let w0 = rows.map(\.0.count).max() ?? 0, w2 = rows.map(\.2.count).max() ?? 0
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        for r in rows { print("\(pad(r.0, w0))  \(pad(r.1, 5))  \(pad(r.2, w2))  \(r.3)") }
        if rows.isEmpty { print("(nothing runs or opens a file)") }
        let d = o.decision
        print("verdict: \(d.verdict.description.uppercased()) (rule \(d.ruleID.isEmpty ? "-" : d.ruleID))"
              + (d.reason.isEmpty ? "" : " — \(d.reason)"))
    }

    func runBatch(_ p: LoadedPolicy, defaultCwd: String, environment: [String: String]) {
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            var out: [String: Any]
            var id: Any? = nil
            var text: String? = nil
            var cwd = defaultCwd
            var env = environment
            let value = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            if let s = value as? String {
                text = s
            } else if let obj = value as? [String: Any] {
                id = obj["id"]
                text = obj["command"] as? String
                if let c = obj["cwd"] as? String { cwd = absolutePath(c, base: defaultCwd) }
                if let e = obj["env"] as? [String: String] { env.merge(e) { _, new in new } }
            }
            if let text {
                do {
                    out = outcomeJSON(text, cwd: cwd, try analyseText(text, p, cwd: cwd, environment: env))
                } catch {
                    out = ["command": text, "cwd": cwd, "error": "\(error)", "exit": Int(errorExit)]
                }
            } else {
                out = ["error": "input line is not a JSON string or an object with a \"command\" string",
                       "exit": Int(errorExit)]
            }
            if let id { out["id"] = id }
            print(jsonText(out, pretty: false))
            fflush(stdout)
        }
    }
}

func outcomeJSON(_ text: String, cwd: String, _ o: Outcome) -> [String: Any] {
    let d = o.decision
    return ["command": text, "cwd": cwd, "verdict": d.verdict.description, "rule": d.ruleID,
            "reason": d.reason, "exit": Int(verdictExit(d.verdict)),
            "findings": o.findings.map(findingJSON), "warnings": o.warnings]
}
