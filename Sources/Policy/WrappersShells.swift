// Shells and interpreters: where the code comes from (`-c`, `-e`, a file, standard input).

// MARK: - POSIX shells

/// Shells whose `-c` script aegish can parse and run itself.
let shellNames: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "ksh93", "pdksh", "lksh",
                               "oksh", "loksh", "yash", "posh", "hush", "rbash"]
/// Shells with another language: whatever they run is unknown.
let otherShellNames: Set<String> = ["csh", "tcsh", "fish", "nu", "pwsh", "powershell", "xonsh", "elvish", "rc", "es"]

/// sh [-abefhkmnptuvxBCHP] [±o opt] [±O shopt] [--long…] [-c SCRIPT [NAME [ARG…]] | -s | -i | FILE [ARG…]].
/// `-c` is a flag (it may be anywhere in the options: `bash -ec 'x'`, `bash -c -e 'x'`); the
/// script is the first operand. Each `o`/`O` in a cluster takes the next word.
func shellInner(_ name: String, _ args: [String]) -> [Inner] {
    var i = 0
    var hasC = false, stdin = false
    while i < args.count {
        let w = args[i]
        if w == "--" || w == "-" { i += 1; break }
        if w.hasPrefix("--") {
            let n = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            if n == "--version" || n == "--help" { return [] }
            if (n == "--rcfile" || n == "--init-file" || n == "--emulate") && !w.contains("=") { i += 2 } else { i += 1 }
            continue
        }
        if (w.hasPrefix("-") || w.hasPrefix("+")) && w.count > 1 {
            var values = 0
            for ch in w.dropFirst() {
                switch ch {
                case "o", "O": values += 1
                case "c": if w.hasPrefix("-") { hasC = true }
                case "s", "i": if w.hasPrefix("-") { stdin = true }
                default: break
                }
            }
            i += 1 + values
            continue
        }
        break
    }
    let ops = i < args.count ? Array(args[i...]) : []
    if hasC {
        guard let script = ops.first else { return [.unknown("\(name) -c without a script")] }
        return [.shellScript(script, argv0: ops.count > 1 ? ops[1] : nil, args: ops.count > 2 ? Array(ops[2...]) : [])]
    }
    if stdin || ops.isEmpty { return [.unknown("interactive or stdin shell")] }
    return [.shellFile(ops[0], args: Array(ops.dropFirst()))]
}

func otherShellInner(_ name: String, _ args: [String]) -> [Inner] {
    onlyVersionOrHelp(args) ? [] : [.unknown("\(name) is not a POSIX shell: what it runs cannot be checked")]
}

// MARK: - Python

/// python, python3, python3.11, python3.13t, pypy3 …
func isPythonName(_ n: String) -> Bool {
    for p in ["python", "pypy"] where n.hasPrefix(p) {
        return n.dropFirst(p.count).allSatisfy { $0.isNumber || $0 == "." || $0 == "m" || $0 == "d" || $0 == "t" }
    }
    return false
}

/// Modules whose `-m` run evaluates code from their arguments or standard input.
private let pythonCodeModules: Set<String> = ["timeit"]
private let pythonReplModules: Set<String> = ["code", "pdb", "asyncio", "IPython", "ptpython", "bpython"]

/// python [opts] (-c CODE | -m MOD | FILE | -) [ARGS]. `-m` runs a module (not inline code),
/// except modules that evaluate their arguments (`timeit`) or stdin (`code`, `pdb`, REPLs).
func pythonInner(_ args: [String]) -> [Inner] {
    let valued: Set<Character> = ["W", "X", "Q"]
    let flags: Set<Character> = ["b", "B", "d", "E", "i", "I", "O", "P", "q", "s", "S", "u", "v", "x", "R", "3", "t", "U"]
    var i = 0
    var interactive = false
    func withInteractive(_ r: [Inner]) -> [Inner] {
        interactive && !r.contains(.inlineCode(language: "python", code: "-")) ? r + [.inlineCode(language: "python", code: "-")] : r
    }
    while i < args.count {
        let w = args[i]
        if w == "-" { return [.inlineCode(language: "python", code: "-")] }
        if w == "--" { i += 1; break }
        if !w.hasPrefix("-") { break }
        if w.hasPrefix("--") {
            let n = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            if n == "--check-hash-based-pycs" { i += w.contains("=") ? 1 : 2; continue }
            if n.hasPrefix("--help") || n == "--version" { return [] }
            return [.unknown("python: unrecognised option \(n)")]
        }
        let cs = Array(w.dropFirst())
        var j = 0
        var consumed = 1
        while j < cs.count {
            let c = cs[j]
            if c == "c" || c == "m" || valued.contains(c) {
                let v: String
                if j + 1 < cs.count { v = String(cs[(j + 1)...]) }
                else if i + 1 < args.count { v = args[i + 1]; consumed = 2 }
                else { return [] }  // python: "Argument expected"
                if c == "c" { return withInteractive([.inlineCode(language: "python", code: v)]) }
                if c == "m" {
                    let rest = Array(args[(i + consumed)...])
                    if pythonCodeModules.contains(v) {
                        return withInteractive([.inlineCode(language: "python", code: rest.joined(separator: "\n"))])
                    }
                    if pythonReplModules.contains(v) { return [.inlineCode(language: "python", code: "-")] }
                    return withInteractive([])
                }
                break
            }
            if c == "h" || c == "?" || c == "V" { return [] }
            if c == "i" { interactive = true }
            guard flags.contains(c) else { return [.unknown("python: unknown option -\(c)")] }
            j += 1
        }
        i += consumed
    }
    if i >= args.count { return [.inlineCode(language: "python", code: "-")] }
    return withInteractive([])  // a script file
}

// MARK: - Lua

func isLuaName(_ n: String) -> Bool {
    if n == "luajit" { return true }
    return n.hasPrefix("lua") && n.dropFirst(3).allSatisfy { $0.isNumber || $0 == "." || $0 == "-" }
}

/// lua [-e STAT] [-l MOD] [-i] [-v] [-E] [-W] [script [args]] (luajit: also -j CMD, -O…, -b).
func luaInner(_ args: [String]) -> [Inner] {
    var codes: [String] = []
    var interactive = false, stdin = false
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "-" { stdin = true; break }
        if w == "--" { i += 1; break }
        if !w.hasPrefix("-") || w.count < 2 { break }
        let c = w[w.index(after: w.startIndex)]
        let attached = String(w.dropFirst(2))
        switch c {
        case "e", "l", "j":
            var v = attached
            if v.isEmpty { guard i + 1 < args.count else { return [] }; v = args[i + 1]; i += 1 }
            if c == "e" { codes.append(v) }
        case "i": interactive = true
        case "v", "E", "W", "O": break
        case "b": return [.unknown("luajit -b")]
        default: return [.unknown("lua: unrecognised option \(w)")]
        }
        i += 1
    }
    var r = codes.map { Inner.inlineCode(language: "lua", code: $0) }
    let hasScript = !stdin && i < args.count
    if stdin || interactive || (!hasScript && codes.isEmpty) { r.append(.inlineCode(language: "lua", code: "-")) }
    return r
}

// MARK: - Handlers by name

func interpreterHandler(_ name: String) -> Handler? {
    switch name {
    case "node": return { _, a in nodeInner(a) }
    case "nodejs": return { _, a in nodeInner(a) }
    case "deno": return { _, a in denoInner(a) }
    case "bun": return { _, a in bunInner(a) }
    case "perl": return { _, a in perlInner(a) }
    case "ruby": return { _, a in rubyInner(a) }
    case "php": return { _, a in phpInner(a) }
    case "Rscript": return { _, a in rscriptInner(a) }
    case "R": return { _, a in rInner(a) }
    case "sed": return { _, a in sedInner(a) }
    case "gsed": return { _, a in sedInner(a) }
    case "expect": return { _, a in expectInner(a) }
    case "tclsh": return { _, a in a.isEmpty || a[0] == "-" ? [.inlineCode(language: "tcl", code: "-")] : [] }
    case "wish": return { _, a in a.isEmpty || a[0] == "-" ? [.inlineCode(language: "tcl", code: "-")] : [] }
    case "awk", "gawk", "mawk", "nawk", "original-awk", "bwk-awk": return { _, a in awkInner(a) }
    case "php8", "php7", "php8.1", "php8.2", "php8.3", "php8.4", "php7.4": return { _, a in phpInner(a) }
    default: return nil
    }
}

// MARK: - JavaScript

private let nodeValueOptions: Set<String> = [
    "-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions", "--input-type",
    "--env-file", "--env-file-if-exists", "--title", "--watch-path", "--test-reporter",
    "--test-reporter-destination", "--test-name-pattern", "--test-skip-pattern", "--disable-warning",
    "--inspect-port", "--debug-port", "--openssl-config", "--icu-data-dir", "--redirect-warnings", "--report-dir",
    "--report-directory", "--report-filename", "--report-signal", "--heapsnapshot-signal", "--diagnostic-dir",
    "--dns-result-order", "--max-http-header-size", "--secure-heap", "--secure-heap-min",
    "--experimental-policy", "--policy-integrity", "--localstorage-file", "--test-concurrency", "--test-timeout",
    "--experimental-sea-config", "--unhandled-rejections", "--tls-cipher-list", "--tls-keylog",
    "--use-largepages", "--trace-event-categories", "--trace-event-file-pattern", "--cpu-prof-dir",
    "--cpu-prof-name", "--heap-prof-dir", "--heap-prof-name", "--experimental-default-type", "--run",
    "--watch-kill-signal", "--test-shard", "--test-isolation", "--network-family-autoselection-attempt-timeout",
]
private let nodeEvalOptions: Set<String> = ["-e", "--eval", "-p", "--print", "-pe"]
private let nodePreloadOptions: Set<String> = ["-r", "--require", "--import", "--loader", "--experimental-loader"]

/// node [options] [-e CODE | -p CODE | SCRIPT | -] [args]. Preloading a `data:` URL is code.
/// Options are many and version-dependent: when an option we do not know came before what
/// looks like the script (it might have taken it as its value), any later `-e`/`-p` counts.
func nodeInner(_ args: [String]) -> [Inner] {
    var codes: [String] = []
    var interactive = false, stdin = false, script = false, unsure = false
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "-" { stdin = true; break }
        if w == "--" { script = i + 1 < args.count; break }
        if !w.hasPrefix("-") { script = true; break }
        let eq = w.firstIndex(of: "=")
        let n = eq.map { String(w[..<$0]) } ?? w
        var v: String? = eq.map { String(w[w.index(after: $0)...]) }
        let takes = nodeEvalOptions.contains(n) || nodeValueOptions.contains(n)
        if takes && v == nil && !(n == "-p" || n == "--print") {
            guard i + 1 < args.count else { return [] }
            v = args[i + 1]; i += 1
        } else if (n == "-p" || n == "--print") && v == nil && i + 1 < args.count {
            v = args[i + 1]; i += 1
        }
        if nodeEvalOptions.contains(n) { if let v { codes.append(v) } }
        else if n == "--run" { return [.unknown("node --run runs a package.json script")] }
        else if nodePreloadOptions.contains(n), let v, v.hasPrefix("data:") { codes.append(v) }
        else if n == "-i" || n == "--interactive" { interactive = true }
        else if ["-v", "--version", "-h", "--help", "--v8-options", "-c", "--check"].contains(n) { return [] }
        else if !takes && eq == nil && n.hasPrefix("--") && !knownNodeFlag(n) { unsure = true }
        i += 1
    }
    if unsure && script {
        var k = i + 1
        while k < args.count {
            if nodeEvalOptions.contains(args[k]) || args[k].hasPrefix("--eval=") || args[k].hasPrefix("--print=") {
                codes.append(k + 1 < args.count ? args[k + 1] : "")
            }
            k += 1
        }
    }
    var r = codes.map { Inner.inlineCode(language: "javascript", code: $0) }
    if stdin || interactive || (codes.isEmpty && !script) { r.append(.inlineCode(language: "javascript", code: "-")) }
    return r
}

/// Long node flags known to take no value (a flag we do not know might take one).
private func knownNodeFlag(_ n: String) -> Bool {
    let prefixes = ["--no-", "--experimental-", "--trace-", "--inspect", "--enable-", "--max-old-space-size",
                    "--harmony", "--expose-", "--frozen-intrinsics", "--preserve-symlinks", "--pending-deprecation",
                    "--throw-deprecation", "--abort-on-uncaught-exception", "--enable-source-maps", "--test",
                    "--watch", "--report-", "--cpu-prof", "--heap-prof", "--prof", "--use-", "--zero-fill-buffers",
                    "--insecure-http-parser", "--force-", "--verify-base-objects", "--allow-", "--permission",
                    "--disallow-code-generation-from-strings", "--deprecation", "--warnings", "--stack-size"]
    return prefixes.contains { n.hasPrefix($0) }
}

/// deno eval CODE → code; deno repl / deno (alone) / `deno run -` → stdin; deno task → unknown.
func denoInner(_ args: [String]) -> [Inner] {
    guard let sub = args.first else { return [.inlineCode(language: "javascript", code: "-")] }
    let rest = Array(args.dropFirst())
    switch sub {
    case "eval", "e":
        let ops = rest.filter { !$0.hasPrefix("-") }
        return [.inlineCode(language: "javascript", code: ops.joined(separator: " "))]
    case "repl": return [.inlineCode(language: "javascript", code: "-")]
    case "task": return [.unknown("deno task runs commands from the configuration")]
    case "run":
        if rest.contains("-") { return [.inlineCode(language: "javascript", code: "-")] }
        if let s = rest.first(where: { !$0.hasPrefix("-") }), s.hasPrefix("data:") {
            return [.inlineCode(language: "javascript", code: s)]
        }
        return []
    default: return []
    }
}

/// bun -e/--eval/-p/--print CODE; bun repl.
func bunInner(_ args: [String]) -> [Inner] {
    var r: [Inner] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if ["-e", "--eval", "-p", "--print"].contains(w), i + 1 < args.count {
            r.append(.inlineCode(language: "javascript", code: args[i + 1])); i += 2; continue
        }
        if w.hasPrefix("--eval=") || w.hasPrefix("--print=") {
            r.append(.inlineCode(language: "javascript", code: String(w.drop { $0 != "=" }.dropFirst())))
        }
        if !w.hasPrefix("-") {
            if w == "repl" { r.append(.inlineCode(language: "javascript", code: "-")) }
            break
        }
        i += 1
    }
    return r
}

// MARK: - Perl, Ruby

/// perl switches: clusters (`-lne`, `-pi.bak -e`, `-0777`); `-e`/`-E` CODE attached or next
/// (several are joined by newlines); `-i` eats the rest of its cluster (so `-pie X` makes
/// `e` the backup suffix and X the program file, as in perl); `-M`/`-m` attached only; a
/// module spec that is not a plain name is code (`-M'POSIX;system(…)'`).
func perlInner(_ args: [String]) -> [Inner] {
    var codes: [String] = []
    var stdin = false
    var i = 0
    argsLoop: while i < args.count {
        let w = args[i]
        if w == "--" { i += 1; break }
        if w == "-" { stdin = true; break }
        if !w.hasPrefix("-") || w.count < 2 { break }
        let cs = Array(w.dropFirst())
        var consumed = 1
        var j = 0
        cluster: while j < cs.count {
            let c = cs[j]
            let rest = j + 1 < cs.count ? String(cs[(j + 1)...]) : ""
            switch c {
            case "e", "E", "I":
                var v = rest
                if v.isEmpty {
                    guard i + 1 < args.count else { return [] }  // "No code specified for -e."
                    v = args[i + 1]; consumed = 2
                }
                if c != "I" { codes.append(v) }
                break cluster
            case "M", "m":
                guard !rest.isEmpty else { return [] }  // "Missing argument to -M."
                var mod = Substring(rest)
                if mod.hasPrefix("-") { mod = mod.dropFirst() }
                if let eq = mod.firstIndex(of: "=") { mod = mod[..<eq] }
                if mod.isEmpty || !mod.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" || $0 == "'" }) {
                    codes.append("use " + rest)
                }
                break cluster
            case "i", "x", "d", "D", "C", "F":
                break cluster  // optional attached value: the rest of the cluster
            case "V", "h", "v":
                return []
            case "l", "0":
                j += 1
                while j < cs.count && (cs[j].isHexDigit || (c == "0" && (cs[j] == "x" || cs[j] == "X"))) { j += 1 }
            case "a", "c", "n", "p", "s", "S", "t", "T", "u", "U", "w", "W", "X", "f":
                j += 1
            default:
                return [.unknown("perl: unrecognised switch -\(c)")]
            }
        }
        i += consumed
    }
    if !codes.isEmpty { return [.inlineCode(language: "perl", code: codes.joined(separator: "\n"))] }
    if stdin || i >= args.count { return [.inlineCode(language: "perl", code: "-")] }
    return []
}

func rubyInner(_ args: [String]) -> [Inner] {
    var codes: [String] = []
    var stdin = false
    var i = 0
    let longValued: Set<String> = ["--enable", "--disable", "--encoding", "--external-encoding", "--internal-encoding",
                                   "--dump", "--backtrace-limit", "--crash-report", "--parser"]
    while i < args.count {
        let w = args[i]
        if w == "--" { i += 1; break }
        if w == "-" { stdin = true; break }
        if !w.hasPrefix("-") || w.count < 2 { break }
        if w.hasPrefix("--") {
            let n = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            if n == "--version" || n == "--help" || n == "--copyright" { return [] }
            i += (longValued.contains(n) && !w.contains("=")) ? 2 : 1
            continue
        }
        let cs = Array(w.dropFirst())
        var consumed = 1
        var j = 0
        cluster: while j < cs.count {
            let c = cs[j]
            let rest = j + 1 < cs.count ? String(cs[(j + 1)...]) : ""
            switch c {
            case "e", "r", "I", "C", "E":
                var v = rest
                if v.isEmpty {
                    guard i + 1 < args.count else { return [] }
                    v = args[i + 1]; consumed = 2
                }
                if c == "e" { codes.append(v) }
                break cluster
            case "F", "i", "x", "W", "T", "K":
                break cluster
            case "h":
                return []
            case "0":
                j += 1
                while j < cs.count && cs[j].isHexDigit { j += 1 }
            case "l", "a", "n", "p", "s", "S", "c", "d", "v", "w", "y", "U":
                j += 1
            default:
                return [.unknown("ruby: unrecognised switch -\(c)")]
            }
        }
        i += consumed
    }
    if !codes.isEmpty { return [.inlineCode(language: "ruby", code: codes.joined(separator: "\n"))] }
    if stdin || i >= args.count { return [.inlineCode(language: "ruby", code: "-")] }
    return []
}

// MARK: - PHP, R, expect

/// php [-r CODE | -B/-R/-E CODE | -f FILE | FILE | -a | -S addr] …
func phpInner(_ args: [String]) -> [Inner] {
    let valued: Set<Character> = ["c", "d", "f", "r", "B", "R", "F", "E", "S", "t", "z"]
    let flags: Set<Character> = ["C", "e", "H", "n", "q", "s", "w"]
    var codes: [String] = []
    var file = false, interactive = false, server = false
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { i += 1; break }
        if !w.hasPrefix("-") || w == "-" { break }
        if w.hasPrefix("--") {
            let n = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            if ["--rf", "--rc", "--re", "--rz", "--ri", "--help", "--version", "--ini", "--info"].contains(n) { return [] }
            i += (["--php-ini", "--define", "--file", "--run", "--process-begin", "--process-code",
                   "--process-file", "--process-end", "--server", "--docroot", "--zend-extension"].contains(n) && !w.contains("=")) ? 2 : 1
            switch n {
            case "--run", "--process-begin", "--process-code", "--process-end":
                if let v = w.contains("=") ? String(w.drop { $0 != "=" }.dropFirst()) : (i - 1 < args.count ? args[i - 1] : nil) { codes.append(v) }
            case "--file", "--process-file": file = true
            case "--interactive": interactive = true
            case "--server": server = true
            default: break
            }
            continue
        }
        let c = w[w.index(after: w.startIndex)]
        let attached = String(w.dropFirst(2))
        if valued.contains(c) {
            var v = attached
            if v.isEmpty { guard i + 1 < args.count else { return [] }; v = args[i + 1]; i += 1 }
            switch c {
            case "r", "B", "R", "E": codes.append(v)
            case "f", "F": file = true
            case "S": server = true
            default: break
            }
        } else if c == "a" { interactive = true }
        else if ["h", "v", "i", "m", "l"].contains(c) { return [] }
        else if !flags.contains(c) { return [.unknown("php: unrecognised option \(w)")] }
        i += 1
    }
    var r = codes.map { Inner.inlineCode(language: "php", code: $0) }
    let script = file || (codes.isEmpty && i < args.count && args[i] != "-")
    if interactive || (!script && codes.isEmpty && !server) { r.append(.inlineCode(language: "php", code: "-")) }
    return r
}

/// Rscript [--opts] [-e EXPR…] [FILE] [args].
func rscriptInner(_ args: [String]) -> [Inner] {
    var codes: [String] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "-e" { guard i + 1 < args.count else { return [] }; codes.append(args[i + 1]); i += 2; continue }
        if w == "--version" || w == "--help" { return [] }
        if w == "-" { return [.inlineCode(language: "r", code: "-")] }
        if w.hasPrefix("--") { i += 1; continue }
        break
    }
    if !codes.isEmpty { return codes.map { .inlineCode(language: "r", code: $0) } }
    return []
}

/// R [--opts] [-e EXPR] [-f FILE | --file=FILE] …; `R CMD …` runs tools; otherwise R reads stdin.
func rInner(_ args: [String]) -> [Inner] {
    if args.first == "CMD" { return [.unknown("R CMD runs tools and package code")] }
    var codes: [String] = []
    var file = false
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "-e" { guard i + 1 < args.count else { return [] }; codes.append(args[i + 1]); i += 2; continue }
        if w == "-f" { file = true; i += 2; continue }
        if w.hasPrefix("--file=") { file = true }
        if w == "--version" || w == "--help" || w == "-h" { return [] }
        i += 1
    }
    if !codes.isEmpty { return codes.map { .inlineCode(language: "r", code: $0) } }
    return file ? [] : [.inlineCode(language: "r", code: "-")]
}

/// expect [-dDinN] [-c CMDS]… [[-f|-b] FILE | FILE | -] [args].
func expectInner(_ args: [String]) -> [Inner] {
    var codes: [String] = []
    var interactive = false, file = false, stdin = false
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { i += 1; break }
        if w == "-" { stdin = true; break }
        if !w.hasPrefix("-") { file = true; break }
        switch w {
        case "-c": guard i + 1 < args.count else { return [] }; codes.append(args[i + 1]); i += 1
        case "-f", "-b": guard i + 1 < args.count else { return [] }; file = true; i += 1
        case "-D": i += 1
        case "-i": interactive = true
        case "-d", "-n", "-N": break
        case "-v", "--version": return []
        default: return [.unknown("expect: unrecognised option \(w)")]
        }
        i += 1
    }
    if !file && !stdin && i < args.count { file = true }
    var r = codes.map { Inner.inlineCode(language: "expect", code: $0) }
    if interactive || stdin || (!file && codes.isEmpty) { r.append(.inlineCode(language: "expect", code: "-")) }
    return r
}

// MARK: - awk, sed

private let awkSpec: WrapOptSpec = {
    var short: [Character: Arity] = [:]
    for c in "FfvWeEil" { short[c] = .required }
    for c in "dDopL" { short[c] = .optional }
    for c in "bcCghIkMnNOPrsStVY" { short[c] = Arity.none }
    var long: [String: Arity] = [:]
    for n in ["field-separator", "file", "assign", "source", "exec", "include", "load", "locale"] { long[n] = .required }
    for n in ["lint", "profile", "dump-variables", "debug", "pretty-print", "persist"] { long[n] = .optional }
    for n in ["sandbox", "version", "help", "usage", "optimize", "no-optimize", "posix", "traditional", "re-interval",
              "characters-as-bytes", "bignum", "use-lc-numeric", "non-decimal-data", "gen-pot", "csv",
              "copyright", "trace", "lint-old", "compat"] { long[n] = Arity.none }
    return WrapOptSpec(short: short, long: long)
}()

/// The awk program of an awk command line: (program text, read from a file, sandboxed).
/// nil program: none given (or help/version).
func awkProgram(_ args: [String]) -> Result<(program: String?, fromFile: Bool, sandbox: Bool), ScanError> {
    switch scanAll(args, awkSpec, tool: "awk") {
    case .failure(let e): return .failure(e)
    case .success(let (opts, ops)):
        var codes: [String] = []
        var fromFile = false, sandbox = false
        for o in opts {
            switch o.name {
            case "-f", "--file", "-E", "--exec", "-i", "--include": fromFile = true
            case "-e", "--source": codes.append(o.value ?? "")
            case "-l", "--load": return .failure(ScanError("gawk loads an extension library"))
            case "-S", "--sandbox": sandbox = true
            case "--version", "--help", "--usage", "-V", "-h", "--copyright", "-C":
                return .success((nil, false, sandbox))
            case "-W":
                let v = o.value ?? ""
                let name = v.split(separator: "=", maxSplits: 1).first.map(String.init) ?? v
                if name.count >= 2 && "source".hasPrefix(name) { codes.append(String(v.drop { $0 != "=" }.dropFirst())) }
                else if name.count >= 1 && ("exec".hasPrefix(name) || "file".hasPrefix(name)) { fromFile = true }
                else if name == "sandbox" { sandbox = true }
                else if ["version", "usage", "help", "v", "u", "h"].contains(name) { return .success((nil, false, sandbox)) }
            default: break
            }
        }
        if !codes.isEmpty { return .success((codes.joined(separator: "\n"), fromFile, sandbox)) }
        if fromFile { return .success((nil, true, sandbox)) }
        return .success((ops.first, false, sandbox))
    }
}

/// awk [-F fs] [-v a=b] [-f file | -e text | 'program'] [files]: the program is inline code
/// (use `awkRunsCommands` to screen it). A program file cannot be screened: unknown, unless
/// gawk's sandbox (no system(), pipes or redirections) is on.
func awkInner(_ args: [String]) -> [Inner] {
    switch awkProgram(args) {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (program, fromFile, sandbox)):
        if fromFile && !sandbox { return [.unknown("awk program read from a file cannot be checked")] }
        guard let program else { return [] }
        return [.inlineCode(language: "awk", code: program)]
    }
}

private let sedSpec: WrapOptSpec = {
    var short: [Character: Arity] = [:]
    for c in "nrEsuzb" { short[c] = Arity.none }
    for c in "efl" { short[c] = .required }
    short["i"] = .optional
    let long: [String: Arity] = [
        "quiet": .none, "silent": .none, "debug": .none, "expression": .required, "file": .required,
        "follow-symlinks": .none, "in-place": .optional, "line-length": .required, "null-data": .none,
        "zero-terminated": .none, "posix": .none, "regexp-extended": .none, "separate": .none, "sandbox": .none,
        "unbuffered": .none, "binary": .none, "help": .none, "version": .none]
    return WrapOptSpec(short: short, long: long, permute: true)
}()

/// The sed script of a sed command line (-e parts joined by newlines, or the first operand).
/// `fromFile`: a -f script (not visible here).
func sedProgram(_ args: [String]) -> Result<(script: String?, fromFile: Bool, sandbox: Bool), ScanError> {
    switch scanAll(args, sedSpec, tool: "sed") {
    case .failure(let e): return .failure(e)
    case .success(let (opts, ops)):
        if opts.has("--help", "--version") { return .success((nil, false, false)) }
        let sandbox = opts.has("--sandbox")
        let exprs = opts.values("-e", "--expression")
        let fromFile = opts.has("-f", "--file")
        if !exprs.isEmpty || fromFile { return .success((exprs.isEmpty ? nil : exprs.joined(separator: "\n"), fromFile, sandbox)) }
        return .success((ops.first, false, sandbox))
    }
}

/// sed: inline code only when the script can execute (GNU `e` command, `s///e`); a -f script
/// is unknown (it could), unless --sandbox (which refuses e, r, w).
func sedInner(_ args: [String]) -> [Inner] {
    switch sedProgram(args) {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (script, fromFile, sandbox)):
        if sandbox { return [] }
        if fromFile { return [.unknown("sed script read from a file cannot be checked")] }
        guard let script, sedExecutes(script) else { return [] }
        return [.inlineCode(language: "sed", code: script)]
    }
}

/// The program text of an awk or sed command line, whether or not it runs anything (for
/// callers that screen it further, e.g. with `sedWrittenFiles`). nil: none visible.
public func inlineProgram(_ argv: [String]) -> (language: String, code: String)? {
    guard let first = argv.first else { return nil }
    let name = baseName(first)
    let args = Array(argv.dropFirst())
    if ["awk", "gawk", "mawk", "nawk", "original-awk", "bwk-awk"].contains(name),
       case .success(let p) = awkProgram(args), let code = p.program {
        return ("awk", code)
    }
    if name == "sed" || name == "gsed", case .success(let p) = sedProgram(args), let code = p.script {
        return ("sed", code)
    }
    return nil
}
