// Counting the targets of an operation.
//
// A non-recursive target counts 1. A recursive target counts itself plus every entry below it,
// found with open(O_DIRECTORY|O_NOFOLLOW)/fdopendir/readdir (d_type, or fstatat with
// AT_SYMLINK_NOFOLLOW when the file system does not fill it): symlinks are counted, never
// followed; a recursive operand that is not a directory (or a symlink to one) counts 1; a
// directory that cannot be opened counts 1 (its contents cannot be listed, hence not deleted
// by the caller either). One directory descriptor is open at a time (pending directories are
// kept as paths), so depth costs memory, not descriptors.
//
// Bounded: the walk stops after `maxEntries` entries (over all operands of the operation) or
// when `budgetNanoseconds` of monotonic time have passed (checked every 64 entries and at each
// directory). A stopped walk is reported as such and the limiter takes the count as over the
// limit (fail closed). The limiter passes maxEntries = min(walk_max_entries, largest max_targets
// of the matching classes + 1): once the count is over every class's limit there is nothing
// left to learn.
import Glibc

public enum WalkStop: Sendable, Equatable {
    case entries   // reached the entry cap
    case time      // ran out of time
}

public struct WalkResult: Sendable, Equatable {
    /// Targets counted (a lower bound when `stopped` is set).
    public var count: Int
    public var stopped: WalkStop?
    /// The operand being walked when the walk stopped.
    public var stoppedIn: String?
}

@inline(__always) func monotonicNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Count the targets; relative paths are resolved against `cwd`.
public func countTargets(_ targets: [LimitTarget], cwd: String, maxEntries: Int,
                         budgetNanoseconds: Int64) -> WalkResult {
    let deadline = monotonicNanoseconds() &+ max(0, budgetNanoseconds)
    var result = WalkResult(count: 0, stopped: nil, stoppedIn: nil)
    for t in targets {
        if !t.recursive {
            result.count += 1
            continue
        }
        let path = t.path.hasPrefix("/") ? t.path : (cwd.hasSuffix("/") ? cwd + t.path : cwd + "/" + t.path)
        walkTree(path, into: &result, maxEntries: maxEntries, deadline: deadline)
        if result.stopped != nil { result.stoppedIn = path; return result }
    }
    return result
}

private func walkTree(_ root: String, into r: inout WalkResult, maxEntries: Int, deadline: Int64) {
    r.count += 1  // the operand itself
    if r.count >= maxEntries && maxEntries > 0 { r.stopped = .entries; return }
    var pending: [String] = [root]
    var sinceCheck = 0
    while let dir = pending.popLast() {
        if monotonicNanoseconds() > deadline { r.stopped = .time; return }
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { continue }  // not a directory, a symlink, gone, or unreadable: counted as 1
        guard let d = fdopendir(fd) else { close(fd); continue }
        let dfd = dirfd(d)
        while let ent = readdir(d) {
            let skip: Bool = withUnsafePointer(to: &ent.pointee.d_name) { p in
                p.withMemoryRebound(to: UInt8.self, capacity: 3) { n in
                    n[0] == 0x2E && (n[1] == 0 || (n[1] == 0x2E && n[2] == 0))
                }
            }
            if skip { continue }
            r.count += 1
            if r.count >= maxEntries { closedir(d); r.stopped = .entries; return }
            sinceCheck += 1
            if sinceCheck >= 64 {
                sinceCheck = 0
                if monotonicNanoseconds() > deadline { closedir(d); r.stopped = .time; return }
            }
            var isDir = false
            let type = ent.pointee.d_type
            if type == UInt8(DT_DIR) {
                isDir = true
            } else if type == UInt8(DT_UNKNOWN) {
                var st = stat()
                let ok = withUnsafePointer(to: &ent.pointee.d_name) { p in
                    p.withMemoryRebound(to: CChar.self, capacity: 256) { fstatat(dfd, $0, &st, AT_SYMLINK_NOFOLLOW) == 0 }
                }
                isDir = ok && (st.st_mode & S_IFMT) == S_IFDIR
            }
            if isDir {
                let name = withUnsafePointer(to: &ent.pointee.d_name) { p in
                    p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                pending.append(dir.hasSuffix("/") ? dir + name : dir + "/" + name)
            }
        }
        closedir(d)
    }
}
