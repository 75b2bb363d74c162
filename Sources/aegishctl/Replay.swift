import ArgumentParser
import Audit
import Foundation
import Glibc
import Policy

/// `aegishctl replay LOG --policy NEW`: what a new policy would have decided differently on real
/// traffic. Every decision record of an audit log (exec, open, cd, source) is decided again by
/// the engine, as the shell's gate decides it (the logged argv after expansion and the logged
/// working directory; the logged path), and compared with what was logged.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-decide the commands of an audit log under a (new) policy; report what would change.",
        discussion: """
            Compares each logged decision with the policy's decision now: newly denied, newly \
            allowed, newly asked, with counts and the log lines (line number, user, command \
            line). The logged outcome is taken as the old policy's verdict: allowed → allow, \
            denied → deny, asked_* → ask; rate-limit refusals count as the policy's allow (the \
            limiter only sees what the policy lets through). Completion and log.repair records \
            are skipped. Each record is decided for its own user.id (home from /etc/passwd \
            unless --home; --user decides every record as one user). Nothing is run. Exit \
            status: 0 nothing changes, 1 something does, 3 the log or the policy cannot be read.
            """)

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var userOption: UserOption

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("List at most this many lines per kind of change (the counts are always complete).", valueName: "n"))
    var maxLines = 200

    @Argument(help: ArgumentHelp("The audit log (JSON Lines, aegish-audit(5)).", valueName: "log"))
    var log: String

    enum Change: String, CaseIterable {
        case newlyDenied = "newly_denied", newlyAllowed = "newly_allowed", newlyAsked = "newly_asked"
        var title: String {
            switch self { case .newlyDenied: return "newly denied"; case .newlyAllowed: return "newly allowed"; case .newlyAsked: return "newly asked" }
        }
    }

    struct Row {
        var line: Int
        var user: String
        var action: String
        var what: String
        var commandLine: String?
        var cwd: String
        var outcome: String
        var old: Verdict
        var oldRule: String
        var new: Decision
    }

    func run() throws {
        guard let reader = LineReader(path: log) else {
            stderrLine("aegishctl replay: cannot read \(log): \(String(cString: strerror(errno)))")
            throw ExitCode(errorExit)
        }
        // The policy once (with the ownership check for the invoking user or --user, as every
        // subcommand); then an engine per governed user met in the log.
        let base = try loadForTool(policyOptions, user: userOption.user)
        var engines: [UInt32: LoadedPolicy] = [:]
        func policy(forUID uid: UInt32?) throws -> LoadedPolicy {
            guard userOption.user == nil, let uid, uid != base.uid else { return base }
            if let p = engines[uid] { return p }
            let home = policyOptions.home ?? lookupUser(uid: uid).map(\.home).flatMap { $0.isEmpty ? nil : $0 }
            let engine = try PolicyEngine(policy: base.engine.policy, home: home, governedUID: uid_t(uid))
            let p = LoadedPolicy(engine: engine, home: home, uid: uid_t(uid), originalWorkspace: base.originalWorkspace)
            engines[uid] = p
            return p
        }

        var rows: [Change: [Row]] = [:]
        var counts: [Change: Int] = [:]
        var decisions = 0, unchanged = 0, skipped = 0, unreadable = 0
        var lineNumber = 0
        for line in reader.lines() {
            lineNumber += 1
            if line.isEmpty { continue }
            let logged: LoggedDecision
            switch readLogLine(line) {
            case .unreadable: unreadable += 1; continue
            case .skipped: skipped += 1; continue
            case .decision(let d): logged = d
            }
            guard let old = logged.oldVerdict else { skipped += 1; continue }
            let p: LoadedPolicy
            do {
                p = try policy(forUID: logged.userID)
            } catch {
                stderrLine("aegishctl replay: \(error)")
                throw ExitCode(errorExit)
            }
            let (what, new) = redecide(logged, engine: p.engine, relocate: { p.resolveCwd($0) })
            decisions += 1
            let change: Change?
            switch new.verdict {
            case old: change = nil
            case .deny: change = .newlyDenied
            case .allow: change = .newlyAllowed
            case .ask: change = .newlyAsked
            }
            guard let change else { unchanged += 1; continue }
            counts[change, default: 0] += 1
            if rows[change, default: []].count < maxLines {
                rows[change, default: []].append(Row(
                    line: lineNumber, user: logged.userName ?? logged.userID.map(String.init) ?? "?", action: logged.action,
                    what: what, commandLine: logged.commandLine, cwd: p.resolveCwd(logged.workingDirectory ?? "/"),
                    outcome: logged.outcome, old: old, oldRule: logged.ruleID ?? "", new: new))
            }
        }
        let changed = counts.values.reduce(0, +)
        if json {
            var out: [String: Any] = ["log": log, "policy": policyOptions.policy, "decisions": decisions,
                                      "unchanged": unchanged, "skipped": skipped, "unreadable_lines": unreadable,
                                      "changed": changed]
            for c in Change.allCases {
                out[c.rawValue] = ["count": counts[c] ?? 0, "lines": (rows[c] ?? []).map(rowJSON)]
            }
            print(jsonText(out, pretty: true))
        } else {
            print("\(log): \(decisions) decisions replayed under \(policyOptions.policy): "
                  + Change.allCases.map { "\(counts[$0] ?? 0) \($0.title)" }.joined(separator: ", ")
                  + ", \(unchanged) unchanged")
            if skipped > 0 || unreadable > 0 {
                print("(\(skipped) records skipped: completions, repairs, records without a decision to replay"
                      + (unreadable > 0 ? "; \(unreadable) lines are not records: run aegishctl log verify" : "") + ")")
            }
            for c in Change.allCases {
                guard let list = rows[c], !list.isEmpty else { continue }
                print("\n\(c.title) (\(counts[c] ?? 0)):")
                for row in list {
                    let cmd = row.commandLine.map { $0 == row.what ? $0 : "\($0)  [\(row.what)]" } ?? row.what
                    print("  line \(row.line)  \(row.user)  \(row.old) → \(row.new.verdict)  \(cmd)")
                    print("      was \(row.outcome)\(row.oldRule.isEmpty ? "" : " by \(row.oldRule)"); now \(verdictText(row.new))")
                }
                if (counts[c] ?? 0) > list.count { print("  … and \((counts[c] ?? 0) - list.count) more (--max-lines)") }
            }
        }
        if changed > 0 { throw ExitCode(1) }
    }

    func rowJSON(_ row: Row) -> [String: Any] {
        ["line": row.line, "user": row.user, "action": row.action, "what": row.what,
         "command_line": row.commandLine ?? NSNull(), "cwd": row.cwd,
         "old": ["outcome": row.outcome, "verdict": row.old.description, "rule": row.oldRule],
         "new": ["verdict": row.new.verdict.description, "rule": row.new.ruleID, "reason": row.new.reason]]
    }
}
