import Glibc
import Interp

/// The Gate the shell uses under a policy: every exec, open, cd and source is decided by the
/// PolicyEngine. Denials and asks carry "<rule id>: <reason>".
public final class PolicyGate: Gate {
    public let engine: PolicyEngine
    let shellPath: String
    /// The kernel sandbox programs run in (`[policy] kernel`).
    public let kernel: KernelSandbox

    /// `kernelABI`: the Landlock ABI to assume (tests), nil to ask the kernel.
    public init(engine: PolicyEngine, shellPath: String, kernelABI: Int? = nil) {
        self.engine = engine
        self.shellPath = shellPath
        // A nested aegish (a program's `$SHELL -c`) reads the policy and its compiled cache.
        self.kernel = KernelSandbox(engine: engine, shellPath: shellPath,
                                    extraReads: [engine.settings.file, defaultPolicyCacheDirectory], abi: kernelABI)
    }

    public func decide(_ r: GateRequest) -> GateDecision {
        let d = decision(r)
        switch d.verdict {
        case .allow: return .allow
        case .ask: return .ask(reason: "\(d.ruleID): \(d.reason)")
        case .deny: return .deny(reason: "\(d.ruleID): \(d.reason)")
        }
    }

    /// The engine's decision, with its rule id (for the audit log).
    public func decision(_ r: GateRequest) -> Decision {
        switch r.action {
        case .exec:
            engine.decidedProgram = nil
            let d = engine.decideExec(argv: r.argv, path: r.path, cwd: r.cwd, assigned: r.assignedNames)
            kernel.decided(r, program: engine.decidedProgram)
            return d
        case .open(let mode):
            return engine.decideOpen(r.path, access: mode == .read ? .read : .write, cwd: r.cwd)
        case .cd, .source:
            return engine.decideOpen(r.path, access: .read, cwd: r.cwd)
        }
    }

    public var searchPath: [String]? { engine.settings.searchPath }
    public var policyName: String? { engine.settings.name }

    /// The engine's verdict alone: deciding logs nothing here, so this is the plain decision.
    public func completionAllows(_ r: GateRequest) -> Bool { decision(r).verdict != .deny }

    public func childEnvironment(_ environment: [String]) -> [String] {
        kernel.environment(engine.childEnvironment(environment, shellPath: shellPath))
    }

    /// A session proxy (or its listener, whose helper this process must start) belongs to this
    /// process and must end with it (PR_SET_PDEATHSIG), so the shell waits for its programs and
    /// exits itself: with a sandboxed program in its place the helper was seen to outlive the
    /// session (tests/kernel, "the proxy ends with the session").
    public var wantsCompletion: Bool { kernel.ownsProxy }
    public var pendingServiceFD: Int32? { kernel.pendingProxyListener }
    public func startPendingService() { kernel.startPendingProxy() }

    public func sandbox(for request: GateRequest) -> Sandbox {
        kernel.sandbox(for: request)
    }

    public func summary() -> String {
        let p = engine.policy
        var s = "policy \(p.name) (\(p.file)); anything not listed: \(p.defaultVerdict)\n"
        let byVerdict = Dictionary(grouping: p.commands, by: { $0.verdict })
        for v in [Verdict.allow, .ask, .deny] {
            guard let rules = byVerdict[v], !rules.isEmpty else { continue }
            s += "\(v): " + rules.flatMap(\.names).sorted().joined(separator: " ") + "\n"
            for r in rules where !r.arguments.isEmpty || !r.denyOptions.isEmpty || !r.askOptions.isEmpty {
                var parts: [String] = []
                for a in r.arguments { parts.append("\(a.pattern) → \(a.verdict)") }
                if !r.denyOptions.isEmpty { parts.append("denied options: " + r.denyOptions.joined(separator: " ")) }
                if !r.askOptions.isEmpty { parts.append("options needing approval: " + r.askOptions.joined(separator: " ")) }
                s += "  \(r.id): " + parts.joined(separator: "; ") + "\n"
            }
        }
        s += "write: " + p.paths.write.joined(separator: " ") + "\n"
        if let read = p.paths.read { s += "read: " + read.joined(separator: " ") + "\n" }
        if !p.paths.deny.isEmpty { s += "never: " + p.paths.deny.joined(separator: " ") + "\n" }
        if !p.network.allow.isEmpty { s += "hosts: " + p.network.allow.joined(separator: " ") + "\n" }
        s += kernel.summary()
        return s
    }
}
