import Foundation

// Users from /etc/passwd, read directly: aegishctl is linked statically, where getpwnam would
// need NSS modules it cannot load (the same reason the policy loader reads the file itself).

struct PasswdEntry {
    var name: String
    var uid: UInt32
    var gid: UInt32
    var home: String
}

func passwdEntries(_ file: String = "/etc/passwd") -> [PasswdEntry] {
    guard let data = FileManager.default.contents(atPath: file) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
        let f = line.split(separator: ":", omittingEmptySubsequences: false)
        guard f.count >= 6, let uid = UInt32(f[2]), let gid = UInt32(f[3]) else { return nil }
        return PasswdEntry(name: String(f[0]), uid: uid, gid: gid, home: String(f[5]))
    }
}

/// A user given by name or numeric uid. A uid with no passwd entry is still a user (no home).
func lookupUser(_ spec: String) -> PasswdEntry? {
    let all = passwdEntries()
    if let e = all.first(where: { $0.name == spec }) { return e }
    if let uid = UInt32(spec) {
        return all.first(where: { $0.uid == uid }) ?? PasswdEntry(name: spec, uid: uid, gid: uid, home: "")
    }
    return nil
}

func lookupUser(uid: UInt32) -> PasswdEntry? {
    passwdEntries().first { $0.uid == uid }
}
