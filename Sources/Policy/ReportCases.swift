// Regression-suite files for `aegishctl test`: TOML with `[[case]]` tables, each a command and the
// verdict the policy must give it. Read here, next to the policy loader, whose
// TOML parsing (LoadTOML.swift) and key locator it shares.
//
//   [[case]]
//   name = "listing"            # optional; defaults to the command
//   command = "ls -la src"
//   expect = "allow"            # allow | ask | deny
//   rule = "read-only"          # optional: the rule id the decision must come from
//   cwd = "$WORKSPACE/src"      # optional; $WORKSPACE and relative paths are resolved by the tool
//   user = "agent"              # optional: the governed user (name or uid)
//   env = { HOME = "/home/agent", TARGET = "build" }   # optional: the shell's environment

import TOMLTree

public struct PolicyCase: Sendable {
    public var name: String
    public var command: String
    public var expect: Verdict
    public var rule: String?
    public var cwd: String?
    /// The governed user (name or uid); nil: the tool's --user.
    public var user: String?
    /// The environment the shell starts with (`$NAME` is known where the script leaves it alone).
    public var env: [String: String]
    /// Where the `[[case]]` header is (line 0 when unknown).
    public var location: SourceLocation
    public init(name: String, command: String, expect: Verdict, rule: String? = nil, cwd: String? = nil,
                user: String? = nil, env: [String: String] = [:], location: SourceLocation) {
        self.name = name; self.command = command; self.expect = expect
        self.rule = rule; self.cwd = cwd; self.user = user; self.env = env; self.location = location
    }
}

/// Reads a cases file. Throws `PolicyLoadError` for the first problem (invalid TOML, unknown keys,
/// missing command/expect, invalid verdicts).
public func parsePolicyCases(_ text: String, file: String) throws -> [PolicyCase] {
    let root: TOMLTable
    do {
        root = try TOMLParser.parse(text)
    } catch let e as TOMLSyntaxError {
        throw PolicyLoadError(file: file, line: max(e.line, 1), column: max(e.column, 1),
                              "invalid TOML: \(e.description)")
    } catch {
        throw PolicyLoadError(file: file, line: 0, column: 0, "invalid TOML: \(error)")
    }
    for key in root.keys where key != "case" {
        throw PolicyLoadError(file: file, line: 0, column: 0,
                              "unknown key \"\(key)\" at the top level; write each case under its own [[case]] header")
    }
    guard let v = root["case"] else { return [] }
    guard v.type == .array, let array = v.array else {
        throw PolicyLoadError(file: file, line: 0, column: 0, "case must be an array of tables: write [[case]]")
    }
    let headers = KeyLocator.arrayTableHeaders(in: text)["case"]
    var out: [PolicyCase] = []
    for (i, e) in array.enumerated() {
        var loc = SourceLocation(file: file, line: 0, column: 0)
        if let h = headers, h.count == array.count { loc = SourceLocation(file: file, line: h[i].line, column: h[i].column) }
        let label = "[[case]] #\(i + 1)"
        func fail(_ m: String) -> PolicyLoadError { PolicyLoadError(location: loc, message: "\(label): \(m)") }
        guard e.type == .table, let t = e.table else { throw fail("must be a table") }
        let allowed = ["name", "command", "expect", "rule", "cwd", "user", "env"]
        for key in t.keys where !allowed.contains(key) {
            throw fail("unknown key \"\(key)\"; allowed keys: \(allowed.joined(separator: ", "))")
        }
        func str(_ key: String) throws -> String? {
            guard let v = t[key] else { return nil }
            guard v.type == .string, let s = v.string else { throw fail("\(key) must be a string") }
            return s
        }
        guard let command = try str("command"), !command.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else {
            throw fail("has no command; add command = \"…\"")
        }
        guard let expectText = try str("expect") else { throw fail("has no expect; add expect = \"allow\" | \"ask\" | \"deny\"") }
        guard let expect = Verdict(expectText) else {
            throw fail("invalid expect \"\(expectText)\"; use \"allow\", \"ask\" or \"deny\"")
        }
        let rule = try str("rule")
        if rule == "" { throw fail("rule is empty") }
        var env: [String: String] = [:]
        if let v = t["env"] {
            guard v.type == .table, let table = v.table else { throw fail("env must be a table: env = { NAME = \"value\" }") }
            for key in table.keys {
                guard let s = table[key]?.string else { throw fail("env.\(key) must be a string") }
                env[key] = s
            }
        }
        let user = try str("user")
        if user == "" { throw fail("user is empty") }
        out.append(PolicyCase(name: try str("name") ?? command, command: command, expect: expect,
                              rule: rule, cwd: try str("cwd"), user: user, env: env, location: loc))
    }
    return out
}
