// The compiled-policy cache: what aegish computes from the policy when it loads it (the TOML read
// and validated, every rule name resolved to a program, every [[test]] example checked), stored
// so that the next `aegish -c …` can skip it. The shell writes it itself on a miss (installed
// setgid `aegish`, into a directory only that group can enter); `aegish --compile-policy` writes
// it on demand (root, or the policy's owner).
//
// Trust argument (also in docs/ARCHITECTURE.md, "Compiled-policy cache"):
//  * Who can write a cache file: aegish itself (its code computes the content from the policy,
//    never from anything the governed user supplies), root, or the policy's owner (who can
//    change the policy itself anyway). Never the governed user: a cache is *used* only if the
//    file and every directory above it pass the same check as the policy (`ownershipCheck`: not
//    writable by the governed user, no symlink of theirs on the way), and the file is a regular
//    file with one link, not group- or world-writable, owned by root, by the policy's owner,
//    or — what aegish writes when installed setgid, running as the user — by the governed user
//    *when the user cannot even reach it*: in /var/cache/aegish only (`sharedDirectory`), whose
//    mode keeps the user out (root:aegish 2770, the user not in the group), so no path, link or
//    descriptor of theirs leads to it. Every aegish process refuses to let a redirection, `cd`
//    or `source` reach that directory (`PolicyEngine.shellPaths`), whatever the policy's path
//    lists or AEGISH_POLICY_CACHE say, so aegish's group cannot be used to plant a file there;
//    a directory named by AEGISH_POLICY_CACHE is protected only in the processes that name it,
//    so the user's own files are not trusted there. And in case a redirection slipped past that
//    protection anyway: the writer writes a nameless file (O_TMPFILE), marks it (an extended
//    attribute) and makes it read-only for everyone before it gets a name, and a user-owned
//    cache is used only with that mark and no write bit — which nothing the agent can do
//    through a redirection produces (a new file has no mark; a marked one cannot be opened
//    for writing). So a cache is as trustworthy as the policy.
//  * It is used only for exactly what it was compiled from. The key, stored in full and compared
//    field by field: the aegish binary (dev, inode, size, mtime, ctime of /proc/self/exe), the
//    policy path and file (dev, inode, size, mtime, ctime, owner; the ownership check of the path
//    itself still runs at every start), the governed uid, HOME, and every directory consulted
//    while resolving rule names (the search path, each directory on the way to a symlink's target:
//    dev, inode, mtime, ctime — adding, removing or re-pointing an entry changes its directory's
//    ctime, which no unprivileged user can set back). Anything different: the slow path, which
//    writes a new cache.
//  * Not cached, recomputed in every process (on first use): path patterns (their prefixes are
//    canonicalised through directories the governed user may write, e.g. $HOME, so a cached
//    result could go stale under the user's control). Decisions themselves are never cached.
//  * The [[test]] examples are checked when the cache is written, and their success is part of
//    it. They can depend on files outside the key (the user's ~/.gitconfig, …), but the only
//    effect of a failing example is that aegish refuses everything: the governed user gains
//    nothing by making one fail, and the engine, which enforces, still reads those files live.
//  * Fail closed: a cache that is missing, unreadable, untrusted, of another format, for another
//    key, or whose checksum does not match is ignored (never partly used) and the policy is
//    loaded the slow way, with the same result, only slower; a policy that does not load is
//    never cached. Files are linked as `<slot>.new` and renamed into place, without fsync: a
//    file torn by a crash fails its checksum and is rewritten. Concurrent writers of one slot
//    each rename a complete file. The shell writes only where the next start would trust it.
//  * Bounded: one file per (policy file inode, uid), plus at most one `.new` left by a writer
//    killed between link and rename; a changed HOME or policy overwrites it.
//
// Format 4 (binary, little-endian; written and read by hand, no Foundation):
//   "aegish-compiled-policy 7\n", u64 payload length, u64 checksum of the payload, payload:
//   key, then `cacheSections` u32 section offsets (settings, rules, tests, binary names,
//   unresolved names, hosts, the kernel plan's program looks, path patterns), then the sections. Integers are u8/u32/i64; a string is a u32 length and its UTF-8
//   bytes. Rules and name tables start with an offset table, so that a start decodes only the
//   settings and, per decision, the rules it consults: a shell that runs `/bin/true` never
//   builds the other 170 rules. The file is mapped, not read, so a 10,000-rule cache costs
//   the pages the checksum reads from the page cache, not a copy.

import Audit
import CSys
import Glibc
import RateLimit
import Scan

/// Where caches live unless AEGISH_POLICY_CACHE names another directory.
public let defaultPolicyCacheDirectory = "/var/cache/aegish"

// Bumped whenever the format changes (3: [audit] and [limits]; 4: binary, lazy; 5: [supervisor]; 6: [scan];
// 7: [policy] kernel; 8: [audit] exit_status; 9: [policy] kernel_shells; 10: the kernel plan's
// program looks; 11: [scan] length-prefixed, decoded at first use; 12: the compiled path
// patterns, with the directories their literal parts went through), so an older cache is ignored.
let cacheMagic: [UInt8] = Array("aegish-compiled-policy 12\n".utf8)
/// Offsets in the section table: settings, rules, tests, by binary, unresolved names, hosts,
/// the kernel plan's program looks, the path patterns.
let cacheSections = 8

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

/// What happened with the cache at a start (AEGISH_POLICY_CACHE_DEBUG=1 prints these).
public enum PolicyCacheEvent: Equatable, Sendable, CustomStringConvertible {
    /// The cache file was used.
    case hit(String)
    /// Not used, and why.
    case miss(String)
    /// Written (after loading the policy the slow way).
    case written(String)
    /// Not written, and why.
    case notWritten(String)
    /// AEGISH_POLICY_CACHE=off.
    case disabled

    public var description: String {
        switch self {
        case .hit(let f): return "hit: \(f)"
        case .miss(let why): return "miss: \(why)"
        case .written(let f): return "written: \(f)"
        case .notWritten(let why): return "not written: \(why)"
        case .disabled: return "disabled"
        }
    }
}

// MARK: - Public entry points

/// The engine for the policy at `path` as the shell starts it: from the compiled cache in
/// `cacheDirectory` when a trusted one matches; otherwise loaded the slow way (ownership, TOML,
/// rule names, [[test]] examples) and then written to the cache for the next start, if the
/// directory is one the governed user cannot change. `cacheDirectory` nil: no cache at all.
/// Throws `PolicyLoadError` for a policy that does not load (the cache never hides that: a
/// cache exists only for a policy that loaded).
public func loadPolicyEngine(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                             cacheDirectory: String?,
                             report: (PolicyCacheEvent) -> Void = { _ in }) throws -> PolicyEngine {
    try loadPolicyEngine(path: path, governedUID: governedUID, checkUID: checkUID, home: home,
                         cacheDirectory: cacheDirectory, sharedDirectory: defaultPolicyCacheDirectory, report: report)
}

/// `sharedDirectory`: the one directory where a cache owned by the governed user (written by
/// aegish installed setgid) can be trusted — /var/cache/aegish, which every aegish process
/// protects from redirections whatever its environment says. Elsewhere (a directory named by
/// AEGISH_POLICY_CACHE), only root's and the policy owner's caches are used: another aegish
/// process of the user, started with another AEGISH_POLICY_CACHE, would not protect it.
/// (A parameter for the tests only.)
func loadPolicyEngine(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                      cacheDirectory: String?, sharedDirectory: String,
                      report: (PolicyCacheEvent) -> Void) throws -> PolicyEngine {
    // The cache directories are the shell's: never opened for the agent, even when the policy's
    // path lists would allow it (installed setgid, aegish itself can write there).
    var shellPaths = [defaultPolicyCacheDirectory]
    for d in [sharedDirectory] + (cacheDirectory.map { [$0] } ?? []) where !shellPaths.contains(d) { shellPaths.append(d) }
    guard let dir = cacheDirectory else {
        report(.disabled)
        let policy = try loadPolicy(path: path, governedUID: checkUID)
        let engine = try PolicyEngine(policy: policy, home: home, governedUID: governedUID)
        engine.shellPaths = shellPaths
        try checkExamples(engine, home: home)
        return engine
    }
    switch openCachedPolicy(path: path, governedUID: governedUID, checkUID: checkUID, home: home,
                            cacheDirectory: dir, sharedDirectory: sharedDirectory) {
    case .engine(let engine, let file):
        report(.hit(file))
        engine.shellPaths = shellPaths
        return engine
    case .miss(let why):
        report(.miss(why))
    }
    let (policy, policyStat) = try loadPolicyAndStat(path: path, governedUID: checkUID)
    let deps = DepRecorder()
    let engine = try PolicyEngine(policy: policy, home: home, governedUID: governedUID, deps: deps)
    engine.shellPaths = shellPaths
    try checkExamples(engine, home: home)
    do {
        let file = try writePolicyCache(engine, path: path, policyStat: policyStat, deps: deps,
                                        governedUID: governedUID, checkUID: checkUID, home: home,
                                        cacheDirectory: dir, automatic: true, sharedDirectory: sharedDirectory)
        report(.written(file))
    } catch let e as CacheWriteError {
        report(.notWritten(e.message))
    } catch {
        report(.notWritten("\(error)"))
    }
    return engine
}

/// A nested aegish's engine from the compiled policy the aegish that started its program handed
/// down (`sealedCompiledCopy`, through the relay): the nested aegish cannot reach the cache
/// directory, and parsing the TOML would cost ~6 ms per `sh -c` of a make recipe. Only under
/// no_new_privs, that is inside a program's sandbox, where this aegish's decisions add to what
/// the kernel enforces and cannot take from it: so the copy's writer is not checked, only that
/// it was compiled for this policy file, binary, uid and HOME, like any cache. nil: the slow path.
public func handedDownPolicyEngine(fd: Int32, path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                                   shellPaths: [String]) -> PolicyEngine? {
    guard aegish_no_new_privs() == 1 else { return nil }
    let check = ownershipCheck(checkUID, path: path, groupFile: "/etc/group", passwdFile: "/etc/passwd")
    guard check.reason == nil, let policyStat = check.st else { return nil }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
          let bytes = CacheBytes(mapping: fd, size: Int(st.st_size), limit: 256 << 20),
          let exe = executableKey() else { return nil }
    let key = ExpectedKey(exe: exe, path: path, policy: fileKey(policyStat), uid: Int(governedUID), home: home,
                          anyPolicyOwner: true)
    guard case .success(let compiled) = CompiledPolicy.open(bytes, expecting: key) else { return nil }
    let engine = PolicyEngine(compiled: compiled, home: home, governedUID: governedUID)
    engine.shellPaths = shellPaths
    return engine
}

/// The engine from a valid, trusted cache for this policy, uid and home; nil for the slow path.
/// `checkUID` is the uid the ownership checks are made for (as for `loadPolicy`).
public func cachedPolicyEngine(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                               cacheDirectory: String) -> PolicyEngine? {
    if case .engine(let e, _) = openCachedPolicy(path: path, governedUID: governedUID, checkUID: checkUID,
                                                 home: home, cacheDirectory: cacheDirectory,
                                                 sharedDirectory: defaultPolicyCacheDirectory) {
        return e
    }
    return nil
}

/// Loads and checks the policy the slow way (ownership, TOML, [[test]] examples) for `governedUID`
/// and `home`, and writes the cache into `cacheDirectory` (created 0755 if missing). Throws
/// `PolicyLoadError` for a policy that does not load; returns the cache file written.
public func compilePolicyCache(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                               cacheDirectory: String) throws -> String {
    let (policy, policyStat) = try loadPolicyAndStat(path: path, governedUID: checkUID)
    let deps = DepRecorder()
    let engine = try PolicyEngine(policy: policy, home: home, governedUID: governedUID, deps: deps)
    engine.shellPaths = [defaultPolicyCacheDirectory] + (cacheDirectory == defaultPolicyCacheDirectory ? [] : [cacheDirectory])
    try checkExamples(engine, home: home)
    do {
        return try writePolicyCache(engine, path: path, policyStat: policyStat, deps: deps,
                                    governedUID: governedUID, checkUID: checkUID, home: home,
                                    cacheDirectory: cacheDirectory, automatic: false,
                                    sharedDirectory: defaultPolicyCacheDirectory)
    } catch let e as CacheWriteError {
        throw PolicyLoadError(file: path, line: 0, column: 0, e.message)
    }
}

/// The cache file for a policy file and uid (one slot each; the content holds the full key).
public func policyCacheFile(directory: String, policy st: stat, uid: uid_t) -> String {
    directory + "/policy-\(st.st_dev)-\(st.st_ino)-u\(uid).cache"
}

// MARK: - Reading

enum CacheOpen {
    case engine(PolicyEngine, String)
    case miss(String)
}

func openCachedPolicy(path: String, governedUID: uid_t, checkUID: uid_t, home: String?,
                      cacheDirectory: String, sharedDirectory: String) -> CacheOpen {
    let check = ownershipCheck(checkUID, path: path, groupFile: "/etc/group", passwdFile: "/etc/passwd")
    guard check.reason == nil, let policyStat = check.st else { return .miss("the policy does not pass its ownership check") }
    let cachePath = policyCacheFile(directory: cacheDirectory, policy: policyStat, uid: governedUID)
    let cacheCheck = ownershipCheck(checkUID, path: cachePath, groupFile: "/etc/group", passwdFile: "/etc/passwd",
                                    ownedIfUnreachable: cacheDirectory == sharedDirectory)
    if let why = cacheCheck.reason { return .miss(why) }
    guard let checked = cacheCheck.st else { return .miss("\(cachePath): not checked") }
    let fd = open(cachePath, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW)
    guard fd >= 0 else { return .miss("cannot open \(cachePath): \(errnoText(errno))") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_dev == checked.st_dev, st.st_ino == checked.st_ino else {
        return .miss("\(cachePath) changed while it was checked")
    }
    // The user's own file (written by aegish, setgid, as the user) must also be read-only for
    // everyone and carry the writer's mark: a file the agent made through some redirection has
    // neither, and one with both could not have been written by anything but this writer.
    let trustedOwner = st.st_uid == 0 || st.st_uid == policyStat.st_uid
    let usersOwn = !trustedOwner && st.st_uid == governedUID && cacheCheck.ownedButUnreachable
        && st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0 && hasCacheMark(fd)
    guard (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & (S_IWGRP | S_IWOTH) == 0, st.st_nlink == 1,
          trustedOwner || usersOwn else {
        return .miss("\(cachePath) is not a regular file owned by root or the policy's owner, nor one aegish wrote for the user where they cannot reach it")
    }
    guard let bytes = CacheBytes(mapping: fd, size: Int(st.st_size), limit: 256 << 20) else { return .miss("cannot map \(cachePath)") }
    guard let exe = executableKey() else { return .miss("cannot stat /proc/self/exe") }
    switch CompiledPolicy.open(bytes, expecting: ExpectedKey(exe: exe, path: path, policy: fileKey(policyStat) + [Int(policyStat.st_uid)],
                                                            uid: Int(governedUID), home: home)) {
    case .failure(let why):
        return .miss("\(cachePath): \(why)")
    case .success(let compiled):
        return .engine(PolicyEngine(compiled: compiled, home: home, governedUID: governedUID), cachePath)
    }
}

/// A cache file's bytes, mapped read-only for as long as the engine uses them: a start reads
/// only the pages it touches (the checksum touches them all, through the page cache, without
/// the copy and the fresh anonymous pages a read() would cost for a 10,000-rule policy). The
/// file is never changed in place (writers rename a new file over it), and only trusted
/// writers can reach it. Tests use plain arrays.
final class CacheBytes {
    private let array: [UInt8]?
    private let map: UnsafeMutableRawPointer?
    let count: Int

    init(_ bytes: [UInt8]) { array = bytes; map = nil; count = bytes.count }

    init?(mapping fd: Int32, size: Int, limit: Int) {
        guard size > 0, size <= limit else { return nil }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        array = nil; map = p; count = size
    }

    deinit { if let map { munmap(map, count) } }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let map { return try body(UnsafeRawBufferPointer(start: map, count: count)) }
        return try array!.withUnsafeBytes(body)
    }
}

// MARK: - Writing

struct CacheWriteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Writes the cache for `engine` (loaded the slow way, with `deps` recorded). `automatic`: the
/// shell's own write on a miss — only into an existing directory the governed user cannot
/// change (a cache anywhere else would be ignored anyway), never into the audit log's or the
/// limit state's directory (AEGISH_POLICY_CACHE is the user's to set). Otherwise (the
/// `--compile-policy` command) the directory is created 0755 if missing.
func writePolicyCache(_ engine: PolicyEngine, path: String, policyStat: stat, deps: DepRecorder,
                      governedUID: uid_t, checkUID: uid_t, home: String?, cacheDirectory dir: String,
                      automatic: Bool, sharedDirectory: String) throws -> String {
    func fail(_ m: String) -> CacheWriteError { CacheWriteError(message: m) }
    if automatic {
        var dst = stat()
        guard stat(dir, &dst) == 0, (dst.st_mode & S_IFMT) == S_IFDIR else {
            throw fail("\(dir) is not a directory")
        }
        let check = ownershipCheck(checkUID, path: dir, groupFile: "/etc/group", passwdFile: "/etc/passwd", directory: true)
        if let why = check.reason { throw fail("\(dir) is not protected from the governed user (\(why))") }
        // The file will be owned by this process's uid. Root's and the policy owner's are trusted;
        // the governed user's own (aegish installed setgid) only where they cannot reach it: do
        // not write what the next start would not use.
        let euid = geteuid()
        if euid != 0 && euid != policyStat.st_uid {
            guard euid == governedUID else { throw fail("a cache file owned by uid \(euid) would not be trusted") }
            guard dir == sharedDirectory else {
                throw fail("a cache file of uid \(governedUID) is trusted only in \(sharedDirectory), not in \(dir)")
            }
            if let why = directoryEnterableBy(governedUID, dst) {
                throw fail("\(dir) is \(why), so a cache file of uid \(governedUID) there would not be trusted")
            }
        }
        for keep in engine.settings.enforcementPaths {
            var kst = stat()
            if stat(keep, &kst) == 0 && kst.st_dev == dst.st_dev && kst.st_ino == dst.st_ino {
                throw fail("\(dir) is the audit log's or the limit state's directory")
            }
        }
    } else if mkdir(dir, 0o755) != 0 && errno != EEXIST {
        throw fail("cannot create \(dir): \(errnoText(errno))")
    }
    guard let exe = executableKey() else { throw fail("cannot stat /proc/self/exe") }
    var depKeys: [(String, [Int])] = []
    for d in deps.dirs {
        var ds = stat()
        guard stat(d, &ds) == 0 else { throw fail("cannot stat \(d): \(errnoText(errno))") }
        depKeys.append((d, dirKey(ds)))
    }
    // The path patterns, compiled again with their own dependencies (checked only when a
    // decision first needs them, not at every start).
    let pathDeps = DepRecorder()
    let pathRules = engine.compilePathRules(deps: pathDeps)
    var pathDepKeys: [(String, [Int])] = []
    for d in pathDeps.dirs {
        var ds = stat()
        if stat(d, &ds) == 0 { pathDepKeys.append((d, dirKey(ds))) } else { pathDepKeys.append((d, [])) }
    }
    let bytes = encodeCache(engine, key: ExpectedKey(exe: exe, path: path, policy: fileKey(policyStat) + [Int(policyStat.st_uid)],
                                                     uid: Int(governedUID), home: home), deps: depKeys,
                            probes: kernelProbes(engine),
                            paths: (pathRules, pathDepKeys, engine.shellPaths))
    let target = policyCacheFile(directory: dir, policy: policyStat, uid: governedUID)
    let euid = geteuid()
    try replaceFile(target, in: dir, with: bytes, markRequired: euid != 0 && euid != policyStat.st_uid)
    return target
}

/// What the kernel plan looks at (its programs' `#!` lines), for a policy with the kernel layer
/// on: the plan is compiled once here, on a cache miss, with the shell's own path.
func kernelProbes(_ engine: PolicyEngine) -> [ProbeRecord] {
    guard engine.settings.kernel != .off, let shell = ownExecutablePath() else { return [] }
    let recorder = ProbeRecorder()
    engine.probeRecorder = recorder
    defer { engine.probeRecorder = nil }
    _ = engine.compileKernelPlan(shellPath: shell)
    return recorder.records
}

/// Mark (an extended attribute) on every cache file this writer makes. A file of the governed
/// user's is trusted only with it: nothing but this writer sets it, and only on a file that has
/// no name yet, so no redirection of the agent's (even one that slipped past the shell's
/// protection of the directory) can produce a marked file.
let cacheMarkName = "user.aegish.compiled-policy"
let cacheMarkValue: [UInt8] = Array("4".utf8)

/// Writes `bytes` as `target`: into a file without a name (O_TMPFILE), marked, made read-only
/// for everyone (mode 0444: not even its owner can open it for writing later), and only then
/// linked as `target.new` and renamed over `target`. At no moment can the file be opened for
/// writing by name. `markRequired`: the file will be the governed user's, so it is useless
/// without the mark.
private func replaceFile(_ target: String, in dir: String, with bytes: [UInt8], markRequired: Bool) throws {
    func fail(_ m: String) -> CacheWriteError { CacheWriteError(message: m) }
    let fd = aegish_open_tmpfile(dir, 0o600)
    guard fd >= 0 else { throw fail("cannot create a file in \(dir): \(errnoText(errno))") }
    defer { close(fd) }
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw fail("cannot write \(target): \(errnoText(errno))") }
        off += n
    }
    let marked = cacheMarkValue.withUnsafeBytes { aegish_fsetxattr(fd, cacheMarkName, $0.baseAddress, $0.count) } == 0
    if !marked && markRequired {
        throw fail("cannot mark \(target) (\(errnoText(errno)); extended attributes are needed in \(dir))")
    }
    guard fchmod(fd, 0o444) == 0 else { throw fail("cannot chmod \(target): \(errnoText(errno))") }
    let staged = target + ".new"
    unlink(staged)   // left by a writer that died between link and rename (one per slot at most)
    guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, staged, AT_SYMLINK_FOLLOW) == 0 else {
        throw fail("cannot link \(staged): \(errnoText(errno))")
    }
    guard rename(staged, target) == 0 else {
        let e = errno
        unlink(staged)
        throw fail("cannot rename \(staged): \(errnoText(e))")
    }
}

/// Whether the open cache file carries the writer's mark.
func hasCacheMark(_ fd: Int32) -> Bool {
    var buf = [UInt8](repeating: 0, count: 16)
    let n = buf.withUnsafeMutableBytes { aegish_fgetxattr(fd, cacheMarkName, $0.baseAddress, $0.count) }
    return n == cacheMarkValue.count && buf.prefix(n).elementsEqual(cacheMarkValue)
}

// MARK: - Keys

struct ExpectedKey {
    var exe: [Int]
    var path: String
    var policy: [Int]
    var uid: Int
    var home: String?
    /// The policy's owner is not compared (`policy` then holds the file key alone): a nested
    /// aegish sees root's files as the overflow uid in its namespace.
    var anyPolicyOwner = false
}

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

// MARK: - Checksum

/// A 64-bit checksum of the payload (not a MAC: the writer is trusted; this catches a file torn
/// by a crash, which is never fsynced). Four independent lanes of 8 bytes, so that a 1.4 MB
/// cache (10,000 rules) costs ~0.1 ms, not the ~0.4 ms of one dependent chain.
func cacheChecksum(_ p: UnsafeRawBufferPointer) -> UInt64 {
    let n = p.count
    var h0: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n), h1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    var h2: UInt64 = 0x1656_67B1_9E37_79F9, h3: UInt64 = 0x85EB_CA77_C2B2_AE63
    let m: UInt64 = 0xFF51_AFD7_ED55_8CCD
    var i = 0
    while i + 32 <= n {
        h0 = (h0 ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* m; h0 ^= h0 >> 31
        h1 = (h1 ^ p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* m; h1 ^= h1 >> 31
        h2 = (h2 ^ p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* m; h2 ^= h2 >> 31
        h3 = (h3 ^ p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* m; h3 ^= h3 >> 31
        i += 32
    }
    var h = h0 ^ (h1 &* 0x9E37_79B9_7F4A_7C15) ^ (h2 &* 0xC4CE_B9FE_1A85_EC53) ^ (h3 &* 0x1656_67B1_9E37_79F9)
    while i + 8 <= n {
        h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* m
        h ^= h >> 31
        i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
}

// MARK: - Encoding

struct BlobWriter {   // internal: CacheScan.swift extends it
    var out: [UInt8] = []
    /// Where the payload starts (offsets are relative to it).
    var base = 0
    var here: Int { out.count - base }

    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func u32(_ v: Int) {
        let x = UInt32(truncatingIfNeeded: v)
        out.append(UInt8(x & 0xff)); out.append(UInt8((x >> 8) & 0xff))
        out.append(UInt8((x >> 16) & 0xff)); out.append(UInt8(x >> 24))
    }
    mutating func i64(_ v: Int) {
        var x = UInt64(bitPattern: Int64(v))
        for _ in 0..<8 { out.append(UInt8(x & 0xff)); x >>= 8 }
    }
    mutating func patch32(at: Int, _ v: Int) {
        let x = UInt32(truncatingIfNeeded: v)
        out[base + at] = UInt8(x & 0xff); out[base + at + 1] = UInt8((x >> 8) & 0xff)
        out[base + at + 2] = UInt8((x >> 16) & 0xff); out[base + at + 3] = UInt8(x >> 24)
    }
    mutating func str(_ s: String) { u32(s.utf8.count); out.append(contentsOf: s.utf8) }
    mutating func optStr(_ s: String?) { if let s { u8(1); str(s) } else { u8(0) } }
    mutating func strs(_ a: [String]) { u32(a.count); for s in a { str(s) } }
    mutating func optStrs(_ a: [String]?) { if let a { u8(1); strs(a) } else { u8(0) } }
    mutating func verdict(_ v: Verdict) { u8(UInt8(v.rawValue)) }
    mutating func bool(_ b: Bool) { u8(b ? 1 : 0) }
    mutating func optInt(_ v: Int?) { if let v { u8(1); i64(v) } else { u8(0) } }
    /// 0: none; 1: file, line, column; 2: the policy file, line, column.
    mutating func location(_ l: SourceLocation?, policyFile: String) {
        guard let l else { u8(0); return }
        if l.file == policyFile { u8(2) } else { u8(1); str(l.file) }
        i64(l.line); i64(l.column)
    }

    mutating func settings(_ p: Policy) {
        str(p.name); verdict(p.defaultVerdict); strs(p.searchPath); optStr(p.workspace)
        verdict(p.workspacePrograms)
        optStrs(p.paths.read); strs(p.paths.write); strs(p.paths.deny); verdict(p.paths.outside)
        strs(p.network.allow); strs(p.network.deny); verdict(p.network.outside)
        optStrs(p.environment.pass)
        let set = p.environment.set.sorted { $0.key < $1.key }
        u32(set.count)
        for (k, v) in set { str(k); str(v) }
        strs(p.environment.deny)
        audit(p.audit)
        limits(p.limits)
        supervisor(p.supervisor)
        // Length-prefixed: a start passes over it and decodes it at its first use.
        let scanAt = here
        u32(0)
        scan(p.scan)
        patch32(at: scanAt, here - scanAt - 4)
        str(p.file)
        kernel(p)
    }

    /// `[policy] kernel` (issue 7), last so that other additions do not interleave with it.
    mutating func kernel(_ p: Policy) {
        u8(p.kernel == .required ? 0 : p.kernel == .bestEffort ? 1 : 2)
        u8(p.kernelShells == .aegish ? 0 : 1)
    }

    mutating func supervisor(_ c: SupervisorConfig?) {
        guard let c else { u8(0); return }
        u8(1)
        optStr(c.socket); i64(c.timeout); i64(Int(c.uid)); optStr(c.userName); bool(c.terminal)
    }

    mutating func rule(_ c: CommandRule, policyFile: String) {
        str(c.id); strs(c.names); verdict(c.verdict); optStr(c.reason); optStr(c.sha256)
        strs(c.optionsWithValue); strs(c.denyOptions); strs(c.askOptions)
        u32(c.arguments.count)
        for a in c.arguments { str(a.pattern); verdict(a.verdict); optStr(a.reason); str(a.id) }
        u8(c.inlineCode.map { UInt8($0.rawValue) } ?? 255)
        location(c.location, policyFile: policyFile)
    }

    mutating func rules(_ rules: [CommandRule], policyFile: String) {
        u32(rules.count)
        let table = here
        for _ in rules { u32(0) }
        for (i, c) in rules.enumerated() {
            patch32(at: table + 4 * i, here)
            rule(c, policyFile: policyFile)
        }
    }

    mutating func tests(_ tests: [PolicyTest], policyFile: String) {
        u32(tests.count)
        for t in tests {
            str(t.command); verdict(t.expect); optStr(t.rule); optStr(t.cwd); location(t.location, policyFile: policyFile)
        }
    }

    mutating func audit(_ a: AuditConfig?) {
        guard let a else { u8(0); return }
        u8(1)
        str(a.path); bool(a.fsync); str(a.onFailure.rawValue); bool(a.exitStatus)
        bool(a.syslog); str(a.syslogSocket); str(a.syslogFacility)
        strs(a.redactPatterns); strs(a.redactOptions)
        let attached = a.redactAttached.sorted { $0.key < $1.key }
        u32(attached.count)
        for (k, v) in attached { str(k); str(v) }
        optStr(a.hostName); optStr(a.userName); optInt(a.userID.map { Int($0) }); optStr(a.sessionID)
        optStr(a.tty); i64(a.lockTimeoutMS)
    }

    mutating func limits(_ l: LimitConfig?) {
        guard let l else { u8(0); return }
        u8(1)
        str(l.stateDirectory); str(l.onStateError.rawValue); i64(l.walkMaxEntries)
        i64(l.walkMaxMilliseconds); i64(l.lockTimeoutMilliseconds); bool(l.durable); i64(Int(l.trustedOwner))
        u32(l.classes.count)
        for c in l.classes {
            str(c.id); strs(c.commands); strs(c.patterns); i64(c.window)
            optInt(c.maxOperations); optInt(c.maxTargets); str(c.onExceed.rawValue)
        }
    }

    /// A name → rule indices table, sorted by the name's bytes (binary-searched when read).
    mutating func names(_ map: [String: [Int]]) {
        let entries = map.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        u32(entries.count)
        let table = here
        for _ in entries { u32(0) }
        for (i, (k, v)) in entries.enumerated() {
            patch32(at: table + 4 * i, here)
            str(k); u32(v.count); for x in v { u32(x) }
        }
    }

    /// The kernel plan's program looks, sorted by path (binary-searched when read).
    mutating func probes(_ records: [ProbeRecord]) {
        let entries = records.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        u32(entries.count)
        let table = here
        for _ in entries { u32(0) }
        for (i, e) in entries.enumerated() {
            patch32(at: table + 4 * i, here)
            str(e.path); for v in e.key { i64(v) }; strs(e.words)
        }
    }

    mutating func hosts(_ allow: [HostPattern], _ deny: [HostPattern]) {
        for list in [allow, deny] {
            u32(list.count)
            for h in list {
                str(h.text); str(h.host)
                switch h.kind { case .exact: u8(0); case .subdomains: u8(1); case .domain: u8(2); case .any: u8(3) }
            }
        }
    }

    /// settings, rules, tests (offsets of each patched into the six-slot table at `table`).
    mutating func policySections(_ p: Policy, table: Int) {
        patch32(at: table, here); settings(p)
        patch32(at: table + 4, here); rules(p.commands, policyFile: p.file)
        patch32(at: table + 8, here); tests(p.tests, policyFile: p.file)
    }
}

private func encodeCache(_ engine: PolicyEngine, key: ExpectedKey, deps: [(String, [Int])],
                         probes: [ProbeRecord],
                         paths: (PolicyEngine.CompiledPathRules, [(String, [Int])], [String])) -> [UInt8] {
    var w = BlobWriter()
    w.out.append(contentsOf: cacheMagic)
    w.i64(0)   // payload length
    w.i64(0)   // checksum
    w.base = w.out.count
    for v in key.exe { w.i64(v) }
    w.str(key.path)
    for v in key.policy { w.i64(v) }
    w.i64(key.uid)
    w.optStr(key.home)
    w.u32(deps.count)
    for (dir, k) in deps { w.str(dir); for v in k { w.i64(v) } }
    let table = w.here
    for _ in 0..<cacheSections { w.u32(0) }
    w.policySections(engine.policy, table: table)
    w.patch32(at: table + 12, w.here); w.names(engine.rulesByBinary)
    w.patch32(at: table + 16, w.here); w.names(engine.unresolvedNames)
    w.patch32(at: table + 20, w.here); w.hosts(engine.allowHosts, engine.denyHosts)
    w.patch32(at: table + 24, w.here); w.probes(probes)
    w.patch32(at: table + 28, w.here); w.pathRules(paths.0, deps: paths.1, shellPaths: paths.2)
    let payloadCount = w.out.count - w.base
    let sum = w.out.withUnsafeBytes { cacheChecksum(UnsafeRawBufferPointer(rebasing: $0[w.base...])) }
    var header = BlobWriter()
    header.i64(payloadCount)
    header.i64(Int(Int64(bitPattern: sum)))
    w.out.replaceSubrange(cacheMagic.count..<(cacheMagic.count + 16), with: header.out)
    return w.out
}

/// The policy as the cache stores it (settings, rules, tests), and back: the round trip the
/// tests check.
func encodeCachedPolicy(_ p: Policy) -> [UInt8] {
    var w = BlobWriter()
    for _ in 0..<3 { w.u32(0) }
    w.policySections(p, table: 0)
    return w.out
}

func decodeCachedPolicy(_ bytes: [UInt8]) -> Policy? {
    bytes.withUnsafeBytes { raw -> Policy? in
        var r = BlobReader(raw, base: 0, at: 0)
        r.validateLimits = true
        let s = r.u32(), ru = r.u32(), t = r.u32()
        guard r.ok, s == 12 else { return nil }
        r.pos = s
        guard var p = r.settings(), r.pos == ru else { return nil }
        let count = r.u32()
        guard r.ok, count <= raw.count else { return nil }
        var rules: [CommandRule] = []
        for i in 0..<count {
            var rr = BlobReader(raw, base: 0, at: ru + 4 + 4 * i)
            rr.pos = rr.u32()
            guard rr.ok, let c = rr.rule(policyFile: p.file) else { return nil }
            rules.append(c)
        }
        var tr = BlobReader(raw, base: 0, at: t)
        guard let tests = tr.tests(policyFile: p.file), tr.pos == raw.count else { return nil }
        p.commands = rules
        p.tests = tests
        return p
    }
}

// MARK: - Decoding

/// A reader over the cache bytes. Every accessor checks bounds; the first failure clears `ok`
/// and later reads return empty values, so a caller checks `ok` once per record.
struct BlobReader {
    let raw: UnsafeRawBufferPointer
    let base: Int
    var pos: Int
    var ok = true
    /// Check the limit configuration again (LimitConfig.validate) as the loader did. A cache
    /// file is checksummed and its writer ran the loader, so the shell's start skips it.
    var validateLimits = false

    init(_ raw: UnsafeRawBufferPointer, base: Int, at pos: Int) {
        self.raw = raw; self.base = base; self.pos = pos
    }

    private mutating func take(_ n: Int) -> Int? {
        let at = base + pos
        guard ok, n >= 0, at >= 0, n <= raw.count - at else { ok = false; return nil }
        pos += n
        return at
    }
    mutating func u8() -> Int {
        guard let at = take(1) else { return 0 }
        return Int(raw[at])
    }
    mutating func u32() -> Int {
        guard let at = take(4) else { return 0 }
        return Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
    }
    mutating func i64() -> Int {
        guard let at = take(8) else { return 0 }
        return Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)))
    }
    mutating func str() -> String {
        let n = u32()
        guard let at = take(n) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)]), as: UTF8.self)
    }
    /// Passes over a string without building it.
    mutating func skipStr() { _ = take(u32()) }
    /// Passes over a list of strings without building them.
    mutating func skipStrs() {
        let n = count()
        for _ in 0..<n where ok { skipStr() }
    }
    /// Whether the next string equals `s` (without building it).
    mutating func strEquals(_ s: String) -> Bool {
        let n = u32()
        guard let at = take(n) else { return false }
        var s = s
        return s.withUTF8 { u in u.count == n && (n == 0 || memcmp(u.baseAddress!, raw.baseAddress! + at, n) == 0) }
    }
    mutating func optStr() -> String? {
        switch u8() {
        case 0: return nil
        case 1: return str()
        default: ok = false; return nil
        }
    }
    mutating func count() -> Int {
        let n = u32()
        if n > raw.count { ok = false; return 0 }
        return n
    }
    mutating func strs() -> [String] {
        let n = count()
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n where ok { out.append(str()) }
        return out
    }
    mutating func optStrs() -> [String]? {
        switch u8() {
        case 0: return nil
        case 1: return strs()
        default: ok = false; return nil
        }
    }
    mutating func verdict() -> Verdict {
        guard let v = Verdict(rawValue: u8()) else { ok = false; return .deny }
        return v
    }
    mutating func bool() -> Bool {
        switch u8() { case 0: return false; case 1: return true; default: ok = false; return false }
    }
    mutating func optInt() -> Int? {
        switch u8() {
        case 0: return nil
        case 1: return i64()
        default: ok = false; return nil
        }
    }
    mutating func location(policyFile: String) -> SourceLocation? {
        let tag = u8()
        switch tag {
        case 0: return nil
        case 1, 2:
            let f = tag == 1 ? str() : policyFile
            let l = i64(), c = i64()
            return SourceLocation(file: f, line: l, column: c)
        default: ok = false; return nil
        }
    }

    /// `deferScan`: leave the [scan] table in the cache (given its offset and cache directory);
    /// nil decodes it here.
    mutating func settings(deferScan: ((_ at: Int, _ cacheDirectory: String?) -> LazyScanConfig)? = nil) -> Policy? {
        var p = Policy()
        p.name = str(); p.defaultVerdict = verdict(); p.searchPath = strs(); p.workspace = optStr()
        p.workspacePrograms = verdict()
        p.paths.read = optStrs(); p.paths.write = strs(); p.paths.deny = strs(); p.paths.outside = verdict()
        p.network.allow = strs(); p.network.deny = strs(); p.network.outside = verdict()
        p.environment.pass = optStrs()
        let setCount = count()
        for _ in 0..<setCount where ok {
            let k = str(), v = str()
            p.environment.set[k] = v
        }
        p.environment.deny = strs()
        // (Into `p` directly: a returned `AuditConfig??` would cost the start a generic
        // metadata instantiation just to destroy it.)
        guard ok, audit(into: &p), limits(into: &p), supervisor(into: &p) else { return nil }
        let scanLength = count()
        let scanAt = pos
        guard ok else { return nil }
        if let deferScan {
            switch u8() {
            case 0: p.scan = nil
            case 1:
                let dir = optStr()
                guard ok else { return nil }
                p.scanSource = deferScan(scanAt, dir)
            default: return nil
            }
            pos = scanAt + scanLength
        } else {
            guard scan(into: &p), pos == scanAt + scanLength else { return nil }
        }
        p.file = str()
        guard ok, kernel(into: &p) else { return nil }
        return ok ? p : nil
    }

    /// Sets `p.kernel`; false if malformed.
    mutating func kernel(into p: inout Policy) -> Bool {
        switch u8() {
        case 0: p.kernel = .required
        case 1: p.kernel = .bestEffort
        case 2: p.kernel = .off
        default: return false
        }
        switch u8() {
        case 0: p.kernelShells = .aegish
        case 1: p.kernelShells = .refuse
        default: return false
        }
        return ok
    }

    mutating func rule(policyFile: String) -> CommandRule? {
        var c = CommandRule(id: str(), names: strs(), verdict: verdict())
        c.reason = optStr(); c.sha256 = optStr()
        c.optionsWithValue = strs(); c.denyOptions = strs(); c.askOptions = strs()
        let argCount = count()
        for _ in 0..<argCount where ok {
            let pattern = str(), v = verdict(), reason = optStr(), id = str()
            var a = ArgumentRule(pattern: pattern, verdict: v, id: id)
            a.reason = reason
            c.arguments.append(a)
        }
        let inline = u8()
        if inline != 255 {
            guard let v = Verdict(rawValue: inline) else { return nil }
            c.inlineCode = v
        }
        c.location = location(policyFile: policyFile)
        return ok ? c : nil
    }

    mutating func tests(policyFile: String) -> [PolicyTest]? {
        let n = count()
        var out: [PolicyTest] = []
        for _ in 0..<n where ok {
            var t = PolicyTest(command: str(), expect: verdict())
            t.rule = optStr(); t.cwd = optStr(); t.location = location(policyFile: policyFile)
            out.append(t)
        }
        return ok ? out : nil
    }

    /// Sets `p.supervisor` (nil when the policy has none); false if malformed.
    mutating func supervisor(into p: inout Policy) -> Bool {
        let present = u8()
        guard ok, present <= 1 else { return false }
        if present == 0 { p.supervisor = nil; return true }
        let socket = optStr(), timeout = i64(), uid = i64(), name = optStr(), terminal = bool()
        guard ok, timeout > 0, uid >= 0, uid <= Int(UInt32.max) else { return false }
        p.supervisor = SupervisorConfig(socket: socket, timeout: timeout, uid: UInt32(uid), userName: name, terminal: terminal)
        return true
    }

    /// Sets `p.audit` (nil when the policy has no [audit]); false if malformed.
    mutating func audit(into p: inout Policy) -> Bool {
        switch u8() {
        case 0: return true
        case 1: break
        default: return false
        }
        var a = AuditConfig(path: str())
        a.fsync = bool()
        guard let onFailure = AuditConfig.OnFailure(rawValue: str()) else { return false }
        a.onFailure = onFailure
        a.exitStatus = bool()
        a.syslog = bool(); a.syslogSocket = str(); a.syslogFacility = str()
        a.redactPatterns = strs(); a.redactOptions = strs()
        let attachedCount = count()
        var attached: [String: String] = [:]
        for _ in 0..<attachedCount where ok {
            let k = str(), v = str()
            attached[k] = v
        }
        a.redactAttached = attached
        a.hostName = optStr(); a.userName = optStr()
        if let uid = optInt() { guard let u = UInt32(exactly: uid) else { return false }; a.userID = u }
        a.sessionID = optStr(); a.tty = optStr(); a.lockTimeoutMS = i64()
        guard ok else { return false }
        p.audit = a
        return true
    }

    /// Sets `p.limits` (nil when the policy has no [limits]/[[limit]]); false if malformed.
    mutating func limits(into p: inout Policy) -> Bool {
        switch u8() {
        case 0: return true
        case 1: break
        default: return false
        }
        let dir = str()
        guard let onError = StateErrorPolicy(rawValue: str()) else { return false }
        let walkEntries = i64(), walkMS = i64(), lockMS = i64(), durable = bool()
        guard let trustedOwner = uid_t(exactly: i64()) else { return false }
        let classCount = count()
        var classes: [LimitClass] = []
        for _ in 0..<classCount where ok {
            let id = str(), commands = strs(), patterns = strs(), window = i64()
            let maxOps = optInt(), maxTargets = optInt()
            guard let onExceed = LimitVerdict(rawValue: str()) else { return false }
            classes.append(LimitClass(id: id, commands: commands, patterns: patterns, window: window,
                                      maxOperations: maxOps, maxTargets: maxTargets, onExceed: onExceed))
        }
        guard ok else { return false }
        let config = LimitConfig(stateDirectory: dir, classes: classes, onStateError: onError,
                                 walkMaxEntries: walkEntries, walkMaxMilliseconds: walkMS,
                                 lockTimeoutMilliseconds: lockMS, durable: durable, trustedOwner: trustedOwner)
        // The loader refused anything invalid; a cache that holds it was not written by the loader.
        if validateLimits && !config.validate().isEmpty { return false }
        p.limits = config
        return true
    }
}

/// A cache file opened and checked (magic, checksum, key): its settings decoded, everything
/// else decoded when first asked for.
final class CompiledPolicy {
    let bytes: CacheBytes
    let base: Int
    let settings: Policy
    let ruleCount: Int
    private let rulesAt: Int, testsAt: Int, byBinaryAt: Int, unresolvedAt: Int, hostsAt: Int, probesAt: Int, pathsAt: Int
    /// Whether the cache holds the kernel plan's program looks (ProbeRecord).
    let hasProbes: Bool

    enum Failure: Error { case bad(String) }

    private init(bytes: CacheBytes, base: Int, settings: Policy, ruleCount: Int, sections: [Int], probeCount: Int) {
        self.bytes = bytes; self.base = base; self.settings = settings; self.ruleCount = ruleCount
        rulesAt = sections[1]; testsAt = sections[2]; byBinaryAt = sections[3]
        unresolvedAt = sections[4]; hostsAt = sections[5]; probesAt = sections[6]; pathsAt = sections[7]
        hasProbes = probeCount > 0
    }

    static func open(_ bytes: CacheBytes, expecting key: ExpectedKey) -> Result<CompiledPolicy, Failure> {
        let m = cacheMagic.count
        return bytes.withBytes { raw -> Result<CompiledPolicy, Failure> in
            guard raw.count >= m + 16, raw[..<m].elementsEqual(cacheMagic) else {
                return .failure(.bad("not a format-4 compiled policy"))
            }
            var h = BlobReader(raw, base: 0, at: m)
            let length = h.i64(), sum = h.i64()
            let base = m + 16
            guard h.ok, length == raw.count - base,
                  UInt64(bitPattern: Int64(sum)) == cacheChecksum(UnsafeRawBufferPointer(rebasing: raw[base...])) else {
                return .failure(.bad("checksum or length mismatch (a torn write?)"))
            }
            var r = BlobReader(raw, base: base, at: 0)
            for v in key.exe where r.i64() != v { return .failure(.bad("compiled by another aegish binary")) }
            guard r.strEquals(key.path) else { return .failure(.bad("compiled for another policy path")) }
            for v in key.policy where r.i64() != v { return .failure(.bad("the policy file changed")) }
            if key.anyPolicyOwner { _ = r.i64() }
            guard r.i64() == key.uid else { return .failure(.bad("compiled for another uid")) }
            switch r.u8() {
            case 0: guard key.home == nil else { return .failure(.bad("compiled for another HOME")) }
            case 1: guard let home = key.home, r.strEquals(home) else { return .failure(.bad("compiled for another HOME")) }
            default: return .failure(.bad("malformed"))
            }
            // The directories the name resolution consulted: each unchanged.
            let depCount = r.count()
            for _ in 0..<depCount where r.ok {
                let dir = r.str()
                var ds = stat()
                guard r.ok, stat(dir, &ds) == 0 else { return .failure(.bad("\(dir) is gone")) }
                let want = dirKey(ds)
                for v in want where r.i64() != v { return .failure(.bad("\(dir) changed (a program was added, removed or replaced)")) }
            }
            var sections: [Int] = []
            for _ in 0..<cacheSections { sections.append(r.u32()) }
            guard r.ok, sections.allSatisfy({ $0 >= r.pos && $0 < raw.count - base }) else { return .failure(.bad("malformed")) }
            var s = BlobReader(raw, base: base, at: sections[0])
            let deferScan = { (at: Int, dir: String?) in
                LazyScanConfig(cacheDirectory: dir) { [bytes] in
                    bytes.withBytes { raw -> ScanConfig? in
                        var r = BlobReader(raw, base: base, at: at)
                        var p = Policy()
                        guard r.scan(into: &p), r.ok else { return nil }
                        return p.scan
                    }
                }
            }
            guard let settings = s.settings(deferScan: deferScan) else { return .failure(.bad("malformed settings")) }
            var c = BlobReader(raw, base: base, at: sections[1])
            let ruleCount = c.count()
            guard c.ok, ruleCount <= (raw.count - base - sections[1]) / 4 else { return .failure(.bad("malformed rules")) }
            var p = BlobReader(raw, base: base, at: sections[6])
            let probeCount = p.count()
            guard p.ok, probeCount <= (raw.count - base - sections[6]) / 4 else { return .failure(.bad("malformed probes")) }
            return .success(CompiledPolicy(bytes: bytes, base: base, settings: settings, ruleCount: ruleCount,
                                           sections: sections, probeCount: probeCount))
        }
    }

    /// Rule `i`, or nil if it cannot be decoded (the checksum makes that a writer's bug).
    func rule(_ i: Int) -> CommandRule? {
        guard i >= 0 && i < ruleCount else { return nil }
        return bytes.withBytes { raw in
            var r = BlobReader(raw, base: base, at: rulesAt + 4 + 4 * i)
            r.pos = r.u32()
            guard r.ok else { return nil }
            return r.rule(policyFile: settings.file)
        }
    }

    /// Rule `i`'s verdict alone (the kernel plan asks it of every rule): its id and names are
    /// passed over, nothing else is read.
    func ruleVerdict(_ i: Int) -> Verdict? {
        guard i >= 0 && i < ruleCount else { return nil }
        return bytes.withBytes { raw in
            var r = BlobReader(raw, base: base, at: rulesAt + 4 + 4 * i)
            r.pos = r.u32()
            r.skipStr(); r.skipStrs()
            let v = r.verdict()
            return r.ok ? v : nil
        }
    }

    func tests() -> [PolicyTest]? {
        bytes.withBytes { raw in
            var r = BlobReader(raw, base: base, at: testsAt)
            return r.tests(policyFile: settings.file)
        }
    }

    /// The entry for `name` in the sorted table at `table` (names, probes): `body` reads it from
    /// just after its name (nil: malformed). nil if the table is malformed; `found` false if
    /// `name` is not in it.
    private func find<T>(_ name: String, table: Int, _ body: (inout BlobReader) -> T?) -> (found: Bool, value: T?)? {
        var key = name
        return key.withUTF8 { k in
            bytes.withBytes { raw -> (found: Bool, value: T?)? in
                var r = BlobReader(raw, base: base, at: table)
                let n = r.count()
                guard r.ok else { return nil }
                var lo = 0, hi = n
                while lo < hi {
                    let mid = (lo + hi) / 2
                    var e = BlobReader(raw, base: base, at: table + 4 + 4 * mid)
                    e.pos = e.u32()
                    let len = e.u32()
                    let at = base + e.pos
                    guard e.ok, len >= 0, len <= raw.count - at else { return nil }
                    let common = min(len, k.count)
                    var c = common == 0 ? 0 : memcmp(raw.baseAddress! + at, k.baseAddress!, common)
                    if c == 0 { c = len < k.count ? -1 : (len > k.count ? 1 : 0) }
                    if c == 0 {
                        e.pos += len
                        return (true, body(&e))
                    }
                    if c < 0 { lo = mid + 1 } else { hi = mid }
                }
                return (false, nil)
            }
        }
    }

    /// The `#!` words the kernel plan found in `path` when the cache was written, if the file
    /// still has the identity and ctime it had then (`st`: its stat now); nil otherwise.
    func probe(_ path: String, _ st: stat) -> [String]? {
        find(path, table: probesAt) { e -> [String]? in
            for v in ProbeRecord.key(st) where e.i64() != v { return nil }
            let words = e.strs()
            return e.ok ? words : nil
        }?.value
    }

    /// The rule indices stored for `name` in a names table ([] if none; binary search, nothing
    /// else built); nil if the table cannot be read.
    private func lookup(_ name: String, table: Int) -> [Int]? {
        guard let r = find(name, table: table, { e -> [Int]? in
            let m = e.count()
            var out: [Int] = []
            out.reserveCapacity(m)
            for _ in 0..<m where e.ok { out.append(e.u32()) }
            return e.ok ? out : nil
        }) else { return nil }
        return r.found ? r.value : []
    }

    func rules(forBinary path: String) -> [Int]? { lookup(path, table: byBinaryAt) }
    func rules(forUnresolvedName name: String) -> [Int]? { lookup(name, table: unresolvedAt) }

    private func all(table: Int) -> [String: [Int]]? {
        bytes.withBytes { raw -> [String: [Int]]? in
            var r = BlobReader(raw, base: base, at: table)
            let n = r.count()
            r.pos += 4 * n
            var out: [String: [Int]] = [:]
            for _ in 0..<n where r.ok {
                let k = r.str()
                let m = r.count()
                var v: [Int] = []
                for _ in 0..<m where r.ok { v.append(r.u32()) }
                out[k] = v
            }
            return r.ok ? out : nil
        }
    }
    var byBinary: [String: [Int]]? { all(table: byBinaryAt) }
    var unresolved: [String: [Int]]? { all(table: unresolvedAt) }

    func hosts() -> (allow: [HostPattern], deny: [HostPattern])? {
        bytes.withBytes { raw in
            var r = BlobReader(raw, base: base, at: hostsAt)
            var lists: [[HostPattern]] = []
            for _ in 0..<2 {
                let n = r.count()
                var list: [HostPattern] = []
                for _ in 0..<n where r.ok {
                    let text = r.str(), host = r.str(), k = r.u8()
                    let kinds: [HostPattern.Kind] = [.exact, .subdomains, .domain, .any]
                    guard k < kinds.count else { return nil }
                    list.append(HostPattern(cachedText: text, kind: kinds[k], host: host))
                }
                lists.append(list)
            }
            return r.ok ? (lists[0], lists[1]) : nil
        }
    }
}

// MARK: - Path patterns (section 7)
//
// Compiling a policy's path patterns canonicalises the literal part of each (lstat of every
// component), ~0.3 ms with the example at the first path decision or kernel plan of a start.
// The section keeps the result with the directories those lookups went through (dev, inode,
// mtime, ctime: an entry added, removed, renamed or replaced changes its directory's), checked
// when the patterns are first needed; any change, or other protected shell paths, and they are
// compiled again.

extension BlobWriter {
    mutating func pathRules(_ c: PolicyEngine.CompiledPathRules, deps: [(String, [Int])], shellPaths: [String]) {
        u32(deps.count)
        for (dir, k) in deps {
            str(dir)
            u8(k.isEmpty ? 0 : 1)   // 0: it did not exist
            for v in k { i64(v) }
        }
        strs(shellPaths)
        if let read = c.read { u8(1); patterns(read) } else { u8(0) }
        patterns(c.write)
        patterns(c.deny)
        u32(c.denyBases.count)
        for (a, b) in c.denyBases { str(a); str(b) }
    }

    private mutating func patterns(_ list: [PathPattern]) {
        u32(list.count)
        for p in list {
            str(p.text)
            u32(p.parts.count)
            for part in p.parts {
                switch part {
                case .literal(let l): u8(0); str(l)
                case .glob(let g): u8(1); var v = String.UnicodeScalarView(); v.append(contentsOf: g); str(String(v))
                case .any: u8(2)
                }
            }
        }
    }
}

extension CompiledPolicy {
    /// The path patterns as compiled when the cache was written, if every directory their
    /// compilation went through is unchanged and the protected shell paths are the same; nil:
    /// compile them again.
    func pathRules(shellPaths: [String]) -> PolicyEngine.CompiledPathRules? {
        bytes.withBytes { raw -> PolicyEngine.CompiledPathRules? in
            var r = BlobReader(raw, base: base, at: pathsAt)
            let depCount = r.count()
            for _ in 0..<depCount where r.ok {
                let dir = r.str()
                var ds = stat()
                let exists = stat(dir, &ds) == 0
                switch r.u8() {
                case 0: if exists { return nil }
                case 1:
                    guard exists else { return nil }
                    for v in dirKey(ds) where r.i64() != v { return nil }
                default: return nil
                }
            }
            guard r.ok, r.strs() == shellPaths else { return nil }
            func patterns() -> [PathPattern] {
                var out: [PathPattern] = []
                let n = r.count()
                for _ in 0..<n where r.ok {
                    let text = r.str()
                    var parts: [PathPattern.Part] = []
                    let m = r.count()
                    for _ in 0..<m where r.ok {
                        switch r.u8() {
                        case 0: parts.append(.literal(r.str()))
                        case 1: parts.append(.glob(Array(r.str().unicodeScalars)))
                        case 2: parts.append(.any)
                        default: r.ok = false
                        }
                    }
                    out.append(PathPattern(cachedText: text, parts: parts))
                }
                return out
            }
            let hasRead = r.u8()
            let read: [PathPattern]? = hasRead == 1 ? patterns() : nil
            guard hasRead <= 1 else { return nil }
            let write = patterns(), deny = patterns()
            var bases: [(String, String)] = []
            let n = r.count()
            for _ in 0..<n where r.ok { bases.append((r.str(), r.str())) }
            guard r.ok else { return nil }
            return PolicyEngine.CompiledPathRules(read: read, write: write, deny: deny, denyBases: bases)
        }
    }
}

extension PathPattern {
    /// A pattern as compiled earlier (`init?` made `parts` from `text`).
    fileprivate init(cachedText: String, parts: [Part]) {
        self.text = cachedText
        self.parts = parts
    }
}

extension HostPattern {
    /// A pattern as compiled earlier (`init?(_:)` made `host` and `kind` from `text`).
    fileprivate init(cachedText: String, kind: Kind, host: String) {
        self.text = cachedText; self.kind = kind; self.host = host
    }
}
