// Shell variables: one global table plus dynamic scoping for `local` (the dash model: a function
// call pushes a frame that remembers the values `local` shadowed, restored on return).

public struct Variable: Equatable {
    /// nil: declared (`export x`, `local x`) but unset.
    public var value: String?
    public var exported: Bool = false
    public var readonly: Bool = false
}

struct VariableStore {
    private(set) var table: [String: Variable] = [:]
    /// One frame per active function call: the variables `local` shadowed, with their old state
    /// (nil = did not exist).
    private var frames: [[String: Variable?]] = []
    /// Bumped whenever an exported variable changes, so the child environment is rebuilt lazily.
    private(set) var exportGeneration = 0
    /// True while IFS is unset or exactly space-tab-newline (field splitting's common case).
    private(set) var ifsIsDefault = true

    private mutating func noteChange(_ name: String) {
        if name == "IFS" {
            let v = table["IFS"]?.value
            ifsIsDefault = v == nil || v == " \t\n"
        }
    }

    subscript(name: String) -> Variable? { table[name] }

    func value(_ name: String) -> String? { table[name]?.value }

    enum SetError: Error { case readonly(String) }

    mutating func set(_ name: String, _ value: String?, export: Bool = false) throws {
        if var v = table[name] {
            if v.readonly { throw SetError.readonly(name) }
            v.value = value
            if export { v.exported = true }
            if v.exported { exportGeneration &+= 1 }
            table[name] = v
        } else {
            table[name] = Variable(value: value, exported: export)
            if export { exportGeneration &+= 1 }
        }
        noteChange(name)
    }

    mutating func setExported(_ name: String, _ on: Bool) {
        var v = table[name] ?? Variable(value: nil)
        v.exported = on
        table[name] = v
        exportGeneration &+= 1
    }

    mutating func setReadonly(_ name: String) {
        var v = table[name] ?? Variable(value: nil)
        v.readonly = true
        table[name] = v
    }

    mutating func unset(_ name: String) throws {
        guard let v = table[name] else { return }
        if v.readonly { throw SetError.readonly(name) }
        if v.exported { exportGeneration &+= 1 }
        table[name] = nil
        noteChange(name)
    }

    var inFunction: Bool { !frames.isEmpty }

    /// What a newly started shell inherits: exported variables only, no function frames.
    mutating func keepExportedOnly() {
        table = table.filter { $0.value.exported && $0.value.value != nil }
        for k in table.keys { table[k]?.readonly = false }
        frames.removeAll()
        exportGeneration &+= 1
        noteChange("IFS")
    }

    mutating func pushFrame() { frames.append([:]) }

    mutating func popFrame() {
        guard let frame = frames.popLast() else { return }
        for (name, old) in frame {
            if let old = old { table[name] = old } else { table[name] = nil }
            exportGeneration &+= 1
            noteChange(name)
        }
    }

    /// Makes `name` local to the current function (remembers its outer state once per frame).
    mutating func makeLocal(_ name: String) {
        guard !frames.isEmpty else { return }
        if frames[frames.count - 1][name] == nil {
            frames[frames.count - 1][name] = .some(table[name])
        }
    }

    /// NAME=value strings of exported, set variables.
    func environment() -> [String] {
        var env: [String] = []
        env.reserveCapacity(table.count)
        for (k, v) in table where v.exported {
            if let val = v.value { env.append(k + "=" + val) }
        }
        env.sort()
        return env
    }
}

func isValidName(_ s: String) -> Bool {
    guard let f = s.utf8.first, f == UInt8(ascii: "_") || isAlpha(f) else { return false }
    return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isAlpha($0) || isDigit($0) }
}

@inline(__always) func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a }
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
