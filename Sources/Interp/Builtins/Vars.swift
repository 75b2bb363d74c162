import Glibc

// Builtins that manage variables and parameters: export, readonly, local, unset, set, shift,
// read, getopts, let.

extension Shell {
    /// export / readonly: `NAME[=value]…`, `-p` to list, `-n` (export) to un-export.
    func declare(_ argv: [String], export: Bool = false, readonly: Bool = false) throws -> Int32 {
        var args = Array(argv.dropFirst())
        var unexport = false, list = false
        while let a = args.first, a.hasPrefix("-"), a.count > 1 {
            args.removeFirst()
            if a == "--" { break }
            for c in a.dropFirst() {
                switch c {
                case "p": list = true
                case "n" where export: unexport = true
                case "f": return builtinError(argv[0], "-f: functions cannot be exported in aegish", status: 2)
                default: return builtinError(argv[0], "\(a): invalid option", status: 2)
                }
            }
        }
        if args.isEmpty || list && args.isEmpty {
            let word = export ? "export" : "readonly"
            for (name, v) in vars.table.sorted(by: { $0.key < $1.key }) where export ? v.exported : v.readonly {
                if let value = v.value {
                    out("declare -\(export ? "x" : "r") \(name)=\"\(escapeForDeclare(value))\"\n")
                } else {
                    out("declare -\(export ? "x" : "r") \(name)\n")
                }
            }
            _ = word
            return 0
        }
        var status: Int32 = 0
        for a in args {
            var name = a, value: String? = nil
            if let eq = a.firstIndex(of: "=") {
                name = String(a[..<eq])
                value = String(a[a.index(after: eq)...])
            }
            guard isValidName(name) else {
                status = builtinError(argv[0], "`\(a)': not a valid identifier")
                continue
            }
            if let value = value {
                do { try vars.set(name, value) } catch {
                    status = builtinError(argv[0], "\(name): readonly variable")
                    continue
                }
                if name == "PATH" { commandHash.removeAll() }
            }
            if export { vars.setExported(name, !unexport) }
            if readonly { vars.setReadonly(name) }
        }
        return status
    }
}

private func escapeForDeclare(_ s: String) -> String {
    var out = ""
    for c in s {
        if c == "\"" || c == "\\" || c == "$" || c == "`" { out.append("\\") }
        out.append(c)
    }
    return out
}

func builtinLocal(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard sh.vars.inFunction else { return sh.builtinError("local", "can only be used in a function") }
    var status: Int32 = 0
    for a in argv.dropFirst() {
        if a.hasPrefix("-") { continue }
        var name = a, value: String? = nil
        if let eq = a.firstIndex(of: "=") {
            name = String(a[..<eq])
            value = String(a[a.index(after: eq)...])
        }
        guard isValidName(name) else {
            status = sh.builtinError("local", "`\(a)': not a valid identifier")
            continue
        }
        if sh.vars[name]?.readonly == true {
            status = sh.builtinError("local", "\(name): readonly variable")
            continue
        }
        sh.vars.makeLocal(name)
        // `local x` without a value starts out unset inside the function, as in bash.
        try sh.setVar(name, value)
    }
    return status
}

func builtinUnset(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var functionsOnly = false, varsOnly = false
    var status: Int32 = 0
    for a in argv.dropFirst() {
        if a == "-f" { functionsOnly = true; continue }
        if a == "-v" { varsOnly = true; continue }
        if functionsOnly {
            sh.functions[a] = nil
            continue
        }
        guard isValidName(a) else {
            status = sh.builtinError("unset", "`\(a)': not a valid identifier")
            continue
        }
        if sh.vars[a] != nil {
            do { try sh.vars.unset(a) } catch {
                status = sh.builtinError("unset", "\(a): cannot unset: readonly variable")
            }
            if a == "PATH" { sh.commandHash.removeAll() }
        } else if !varsOnly {
            sh.functions[a] = nil
        }
    }
    return status
}

private let shortOptions: [Character: WritableKeyPath<ShellOptions, Bool>] = [
    "e": \.errexit, "u": \.nounset, "x": \.xtrace, "f": \.noglob, "C": \.noclobber,
    "a": \.allexport, "v": \.verbose, "n": \.noexec,
]

func builtinSet(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    if args.isEmpty {
        for (name, v) in sh.vars.table.sorted(by: { $0.key < $1.key }) {
            if let value = v.value { sh.out("\(name)=\(shellQuote(value))\n") }
        }
        return 0
    }
    while let a = args.first {
        guard a.hasPrefix("-") || a.hasPrefix("+") else { break }
        args.removeFirst()
        if a == "--" { sh.positional = args; return 0 }
        if a == "-" { sh.options.xtrace = false; sh.options.verbose = false; sh.positional = args; return 0 }
        let on = a.hasPrefix("-")
        if a == "-o" || a == "+o" {
            guard let name = args.first else {
                for (n, kp) in ShellOptions.byName.sorted(by: { $0.key < $1.key }) {
                    if on {
                        sh.out(n.padding(15) + (sh.options[keyPath: kp] ? "on" : "off") + "\n")
                    } else {
                        sh.out("set \(sh.options[keyPath: kp] ? "-o" : "+o") \(n)\n")
                    }
                }
                return 0
            }
            args.removeFirst()
            guard let kp = ShellOptions.byName[name] else {
                return sh.builtinError("set", "\(name): invalid option name", status: 2)
            }
            sh.options[keyPath: kp] = on
            continue
        }
        for c in a.dropFirst() {
            guard let kp = shortOptions[c] else {
                return sh.builtinError("set", "\(on ? "-" : "+")\(c): invalid option", status: 2)
            }
            // -n would stop a running shell from doing anything, interactive or not: refuse it.
            if c == "n" { continue }
            sh.options[keyPath: kp] = on
        }
    }
    sh.positional = args
    if argv.count > 1 && args.isEmpty && !argv.contains("--") {
        return 0
    }
    return 0
}

private extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}

func builtinShift(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var n = 1
    if argv.count > 1 {
        guard let v = Int(argv[1]), v >= 0 else {
            return sh.builtinError("shift", "\(argv[1]): numeric argument required")
        }
        n = v
    }
    if n > sh.positional.count { return 1 }
    sh.positional.removeFirst(n)
    return 0
}

func builtinLet(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard argv.count > 1 else { return sh.builtinError("let", "expression expected") }
    var last = 0
    for expr in argv.dropFirst() { last = try sh.evalArith(expr) }
    return last != 0 ? 0 : 1
}

func builtinGetopts(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    guard argv.count >= 3 else { return sh.builtinError("getopts", "usage: getopts optstring name [arg ...]", status: 2) }
    let optstring = argv[1], name = argv[2]
    guard isValidName(name) else { return sh.builtinError("getopts", "`\(name)': not a valid identifier") }
    let args = argv.count > 3 ? Array(argv.dropFirst(3)) : sh.positional
    // The script may have assigned OPTIND since our last step (e.g. OPTIND=1 to rescan).
    let optindNow = sh.vars.value("OPTIND")
    if optindNow != sh.getoptsLastOptind { sh.getopts.optindAssigned(optindNow) }
    let step = getoptsStep(optstring: optstring, args: args, state: sh.getopts)
    sh.getopts = step.state
    try sh.setVar("OPTIND", step.optind)
    sh.getoptsLastOptind = step.optind
    try sh.setVar(name, step.name)
    switch step.optarg {
    case .unset: try? sh.vars.unset("OPTARG")
    case .declaredWithoutValue: try? sh.vars.unset("OPTARG")
    case .value(let v): try sh.setVar("OPTARG", v)
    }
    if let msg = step.error { Sys.write(2, sh.scriptName + ": " + msg + "\n") }
    return step.done ? 1 : 0
}
