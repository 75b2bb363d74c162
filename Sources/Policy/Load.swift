// Loading the policy: TOML text → validated `Policy`, failing closed on any problem.
//
// TOMLKit parses (in the aegish-toml helper, or in-process: LoadTOML.swift); this file checks
// every table and key against the format described in
// man/aegish-allowlist.5 and turns each problem into a `PolicyLoadError` with the line:column of
// the offending key or value (found by `KeyLocator`, since TOMLKit reports positions only for
// syntax errors). Values are kept as written: `~` and `$WORKSPACE` stay unexpanded for the engine.
// The ownership check and file reading are in LoadFile.swift; [audit], [limits] and [[limit]]
// are read in LoadAuditLimits.swift; [scan] in LoadScan.swift.

import TOMLTree

/// Parses and validates policy text. `file` is used in messages and stored in `Policy.file`.
/// Throws the first problem in file order (`PolicyLoadError`).
public func parsePolicy(_ text: String, file: String) throws -> Policy {
    let (policy, problems) = checkPolicy(text, file: file)
    if let first = problems.first { throw first }
    guard let policy else {
        throw PolicyLoadError(file: file, line: 0, column: 0, "the policy could not be loaded")
    }
    return policy
}

/// Every problem found in policy text, in file order (empty when it loads). `parsePolicy` throws
/// the first of these; this is for tools that want to show them all (`aegish --check-policy`).
public func policyProblems(_ text: String, file: String) -> [PolicyLoadError] {
    checkPolicy(text, file: file).problems
}

func checkPolicy(_ text: String, file: String) -> (policy: Policy?, problems: [PolicyLoadError]) {
    // toml++ reads a C string: anything after a NUL would be silently dropped (and with it, say,
    // a deny list), so a NUL anywhere is refused before parsing.
    var line = 1, column = 1
    if text.utf8.withContiguousStorageIfAvailable({ $0.contains(0) }) ?? text.utf8.contains(0) { for u in text.unicodeScalars {
        if u == "\0" {
            return (nil, [PolicyLoadError(file: file, line: line, column: column,
                                          "the policy contains a NUL character; remove it")])
        }
        if u == "\n" { line += 1; column = 1 } else { column += 1 }
    } }
    let root: TOMLTable
    do {
        root = try TOMLParser.parse(text)
    } catch let e as TOMLSyntaxError {
        return (nil, [PolicyLoadError(file: file, line: max(e.line, 1), column: max(e.column, 1),
                                      "invalid TOML: \(e.description)")])
    } catch let e as TOMLHelperError {
        return (nil, [PolicyLoadError(file: file, line: 0, column: 0, e.description)])
    } catch {
        return (nil, [PolicyLoadError(file: file, line: 0, column: 0, "invalid TOML: \(error)")])
    }
    var reader = PolicyReader(file: file, text: text)
    let policy = reader.read(root)
    let problems = reader.problems.enumerated().sorted { a, b in
        let la = a.element.location.line == 0 ? Int.max : a.element.location.line
        let lb = b.element.location.line == 0 ? Int.max : b.element.location.line
        if la != lb { return la < lb }
        if a.element.location.column != b.element.location.column {
            return a.element.location.column < b.element.location.column
        }
        return a.offset < b.offset
    }.map(\.element)
    return (problems.isEmpty ? policy : nil, problems)
}

// MARK: - The reader

private let verdictHelp = "use \"allow\", \"ask\" or \"deny\""

/// Internal (not private) only so that LoadAuditLimits.swift can extend it.
struct PolicyReader {
    let file: String
    let text: String
    var problems: [PolicyLoadError] = []
    /// Rule ids (commands and argument rules) → the path that defined each (`id` key or table).
    var ruleIDs: [String: (path: TOMLPath, explicit: Bool)] = [:]
    /// Built only when a position is needed beyond the table headers (i.e. for a problem):
    /// a policy that loads pays only for `headers`.
    var fullLocator: KeyLocator? = nil
    var headers: [String: [TextPosition]]? = nil

    init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    mutating func location(_ path: TOMLPath, value: Bool) -> SourceLocation {
        if fullLocator == nil { fullLocator = KeyLocator(text: text) }
        if let p = fullLocator!.position(of: path, value: value) {
            return SourceLocation(file: file, line: p.line, column: p.column)
        }
        return SourceLocation(file: file, line: 0, column: 0)
    }

    /// Where the `index`th of `count` top-level `[[name]]` tables starts: from a quick scan of
    /// header lines when it found exactly `count` of them, else from the full locator.
    mutating func headerLocation(_ name: String, _ index: Int, of count: Int) -> SourceLocation {
        if headers == nil { headers = KeyLocator.arrayTableHeaders(in: text) }
        if let found = headers?[name], found.count == count {
            return SourceLocation(file: file, line: found[index].line, column: found[index].column)
        }
        return location([.key(name), .index(index)], value: false)
    }

    /// Reports a problem at `path`: at its value (default), or at its key / table header.
    mutating func problem(_ path: TOMLPath, atKey: Bool = false, _ message: String) {
        problems.append(PolicyLoadError(location: location(path, value: !atKey), message: message))
    }

    // MARK: Generic checks

    /// Unknown keys in `table`, each reported at its key with the allowed ones listed.
    // The paths and labels below are autoclosures: built only for a problem, not for every key
    // of a policy that loads (a 10,000-rule policy has ~100,000 of them).
    mutating func checkKeys(_ table: TOMLTable, _ path: @autoclosure () -> TOMLPath, _ label: @autoclosure () -> String,
                            allowed: [String], hint: (String) -> String? = { _ in nil }) {
        for key in table.keys where !allowed.contains(key) {
            var msg = "unknown key \"\(key)\" in \(label()); allowed keys: \(allowed.joined(separator: ", "))"
            if let h = hint(key) { msg += "; \(h)" }
            problem(path() + [.key(key)], atKey: true, msg)
        }
    }

    /// The table at `key`, or nil (reported if present with another type).
    mutating func table(_ parent: TOMLTable, _ key: String, _ path: @autoclosure () -> TOMLPath,
                        _ what: @autoclosure () -> String) -> TOMLTable? {
        guard let v = parent[key] else { return nil }
        guard v.type == .table, let t = v.table else {
            problem(path(), "\(what()) must be a table, not \(typeName(v))")
            return nil
        }
        return t
    }

    mutating func string(_ t: TOMLTable, _ key: String, _ path: @autoclosure () -> TOMLPath,
                         _ what: @autoclosure () -> String, required: @autoclosure () -> String? = nil) -> String? {
        guard let v = t[key] else {
            if let required = required() { problem(Array(path().dropLast()), atKey: true, required) }
            return nil
        }
        return stringValue(v, path(), what())
    }

    mutating func stringValue(_ v: TOMLValueConvertible, _ path: @autoclosure () -> TOMLPath,
                              _ what: @autoclosure () -> String) -> String? {
        guard v.type == .string, let s = v.string else {
            problem(path(), "\(what()) must be a string, not \(typeName(v))")
            return nil
        }
        if hasByte(s, "\0") {
            problem(path(), "\(what()) contains a NUL character")
            return nil
        }
        return s
    }

    /// An array of strings; elements that are not strings are reported and left out.
    mutating func strings(_ t: TOMLTable, _ key: String, _ path: @autoclosure () -> TOMLPath,
                          _ what: @autoclosure () -> String) -> [String]? {
        guard let v = t[key] else { return nil }
        guard v.type == .array, let a = v.array else {
            problem(path(), "\(what()) must be an array of strings (e.g. [\"…\"]), not \(typeName(v))")
            return nil
        }
        var out: [String] = []
        for (i, e) in a.enumerated() {
            if let s = stringValue(e, path() + [.index(i)], "each entry of \(what())") { out.append(s) }
        }
        return out
    }

    mutating func verdict(_ t: TOMLTable, _ key: String, _ path: @autoclosure () -> TOMLPath,
                          _ what: @autoclosure () -> String, required: @autoclosure () -> String? = nil) -> Verdict? {
        guard let s = string(t, key, path(), what(), required: required()) else { return nil }
        guard let v = Verdict(s) else {
            problem(path(), "\(what()): invalid verdict \"\(s)\"; \(verdictHelp)")
            return nil
        }
        return v
    }

    // MARK: Sections

    mutating func read(_ root: TOMLTable) -> Policy {
        var policy = Policy()
        policy.file = file
        let sections = ["policy", "paths", "network", "environment", "audit", "limits", "limit", "command", "test",
                        "supervisor", "scan"]
        checkKeys(root, [], "the top level", allowed: sections) { key in
            switch key {
            case "name", "default", "path", "workspace", "workspace_programs", "kernel", "kernel_shells": return "\"\(key)\" belongs in [policy]"
            case "commands": return "write each command as [[command]]"
            case "tests": return "write each test as [[test]]"
            case "read", "write", "deny", "outside": return "\"\(key)\" belongs in [paths] or [network]"
            default: return topLevelAuditLimitsHint(key)
            }
        }
        if let t = table(root, "policy", [.key("policy")], "[policy]") { readPolicy(t, into: &policy) }
        if let t = table(root, "paths", [.key("paths")], "[paths]") { readPaths(t, into: &policy) }
        if let t = table(root, "network", [.key("network")], "[network]") { readNetwork(t, into: &policy) }
        if let t = table(root, "environment", [.key("environment")], "[environment]") {
            readEnvironment(t, into: &policy)
        }
        readAudit(root, into: &policy)
        readLimits(root, into: &policy)
        readSupervisor(root, into: &policy)
        readScan(root, into: &policy)   // LoadScan.swift
        let commandCount = root["command"]?.array?.count ?? 0
        for (i, t) in arrayOfTables(root, "command") {
            if let rule = readCommand(t, [.key("command"), .index(i)], number: i + 1, of: commandCount,
                                      policy: policy) {
                policy.commands.append(rule)
            }
        }
        let testCount = root["test"]?.array?.count ?? 0
        for (i, t) in arrayOfTables(root, "test") {
            if let test = readTest(t, [.key("test"), .index(i)], number: i + 1, of: testCount, policy: policy) {
                policy.tests.append(test)
            }
        }
        return policy
    }

    /// `[[key]]` entries (an array of tables, inline or not); other shapes are reported.
    mutating func arrayOfTables(_ parent: TOMLTable, _ key: String, base: TOMLPath = [],
                                label: String? = nil) -> [(Int, TOMLTable)] {
        let path = base + [.key(key)]
        let name = label ?? key
        guard let v = parent[key] else { return [] }
        guard v.type == .array, let a = v.array else {
            problem(path, atKey: true, "\(name) must be an array of tables: write each entry under its own [[\(name)]] header")
            return []
        }
        var out: [(Int, TOMLTable)] = []
        for (i, e) in a.enumerated() {
            if e.type == .table, let t = e.table { out.append((i, t)) } else {
                problem(path + [.index(i)], "each \(name) entry must be a table ([[\(name)]]), not \(typeName(e))")
            }
        }
        return out
    }

    mutating func readPolicy(_ t: TOMLTable, into policy: inout Policy) {
        let base: TOMLPath = [.key("policy")]
        checkKeys(t, base, "[policy]", allowed: ["name", "default", "path", "workspace", "workspace_programs", "kernel",
                                                 "kernel_shells"])
        if let k = string(t, "kernel_shells", base + [.key("kernel_shells")], "policy.kernel_shells") {
            if let m = KernelShells(rawValue: k) { policy.kernelShells = m } else {
                problem(base + [.key("kernel_shells")], "policy.kernel_shells: invalid value \"\(k)\"; use \"aegish\" or \"refuse\"")
            }
        }
        if let k = string(t, "kernel", base + [.key("kernel")], "policy.kernel") {
            if let m = KernelMode(rawValue: k) { policy.kernel = m } else { problem(base + [.key("kernel")], "policy.kernel: invalid value \"\(k)\"; use \"required\", \"best-effort\" or \"off\"") }
        }
        if let name = string(t, "name", base + [.key("name")], "policy.name") {
            if name.allSatisfy({ $0 == " " || $0 == "\t" }) {
                problem(base + [.key("name")], "policy.name is empty; give the policy a name")
            } else {
                policy.name = name
            }
        }
        if let v = verdict(t, "default", base + [.key("default")], "policy.default") { policy.defaultVerdict = v }
        if let v = verdict(t, "workspace_programs", base + [.key("workspace_programs")], "policy.workspace_programs") {
            policy.workspacePrograms = v
        }
        if let ws = string(t, "workspace", base + [.key("workspace")], "policy.workspace") {
            if let msg = workspaceProblem(ws) {
                problem(base + [.key("workspace")], "policy.workspace \(msg)")
            } else {
                policy.workspace = ws
            }
        }
        let pathKey = base + [.key("path")]
        if let dirs = strings(t, "path", pathKey, "policy.path") {
            var ok: [String] = []
            for (i, d) in dirs.enumerated() {
                if d.hasPrefix("/") && !hasByte(d, "\0") {
                    ok.append(d)
                } else {
                    let why = d.hasPrefix("$WORKSPACE") || d.hasPrefix("~")
                        ? "\(d.hasPrefix("~") ? "~" : "$WORKSPACE") is not expanded here: command lookup must not reach directories the agent can write"
                        : "relative entries are never searched"
                    problem(pathKey + [.index(i)], "policy.path entry \"\(d)\" is not an absolute directory; \(why)")
                }
            }
            if ok.count == dirs.count { policy.searchPath = dirs }
        }
    }

    mutating func pathPatterns(_ t: TOMLTable, _ key: String, _ base: TOMLPath, _ what: String,
                               workspace: String?) -> [String]? {
        let path = base + [.key(key)]
        guard let list = strings(t, key, path, what) else { return nil }
        for (i, p) in list.enumerated() {
            if let msg = pathPatternProblem(p, workspace: workspace) {
                problem(path + [.index(i)], "\(what): \"\(p)\" \(msg)")
            }
        }
        return list
    }

    mutating func readPaths(_ t: TOMLTable, into policy: inout Policy) {
        let base: TOMLPath = [.key("paths")]
        checkKeys(t, base, "[paths]", allowed: ["read", "write", "deny", "outside"])
        let ws = policy.workspace
        if let l = pathPatterns(t, "read", base, "paths.read", workspace: ws) { policy.paths.read = l }
        if let l = pathPatterns(t, "write", base, "paths.write", workspace: ws) { policy.paths.write = l }
        if let l = pathPatterns(t, "deny", base, "paths.deny", workspace: ws) { policy.paths.deny = l }
        if let v = verdict(t, "outside", base + [.key("outside")], "paths.outside") { policy.paths.outside = v }
    }

    mutating func readNetwork(_ t: TOMLTable, into policy: inout Policy) {
        let base: TOMLPath = [.key("network")]
        checkKeys(t, base, "[network]", allowed: ["allow", "deny", "outside"])
        for key in ["allow", "deny"] {
            let path = base + [.key(key)]
            guard let list = strings(t, key, path, "network.\(key)") else { continue }
            for (i, h) in list.enumerated() {
                if let msg = hostPatternProblem(h) { problem(path + [.index(i)], "network.\(key): \"\(h)\" \(msg)") }
            }
            if key == "allow" { policy.network.allow = list } else { policy.network.deny = list }
        }
        if let v = verdict(t, "outside", base + [.key("outside")], "network.outside") { policy.network.outside = v }
    }

    mutating func readEnvironment(_ t: TOMLTable, into policy: inout Policy) {
        let base: TOMLPath = [.key("environment")]
        checkKeys(t, base, "[environment]", allowed: ["pass", "set", "deny"])
        for key in ["pass", "deny"] {
            let path = base + [.key(key)]
            guard let list = strings(t, key, path, "environment.\(key)") else { continue }
            for (i, n) in list.enumerated() {
                if let msg = envPatternProblem(n, allowPattern: true) {
                    problem(path + [.index(i)], "environment.\(key): \"\(n)\" \(msg)")
                }
            }
            if key == "pass" { policy.environment.pass = list } else { policy.environment.deny = list }
        }
        let setPath = base + [.key("set")]
        if let s = table(t, "set", setPath, "environment.set (e.g. set = { PAGER = \"cat\" })") {
            for name in s.keys {
                let p = setPath + [.key(name)]
                if let msg = envPatternProblem(name, allowPattern: false) {
                    problem(p, atKey: true, "environment.set: \"\(name)\" \(msg)")
                    continue
                }
                guard let value = stringValue(s[name]!, p, "environment.set.\(name)") else { continue }
                if let denied = policy.environment.deny.first(where: { envMatches($0, name) }) {
                    problem(p, atKey: true, "environment.set: \"\(name)\" is also denied by environment.deny entry \"\(denied)\"; remove one of them")
                    continue
                }
                policy.environment.set[name] = value
            }
        }
    }

    mutating func defineRuleID(_ id: String, path: TOMLPath, explicit: Bool, what: String) {
        if let first = ruleIDs[id] {
            let at = location(first.path, value: first.explicit)
            let firstAt = at.line > 0 ? " (first defined at \(at))" : ""
            problem(path, atKey: !explicit,
                    "duplicate rule id \"\(id)\"\(firstAt); give this \(what) a different id = \"…\"")
        } else {
            ruleIDs[id] = (path, explicit)
        }
    }

    mutating func options(_ t: TOMLTable, _ key: String, _ base: @autoclosure () -> TOMLPath,
                          _ label: @autoclosure () -> String) -> [String] {
        guard let list = strings(t, key, base() + [.key(key)], "\(label()): \(key)") else { return [] }
        for (i, o) in list.enumerated() {
            if let msg = optionProblem(o) { problem(base() + [.key(key), .index(i)], "\(label()): \(key): \"\(o)\" \(msg)") }
        }
        return list
    }

    mutating func readCommand(_ t: TOMLTable, _ base: TOMLPath, number: Int, of commandCount: Int,
                              policy: Policy) -> CommandRule? {
        let before = problems.count
        // Names first: the label and the default id come from them.
        var names: [String] = []
        let hasName = t["name"] != nil, hasNames = t["names"] != nil
        if hasName && hasNames {
            problem(base + [.key("names")], atKey: true,
                    "[[command]] #\(number) has both name and names; use one of them")
        }
        if hasNames, let list = strings(t, "names", base + [.key("names")], "[[command]] #\(number): names") {
            names = list
        } else if hasName, let n = string(t, "name", base + [.key("name")], "[[command]] #\(number): name") {
            names = [n]
        }
        var explicitID: String? = nil
        if let id = string(t, "id", base + [.key("id")], "[[command]] #\(number): id") {
            if id.isEmpty || id.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                problem(base + [.key("id")], "[[command]] #\(number): id \"\(id)\" must be non-empty and contain no spaces")
            } else {
                explicitID = id
            }
        }
        let id = explicitID ?? names.first ?? "#\(number)"
        let label = "[[command]] \"\(id)\""

        checkKeys(t, base, label, allowed: ["id", "name", "names", "decision", "reason", "sha256",
                                            "options_with_value", "deny_options", "ask_options",
                                            "inline_code", "arguments"]) { key in
            switch key {
            case "verdict": return "use decision = \"allow\" | \"ask\" | \"deny\""
            case "argument", "args": return "write argument rules as [[command.arguments]]"
            case "pattern": return "argument patterns go in [[command.arguments]] under this command"
            default: return nil
            }
        }
        if !hasName && !hasNames {
            problem(base, atKey: true, "\(label) has no names; add names = [\"…\"] (or name = \"…\")")
        } else if hasNames && names.isEmpty && t["names"]?.type == .array {
            problem(base + [.key("names")], "\(label): names is empty; list at least one command name")
        }
        let namesPath = base + [.key(hasNames ? "names" : "name")]
        for (i, n) in names.enumerated() {
            if let msg = commandNameProblem(n) {
                problem(hasNames ? namesPath + [.index(i)] : namesPath, "\(label): name \"\(n)\" \(msg)")
            }
        }
        let decision = verdict(t, "decision", base + [.key("decision")], "\(label): decision",
                               required: "\(label) has no decision; add decision = \"allow\" | \"ask\" | \"deny\"")
        defineRuleID(id, path: explicitID != nil ? base + [.key("id")] : base, explicit: explicitID != nil,
                     what: "command")

        var rule = CommandRule(id: id, names: names, verdict: decision ?? .deny)
        rule.location = headerLocation("command", number - 1, of: commandCount)
        rule.reason = string(t, "reason", base + [.key("reason")], "\(label): reason")
        if let sha = string(t, "sha256", base + [.key("sha256")], "\(label): sha256") {
            if sha.utf8.count == 64 && sha.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) {
                rule.sha256 = sha.lowercased()
            } else {
                problem(base + [.key("sha256")],
                        "\(label): sha256 must be 64 hexadecimal digits (got \(sha.count) characters); print it with sha256sum")
            }
        }
        rule.optionsWithValue = options(t, "options_with_value", base, label)
        rule.denyOptions = options(t, "deny_options", base, label)
        rule.askOptions = options(t, "ask_options", base, label)
        rule.inlineCode = verdict(t, "inline_code", base + [.key("inline_code")], "\(label): inline_code")

        let argsPath = base + [.key("arguments")]
        for (j, a) in arrayOfTables(t, "arguments", base: base, label: "command.arguments") {
            let p = argsPath + [.index(j)]
            let argLabel = "\(label), [[command.arguments]] #\(j + 1)"
            checkKeys(a, p, argLabel, allowed: ["pattern", "decision", "reason", "id"]) { key in
                key == "verdict" ? "use decision = \"allow\" | \"ask\" | \"deny\"" : nil
            }
            let pattern = string(a, "pattern", p + [.key("pattern")], "\(argLabel): pattern",
                                 required: "\(argLabel) has no pattern; add pattern = \"…\" (e.g. \"push *\")")
            if let pattern, pattern.allSatisfy({ $0 == " " || $0 == "\t" }) {
                problem(p + [.key("pattern")], "\(argLabel): pattern is empty; write the arguments to match (e.g. \"push *\")")
            }
            let v = verdict(a, "decision", p + [.key("decision")], "\(argLabel): decision",
                            required: "\(argLabel) has no decision; add decision = \"allow\" | \"ask\" | \"deny\"")
            var argID = "\(id):\(j + 1)"
            var explicitArgID = false
            if let aid = string(a, "id", p + [.key("id")], "\(argLabel): id") {
                if aid.isEmpty || aid.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                    problem(p + [.key("id")], "\(argLabel): id \"\(aid)\" must be non-empty and contain no spaces")
                } else {
                    argID = aid
                    explicitArgID = true
                }
            }
            defineRuleID(argID, path: explicitArgID ? p + [.key("id")] : p, explicit: explicitArgID,
                         what: "argument rule")
            var arg = ArgumentRule(pattern: pattern ?? "", verdict: v ?? .deny, id: argID)
            arg.reason = string(a, "reason", p + [.key("reason")], "\(argLabel): reason")
            rule.arguments.append(arg)
        }
        return problems.count == before ? rule : nil
    }

    mutating func readTest(_ t: TOMLTable, _ base: TOMLPath, number: Int, of testCount: Int,
                           policy: Policy) -> PolicyTest? {
        let before = problems.count
        let label = "[[test]] #\(number)"
        checkKeys(t, base, label, allowed: ["command", "expect", "rule", "cwd"]) { key in
            switch key {
            case "decision", "verdict": return "use expect = \"allow\" | \"ask\" | \"deny\""
            case "id": return "use rule = \"…\" for the rule id the decision should come from"
            default: return nil
            }
        }
        let command = string(t, "command", base + [.key("command")], "\(label): command",
                             required: "\(label) has no command; add command = \"…\" (a shell command line)")
        if let command, command.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) {
            problem(base + [.key("command")], "\(label): command is empty")
        }
        let expect = verdict(t, "expect", base + [.key("expect")], "\(label): expect",
                             required: "\(label) has no expect; add expect = \"allow\" | \"ask\" | \"deny\"")
        var test = PolicyTest(command: command ?? "", expect: expect ?? .deny)
        test.location = headerLocation("test", number - 1, of: testCount)
        if let rule = string(t, "rule", base + [.key("rule")], "\(label): rule") {
            if rule.isEmpty { problem(base + [.key("rule")], "\(label): rule is empty") }
            test.rule = rule
        }
        if let cwd = string(t, "cwd", base + [.key("cwd")], "\(label): cwd") {
            if let msg = pathPatternProblem(cwd, workspace: policy.workspace, glob: false) {
                problem(base + [.key("cwd")], "\(label): cwd \"\(cwd)\" \(msg)")
            }
            test.cwd = cwd
        }
        return problems.count == before ? test : nil
    }
}

// MARK: - Value checks (each returns what is wrong, to follow the quoted value, or nil)

func typeName(_ v: TOMLValueConvertible) -> String {
    switch v.type {
    case .string: return "a string"
    case .int: return "an integer"
    case .double: return "a number"
    case .bool: return "a boolean"
    case .array: return "an array"
    case .table: return "a table"
    case .date: return "a date"
    case .time: return "a time"
    case .dateTime: return "a date-time"
    }
}

/// A program name: a plain name looked up in policy.path, or an absolute path.
func commandNameProblem(_ n: String) -> String? {
    if n.isEmpty { return "is empty" }
    if n.hasPrefix("/") {
        if n.hasSuffix("/") { return "ends with \"/\"; name the program file, not a directory" }
        if n.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            return "contains . or .. components; write the plain absolute path"
        }
    } else if hasByte(n, "/") {
        return "is neither a plain command name (no \"/\") nor an absolute path"
    } else if n == "." || n == ".." {
        return "is not a command name"
    }
    if n.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        return "contains a glob character; command names are matched exactly"
    }
    if n.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
        return "contains white space; list each name separately"
    }
    return nil
}

/// The workspace: an absolute directory, no `~`, variables, globs or `..`.
func workspaceProblem(_ w: String) -> String? {
    guard w.hasPrefix("/") else { return "\"\(w)\" must be an absolute directory (starting with /)" }
    if hasByte(w, "$") || hasByte(w, "*") { return "\"\(w)\" must be a plain absolute directory (no variables or globs)" }
    if w.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
        return "\"\(w)\" contains . or .. components; write the plain absolute path"
    }
    return nil
}

/// A path pattern: absolute, `~` / `~/…`, or `$WORKSPACE` / `$WORKSPACE/…` (workspace set);
/// `*` within a component, `**` as a whole component.
func pathPatternProblem(_ p: String, workspace: String?, glob: Bool = true) -> String? {
    if p.isEmpty { return "is empty; path patterns start with /, ~ or $WORKSPACE" }
    var rest = Substring(p)
    if p.hasPrefix("/") {
        // absolute
    } else if p == "~" || p.hasPrefix("~/") {
        rest = p.dropFirst()
    } else if p.hasPrefix("~") {
        return "uses ~user, which is not supported; write the absolute path"
    } else if p == "$WORKSPACE" || p.hasPrefix("$WORKSPACE/") {
        if workspace == nil { return "uses $WORKSPACE but [policy] sets no workspace; add workspace = \"/…\" to [policy]" }
        rest = p.dropFirst("$WORKSPACE".count)
    } else if p.hasPrefix("${WORKSPACE}") {
        return "uses ${WORKSPACE}; write $WORKSPACE"
    } else if p.hasPrefix("$") {
        return "uses a variable; only $WORKSPACE is expanded (use ~ for the home directory)"
    } else {
        return "is relative; path patterns start with /, ~ or $WORKSPACE"
    }
    if hasByte(rest, "$") { return "contains \"$\"; only a leading $WORKSPACE is expanded" }
    let components = rest.split(separator: "/")
    if components.contains(where: { $0 == "." || $0 == ".." }) {
        return "contains . or .. components; write the path without them"
    }
    if !glob && hasByte(rest, "*") { return "contains \"*\"; a plain path is expected here" }
    for c in components where hasText(c, "**") && c != "**" {
        return "uses ** inside a component; ** must be a whole component (\"/a/**/b\"), * matches within one"
    }
    return nil
}

/// A host pattern: `example.com` (exactly), `*.example.com` (subdomains only), `.example.com`
/// (the domain and its subdomains); IPv4 and IPv6 addresses are exact.
func hostPatternProblem(_ h: String) -> String? {
    if h.isEmpty { return "is empty" }
    if hasText(h, "://") { return "contains a scheme; write the host name only (\"pypi.org\", not \"https://pypi.org\")" }
    if hasByte(h, "/") { return "contains a path; write the host name only" }
    if hasByte(h, "@") { return "contains user information; write the host name only" }
    if h == "*" { return "would match every host; set outside = \"allow\" if that is really meant" }
    if h.hasPrefix("[") || h.hasSuffix("]") { return "has brackets; write IPv6 addresses without them" }
    var body = Substring(h)
    var prefixed = false
    if h.hasPrefix("*.") {
        body = body.dropFirst(2); prefixed = true
        if body.isEmpty { return "has nothing after \"*.\"; write \"*.example.com\"" }
    } else if h.hasPrefix(".") {
        body = body.dropFirst(); prefixed = true
        if body.isEmpty { return "has nothing after \".\"; write \".example.com\"" }
    }
    if hasByte(body, "*") { return "has \"*\" other than as a leading \"*.\"; write \"*.example.com\" or \".example.com\"" }
    if hasByte(body, ":") {
        let ipv6 = !prefixed && body.filter({ $0 == ":" }).count >= 2
            && body.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }
        return ipv6 ? nil : "has a port or \":\"; host patterns name hosts only (ports are not checked)"
    }
    if body.hasSuffix(".") { return "ends with \".\"; remove the trailing dot" }
    if body.utf8.count > 253 { return "is longer than 253 characters" }
    for label in body.split(separator: ".", omittingEmptySubsequences: false) {
        if label.isEmpty { return "has an empty label (\"..\")" }
        if label.utf8.count > 63 { return "has a label longer than 63 characters" }
        if let bad = label.unicodeScalars.first(where: {
            !($0.properties.isASCIIHexDigit || ("g"..."z").contains($0) || ("G"..."Z").contains($0)
              || $0 == "-" || $0 == "_" || ("0"..."9").contains($0))
        }) {
            return "has the invalid character \"\(bad)\"; write internationalised names in their xn-- form"
        }
    }
    return nil
}

/// An environment variable name, or (allowPattern) `PREFIX*` (`*` alone: every variable).
func envPatternProblem(_ n: String, allowPattern: Bool) -> String? {
    var name = Substring(n)
    if allowPattern && name.hasSuffix("*") { name = name.dropLast() ; if name.isEmpty { return nil } }
    if name.isEmpty { return "is empty" }
    if hasByte(name, "*") {
        return allowPattern ? "has \"*\" other than at the end; write PREFIX_*" : "is a pattern; set needs exact names"
    }
    let scalars = Array(name.unicodeScalars)
    func ok(_ u: Unicode.Scalar, first: Bool) -> Bool {
        u == "_" || ("A"..."Z").contains(u) || ("a"..."z").contains(u) || (!first && ("0"..."9").contains(u))
    }
    if !ok(scalars[0], first: true) || !scalars.dropFirst().allSatisfy({ ok($0, first: false) }) {
        return "is not a variable name (letters, digits and _, not starting with a digit)"
    }
    return nil
}

/// Whether an environment pattern (`NAME` or `PREFIX*`) matches `name`.
func envMatches(_ pattern: String, _ name: String) -> Bool {
    pattern.hasSuffix("*") ? name.hasPrefix(pattern.dropLast()) : pattern == name
}

/// An option as the analyser spells it: `-x`, `-C`, `--long`.
func optionProblem(_ o: String) -> String? {
    if !o.hasPrefix("-") || o == "-" || o == "--" { return "is not an option (write \"-r\" or \"--recursive\")" }
    if hasByte(o, "=") { return "contains \"=\"; give the option name only (values are matched by argument patterns)" }
    if o.contains(where: { $0 == " " || $0 == "\t" }) { return "contains white space; list each option separately" }
    return nil
}

/// Whether `s` contains the ASCII character `c` (a byte scan; no Foundation).
@inline(__always)
func hasByte<S: StringProtocol>(_ s: S, _ c: Unicode.Scalar) -> Bool {
    s.utf8.contains(UInt8(ascii: c))
}

/// Whether `s` contains `sub` (a byte scan; no Foundation).
func hasText<S: StringProtocol>(_ s: S, _ sub: String) -> Bool {
    let a = Array(s.utf8), b = Array(sub.utf8)
    guard !b.isEmpty, a.count >= b.count else { return b.isEmpty }
    for i in 0...(a.count - b.count) where a[i] == b[0] && Array(a[i..<(i + b.count)]) == b { return true }
    return false
}
