import Glibc
import CSys
import Interp
import Policy
import Syntax
import Enforce

let defaultPolicyFile = "/etc/aegish/allowlist.toml"

func warnLine(_ s: String) { writeOut(2, s + "\n") }

/// The compiled-policy cache directory: AEGISH_POLICY_CACHE (an absolute directory, or `off` for
/// no cache), else /var/cache/aegish. Letting the environment choose is safe: a cache is used
/// only if trusted and matching, and written only where the governed user cannot write
/// (CachePolicy.swift); the worst a user can do with it is make their own shell slower.
func policyCacheDirectory(_ environment: [String]) -> String? {
    if let v = environment.last(where: { $0.hasPrefix("AEGISH_POLICY_CACHE=") })?.dropFirst(20) {
        if v == "off" { return nil }
        if v.hasPrefix("/") { return String(v) }
    }
    return defaultPolicyCacheDirectory
}

/// Loads the policy and builds the gate. Any failure gives a gate that refuses everything, with
/// the reason on every refusal: a shell without a policy must not become a shell without limits.
/// The compiled-policy cache is used when it matches, and written when it does not.
func makePolicyGate(_ file: String, environment: [String]) -> Gate {
    let uid = getuid()
    let checkUID = ownershipCheckUID(uid)
    let home = environment.first { $0.hasPrefix("HOME=") }.map { String($0.dropFirst(5)) }
    let debug = environment.contains("AEGISH_POLICY_CACHE_DEBUG=1")
    // A nested aegish (a program's shell) cannot read the cache directory: it asks for the
    // compiled policy of the aegish that started the program.
    if inheritedPolicyFile() == file, let fd = handedDownPolicy(file) {
        defer { close(fd) }
        var shellPaths = [defaultPolicyCacheDirectory]
        if let d = policyCacheDirectory(environment), d != defaultPolicyCacheDirectory { shellPaths.append(d) }
        if let engine = handedDownPolicyEngine(fd: fd, path: file, governedUID: uid, checkUID: checkUID, home: home,
                                               shellPaths: shellPaths) {
            if debug { warnLine("aegish: policy cache: handed down by the aegish that started this program") }
            return enforcingGate(PolicyGate(engine: engine, shellPath: selfPath()), checkUID: checkUID, warn: warnLine)
        }
    }
    do {
        let engine = try loadPolicyEngine(path: file, governedUID: uid, checkUID: checkUID, home: home,
                                          cacheDirectory: policyCacheDirectory(environment),
                                          report: { if debug { warnLine("aegish: policy cache: \($0)") } })
        return enforcingGate(PolicyGate(engine: engine, shellPath: selfPath()), checkUID: checkUID, warn: warnLine)
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

/// `aegish --policy FILE --compile-policy [--uid N] [--home DIR|--no-home] [--cache-dir DIR]`:
/// loads and checks the policy for the governed user (default: the caller, HOME from the
/// environment) and writes the compiled-policy cache. Meant for root (or the policy's owner),
/// e.g. from `make install`; the cache is used only when its writer is trusted.
func compilePolicyCommand(_ file: String, arguments: [String], environment: [String]) -> Never {
    var uid = getuid()
    var home = environment.first { $0.hasPrefix("HOME=") }.map { String($0.dropFirst(5)) }
    var dir = policyCacheDirectory(environment) ?? defaultPolicyCacheDirectory
    var args = arguments[...]
    while let a = args.popFirst() {
        switch a {
        case "--uid":
            guard let v = args.popFirst(), let n = uid_t(v) else { fail("--uid: a numeric uid is required") }
            uid = n
        case "--home":
            guard let v = args.popFirst(), v.hasPrefix("/") else { fail("--home: an absolute directory is required") }
            home = v
        case "--no-home": home = nil
        case "--cache-dir":
            guard let v = args.popFirst(), v.hasPrefix("/") else { fail("--cache-dir: an absolute directory is required") }
            dir = v
        default: fail("--compile-policy: unknown argument \(a)")
        }
    }
    let checkUID = ownershipCheckUID(uid)
    do {
        let written = try compilePolicyCache(path: file, governedUID: uid, checkUID: checkUID, home: home,
                                             cacheDirectory: dir)
        writeOut(1, "\(written)\n")
        exit(0)
    } catch {
        fail("--compile-policy: \(error)", status: 1)
    }
}

/// The policy of the aegish whose program started this one (`$SHELL -c` from a sandboxed
/// program): AEGISH_POLICY_FILE, which the kernel sandbox gives programs, honoured only under
/// no_new_privs, which that sandbox always sets. It decides nothing a program could not decide
/// anyway by running `$SHELL --policy FILE` (the file still passes the ownership check), and it
/// runs inside its parent's sandbox whatever it loads.
func inheritedPolicyFile() -> String? {
    guard let v = getenv("AEGISH_POLICY_FILE").map({ String(cString: $0) }), v.hasPrefix("/"),
          aegish_no_new_privs() == 1 else { return nil }
    return v
}

/// aegish's own path, for SHELL in programs' environments (so `$SHELL -c` comes back here).
func selfPath() -> String {
    ownExecutablePath() ?? "/usr/local/bin/aegish"
}
