// IFS field splitting (POSIX 2.6.5 as bash does it).

/// Where a piece of an expanded word came from; decides splitting and globbing.
public enum SegmentKind: Equatable, Sendable {
    /// Unquoted text written in the script (`a` and `b` in `a${x}b`): not split, but its glob
    /// characters are active.
    case literal
    /// Quoted text (`'…'`, `"…"`, `\x`, or any non-splittable source): neither split nor globbed.
    /// An empty quoted segment still makes the word produce a (possibly empty) field.
    case quoted
    /// The result of an unquoted expansion (`$x`, `$(cmd)`, `$((…))`): split on IFS and globbed.
    case expansion
}

public struct Segment: Equatable, Sendable {
    public var text: String
    public var kind: SegmentKind
    public init(_ text: String, _ kind: SegmentKind) { self.text = text; self.kind = kind }
    public init(text: String, kind: SegmentKind) { self.text = text; self.kind = kind }
}

/// One resulting field. Chunks keep quoting for pathname expansion: `quoted` chunks are literal.
public struct Field: Equatable, Sendable {
    public var chunks: [PatternChunk]
    public init(_ chunks: [PatternChunk]) { self.chunks = chunks }
    /// The field's text (what the word becomes if it is not globbed or matches nothing).
    public var text: String { chunks.reduce(into: "") { $0 += $1.text } }
    /// True if an unquoted chunk has an unescaped `*`, `?` or `[` (the field is a glob pattern).
    public var hasGlobMeta: Bool { ShellPattern(chunks).hasMeta }
}

/// Splits a word's expanded segments into fields. `ifs` nil means unset (`" \t\n"`); `""` means
/// no splitting. IFS whitespace (space, tab, newline in IFS) runs delimit and are trimmed at both
/// ends; each other IFS character delimits exactly one field (`a::b` → a, "", b; a trailing one
/// adds no empty field). A word whose segments are all empty and none quoted yields no field.
public func splitFields(_ segs: [Segment], ifs: String?) -> [Field] {
    let ifsSet = Array((ifs ?? " \t\n").unicodeScalars)
    var fields: [Field] = []
    var cur: [PatternChunk] = []
    var curExists = false
    enum State { case start, inField, afterWhite, afterDelim }
    var state = State.start

    func add(_ s: String.UnicodeScalarView, quoted: Bool) {
        if s.isEmpty { return }
        if let last = cur.last, last.quoted == quoted {
            cur[cur.count - 1].text.unicodeScalars.append(contentsOf: s)
        } else {
            cur.append(PatternChunk(String(s), quoted: quoted))
        }
    }
    func finish() {
        fields.append(Field(cur)); cur = []; curExists = false
    }

    for seg in segs {
        switch seg.kind {
        case .quoted, .literal:
            if seg.kind == .quoted || !seg.text.isEmpty { curExists = true }
            if !seg.text.isEmpty { state = .inField }
            add(seg.text.unicodeScalars, quoted: seg.kind == .quoted)
        case .expansion:
            if ifsSet.isEmpty {
                if !seg.text.isEmpty { curExists = true; state = .inField; add(seg.text.unicodeScalars, quoted: false) }
                continue
            }
            var run = String.UnicodeScalarView()
            for c in seg.text.unicodeScalars {
                if !ifsSet.contains(c) {
                    run.append(c); curExists = true; state = .inField
                    continue
                }
                if !run.isEmpty { add(run, quoted: false); run = String.UnicodeScalarView() }
                if c == " " || c == "\t" || c == "\n" {
                    if curExists { finish(); state = .afterWhite }
                } else {
                    if curExists { finish() }
                    else if state != .afterWhite { fields.append(Field([])) }
                    state = .afterDelim
                }
            }
            if !run.isEmpty { add(run, quoted: false) }
        }
    }
    if curExists { finish() }
    return fields
}
