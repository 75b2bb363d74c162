// Configuration files that decide where network tools connect: git config (remotes, insteadOf,
// includes), ssh_config (Hostname, ProxyCommand, ProxyJump, Include, Match), apt sources, npm/yarn
// rc files and lockfiles, pip.conf, cargo and go configuration. Read only; never executed.

import Glibc

/// Where configuration files are looked for: HOME and XDG_CONFIG_HOME exactly as the programs
/// aegish starts will see them (PolicyEngine.childEnvironment pins both); tests inject one.
struct NetEnv {
    var home: String?
    var xdgConfig: String?
    var etc: String = "/etc"
    var configHome: String? { xdgConfig ?? home.map { $0 + "/.config" } }
}

// MARK: - git config

struct GitConfigEntry: Equatable {
    var section: String       // lowercased
    var subsection: String?   // case-sensitive (legacy `[a.b]` lowercased)
    var key: String           // lowercased
    var value: String
}

/// Parses git's config syntax. Malformed lines are skipped (the caller reads what git would).
func parseGitConfig(_ text: String) -> [GitConfigEntry] {
    var out: [GitConfigEntry] = []
    var section = "", sub: String? = nil
    // Join backslash-newline continuations first (they may occur only inside values).
    let lines = text.replacing("\\\r\n", with: "").replacing("\\\n", with: "").split(separator: "\n", omittingEmptySubsequences: false)
    for raw in lines {
        var line = Substring(raw.trimmingSpaces())
        if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
        if line.hasPrefix("[") {
            guard let close = line.firstIndex(of: "]") else { continue }
            let inner = line[line.index(after: line.startIndex)..<close]
            if let q = inner.firstIndex(of: "\"") {
                section = inner[..<q].trimmingSpaces().lowercased()
                var s = ""
                var esc = false
                for ch in inner[inner.index(after: q)...] {
                    if esc { s.append(ch); esc = false; continue }
                    if ch == "\\" { esc = true; continue }
                    if ch == "\"" { break }
                    s.append(ch)
                }
                sub = s
            } else if let dot = inner.firstIndex(of: ".") {
                section = inner[..<dot].lowercased(); sub = inner[inner.index(after: dot)...].lowercased()
            } else {
                section = inner.trimmingSpaces().lowercased(); sub = nil
            }
            line = Substring(line[line.index(after: close)...].trimmingSpaces())
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
        }
        var key = ""
        var i = line.startIndex
        while i < line.endIndex, line[i].isLetter || line[i].isNumber || line[i] == "-" { key.append(line[i]); i = line.index(after: i) }
        guard !key.isEmpty else { continue }
        var rest = Substring(line[i...].trimmingSpaces())
        guard rest.isEmpty || rest.hasPrefix("=") else {
            if rest.hasPrefix("#") || rest.hasPrefix(";") { out.append(.init(section: section, subsection: sub, key: key.lowercased(), value: "true")) }
            continue
        }
        if rest.isEmpty { out.append(.init(section: section, subsection: sub, key: key.lowercased(), value: "true")); continue }
        rest = rest.dropFirst()
        var value = "", pendingSpace = ""
        var inQuote = false, esc = false
        for ch in rest {
            if esc {
                switch ch { case "n": value += pendingSpace + "\n"; case "t": value += pendingSpace + "\t"; case "b": value += pendingSpace + "\u{8}"; default: value += pendingSpace + String(ch) }
                pendingSpace = ""; esc = false; continue
            }
            if ch == "\\" { esc = true; continue }
            if ch == "\"" { inQuote.toggle(); value += pendingSpace; pendingSpace = ""; continue }
            if !inQuote && (ch == "#" || ch == ";") { break }
            if !inQuote && (ch == " " || ch == "\t") { if !value.isEmpty { pendingSpace.append(ch) }; continue }
            value += pendingSpace; pendingSpace = ""
            value.append(ch)
        }
        out.append(.init(section: section, subsection: sub, key: key.lowercased(), value: value))
    }
    return out
}

/// Entries of a config file and the files it includes (`include.path`, every `includeIf.*.path`
/// regardless of its condition: a superset of what git reads). `complete` is false when an include
/// could not be followed (too deep, `~` without HOME).
func loadGitConfig(_ path: String, env: NetEnv, depth: Int = 0, into out: inout [GitConfigEntry], complete: inout Bool) {
    guard depth < 10 else { complete = false; return }
    guard let text = readSmallTextFile(path) else { return }
    for e in parseGitConfig(text) {
        out.append(e)
        if (e.section == "include" || e.section == "includeif") && e.key == "path" {
            var p = e.value
            if p.hasPrefix("~/") {
                guard let h = env.home else { complete = false; continue }
                p = h + p.dropFirst()
            }
            loadGitConfig(canonicalPath(p, cwd: parentPath(path)), env: env, depth: depth + 1, into: &out, complete: &complete)
        }
    }
}

struct GitConfig {
    var entries: [GitConfigEntry] = []
    var complete = true
    var gitDir: String?

    init(repo: (root: String, gitDir: String)?, env: NetEnv) {
        var files = [env.etc + "/gitconfig"]
        if let c = env.configHome { files.append(c + "/git/config") }
        if let h = env.home { files.append(h + "/.gitconfig") }
        if let repo {
            gitDir = repo.gitDir
            var common = repo.gitDir
            if let c = readSmallTextFile(repo.gitDir + "/commondir", limit: 4096) {
                common = canonicalPath(c.trimmingSpaces().split(separator: "\n").first.map(String.init) ?? ".", cwd: repo.gitDir)
            }
            files.append(common + "/config")
            files.append(repo.gitDir + "/config.worktree")
        }
        for f in files { loadGitConfig(f, env: env, into: &entries, complete: &complete) }
    }

    func values(_ section: String, _ sub: String?, _ key: String) -> [String] {
        entries.filter { $0.section == section && $0.subsection == sub && $0.key == key }.map(\.value)
    }
    var hasInsteadOf: Bool { entries.contains { $0.section == "url" && ($0.key == "insteadof" || $0.key == "pushinsteadof") } }
    var remoteNames: [String] {
        var seen: [String] = []
        for e in entries where e.section == "remote" { if let s = e.subsection, !seen.contains(s) { seen.append(s) } }
        return seen
    }
    /// The current branch from HEAD (`ref: refs/heads/x`).
    var currentBranch: String? {
        guard let g = gitDir, let head = readSmallTextFile(g + "/HEAD", limit: 4096) else { return nil }
        let t = head.trimmingSpaces().split(separator: "\n").first.map(String.init) ?? ""
        guard t.hasPrefix("ref: refs/heads/") else { return nil }
        return String(t.dropFirst("ref: refs/heads/".count))
    }
}

// MARK: - ssh_config

/// Whether ssh's configuration may send a connection to `host` somewhere other than `host`
/// (Hostname, ProxyCommand, ProxyJump, LocalCommand, CanonicalizeHostname…) or cannot be
/// evaluated (`Match`). `files`: the configs ssh reads (user first, then system).
func sshConfigRedirects(host: String, files: [(path: String, base: String)], home: String?) -> Bool {
    var visited = 0
    func scan(_ path: String, _ base: String, _ depth: Int) -> Bool {
        visited += 1
        guard depth < 8, visited < 200 else { return true }
        guard let text = readSmallTextFile(path) else { return false }
        var active = true
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" }).map(String.init)
            guard !words.isEmpty else { continue }
            let key = words.removeFirst().lowercased()
            switch key {
            case "host":
                var any = false, negated = false
                for w in words {
                    let pat = w.lowercased()
                    if pat.hasPrefix("!") { if fnmatchHost(String(pat.dropFirst()), host) { negated = true } }
                    else if fnmatchHost(pat, host) { any = true }
                }
                active = any && !negated
            case "match":
                active = true   // conditions are not evaluated: assume they apply
            case "include":
                for w in words {
                    var p = w
                    if p.hasPrefix("~/") { guard let h = home else { return true }; p = h + p.dropFirst() }
                    if !p.hasPrefix("/") { p = base + "/" + p }
                    for f in globPaths(p) where scan(f, base, depth + 1) { return true }
                }
            default:
                if active && sshRedirectingOptions.contains(key) {
                    if key == "hostname", let v = words.first, normalizeHost(v) == normalizeHost(host) { continue }
                    if key == "proxyjump" || key == "proxycommand", words.first?.lowercased() == "none" { continue }
                    if key == "canonicalizehostname", words.first?.lowercased() == "no" { continue }
                    if key == "permitlocalcommand" { continue }
                    return true
                }
            }
        }
        return false
    }
    for f in files where scan(f.path, f.base, 0) { return true }
    return false
}

func sshConfigFiles(_ env: NetEnv, explicit: String?) -> [(path: String, base: String)] {
    if let explicit { return explicit == "none" ? [] : [(explicit, parentPath(explicit))] }
    var f: [(String, String)] = []
    if let h = env.home { f.append((h + "/.ssh/config", h + "/.ssh")) }
    f.append((env.etc + "/ssh/ssh_config", env.etc + "/ssh"))
    return f
}

func fnmatchHost(_ pattern: String, _ host: String) -> Bool {
    globMatch(Array(pattern.unicodeScalars)[...], Array(host.lowercased().unicodeScalars)[...])
}

// MARK: - apt

/// Hosts named by apt's sources (one-line `.list` and deb822 `.sources`) and proxies configured in
/// apt.conf. A `mirror:`/`tor+` URI, a proxy auto-detect script, or an unparsable URI → host nil.
func aptTargets(_ env: NetEnv) -> [NetTarget] {
    var out: [NetTarget] = []
    let dir = env.etc + "/apt"
    var files = [dir + "/sources.list"]
    files += globPaths(dir + "/sources.list.d/*.list") + globPaths(dir + "/sources.list.d/*.sources")
    func uri(_ u: String, _ file: String) {
        let lower = u.lowercased()
        if lower.hasPrefix("file:") || lower.hasPrefix("cdrom:") || lower.hasPrefix("copy:") { return }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("ftp://") {
            let h = hostOfURL(u)
            out.append(NetTarget(host: h?.host, port: h?.port, raw: u, why: "apt source in \(file)"))
        } else {
            out.append(NetTarget(host: nil, port: nil, raw: u, why: "apt source in \(file) (scheme not understood)"))
        }
    }
    for f in files {
        guard let text = readSmallTextFile(f) else { continue }
        if f.hasSuffix(".sources") {
            var inURIs = false
            for raw in text.split(separator: "\n") {
                if raw.hasPrefix("#") { continue }
                if raw.hasPrefix(" ") || raw.hasPrefix("\t") {
                    if inURIs { for w in raw.split(whereSeparator: { $0 == " " || $0 == "\t" }) { uri(String(w), f) } }
                    continue
                }
                inURIs = false
                let line = raw.trimmingSpaces()
                if line.lowercased().hasPrefix("uris:") {
                    inURIs = true
                    for w in line.dropFirst(5).split(whereSeparator: { $0 == " " || $0 == "\t" }) { uri(String(w), f) }
                }
            }
        } else {
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingSpaces()
                guard line.hasPrefix("deb") else { continue }
                var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let t = words.first, t == "deb" || t == "deb-src" else { continue }
                words.removeFirst()
                if let f0 = words.first, f0.hasPrefix("[") {
                    while let w = words.first { words.removeFirst(); if w.hasSuffix("]") { break } }
                }
                if let u = words.first { uri(u, f) }
            }
        }
    }
    let confs = [dir + "/apt.conf"] + globPaths(dir + "/apt.conf.d/*")
    for f in confs {
        guard let text = readSmallTextFile(f) else { continue }
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingSpaces()
            let lower = line.lowercased()
            if line.hasPrefix("//") || line.hasPrefix("#") || !lower.contains("proxy") { continue }
            if lower.contains("auto-detect") || lower.contains("autodetect") {
                out.append(NetTarget(host: nil, port: nil, raw: line, why: "apt proxy auto-detection in \(f)"))
                continue
            }
            let parts = line.split(separator: "\"")
            guard parts.count >= 2 else { out.append(NetTarget(host: nil, port: nil, raw: line, why: "apt proxy in \(f)")); continue }
            let v = String(parts[1])
            if v.uppercased() == "DIRECT" || v == "false" || v.isEmpty { continue }
            let h = hostOfURL(v)
            out.append(NetTarget(host: h?.host, port: h?.port, raw: v, why: "apt proxy in \(f)"))
        }
    }
    return out
}

// MARK: - URL scanning (lockfiles, rc files)

/// Every `scheme://…` URL in `text`, in order, without duplicates.
func urlsIn(_ text: String) -> [String] {
    let b = Array(text.utf8)
    var out: [String] = []
    var i = 0
    let stop: Set<UInt8> = Array("\"' \t\r\n,;)(<>{}[]`".utf8).reduce(into: []) { $0.insert($1) }
    while i + 2 < b.count {
        if b[i] == UInt8(ascii: ":") && b[i + 1] == UInt8(ascii: "/") && b[i + 2] == UInt8(ascii: "/") {
            var s = i
            while s > 0, let c = Optional(b[s - 1]), (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 43 || c == 45 || c == 46 { s -= 1 }
            var e = i + 3
            while e < b.count && !stop.contains(b[e]) { e += 1 }
            if s < i {
                let u = String(decoding: b[s..<e], as: UTF8.self)
                if !out.contains(u) { out.append(u) }
            }
            i = e
        } else { i += 1 }
    }
    return out
}

/// `key=value` lines of an ini-like rc file (npmrc, pip.conf, go env), with pip-style indented
/// continuation lines appended to the previous value (space-separated).
func rcValues(_ text: String) -> [(key: String, value: String)] {
    var out: [(String, String)] = []
    for raw in text.split(separator: "\n") {
        if (raw.hasPrefix(" ") || raw.hasPrefix("\t")), !out.isEmpty {
            let t = raw.trimmingSpaces()
            if !t.isEmpty && !t.hasPrefix("#") && !t.hasPrefix(";") && !t.contains("=") { out[out.count - 1].1 += " " + t; continue }
        }
        let line = raw.trimmingSpaces()
        if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") || line.hasPrefix("[") { continue }
        guard let eq = line.firstIndex(of: "=") else { continue }
        out.append((line[..<eq].trimmingSpaces().lowercased(), line[line.index(after: eq)...].trimmingSpaces()))
    }
    return out
}

/// Directories from `dir` up to `/`.
func ancestors(_ dir: String) -> [String] {
    var out: [String] = []
    var d = dir
    while true {
        out.append(d)
        if d == "/" { return out }
        d = parentPath(d)
    }
}

/// The nearest ancestor of `dir` holding `marker` (package.json, Cargo.toml, go.mod).
func projectRoot(_ dir: String, marker: String) -> String? {
    ancestors(dir).first { pathExists(joinPathLexically($0, marker)) }
}

// MARK: - Minimal MiniJSON (package.json, package-lock.json)

indirect enum MiniJSON {
    case object([(String, MiniJSON)]), array([MiniJSON]), string(String), other

    subscript(_ key: String) -> MiniJSON? {
        if case .object(let kv) = self { return kv.last { $0.0 == key }?.1 }
        return nil
    }
    var string: String? { if case .string(let s) = self { return s }; return nil }

    /// Every string value stored under `key` anywhere in the document.
    func values(forKey key: String) -> [String] {
        switch self {
        case .object(let kv):
            return kv.flatMap { k, v in (k == key ? v.string.map { [$0] } ?? [] : []) + v.values(forKey: key) }
        case .array(let a): return a.flatMap { $0.values(forKey: key) }
        default: return []
        }
    }
}

func parseMiniJSON(_ text: String) -> MiniJSON? {
    let b = Array(text.utf8)
    var i = 0
    func ws() { while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 } }
    func str() -> String? {
        guard i < b.count, b[i] == 34 else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < b.count {
            let c = b[i]; i += 1
            if c == 34 { return String(decoding: out, as: UTF8.self) }
            if c == 92 {
                guard i < b.count else { return nil }
                let e = b[i]; i += 1
                switch e {
                case 110: out.append(10)
                case 116: out.append(9)
                case 114: out.append(13)
                case 98: out.append(8)
                case 102: out.append(12)
                case 117:
                    guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
                    i += 4
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(v) ?? "?")).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
        }
        return nil
    }
    func value(_ depth: Int) -> MiniJSON? {
        guard depth < 200 else { return nil }
        ws()
        guard i < b.count else { return nil }
        switch b[i] {
        case 123:
            i += 1
            var kv: [(String, MiniJSON)] = []
            ws()
            if i < b.count, b[i] == 125 { i += 1; return .object(kv) }
            while true {
                ws()
                guard let k = str() else { return nil }
                ws()
                guard i < b.count, b[i] == 58 else { return nil }
                i += 1
                guard let v = value(depth + 1) else { return nil }
                kv.append((k, v))
                ws()
                guard i < b.count else { return nil }
                if b[i] == 44 { i += 1; continue }
                if b[i] == 125 { i += 1; return .object(kv) }
                return nil
            }
        case 91:
            i += 1
            var a: [MiniJSON] = []
            ws()
            if i < b.count, b[i] == 93 { i += 1; return .array(a) }
            while true {
                guard let v = value(depth + 1) else { return nil }
                a.append(v)
                ws()
                guard i < b.count else { return nil }
                if b[i] == 44 { i += 1; continue }
                if b[i] == 93 { i += 1; return .array(a) }
                return nil
            }
        case 34:
            return str().map { .string($0) }
        default:
            let start = i
            while i < b.count, !(b[i] == 44 || b[i] == 125 || b[i] == 93 || b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9) { i += 1 }
            return i > start ? .other : nil
        }
    }
    guard let v = value(0) else { return nil }
    ws()
    return i == b.count ? v : nil
}
