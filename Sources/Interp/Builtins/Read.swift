import Glibc
import CSys

// `read [-r] [-p prompt] [-d delim] [-n count] [-s] [-t timeout] [name…]`
// Reads one byte at a time so that what follows stays on the input for the next command.

func builtinRead(_ sh: Shell, _ argv: [String]) throws -> Int32 {
    var args = Array(argv.dropFirst())
    var raw = false, delim: UInt8 = 0x0A, maxChars: Int? = nil, timeout: Double? = nil
    var prompt: String? = nil
    while let a = args.first, a.hasPrefix("-"), a.count > 1 {
        args.removeFirst()
        if a == "--" { break }
        var chars = Array(a.dropFirst())
        while !chars.isEmpty {
            let c = chars.removeFirst()
            func value() -> String? {
                if !chars.isEmpty { let v = String(chars); chars = []; return v }
                return args.isEmpty ? nil : args.removeFirst()
            }
            switch c {
            case "r": raw = true
            case "s": break
            case "p": prompt = value()
            case "d":
                guard let v = value() else { return sh.builtinError("read", "-d: option requires an argument", status: 2) }
                delim = v.utf8.first ?? 0
            case "n", "N":
                guard let v = value(), let n = Int(v), n >= 0 else { return sh.builtinError("read", "invalid count", status: 2) }
                maxChars = n
            case "t":
                guard let v = value(), let t = Double(v), t >= 0 else { return sh.builtinError("read", "invalid timeout", status: 2) }
                timeout = t
            case "a": return sh.builtinError("read", "-a: arrays are not supported", status: 2)
            case "u": return sh.builtinError("read", "-u: not supported (use a redirection: read x <&N)", status: 2)
            default: return sh.builtinError("read", "-\(c): invalid option", status: 2)
            }
        }
    }
    let names = args.isEmpty ? ["REPLY"] : args
    for n in names where !isValidName(n) {
        return sh.builtinError("read", "`\(n)': not a valid identifier")
    }
    if let p = prompt, isatty(0) != 0 { Sys.write(2, p) }

    // Bytes read, and for each whether it was escaped by a backslash (escaped bytes never split).
    var bytes: [UInt8] = []
    var escaped: [Bool] = []
    var gotDelim = false
    var pendingBackslash = false
    var byte: UInt8 = 0
    while maxChars.map({ bytes.count < $0 }) ?? true {
        if let t = timeout {
            var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, Int32(t * 1000))
            if r == 0 {
                try assignRead(sh, names, bytes, escaped)
                return 142
            }
        }
        let n = read(0, &byte, 1)
        if n < 0 {
            if errno == EINTR { try sh.checkSignals(); continue }
            break
        }
        if n == 0 { break }
        if pendingBackslash {
            pendingBackslash = false
            if byte == 0x0A { continue }       // line continuation
            bytes.append(byte); escaped.append(true)
            continue
        }
        if byte == delim { gotDelim = true; break }
        if byte == 0x5C && !raw { pendingBackslash = true; continue }
        bytes.append(byte); escaped.append(false)
    }
    try assignRead(sh, names, bytes, escaped)
    return gotDelim || (maxChars != nil && bytes.count == maxChars) ? 0 : 1
}

/// Splits the line by IFS into the names; the last name gets the rest of the line (with trailing
/// IFS whitespace removed), as POSIX `read` does.
private func assignRead(_ sh: Shell, _ names: [String], _ bytes: [UInt8], _ escaped: [Bool]) throws {
    let ifs = Array((sh.vars.value("IFS") ?? " \t\n").utf8)
    func isIFS(_ i: Int) -> Bool { !escaped[i] && ifs.contains(bytes[i]) }
    func isWS(_ i: Int) -> Bool { isIFS(i) && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A) }
    var i = 0
    let n = bytes.count
    func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
    while i < n && isWS(i) { i += 1 }
    for (k, name) in names.enumerated() {
        if k == names.count - 1 {
            // Rest of line, trailing IFS whitespace trimmed.
            var end = n
            while end > i && isWS(end - 1) { end -= 1 }
            // A single trailing non-whitespace IFS delimiter is dropped too.
            if end > i && isIFS(end - 1) && !isWS(end - 1) {
                var hasOther = false
                for j in i..<(end - 1) where isIFS(j) && !isWS(j) { hasOther = true; break }
                if !hasOther { end -= 1 }
            }
            try sh.setVar(name, i < end ? text(i, end) : "")
            break
        }
        let start = i
        while i < n && !isIFS(i) { i += 1 }
        try sh.setVar(name, text(start, i))
        // Skip one delimiter: surrounding whitespace plus at most one non-whitespace IFS char.
        while i < n && isWS(i) { i += 1 }
        if i < n && isIFS(i) && !isWS(i) { i += 1; while i < n && isWS(i) { i += 1 } }
    }
}
