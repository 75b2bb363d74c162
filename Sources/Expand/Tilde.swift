// Tilde expansion.

import Glibc

/// Expands `~name` (name without the `~`):
/// - `""`  → `home` ($HOME, even if empty); if HOME is unset (nil), the user's passwd directory.
/// - `"+"` → `pwd` ($PWD), `"-"` → `oldpwd` ($OLDPWD); nil when that variable is unset.
/// - `"user"` → the user's home directory from /etc/passwd.
/// Returns nil when it cannot be expanded: the caller keeps the word literally (`~nosuchuser`).
/// Directory-stack forms (`~+2`, `~-1`, `~3`) are not supported and return nil.
public func expandTilde(_ name: String, home: String?, pwd: String? = nil, oldpwd: String? = nil) -> String? {
    switch name {
    case "":
        if let home { return home }
        return passwdHome { $0.uid == getuid() }
    case "+":
        return pwd
    case "-":
        return oldpwd
    default:
        return passwdHome { $0.name == name }
    }
}

/// Reads /etc/passwd directly. aegish is linked fully static, where glibc's getpwnam would
/// dlopen NSS modules (and crashes doing so); the shell needs only the local database.
func passwdHome(_ match: ((name: Substring, uid: uid_t)) -> Bool) -> String? {
    let fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 16384)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
        // name:password:uid:gid:gecos:home:shell
        let f = line.split(separator: ":", omittingEmptySubsequences: false)
        guard f.count >= 7, let uid = uid_t(f[2]) else { continue }
        if match((name: f[0], uid: uid)) { return String(f[5]) }
    }
    return nil
}
