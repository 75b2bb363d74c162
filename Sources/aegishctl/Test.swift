import ArgumentParser
import Foundation
import Policy
import Syntax

/// `aegishctl test`: a policy regression suite (the policy's own [[test]] examples, then every
/// [[case]] of the given files).
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a policy regression suite: the policy's [[test]] examples and [[case]]s from files.",
        discussion: """
            A case passes when the command's overall verdict is its expect (and, when rule is \
            given, the decision comes from that rule). A command that does not parse counts as \
            deny by rule "parse" (aegish would not run it). Prints one line per failure and \
            the summary line "N passed, N failed". Exit status: 0 all passed, 1 a case \
            failed, 3 usage or load errors.
            """)

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var userOption: UserOption

    @Option(name: .long, help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Flag(name: .shortAndLong, help: "Print a line for passing cases too.")
    var verbose = false

    @Argument(help: ArgumentHelp("Case files ([[case]] tables).", valueName: "cases.toml"))
    var cases: [String] = []

    struct Result {
        var suite: String
        var name: String
        var location: String
        var passed: Bool
        var expected: String
        var got: String
    }

    func run() throws {
        // Read every case file first: a broken suite is a usage error, not a failure.
        var suites: [(file: String, cases: [PolicyCase])] = []
        for file in cases {
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8) else {
                stderrLine("aegishctl: cannot read \(file) (missing, unreadable or not UTF-8)")
                throw ExitCode(errorExit)
            }
            do {
                suites.append((file, try parsePolicyCases(text, file: file)))
            } catch {
                stderrLine("aegishctl: \(error)")
                throw ExitCode(errorExit)
            }
        }
        let p = try loadForTool(policyOptions, user: userOption.user)
        // Cases for another user (or HOME) get their own engine, loaded as for that user.
        var byUser: [String: LoadedPolicy] = [:]
        func policy(for c: PolicyCase) throws -> LoadedPolicy {
            guard c.user != nil || c.env["HOME"] != nil else { return p }
            let key = (c.user ?? "") + "\u{0}" + (c.env["HOME"] ?? "")
            if let q = byUser[key] { return q }
            var o = policyOptions
            if let h = c.env["HOME"] { o.home = h }   // the case's own HOME wins over --home
            let q = try loadForTool(o, user: c.user ?? userOption.user, environment: c.env)
            byUser[key] = q
            return q
        }
        var results: [Result] = []

        let policyFile = policyOptions.policy
        for t in p.engine.policy.tests {
            let loc = t.location.map { "\($0.file):\($0.line)" } ?? policyFile
            results.append(decide(suite: "\(policyFile) [[test]]", name: t.command, location: loc,
                                  command: t.command, cwd: p.resolveCwd(t.cwd), expect: t.expect, rule: t.rule, p))
        }
        for (file, list) in suites {
            for c in list {
                let loc = c.location.line > 0 ? "\(file):\(c.location.line)" : file
                let q = try policy(for: c)
                results.append(decide(suite: file, name: c.name, location: loc, command: c.command,
                                      cwd: q.resolveCwd(c.cwd), env: c.env, expect: c.expect, rule: c.rule, q))
            }
        }
        let failed = results.filter { !$0.passed }
        for r in results where verbose || !r.passed {
            print("\(r.passed ? "PASS" : "FAIL") \(r.location): \(r.name): expected \(r.expected), got \(r.got)")
        }
        print("\(results.count - failed.count) passed, \(failed.count) failed")
        if let junit {
            do {
                try junitXML(results).write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                stderrLine("aegishctl: cannot write \(junit): \(error)")
                throw ExitCode(errorExit)
            }
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }

    func decide(suite: String, name: String, location: String, command: String, cwd: String,
                env: [String: String] = [:], expect: Verdict, rule: String?, _ p: LoadedPolicy) -> Result {
        let d: Decision
        do {
            d = try analyseText(command, p, cwd: cwd, environment: env).decision
        } catch {
            d = Decision(.deny, rule: "parse", "does not parse: \(error)")
        }
        let passed = d.verdict == expect && (rule == nil || rule == d.ruleID)
        let expected = expect.description + (rule.map { " by rule \($0)" } ?? "")
        let got = "\(d.verdict) by rule \(d.ruleID.isEmpty ? "-" : d.ruleID)" + (d.reason.isEmpty ? "" : " (\(d.reason))")
        return Result(suite: suite, name: name, location: location, passed: passed, expected: expected, got: got)
    }

    func junitXML(_ results: [Result]) -> String {
        var order: [String] = []
        var bySuite: [String: [Result]] = [:]
        for r in results {
            if bySuite[r.suite] == nil { order.append(r.suite) }
            bySuite[r.suite, default: []].append(r)
        }
        let failures = results.filter { !$0.passed }.count
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuites name=\"aegishctl test\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        for s in order {
            let rs = bySuite[s]!
            x += "  <testsuite name=\"\(xmlEscape(s))\" tests=\"\(rs.count)\" failures=\"\(rs.filter { !$0.passed }.count)\" errors=\"0\" skipped=\"0\">\n"
            for r in rs {
                x += "    <testcase classname=\"\(xmlEscape(s))\" name=\"\(xmlEscape(r.name))\" time=\"0\""
                if r.passed {
                    x += "/>\n"
                } else {
                    let msg = "expected \(r.expected), got \(r.got)"
                    x += ">\n      <failure message=\"\(xmlEscape(msg))\" type=\"verdict\">\(xmlEscape(r.location + ": " + msg))</failure>\n    </testcase>\n"
                }
            }
            x += "  </testsuite>\n"
        }
        x += "</testsuites>\n"
        return x
    }
}

/// Text safe in XML attributes and content; characters XML 1.0 cannot carry become U+FFFD.
func xmlEscape(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\n": out += "&#10;"
        case "\t": out += "&#9;"
        case "\r": out += "&#13;"
        default:
            if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
                out.unicodeScalars.append("\u{FFFD}")
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out
}
