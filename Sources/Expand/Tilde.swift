// Tilde expansion.

import Glibc

/// Expands `~name` (name without the `~`):
/// - `""`  → `home` ($HOME, even if empty); if HOME is unset (nil), the user's passwd directory.
/// - `"+"` → `pwd` ($PWD), `"-"` → `oldpwd` ($OLDPWD); nil when that variable is unset.
/// - `"user"` → the user's home directory from the passwd database.
/// Returns nil when it cannot be expanded: the caller keeps the word literally (`~nosuchuser`).
/// Directory-stack forms (`~+2`, `~-1`, `~3`) are not supported and return nil.
public func expandTilde(_ name: String, home: String?, pwd: String? = nil, oldpwd: String? = nil) -> String? {
    switch name {
    case "":
        if let home { return home }
        guard let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    case "+":
        return pwd
    case "-":
        return oldpwd
    default:
        guard let pw = getpwnam(name), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
