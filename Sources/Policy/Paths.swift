// Canonical paths and policy path patterns. Every policy comparison of a path happens on the
// canonical form, so `..`, `//`, `.` and symlinks cannot make one file look like another.
// The only I/O here is lstat/readlink (and stat/open for the small file helpers at the end).

import Glibc

/// Absolute, canonical form used for every policy comparison: made absolute against `cwd`,
/// `.`/`..` and `//` removed, and symlinks resolved for the longest prefix that exists, the
/// non-existent rest appended lexically after resolving. Components are walked the way the
/// kernel walks them: `link/../x` resolves `link` first, then `..` goes to the parent of its
/// target. A symlink as the last component is followed too (so `rm link` is judged as the
/// target: conservative). More than 40 symlinks (a loop, ELOOP) or an unreadable link: the
/// rest is taken as written. `/proc/self` and `/proc/thread-self` are not resolved (they would
/// name aegish, not the program it runs); everything below them is lexical.
public func canonicalPath(_ path: String, cwd: String) -> String {
    canonicalPath(path, cwd: cwd, deps: nil)
}

/// `canonicalPath`, recording in `deps` the directory of every entry it looks up (for the
/// compiled-policy cache: a change in any of them invalidates what was resolved).
func canonicalPath(_ path: String, cwd: String, deps: DepRecorder?) -> String {
    // Worked on bytes (the kernel's view of a path: every 0x2F byte separates), with one buffer
    // for the path resolved so far and one for what is still to walk: no per-component strings.
    var rest: [UInt8] = []
    rest.reserveCapacity(cwd.utf8.count + path.utf8.count + 2)
    if !path.hasPrefix("/") {
        if !cwd.hasPrefix("/") { rest.append(0x2F) }
        rest.append(contentsOf: cwd.utf8)
        rest.append(0x2F)
    }
    rest.append(contentsOf: path.utf8)
    var i = 0
    // The resolved path: "/a/b" (empty for "/"), with the start of each component in `marks`.
    var out: [UInt8] = []
    out.reserveCapacity(rest.count + 1)
    var marks: [Int] = []
    var hops = 0
    var lexical = false
    while true {
        while i < rest.count && rest[i] == 0x2F { i += 1 }
        if i == rest.count { break }
        let start = i
        while i < rest.count && rest[i] != 0x2F { i += 1 }
        let n = i - start
        if n == 1 && rest[start] == 0x2E { continue }                              // .
        if n == 2 && rest[start] == 0x2E && rest[start + 1] == 0x2E {              // ..
            if let m = marks.popLast() { out.removeSubrange(m...) }
            continue
        }
        marks.append(out.count)
        out.append(0x2F)
        out.append(contentsOf: rest[start..<i])
        if lexical { continue }
        if marks.count == 2 && out.count >= 5 && out[1] == 0x70 && out[2] == 0x72 && out[3] == 0x6F && out[4] == 0x63
            && marks[1] == 5 && (bytesEqual(rest[start..<i], "self") || bytesEqual(rest[start..<i], "thread-self")) {
            lexical = true     // /proc/self, /proc/thread-self: aegish's, not the program's
            continue
        }
        if let deps { deps.entry(String(decoding: out, as: UTF8.self)) }
        out.append(0)
        var st = stat()
        let failed = out.withUnsafeBufferPointer { lstat(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &st) } != 0
        if failed {
            out.removeLast()
            // ENOENT, ENOTDIR, EACCES, ENAMETOOLONG…: the rest cannot be resolved.
            lexical = true
            continue
        }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            hops += 1
            var target = [UInt8](repeating: 0, count: 4097)
            let len = hops <= 40 ? out.withUnsafeBufferPointer { p in
                target.withUnsafeMutableBufferPointer { t in
                    readlink(UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self),
                             UnsafeMutableRawPointer(t.baseAddress!).assumingMemoryBound(to: CChar.self), 4096)
                }
            } : -1
            out.removeLast()
            guard len > 0 else {
                lexical = true
                continue
            }
            out.removeSubrange(marks.removeLast()...)
            if target[0] == 0x2F { out.removeAll(keepingCapacity: true); marks.removeAll(keepingCapacity: true) }
            var next = Array(target[0..<len])
            next.append(0x2F)
            next.append(contentsOf: rest[i...])
            rest = next
            i = 0
        } else {
            out.removeLast()
        }
    }
    return out.isEmpty ? "/" : String(decoding: out, as: UTF8.self)
}

@inline(__always) private func bytesEqual(_ a: ArraySlice<UInt8>, _ b: StaticString) -> Bool {
    a.count == b.utf8CodeUnitCount && a.elementsEqual(UnsafeBufferPointer(start: b.utf8Start, count: b.utf8CodeUnitCount))
}

func readLink(_ p: String) -> String? {
    var buf = [CChar](repeating: 0, count: 4097)
    let n = readlink(p, &buf, 4096)
    guard n > 0 else { return nil }
    return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A policy path pattern, expanded: `~` / `~/x` (home), `$WORKSPACE`/`${WORKSPACE}`(`/x`),
/// or absolute; may contain globs: `*`/`?`/`[..]` within one component, `**` across components
/// (zero or more). Matching is component-wise and sibling-safe, and a pattern covers what is
/// below what it matches: `/work` covers `/work` and `/work/a/b` but not `/work-evil`;
/// `/tmp/*.log` covers `/tmp/a.log` (and `/tmp/a.log/x`). `*` matches names starting with `.`.
/// The literal prefix (components before the first glob) is canonicalised with `canonicalPath`,
/// so `/bin/x` in a pattern equals `/usr/bin/x` when /bin is a symlink to usr/bin. Components
/// after the first glob are not resolved (a symlink matched by a glob is not followed).
public struct PathPattern: Equatable, Sendable {
    /// As written, for messages.
    public var text: String
    /// Components after expansion; literal ones unescaped.
    var parts: [Part]

    enum Part: Equatable, Sendable {
        case literal(String)
        case glob([Unicode.Scalar])
        case any    // `**`
    }

    /// nil if it cannot be expanded: `~` without a home, `$WORKSPACE` without a workspace, any
    /// other `$`, `~user`, a relative pattern, `..` after a glob, an empty pattern.
    public init?(_ pattern: String, home: String?, workspace: String?) {
        self.init(pattern, home: home, workspace: workspace, memo: nil)
    }

    /// `memo`: shared by the patterns of one policy, so their common directories are resolved once.
    init?(_ pattern: String, home: String?, workspace: String?, memo: CanonicalMemo?) {
        guard let e = PathPattern.expand(pattern, home: home, workspace: workspace) else { return nil }
        text = pattern
        let literal = "/" + e.literal.joined(separator: "/")
        let prefix = memo?.canonical(literal) ?? canonicalPath(literal, cwd: "/")
        parts = prefix.split(separator: "/").map { .literal(String($0)) } + e.rest
    }

    /// The textual half of `init?`, without I/O: the literal components before the first glob
    /// (unescaped, not yet canonicalised) and the parts from it on; nil when `init?` fails.
    static func expand(_ pattern: String, home: String?, workspace: String?) -> (literal: [String], rest: [Part])? {
        var p = pattern
        if p == "~" || p.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else { return nil }
            p = home + p.dropFirst()
        } else if p.hasPrefix("~") {
            return nil
        } else {
            for v in ["${WORKSPACE}", "$WORKSPACE"] where p == v || p.hasPrefix(v + "/") {
                guard let workspace, workspace.hasPrefix("/") else { return nil }
                p = workspace + p.dropFirst(v.count)
                break
            }
        }
        guard p.hasPrefix("/"), !hasByte(p, "$") else { return nil }
        let comps = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var literal: [String] = []
        var rest: [Part] = []
        var inGlob = false
        for c in comps {
            if !inGlob && !hasGlob(c) {
                literal.append(unescape(c))
                continue
            }
            inGlob = true
            if c == "." { continue }
            if c == ".." { return nil }
            if c == "**" {
                if rest.last != .any { rest.append(.any) }
            } else if hasGlob(c) {
                rest.append(.glob(Array(c.unicodeScalars)))
            } else {
                rest.append(.literal(unescape(c)))
            }
        }
        return (literal, rest)
    }

    /// Whether `canonical` (a result of `canonicalPath`) is this pattern or below it.
    public func covers(_ canonical: String) -> Bool {
        let comps = canonical.split(separator: "/", omittingEmptySubsequences: true)
        return PathPattern.match(parts[...], comps[...])
    }

    private static func match(_ p: ArraySlice<Part>, _ c: ArraySlice<Substring>) -> Bool {
        guard let first = p.first else { return true }   // pattern done: the rest is below it
        switch first {
        case .any:
            var rest = c
            while true {
                if match(p.dropFirst(), rest) { return true }
                if rest.isEmpty { return false }
                rest = rest.dropFirst()
            }
        case .literal(let s):
            guard let h = c.first, h == s else { return false }
            return match(p.dropFirst(), c.dropFirst())
        case .glob(let g):
            guard let h = c.first, globMatch(g[...], Array(h.unicodeScalars)[...]) else { return false }
            return match(p.dropFirst(), c.dropFirst())
        }
    }
}

func hasGlob(_ s: String) -> Bool {
    var esc = false
    for ch in s.unicodeScalars {
        if esc { esc = false; continue }
        if ch == "\\" { esc = true; continue }
        if ch == "*" || ch == "?" || ch == "[" { return true }
    }
    return false
}

func unescape(_ s: String) -> String {
    guard hasByte(s, "\\") else { return s }
    var out = ""
    var esc = false
    for ch in s {
        if !esc && ch == "\\" { esc = true; continue }
        esc = false
        out.append(ch)
    }
    return out
}

/// Shell-style match of one name: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`/`[^x]`, `\x`.
func globMatch(_ p: ArraySlice<Unicode.Scalar>, _ s: ArraySlice<Unicode.Scalar>) -> Bool {
    var p = p, s = s
    while let pc = p.first {
        switch pc {
        case "*":
            let rest = p.drop { $0 == "*" }
            if rest.isEmpty { return true }
            var t = s
            while true {
                if globMatch(rest, t) { return true }
                if t.isEmpty { return false }
                t = t.dropFirst()
            }
        case "?":
            guard !s.isEmpty else { return false }
            p = p.dropFirst(); s = s.dropFirst()
        case "[":
            guard let sc = s.first else { return false }
            if let (ok, after) = bracket(p.dropFirst(), sc) {
                guard ok else { return false }
                p = after; s = s.dropFirst()
            } else {
                // No closing `]`: a literal `[`.
                guard sc == "[" else { return false }
                p = p.dropFirst(); s = s.dropFirst()
            }
        case "\\" where p.count > 1:
            let lit = p[p.index(after: p.startIndex)]
            guard s.first == lit else { return false }
            p = p.dropFirst(2); s = s.dropFirst()
        default:
            guard s.first == pc else { return false }
            p = p.dropFirst(); s = s.dropFirst()
        }
    }
    return s.isEmpty
}

/// Matches `c` against a bracket expression starting after `[`; nil if there is no closing `]`.
private func bracket(_ p: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar) -> (Bool, ArraySlice<Unicode.Scalar>)? {
    var i = p.startIndex
    var negate = false
    if i < p.endIndex && (p[i] == "!" || p[i] == "^") { negate = true; i += 1 }
    var matched = false
    var first = true
    while i < p.endIndex {
        var lo = p[i]
        if lo == "]" && !first { return (matched != negate, p[(i + 1)...]) }
        first = false
        if lo == "\\" && i + 1 < p.endIndex { i += 1; lo = p[i] }
        if i + 2 < p.endIndex && p[i + 1] == "-" && p[i + 2] != "]" {
            var hi = p[i + 2]
            var j = i + 2
            if hi == "\\" && j + 1 < p.endIndex { j += 1; hi = p[j] }
            if lo.value <= c.value && c.value <= hi.value { matched = true }
            i = j + 1
        } else {
            if lo == c { matched = true }
            i += 1
        }
    }
    return nil
}

// MARK: - Small file helpers (no Foundation)

/// Whether `path` (absolute) exists, following symlinks.
func pathExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
}

func pathIsDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// The contents of a regular file as text (invalid UTF-8 repaired), nil if it cannot be read
/// or is larger than `limit` bytes.
func readSmallTextFile(_ path: String, limit: Int = 8 << 20) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { break }
        bytes.append(contentsOf: buf[0..<n])
        if bytes.count > limit { return nil }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// `rel` made absolute against `dir`, lexically (no symlinks resolved).
func joinPathLexically(_ dir: String, _ rel: String) -> String {
    if rel.hasPrefix("/") { return rel }
    return dir.hasSuffix("/") ? dir + rel : dir + "/" + rel
}

/// `canonicalPath(_, cwd: "/")` for many absolute paths that share directories (a policy's
/// path patterns: twenty under ~, a few under /etc): each directory is resolved once, and a path
/// below one costs one lstat of its last component (a symlink there gets the full walk). Same
/// results as canonicalPath: only names other than "." and ".." take the short way, and any
/// lstat error but ENOENT falls back to the full walk.
final class CanonicalMemo {
    private var resolved: [String: String] = ["/": "/"]
    /// Records the directories every lookup consulted (for the compiled-policy cache).
    let deps: DepRecorder?

    init(deps: DepRecorder? = nil) { self.deps = deps }

    func canonical(_ path: String) -> String {
        if let c = resolved[path] { return c }
        let c = resolve(path)
        resolved[path] = c
        return c
    }

    private func resolve(_ path: String) -> String {
        let name = lastComponent(path)
        guard path.hasPrefix("/"), !path.hasSuffix("/"), !name.isEmpty, name != ".", name != "..", name != "/" else {
            return canonicalPath(path, cwd: "/")
        }
        let dir = canonical(parentPath(path))
        let p = dir == "/" ? "/" + name : dir + "/" + name
        deps?.entry(p)
        var st = stat()
        if lstat(p, &st) == 0 { return (st.st_mode & S_IFMT) == S_IFLNK ? canonicalPath(p, cwd: "/", deps: deps) : p }
        return errno == ENOENT ? p : canonicalPath(p, cwd: "/", deps: deps)
    }
}

func parentPath(_ path: String) -> String {
    guard let i = path.lastIndex(of: "/") else { return "." }
    return i == path.startIndex ? "/" : String(path[..<i])
}

func lastComponent(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let i = p.lastIndex(of: "/") else { return String(p) }
    let b = p[p.index(after: i)...]
    return b.isEmpty ? "/" : String(b)
}

/// Paths matching a shell glob (for `Include` lines in config files); absolute patterns only.
func globPaths(_ pattern: String) -> [String] {
    var g = glob_t()
    defer { globfree(&g) }
    guard glob(pattern, 0, nil, &g) == 0 else { return [] }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
        if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
    }
    return out
}

/// The process's own environment (not the shell's variables): used only for HOME-like lookups
/// of configuration files that programs read themselves.
func ownEnvironment(_ name: String) -> String? {
    guard let v = getenv(name) else { return nil }
    let s = String(cString: v)
    return s.isEmpty ? nil : s
}
