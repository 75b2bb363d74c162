import Glibc
import Interp
import Policy
import Audit
import RateLimit
import Scan

/// The gate for a loaded policy: its [audit] log, [[limit]] classes and [supervisor] around the
/// PolicyGate (a policy with none of them gets the PolicyGate itself).
/// A log that cannot be opened, or whose directory the governed user could change (and so empty
/// or delete), gives a gate that refuses everything — unless [audit] on_failure = "continue".
/// `checkUID`: the user whose write access is checked (see makePolicyGate).
public func enforcingGate(_ policyGate: PolicyGate, checkUID: uid_t,
                          warn: @escaping (String) -> Void) -> Gate {
    // The settings only: the rules are not needed here (from the cache they are decoded lazily).
    let policy = policyGate.engine.settings
    // kernel = "best-effort": what programs are not held to, said loudly at every session start.
    for line in policyGate.kernel.startupWarnings() { warn(line) }
    policyGate.kernel.warn = warn
    // A nested aegish (a program's shell, under no_new_privs) in the setgid deployment cannot
    // write the log or the limit state: it asks the aegish that started the program.
    let relayIn = inheritedRelayPath()
    var log: AuditLog? = nil
    var decisionLog: DecisionLog? = nil
    if let config = policy.audit, let relayIn {
        decisionLog = RelayLog(relay: relayIn, config: config)
    } else if let config = policy.audit {
        do {
            let dir = directoryOf(config.path)
            if let why = directoryWritableBy(checkUID, path: dir) {
                throw AuditSetupError(message: "the audit log's directory is not protected from the governed user (\(why)); "
                                      + "make it root:aegish mode 2770 (see aegish-audit(5))")
            }
            log = try AuditLog(config: config)
            decisionLog = log
        } catch {
            let reason = "audit: the audit log \(config.path) cannot be used (\(error))"
            if config.onFailure == .continue {
                warn("aegish: warning: \(reason); commands run unlogged because [audit] on_failure = \"continue\"")
            } else {
                let full = reason + "; every command is refused until it can be written"
                warn("aegish: \(full)")
                return DenyAllGate(reason: full)
            }
        }
    }
    let limiter = policy.limits.map { Limiter(config: $0, uid: getuid()) }
    var keeper: LimitKeeper? = limiter
    if let limiter, let relayIn { keeper = RelayLimiter(relay: relayIn, local: limiter) }
    let approver = policy.supervisor.map { makeApprover($0, log: log) }
    // Not `policy.scan`: from the compiled cache that would decode the table at every start.
    let scan = policy.hasScan ? ScanStep(source: { policy.scan }, engine: policyGate.engine, checkUID: checkUID, warn: warn) : nil
    if decisionLog == nil && keeper == nil && approver == nil && scan == nil { return policyGate }
    let gate = EnforcingGate(policyGate: policyGate, decisionLog: decisionLog, logFailure: policy.audit?.onFailure ?? .refuse,
                             limitKeeper: keeper, warn: warn)
    gate.approver = approver
    gate.scan = scan
    gate.inheritedRelay = relayIn
    // This shell holds aegish's group and its programs will not (no_new_privs): nested shells in
    // them will need the relay. Made for the first program that may start one (or before the
    // first fork); the shell then waits for its programs instead of becoming the last one.
    if relayIn == nil, getegid() != getgid(), log != nil || limiter != nil, policyGate.kernel.confinesPrograms {
        let engine = policyGate.engine
        gate.makeRelay = { RelayServer(log: log, limiter: limiter, engine: engine) }
    }
    return gate
}

/// Who answers `ask`: the supervisor on the socket, or the terminal when the policy says so and
/// standard input is one. Nothing is contacted until a command asks.
func makeApprover(_ config: SupervisorConfig, log: AuditLog?) -> Approver {
    if let socket = config.socket {
        // The session, user and host the supervisor sees are the audit log's, so its screen and
        // `aegishctl watch` agree.
        return SupervisorClient(config: config, socket: socket) {
            SupervisorClient.Asker(session: log?.sessionID ?? randomHex(bytes: 8),
                                   user: log?.userName ?? userName(uid: getuid()) ?? String(getuid()),
                                   host: log?.hostName ?? hostName(), tty: log?.tty ?? ttyName())
        }
    }
    guard isatty(0) == 1 else {
        return Unanswerable(reason: "the policy asks on the terminal, and standard input is not a terminal")
    }
    return TerminalApprover(timeout: config.timeout)
}

struct AuditSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}
