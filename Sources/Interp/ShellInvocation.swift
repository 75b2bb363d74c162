import Glibc
import Syntax

// `sh -c '…'`, `bash script.sh`, `curl … | bash`: aegish never starts another shell (which would
// parse the text its own way, unchecked). It recognises the invocation and runs it itself, in a
// child that starts like a new shell: exported variables only, no functions, new positionals.

/// Program names that are shells (compared with the basename of the name typed and of the
/// resolved path, so `/bin/sh` → `dash` is caught either way).
let shellNames: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "posh", "yash", "rbash", "aegish"]

struct ShellInvocation {
    enum Source: Equatable {
        case command(String)      // -c TEXT
        case file(String)         // FILE
        case standardInput        // neither: commands come from stdin
    }
    var source: Source
    var name: String              // $0
    var args: [String]
    var options = ShellOptions()
    /// Options we cannot honour (interactive, restricted, …): refuse rather than approximate.
    var refusal: String? = nil

    /// nil if argv does not start a shell.
    init?(argv: [String], path: String) {
        let base = { (s: String) -> String in String(s.split(separator: "/").last ?? Substring(s)) }
        var real = path
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if realpath(path, &buf) != nil { real = String(cString: buf) }
        // busybox sh / busybox ash
        var words = argv
        if base(real) == "busybox" || base(argv[0]) == "busybox" {
            guard argv.count > 1, shellNames.contains(argv[1]) else { return nil }
            words = Array(argv.dropFirst())
        } else if !(shellNames.contains(base(argv[0])) || shellNames.contains(base(path)) || shellNames.contains(base(real))) {
            return nil
        }
        name = words[0]
        var rest = Array(words.dropFirst())
        var commandMode = false
        var readStdin = false
        loop: while let w = rest.first {
            if w == "--" || w == "-" { rest.removeFirst(); break }
            if w.hasPrefix("--") {
                rest.removeFirst()
                switch w {
                case "--norc", "--noprofile", "--posix", "--login", "--noediting": continue
                case "--restricted": refusal = "restricted shells are not supported"
                default: refusal = "\(w) is not supported"
                }
                continue
            }
            guard w.count > 1, w.hasPrefix("-") || w.hasPrefix("+") else { break }
            rest.removeFirst()
            let on = w.hasPrefix("-")
            for c in w.dropFirst() {
                switch c {
                case "c": commandMode = true
                case "s": readStdin = true
                case "l", "p", "h", "m", "b", "B", "H", "P", "T", "k": break
                case "e": options.errexit = on
                case "u": options.nounset = on
                case "x": options.xtrace = on
                case "f": options.noglob = on
                case "C": options.noclobber = on
                case "a": options.allexport = on
                case "v": options.verbose = on
                case "n": options.noexec = on
                case "i": refusal = "interactive shells are not started from inside aegish"
                case "r": refusal = "restricted shells are not supported"
                case "o", "O":
                    guard let opt = rest.first else { refusal = "-\(c) needs an argument"; break loop }
                    rest.removeFirst()
                    if c == "O" { refusal = "shopt options (-O \(opt)) are not supported"; continue }
                    if ["posix", "braceexpand", "hashall", "interactive-comments"].contains(opt) { continue }
                    if !options.set(named: opt, on) { refusal = "-o \(opt) is not supported" }
                default:
                    refusal = "-\(c) is not supported"
                }
            }
        }
        if commandMode {
            guard let text = rest.first else {
                refusal = "-c needs a command"
                source = .standardInput
                args = []
                return
            }
            source = .command(text)
            rest.removeFirst()
            if let n = rest.first { name = n; rest.removeFirst() }
            args = rest
        } else if !readStdin, let file = rest.first {
            source = .file(file)
            name = file
            args = Array(rest.dropFirst())
        } else {
            source = .standardInput
            args = rest
        }
    }
}

extension ShellInvocation {
    /// `./build.sh` whose first line is `#!/bin/sh`, `#!/bin/bash -e`, `#!/usr/bin/env bash`:
    /// the kernel would start that shell on it; aegish runs the file itself instead.
    init?(shebangScript path: String, argv: [String]) {
        guard let words = shebang(path), let first = words.first else { return nil }
        var interp = words
        if String(first.split(separator: "/").last ?? "") == "env" {
            interp = Array(words.dropFirst().drop(while: { $0.hasPrefix("-") }))
        }
        guard let i = interp.first, shellNames.contains(String(i.split(separator: "/").last ?? "")) else { return nil }
        self.init(argv: interp + [path] + argv.dropFirst(), path: i)
        name = argv[0]
    }
}

/// The words of a `#!` line (at most 256 bytes read), nil if the file has none. The shell runs
/// shell scripts itself by it; the policy decides other scripts as their interpreter by it.
public func shebang(_ path: String) -> [String]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buf = [UInt8](repeating: 0, count: 256)
    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 256) }
    guard n > 2, buf[0] == 0x23, buf[1] == 0x21 else { return nil }
    let line = buf[2..<n].prefix { $0 != 0x0A }
    return String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
}

extension Shell {
    func runShellInvocation(_ inv: ShellInvocation, assignments: [(String, String, Bool)]) -> Int32 {
        if let why = inv.refusal {
            Sys.write(2, "aegish: denied: \(inv.name) — \(why)\n")
            return 126
        }
        var script: Script? = nil
        var sourceText: String? = nil
        switch inv.source {
        case .command(let text):
            sourceText = text
            do { script = try parseCompleteInput(text).script } catch let e as ParseError {
                warnAt("\(inv.name): \(e)")
                return 2
            } catch { return 2 }
        case .file(let file):
            let abs = absolutePath(file, cwd: cwd)
            let request = gateRequest(.source, path: abs)
            if let refusal = refusal(for: request, what: "\(inv.name) \(file)") { return refusal }
            let bytes: [UInt8]
            switch Sys.readFile(abs) {
            case .success(let b): bytes = b
            case .failure(let e):
                warnAt("\(file): \(Sys.errorString(e.code))")
                return 127
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(bytes) else {
                warnAt("\(file): not valid UTF-8; aegish refuses input it cannot represent exactly")
                return 2
            }
            sourceText = text
            do { script = try parseCompleteInput(text).script } catch let e as ParseError {
                warnAt("\(file): \(e)")
                return 2
            } catch { return 2 }
        case .standardInput:
            break
        }
        return runForegroundSubshell {
            self.startAsNewShell(inv, assignments: assignments)
            if inv.options.noexec { return 0 }
            if let s = script {
                self.source = sourceText.map(SourceText.init)
                try self.runScript(s, final: true)
                return self.lastStatus
            }
            return self.runStream(fd: 0)
        } ?? 126
    }

    /// In the forked child: the state a freshly started shell would have.
    private func startAsNewShell(_ inv: ShellInvocation, assignments: [(String, String, Bool)]) {
        vars.keepExportedOnly()
        for (n, v, _) in assignments { try? vars.set(n, v, export: true) }
        functions.removeAll()
        traps.removeAll()
        options = inv.options
        positional = inv.args
        scriptName = inv.name
        lineOffset = 0
        try? vars.set("IFS", " \t\n")
    }
}
