// A parsed TOML document as plain values, with no Foundation: what the policy loader reads.
//
// The shell binary must stay small (its start-up time is a product feature, docs/BENCHMARKS.md),
// and the maintained TOML parser (TOMLKit, toml++ underneath) brings Foundation and ICU with it.
// So the parser runs in its own program (aegish-toml, Sources/TOMLRead) and hands this tree back
// in the binary form of Codec.swift; the management tool and the tests link the parser and build
// the same tree in-process. The API mirrors the few TOMLKit members the loader uses.

/// The kind of a TOML value.
public enum TOMLType: UInt8, Sendable {
    case string, int, double, bool, array, table, date, time, dateTime
}

/// One TOML value. Dates and times carry no value: the policy has no key that takes one, so
/// only their kind is kept (for the "must be a string, not a date" message).
public enum TOMLValue: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array(TOMLArray)
    case table(TOMLTable)
    case date, time, dateTime

    public var type: TOMLType {
        switch self {
        case .string: return .string
        case .int: return .int
        case .double: return .double
        case .bool: return .bool
        case .array: return .array
        case .table: return .table
        case .date: return .date
        case .time: return .time
        case .dateTime: return .dateTime
        }
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? { if case .int(let i) = self { return i }; return nil }
    public var double: Double? { if case .double(let d) = self { return d }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: TOMLArray? { if case .array(let a) = self { return a }; return nil }
    public var table: TOMLTable? { if case .table(let t) = self { return t }; return nil }
}

/// TOMLKit's name for a value, kept so the loader reads the same.
public typealias TOMLValueConvertible = TOMLValue

/// A table: keys in the parser's order. Lookups are linear: policy tables have a handful of keys
/// (the large ones are arrays of tables), and an array of pairs is the cheapest thing to build.
public struct TOMLTable: Sendable {
    public private(set) var entries: [(key: String, value: TOMLValue)]

    public init(_ entries: [(key: String, value: TOMLValue)] = []) { self.entries = entries }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }

    public subscript(key: String) -> TOMLValue? {
        for e in entries where e.key == key { return e.value }
        return nil
    }

    /// Appends (the parser never gives a key twice; the decoder refuses duplicates).
    public mutating func append(_ key: String, _ value: TOMLValue) { entries.append((key, value)) }
}

/// An array of values.
public struct TOMLArray: RandomAccessCollection, Sendable {
    public var elements: [TOMLValue]
    public init(_ elements: [TOMLValue] = []) { self.elements = elements }
    public var startIndex: Int { 0 }
    public var endIndex: Int { elements.count }
    public subscript(i: Int) -> TOMLValue { elements[i] }
}

/// Text that is not valid TOML, with the parser's 1-based position (0 when it gave none).
public struct TOMLSyntaxError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var description: String
    public init(line: Int, column: Int, description: String) {
        self.line = line; self.column = column; self.description = description
    }
}
