// A small getopt_long-like tokenizer shared by the operand (Operands.swift) and network
// (Network.swift) analyses. It knows which options take a value so that values are not mistaken
// for operands, and it resolves unambiguous long-option abbreviations (`--outp` = `--output`),
// as GNU getopt_long, git's parse-options and Python's optparse all do.

struct OptSpec {
    /// Short options taking a value: `-o F`, `-oF`.
    var shortValue: Set<Character> = []
    /// Short options with an optional attached value only: `-i`, `-i.bak` (sed, perl).
    var shortOptional: Set<Character> = []
    /// Long options (without `--`) taking a value: `--output F`, `--output=F`.
    var longValue: Set<String> = []
    /// Long options with an optional value, attached only: `--in-place[=SUF]`.
    var longOptional: Set<String> = []
    /// Long options without a value (for abbreviation resolution).
    var longFlags: Set<String> = []
    /// GNU permutation: options may follow operands. When false, the first operand ends options.
    var permute = true
    /// Stop option parsing after this many operands (ssh: the destination).
    var stopAfter: Int? = nil
    /// Single-dash long options (`-name`, openssl / find style) are not used here.
    /// Whether `--` ends options.
    var doubleDashEnds = true
}

enum OptTok: Equatable {
    /// name is `-o` or `--output` (abbreviations resolved); value as given.
    case opt(String, String?)
    case operand(String)
    /// An option this spec does not know (long, not a unique prefix); value if `=` given.
    case unknown(String, String?)
}

extension OptTok {
    var operand: String? { if case .operand(let s) = self { return s }; return nil }
}

/// Resolves a long option name (no `--`) against the spec: exact, else a unique prefix.
func resolveLong(_ name: String, _ spec: OptSpec) -> String? {
    let all = spec.longValue.union(spec.longOptional).union(spec.longFlags)
    if all.contains(name) { return name }
    let cands = all.filter { $0.hasPrefix(name) }
    return cands.count == 1 ? cands.first : nil
}

func tokenizeOptions<C: Collection>(_ args: C, _ spec: OptSpec) -> [OptTok] where C.Element == String {
    let a = Array(args)
    var out: [OptTok] = []
    var i = 0
    var operands = 0
    var optsDone = false
    while i < a.count {
        let s = a[i]
        i += 1
        if optsDone || s == "-" || !s.hasPrefix("-") {
            out.append(.operand(s))
            operands += 1
            if !spec.permute { optsDone = true }
            if let n = spec.stopAfter, operands >= n { optsDone = true }
            continue
        }
        if s == "--" && spec.doubleDashEnds {
            optsDone = true
            continue
        }
        if s.hasPrefix("--") {
            let body = s.dropFirst(2)
            let name: Substring, value: String?
            if let eq = body.firstIndex(of: "=") {
                name = body[..<eq]; value = String(body[body.index(after: eq)...])
            } else {
                name = body; value = nil
            }
            guard let full = resolveLong(String(name), spec) else {
                out.append(.unknown("--" + name, value))
                continue
            }
            if spec.longValue.contains(full) {
                if let value {
                    out.append(.opt("--" + full, value))
                } else if i < a.count {
                    out.append(.opt("--" + full, a[i])); i += 1
                } else {
                    out.append(.opt("--" + full, nil))
                }
            } else {
                out.append(.opt("--" + full, value))
            }
            continue
        }
        // Short cluster.
        var rest = Substring(s.dropFirst())
        while let c = rest.first {
            rest = rest.dropFirst()
            if spec.shortValue.contains(c) {
                if !rest.isEmpty {
                    out.append(.opt("-" + String(c), String(rest)))
                } else if i < a.count {
                    out.append(.opt("-" + String(c), a[i])); i += 1
                } else {
                    out.append(.opt("-" + String(c), nil))
                }
                break
            }
            if spec.shortOptional.contains(c) {
                out.append(.opt("-" + String(c), rest.isEmpty ? nil : String(rest)))
                break
            }
            out.append(.opt("-" + String(c), nil))
        }
    }
    return out
}

/// The options present (by any of `names`), with their values.
func optValues(_ toks: [OptTok], _ names: String...) -> [String] {
    var out: [String] = []
    for t in toks { if case .opt(let n, let v) = t, names.contains(n), let v { out.append(v) } }
    return out
}

func hasOpt(_ toks: [OptTok], _ names: String...) -> Bool {
    toks.contains { if case .opt(let n, _) = $0 { return names.contains(n) }; return false }
}

func optOperands(_ toks: [OptTok]) -> [String] { toks.compactMap { $0.operand } }

/// The program's name from argv[0]: basename, so `/usr/bin/rm` is `rm`.
func toolName(_ argv0: String) -> String { lastComponent(argv0) }

/// Python-like names with versions: `python3`, `python3.12`, `pip3.11` → the family name.
func isVersionedName(_ name: String, _ base: String) -> Bool {
    guard name.hasPrefix(base) else { return false }
    return name.dropFirst(base.count).allSatisfy { $0.isNumber || $0 == "." }
}

/// Commands that run another command given in their arguments; returns that command's argv.
/// Only wrappers whose own options are known are unwrapped; `nil` if `argv` is not one.
func unwrapCommand(_ argv: [String]) -> [String]? {
    guard let a0 = argv.first else { return nil }
    let rest = argv.dropFirst()
    let spec: OptSpec
    switch toolName(a0) {
    case "env":
        // env [-i] [-u NAME] [-C DIR] [-S STR] [NAME=VALUE]... CMD
        spec = OptSpec(shortValue: ["u", "C", "S"], longValue: ["unset", "chdir", "split-string"],
                       longFlags: ["ignore-environment", "null", "debug"], permute: false)
        let toks = tokenizeOptions(rest, spec)
        if hasOpt(toks, "-C", "--chdir", "-S", "--split-string") { return nil }
        var ops = optOperands(toks)
        while let f = ops.first, f.contains("="), !f.hasPrefix("=") { ops.removeFirst() }
        return ops.isEmpty ? nil : ops
    case "nice":
        spec = OptSpec(shortValue: ["n"], longValue: ["adjustment"], permute: false)
    case "nohup", "time", "chronic":
        spec = OptSpec(permute: false)
    case "timeout":
        spec = OptSpec(shortValue: ["k", "s"], longValue: ["kill-after", "signal"],
                       longFlags: ["preserve-status", "foreground", "verbose"], permute: false)
        let ops = optOperands(tokenizeOptions(rest, spec))
        return ops.count > 1 ? Array(ops.dropFirst()) : nil
    case "stdbuf":
        spec = OptSpec(shortValue: ["i", "o", "e"], longValue: ["input", "output", "error"], permute: false)
    case "ionice":
        spec = OptSpec(shortValue: ["c", "n", "p", "P", "u"], longValue: ["class", "classdata", "pid", "pgid", "uid"], permute: false)
    case "sudo", "doas":
        spec = OptSpec(shortValue: ["u", "g", "C", "D", "h", "p", "r", "t", "T", "U"],
                       longValue: ["user", "group", "close-from", "chdir", "host", "prompt", "role", "type", "command-timeout", "other-user"],
                       permute: false)
        let toks = tokenizeOptions(rest, spec)
        if hasOpt(toks, "-D", "--chdir", "-s", "--shell", "-i", "--login") { return nil }
        let ops = optOperands(toks)
        return ops.isEmpty ? nil : ops
    case "xargs":
        spec = OptSpec(shortValue: ["a", "E", "I", "L", "n", "P", "s", "d"], shortOptional: ["e", "i", "l"],
                       longValue: ["arg-file", "delimiter", "eof", "replace", "max-lines", "max-args",
                                   "max-procs", "max-chars", "process-slot-var"],
                       permute: false)
    case "busybox":
        return rest.isEmpty ? nil : Array(rest)
    case "setsid":
        spec = OptSpec(permute: false)
    default:
        return nil
    }
    let ops = optOperands(tokenizeOptions(rest, spec))
    return ops.isEmpty ? nil : ops
}

/// Names `unwrapCommand` knows; when it cannot unwrap one of them (`env -S …`, `sudo -s`) the
/// command it runs is unknown.
let wrapperNames: Set<String> = ["env", "nice", "nohup", "time", "chronic", "timeout", "stdbuf", "ionice", "sudo", "doas",
                                 "xargs", "busybox", "setsid"]

/// Programs that run another program in a way not analysed here (a command string, a debugger,
/// a sandbox, another user): whatever they run may touch any file or host.
let opaqueRunners: Set<String> = ["watch", "strace", "ltrace", "gdb", "lldb", "valgrind", "flock", "chroot", "unshare", "nsenter",
                                  "firejail", "script", "su", "runuser", "parallel", "setpriv", "taskset", "numactl", "chrt",
                                  "prlimit", "systemd-run", "dbus-run-session", "fakeroot", "proot", "bwrap", "faketime",
                                  "catchsegv", "pkexec", "expect", "tmux", "screen", "entr", "inotifywait", "at", "batch",
                                  "crontab", "eval", "exec", "sshpass", "unbuffer", "rlwrap", "tsp", "nq"]

/// Whether argv names a wrapper that could not be unwrapped but does run something.
func unwrapFailed(_ argv: [String]) -> Bool {
    guard let a0 = argv.first else { return false }
    let name = toolName(a0)
    if opaqueRunners.contains(name) { return argv.count > 1 }
    guard wrapperNames.contains(name), unwrapCommand(argv) == nil else { return false }
    // `env` alone (or only assignments/-i/-u) prints the environment; `sudo -l`/`-v` run nothing.
    if name == "env" {
        return argv.dropFirst().contains { !$0.hasPrefix("-") && !$0.contains("=") } || argv.contains { $0 == "-S" || $0.hasPrefix("--split-string") || $0.hasPrefix("-S") }
    }
    if name == "sudo" || name == "doas" { return argv.contains { ["-s", "-i", "--shell", "--login", "-e", "--edit"].contains($0) } || argv.dropFirst().contains { !$0.hasPrefix("-") } }
    return argv.count > 1
}
