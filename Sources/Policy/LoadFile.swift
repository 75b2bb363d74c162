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
}

func ownershipCheck(_ uid: uid_t, path: String, groupFile: String, passwdFile: String,
                    directory: Bool = false) -> OwnershipResult {
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
    // Read /etc/passwd and /etc/group only when a group-writable object is met (rare).
    var groupsRead: Set<gid_t>?? = nil
    func groups() -> Set<gid_t>? {
        if let g = groupsRead { return g }
        let g = groupsOf(uid, groupFile: groupFile, passwdFile: passwdFile)
        groupsRead = .some(g)
        return g
    }

    func mode(_ st: stat) -> String {
        var s = String(st.st_mode & 0o7777, radix: 8)
        while s.count < 4 { s = "0" + s }
        return s
    }
    /// Why `uid` can write the object with `st` (named `name`), or nil.
    func writable(_ st: stat, _ name: String) -> String? {
        if st.st_uid == uid { return "\(name) is owned by uid \(uid)" }
        if st.st_mode & S_IWOTH != 0 { return "\(name) is writable by everyone (mode \(mode(st)))" }
        if st.st_mode & S_IWGRP != 0 {
            guard let groups = groups() else {
                return "\(name) is group-writable (mode \(mode(st))) and the groups of uid \(uid) are unknown"
            }
            if groups.contains(st.st_gid) {
                return "\(name) is group-writable (mode \(mode(st))) and uid \(uid) is in its group \(st.st_gid)"
            }
        }
        return nil
    }

    // The directories walked so far (path, stat); the last is the current directory.
    var rootStat = stat()
    guard lstat("/", &rootStat) == 0 else { return refuse("cannot stat /: \(errnoText(errno))") }
    var stack: [(path: String, st: stat)] = [("/", rootStat)]
    var pending = full.split(separator: "/").map(String.init)
    var hops = 0
    while !pending.isEmpty {
        let comp = pending.removeFirst()
        if comp == "." { continue }
        if comp == ".." { if stack.count > 1 { stack.removeLast() }; continue }
        let dir = stack[stack.count - 1]
        let entry = dir.path == "/" ? "/" + comp : dir.path + "/" + comp
        var st = stat()
        guard lstat(entry, &st) == 0 else { return refuse("cannot check \(entry): \(errnoText(errno))") }
        // Can the user replace `entry` through its directory?
        if let why = writable(dir.st, "directory \(dir.path)") {
            let sticky = dir.st.st_mode & S_ISVTX != 0
            if sticky && dir.st.st_uid != uid {
                if st.st_uid == uid {
                    return refuse("\(entry) is owned by uid \(uid) (the sticky bit on \(dir.path) does not protect it)")
                }
            } else {
                return refuse(why)
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFLNK:
            if st.st_uid == uid { return refuse("\(entry) is a symlink owned by uid \(uid)") }
            hops += 1
            if hops > 40 { return refuse("too many symlinks on the way to \(path)") }
            guard let target = ownershipReadLink(entry) else { return refuse("cannot read the symlink \(entry): \(errnoText(errno))") }
            if target.hasPrefix("/") { stack = [("/", rootStat)] }
            pending = target.split(separator: "/").map(String.init) + pending
        case S_IFDIR:
            if directory && pending.isEmpty {
                if let why = writable(st, "directory \(entry)") { return refuse(why) }
                return OwnershipResult(reason: nil, file: (st.st_dev, st.st_ino), st: st)
            }
            stack.append((entry, st))
        case S_IFREG:
            guard pending.isEmpty else { return refuse("\(entry) is not a directory") }
            if let why = writable(st, entry) { return refuse(why) }
            return OwnershipResult(reason: nil, file: (st.st_dev, st.st_ino), st: st)
        default:
            return refuse("\(entry) is not a regular file")
        }
    }
    return refuse("\(path) is not a regular file")
}

/// The groups `uid` belongs to: its primary group (passwd), the groups listing its name (group
/// file), and, when this process runs as `uid`, the process's groups. nil when the user is
/// unknown to the passwd file and this process does not run as it.
func groupsOf(_ uid: uid_t, groupFile: String, passwdFile: String) -> Set<gid_t>? {
    var groups: Set<gid_t> = []
    var known = false
    if getuid() == uid || geteuid() == uid {
        known = true
        // Not the effective group: installed setgid `aegish`, that is aegish's group, not the user's.
        groups.insert(getgid())
        let n = getgroups(0, nil)
        if n > 0 {
            var list = [gid_t](repeating: 0, count: Int(n))
            let m = getgroups(n, &list)
            if m > 0 { groups.formUnion(list.prefix(Int(m))) }
        }
    }
    guard let passwd = readTextFile(passwdFile) else { return known ? groups : nil }
    var name: Substring? = nil
    for line in passwd.split(separator: "\n") {
        // name:password:uid:gid:gecos:home:shell
        let f = line.split(separator: ":", omittingEmptySubsequences: false)
        guard f.count >= 4, let u = uid_t(f[2]), u == uid else { continue }
        name = f[0]
        if let g = gid_t(f[3]) { groups.insert(g) }
        break
    }
    guard let name else { return known ? groups : nil }
    guard let groupText = readTextFile(groupFile) else { return nil }
    for line in groupText.split(separator: "\n") {
        // name:password:gid:member,member
        let f = line.split(separator: ":", omittingEmptySubsequences: false)
        guard f.count >= 4, let g = gid_t(f[2]) else { continue }
        if f[3].split(separator: ",").contains(where: { $0.trimmingSpaces == name }) { groups.insert(g) }
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

func readTextFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard let bytes = readAll(fd, limit: 64 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
