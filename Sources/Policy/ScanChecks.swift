// What the scan step (Enforce) asks the engine about code it scanned: may a literal path found in
// the code be written, may a literal host or URL be contacted, may a scanner program be trusted.
// The same rules the engine applies to command lines, so code and commands are held to one policy.

import Glibc

extension PolicyEngine {
    /// The policy's verdict on code writing `path` (relative paths are relative to `cwd`, where
    /// the interpreter runs).
    public func decideCodeWrite(_ path: String, cwd: String) -> Decision {
        var p = path
        if p == "~" || p.hasPrefix("~/") {
            guard let h = programEnv.home else { return Decision(.ask, rule: "paths", "\(path): HOME is not known") }
            p = h + p.dropFirst()
        }
        return decideOpen(p, access: .write, cwd: cwd)
    }

    /// The policy's verdict on code contacting a host, given as a URL or a bare host name.
    public func decideCodeContact(_ hostOrURL: String) -> Decision {
        let target: NetTarget
        if isURL(hostOrURL) {
            guard let r = hostOfURL(hostOrURL) else {
                return Decision(.ask, rule: "network", "cannot tell which host \(hostOrURL) reaches")
            }
            target = NetTarget(host: r.host, port: r.port, raw: hostOrURL, why: "code")
        } else {
            target = NetTarget(host: normalizeHost(hostOrURL), port: nil, raw: hostOrURL, why: "code")
        }
        return decideHost(target)
    }

    /// Why a program (a scanner) cannot be trusted — the governed user could modify it or its
    /// directory — or nil.
    public func programTrustProblem(_ path: String) -> String? {
        untrustedBinary(canonicalPath(path, cwd: "/"))
    }
}
