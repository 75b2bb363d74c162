// Pathname expansion (globbing) as bash does it by default (no dotglob/nullglob/failglob,
// globskipdots on), with results sorted in byte order (bash under LC_ALL=C).

import Glibc

/// Expands a field as a pathname pattern. Returns the sorted matches, or `[]` when the field is
/// not a pattern (no unquoted, unescaped `*`, `?`, `[`) or nothing matches; the caller then keeps
/// the word. Relative patterns are resolved against `cwd` and returned relative, as written.
///
/// - The pattern is split at `/`; each component with glob characters is matched against the
///   entries of the directories found so far; other components are taken literally (backslash
///   escapes removed) and checked for existence at the end.
/// - A leading `.` in a name must be matched by a literal `.`; `.` and `..` are never matched by
///   a pattern. A trailing `/` keeps only directories (symlinks followed).
/// - Unreadable directories contribute nothing.
public func globExpand(_ field: Field, cwd: String) -> [String] {
    guard field.hasGlobMeta else { return [] }
    let comps = splitComponents(field.chunks)
    var cands: [String] = [""]
    var needCheck = false
    let absolute = comps.first.map { $0.chunks.allSatisfy { $0.text.isEmpty } } ?? false
    for (idx, comp) in comps.enumerated() {
        let last = idx == comps.count - 1
        if comp.isEmptyText {
            if idx == 0 {
                cands = [comp.sep]           // absolute path: "/" (or "//")
            } else if last {
                // trailing slash: candidates already end in "/"; keep directories only
                cands = cands.filter { isDirectory(fsPath($0, cwd)) }
            }
            continue
        }
        let pat = ShellPattern(comp.chunks)
        var next: [String] = []
        if pat.hasMeta {
            needCheck = false
            let dotOK = pat.tokens.first == .lit(0x2E)
            for p in cands {
                for name in readDirectory(fsPath(p.isEmpty ? "." : p, cwd, absolute: absolute || p.hasPrefix("/"))) {
                    if name == "." || name == ".." { continue }
                    if name.utf8.first == UInt8(ascii: ".") && !dotOK { continue }
                    if pat.matches(name) { next.append(p + name + comp.sep) }
                }
            }
        } else {
            let name = literalText(comp.chunks)
            for p in cands { next.append(p + name + comp.sep) }
            needCheck = true
        }
        cands = next
        if cands.isEmpty { return [] }
    }
    // Literal components after the last pattern component have not been checked yet (`*/x`).
    if needCheck { cands = cands.filter { exists(fsPath($0, cwd)) } }
    return cands.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

struct GlobComponent {
    var chunks: [PatternChunk]
    var sep: String          // the slashes that followed this component ("" for the last)
    var isEmptyText: Bool { chunks.allSatisfy { $0.text.isEmpty } }
}

/// Splits pattern chunks at `/` (quoted or not; `\/` too), keeping runs of slashes as separators.
func splitComponents(_ chunks: [PatternChunk]) -> [GlobComponent] {
    var comps: [GlobComponent] = []
    var cur: [PatternChunk] = []
    var esc = false
    var i = 0
    var units: [(Unicode.Scalar, Bool)] = []
    for ch in chunks { for c in ch.text.unicodeScalars { units.append((c, ch.quoted)) } }
    while i < units.count {
        let (c, q) = units[i]
        if c == "/" {
            if esc { // drop the escaping backslash
                cur[cur.count - 1].text.unicodeScalars.removeLast()
                if cur[cur.count - 1].text.isEmpty { cur.removeLast() }
            }
            esc = false
            var sep = ""
            while i < units.count && units[i].0 == "/" { sep += "/"; i += 1 }
            comps.append(GlobComponent(chunks: cur, sep: sep))
            cur = []
            continue
        }
        esc = !q && c == "\\" && !esc
        if let l = cur.last, l.quoted == q { cur[cur.count - 1].text.unicodeScalars.append(c) }
        else { cur.append(PatternChunk(String(c), quoted: q)) }
        i += 1
    }
    comps.append(GlobComponent(chunks: cur, sep: ""))
    return comps
}

/// The text of a component without glob characters: quoted text as is, unquoted backslash
/// escapes removed.
func literalText(_ chunks: [PatternChunk]) -> String {
    var out = String.UnicodeScalarView()
    for ch in chunks {
        if ch.quoted { out.append(contentsOf: ch.text.unicodeScalars); continue }
        var esc = false
        for c in ch.text.unicodeScalars {
            if esc { out.append(c); esc = false; continue }
            if c == "\\" { esc = true; continue }
            out.append(c)
        }
        if esc { out.append("\\") }
    }
    return String(out)
}

private func fsPath(_ p: String, _ cwd: String, absolute: Bool? = nil) -> String {
    if absolute ?? p.hasPrefix("/") { return p }
    if p.isEmpty || p == "." { return cwd }
    return cwd.hasSuffix("/") ? cwd + p : cwd + "/" + p
}

private func exists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

private func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// Entry names of a directory (empty if it cannot be read).
func readDirectory(_ path: String) -> [String] {
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let ent = readdir(d) {
        let name = withUnsafePointer(to: &ent.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        names.append(name)
    }
    return names
}
