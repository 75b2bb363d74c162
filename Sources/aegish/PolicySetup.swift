import Glibc
import Interp
import Policy
import Syntax

let defaultPolicyFile = "/etc/aegish/allowlist.toml"

/// Loads the policy and builds the gate. Any failure gives a gate that refuses everything, with
/// the reason on every refusal: a shell without a policy must not become a shell without limits.
func makePolicyGate(_ file: String, environment: [String]) -> Gate {
    let uid = getuid()
    // Root can write any file, so for root the rule reduces to: not group- or world-writable
    // and not owned by anyone but root (checked as for a user who owns nothing).
    let checkUID: uid_t = uid == 0 ? uid_t.max - 1 : uid
    let home = environment.first { $0.hasPrefix("HOME=") }.map { String($0.dropFirst(5)) }
    do {
        let policy = try loadPolicy(path: file, governedUID: checkUID)
        let engine = try PolicyEngine(policy: policy, home: home, governedUID: uid)
        try checkExamples(engine, home: home)
        return PolicyGate(engine: engine, shellPath: selfPath())
    } catch let e as PolicyLoadError {
        let reason = "policy-load: the policy could not be loaded (\(e)); every command is refused until it is fixed"
        writeOut(2, "aegish: \(reason)\n")
        return DenyAllGate(reason: reason)
    } catch {
        let reason = "policy-load: \(error); every command is refused"
        writeOut(2, "aegish: \(reason)\n")
        return DenyAllGate(reason: reason)
    }
}

/// aegish's own path, for SHELL in programs' environments (so `$SHELL -c` comes back here).
func selfPath() -> String {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    return n > 0 ? String(cString: buf) : "/usr/local/bin/aegish"
}
