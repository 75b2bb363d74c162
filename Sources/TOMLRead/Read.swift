// TOML text → TOMLTree, with TOMLKit (toml++). Linked by aegish-toml (the shell's parser
// process), the management tool and the tests; never by the shell itself, because TOMLKit
// brings Foundation and ICU, which would cost every shell start ~0.3 ms (docs/BENCHMARKS.md).

import TOMLKit
import TOMLTree

/// Parses `text`. A document toml++ rejects is a `TOMLSyntaxError` with its position.
public func readTOML(_ text: String) -> Result<TOMLTree.TOMLTable, TOMLSyntaxError> {
    do {
        return .success(convert(try TOMLKit.TOMLTable(string: text)))
    } catch let e as TOMLParseError {
        return .failure(TOMLSyntaxError(line: e.source.begin.line, column: e.source.begin.column,
                                        description: e.description))
    } catch {
        return .failure(TOMLSyntaxError(line: 0, column: 0, description: "\(error)"))
    }
}

/// The in-process parser in the form the policy loader takes (`TOMLParser.inProcess`).
public func readTOMLThrowing(_ text: String) throws -> TOMLTree.TOMLTable {
    try readTOML(text).get()
}

private func convert(_ t: TOMLKit.TOMLTable) -> TOMLTree.TOMLTable {
    var out = TOMLTree.TOMLTable()
    for k in t.keys {
        if let v = t[k] { out.append(k, convert(v)) }
    }
    return out
}

private func convert(_ v: TOMLKit.TOMLValueConvertible) -> TOMLTree.TOMLValue {
    switch v.type {
    case .string: return .string(v.string ?? "")
    case .int: return .int(v.int ?? 0)
    case .double: return .double(v.double ?? 0)
    case .bool: return .bool(v.bool ?? false)
    case .array: return .array(TOMLTree.TOMLArray((v.array.map { Array($0) } ?? []).map { convert($0) }))
    case .table: return .table(v.table.map { convert($0) } ?? TOMLTree.TOMLTable())
    case .date: return .date
    case .time: return .time
    case .dateTime: return .dateTime
    }
}
