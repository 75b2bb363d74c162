// Which code an interpreter command line runs from a file: `python3 app.py`, `node x.js`,
// `perl -w x.pl`, `ruby -Ilib x.rb`, `python3 -m mod` (a module in the working directory), and
// scripts run through their `#!` line (`./tool.py`). Inline code (`-c`, `-e`) and standard input
// come from the policy's own analysis of interpreters (Policy/WrappersShells.swift), which the
// caller asks first.

import Glibc

/// The language an interpreter program runs: python3.12 → python, nodejs → node, perl5.36 → perl.
public func interpreterLanguage(_ program: String) -> ScanLanguage? {
    let n = String(program.split(separator: "/").last ?? Substring(program))
    func versioned(_ base: String) -> Bool {
        n.hasPrefix(base) && n.dropFirst(base.count).allSatisfy { $0.isNumber || $0 == "." || $0 == "m" || $0 == "t" || $0 == "d" }
    }
    if versioned("python") || versioned("pypy") { return .python }
    if n == "node" || n == "nodejs" || versioned("node") { return .node }
    if versioned("perl") { return .perl }
    if versioned("ruby") { return .ruby }
    return nil
}

/// The scan language of the policy's inline-code languages ("python", "javascript", …).
public func scanLanguage(inline: String) -> ScanLanguage? {
    switch inline {
    case "python": return .python
    case "javascript": return .node
    case "perl": return .perl
    case "ruby": return .ruby
    default: return nil
    }
}

/// The language of a script run through its `#!` line, if it names a scanned interpreter
/// (directly or through `/usr/bin/env [-S] NAME`).
public func shebangLanguage(_ path: String) -> ScanLanguage? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buf = [UInt8](repeating: 0, count: 256)
    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 256) }
    guard n > 2, buf[0] == UInt8(ascii: "#"), buf[1] == UInt8(ascii: "!") else { return nil }
    let line = String(decoding: buf[2..<n].prefix { $0 != 10 }, as: UTF8.self)
    var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard !words.isEmpty else { return nil }
    if words[0].hasSuffix("/env") {
        words.removeFirst()
        while let w = words.first, w.hasPrefix("-") { words.removeFirst() }
        guard !words.isEmpty else { return nil }
    }
    return interpreterLanguage(words[0])
}

/// The script file `args` (the interpreter's arguments) make it run, as (absolute path, as
/// written); nil when it runs none (inline code, standard input, `--version`) or the file does
/// not exist (the interpreter will fail on it).
public func scriptFile(_ language: ScanLanguage, _ args: [String], cwd: String) -> (path: String, label: String)? {
    func existing(_ p: String) -> (String, String)? {
        let abs = p.hasPrefix("/") ? p : (cwd == "/" ? "/" : cwd + "/") + p
        var st = stat()
        return stat(abs, &st) == 0 ? (abs, p) : nil
    }
    switch language {
    case .python:
        var k = 0
        while k < args.count {
            let a = args[k]
            if a == "-" { return nil }
            if a == "--" { return k + 1 < args.count ? existing(args[k + 1]) : nil }
            if !a.hasPrefix("-") { return existing(a) }
            if a.hasPrefix("--") { if a == "--check-hash-based-pycs" { k += 1 }; k += 1; continue }
            let cs = Array(a.dropFirst())
            var j = 0
            while j < cs.count {
                let c = cs[j]
                if c == "c" { return nil }
                if c == "m" {
                    let module = j + 1 < cs.count ? String(cs[(j + 1)...]) : (k + 1 < args.count ? args[k + 1] : "")
                    let rel = module.replacingAll(".", with: "/")
                    return existing(rel + ".py") ?? existing(rel + "/__main__.py")
                }
                if c == "W" || c == "X" || c == "Q" {
                    if j + 1 == cs.count { k += 1 }
                    break
                }
                j += 1
            }
            k += 1
        }
        return nil
    case .node:
        let valued: Set<String> = ["-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions",
                                   "--inspect-port", "--title", "--env-file", "--input-type", "--disable-warning",
                                   "--redirect-warnings", "--diagnostic-dir", "--report-dir", "--icu-data-dir", "--openssl-config"]
        var k = 0
        while k < args.count {
            let a = args[k]
            if a == "-" || ["-e", "--eval", "-p", "--print", "-i", "--interactive", "-v", "--version", "-h", "--help", "-c", "--check"].contains(a)
                || a.hasPrefix("--eval=") || a.hasPrefix("--print=") { return nil }
            if a == "--" { return k + 1 < args.count ? existing(args[k + 1]) : nil }
            if !a.hasPrefix("-") {
                // `node app` runs app.js when there is no file `app`.
                return existing(a) ?? existing(a + ".js") ?? existing(a + ".mjs") ?? existing(a + ".cjs")
            }
            if valued.contains(a) { k += 1 }
            k += 1
        }
        return nil
    case .perl, .ruby:
        // Switches taking the next word when nothing is attached.
        let valued: Set<Character> = language == .perl ? ["I"] : ["I", "r", "C", "E"]
        // Switches whose rest of the cluster is their value.
        let attached: Set<Character> = language == .perl ? ["M", "m", "x", "i", "0", "l", "C", "F", "d", "D", "V"]
                                                          : ["x", "0", "K", "T", "W", "F", "a"]
        var k = 0
        while k < args.count {
            let a = args[k]
            if a == "-" { return nil }
            if a == "--" { return k + 1 < args.count ? existing(args[k + 1]) : nil }
            if !a.hasPrefix("-") { return existing(a) }
            if a.hasPrefix("--") { if a == "--version" || a == "--help" { return nil }; k += 1; continue }
            let cs = Array(a.dropFirst())
            var j = 0
            while j < cs.count {
                let c = cs[j]
                if c == "e" || c == "E" && language == .perl { return nil }
                if c == "v" || c == "h" { return nil }
                if valued.contains(c) { if j + 1 == cs.count { k += 1 }; break }
                if attached.contains(c) { break }
                j += 1
            }
            k += 1
        }
        return nil
    case .shell:
        return nil
    }
}
