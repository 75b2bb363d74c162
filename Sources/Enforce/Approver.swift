import Interp

// Who answers `ask`. The shell asks its gate; the gate asks its Approver (a supervisor over a
// Unix socket, or the controlling terminal when the policy allows it), logs the answer and obeys.
// No approver, or one that cannot answer, means no.

/// A question for a human.
public struct ApprovalRequest: Sendable {
    public var request: GateRequest
    /// The rule that asked, and why.
    public var rule: String
    public var reason: String
    public init(request: GateRequest, rule: String, reason: String) {
        self.request = request; self.rule = rule; self.reason = reason
    }
}

public enum ApprovalAnswer: Equatable, Sendable {
    case allowOnce
    /// Allow this exact command (same action, argv or path) for the rest of this session.
    case allowForSession
    /// A human said no; the reason reaches the agent.
    case deny(reason: String?)
    /// Nobody could answer (no supervisor, timeout, broken connection): refused.
    case unavailable(reason: String)
}

public protocol Approver: AnyObject {
    func approve(_ question: ApprovalRequest) -> ApprovalAnswer
    /// Who gave the last answer (for the audit log's aegish.approver): the supervisor's uid and
    /// pid as the kernel reported them, or the terminal. nil when nobody answered.
    var answeredBy: String? { get }
}

extension Approver {
    public var answeredBy: String? { nil }
}

/// An approver that can never answer, with the reason (e.g. the policy asks on the terminal and
/// standard input is not one): every `ask` is refused with it.
public final class Unanswerable: Approver {
    let reason: String
    public init(reason: String) { self.reason = reason }
    public func approve(_ question: ApprovalRequest) -> ApprovalAnswer { .unavailable(reason: reason) }
}
