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
}
