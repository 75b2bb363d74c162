import Glibc
import CSys
import Audit
import RateLimit

/// Where EnforcingGate writes its records: the audit log itself, or (in a nested aegish that
/// cannot write it) the relay to the aegish that can.
protocol DecisionLog: AnyObject {
    var path: String { get }
    var recordsExitStatus: Bool { get }
    func record(_ event: AuditEvent) throws -> String
    func complete(id: String, exitCode: Int32?, signal: Int32?, durationNS: UInt64) throws
}

extension AuditLog: DecisionLog {
    var recordsExitStatus: Bool { config.exitStatus }
    func complete(id: String, exitCode: Int32?, signal: Int32?, durationNS: UInt64) throws {
        try complete(id: id, exitCode: exitCode, signal: signal, durationNS: durationNS, outcome: nil)
    }
}

/// Who counts rate-limited operations: the Limiter on the state directory, or the relay.
protocol LimitKeeper: AnyObject {
    func check(_ op: LimitOperation) -> LimitOutcome
    func record(_ op: LimitOperation) -> LimitOutcome
    func usage() -> Result<[LimitUsage], LimitStateError>
    func classes(covering program: String, argv: [String]) -> [LimitClass]
}

extension Limiter: LimitKeeper {}

/// The relay of the aegish that started the program this aegish runs in (AEGISH_RELAY): only
/// under no_new_privs (the kernel sandbox sets it; a top-level aegish ignores the variable).
func inheritedRelayPath() -> String? {
    guard let v = getenv("AEGISH_RELAY").map({ String(cString: $0) }), v.hasPrefix("/"),
          aegish_no_new_privs() == 1 else { return nil }
    return v
}

/// One request, one answer; the answer's payload after its status byte, or the server's error.
func relayCall(_ path: String, _ request: RelayWriter) throws -> RelayReader {
    var fd: Int32 = -1
    let r = try relayCall(path, request, carried: &fd)
    if fd >= 0 { close(fd) }
    return r
}

/// The same, keeping the descriptor the answer carried (-1: none).
func relayCall(_ path: String, _ request: RelayWriter, carried: inout Int32) throws -> RelayReader {
    var reply = [UInt8](repeating: 0, count: 64 * 1024)
    let n = request.bytes.withUnsafeBytes { q in
        reply.withUnsafeMutableBytes { r in
            aegish_relay_call(path, q.baseAddress, q.count, r.baseAddress, r.count, RelayProtocol.timeoutMS, &carried)
        }
    }
    guard n > 0 else {
        let e = aegish_errno()
        let why: String
        switch e {
        case ETIMEDOUT: why = "it did not answer within \(RelayProtocol.timeoutMS / 1000) s (it answers while it waits for a program)"
        case ENOENT, EPIPE, ECONNREFUSED, ECONNRESET: why = "its session has ended"
        default: why = String(cString: strerror(e))
        }
        throw RelayError(message: "the aegish that started this program cannot be asked: \(why)")
    }
    var r = RelayReader(Array(reply[0..<n]))
    if try r.byte() != 0 {
        if carried >= 0 { close(carried); carried = -1 }
        throw RelayError(message: "the aegish that started this program refused: " + (try r.string()))
    }
    return r
}

/// For a nested aegish: the compiled policy of the aegish that started its program (a sealed
/// copy's descriptor, for handedDownPolicyEngine), or nil (no relay, another policy, not
/// compiled: the nested aegish then loads the policy itself).
public func handedDownPolicy(_ policyFile: String) -> Int32? {
    guard let relay = inheritedRelayPath() else { return nil }
    var w = RelayWriter(kind: .policy)
    w.string(policyFile)
    var fd: Int32 = -1
    guard (try? relayCall(relay, w, carried: &fd)) != nil, fd >= 0 else { return nil }
    return fd
}

/// The audit log as a nested aegish writes it: through the relay.
final class RelayLog: DecisionLog {
    let relay: String
    let config: AuditConfig
    var path: String { config.path }
    var recordsExitStatus: Bool { config.exitStatus }

    init(relay: String, config: AuditConfig) {
        self.relay = relay
        self.config = config
    }

    func record(_ event: AuditEvent) throws -> String {
        var w = RelayWriter(kind: .record)
        w.event(event)
        var r = try relayCall(relay, w)
        return try r.string()
    }

    func complete(id: String, exitCode: Int32?, signal: Int32?, durationNS: UInt64) throws {
        var w = RelayWriter(kind: .complete)
        w.string(id)
        w.optional(exitCode.map(Int.init))
        w.optional(signal.map(Int.init))
        w.int(Int(truncatingIfNeeded: durationNS))
        _ = try relayCall(relay, w)
    }
}

/// The rate limits as a nested aegish applies them: which classes cover a command is decided
/// here from the policy, the counting by the aegish on the other end of the relay.
final class RelayLimiter: LimitKeeper {
    let relay: String
    let local: Limiter

    init(relay: String, local: Limiter) {
        self.relay = relay
        self.local = local
    }

    func check(_ op: LimitOperation) -> LimitOutcome { ask(.limitCheck, op) }
    func record(_ op: LimitOperation) -> LimitOutcome { ask(.limitRecord, op) }
    func classes(covering program: String, argv: [String]) -> [LimitClass] { local.classes(covering: program, argv: argv) }
    func usage() -> Result<[LimitUsage], LimitStateError> {
        .failure(LimitStateError(reason: "kept by the aegish that started this program"))
    }

    private func ask(_ kind: RelayKind, _ op: LimitOperation) -> LimitOutcome {
        // Commands no class covers are not counted, so they need no answer.
        guard !local.classes(covering: op.program, argv: op.argv).isEmpty else { return .allowed(usage: [], warning: nil) }
        var w = RelayWriter(kind: kind)
        w.operation(op)
        do {
            var r = try relayCall(relay, w)
            return try r.outcome()
        } catch {
            return .unavailable(reason: "rate limits: \(error)")
        }
    }
}
