import Glibc
import Interp
import Policy
import Audit
import RateLimit

// The gate a governed shell runs under. One decision, in these steps, in this order:
//   1. the policy (PolicyGate: commands, arguments, paths, hosts, environment);
//   1b. the scan ([scan], ScanStep.swift): the code an allowed interpreter would run, the packages
//      an install would fetch — it can only make the decision stricter;
//   2. the rate limiter, for an allowed exec that a [[limit]] class covers (counted only here,
//      so a refused command never uses up the budget);
//   3. the audit record, written before anything runs. A record that cannot be written refuses
//      the command unless the policy says on_failure = "continue".
// When the program ends, a second record with the same event.id carries its exit status.

public final class EnforcingGate: Gate {
    public let policyGate: PolicyGate
    let log: DecisionLog?
    let logFailure: AuditConfig.OnFailure
    let limiter: LimitKeeper?
    /// Writes warnings (log failure under on_failure = continue, uncounted operations).
    let warn: (String) -> Void
    /// Who answers `ask`; nil: nobody, so every ask is refused.
    public var approver: Approver?
    /// Commands a human allowed "for this session" (action + argv or path) → who allowed them.
    /// A session is this process: another aegish asks again.
    private var sessionApprovals: [String: String] = [:]

    /// The record of the exec that is running, to complete when it ends.
    private var runningEvent: String? = nil
    /// What an `.ask` left pending until `answered`: the limiter operation to count if approved.
    private var pendingLimit: LimitOperation? = nil
    private var pendingLimitState: [(String, String)] = []
    private var pendingRule = ""
    /// [scan]: the code and packages an allowed exec would run or fetch. nil: no [scan].
    var scan: ScanStep? = nil
    private var scanFields: [(String, AuditValue)] = []

    /// In a shell that holds aegish's group: the relay that nested shells in its programs ask,
    /// made by `makeRelay` for the first program that may start one (a `cat` cannot: no relay,
    /// and the shell may still become it), or before the shell forks.
    var relay: RelayServer? = nil
    var makeRelay: (() -> RelayServer?)? = nil

    private func startRelay() {
        guard let make = makeRelay else { return }
        makeRelay = nil   // once: a failure leaves nested shells without an answer (they refuse)
        relay = make()
    }
    /// In a nested shell: the relay it asks, which its own programs get in turn.
    var inheritedRelay: String? = nil

    public convenience init(policyGate: PolicyGate, log: AuditLog?, logFailure: AuditConfig.OnFailure = .refuse,
                            limiter: Limiter?, warn: @escaping (String) -> Void) {
        self.init(policyGate: policyGate, decisionLog: log, logFailure: logFailure, limitKeeper: limiter, warn: warn)
    }

    init(policyGate: PolicyGate, decisionLog log: DecisionLog?, logFailure: AuditConfig.OnFailure = .refuse,
         limitKeeper limiter: LimitKeeper?, warn: @escaping (String) -> Void) {
        self.policyGate = policyGate
        self.log = log
        self.logFailure = logFailure
        self.limiter = limiter
        self.warn = warn
    }

    public var searchPath: [String]? { policyGate.searchPath }
    public var policyName: String? { policyGate.policyName }
    /// The policy's verdict only: completing a name runs nothing, so it is neither logged nor
    /// counted against a limit.
    public func completionAllows(_ r: GateRequest) -> Bool { policyGate.completionAllows(r) }
    /// The policy's environment, plus the relay for a nested aegish (RelayClient.swift), which
    /// replaces any AEGISH_RELAY the agent set.
    public func childEnvironment(_ environment: [String]) -> [String] {
        if makeRelay != nil, policyGate.kernel.lastProgramMayStartOthers { startRelay() }
        var env = policyGate.childEnvironment(environment)
        if let path = relay?.path ?? inheritedRelay {
            env.removeAll { $0.hasPrefix("AEGISH_RELAY=") }
            env.append("AEGISH_RELAY=" + path)
        }
        return env
    }
    public var relayFD: Int32? { relay?.serverFD }
    public func serveRelay() { relay?.serve() }
    /// Built (or taken from the cache) when the exec was decided, so a sandbox that cannot be
    /// built was already refused and logged as such.
    public func sandbox(for request: GateRequest) -> Sandbox { policyGate.sandbox(for: request) }
    /// The policy, then the agent's current rate-limit usage, so `allowed` tells it how much room
    /// is left before a limit refuses it.
    public func summary() -> String {
        var s = policyGate.summary()
        if let scan { s += scan.summary() }
        guard let limiter else { return s }
        switch limiter.usage() {
        case .success(let usage):
            for u in usage {
                s += "limit " + u.description + (u.freesIn.map { " (the oldest leaves the window in \($0) s)" } ?? "") + "\n"
            }
        case .failure(let e):
            s += "limits: \(e.reason)\n"
        }
        if let log { s += "audit log: \(log.path)\n" }
        return s
    }

    public func decide(_ r: GateRequest) -> GateDecision {
        var d = policyGate.decision(r)
        scanFields = []
        if let scan, d.verdict != .deny {
            let s = scan.check(r)
            if let sd = s.decision { d = d.combined(with: sd) }
            scanFields = s.fields
        }
        var outcome: AuditOutcome = d.verdict == .allow ? .allowed : .denied
        var limitState: [(String, String)] = []
        pendingLimit = nil

        if case .exec = r.action, d.verdict != .deny, let limiter {
            let op = LimitOperation(program: r.path, argv: r.argv, cwd: r.cwd,
                                    targets: policyGate.engine.changedFiles(argv: r.argv, cwd: r.cwd)
                                        .map { LimitTarget(path: $0.path, recursive: $0.recursive) })
            // An ask from the policy is counted only once a human approves it.
            let result = d.verdict == .ask ? .allowed(usage: [], warning: nil) as LimitOutcome
                                           : limiter.check(op)
            if d.verdict == .ask, !limiter.classes(covering: op.program, argv: op.argv).isEmpty {
                pendingLimit = op
            }
            switch result {
            case .allowed(let usage, let warning):
                limitState = usage.map { ("usage", $0.description) }
                if let warning {
                    warn("aegish: warning: \(warning)")
                    limitState.append(("warning", warning))
                }
            case .exceeded(let e):
                limitState = [("class", e.classID), ("reason", e.reason)] + e.usage.map { ("usage", $0.description) }
                if let s = e.retryAfter { limitState.append(("retry_after_s", String(s))) }
                if e.verdict == .ask {
                    d = Decision(.ask, rule: "limit." + e.classID, e.reason)
                    pendingLimit = op
                } else {
                    d = Decision(.deny, rule: "limit." + e.classID, e.reason)
                    outcome = .rateLimited
                }
            case .unavailable(let reason):
                d = Decision(.deny, rule: "limits", reason + "; destructive commands are refused until the rate-limit state is usable")
                outcome = .denied
            }
        }

        if case .exec = r.action, d.verdict == .allow, case .refused(let why) = policyGate.sandbox(for: r) {
            // kernel = "required" and the sandbox cannot be built: refused, and logged so.
            d = Decision(.deny, rule: "kernel", why)
            outcome = .denied
        }
        if d.verdict == .ask {
            // Logged with its answer, in `answered`.
            pendingLimitState = limitState
            pendingRule = d.ruleID
            return .ask(reason: "\(d.ruleID): \(d.reason)")
        }
        let quiet = d.verdict == .allow && d.ruleID == "paths.devices"   // `> /dev/null` every time
        if !quiet, let refusal = write(r, outcome: outcome, rule: d.ruleID, reason: d.reason,
                                       limit: limitState, running: d.verdict == .allow) {
            return refusal
        }
        switch d.verdict {
        case .allow: return .allow
        case .deny, .ask: return .deny(reason: "\(d.ruleID): \(d.reason)")
        }
    }

    public func resolveAsk(_ request: GateRequest, reason: String) -> GateDecision {
        let key = approvalKey(request)
        let answer: ApprovalAnswer
        var by: String? = nil
        if let who = sessionApprovals[key] {
            answer = .allowOnce
            by = who + ", earlier in this session"
        } else if let approver {
            answer = approver.approve(ApprovalRequest(request: request, rule: pendingRule, reason: reason))
            by = approver.answeredBy
        } else {
            answer = .unavailable(reason: "no supervisor is available")
        }
        switch answer {
        case .allowOnce:
            return answered(request, reason: reason, outcome: .askedAllowed, by: by)
        case .allowForSession:
            sessionApprovals[key] = by ?? "a supervisor"
            return answered(request, reason: reason, outcome: .askedAllowed, by: by.map { $0 + ", for this session" })
        case .deny(let why):
            return answered(request, reason: "a supervisor refused it" + (why.map { ": " + $0 } ?? "") + " (\(reason))",
                            outcome: .askedDenied, by: by)
        case .unavailable(let why):
            return answered(request, reason: "approval required and \(why): \(reason)", outcome: .askedUnanswered,
                            by: nil)
        }
    }

    private func approvalKey(_ r: GateRequest) -> String {
        let what: [String]
        switch r.action {
        case .exec: what = ["exec", r.cwd] + r.argv
        case .open(let m): what = ["open", "\(m)", r.path]
        case .cd: what = ["cd", r.path]
        case .source: what = ["source", r.path]
        }
        return what.joined(separator: "\u{0}")
    }

    private func answered(_ request: GateRequest, reason: String, outcome: AuditOutcome, by: String?) -> GateDecision {
        let approved = outcome == .askedAllowed
        var state = pendingLimitState
        if approved, let op = pendingLimit, let limiter {
            if case .unavailable(let why) = limiter.record(op) { state.append(("warning", why)) }
        }
        pendingLimit = nil
        if let refusal = write(request, outcome: outcome, rule: pendingRule, reason: reason, limit: state,
                               running: approved, approver: by) {
            return refusal
        }
        return approved ? .allow : .deny(reason: reason)
    }

    /// The shell waits for every program only when its end is recorded ([audit] exit_status).
    /// And while nested shells may ask the relay: someone must be there to answer.
    public var wantsCompletion: Bool { (log?.recordsExitStatus ?? false) || relay != nil || policyGate.wantsCompletion }
    public var pendingServiceFD: Int32? { policyGate.pendingServiceFD }
    /// The proxy (when a program connects, or before a fork), and the relay before a fork: a
    /// subshell's programs are served by the subshell, from the same socket.
    public func startPendingService() {
        policyGate.startPendingService()
        startRelay()
    }

    public func finished(_ request: GateRequest, _ c: GateCompletion) {
        guard let id = runningEvent, let log else { return }
        runningEvent = nil
        // The shell may wait for other reasons (the relay, the proxy): exit_status = false still
        // means no completion records.
        guard log.recordsExitStatus else { return }
        do {
            try log.complete(id: id, exitCode: c.exitCode, signal: c.signal, durationNS: c.durationNS)
        } catch {
            // The command has already run; all that is left is to say the trail is incomplete.
            warn("aegish: warning: the audit log could not record how \(request.argv.first ?? "the command") ended: \(error)")
        }
    }

    /// Writes the decision record. Returns the refusal to use instead when it cannot be written and
    /// the policy fails closed.
    private func write(_ r: GateRequest, outcome: AuditOutcome, rule: String, reason: String,
                       limit: [(String, String)], running: Bool, approver: String? = nil) -> GateDecision? {
        runningEvent = nil
        guard let log else { return nil }
        var e = AuditEvent(action: action(r.action), outcome: outcome, commandLine: r.sourceLine,
                           line: r.pos.line > 0 ? r.pos.line : nil, column: r.pos.column > 0 ? r.pos.column : nil,
                           workingDirectory: r.cwd, ruleID: rule.isEmpty ? nil : rule,
                           reason: reason.isEmpty ? nil : reason, limit: limit)
        e.approver = approver
        if case .exec = r.action {
            e.args = r.argv
            e.executable = r.path
            if running { e.sandbox = policyGate.kernel.auditNote() }
        } else {
            e.filePath = r.path
        }
        e.extra = scanFields
        do {
            let id = try log.record(e)
            if running, case .exec = r.action { runningEvent = id }
            return nil
        } catch {
            if logFailure == .continue {
                warn("aegish: warning: the audit log cannot be written (\(error)); continuing because [audit] on_failure = \"continue\"")
                return nil
            }
            return .deny(reason: "audit: the decision could not be logged (\(error)); nothing runs until the audit log "
                         + "can be written — ask an administrator to check \(log.path)")
        }
    }

    private func action(_ a: GateAction) -> AuditAction {
        switch a {
        case .exec: return .exec
        case .open: return .open
        case .cd: return .cd
        case .source: return .source
        }
    }
}
