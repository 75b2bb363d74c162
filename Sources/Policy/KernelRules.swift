import Glibc
import CSys
import Interp

// The policy compiled into kernel rules (Landlock) for the programs aegish starts (issue 7).
// The shell's own checks stop at the first allowed interpreter; these rules hold inside it:
//
//  * execute: only the programs the policy allows — each rule's resolved binary whose verdict is
//    allow (a binary that only `ask`s is added for the one command a person approved), the
//    interpreters of allowed scripts, the helpers an allowed tool runs as part of itself (git's
//    git-core, the compiler's passes, as and ld), aegish itself (so `$SHELL -c` comes back to the
//    policy), the dynamic loader, and the workspace when `workspace_programs = "allow"`. Shells
//    never: aegish runs `sh -c` itself.
//  * write (write_file, truncate, make_*, remove_*, refer): only under `paths.write`, plus the
//    devices every program may use (/dev/null, /dev/tty, …).
//  * read (read_file, read_dir): handled only when the policy restricts reads or denies a path
//    that reads would otherwise reach. Then: `paths.read` (or "/" when reads are open), the write
//    paths, and what a dynamically linked program needs (`systemReads`).
//  * TCP connect: only to the session's HTTP proxy (KernelSandbox, Proxy.swift) when the policy
//    names hosts; nowhere when it names none.
//
// Landlock only grants. "All of / except ~/.ssh" is expressed by granting the siblings along the
// path to each denied entry: the entries of / except home, of /home except the user's, of the
// user's home except .ssh (and the directories themselves for listing). What cannot be expressed
// is a gap, reported (`gaps`) and never silent: a deny with a glob (/proc/*/environ), or a deny
// inside a *writable* tree (a writable directory must be granted whole, or files created in it
// later could not be written). A deny the governed user could not read anyway (root-only files
// such as /etc/shadow) needs no rule.

/// Landlock access rights: the kernel ABI's bits (see csys.h).
public struct LandlockAccess: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let execute = LandlockAccess(rawValue: 1 << 0)
    public static let writeFile = LandlockAccess(rawValue: 1 << 1)
    public static let readFile = LandlockAccess(rawValue: 1 << 2)
    public static let readDir = LandlockAccess(rawValue: 1 << 3)
    public static let removeDir = LandlockAccess(rawValue: 1 << 4)
    public static let removeFile = LandlockAccess(rawValue: 1 << 5)
    public static let makeChar = LandlockAccess(rawValue: 1 << 6)
    public static let makeDir = LandlockAccess(rawValue: 1 << 7)
    public static let makeReg = LandlockAccess(rawValue: 1 << 8)
    public static let makeSock = LandlockAccess(rawValue: 1 << 9)
    public static let makeFifo = LandlockAccess(rawValue: 1 << 10)
    public static let makeBlock = LandlockAccess(rawValue: 1 << 11)
    public static let makeSym = LandlockAccess(rawValue: 1 << 12)
    /// ABI 2: link or rename into another directory.
    public static let refer = LandlockAccess(rawValue: 1 << 13)
    /// ABI 3: truncate(2), ftruncate, O_TRUNC.
    public static let truncate = LandlockAccess(rawValue: 1 << 14)

    public static let read: LandlockAccess = [.readFile, .readDir]
    /// Everything that changes the file system.
    public static let write: LandlockAccess = [.writeFile, .removeDir, .removeFile, .makeChar, .makeDir, .makeReg,
                                               .makeSock, .makeFifo, .makeBlock, .makeSym, .refer, .truncate]
    /// The filesystem rights the running ABI knows.
    public static func supported(abi: Int) -> LandlockAccess {
        guard abi >= 1 else { return [] }
        var all = LandlockAccess(rawValue: (1 << 13) - 1)
        if abi >= 2 { all.insert(.refer) }
        if abi >= 3 { all.insert(.truncate) }
        return all
    }

    /// Short words for summaries: "x" execute, "r" read, "w" write.
    var letters: String {
        (contains(.execute) ? "x" : "") + (isDisjoint(with: .read) ? "" : "r") + (isDisjoint(with: .write) ? "" : "w")
    }
}

/// Landlock network rights and scopes (kernel ABI bits).
public enum LandlockNet {
    public static let connectTCP: UInt64 = 1 << 1
    /// ABI 6 scopes: no connecting to abstract Unix sockets, no signals, outside the domain.
    public static let scopeAbstractUnixSocket: UInt64 = 1 << 0
    public static let scopeSignal: UInt64 = 1 << 1
}

/// One path-beneath rule: `access` on `path` and everything below it.
public struct KernelGrant: Hashable, Sendable {
    public var path: String
    public var access: LandlockAccess
    /// Opened without following any symlink: programs are granted by the canonical path the
    /// policy checked, so a symlink swapped in later cannot move the grant onto another file.
    public var exact: Bool
    public init(_ path: String, _ access: LandlockAccess, exact: Bool = false) {
        self.path = path; self.access = access; self.exact = exact
    }
}

/// `access` on every entry of `directory` except `except`: how a deny inside a grant is expressed.
public struct KernelSiblingGrant: Hashable, Sendable {
    public var directory: String
    public var except: [String]
    public var access: LandlockAccess
}

/// Something the policy says that the kernel layer does not enforce for programs.
public struct KernelGap: Equatable, Sendable {
    /// The policy entry it is about, as written (e.g. "/proc/*/environ").
    public var entry: String
    public var message: String
}

/// The rules for one ruleset (the policy's, plus what one command adds).
public struct KernelRules: Hashable, Sendable {
    /// Filesystem rights the ruleset handles (denied unless granted).
    public var handled: LandlockAccess = []
    public var grants: [KernelGrant] = []
    public var siblings: [KernelSiblingGrant] = []
    /// TCP connect is handled: only `ports` may be reached.
    public var restrictsConnect = false
    public var ports: [UInt16] = []
}

/// What the policy's paths and network settings mean for the kernel, before any program is
/// looked at (PolicyEngine.kernelCoverage).
public struct KernelCoverage: Sendable {
    /// Canonical trees programs may write.
    public var writeRoots: [String]
    /// Denied paths that reads would reach: taken out by sibling grants.
    public var readDenies: [String]
    /// Trees programs may read (before the system reads are added); nil: reads not handled.
    public var readRoots: [String]?
    public var gaps: [KernelGap]
    public var restrictsConnect: Bool
    public var usesProxy: Bool
    public var neededABI: Int
}

/// The policy's kernel rules, compiled once per session (PolicyEngine.compileKernelPlan).
public struct KernelPlan: Sendable {
    public var mode: KernelMode
    public var rules: KernelRules
    /// Canonical program files with execute, and trees with execute (the workspace), to tell
    /// whether a command's own program must be added.
    public var executables: Set<String>
    public var executableTrees: [String]
    public var gaps: [KernelGap]
    /// The ABI the rules need in full: 3 (truncate), 4 when TCP connect is restricted.
    public var neededABI: Int
    /// The policy names hosts: programs reach them through the session's proxy.
    public var usesProxy: Bool
    /// Whether reads are handled at all.
    public var restrictsReads: Bool
}

extension KernelPlan {
    /// What each missing ABI level costs, for best-effort reports and required refusals.
    public func shortfalls(abi: Int) -> [String] {
        if abi < 1 { return ["the kernel has no Landlock (not built in, or not in the lsm= boot list): nothing a program does is confined"] }
        var out: [String] = []
        if abi < 3 && rules.handled.contains(.truncate) {
            out.append("truncating files outside the write paths is not prevented (Landlock ABI \(abi); 3 needed)")
        }
        if abi < 2 && rules.handled.contains(.refer) {
            out.append("renames and links across directories are refused everywhere (Landlock ABI 1)")
        }
        if abi < 4 && rules.restrictsConnect {
            out.append("TCP connections are not restricted (Landlock ABI \(abi); 4 needed): a program that ignores the proxy reaches any host")
        }
        return out
    }
}

/// What every dynamically linked program reads (loader cache, libraries, locale, time zone, user
/// and host databases, CA certificates, terminal descriptions, devices, /proc), granted when the
/// policy restricts reads. /usr holds only system files, nothing secret; /proc is needed by many
/// runtimes (it also exposes the user's other processes, as `ps` would: ptrace rules still apply).
public let systemReads = [
    "/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32",
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ld.so.preload",
    "/etc/localtime", "/etc/timezone", "/etc/locale.alias", "/etc/locale.conf", "/etc/default/locale",
    "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/hosts", "/etc/resolv.conf",
    "/etc/gai.conf", "/etc/services", "/etc/protocols", "/etc/ssl", "/etc/ca-certificates", "/etc/pki",
    "/etc/terminfo", "/etc/magic", "/etc/mime.types", "/etc/alternatives",
    "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/pts", "/dev/ptmx",
    "/proc", "/sys/devices/system/cpu", "/sys/fs/cgroup",
]

/// Devices every program may write whatever the write paths say (PolicyEngine.alwaysOpen).
public let deviceWrites = ["/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/pts", "/dev/ptmx"]

/// Dynamic loaders (PT_INTERP): opened for execution by the kernel for every dynamically linked
/// program, so they need execute.
/// The loaders programs of this machine's architectures may name (each is looked for at every
/// session's first exec: only this build's own and its 32-bit companion).
#if arch(x86_64)
let dynamicLoaders = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux.so.2", "/lib/ld-musl-x86_64.so.1"]
#elseif arch(arm64)
let dynamicLoaders = ["/lib/ld-linux-aarch64.so.1", "/lib/ld-linux-armhf.so.3", "/lib/ld-musl-aarch64.so.1"]
#else
let dynamicLoaders = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1", "/lib/ld-linux-armhf.so.3",
                      "/lib/ld-linux.so.2", "/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1", "/lib64/ld64.so.2"]
#endif

/// Programs an allowed tool runs as part of its own work (not commands of the agent's): git's
/// helpers (git-remote-https, …), a C compiler's passes and the assembler and linker it calls.
/// Directories get execute as a whole; bare names are resolved through the policy's search path.
func companions(of binary: String) -> [String] {
    let base = basename(binary)
    if base == "git" { return ["/usr/lib/git-core", "/usr/libexec/git-core"] }
    // Byte searches: String.contains(String) goes through generic string processing, and this
    // runs for each of a policy's programs at the first exec of every session.
    if containsBytes(base, "gcc") || containsBytes(base, "g++") || base == "cc" || base == "c++" || base == "cpp" {
        return ["/usr/lib/gcc", "/usr/libexec/gcc", "as", "ld"]
    }
    if base.hasPrefix("clang") { return ["as", "ld", "ld.lld"] }
    if base == "rustc" || base == "cargo" { return ["cc", "ld"] }
    if base == "go" {
        // GOROOT/pkg/tool (compile, link, asm, vet): GOROOT is the parent of the binary's bin/.
        let dir = parentPath(binary)
        if lastComponent(dir) == "bin" { return [parentPath(dir) + "/pkg/tool"] }
    }
    return []
}

func containsBytes(_ s: String, _ needle: String) -> Bool {
    let h = Array(s.utf8), n = Array(needle.utf8)
    guard !n.isEmpty, h.count >= n.count else { return n.isEmpty }
    outer: for i in 0...(h.count - n.count) {
        for j in 0..<n.count where h[i + j] != n[j] { continue outer }
        return true
    }
    return false
}

/// One look at each program of the execute set: open, fstat (is it trusted?), read the `#!`
/// line — one descriptor instead of separate stat, stat and open calls (the set has a hundred or
/// more programs, and this runs at the first exec of every session). Directories' trust is
/// remembered (they are few: /usr/bin, /usr/local/bin).
struct ProgramProbe {
    let engine: PolicyEngine
    var trustedDirs: [String: Bool] = [:]

    init(engine: PolicyEngine) { self.engine = engine }

    /// nil: missing or untrusted. Otherwise the `#!` words ([] for a binary).
    ///
    /// The words are what the compiled-policy cache remembers (`ProbeRecord`): a program whose
    /// identity and ctime are unchanged since the cache was written has the same first line, so
    /// a start pays one stat for it instead of open, fstat, read and close (the example policy's
    /// kernel plan looks at ~130 programs). Whether it is trusted (a regular file the governed
    /// user cannot write, in a directory they cannot change) is decided afresh every time.
    mutating func look(_ path: String) -> [String]? {
        var st = stat()
        if engine.hasCachedProbes, stat(path, &st) == 0, let words = engine.cachedProbe(path, st) {
            return trusted(path, st) ? words : nil
        }
        engine.liveProbes += 1
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        defer { if fd >= 0 { close(fd) } }
        // An execute-only program (mode 0711) cannot be read: no `#!` to look at, only its mode.
        guard (fd >= 0 ? fstat(fd, &st) : stat(path, &st)) == 0, trusted(path, st) else { return nil }
        guard fd >= 0 else { return [] }
        var buf = [UInt8](repeating: 0, count: 256)
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 256) }
        var words: [String] = []
        if n > 2, buf[0] == 0x23, buf[1] == 0x21 {
            let line = buf[2..<n].prefix { $0 != 0x0A }
            words = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        engine.probeRecorder?.add(ProbeRecord(path: path, stat: st, words: words))
        return words
    }

    private mutating func trusted(_ path: String, _ st: stat) -> Bool {
        guard (st.st_mode & S_IFMT) == S_IFREG, !engine.writableBy(st) else { return false }
        let dir = parentPath(path)
        if trustedDirs[dir] == nil {
            var dst = stat()
            trustedDirs[dir] = stat(dir, &dst) == 0 && !(engine.writableBy(dst) && (dst.st_mode & S_ISVTX) == 0)
        }
        return trustedDirs[dir] == true
    }
}

/// A program as the kernel plan looked at it: its identity and ctime then (any change to the
/// file, content or metadata, moves its ctime) and the words of its `#!` line.
struct ProbeRecord {
    var path: String
    var key: [Int]
    var words: [String]

    init(path: String, key: [Int], words: [String]) { self.path = path; self.key = key; self.words = words }
    init(path: String, stat st: stat, words: [String]) {
        self.init(path: path, key: ProbeRecord.key(st), words: words)
    }

    static func key(_ st: stat) -> [Int] {
        [Int(st.st_dev), Int(st.st_ino), Int(st.st_size), st.st_ctim.tv_sec, st.st_ctim.tv_nsec]
    }
}

/// Collects what the kernel plan looks at while the compiled-policy cache is written.
final class ProbeRecorder {
    private(set) var records: [ProbeRecord] = []
    private var seen = Set<String>()
    func add(_ r: ProbeRecord) {
        if seen.insert(r.path).inserted { records.append(r) }
    }
}

extension PathPattern {
    /// The canonical path the pattern's leading literal components name, and whether the
    /// pattern is exactly that (no glob anywhere).
    var literalRoot: (path: String, exact: Bool) {
        var comps: [String] = []
        for p in parts {
            guard case .literal(let s) = p else { return ("/" + comps.joined(separator: "/"), false) }
            comps.append(s)
        }
        return ("/" + comps.joined(separator: "/"), true)
    }
}

/// The most entries a directory on the way to a denied path may have (see kernelCoverage).
let maxCarvedEntries = 512

/// The number of entries of `dir` (without . and ..), counting no further than limit + 1.
func boundedEntryCount(_ dir: String, limit: Int) -> Int {
    guard let d = opendir(dir) else { return 0 }
    defer { closedir(d) }
    var n = 0
    while n <= limit, let e = readdir(d) {
        let isDot = withUnsafePointer(to: e.pointee.d_name) {
            $0.withMemoryRebound(to: UInt8.self, capacity: 3) { p in
                p[0] == 0x2E && (p[1] == 0 || (p[1] == 0x2E && p[2] == 0))
            }
        }
        if !isDot { n += 1 }
    }
    return n
}

/// `path` is `root` or below it (canonical paths).
func isWithin(_ path: String, _ root: String) -> Bool {
    root == "/" || path == root || path.hasPrefix(root + "/")
}

extension PolicyEngine {
    /// Compiles the policy's kernel rules. `shellPath` is aegish itself (execute, so `$SHELL -c`
    /// from a program comes back to the policy); `extraReads` are files a nested aegish needs
    /// (the policy, the compiled-policy cache).
    public func compileKernelPlan(shellPath: String, extraReads: [String] = [],
                                  coverage: KernelCoverage? = nil) -> KernelPlan {
        var gaps: [KernelGap] = []
        var rules = KernelRules()

        // Execute: the allowed programs and what they need to run.
        var exec = Set<String>()
        var trees: [String] = []
        var probe = ProgramProbe(engine: self)
        func addProgram(_ p: String, canonical: Bool = false) {
            let c = canonical ? p : canonicalPath(p, cwd: "/")
            guard !shellProgramNames.contains(basename(c)), !exec.contains(c) else { return }
            // A program the governed user could replace is not trusted (as for typed commands).
            guard let words = probe.look(c) else { return }
            exec.insert(c)
            for extra in interpreterChain(c, shebang: words) { addProgram(extra) }
        }
        // rulesByBinary's keys are canonical already.
        for (binary, indices) in rulesByBinary where indices.allSatisfy({ ruleVerdict($0) == .allow }) {
            addProgram(binary, canonical: true)
        }
        // Companions, to a fixpoint (rustc → cc → as, ld).
        var queue = Array(exec)
        while let b = queue.popLast() {
            for c in companions(of: b) {
                if c.hasPrefix("/") {
                    let d = canonicalPath(c, cwd: "/")
                    var st = stat()
                    if stat(d, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, !trees.contains(d) { trees.append(d) }
                } else if let r = resolve(c) {
                    let before = exec.count
                    addProgram(r)
                    if exec.count > before { queue.append(canonicalPath(r, cwd: "/")) }
                }
            }
        }
        // aegish's own path comes from /proc/self/exe, already free of symlinks.
        addProgram(shellPath, canonical: shellPath.hasPrefix("/"))
        // And its TOML parser: a nested aegish (`$SHELL -c` from a sandboxed program) whose
        // compiled policy is not cached parses the policy with it (LoadTOML.swift).
        if shellPath.hasPrefix("/") { addProgram(tomlHelperPath(forShell: shellPath), canonical: true) }   // canonical already
        // The loaders are root's system files: granted through their symlinks (no canonical path
        // to work out at every session start).
        var loaders: [String] = []
        for l in dynamicLoaders where access(l, F_OK) == 0 { loaders.append(l) }
        if settings.workspacePrograms == .allow, let ws = workspaceRoot { trees.append(ws) }

        let cov = coverage ?? kernelCoverage()
        gaps += cov.gaps
        let writeRoots = cov.writeRoots, readDenies = cov.readDenies
        let writeAccess: LandlockAccess = .write
        for w in writeRoots { rules.grants.append(KernelGrant(w, writeAccess)) }
        for d in deviceWrites { rules.grants.append(KernelGrant(d, [.writeFile, .readFile])) }

        let readRoots = cov.readRoots
        let restrictsReads = readRoots != nil
        if let roots = readRoots, roots.contains("/") {
            // Everything but the denied paths: whatever else would be listed is covered by the
            // sibling grants of "/" (or is a directory on a denied path's chain, expanded alike).
            addReads(["/"], denies: readDenies, into: &rules)
        } else if var roots = readRoots {
            roots += writeRoots + systemReads + extraReads
            // Libraries and data of programs outside /usr (/opt/x/bin/tool → /opt/x).
            for b in exec.union(trees) {
                let dir = parentPath(b)
                if ["bin", "sbin"].contains(lastComponent(dir)) {
                    let prefix = parentPath(dir)
                    if prefix != "/" && prefix != "/usr" { roots.append(prefix) }
                }
            }
            addReads(roots.map { canonicalPath($0, cwd: "/") }, denies: readDenies, into: &rules)
        }

        let fileRead: LandlockAccess = restrictsReads ? .readFile : []
        rules.grants.reserveCapacity(rules.grants.count + exec.count + loaders.count + trees.count)
        for e in exec.sorted() { rules.grants.append(KernelGrant(e, LandlockAccess.execute.union(fileRead), exact: true)) }
        for l in loaders { rules.grants.append(KernelGrant(l, LandlockAccess.execute.union(fileRead))) }
        for t in trees { rules.grants.append(KernelGrant(t, LandlockAccess.execute.union(restrictsReads ? .read : []))) }

        rules.handled = LandlockAccess.execute.union(.write).union(restrictsReads ? .read : [])
        rules.restrictsConnect = cov.restrictsConnect
        return KernelPlan(mode: settings.kernel, rules: rules, executables: exec, executableTrees: trees, gaps: gaps,
                          neededABI: cov.neededABI, usesProxy: cov.usesProxy, restrictsReads: restrictsReads)
    }

    /// The cheap part of the compilation (no program is looked at): which trees are writable,
    /// which denies need sibling grants, whether reads and connects are handled, and the gaps.
    /// Used at session start for the best-effort report, and by `compileKernelPlan`.
    public func kernelCoverage() -> KernelCoverage {
        var gaps: [KernelGap] = []
        // Writes, and the denies: each either needs no rule (the user cannot reach it anyway),
        // is expressed by sibling grants (reads), or is a gap.
        var writeRoots: [String] = []
        for p in writePatterns {
            let (root, exact) = p.literalRoot
            if !exact {
                gaps.append(KernelGap(entry: p.text, message: "paths.write \(p.text) has a glob; programs may not write there (the kernel grants literal paths only)"))
                continue
            }
            if root.hasPrefix("/proc/self/") || root == "/proc/self" { continue }   // /dev/stdout & co.
            writeRoots.append(root)
        }
        var readDenies: [String] = []
        // What the governed user can reach (nil: root or an unknown user, who may reach anything).
        let walk = denyPatterns.isEmpty || governedUID == 0 ? nil : programGroups().map { ReachWalk(engine: self, groups: $0) }
        for p in denyPatterns {
            let (root, exact) = p.literalRoot
            if !exact {
                gaps.append(KernelGap(entry: p.text, message: "paths.deny \(p.text) has a glob, which the kernel layer cannot express: programs can read what it matches (and change it, inside the write paths)"))
                continue
            }
            // A deny covering a whole write root takes it away (as decidePath does: deny first).
            writeRoots.removeAll { isWithin($0, root) }
            guard walk?.reaches(root) ?? true else { continue }
            if let w = writeRoots.first(where: { isWithin(root, $0) }) {
                gaps.append(KernelGap(entry: p.text, message: "paths.deny \(p.text) is inside the writable \(w); programs can read and change it (a writable tree is granted whole, or files created in it could not be written)"))
                continue
            }
            readDenies.append(root)
        }
        // Each directory on the way to a denied path is carved out entry by entry, and every rule
        // costs at every exec (landlock_restrict_self merges them): a huge directory (a shared
        // /tmp with thousands of entries) on the way makes the deny a gap instead.
        var sizes: [String: Int] = [:]
        readDenies.removeAll { d in
            var dir = parentPath(d)
            while true {
                let n = sizes[dir] ?? boundedEntryCount(dir, limit: maxCarvedEntries)
                sizes[dir] = n
                if n > maxCarvedEntries {
                    let text = denyPatterns.first { $0.literalRoot.path == d }?.text ?? d
                    gaps.append(KernelGap(entry: text, message: "paths.deny \(text) lies in \(dir), which has more than \(maxCarvedEntries) entries: too many rules to carve it out; programs can read it"))
                    return true
                }
                if dir == "/" { return false }
                dir = parentPath(dir)
            }
        }
        // Reads.
        let readRoots: [String]?
        if let reads = readPatterns, !reads.contains(where: { $0.covers("/") }) {
            var roots: [String] = []
            for p in reads {
                let (root, exact) = p.literalRoot
                if exact { roots.append(root) } else {
                    gaps.append(KernelGap(entry: p.text, message: "paths.read \(p.text) has a glob; programs may not read there (the kernel grants literal paths only)"))
                }
            }
            readRoots = roots
        } else {
            readRoots = readDenies.isEmpty ? nil : ["/"]
        }
        let restrictsConnect = settings.network.outside != .allow
        if !restrictsConnect && !settings.network.deny.isEmpty {
            gaps.append(KernelGap(entry: "network.deny", message: "network.deny is not enforced for programs while [network] outside = \"allow\" (the kernel layer confines connections only when hosts are allowlisted)"))
        }
        return KernelCoverage(writeRoots: writeRoots, readDenies: readDenies, readRoots: readRoots, gaps: gaps,
                              restrictsConnect: restrictsConnect,
                              usesProxy: restrictsConnect && !settings.network.allow.isEmpty,
                              neededABI: restrictsConnect ? 4 : 3)
    }

    /// A script's interpreter (`#!/usr/bin/python3`), and for `#!/usr/bin/env NAME` the program
    /// env would find through the policy's search path. `shebang`: the `#!` words if already read.
    func interpreterChain(_ program: String, shebang known: [String]?? = nil) -> [String] {
        guard let words = known ?? shebang(program), let first = words.first, first.hasPrefix("/") else { return [] }
        var out = [first]
        if basename(first) == "env", let name = words.dropFirst().first(where: { !$0.hasPrefix("-") && !$0.contains("=") }),
           let r = resolve(name) {
            out.append(r)
        }
        return out
    }

    /// Read grants on `roots`, with every denied path taken out by granting its siblings.
    func addReads(_ roots: [String], denies: [String], into rules: inout KernelRules) {
        var seen = Set<String>()
        var kept: [String] = []
        for r in roots where seen.insert(r).inserted {
            if denies.contains(where: { isWithin(r, $0) }) { continue }   // inside a denied path
            kept.append(r)
        }
        // A root already covered by another (with no deny in between) adds nothing.
        let plain = kept.filter { r in !denies.contains { isWithin($0, r) } }
        kept = kept.filter { r in
            !plain.contains { other in other != r && isWithin(r, other) }
        }
        for r in kept {
            let inside = denies.filter { isWithin($0, r) && $0 != r }
            if inside.isEmpty {
                rules.grants.append(KernelGrant(r, .read))
            } else {
                expand(r, denies: inside, into: &rules)
            }
        }
    }

    /// Grants read on `dir`'s entries except the ones leading to `denies` (all strictly below
    /// `dir`), and recurses along those. The directories on the way keep read_dir, so `ls ~`
    /// works; the names inside a denied directory can then be listed, never read.
    private func expand(_ dir: String, denies: [String], into rules: inout KernelRules) {
        let prefix = dir == "/" ? "/" : dir + "/"
        var next: [String: [String]] = [:]   // child name → denies below it (empty: the child itself)
        for d in denies {
            let rest = d.dropFirst(prefix.count)
            let name = String(rest.prefix { $0 != "/" })
            if rest.count == name.count { next[name, default: []] = [] } else if next[name] != [] {
                next[name, default: []].append(d)
            }
        }
        rules.grants.append(KernelGrant(dir, .readDir))
        rules.siblings.append(KernelSiblingGrant(directory: dir, except: next.keys.sorted(), access: .read))
        for (name, below) in next.sorted(by: { $0.key < $1.key }) where !below.isEmpty {
            expand(prefix + name, denies: below, into: &rules)
        }
    }

    /// The groups programs will have: this process's real ones when it runs as the governed user
    /// (nothing to parse); otherwise the user's from /etc/passwd and /etc/group (aegishctl
    /// --user). nil: unknown.
    func programGroups() -> [gid_t]? {
        guard getuid() == governedUID else {
            return groupsOf(governedUID, groupFile: "/etc/group", passwdFile: "/etc/passwd")
        }
        // A plain array: a Set's generic set-up costs more than the handful of lookups here.
        var list = [gid_t](repeating: 0, count: 256)
        let n = getgroups(256, &list)
        return [getgid()] + list.prefix(Int(max(n, 0)))
    }

    /// Whether the governed user could open `path` at all by its permissions: every directory on
    /// the way searchable, and the entry readable (a file) or searchable (a directory). Anything
    /// unusual — ACLs, an unknown user, root — counts as reachable. A path that does not exist is
    /// reachable when the user could create it (a directory on the way they can write); one only
    /// an administrator could create (/etc/sudoers.d on a system without sudo) is checked again
    /// at the next session, like everything else here.
    func governedUserCanReach(_ path: String) -> Bool {
        if governedUID == 0 { return true }
        guard let programGroups = programGroups() else { return true }   // unknown user
        return ReachWalk(engine: self, groups: programGroups).reaches(path)
    }
}

/// governedUserCanReach's walk, remembering each directory on the way: a policy's denies share
/// most of theirs (~/.ssh, ~/.aws, … all pass through $HOME), and each step is a stat and an
/// ACL lookup. The state after a directory does not depend on what lies below it.
final class ReachWalk {
    private enum State { case decided(Bool), going(stat) }
    private let engine: PolicyEngine
    private let groups: [gid_t]
    private var after: [String: State] = [:]

    init(engine: PolicyEngine, groups: [gid_t]) { self.engine = engine; self.groups = groups }

    /// Whether the governed user can reach `path`: search every directory on the way and read
    /// the file itself (a missing component: whether they could create it in its parent).
    func reaches(_ path: String) -> Bool {
        let comps = path.split(separator: "/")
        guard !comps.isEmpty else { return true }
        let full = "/" + comps.joined(separator: "/")
        switch state(after: parentPath(full)) {
        case .decided(let b): return b
        case .going(let parent):
            if case .decided(let b) = step(full, parent: parent, last: true) { return b }
            return true
        }
    }

    private func state(after prefix: String) -> State {
        if let s = after[prefix] { return s }
        let s: State
        if prefix == "/" {
            var st = stat()
            _ = stat("/", &st)
            s = .going(st)
        } else {
            switch state(after: parentPath(prefix)) {
            case .going(let parent): s = step(prefix, parent: parent, last: false)
            case let decided: s = decided
            }
        }
        after[prefix] = s
        return s
    }

    private func step(_ prefix: String, parent: stat, last: Bool) -> State {
        var st = stat()
        guard stat(prefix, &st) == 0 else { return .decided(engine.writableBy(parent)) }
        if aegish_has_acl(prefix) != 0 { return .decided(true) }
        let isDir = (st.st_mode & S_IFMT) == S_IFDIR
        let need: mode_t = (isDir ? 0o1 : 0) | (last && !isDir ? 0o4 : 0)
        if need == 0 { return .going(st) }
        let bits: mode_t
        if st.st_uid == engine.governedUID { bits = (st.st_mode >> 6) & 7 }
        else if groups.contains(st.st_gid) { bits = (st.st_mode >> 3) & 7 }
        else { bits = st.st_mode & 7 }
        return bits & need == need ? .going(st) : .decided(false)
    }
}
