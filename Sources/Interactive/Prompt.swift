import Glibc

// PS1 and PS2. Only backslash escapes are expanded (bash's set, plus \p for the policy name):
// no parameter expansion or command substitution, so drawing the prompt never runs anything
// and never reaches the gate.

/// The default PS1: `[coding-agent] alice@box:~/work$ `.
public let defaultPS1 = "[\\p] \\u@\\h:\\w\\$ "
public let defaultPS2 = "> "

/// What the escapes are replaced by.
public struct PromptContext: Sendable {
    public var user: String
    public var host: String
    public var cwd: String
    public var home: String?
    public var policy: String
    public var isRoot: Bool
    public var status: Int32
    public var jobs: Int
    public init(user: String, host: String, cwd: String, home: String?, policy: String, isRoot: Bool,
                status: Int32 = 0, jobs: Int = 0) {
        self.user = user; self.host = host; self.cwd = cwd; self.home = home; self.policy = policy
        self.isRoot = isRoot; self.status = status; self.jobs = jobs
    }
}

/// Marks the start and end of characters that take no room on screen (`\[` `\]`): libedit's
/// prompt escape character (see CEditShim).
let promptInvisible: Character = "\u{1}"

/// Expands the escapes of `template`:
/// `\u` user, `\h` host up to the first dot, `\H` host, `\w` directory (`~` for HOME), `\W` its
/// last component, `\$` `#` for root else `$`, `\p` policy name, `\?` last status, `\j` jobs,
/// `\t` `\T` `\@` `\A` time, `\s` shell name, `\v` version, `\n` newline, `\e` escape,
/// `\a` bell, `\\` backslash, `\[` `\]` around invisible characters (colours).
public func expandPrompt(_ template: String, _ c: PromptContext) -> String {
    var out = ""
    var it = template.makeIterator()
    while let ch = it.next() {
        guard ch == "\\" else { out.append(ch); continue }
        guard let e = it.next() else { out.append("\\"); break }
        switch e {
        case "u": out += c.user
        case "h": out += c.host.split(separator: ".", maxSplits: 1).first.map(String.init) ?? c.host
        case "H": out += c.host
        case "w": out += tildeDirectory(c.cwd, home: c.home)
        case "W":
            if let h = c.home, c.cwd == h || (c.cwd == "/" && h == "/") { out += "~" } else if c.cwd == "/" { out += "/" } else {
                out += c.cwd.split(separator: "/").last.map(String.init) ?? c.cwd
            }
        case "$": out += c.isRoot ? "#" : "$"
        case "p": out += c.policy
        case "?": out += String(c.status)
        case "j": out += String(c.jobs)
        case "s": out += "aegish"
        case "v", "V": out += "0.1"
        case "n": out += "\n"
        case "r": out += "\r"
        case "e": out += "\u{1B}"
        case "a": out += "\u{07}"
        case "\\": out += "\\"
        case "[", "]": out.append(promptInvisible)
        case "t", "T", "@", "A": out += clock(e)
        default: out.append("\\"); out.append(e)
        }
    }
    return out
}

/// `/home/alice/work` → `~/work` when HOME is /home/alice.
func tildeDirectory(_ cwd: String, home: String?) -> String {
    guard let h = home, h != "/", !h.isEmpty else { return cwd }
    let home = h.hasSuffix("/") ? String(h.dropLast()) : h
    if cwd == home { return "~" }
    if cwd.hasPrefix(home + "/") { return "~" + cwd.dropFirst(home.count) }
    return cwd
}

/// The prompt without its invisible markers, for output that is not libedit's.
func plainPrompt(_ p: String) -> String { p.filter { $0 != promptInvisible } }

private func clock(_ format: Character) -> String {
    var now = time(nil)
    var t = tm()
    localtime_r(&now, &t)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    switch format {
    case "t": return "\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))"
    case "A": return "\(two(t.tm_hour)):\(two(t.tm_min))"
    default:
        let h = t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12
        if format == "T" { return "\(two(h)):\(two(t.tm_min)):\(two(t.tm_sec))" }
        return "\(two(h)):\(two(t.tm_min)) \(t.tm_hour < 12 ? "AM" : "PM")"
    }
}
