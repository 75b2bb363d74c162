// Reading the policy file, after making sure the governed user cannot have changed it.
//
// A policy the agent can edit is no policy: the file, every directory above it, and every
// symlink on the way must be out of the governed user's reach. Users and groups come from
// /etc/passwd and /etc/group read directly (aegish is linked fully static, where getpwnam and
// getgrnam would dlopen NSS modules and crash), plus the process's own groups when it runs as
// the governed user (which also covers groups the files do not list, e.g. from LDAP).

import Glibc

/// The largest policy file read; anything bigger is refused rather than read without bound.
let maxPolicyBytes = 4 << 20

/// Reads the file (after the ownership check, `policyWritableBy`) and parses it.
/// Throws `PolicyLoadError`; a policy that fails to load must make the caller refuse everything.
public func loadPolicy(path: String, governedUID: uid_t) throws -> Policy {
    try loadPolicy(path: path, governedUID: governedUID, groupFile: "/etc/group", passwdFile: "/etc/passwd")
}

/// `loadPolicy` with the user and group databases as parameters (for tests).
public func loadPolicy(path: String, governedUID: uid_t, groupFile: String, passwdFile: String) throws -> Policy {
    try loadPolicyAndStat(path: path, governedUID: governedUID, groupFile: groupFile, passwdFile: passwdFile).policy
}

/// `loadPolicy`, also returning the fstat of the file that was read (the cache key).
func loadPolicyAndStat(path: String, governedUID: uid_t, groupFile: String = "/etc/group",
                       passwdFile: String = "/etc/passwd") throws -> (policy: Policy, st: stat) {
    func fail(_ message: String) -> PolicyLoadError {
        PolicyLoadError(file: path, line: 0, column: 0, message)
    }
    let check = ownershipCheck(governedUID, path: path, groupFile: groupFile, passwdFile: passwdFile)
    if let why = check.reason {
        throw fail("refusing to load the policy: \(why); the policy and every directory above it must be "
                   + "owned by another user (root) and not writable by uid \(governedUID) "
                   + "(e.g. chown root:root and chmod 644 for the file, 755 for the directories)")
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { throw fail("cannot open the policy: \(errnoText(errno))") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw fail("cannot stat the policy: \(errnoText(errno))") }
    // The file opened must be the one checked (nothing on the way could be replaced by the user,
    // so a difference means someone else changed it meanwhile: refuse rather than guess).
    guard let checked = check.file, checked.dev == st.st_dev, checked.ino == st.st_ino else {
        throw fail("the policy changed while it was being checked; try again")
    }
    guard (st.st_mode & S_IFMT) == S_IFREG else { throw fail("the policy is not a regular file") }
    guard let bytes = readAll(fd, limit: maxPolicyBytes) else {
        throw fail(errno == EFBIG ? "the policy is larger than \(maxPolicyBytes >> 20) MiB"
                                  : "cannot read the policy: \(errnoText(errno))")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        // Locate the first invalid byte for the message.
        var line = 1, column = 1
        var it = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let u): if u == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput, .error: break loop
            }
        }
        throw PolicyLoadError(file: path, line: line, column: column,
                              "the policy is not valid UTF-8; save it as UTF-8")
    }
    return (try parsePolicy(text, file: path), st)
}

/// `policyWritableBy` for a directory (the audit log's): nil if neither it nor any directory
/// above it can be changed by `uid`.
public func directoryWritableBy(_ uid: uid_t, path: String) -> String? {
    ownershipCheck(uid, path: path, groupFile: "/etc/group", passwdFile: "/etc/passwd", directory: true).reason
}

/// The uid ownership checks are made for when the shell runs as `uid`: root can write any
/// file, so for root the rule reduces to "not group- or world-writable and owned by nobody but
/// root", checked as for a user who owns nothing.
public func ownershipCheckUID(_ uid: uid_t) -> uid_t { uid == 0 ? uid_t.max - 1 : uid }

/// The refusal reason if `path` or any directory above it can be written by `uid`, or if a
/// symlink owned by `uid` is anywhere on the way; nil if safe.
///
/// Writable by `uid` means: owned by `uid` (an owner can always chmod), or group-writable with
/// `uid` in the group (primary group from `passwdFile`, members from `groupFile`, and the process's
/// groups when it runs as `uid`; group writes count as unsafe if the user is unknown), or
/// writable by others. A writable directory with the sticky bit is tolerated only when neither it
/// nor the entry below it is owned by `uid` (then the entry cannot be renamed or removed).
/// Root-owned 0644 files in root-owned 0755 directories are safe. uid 0 can write anything.
public func policyWritableBy(_ uid: uid_t, path: String, groupFile: String = "/etc/group",
                             passwdFile: String = "/etc/passwd") -> String? {
    ownershipCheck(uid, path: path, groupFile: groupFile, passwdFile: passwdFile).reason
}

struct OwnershipResult {
    var reason: String?
    /// The final file's identity (after symlinks), to compare with what is opened.
    var file: (dev: dev_t, ino: ino_t)?
    /// The final file's lstat (for the compiled-policy cache key).
    var st: stat? = nil
    /// With `ownedIfUnreachable`: the file is owned by the uid, which cannot reach it.
    var ownedButUnreachable = false
}

/// `ownedIfUnreachable`: a final regular file owned by `uid` passes when `uid` cannot reach it
/// at all — its directory is not searchable by `uid` (the compiled-policy cache aegish writes
/// while installed setgid, running as the user, into a root:aegish 2770 directory): no path of
/// the user's leads to it, so owning it gives them nothing.
private final class GroupsMemo {
    var done = false, known = false
    var value: [gid_t] = []
}

func ownershipCheck(_ uid: uid_t, path: String, groupFile: String, passwdFile: String,
                    directory: Bool = false, ownedIfUnreachable: Bool = false) -> OwnershipResult {
    func refuse(_ r: String) -> OwnershipResult { OwnershipResult(reason: r, file: nil) }
    if uid == 0 {
        return refuse("the governed user is root (uid 0), who can write any file; run the agent as an unprivileged user")
    }
    if path.isEmpty { return refuse("the policy path is empty") }
    var full = path
    if !path.hasPrefix("/") {
        guard let cwd = currentDirectory() else { return refuse("cannot resolve the relative path \(path)") }
        full = cwd + "/" + path
    }
    // Read /etc/passwd and /etc/group only when a group-writable object is met (rare). A class,
    // not a captured `[gid_t]??`: that type's metadata is built from its mangled name at run time,
    // which costs every start ~15 µs although the groups are almost never read.
    let groupsRead = GroupsMemo()
    func groups() -> [gid_t]? {
        if groupsRead.done { return groupsRead.known ? groupsRead.value : nil }
        let g = groupsOf(uid, groupFile: groupFile, passwdFile: passwdFile)
        groupsRead.done = true
        groupsRead.known = g != nil
        groupsRead.value = g ?? []
        return g
    }

    func mode(_ st: stat) -> String {
        var s = String(st.st_mode & 0o7777, radix: 8)
        while s.count < 4 { s = "0" + s }
        return s
    }
    /// Whether `uid` can write the object with `st` (cheap: the message is built only on refusal).
    func canWrite(_ st: stat) -> Bool {
        if st.st_uid == uid || st.st_mode & S_IWOTH != 0 { return true }
        if st.st_mode & S_IWGRP != 0 { return groups()?.contains(st.st_gid) ?? true }
        return false
    }
    /// Why `uid` can write the object with `st` (named `name`), or nil.
    func writable(_ st: stat, _ name: String) -> String? {
        guard canWrite(st) else { return nil }
        if st.st_uid == uid { return "\(name) is owned by uid \(uid)" }
        if st.st_mode & S_IWOTH != 0 { return "\(name) is writable by everyone (mode \(mode(st)))" }
        guard groups() != nil else {
            return "\(name) is group-writable (mode \(mode(st))) and the groups of uid \(uid) are unknown"
        }
        return "\(name) is group-writable (mode \(mode(st))) and uid \(uid) is in its group \(st.st_gid)"
    }

    /// Why `uid` can search (enter) the directory with `st`, or nil.
    func searchable(_ st: stat, _ name: String) -> String? {
        if st.st_uid == uid { return "\(name) is owned by uid \(uid)" }
        if st.st_mode & S_IXOTH != 0 { return "\(name) can be entered by everyone (mode \(mode(st)))" }
        if st.st_mode & S_IXGRP != 0 {
            guard let groups = groups() else {
                return "\(name) can be entered by its group (mode \(mode(st))) and the groups of uid \(uid) are unknown"
            }
            if groups.contains(st.st_gid) {
                return "\(name) can be entered by its group \(st.st_gid), which uid \(uid) is in"
            }
        }
        return nil
    }

    // Walked on bytes, with no per-component strings (this runs twice at every start): `out` is
    // the current directory ("" for /), `marks` where each of its components starts, `owners`
    // (uid << 32 | gid) and `modes` those of / and of each of them (all [Int], a type every start
    // has anyway: an array of `stat`, or of UInt64, costs a generic metadata instantiation at
    // every start); `rest` what is still to walk, from `i`.
    var rootStat = stat()
    guard lstat("/", &rootStat) == 0 else { return refuse("cannot stat /: \(errnoText(errno))") }
    var out: [UInt8] = []
    var marks: [Int] = []
    func owner(_ st: stat) -> Int { Int(bitPattern: UInt(st.st_uid) << 32 | UInt(st.st_gid)) }
    var owners: [Int] = [owner(rootStat)]
    var modes: [Int] = [Int(rootStat.st_mode)]
    func push(_ st: stat) { owners.append(owner(st)); modes.append(Int(st.st_mode)) }
    func top() -> stat {
        var st = stat()
        let o = UInt(bitPattern: owners[owners.count - 1])
        st.st_uid = uid_t(truncatingIfNeeded: o >> 32); st.st_gid = gid_t(truncatingIfNeeded: o)
        st.st_mode = mode_t(truncatingIfNeeded: modes[modes.count - 1])
        return st
    }
    var rest = Array(full.utf8)
    var i = 0
    var hops = 0
    func text(_ b: [UInt8]) -> String { b.isEmpty ? "/" : String(decoding: b, as: UTF8.self) }
    while true {
        while i < rest.count && rest[i] == 0x2F { i += 1 }
        if i == rest.count { break }
        let start = i
        while i < rest.count && rest[i] != 0x2F { i += 1 }
        let n = i - start
        if n == 1 && rest[start] == 0x2E { continue }
        if n == 2 && rest[start] == 0x2E && rest[start + 1] == 0x2E {
            if let m = marks.popLast() { out.removeSubrange(m...); owners.removeLast(); modes.removeLast() }
            continue
        }
        let dirStat = top()
        let dirEnd = out.count
        out.append(0x2F)
        out.append(contentsOf: rest[start..<i])
        out.append(0)
        var st = stat()
        let failed = out.withUnsafeBufferPointer { lstat(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &st) } != 0
        let err = errno
        out.removeLast()
        let more = rest[i...].contains { $0 != 0x2F }
        // Messages only when refusing.
        func entry() -> String { text(out) }
        func dirPath() -> String { text(Array(out[..<dirEnd])) }
        guard !failed else { return refuse("cannot check \(entry()): \(errnoText(err))") }
        // Can the user replace the entry through its directory?
        if canWrite(dirStat) {
            let sticky = dirStat.st_mode & S_ISVTX != 0
            if sticky && dirStat.st_uid != uid {
                if st.st_uid == uid {
                    return refuse("\(entry()) is owned by uid \(uid) (the sticky bit on \(dirPath()) does not protect it)")
                }
            } else {
                return refuse(writable(dirStat, "directory \(dirPath())") ?? "directory \(dirPath()) is writable by uid \(uid)")
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFLNK:
            if st.st_uid == uid { return refuse("\(entry()) is a symlink owned by uid \(uid)") }
            hops += 1
            if hops > 40 { return refuse("too many symlinks on the way to \(path)") }
            guard let target = ownershipReadLink(entry()) else { return refuse("cannot read the symlink \(entry()): \(errnoText(errno))") }
            out.removeSubrange(dirEnd...)
            if target.hasPrefix("/") { out.removeAll(); marks.removeAll(); owners.removeSubrange(1...); modes.removeSubrange(1...) }
            var next = Array(target.utf8)
            next.append(0x2F)
            next.append(contentsOf: rest[i...])
            rest = next
            i = 0
        case S_IFDIR:
            if directory && !more {
                if let why = writable(st, "directory \(entry())") { return refuse(why) }
                return OwnershipResult(reason: nil, file: (st.st_dev, st.st_ino), st: st)
            }
            marks.append(dirEnd)
            push(st)
        case S_IFREG:
            guard !more else { return refuse("\(entry()) is not a directory") }
            if ownedIfUnreachable && st.st_uid == uid && st.st_mode & (S_IWGRP | S_IWOTH) == 0 {
                if let why = searchable(dirStat, "directory \(dirPath())") {
                    return refuse("\(entry()) is owned by uid \(uid) and \(why)")
                }
                return OwnershipResult(reason: nil, file: (st.st_dev, st.st_ino), st: st, ownedButUnreachable: true)
            }
            if let why = writable(st, entry()) { return refuse(why) }
            return OwnershipResult(reason: nil, file: (st.st_dev, st.st_ino), st: st)
        default:
            return refuse("\(entry()) is not a regular file")
        }
    }
    return refuse("\(path) is not a regular file")
}

/// Why `uid` can enter the directory with `st` (its owner, or by the mode bits for others or
/// for a group of theirs), or nil when it cannot.
func directoryEnterableBy(_ uid: uid_t, _ st: stat) -> String? {
    if st.st_uid == uid { return "owned by uid \(uid)" }
    if st.st_mode & S_IXOTH != 0 { return "enterable by everyone" }
    if st.st_mode & S_IXGRP != 0 {
        guard let groups = groupsOf(uid, groupFile: "/etc/group", passwdFile: "/etc/passwd") else {
            return "enterable by its group, and the groups of uid \(uid) are unknown"
        }
        if groups.contains(st.st_gid) { return "enterable by its group \(st.st_gid), which uid \(uid) is in" }
    }
    return nil
}

/// The groups `uid` belongs to: its primary group (passwd), the groups listing its name (group
/// file), and, when this process runs as `uid`, the process's groups. nil when the user is
/// unknown to the passwd file and this process does not run as it.
func groupsOf(_ uid: uid_t, groupFile: String, passwdFile: String) -> [gid_t]? {
    // A short list, not a Set: hashing gid_t would cost the static binary a conformance scan
    // (~25 µs) at every start that meets a group-writable directory (the deployed log directory).
    var groups: [gid_t] = []
    func add(_ g: gid_t) { if !groups.contains(g) { groups.append(g) } }
    var known = false
    if getuid() == uid || geteuid() == uid {
        known = true
        // Not the effective group: installed setgid `aegish`, that is aegish's group, not the user's.
        add(getgid())
        let n = getgroups(0, nil)
        if n > 0 {
            var list = [gid_t](repeating: 0, count: Int(n))
            let m = getgroups(n, &list)
            if m > 0 { for g in list.prefix(Int(m)) { add(g) } }
        }
    }
    guard let entry = passwdEntry(passwdFile, { $0.count >= 4 && uid_t($0[2]) == uid }) else {
        return known ? groups : nil
    }
    let name = entry[0]
    if let g = gid_t(entry[3]) { add(g) }
    guard let groupText = readTextFile(groupFile) else { return nil }
    for line in groupText.split(separator: "\n") {
        // name:password:gid:member,member
        let f = line.split(separator: ":", omittingEmptySubsequences: false)
        guard f.count >= 4, let g = gid_t(f[2]) else { continue }
        if f[3].split(separator: ",").contains(where: { $0.trimmingSpaces == name }) { add(g) }
    }
    return groups
}

private extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

// MARK: - Small file-system helpers (no Foundation on the shell path)

func errnoText(_ e: Int32) -> String { String(cString: strerror(e)) }

func currentDirectory() -> String? {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buf, buf.count) != nil else { return nil }
    return String(cString: buf)
}

func ownershipReadLink(_ path: String) -> String? {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buf, buf.count - 1)
    guard n >= 0 else { return nil }
    buf[n] = 0
    return String(cString: buf)
}

/// The whole contents of `fd`; nil on a read error or (errno EFBIG) beyond `limit` bytes.
func readAll(_ fd: Int32, limit: Int) -> [UInt8]? {
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; return nil }
        if n == 0 { return bytes }
        bytes.append(contentsOf: buf[0..<n])
        if bytes.count > limit { errno = EFBIG; return nil }
    }
}

/// The fields (name:password:uid:gid:gecos:home:shell) of the first line of the passwd file that
/// `match` accepts; nil if none does or the file cannot be read. Read directly, never through
/// NSS: in the fully static aegish glibc dlopens NSS modules other than files and dns, and that
/// crashes.
func passwdEntry(_ passwdFile: String, _ match: ([Substring]) -> Bool) -> [Substring]? {
    guard let text = readTextFile(passwdFile) else { return nil }
    for line in text.split(separator: "\n") {
        let f = line.split(separator: ":", omittingEmptySubsequences: false)
        if f.count >= 3, match(f) { return f }
    }
    return nil
}

func readTextFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard let bytes = readAll(fd, limit: 64 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
