// Parse errors and the public entry point.

/// A parse failure. `.incomplete` means the input ended inside an unfinished construct (the line
/// reader should read more); `.syntax` means the input is wrong; `.unsupported` means the input is
/// valid bash but uses a construct aegish refuses to run.
public struct ParseError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable { case syntax, unsupported, incomplete }
    public var kind: Kind
    public var message: String
    public var pos: Pos
    public init(kind: Kind, message: String, pos: Pos) {
        self.kind = kind; self.message = message; self.pos = pos
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

/// Maps byte offsets of the root source to 1-based line:column (columns count characters).
final class LineMap {
    let bytes: [UInt8]
    private(set) var lineStarts: [Int] = [0]
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        for (k, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(k + 1) }
    }
    func pos(_ offset: Int) -> Pos {
        let off = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
        }
        var col = 1
        var k = lineStarts[lo]
        while k < off {
            if bytes[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        // `col` counted the first character too; columns are 1-based at line start.
        return Pos(line: lo + 1, column: col)
    }
}
