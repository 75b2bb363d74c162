// Commands that run commands: wrappers (env, sudo, xargs, timeout…), shells, interpreters'
// inline code, and tools with options that execute something (find -exec, git -c, tar …).
//
// `innerCommands` looks one level deep; the caller recurses (checking each inner argv against
// the policy as if typed, parsing shell scripts itself). Every tool is parsed with its real
// option syntax, so the option values (`timeout -s KILL 5 rm`, `sudo -u root rm`) are not
// mistaken for the command. An option a tool does not have yields `.unknown`: the real tool
// would fail on it, and guessing whether it takes a value could hide the real command.
//
// Files: Wrappers.swift (this: the model, dispatch, option scanner, process wrappers),
// WrappersShells.swift (shells and interpreters), WrappersTools.swift (find, git, tar, ssh …).

/// What a command line makes run besides the program itself.
public enum Inner: Equatable, Sendable {
    /// Run this argv directly. `env`: NAME=value assignments the wrapper adds (`env FOO=1 cmd`,
    /// `sudo FOO=1 cmd`, `strace -E FOO=1 cmd`).
    case argv([String], env: [String])
    /// A POSIX shell runs `script` (`sh -c script name args…`, or a tool that runs its option
    /// value through `sh -c`: `tar --to-command`, `flock -c`, `watch`, `su -c`, git `!` aliases…).
    /// When the wrapper is not itself replaced by aegish, the caller must analyse it statically.
    case shellScript(String, argv0: String?, args: [String])
    /// A shell runs this script file with these arguments.
    case shellFile(String, args: [String])
    /// An interpreter runs code given on the command line. `code == "-"`: the code comes from
    /// standard input (`python3 -`, `python3` alone, `perl` with no program, REPLs).
    /// Languages: python, javascript, perl, ruby, php, lua, r, awk, sed, expect, tcl.
    case inlineCode(language: String, code: String)
    /// What runs cannot be told (the reason says why): the caller refuses.
    case unknown(String)
}

/// The last path component (`/usr/bin/env` → `env`).
func baseName(_ s: String) -> String {
    var t = Substring(s)
    while t.count > 1 && t.hasSuffix("/") { t = t.dropLast() }
    if let slash = t.lastIndex(of: "/") { return String(t[t.index(after: slash)...]) }
    return String(t)
}

/// What `argv` (argv[0] included, possibly a path) makes run besides itself, one level deep.
/// `[]` if nothing else (or if the tool would refuse the command line without running
/// anything, e.g. `timeout 5` with no command). Several results for several `-exec`s etc.
public func innerCommands(_ argv: [String]) -> [Inner] {
    guard let first = argv.first else { return [] }
    let name = baseName(first)
    let args = Array(argv.dropFirst())
    if let h = wrapperHandler(name) { return h(name, args) }
    if shellNames.contains(name) { return shellInner(name, args) }
    if otherShellNames.contains(name) { return otherShellInner(name, args) }
    if isPythonName(name) { return pythonInner(args) }
    if isLuaName(name) { return luaInner(args) }
    return []
}

typealias Handler = (_ name: String, _ args: [String]) -> [Inner]

/// The handler for a program that runs other programs, by name (a switch: no table is built
/// at startup, where a dictionary of ~100 closures cost ~40 µs on the first decision).
func wrapperHandler(_ name: String) -> Handler? {
    switch name {
    case "env": return { _, a in envInner(a) }
    case "xargs": return { _, a in xargsInner(a) }
    case "nice": return { _, a in niceInner(a) }
    case "nohup": return { _, a in simpleWrapper("nohup", a, WrapOptSpec(long: ["help": .none, "version": .none])) }
    case "timeout": return { _, a in timeoutInner(a) }
    case "time": return { _, a in simpleWrapper("time", a, WrapOptSpec(
        short: ["a": .none, "p": .none, "q": .none, "v": .none, "V": .none, "f": .required, "o": .required],
        long: ["append": .none, "format": .required, "output": .required, "portability": .none,
               "quiet": .none, "verbose": .none, "help": .none, "version": .none])) }
    case "stdbuf": return { _, a in simpleWrapper("stdbuf", a, WrapOptSpec(
        short: ["i": .required, "o": .required, "e": .required],
        long: ["input": .required, "output": .required, "error": .required, "help": .none, "version": .none])) }
    case "setsid": return { _, a in simpleWrapper("setsid", a, WrapOptSpec(
        short: ["c": .none, "f": .none, "w": .none, "h": .none, "V": .none],
        long: ["ctty": .none, "fork": .none, "wait": .none, "help": .none, "version": .none])) }
    case "unbuffer": return { _, a in simpleWrapper("unbuffer", a, WrapOptSpec(short: ["p": .none])) }
    case "eatmydata": return { _, a in simpleWrapper("eatmydata", a, WrapOptSpec(long: ["help": .none, "version": .none])) }
    case "ionice": return { _, a in ioniceInner(a) }
    case "taskset": return { _, a in tasksetInner(a) }
    case "chrt": return { _, a in chrtInner(a) }
    case "flock": return { _, a in flockInner(a) }
    case "watch": return { _, a in watchInner(a) }
    case "sudo": return { _, a in sudoInner(a) }
    case "sudoedit": return { _, _ in [.unknown("sudoedit runs an editor")] }
    case "doas": return { _, a in doasInner(a) }
    case "pkexec": return { _, a in pkexecInner(a) }
    case "chroot": return { _, a in chrootInner(a) }
    case "su": return { _, a in suInner("su", a) }
    case "runuser": return { _, a in runuserInner(a) }
    case "sg": return { _, a in sgInner(a) }
    case "strace": return { _, a in straceInner(a) }
    case "ltrace": return { _, a in ltraceInner(a) }
    case "busybox": return { _, a in busyboxInner(a) }
    case "nsenter": return { _, a in nsenterInner(a) }
    case "unshare": return { _, a in unshareInner(a) }
    case "script": return { _, a in scriptInner(a) }
    case "valgrind": return { _, a in valgrindInner(a) }
    case "systemd-run": return { _, _ in [.unknown("systemd-run runs commands as a service")] }
    case "parallel": return { _, _ in [.unknown("GNU parallel builds commands from its input and runs them through a shell")] }
    case "gdb": return { _, a in onlyVersionOrHelp(a) ? [] : [.unknown("gdb can run programs and shell commands")] }
    default: return toolHandler(name) ?? extraToolHandler(name) ?? interpreterHandler(name)
    }
}

func onlyVersionOrHelp(_ a: [String]) -> Bool {
    a.count == 1 && ["--version", "--help", "-v", "-V", "-h"].contains(a[0])
}

// MARK: - Option scanner (GNU getopt_long semantics, per tool)

enum Arity { case none, required, optional }

/// A tool's options. Short options by letter, long ones by name without `--`.
struct WrapOptSpec {
    var short: [Character: Arity] = [:]
    var long: [String: Arity] = [:]
    /// GNU permutation: options may follow operands. Otherwise ("+" in the optstring, what
    /// command-running tools use) the first operand ends the options.
    var permute = false
    /// coreutils `nice`: `-10`, `--10`, `-+10` are adjustments.
    var legacyNumeric = false
}

struct FoundOption {
    /// `-x` or the full long name `--signal` (abbreviations resolved).
    var name: String
    var value: String?
    var index: Int
}

enum ScanEvent {
    case option(FoundOption)
    case operand(String, Int)
    /// Options ended (stop mode: `pos` is at the first operand; after `--`, past it).
    case end
    case error(String)
}

struct OptScanner {
    var words: [String]
    var pos = 0
    /// Index inside a short cluster (0: at a new word).
    var sub = 0
    let spec: WrapOptSpec
    let tool: String
    var afterDashDash = false

    init(_ words: [String], _ spec: WrapOptSpec, tool: String) { self.words = words; self.spec = spec; self.tool = tool }

    func resolve(_ written: String) -> Result<(String, Arity), ScanError> {
        if let a = spec.long[written] { return .success((written, a)) }
        let cands = spec.long.keys.filter { $0.hasPrefix(written) }
        if cands.count == 1 { return .success((cands[0], spec.long[cands[0]]!)) }
        if cands.isEmpty { return .failure(ScanError("\(tool): unrecognised option '--\(written)'")) }
        return .failure(ScanError("\(tool): ambiguous option '--\(written)'"))
    }

    mutating func next() -> ScanEvent {
        while true {
            guard pos < words.count else { return .end }
            let w = words[pos]
            if sub == 0 {
                if afterDashDash {
                    if spec.permute { pos += 1; return .operand(w, pos - 1) }
                    return .end
                }
                if w == "--" { pos += 1; afterDashDash = true; if !spec.permute { return .end }; continue }
                if w == "-" || !w.hasPrefix("-") {
                    if spec.permute { pos += 1; return .operand(w, pos - 1) }
                    return .end
                }
                if spec.legacyNumeric, isLegacyNumeric(w) {
                    pos += 1; return .option(FoundOption(name: "-N", value: String(w.dropFirst()), index: pos - 1))
                }
                if w.hasPrefix("--") {
                    let body = w.dropFirst(2)
                    let eq = body.firstIndex(of: "=")
                    let written = String(eq.map { body[..<$0] } ?? body)
                    switch resolve(written) {
                    case .failure(let e): return .error(e.message)
                    case .success(let (full, arity)):
                        let idx = pos
                        pos += 1
                        if let eq {
                            if arity == .none { return .error("\(tool): option '--\(full)' doesn't allow an argument") }
                            return .option(FoundOption(name: "--" + full, value: String(body[body.index(after: eq)...]), index: idx))
                        }
                        if arity == .required {
                            guard pos < words.count else { return .error("\(tool): option '--\(full)' requires an argument") }
                            pos += 1
                            return .option(FoundOption(name: "--" + full, value: words[pos - 1], index: idx))
                        }
                        return .option(FoundOption(name: "--" + full, value: nil, index: idx))
                    }
                }
                sub = 1
            }
            let cs = Array(w)
            if sub >= cs.count { sub = 0; pos += 1; continue }
            let c = cs[sub]
            guard let arity = spec.short[c] else { return .error("\(tool): invalid option -- '\(c)'") }
            let idx = pos
            switch arity {
            case .none:
                sub += 1
                if sub >= cs.count { sub = 0; pos += 1 }
                return .option(FoundOption(name: "-" + String(c), value: nil, index: idx))
            case .optional:
                let rest = sub + 1 < cs.count ? String(cs[(sub + 1)...]) : nil
                sub = 0; pos += 1
                return .option(FoundOption(name: "-" + String(c), value: rest, index: idx))
            case .required:
                if sub + 1 < cs.count {
                    let rest = String(cs[(sub + 1)...])
                    sub = 0; pos += 1
                    return .option(FoundOption(name: "-" + String(c), value: rest, index: idx))
                }
                sub = 0; pos += 1
                guard pos < words.count else { return .error("\(tool): option requires an argument -- '\(c)'") }
                pos += 1
                return .option(FoundOption(name: "-" + String(c), value: words[pos - 1], index: idx))
            }
        }
    }

    /// The words from the first operand on (stop mode, after `.end`).
    var rest: [String] { pos < words.count ? Array(words[pos...]) : [] }
}

struct ScanError: Error { let message: String; init(_ m: String) { message = m } }

func isLegacyNumeric(_ w: String) -> Bool {
    let cs = Array(w)
    guard cs.count >= 2, cs[0] == "-" else { return false }
    var k = 1
    if cs[1] == "-" || cs[1] == "+" { k = 2 }
    return k < cs.count && cs[k].isASCII && cs[k].isNumber
}

/// Scan all options (stop mode unless the spec permutes). Returns the options and the operands
/// (stop mode: the words from the first operand on), or the error.
func scanAll(_ words: [String], _ spec: WrapOptSpec, tool: String) -> Result<(opts: [FoundOption], operands: [String]), ScanError> {
    var sc = OptScanner(words, spec, tool: tool)
    var opts: [FoundOption] = []
    var ops: [String] = []
    loop: while true {
        switch sc.next() {
        case .option(let o): opts.append(o)
        case .operand(let w, _): ops.append(w)
        case .end: break loop
        case .error(let m): return .failure(ScanError(m))
        }
    }
    if !spec.permute { ops = sc.rest }
    return .success((opts, ops))
}

extension Array where Element == FoundOption {
    func has(_ names: String...) -> Bool { contains { names.contains($0.name) } }
    func values(_ names: String...) -> [String] { filter { names.contains($0.name) }.compactMap { $0.value } }
}

/// Help/version options make a tool print and exit.
private func printsAndExits(_ opts: [FoundOption]) -> Bool { opts.has("--help", "--version") }

/// `tool [options] command args…`: the command is everything after the options.
func simpleWrapper(_ tool: String, _ args: [String], _ spec: WrapOptSpec) -> [Inner] {
    switch scanAll(args, spec, tool: tool) {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || rest.isEmpty { return [] }
        return [.argv(rest, env: [])]
    }
}

// MARK: - Substitution into commands (xargs -I, find -exec {})

/// Does putting `placeholder`'s replacement into `cmd` decide what runs — the program itself,
/// a script file, or code? (Looks one level into `cmd` with `innerCommands`.)
func substitutionRunsCode(_ cmd: [String], _ placeholder: String) -> Bool {
    guard let first = cmd.first else { return false }
    if first.contains(placeholder) { return true }
    for inner in innerCommands(cmd) {
        switch inner {
        case .argv(let a, let env):
            if a.first?.contains(placeholder) == true { return true }
            if env.contains(where: { $0.contains(placeholder) }) { return true }
        case .shellScript(let s, _, _): if s.contains(placeholder) { return true }
        case .shellFile(let f, _): if f.contains(placeholder) { return true }
        case .inlineCode(_, let code): if code.contains(placeholder) { return true }
        case .unknown: break
        }
    }
    return false
}

private let appendedProbe = "\u{1}aegish-input\u{1}"

// MARK: - env

private let envSpec = WrapOptSpec(
    short: ["i": .none, "0": .none, "u": .required, "C": .required, "S": .required, "v": .none],
    long: ["ignore-environment": .none, "null": .none, "unset": .required, "chdir": .required,
           "split-string": .required, "block-signal": .optional, "default-signal": .optional,
           "ignore-signal": .optional, "list-signal-handling": .none, "debug": .none,
           "help": .none, "version": .none])

/// env [-i] [-u NAME] [-C DIR] [-S STRING] [-] [NAME=VALUE…] [COMMAND [ARG…]]. `-S` splits
/// its string as coreutils does and parses the result as further arguments (options too).
func envInner(_ args: [String]) -> [Inner] {
    var sc = OptScanner(args, envSpec, tool: "env")
    loop: while true {
        switch sc.next() {
        case .option(let o):
            if o.name == "--help" || o.name == "--version" { return [] }
            if o.name == "-S" || o.name == "--split-string" {
                guard let parts = envSplitString(o.value ?? "") else {
                    return [.unknown("env -S string uses ${VAR} expansion or is malformed")]
                }
                sc.words = parts + Array(sc.words[sc.pos...])
                sc.pos = 0; sc.sub = 0
            }
        case .operand: break
        case .end: break loop
        case .error(let m): return [.unknown(m)]
        }
    }
    var rest = sc.rest
    if rest.first == "-" { rest.removeFirst() }  // `-` implies -i
    var env: [String] = []
    while let w = rest.first, w.contains("=") { env.append(w); rest.removeFirst() }
    if rest.isEmpty { return [] }
    return [.argv(rest, env: env)]
}

/// coreutils `env -S` splitting: whitespace separates; '…' literal except \\ and \'; "…" with
/// escapes; outside quotes \_ separates, \c ends; `#` at a word start comments out the rest;
/// `${VAR}` expands (nil: cannot be known here); anything invalid gives nil.
func envSplitString(_ s: String) -> [String]? {
    var words: [String] = []
    var cur = ""
    var inWord = false
    enum Q { case none, single, double }
    var q = Q.none
    let cs = Array(s)
    var i = 0
    func endWord() { if inWord { words.append(cur); cur = ""; inWord = false } }
    func control(_ c: Character) -> Character? {
        switch c {
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        default: return nil
        }
    }
    outer: while i < cs.count {
        let c = cs[i]
        switch q {
        case .single:
            if c == "'" { q = .none; i += 1; continue }
            if c == "\\" && i + 1 < cs.count && (cs[i + 1] == "\\" || cs[i + 1] == "'") { cur.append(cs[i + 1]); i += 2; continue }
            cur.append(c); i += 1
        case .double, .none:
            if q == .double && c == "\"" { q = .none; i += 1; continue }
            if q == .none {
                if c == " " || c == "\t" || c == "\n" || c == "\u{0B}" || c == "\u{0C}" || c == "\r" { endWord(); i += 1; continue }
                if c == "#" && !inWord { break outer }
                if c == "'" { q = .single; inWord = true; i += 1; continue }
                if c == "\"" { q = .double; inWord = true; i += 1; continue }
            }
            if c == "$" { return nil }  // ${VAR} (or an error)
            if c == "\\" {
                guard i + 1 < cs.count else { return nil }
                let e = cs[i + 1]
                i += 2
                switch e {
                case "_":
                    if q == .double { cur.append(" ") } else { endWord() }
                case "c":
                    if q == .double { return nil }
                    break outer
                case "\\", "'", "\"", "#", "$", " ":
                    cur.append(e); inWord = true
                default:
                    guard let ctl = control(e) else { return nil }
                    cur.append(ctl); inWord = true
                }
                continue
            }
            cur.append(c); inWord = true; i += 1
        }
    }
    if q != .none { return nil }
    endWord()
    return words
}

// MARK: - xargs

let xargsSpec = WrapOptSpec(
    short: ["0": .none, "a": .required, "E": .required, "e": .optional, "i": .optional, "I": .required,
            "l": .optional, "L": .required, "n": .required, "o": .none, "p": .none, "P": .required,
            "r": .none, "s": .required, "t": .none, "x": .none, "d": .required],
    long: ["null": .none, "arg-file": .required, "delimiter": .required, "eof": .optional,
           "replace": .optional, "max-lines": .optional, "max-args": .required, "open-tty": .none,
           "max-procs": .required, "interactive": .none, "process-slot-var": .required,
           "no-run-if-empty": .none, "max-chars": .required, "show-limits": .none, "verbose": .none,
           "exit": .none, "help": .none, "version": .none])

/// xargs [options] [command [initial-args]]: the command with its fixed args (`echo` if none).
/// The input words are data appended (or, with -I/-i, substituted) at run time; when they
/// would decide what runs — the command name itself, a wrapper's command (`xargs env`),
/// a script file (`xargs sh`), or code (`xargs -I{} sh -c 'echo {}'`) — the answer is unknown.
func xargsInner(_ args: [String]) -> [Inner] {
    switch scanAll(args, xargsSpec, tool: "xargs") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if opts.has("--help", "--version", "--show-limits") && rest.isEmpty { return [] }
        var replace: String? = nil
        for o in opts {
            if o.name == "-I" { replace = o.value }
            if o.name == "-i" || o.name == "--replace" { replace = o.value ?? "{}" }
        }
        let cmd = rest.isEmpty ? ["echo"] : rest
        if let r = replace, !r.isEmpty {
            if substitutionRunsCode(cmd, r) { return [.unknown("xargs substitutes its input into the command or code it runs")] }
        } else if substitutionRunsCode(cmd + [appendedProbe], appendedProbe) {
            return [.unknown("xargs appends its input where it decides what runs")]
        }
        return [.argv(cmd, env: [])]
    }
}

// MARK: - nice, timeout, ionice, taskset, chrt

func niceInner(_ args: [String]) -> [Inner] {
    simpleWrapper("nice", args, WrapOptSpec(short: ["n": .required],
                                        long: ["adjustment": .required, "help": .none, "version": .none],
                                        legacyNumeric: true))
}

func timeoutInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(short: ["k": .required, "s": .required, "v": .none],
                       long: ["preserve-status": .none, "foreground": .none, "kill-after": .required,
                              "signal": .required, "verbose": .none, "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "timeout") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || rest.count < 2 { return [] }
        return [.argv(Array(rest.dropFirst()), env: [])]  // rest[0] is the DURATION
    }
}

func ioniceInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(short: ["c": .required, "n": .required, "p": .none, "P": .none, "u": .none,
                               "t": .none, "h": .none, "V": .none],
                       long: ["class": .required, "classdata": .required, "pid": .none, "pgid": .none,
                              "uid": .none, "ignore": .none, "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "ionice") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        // -p/-P/-u: the operands are process/group/user ids.
        if opts.has("-p", "-P", "-u", "--pid", "--pgid", "--uid", "-h", "-V", "--help", "--version") || rest.isEmpty { return [] }
        return [.argv(rest, env: [])]
    }
}

func tasksetInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(short: ["a": .none, "p": .none, "c": .none, "h": .none, "V": .none],
                       long: ["all-tasks": .none, "pid": .none, "cpu-list": .none, "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "taskset") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if opts.has("-p", "--pid", "-h", "-V", "--help", "--version") || rest.count < 2 { return [] }
        return [.argv(Array(rest.dropFirst()), env: [])]  // rest[0] is the mask / cpu list
    }
}

func chrtInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "abdfimoprRvhV" { short[c] = Arity.none }
    for c in "TPD" { short[c] = .required }
    let spec = WrapOptSpec(short: short, long: [
        "all-tasks": .none, "batch": .none, "deadline": .none, "fifo": .none, "idle": .none, "max": .none,
        "other": .none, "pid": .none, "rr": .none, "reset-on-fork": .none, "verbose": .none, "help": .none,
        "version": .none, "sched-runtime": .required, "sched-period": .required, "sched-deadline": .required])
    switch scanAll(args, spec, tool: "chrt") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if opts.has("-p", "--pid", "-m", "--max", "-h", "-V", "--help", "--version") { return [] }
        var cmd = rest
        // The priority comes first; newer chrt lets it be omitted for policies without one.
        if let p = cmd.first, !p.isEmpty, p.allSatisfy({ $0.isASCII && $0.isNumber }) { cmd.removeFirst() }
        return cmd.isEmpty ? [] : [.argv(cmd, env: [])]
    }
}

// MARK: - flock, watch

/// flock [options] FILE COMMAND [ARGS] | flock [options] FILE -c COMMAND | flock [options] FD.
func flockInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "sexnoFuhV" { short[c] = Arity.none }
    for c in "wE" { short[c] = .required }
    let spec = WrapOptSpec(short: short, long: [
        "shared": .none, "exclusive": .none, "unlock": .none, "nonblock": .none, "nb": .none,
        "timeout": .required, "wait": .required, "conflict-exit-code": .required, "close": .none,
        "no-fork": .none, "verbose": .none, "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "flock") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || opts.has("-h", "-V") || rest.count < 2 { return [] }
        if rest[1] == "-c" || rest[1] == "--command" {
            guard rest.count == 3 else { return [] }  // flock refuses anything else
            return [.shellScript(rest[2], argv0: nil, args: [])]
        }
        return [.argv(Array(rest.dropFirst()), env: [])]
    }
}

/// watch runs its arguments joined with spaces through `sh -c`; with -x/--exec it execs them.
func watchInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "bcegptwxhv" { short[c] = Arity.none }
    short["d"] = .optional
    short["q"] = .required; short["n"] = .required
    let spec = WrapOptSpec(short: short, long: [
        "beep": .none, "color": .none, "no-color": .none, "differences": .optional, "errexit": .none,
        "chgexit": .none, "equexit": .required, "interval": .required, "precise": .none,
        "no-title": .none, "no-wrap": .none, "no-linewrap": .none, "exec": .none, "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "watch") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || opts.has("-h", "-v") || rest.isEmpty { return [] }
        if opts.has("-x", "--exec") { return [.argv(rest, env: [])] }
        return [.shellScript(rest.joined(separator: " "), argv0: nil, args: [])]
    }
}

// MARK: - sudo, doas, pkexec, chroot, su, runuser, sg

func sudoInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "AbBEeHiKklNnPSsVv" { short[c] = Arity.none }
    for c in "CDgprRTtUu" { short[c] = .required }
    short["h"] = .optional
    let spec = WrapOptSpec(short: short, long: [
        "askpass": .none, "background": .none, "bell": .none, "close-from": .required, "chdir": .required,
        "preserve-env": .optional, "edit": .none, "group": .required, "set-home": .none, "help": .none,
        "host": .required, "login": .none, "remove-timestamp": .none, "reset-timestamp": .none,
        "list": .none, "non-interactive": .none, "preserve-groups": .none, "prompt": .required,
        "chroot": .required, "role": .required, "stdin": .none, "shell": .none, "type": .required,
        "command-timeout": .required, "other-user": .required, "user": .required, "version": .none,
        "validate": .none, "no-update": .none])
    switch scanAll(args, spec, tool: "sudo") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, restIn)):
        if opts.has("-e", "--edit") { return [.unknown("sudo -e runs an editor")] }
        if opts.has("-i", "-s", "--login", "--shell") { return [.unknown("sudo -i/-s runs a shell")] }
        if opts.has("-l", "--list", "-v", "--validate", "-V", "--version", "--help", "-K", "--remove-timestamp")
            || opts.contains(where: { $0.name == "-h" && $0.value == nil }) { return [] }
        var rest = restIn
        var env: [String] = []
        while let w = rest.first, w.contains("="), !w.hasPrefix("=") { env.append(w); rest.removeFirst() }
        if rest.isEmpty { return [] }
        return [.argv(rest, env: env)]
    }
}

func doasInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(short: ["L": .none, "n": .none, "s": .none, "C": .required, "u": .required])
    switch scanAll(args, spec, tool: "doas") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if opts.has("-s") { return [.unknown("doas -s runs a shell")] }
        if opts.has("-L", "-C") || rest.isEmpty { return [] }
        return [.argv(rest, env: [])]
    }
}

func pkexecInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(long: ["user": .required, "disable-internal-agent": .none, "keep-cwd": .none,
                              "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "pkexec") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) { return [] }
        if rest.isEmpty { return [.unknown("pkexec without a program runs a shell")] }
        return [.argv(rest, env: [])]
    }
}

/// chroot [--userspec=U:G] [--groups=G] [--skip-chdir] NEWROOT [COMMAND [ARG…]]. The command
/// is looked up inside NEWROOT.
func chrootInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(long: ["groups": .required, "userspec": .required, "skip-chdir": .none,
                              "help": .none, "version": .none])
    switch scanAll(args, spec, tool: "chroot") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || rest.isEmpty { return [] }
        if rest.count == 1 { return [.unknown("chroot without a command runs an interactive shell")] }
        return [.argv(Array(rest.dropFirst()), env: [])]
    }
}

private var suShort: [Character: Arity] {
    var s: [Character: Arity] = [:]
    for c in "flmpPhV" { s[c] = Arity.none }
    for c in "cgGsw" { s[c] = .required }
    return s
}
private let suLong: [String: Arity] = [
    "command": .required, "session-command": .required, "fast": .none, "group": .required,
    "supp-group": .required, "login": .none, "preserve-environment": .none, "pty": .none,
    "shell": .required, "whitelist-environment": .required, "help": .none, "version": .none]

/// su [options] [-] [USER [ARG…]]: `-c CMD` runs CMD with the target user's shell (-c);
/// anything else runs that shell interactively or with arguments: unknown.
func suInner(_ tool: String, _ args: [String]) -> [Inner] {
    switch scanAll(args, WrapOptSpec(short: suShort, long: suLong, permute: true), tool: tool) {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, operandsIn)):
        if printsAndExits(opts) || opts.has("-h", "-V") { return [] }
        var operands = operandsIn
        if operands.first == "-" { operands.removeFirst() }
        let cmds = opts.values("-c", "--command", "--session-command")
        guard let cmd = cmds.last else { return [.unknown("\(tool) without -c runs a shell")] }
        if operands.count > 1 { return [.unknown("\(tool) passes extra arguments to the user's shell")] }
        if let sh = opts.values("-s", "--shell").last, !shellNames.contains(baseName(sh)) {
            return [.unknown("\(tool) -s runs \(sh)")]
        }
        return [.shellScript(cmd, argv0: nil, args: [])]
    }
}

/// runuser -u USER [--] COMMAND [ARG…] execs the command; otherwise it behaves like su.
func runuserInner(_ args: [String]) -> [Inner] {
    var short = suShort
    short["u"] = .required
    var long = suLong
    long["user"] = .required
    if case .success(let (opts, rest)) = scanAll(args, WrapOptSpec(short: short, long: long), tool: "runuser"),
       opts.has("-u", "--user") {
        if opts.has("-c", "--command", "--session-command", "-s", "--shell", "-l", "--login") {
            return [.unknown("runuser: -u with su-style options")]
        }
        return rest.isEmpty ? [.unknown("runuser without a command runs a shell")] : [.argv(rest, env: [])]
    }
    return suInner("runuser", args)
}

/// sg [-] GROUP [-c] COMMAND: the command runs through /bin/sh -c.
func sgInner(_ args: [String]) -> [Inner] {
    var rest = args
    if rest.first == "-" { rest.removeFirst() }
    guard !rest.isEmpty else { return [] }
    if rest[0].hasPrefix("-") { return onlyVersionOrHelp(rest) ? [] : [.unknown("sg: unrecognised option")] }
    rest.removeFirst()
    if rest.first == "-c" { rest.removeFirst() }
    if rest.isEmpty { return [.unknown("sg without a command runs a shell")] }
    return [.shellScript(rest.joined(separator: " "), argv0: nil, args: [])]
}

// MARK: - strace, ltrace, valgrind

func straceInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "AcCdDfFhikNnqrtTvVwxyYzZ" { short[c] = Arity.none }
    for c in "abeEIoOpPsSuUX" { short[c] = .required }
    var long: [String: Arity] = [:]
    for n in ["attach", "user", "env", "detach-on", "interruptible", "trace", "signal", "status", "trace-path",
              "columns", "abbrev", "verbose", "raw", "read", "write", "kvm", "decode-fds", "output",
              "string-limit", "summary-sort-by", "summary-columns", "summary-syscall-overhead", "inject",
              "fault", "const-print-style", "syscall-limit", "trace-fds", "decode-pids", "secontext", "tips"] {
        long[n] = .required
    }
    for n in ["quiet", "daemonize", "relative-timestamps", "absolute-timestamps", "timestamps", "syscall-times",
              "stack-traces", "instruction-pointer", "summary", "summary-only", "summary-wall-clock",
              "follow-forks", "output-separately", "seccomp-bpf", "successful-only", "failed-only",
              "syscall-number", "output-append-mode", "no-abbrev", "help", "version", "debug",
              "always-show-pid", "kill-on-exit", "argv0"] {
        long[n] = long[n] ?? .optional
    }
    long["argv0"] = .required
    switch scanAll(args, WrapOptSpec(short: short, long: long), tool: "strace") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || opts.has("-h", "-V") { return [] }
        // `-o '|cmd'` / `-o '!cmd'` pipes the trace into a shell command.
        var out: [Inner] = opts.values("-o", "--output").filter { $0.hasPrefix("|") || $0.hasPrefix("!") }
            .map { .shellScript(String($0.dropFirst()), argv0: nil, args: []) }
        let env = opts.values("-E", "--env").filter { $0.contains("=") }
        if !rest.isEmpty { out.append(.argv(rest, env: env)) }
        return out
    }
}

func ltraceInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "bcCfhiLrStTV" { short[c] = Arity.none }
    for c in "aADeFlnopsuwx" { short[c] = .required }
    let long: [String: Arity] = ["align": .required, "config": .required, "demangle": .none, "debug": .required,
                                 "library": .required, "output": .required, "indent": .required,
                                 "where": .required, "help": .none, "version": .none, "no-signals": .none]
    return simpleWrapper("ltrace", args, WrapOptSpec(short: short, long: long))
}

func valgrindInner(_ args: [String]) -> [Inner] {
    var rest = args
    while let w = rest.first, w.hasPrefix("-") {
        if w == "--" { rest.removeFirst(); break }
        if ["--help", "-h", "--version", "--help-debug"].contains(w) { return [] }
        if w.contains("command") || w.hasPrefix("--db-") { return [.unknown("valgrind \(w) runs a command")] }
        rest.removeFirst()
    }
    return rest.isEmpty ? [] : [.argv(rest, env: [])]
}

// MARK: - busybox, nsenter, unshare, script

/// busybox APPLET ARGS: the applet runs like the command of that name (`busybox sh -c …` is
/// returned as the argv `sh -c …`, which the caller sees as a shell).
func busyboxInner(_ args: [String]) -> [Inner] {
    guard let applet = args.first, !applet.hasPrefix("-") else { return [] }
    return [.argv(args, env: [])]
}

func nsenterInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "aFZhVec" { short[c] = Arity.none }
    for c in "muinpCUTrw" { short[c] = .optional }
    for c in "tSGW" { short[c] = .required }
    var long: [String: Arity] = ["all": .none, "target": .required, "setuid": .required, "setgid": .required,
                                 "preserve-credentials": .none, "wdns": .required, "no-fork": .none,
                                 "follow-context": .none, "help": .none, "version": .none, "env": .none,
                                 "keep-caps": .none, "join-cgroup": .none, "user-parent": .none]
    for n in ["mount", "uts", "ipc", "net", "pid", "cgroup", "user", "time", "root", "wd"] { long[n] = .optional }
    switch scanAll(args, WrapOptSpec(short: short, long: long), tool: "nsenter") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || opts.has("-h", "-V") { return [] }
        return rest.isEmpty ? [.unknown("nsenter without a program runs a shell")] : [.argv(rest, env: [])]
    }
}

func unshareInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "frchV" { short[c] = Arity.none }
    for c in "muinpUCT" { short[c] = .optional }
    for c in "RwSGl" { short[c] = .required }
    var long: [String: Arity] = ["fork": .none, "map-user": .required, "map-group": .required,
                                 "map-root-user": .none, "map-current-user": .none, "map-auto": .none,
                                 "map-users": .required, "map-groups": .required, "kill-child": .optional,
                                 "mount-proc": .optional, "mount-binfmt": .optional, "propagation": .required,
                                 "setgroups": .required, "keep-caps": .none, "root": .required, "wd": .required,
                                 "setuid": .required, "setgid": .required, "monotonic": .required,
                                 "boottime": .required, "load-interp": .required, "help": .none, "version": .none]
    for n in ["mount", "uts", "ipc", "net", "pid", "user", "cgroup", "time"] { long[n] = .optional }
    switch scanAll(args, WrapOptSpec(short: short, long: long), tool: "unshare") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if printsAndExits(opts) || opts.has("-h", "-V") { return [] }
        return rest.isEmpty ? [.unknown("unshare without a program runs a shell")] : [.argv(rest, env: [])]
    }
}

/// script [options] [file]: `-c CMD` runs CMD through the user's shell; without it an
/// interactive shell.
func scriptInner(_ args: [String]) -> [Inner] {
    var short: [Character: Arity] = [:]
    for c in "aefqhV" { short[c] = Arity.none }
    for c in "IOBTmEoc" { short[c] = .required }
    short["t"] = .optional
    let long: [String: Arity] = ["log-in": .required, "log-out": .required, "log-io": .required,
                                 "log-timing": .required, "timing": .optional, "logging-format": .required,
                                 "append": .none, "command": .required, "return": .none, "flush": .none,
                                 "force": .none, "echo": .required, "output-limit": .required, "quiet": .none,
                                 "help": .none, "version": .none]
    switch scanAll(args, WrapOptSpec(short: short, long: long, permute: true), tool: "script") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, _)):
        if printsAndExits(opts) || opts.has("-h", "-V") { return [] }
        guard let cmd = opts.values("-c", "--command").last else {
            return [.unknown("script without -c runs an interactive shell")]
        }
        return [.shellScript(cmd, argv0: nil, args: [])]
    }
}

// MARK: - Run-time arguments and environment

/// Does the wrapper add arguments at run time that are not in the returned inner argv, so
/// option rules (deny/ask options) of the inner command cannot be fully checked? True for
/// xargs without -I/-i (input words are appended: `echo -rf / | xargs rm` runs `rm -rf /`), and
/// for xargs -I R when a fixed argument before any `--` starts with R (the substituted word
/// may be an option).
/// `find -exec … {}` is not: every file name starts with its starting point, never with `-`.
public func appendsInputArguments(_ argv: [String]) -> Bool {
    guard let first = argv.first, baseName(first) == "xargs" else { return false }
    guard case .success(let (opts, rest)) = scanAll(Array(argv.dropFirst()), xargsSpec, tool: "xargs") else { return false }
    var replace: String? = nil
    for o in opts {
        if o.name == "-I" { replace = o.value }
        if o.name == "-i" || o.name == "--replace" { replace = o.value ?? "{}" }
    }
    guard let r = replace, !r.isEmpty else { return true }
    let fixed = Array(rest.dropFirst())
    let beforeDashDash = fixed.firstIndex(of: "--").map { Array(fixed[..<$0]) } ?? fixed
    return beforeDashDash.contains { $0.hasPrefix(r) }
}

private let codeEnvironmentNames: Set<String> = [
    "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "LD_DEBUG_OUTPUT", "LD_PROFILE", "GCONV_PATH", "BASH_ENV", "ENV",
    "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "PATH", "IFS", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME",
    "PYTHONINSPECT", "PYTHONEXECUTABLE", "PYTHONUSERBASE", "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB",
    "PERL_MB_OPT", "RUBYOPT", "RUBYLIB", "NODE_OPTIONS", "NODE_PATH", "PAGER", "MANPAGER", "GIT_PAGER", "EDITOR",
    "VISUAL", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "LESSOPEN", "LESSCLOSE", "LESSKEYIN", "SUDO_ASKPASS",
    "SSH_ASKPASS", "GIT_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_EXEC_PATH",
    "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_PROXY_COMMAND", "GIT_TEMPLATE_DIR", "GIT_DIR", "GIT_WORK_TREE", "RSYNC_RSH", "TAR_OPTIONS", "BROWSER",
    "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "MAKEFLAGS", "MFLAGS", "RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC_WRAPPER", "LUA_INIT", "LUA_PATH", "LUA_CPATH", "R_PROFILE", "R_PROFILE_USER",
    "GEM_HOME", "GEM_PATH", "BUNDLE_GEMFILE", "NPM_CONFIG_SCRIPT_SHELL", "HOME", "XDG_CONFIG_HOME", "ZDOTDIR",
    "TERMINFO", "EMACSLOADPATH", "VIMINIT", "EXINIT", "MYVIMRC", "SYSTEMD_PAGER", "SYSTEMD_EDITOR",
]
private let codeEnvironmentPrefixes = ["LD_", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "BASH_FUNC_", "LUA_INIT_",
                                       "PYTHONSTARTUP", "DYLD_"]

/// Can setting this environment variable make a program run other code or programs (or read
/// its configuration elsewhere)? For `env NAME=value cmd`, `sudo NAME=value`, and the engine's
/// own `VAR=x cmd` checks. Conservative list: loader, shells, interpreters, git, pagers and
/// editors, HOME/XDG (config files), PATH.
public func environmentVariableRunsCode(_ name: String) -> Bool {
    codeEnvironmentNames.contains(name) || codeEnvironmentPrefixes.contains { name.hasPrefix($0) }
}
