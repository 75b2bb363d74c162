// The compiled-policy cache: what aegish computes at every start from the policy (the TOML
// read and validated, every rule name resolved to a program, every [[test]] example checked),
// stored by a trusted writer so that `aegish -c …` can skip it.
//
// Trust argument (also in docs/ARCHITECTURE.md, "Compiled-policy cache"):
//  * Only a trusted writer creates a cache: `aegish --policy F --compile-policy` run by root or by
//    the policy file's owner (who can change the policy itself anyway). The governed user
//    computes nothing it could plant: the shell never writes a cache on its own.
//  * A cache is *used* only if the file and every directory above it pass the same check as the
//    policy (`ownershipCheck`: not writable by the governed user, no symlink of theirs on the
//    way), the file is owned by root or by the policy's owner, is a regular file and not group-
//    or world-writable. So its content is as trustworthy as the policy file.
//  * It is used only for exactly what it was compiled from. The key, stored in full and compared
//    field by field: the aegish binary (dev, inode, size, mtime, ctime of /proc/self/exe), the
//    policy path and file (dev, inode, size, mtime, ctime, owner; the ownership check of the path
//    itself still runs at every start), the governed uid, HOME, and every directory consulted
//    while resolving rule names (the search path, each directory on the way to a symlink's target:
//    dev, inode, mtime, ctime — adding, removing or re-pointing an entry changes its directory's
//    ctime, which no unprivileged user can set back). Anything different: the slow path.
//  * Not cached, recomputed at every start: path patterns (their prefixes are canonicalised
//    through directories the governed user may write, e.g. $HOME, so a cached result could go
//    stale under the user's control) and host patterns. Decisions themselves are never cached.
//  * The [[test]] examples are checked when the cache is written, and their success is part of
//    it. They can depend on files outside the key (the user's ~/.gitconfig, …), but the only
//    effect of a failing example is that aegish refuses everything: the governed user gains
//    nothing by making one fail, and the engine, which enforces, still reads those files live.
//  * Fail closed: a cache that is missing, unreadable, untrusted, of another format, for another
//    key or malformed in any way is ignored (never partly used) and the policy is loaded the
//    slow way, with the same result, only slower.
//
// Format (written and read by hand, no Foundation): a sequence of fields, each an integer in
// decimal followed by "\n", or a string as its UTF-8 length, "\n", the bytes, "\n".

import Audit
import Glibc
import RateLimit

/// Where caches live unless AEGISH_POLICY_CACHE names another directory (tests).
public let defaultPolicyCacheDirectory = "/var/cache/aegish"

// Bumped whenever the format changes (3: [audit] and [limits]; 4: [scan]), so an older cache is ignored.
private let cacheMagic = "aegish-compiled-policy 4"

/// The rule-name resolution (PolicyEngine.rulesByBinary / unresolvedNames).
/// The compiled host patterns too: they depend only on their text.
struct ResolvedNames {
    var byBinary: [String: [Int]]
    var unresolved: [String: [Int]]
    var allowHosts: [HostPattern]
    var denyHosts: [HostPattern]
}

/// The directories consulted while resolving names, in first-use order.
final class DepRecorder {
    private(set) var dirs: [String] = []
    private var seen: Set<String> = []
    /// `dir` was searched (an entry in it looked up).
    func directory(_ dir: String) {
        if seen.insert(dir).inserted { dirs.append(dir) }
    }
    /// The absolute path `path` was looked up: its directory is a dependency.
    func entry(_ path: String) { directory(parentPath(path)) }
}

// MARK: - Public entry points

/// The engine from a valid, trusted cache for this policy, uid and home; nil for the slow path.
/// `checkUID` is the uid the ownership checks are made for (as for `loadPolicy`).
public func cachedPolicyEngine(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                               cacheDirectory: String) -> PolicyEngine? {
    let check = ownershipCheck(checkUID, path: path, groupFile: "/etc/group", passwdFile: "/etc/passwd")
    guard check.reason == nil, let policyStat = check.st else { return nil }
    let cachePath = cacheDirectory + "/" + cacheFileName(policyStat, uid: governedUID, home: home)
    let cacheCheck = ownershipCheck(checkUID, path: cachePath, groupFile: "/etc/group", passwdFile: "/etc/passwd")
    guard cacheCheck.reason == nil, let checked = cacheCheck.file else { return nil }
    let fd = open(cachePath, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_dev == checked.dev, st.st_ino == checked.ino,
          (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & (S_IWGRP | S_IWOTH) == 0,
          st.st_uid == 0 || st.st_uid == policyStat.st_uid,
          let bytes = readExactly(fd, Int(st.st_size), limit: 64 << 20) else { return nil }
    var r = CacheReader(bytes)
    guard let exe = executableKey(),
          r.string() == cacheMagic,
          r.ints(exe.count) == exe,
          r.string() == path,
          r.ints(8) == fileKey(policyStat) + [Int(policyStat.st_uid)],
          r.int() == Int(governedUID),
          r.optString() == .some(home) else { return nil }
    // The directories the name resolution consulted: each unchanged.
    guard let depCount = r.int(), depCount >= 0, depCount < 100_000 else { return nil }
    for _ in 0..<depCount {
        guard let dir = r.string(), let want = r.ints(6) else { return nil }
        var ds = stat()
        guard stat(dir, &ds) == 0, dirKey(ds) == want else { return nil }
    }
    guard let policy = r.policy(), let names = r.names(), r.string() == "end", r.atEnd else { return nil }
    let n = policy.commands.count
    for m in [names.byBinary, names.unresolved] {
        for v in m.values where v.isEmpty || v.contains(where: { $0 < 0 || $0 >= n }) { return nil }
    }
    // The path patterns and host patterns are compiled live (see above).
    return try? PolicyEngine(policy: policy, home: home, governedUID: governedUID, names: names, deps: nil)
}

/// Loads and checks the policy the slow way (ownership, TOML, [[test]] examples) for `governedUID`
/// and `home`, and writes the cache into `cacheDirectory` (created 0755 if missing). Throws
/// `PolicyLoadError` for a policy that does not load; returns the cache file written.
public func compilePolicyCache(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                               cacheDirectory: String) throws -> String {
    func fail(_ m: String) -> PolicyLoadError { PolicyLoadError(file: path, line: 0, column: 0, m) }
    let (policy, policyStat) = try loadPolicyAndStat(path: path, governedUID: checkUID)
    let deps = DepRecorder()
    let engine = try PolicyEngine(policy: policy, home: home, governedUID: governedUID, names: nil, deps: deps)
    try checkExamples(engine, home: home)
    guard let exe = executableKey() else { throw fail("cannot stat /proc/self/exe") }

    var w = CacheWriter()
    w.string(cacheMagic)
    for v in exe { w.int(v) }
    w.string(path)
    for v in fileKey(policyStat) + [Int(policyStat.st_uid)] { w.int(v) }
    w.int(Int(governedUID))
    w.optString(home)
    var depKeys: [(String, [Int])] = []
    for dir in deps.dirs {
        var ds = stat()
        guard stat(dir, &ds) == 0 else { throw fail("cannot stat \(dir): \(errnoText(errno))") }
        depKeys.append((dir, dirKey(ds)))
    }
    w.int(depKeys.count)
    for (dir, key) in depKeys { w.string(dir); for v in key { w.int(v) } }
    w.policy(policy)
    w.names(ResolvedNames(byBinary: engine.rulesByBinary, unresolved: engine.unresolvedNames,
                          allowHosts: engine.allowHosts, denyHosts: engine.denyHosts))
    w.string("end")

    if mkdir(cacheDirectory, 0o755) != 0 && errno != EEXIST {
        throw fail("cannot create \(cacheDirectory): \(errnoText(errno))")
    }
    let target = cacheDirectory + "/" + cacheFileName(policyStat, uid: governedUID, home: home)
    let temp = target + ".tmp.\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard fd >= 0 else { throw fail("cannot write \(temp): \(errnoText(errno))") }
    var ok = fchmod(fd, 0o644) == 0
    var off = 0
    while ok && off < w.out.count {
        let n = w.out[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { ok = false } else { off += n }
    }
    ok = ok && fsync(fd) == 0
    close(fd)
    guard ok, rename(temp, target) == 0 else {
        let e = errno
        unlink(temp)
        throw fail("cannot write \(target): \(errnoText(e))")
    }
    return target
}

/// The `size` bytes of `fd` (its fstat size), read without an intermediate buffer; nil if the
/// file is larger than `limit` or does not hold exactly `size` bytes.
private func readExactly(_ fd: Int32, _ size: Int, limit: Int) -> [UInt8]? {
    guard size >= 0, size <= limit else { return nil }
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buf, count in
        var off = 0
        while off <= size {
            let n = read(fd, buf.baseAddress! + off, size + 1 - off)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failed = true; break }
            if n == 0 { break }
            off += n
        }
        count = off
    }
    if failed || bytes.count != size { return nil }
    return bytes
}

// MARK: - Keys

private func fileKey(_ st: stat) -> [Int] {
    [Int(st.st_dev), Int(st.st_ino), Int(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
     st.st_ctim.tv_sec, st.st_ctim.tv_nsec].map { Int($0) }
}

private func dirKey(_ st: stat) -> [Int] {
    [Int(st.st_dev), Int(st.st_ino), st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
     st.st_ctim.tv_sec, st.st_ctim.tv_nsec].map { Int($0) }
}

/// The running aegish binary: a different build may decide differently.
private func executableKey() -> [Int]? {
    var st = stat()
    guard stat("/proc/self/exe", &st) == 0 else { return nil }
    return fileKey(st)
}

/// One file per policy file, uid and home (the name is only a hint: the content holds the key).
private func cacheFileName(_ st: stat, uid: uid_t, home: String?) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in (home.map { "1" + $0 } ?? "0").utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return "policy-\(st.st_dev)-\(st.st_ino)-u\(uid)-\(String(h, radix: 16)).cache"
}

extension HostPattern {
    /// A pattern as compiled earlier (`init?(_:)` made `host` and `kind` from `text`).
    fileprivate init(cachedText: String, kind: Kind, host: String) {
        self.text = cachedText; self.kind = kind; self.host = host
    }
}

/// The policy as the cache stores it, and back: the round trip the tests check.
func encodeCachedPolicy(_ p: Policy) -> [UInt8] {
    var w = CacheWriter()
    w.policy(p)
    return w.out
}

func decodeCachedPolicy(_ bytes: [UInt8]) -> Policy? {
    var r = CacheReader(bytes)
    guard let p = r.policy(), r.atEnd else { return nil }
    return p
}

// MARK: - Writing

struct CacheWriter {   // internal: CacheScan.swift extends it
    var out: [UInt8] = []
    mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8); out.append(10) }
    mutating func string(_ s: String) { int(s.utf8.count); out.append(contentsOf: s.utf8); out.append(10) }
    mutating func optString(_ s: String?) { if let s { int(1); string(s) } else { int(0) } }
    mutating func strings(_ a: [String]) { int(a.count); for s in a { string(s) } }
    mutating func optStrings(_ a: [String]?) { if let a { int(1); strings(a) } else { int(0) } }
    mutating func verdict(_ v: Verdict) { int(v.rawValue) }
    mutating func location(_ l: SourceLocation?) {
        guard let l else { int(0); return }
        int(1); string(l.file); int(l.line); int(l.column)
    }

    mutating func policy(_ p: Policy) {
        string(p.name); verdict(p.defaultVerdict); strings(p.searchPath); optString(p.workspace)
        verdict(p.workspacePrograms)
        optStrings(p.paths.read); strings(p.paths.write); strings(p.paths.deny); verdict(p.paths.outside)
        strings(p.network.allow); strings(p.network.deny); verdict(p.network.outside)
        optStrings(p.environment.pass)
        let set = p.environment.set.sorted { $0.key < $1.key }
        int(set.count)
        for (k, v) in set { string(k); string(v) }
        strings(p.environment.deny)
        int(p.commands.count)
        for c in p.commands {
            string(c.id); strings(c.names); verdict(c.verdict); optString(c.reason); optString(c.sha256)
            strings(c.optionsWithValue); strings(c.denyOptions); strings(c.askOptions)
            int(c.arguments.count)
            for a in c.arguments { string(a.pattern); verdict(a.verdict); optString(a.reason); string(a.id) }
            int(c.inlineCode.map { $0.rawValue } ?? -1)
            location(c.location)
        }
        int(p.tests.count)
        for t in p.tests {
            string(t.command); verdict(t.expect); optString(t.rule); optString(t.cwd); location(t.location)
        }
        audit(p.audit)
        limits(p.limits)
        string(p.file)
        scan(p.scan)
    }

    mutating func optInt(_ v: Int?) { if let v { int(1); int(v) } else { int(0) } }
    mutating func bool(_ b: Bool) { int(b ? 1 : 0) }

    mutating func audit(_ a: AuditConfig?) {
        guard let a else { int(0); return }
        int(1)
        string(a.path); bool(a.fsync); string(a.onFailure.rawValue)
        bool(a.syslog); string(a.syslogSocket); string(a.syslogFacility)
        strings(a.redactPatterns); strings(a.redactOptions)
        let attached = a.redactAttached.sorted { $0.key < $1.key }
        int(attached.count)
        for (k, v) in attached { string(k); string(v) }
        optString(a.hostName); optString(a.userName); optInt(a.userID.map { Int($0) }); optString(a.sessionID)
        optString(a.tty); int(a.lockTimeoutMS)
    }

    mutating func limits(_ l: LimitConfig?) {
        guard let l else { int(0); return }
        int(1)
        string(l.stateDirectory); string(l.onStateError.rawValue); int(l.walkMaxEntries)
        int(l.walkMaxMilliseconds); int(l.lockTimeoutMilliseconds); bool(l.durable); int(Int(l.trustedOwner))
        int(l.classes.count)
        for c in l.classes {
            string(c.id); strings(c.commands); strings(c.patterns); int(c.window)
            optInt(c.maxOperations); optInt(c.maxTargets); string(c.onExceed.rawValue)
        }
    }

    mutating func names(_ n: ResolvedNames) {
        for map in [n.byBinary, n.unresolved] {
            let entries = map.sorted { $0.key < $1.key }
            int(entries.count)
            for (k, v) in entries { string(k); int(v.count); for i in v { int(i) } }
        }
        for list in [n.allowHosts, n.denyHosts] {
            int(list.count)
            for h in list {
                string(h.text); string(h.host)
                switch h.kind { case .exact: int(0); case .subdomains: int(1); case .domain: int(2); case .any: int(3) }
            }
        }
    }
}

// MARK: - Reading (every accessor returns nil on anything malformed)

struct CacheReader {   // internal: CacheScan.swift extends it
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var atEnd: Bool { i == bytes.count }

    mutating func int() -> Int? {
        var neg = false, v = 0, digits = 0
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { neg = true; i += 1 }
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            if digits >= 18 { return nil }
            v = v * 10 + Int(bytes[i] - 48); digits += 1; i += 1
        }
        guard digits > 0, i < bytes.count, bytes[i] == 10 else { return nil }
        i += 1
        return neg ? -v : v
    }
    mutating func ints(_ n: Int) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(n)
        for _ in 0..<n { guard let v = int() else { return nil }; out.append(v) }
        return out
    }
    mutating func string() -> String? {
        guard let n = int(), n >= 0, n < bytes.count - i, bytes[i + n] == 10 else { return nil }
        let s = bytes[i..<(i + n)].withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        i += n + 1
        return s
    }
    /// nil: malformed; .some(nil): absent.
    mutating func optString() -> String?? {
        switch int() {
        case 0: return .some(nil)
        case 1: guard let s = string() else { return nil }; return .some(s)
        default: return nil
        }
    }
    mutating func count() -> Int? {
        guard let n = int(), n >= 0, n <= bytes.count else { return nil }
        return n
    }
    mutating func strings() -> [String]? {
        guard let n = count() else { return nil }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { guard let s = string() else { return nil }; out.append(s) }
        return out
    }
    mutating func optStrings() -> [String]?? {
        switch int() {
        case 0: return .some(nil)
        case 1: guard let a = strings() else { return nil }; return .some(a)
        default: return nil
        }
    }
    mutating func verdict() -> Verdict? { int().flatMap { Verdict(rawValue: $0) } }
    mutating func location() -> SourceLocation?? {
        switch int() {
        case 0: return .some(nil)
        case 1:
            guard let f = string(), let l = int(), let c = int() else { return nil }
            return .some(SourceLocation(file: f, line: l, column: c))
        default: return nil
        }
    }

    mutating func policy() -> Policy? {
        var p = Policy()
        guard let name = string(), let dv = verdict(), let sp = strings(), let ws = optString(),
              let wp = verdict(), let pr = optStrings(), let pw = strings(), let pd = strings(), let po = verdict(),
              let na = strings(), let nd = strings(), let no = verdict(), let ep = optStrings(),
              let setCount = count() else { return nil }
        p.name = name; p.defaultVerdict = dv; p.searchPath = sp; p.workspace = ws; p.workspacePrograms = wp
        p.paths.read = pr; p.paths.write = pw; p.paths.deny = pd; p.paths.outside = po
        p.network.allow = na; p.network.deny = nd; p.network.outside = no
        p.environment.pass = ep
        for _ in 0..<setCount {
            guard let k = string(), let v = string() else { return nil }
            p.environment.set[k] = v
        }
        guard let ed = strings(), let commandCount = count() else { return nil }
        p.environment.deny = ed
        p.commands.reserveCapacity(commandCount)
        for _ in 0..<commandCount {
            guard let id = string(), let names = strings(), let v = verdict(), let reason = optString(),
                  let sha = optString(), let owv = strings(), let deny = strings(), let ask = strings(),
                  let argCount = count() else { return nil }
            var c = CommandRule(id: id, names: names, verdict: v)
            c.reason = reason; c.sha256 = sha; c.optionsWithValue = owv; c.denyOptions = deny; c.askOptions = ask
            for _ in 0..<argCount {
                guard let pattern = string(), let av = verdict(), let ar = optString(), let aid = string() else { return nil }
                var a = ArgumentRule(pattern: pattern, verdict: av, id: aid)
                a.reason = ar
                c.arguments.append(a)
            }
            guard let inline = int(), let loc = location() else { return nil }
            if inline != -1 { guard let iv = Verdict(rawValue: inline) else { return nil }; c.inlineCode = iv }
            c.location = loc
            p.commands.append(c)
        }
        guard let testCount = count() else { return nil }
        for _ in 0..<testCount {
            guard let command = string(), let expect = verdict(), let rule = optString(), let cwd = optString(),
                  let loc = location() else { return nil }
            var t = PolicyTest(command: command, expect: expect)
            t.rule = rule; t.cwd = cwd; t.location = loc
            p.tests.append(t)
        }
        guard let audit = audit(), let limits = limits(), let file = string() else { return nil }
        p.audit = audit; p.limits = limits
        p.file = file
        guard let scan = scan() else { return nil }
        p.scan = scan
        return p
    }

    /// nil: malformed; .some(nil): absent.
    mutating func optInt() -> Int?? {
        switch int() {
        case 0: return .some(nil)
        case 1: guard let v = int() else { return nil }; return .some(v)
        default: return nil
        }
    }
    mutating func bool() -> Bool? {
        switch int() { case 0: return false; case 1: return true; default: return nil }
    }

    /// nil: malformed; .some(nil): the policy has no [audit].
    mutating func audit() -> AuditConfig?? {
        switch int() {
        case 0: return .some(nil)
        case 1: break
        default: return nil
        }
        guard let path = string(), let fsync = bool(), let onFailure = string().flatMap(AuditConfig.OnFailure.init(rawValue:)),
              let syslog = bool(), let socket = string(), let facility = string(),
              let patterns = strings(), let options = strings(), let attachedCount = count() else { return nil }
        var a = AuditConfig(path: path)
        a.fsync = fsync; a.onFailure = onFailure; a.syslog = syslog; a.syslogSocket = socket
        a.syslogFacility = facility; a.redactPatterns = patterns; a.redactOptions = options
        var attached: [String: String] = [:]
        for _ in 0..<attachedCount {
            guard let k = string(), let v = string() else { return nil }
            attached[k] = v
        }
        a.redactAttached = attached
        guard let host = optString(), let user = optString(), let uid = optInt(), let session = optString(),
              let tty = optString(), let lockTimeout = int() else { return nil }
        if let uid { guard let u = UInt32(exactly: uid) else { return nil }; a.userID = u }
        a.hostName = host; a.userName = user; a.sessionID = session; a.tty = tty; a.lockTimeoutMS = lockTimeout
        return .some(a)
    }

    /// nil: malformed; .some(nil): the policy has no [limits]/[[limit]].
    mutating func limits() -> LimitConfig?? {
        switch int() {
        case 0: return .some(nil)
        case 1: break
        default: return nil
        }
        guard let dir = string(), let onError = string().flatMap(StateErrorPolicy.init(rawValue:)),
              let walkEntries = int(), let walkMS = int(), let lockMS = int(), let durable = bool(),
              let owner = int(), let trustedOwner = uid_t(exactly: owner), let classCount = count() else { return nil }
        var classes: [LimitClass] = []
        for _ in 0..<classCount {
            guard let id = string(), let commands = strings(), let patterns = strings(), let window = int(),
                  let maxOps = optInt(), let maxTargets = optInt(),
                  let onExceed = string().flatMap(LimitVerdict.init(rawValue:)) else { return nil }
            classes.append(LimitClass(id: id, commands: commands, patterns: patterns, window: window,
                                      maxOperations: maxOps, maxTargets: maxTargets, onExceed: onExceed))
        }
        let config = LimitConfig(stateDirectory: dir, classes: classes, onStateError: onError,
                                 walkMaxEntries: walkEntries, walkMaxMilliseconds: walkMS,
                                 lockTimeoutMilliseconds: lockMS, durable: durable, trustedOwner: trustedOwner)
        // The loader refused anything invalid; a cache that holds it was not written by the loader.
        return config.validate().isEmpty ? .some(config) : nil
    }

    mutating func names() -> ResolvedNames? {
        var maps: [[String: [Int]]] = []
        for _ in 0..<2 {
            guard let n = count() else { return nil }
            var m: [String: [Int]] = [:]
            m.reserveCapacity(n)
            for _ in 0..<n {
                guard let k = string(), let c = count(), let v = ints(c) else { return nil }
                m[k] = v
            }
            maps.append(m)
        }
        var hosts: [[HostPattern]] = []
        for _ in 0..<2 {
            guard let n = count() else { return nil }
            var list: [HostPattern] = []
            for _ in 0..<n {
                guard let text = string(), let host = string(), let k = int() else { return nil }
                let kinds: [HostPattern.Kind] = [.exact, .subdomains, .domain, .any]
                guard k >= 0 && k < kinds.count else { return nil }
                list.append(HostPattern(cachedText: text, kind: kinds[k], host: host))
            }
            hosts.append(list)
        }
        return ResolvedNames(byBinary: maps[0], unresolved: maps[1], allowHosts: hosts[0], denyHosts: hosts[1])
    }
}
