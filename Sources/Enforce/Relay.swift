import Audit
import RateLimit

// The relay's messages. In the setgid deployment only aegish's group may append to the audit log
// and update the rate-limit state, and a program's `$SHELL -c` or `/bin/sh -c` (aegish again,
// inside the program's sandbox) runs under no_new_privs, where the setgid bit does nothing. So
// that nested aegish asks the aegish that started the program to log its decisions and count its
// operations (RelayServer.swift, RelayClient.swift), over a socket every sandboxed program
// reaches (AEGISH_RELAY).
//
// Whatever arrives is a claim by some process inside the sandbox: the nested aegish, or the
// program itself pretending to be one. The server therefore takes only plain fields (an action
// and outcome from the decision set, strings, `limit.*` and `scan.*` fields with plain names),
// writes them into its own chained records marked with the sender's pid and uid as the kernel
// gives them, and answers limit questions from its own state. A forged request can add marked
// records or use up the sender's own rate-limit budget; it cannot write anything else, and it
// gains nothing the sandbox did not already allow (the kernel, not the nested aegish, holds the
// program to the policy).
//
// Encoding: a version byte, a kind byte, then fields in a fixed order — integers as 8 bytes
// little-endian, strings as a 4-byte length and UTF-8 bytes, optionals behind a presence byte.

enum RelayKind: UInt8 {
    case record = 1, complete = 2, limitCheck = 3, limitRecord = 4
    /// The compiled policy, as a sealed copy (the answer carries its descriptor).
    case policy = 5
}

enum RelayProtocol {
    static let version: UInt8 = 1
    /// One datagram; the kernel's default socket buffer holds ~200 KiB. Strings longer than
    /// `maxString` are cut (with a marker) by the asker, so any record fits.
    static let maxMessage = 160 * 1024
    static let maxString = 16 * 1024
    /// How long a nested aegish waits for an answer before refusing the command.
    static let timeoutMS: Int32 = 10_000
}

struct RelayError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

struct RelayWriter {
    var bytes: [UInt8] = []

    init(kind: RelayKind) {
        bytes.reserveCapacity(512)
        bytes.append(RelayProtocol.version)
        bytes.append(kind.rawValue)
    }

    /// A reply: 0 and the payload, or 1 and an error message.
    init(replyOK: Bool) { bytes.append(replyOK ? 0 : 1) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func int(_ v: Int) {
        var u = UInt64(bitPattern: Int64(v))
        for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: u)); u >>= 8 }
    }
    mutating func string(_ s: String) {
        var s = s
        if s.utf8.count > RelayProtocol.maxString {
            s = String(decoding: s.utf8.prefix(RelayProtocol.maxString), as: UTF8.self) + "…[cut by the relay]"
        }
        let u = Array(s.utf8)
        var n = UInt32(u.count)
        for _ in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
        bytes.append(contentsOf: u)
    }
    mutating func optional(_ s: String?) {
        byte(s == nil ? 0 : 1)
        if let s { string(s) }
    }
    mutating func optional(_ v: Int?) {
        byte(v == nil ? 0 : 1)
        if let v { int(v) }
    }
    mutating func strings(_ a: [String]) {
        int(a.count)
        for s in a { string(s) }
    }
    mutating func pairs(_ a: [(String, String)]) {
        int(a.count)
        for (k, v) in a { string(k); string(v) }
    }
}

struct RelayReader {
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private func need(_ n: Int) throws {
        guard n >= 0, bytes.count - at >= n else { throw RelayError(message: "a relay message is cut short") }
    }
    mutating func byte() throws -> UInt8 {
        try need(1)
        defer { at += 1 }
        return bytes[at]
    }
    mutating func int() throws -> Int {
        try need(8)
        var u: UInt64 = 0
        for i in (0..<8).reversed() { u = u << 8 | UInt64(bytes[at + i]) }
        at += 8
        return Int(Int64(bitPattern: u))
    }
    mutating func string() throws -> String {
        try need(4)
        var n = 0
        for i in (0..<4).reversed() { n = n << 8 | Int(bytes[at + i]) }
        at += 4
        try need(n)
        defer { at += n }
        return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }
    mutating func optionalString() throws -> String? { try byte() == 0 ? nil : string() }
    mutating func optionalInt() throws -> Int? { try byte() == 0 ? nil : int() }
    /// A count, bounded by what could still follow (a lying count cannot make a huge array).
    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - at else { throw RelayError(message: "a relay message has a bad count") }
        return n
    }
    mutating func strings() throws -> [String] {
        var out: [String] = []
        for _ in 0..<(try count()) { out.append(try string()) }
        return out
    }
    mutating func pairs() throws -> [(String, String)] {
        var out: [(String, String)] = []
        for _ in 0..<(try count()) { out.append((try string(), try string())) }
        return out
    }
    func atEnd() throws {
        guard at == bytes.count else { throw RelayError(message: "a relay message has trailing bytes") }
    }
}

// MARK: - Records

extension RelayWriter {
    mutating func event(_ e: AuditEvent) {
        string(e.action.rawValue)
        string(e.outcome.rawValue)
        optional(e.commandLine)
        optional(e.sourceFile)
        optional(e.line)
        optional(e.column)
        byte(e.args == nil ? 0 : 1)
        if let a = e.args { strings(a) }
        optional(e.executable)
        optional(e.filePath)
        optional(e.workingDirectory)
        optional(e.ruleID)
        optional(e.reason)
        pairs(e.limit)
        optional(e.approver)
        let scan = e.extra.compactMap { k, v -> (String, String)? in
            switch v {
            case .string(let s): return (k, s)
            case .int(let n): return (k, String(n))
            case .strings(let a): return (k, a.joined(separator: "\n"))
            }
        }
        pairs(scan)
        optional(e.sandbox)
    }
}

/// Actions and outcomes a nested aegish decides; `complete` and `log.repair` records are the
/// server's own to write.
private let relayedActions: Set<String> = ["exec", "open", "cd", "source"]
private let relayedOutcomes: Set<String> = ["allowed", "denied", "asked_allowed", "asked_denied",
                                            "asked_unanswered", "rate_limited"]

/// `limit.<key>` and `scan.<key>` fields from a relayed record: lower-case letters, digits, `_`
/// and `.` only, so a claim cannot name (and duplicate) any other field of the record.
func plainFieldName(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2E }
}

extension RelayReader {
    mutating func event() throws -> AuditEvent {
        let action = try string(), outcome = try string()
        guard relayedActions.contains(action), relayedOutcomes.contains(outcome) else {
            throw RelayError(message: "a relayed record has action \(action) and outcome \(outcome)")
        }
        var e = AuditEvent(action: AuditAction(rawValue: action), outcome: AuditOutcome(rawValue: outcome))
        e.commandLine = try optionalString()
        e.sourceFile = try optionalString()
        e.line = try optionalInt()
        e.column = try optionalInt()
        e.args = try byte() == 0 ? nil : strings()
        e.executable = try optionalString()
        e.filePath = try optionalString()
        e.workingDirectory = try optionalString()
        e.ruleID = try optionalString()
        e.reason = try optionalString()
        e.limit = try pairs()
        e.approver = try optionalString()
        let scan = try pairs()
        e.sandbox = try optionalString()
        guard e.limit.allSatisfy({ plainFieldName($0.0) }),
              scan.allSatisfy({ $0.0.hasPrefix("scan.") && plainFieldName($0.0) }) else {
            throw RelayError(message: "a relayed record has a field name that is not plain")
        }
        e.extra = scan.map { ($0.0, .string($0.1)) }
        return e
    }
}

// MARK: - Limits

extension RelayWriter {
    mutating func operation(_ op: LimitOperation) {
        string(op.program)
        strings(op.argv)
        string(op.cwd)
        int(op.targets.count)
        for t in op.targets { string(t.path); byte(t.recursive ? 1 : 0) }
    }

    mutating func usage(_ u: [LimitUsage]) {
        int(u.count)
        for x in u {
            string(x.classID); int(x.window); int(x.operations); optional(x.maxOperations)
            int(x.targets); optional(x.maxTargets); optional(x.freesIn)
        }
    }

    mutating func outcome(_ o: LimitOutcome) {
        switch o {
        case .allowed(let usage, let warning):
            byte(0); self.usage(usage); optional(warning)
        case .exceeded(let e):
            byte(1); string(e.classID); byte(e.verdict == .ask ? 1 : 0); string(e.reason)
            optional(e.retryAfter); usage(e.usage)
        case .unavailable(let reason):
            byte(2); string(reason)
        }
    }
}

extension RelayReader {
    mutating func operation() throws -> LimitOperation {
        let program = try string(), argv = try strings(), cwd = try string()
        var targets: [LimitTarget] = []
        for _ in 0..<(try count()) { targets.append(LimitTarget(path: try string(), recursive: try byte() != 0)) }
        return LimitOperation(program: program, argv: argv, cwd: cwd, targets: targets)
    }

    mutating func usage() throws -> [LimitUsage] {
        var out: [LimitUsage] = []
        for _ in 0..<(try count()) {
            out.append(LimitUsage(classID: try string(), window: try int(), operations: try int(),
                                  maxOperations: try optionalInt(), targets: try int(),
                                  maxTargets: try optionalInt(), freesIn: try optionalInt()))
        }
        return out
    }

    mutating func outcome() throws -> LimitOutcome {
        switch try byte() {
        case 0: return .allowed(usage: try usage(), warning: try optionalString())
        case 1:
            return .exceeded(LimitExceeded(classID: try string(), verdict: try byte() == 1 ? .ask : .deny,
                                           reason: try string(), retryAfter: try optionalInt(), usage: try usage()))
        case 2: return .unavailable(reason: try string())
        default: throw RelayError(message: "a relayed limit answer is not one")
        }
    }
}
