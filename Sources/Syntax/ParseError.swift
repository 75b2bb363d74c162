// Parse errors and the public entry point.

/// A parse failure. `.incomplete` means the input ended inside an unfinished construct (the line
/// reader should read more); `.syntax` means the input is wrong; `.unsupported` means the input is
/// valid bash but uses a construct aegish refuses to run.
public struct ParseError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable { case syntax, unsupported, incomplete }
    public var kind: Kind
    public var message: String
    public var pos: Pos
    /// For `.incomplete` at a here-document whose delimiter line never came: the delimiter.
    public var unterminatedHereDoc: String? = nil
    public init(kind: Kind, message: String, pos: Pos, unterminatedHereDoc: String? = nil) {
        self.kind = kind; self.message = message; self.pos = pos
        self.unterminatedHereDoc = unterminatedHereDoc
    }
    public var description: String { "line \(pos.line):\(pos.column): \(message)" }
}

/// Parses a whole script. Throws `ParseError`.
public func parseScript(_ source: String) throws -> Script {
    let bytes = Array(source.utf8)
    let map = LineMap(bytes)
    let p = Parser(bytes: bytes, origin: nil, map: map)
    return try p.parseProgram()
}

/// Parses input that is complete (a `-c` string, a file, what is left at the end of a stream).
/// As in bash, a here-document still open at the end of the input ends there; each such case is
/// returned as a warning. Everything else is as `parseScript`.
public func parseCompleteInput(_ source: String) throws -> (script: Script, warnings: [String]) {
    var text = source
    var warnings: [String] = []
    while true {
        do {
            return (try parseScript(text), warnings)
        } catch let e as ParseError where e.kind == .incomplete && e.unterminatedHereDoc != nil
                                            && warnings.count < 100 {
            let delim = e.unterminatedHereDoc!
            warnings.append("line \(e.pos.line): here-document delimited by end-of-file (wanted `\(delim)')")
            if !text.hasSuffix("\n") { text += "\n" }
            text += delim + "\n"
        }
    }
}

/// Maps byte offsets of the root source to 1-based line:column (columns count characters).
/// O(log lines) per lookup: a binary search for the line, and character counts kept at every
/// 64-byte boundary so long lines cost no more than short ones.
final class LineMap {
    let bytes: [UInt8]
    let lineStarts: [Int]
    /// checkpoints[k] = number of characters (non-continuation bytes) in bytes[0 ..< 64*k].
    let checkpoints: [Int]
    let asciiOnly: Bool
    private var lastLine = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ls = [0]
        var ck = [0]
        ck.reserveCapacity(bytes.count / 64 + 1)
        var chars = 0
        for (k, b) in bytes.enumerated() {
            if b == 0x0A { ls.append(k + 1) }
            if b & 0xC0 != 0x80 { chars += 1 }
            if (k + 1) & 63 == 0 { ck.append(chars) }
        }
        lineStarts = ls
        checkpoints = ck
        asciiOnly = chars == bytes.count
    }

    private func chars(before x: Int) -> Int {
        var c = checkpoints[x >> 6]
        var k = x & ~63
        while k < x {
            if bytes[k] & 0xC0 != 0x80 { c += 1 }
            k += 1
        }
        return c
    }

    func pos(_ offset: Int) -> Pos {
        let off = max(0, min(offset, bytes.count))
        var line = lastLine
        let n = lineStarts.count
        if !(lineStarts[line] <= off && (line + 1 == n || off < lineStarts[line + 1])) {
            var lo = 0, hi = n - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
            }
            line = lo
            lastLine = lo
        }
        let start = lineStarts[line]
        if asciiOnly { return Pos(line: line + 1, column: off - start + 1) }
        return Pos(line: line + 1, column: chars(before: off) - chars(before: start) + 1)
    }
}
