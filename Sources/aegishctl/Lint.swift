import ArgumentParser
import Foundation
import Glibc
import Policy

/// `aegishctl lint POLICY`: every load error with its line:column, then warnings about a policy
/// that loads (Policy/Lint.swift).
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report a policy's load errors (file:line:column) and risky or useless rules.",
        discussion: """
            Errors are everything that keeps the policy from loading, all of them, and failing \
            [[test]] examples (aegish would then refuse every command). Warnings: \
            \(lintCodes.map { "\($0.code) \($0.meaning)" }.joined(separator: "; ")). \
            The file is read without the ownership check (W013 reports what that check would \
            say). Writability is judged for --user (default: you; for root, a user who owns \
            nothing). Exit status: 0 no errors (and, with --strict, no warnings), 1 warnings \
            with --strict, 3 errors.
            """)

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var userOption: UserOption

    @Flag(name: .long, help: "Exit 1 when there are warnings.")
    var strict = false

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Do not report these warning codes (comma-separated, repeatable: --ignore W003,W004).", valueName: "codes"))
    var ignore: [String] = []

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Argument(help: ArgumentHelp("The policy to lint (default: --policy, else \(defaultPolicyFile)).", valueName: "policy"))
    var file: String?

    struct Item {
        var severity: String
        var code: String
        var location: SourceLocation
        var message: String
        var advice: String
    }

    func run() throws {
        var options = policyOptions
        if let file { options.policy = file }
        let path = options.policy
        guard let data = FileManager.default.contents(atPath: path) else {
            stderrLine("aegishctl lint: cannot read \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(errorExit)
        }
        let ignored = Set(ignore.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() } })
        var items: [Item] = []
        func error(_ code: String, _ loc: SourceLocation, _ message: String, _ advice: String = "") {
            items.append(Item(severity: "error", code: code, location: loc, message: message, advice: advice))
        }
        let noLocation = SourceLocation(file: path, line: 0, column: 0)

        guard let text = String(data: data, encoding: .utf8) else {
            error("E001", noLocation, "the policy is not valid UTF-8", "save it as UTF-8")
            return try finish(items, path: path)
        }
        let problems = policyProblems(text, file: path)
        for p in problems { error("E001", p.location, p.message) }
        guard problems.isEmpty, var policy = try? parsePolicy(text, file: path) else {
            return try finish(items, path: path)
        }

        // Who the warnings are about: --user, else the invoking user; root governs nothing, so
        // for root the question is "writable by a user who owns nothing" (others' write bits).
        let (uid, userHome) = try resolvedUser(userOption.user)
        let judged: uid_t = ownershipCheckUID(uid)
        let home = options.home ?? userHome ?? ProcessInfo.processInfo.environment["HOME"]
        if let why = policyWritableBy(judged, path: path) {
            items.append(Item(severity: "warning", code: "W013", location: noLocation,
                              message: "aegish would refuse to load this file as it is now: \(why)",
                              advice: "install it root-owned, mode 0644, in root-owned directories (e.g. /etc/aegish/)"))
        }
        let original = policy.workspace
        if let ws = options.workspace { policy.workspace = absolutePath(ws, base: currentDirectoryPath()) }
        let engine: PolicyEngine
        do {
            engine = try PolicyEngine(policy: policy, home: home, governedUID: judged)
        } catch let e as PolicyLoadError {
            error("E001", e.location, e.message)
            return try finish(items, path: path)
        }
        let loaded = LoadedPolicy(engine: engine, home: home, uid: judged, originalWorkspace: original)
        if let why = failingExample(loaded) {
            error("E002", noLocation, why + " (aegish refuses every command while an example fails)",
                  "fix the rule or the example")
        }
        for w in lintPolicy(engine, text: text) where !ignored.contains(w.code) {
            items.append(Item(severity: "warning", code: w.code, location: w.location, message: w.message, advice: w.advice))
        }
        try finish(items.filter { !ignored.contains($0.code) || $0.severity == "error" }, path: path)
    }

    func resolvedUser(_ user: String?) throws -> (uid_t, String?) {
        do { return try governedUser(user) } catch let e as ToolLoadFailure {
            stderrLine(e.message)
            throw ExitCode(errorExit)
        }
    }

    func finish(_ unsorted: [Item], path: String) throws {
        // File order; what has no line (file-wide warnings) last.
        let items = unsorted.enumerated().sorted { a, b in
            let la = a.element.location.line == 0 ? Int.max : a.element.location.line
            let lb = b.element.location.line == 0 ? Int.max : b.element.location.line
            return (la, a.element.location.column, a.offset) < (lb, b.element.location.column, b.offset)
        }.map(\.element)
        let errors = items.filter { $0.severity == "error" }.count
        let warnings = items.count - errors
        let code: Int32 = errors > 0 ? errorExit : (strict && warnings > 0 ? 1 : 0)
        if json {
            func obj(_ i: Item) -> [String: Any] {
                ["file": i.location.file, "line": i.location.line, "column": i.location.column, "code": i.code,
                 "message": i.message, "advice": i.advice]
            }
            print(jsonText(["file": path, "errors": items.filter { $0.severity == "error" }.map(obj),
                            "warnings": items.filter { $0.severity == "warning" }.map(obj), "exit": Int(code)], pretty: true))
        } else {
            for i in items {
                let loc = i.location.line > 0 ? "\(i.location.file):\(i.location.line):\(i.location.column)" : i.location.file
                print("\(loc): \(i.severity) \(i.code): \(i.message)")
                if !i.advice.isEmpty { print("    advice: \(i.advice)") }
            }
            print("\(path): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
        if code != 0 { throw ExitCode(code) }
    }
}
