// Which files a command reads or writes, from its fully expanded argv and the shell's cwd.
//
// Known tools have their option tables here (values are not mistaken for operands; unambiguous
// long-option abbreviations are resolved). Everything else gets the conservative rule in
// `Uses.guess`. Effects that cannot be bounded (a tool told to run another program, a sed `e`
// command, an awk program that writes files) are reported as an *unbounded* use: path `/`,
// access write (or read), raw `<unknown: why>` — see `PathUse.isUnbounded`.

import Glibc

public enum Access: Equatable, Sendable { case read, write }

public struct PathUse: Equatable, Sendable {
    /// Canonical (see `canonicalPath`).
    public var path: String
    public var access: Access
    /// As written in argv (or `<unknown: why>` for an unbounded use).
    public var raw: String
    public init(path: String, access: Access, raw: String) {
        self.path = path; self.access = access; self.raw = raw
    }
    /// The command may touch any file (path `/`): an engine must treat this as touching every
    /// path, including every `deny` path, and refuse unless `/` itself is allowed.
    public var isUnbounded: Bool { raw.hasPrefix("<unknown") }
}

/// The files/directories a command reads or writes, from its argv (argv[0] may be a path: its
/// basename names the tool) and the shell's cwd. Redirections are not argv and not seen here.
/// `env`: HOME/XDG_CONFIG_HOME as the program will see them (the engine pins them).
public func pathUses(_ argv: [String], cwd: String, home: String?) -> [PathUse] {
    pathUses(argv, cwd: cwd, env: NetEnv(home: home, xdgConfig: nil))
}

func pathUses(_ argv: [String], cwd: String, env: NetEnv) -> [PathUse] {
    var u = PathUseCollector(cwd: cwd, env: env)
    u.analyse(argv, depth: 0)
    return u.out
}

/// Tools whose effects with the operands they are given are fully described here (used to decide
/// whether a command run by `find -exec` / `xargs` is bounded).
let boundedTools: Set<String> = Set(simpleTools.keys).union([
    "rm", "rmdir", "unlink", "shred", "mkdir", "touch", "truncate", "mkfifo", "chmod", "chown", "chgrp",
    "mv", "cp", "ln", "install", "tee", "dd", "tar", "unzip", "zip", "gzip", "gunzip", "bzip2", "bunzip2",
    "xz", "unxz", "lzma", "unlzma", "zstd", "unzstd", "lz4", "pigz", "unpigz", "compress", "uncompress",
    "zcat", "bzcat", "xzcat", "zstdcat", "find", "split", "csplit", "mktemp", "patch", "sed",
]).union(noPathTools)

/// Tools that never open their arguments as files.
let noPathTools: Set<String> = [
    "echo", "printf", "true", "false", "basename", "dirname", "seq", "sleep", "expr", "yes", "whoami",
    "id", "uname", "pwd", "nproc", "kill", "which", "type", "hostname", "printenv", "tput", "clear",
    "arch", "groups", "logname", "tty", "users", "[", "test",
]

/// Pure readers: when `xargs` feeds them names, the names are reads (still unknown ones).
let readOnlyTools: Set<String> = Set(simpleTools.filter { $0.value.operands == .read && $0.value.write.isEmpty && $0.value.unknownIf.isEmpty }.keys)
    .union(["zcat", "bzcat", "xzcat", "zstdcat"]).union(noPathTools)

struct PathUseCollector {
    let cwd: String
    let env: NetEnv
    var out: [PathUse] = []

    mutating func add(_ raw: String, _ a: Access, base: String? = nil) {
        if raw.isEmpty || raw == "-" { return }
        var r = raw
        if let p = fileURLPath(raw) { r = p } else if isURL(raw) { return }
        let dir = base.map { joinPathLexically(cwd, $0) } ?? cwd
        let use = PathUse(path: canonicalPath(r, cwd: dir), access: a, raw: raw)
        if !out.contains(use) { out.append(use) }
    }
    mutating func read(_ raw: String, base: String? = nil) { add(raw, .read, base: base) }
    mutating func write(_ raw: String, base: String? = nil) { add(raw, .write, base: base) }
    mutating func unknown(_ why: String, _ a: Access = .write) {
        let use = PathUse(path: "/", access: a, raw: "<unknown: \(why)>")
        if !out.contains(use) { out.append(use) }
    }

    /// The conservative rule for an argument of an unknown tool: a read if it looks like a path
    /// (contains `/`, starts with `~`), is `--opt=VALUE` / `-XVALUE` / `NAME=VALUE` with such a
    /// value, is a `file://` URL, or names something that exists relative to cwd.
    mutating func guess(_ arg: String) {
        if arg.isEmpty || arg == "-" { return }
        if fileURLPath(arg) != nil { read(arg); return }
        if isURL(arg) { return }
        if arg.hasPrefix("--") {
            if let eq = arg.firstIndex(of: "=") { guessValue(String(arg[arg.index(after: eq)...])) }
            return
        }
        if arg.hasPrefix("-") {
            if arg.count > 2 { let v = String(arg.dropFirst(2)); if v.contains("/") { read(v) } }
            return
        }
        if let eq = arg.firstIndex(of: "="), eq != arg.startIndex,
           arg[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) {
            let v = String(arg[arg.index(after: eq)...])
            if v.contains("/") || v.hasPrefix("~") || fileURLPath(v) != nil { read(v); return }
        }
        if arg.contains("/") || arg.hasPrefix("~") || pathExists(joinPathLexically(cwd, arg)) { read(arg) }
    }

    /// An option value of unknown meaning: a read if it looks like a path or exists.
    mutating func guessValue(_ v: String) {
        if v.isEmpty || v == "-" || isURL(v) && fileURLPath(v) == nil { return }
        if v.contains("/") || v.hasPrefix("~") || pathExists(joinPathLexically(cwd, v)) { read(v) }
    }

    mutating func analyse(_ argv: [String], depth: Int) {
        guard let a0 = argv.first else { return }
        if depth > 8 { unknown("nested too deep"); return }
        let name = toolName(a0)
        if let inner = unwrapCommand(argv) {
            if name == "xargs" {
                let spec = OptSpec(shortValue: ["a", "E", "I", "L", "n", "P", "s", "d"], shortOptional: ["e", "i", "l"],
                                   longValue: ["arg-file"], permute: false)
                for v in optValues(tokenizeOptions(argv.dropFirst(), spec), "-a", "--arg-file") { read(v) }
                let t = toolName(inner[0])
                unknown("xargs \(t): operands from input", readOnlyTools.contains(t) ? .read : .write)
            }
            analyse(inner, depth: depth + 1)
            return
        }
        if unwrapFailed(argv) { unknown("\(name) runs a command not analysed"); return }
        let args = Array(argv.dropFirst())
        if noPathTools.contains(name) { return }
        if let s = simpleTools[name] { applySimple(s, args); return }
        if isVersionedName(name, "python") || isVersionedName(name, "pypy") { interpreter(args, valueOpts: ["c", "m", "W", "X", "Q"], inline: ["-c", "-m"]); return }
        switch name {
        case "rm", "rmdir", "unlink", "mkfifo", "sponge", "dos2unix", "unix2dos":
            let s = SimpleTool(spec: OptSpec(shortValue: ["m"], longValue: ["mode"], longOptional: ["interactive", "preserve-root", "context"]), operands: .write)
            applySimple(s, args)
        case "mkdir":
            applySimple(SimpleTool(spec: OptSpec(shortValue: ["m"], longValue: ["mode"], longOptional: ["context"]), operands: .write), args)
        case "mknod":
            let ops = optOperands(tokenizeOptions(args, OptSpec(shortValue: ["m"], longValue: ["mode"], longOptional: ["context"])))
            if let f = ops.first { write(f) }
        case "touch":
            applySimple(SimpleTool(spec: OptSpec(shortValue: ["d", "r", "t"], longValue: ["date", "reference", "time"]),
                               operands: .write, read: ["-r", "--reference"]), args)
        case "truncate":
            applySimple(SimpleTool(spec: OptSpec(shortValue: ["r", "s"], longValue: ["reference", "size"],
                                             longFlags: ["no-create", "io-blocks"]),
                               operands: .write, read: ["-r", "--reference"]), args)
        case "shred":
            applySimple(SimpleTool(spec: OptSpec(shortValue: ["n", "s"], longValue: ["iterations", "size", "random-source"],
                                             longOptional: ["remove"], longFlags: ["exact", "zero", "force", "verbose"]),
                               operands: .write, read: ["--random-source"]), args)
        case "chmod", "chown", "chgrp":
            chmodLike(name, args)
        case "mv", "cp", "ln", "install":
            copyLike(name, args)
        case "tee":
            applySimple(SimpleTool(spec: OptSpec(longOptional: ["output-error"], longFlags: ["append", "ignore-interrupts"]), operands: .write), args)
        case "dd":
            for a in args {
                if a.hasPrefix("if=") { read(String(a.dropFirst(3))) } else if a.hasPrefix("of=") { write(String(a.dropFirst(3))) }
            }
        case "sed", "gsed": sed(args)
        case "perl": perl(args)
        case "tar", "gtar", "bsdtar": _ = tar(args)
        case "unzip": unzip(args)
        case "zip": zip(args)
        case "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "lzma", "unlzma", "zstd", "unzstd", "lz4", "unlz4",
             "pigz", "unpigz", "compress", "uncompress", "lzip", "brotli":
            compressor(args)
        case "zcat", "bzcat", "xzcat", "zstdcat", "lz4cat":
            compressor(["-c"] + args)
        case "curl": curl(args)
        case "wget": wget(args)
        case "git": git(args)
        case "make", "gmake": make(args)
        case "node", "nodejs":
            interpreter(args, valueOpts: ["e", "p", "r", "C"], inline: ["-e", "-p", "--eval", "--print"],
                        longValue: ["eval", "print", "require", "import", "loader", "experimental-loader", "conditions",
                                    "input-type", "env-file", "title", "redirect-warnings"], readOpts: ["--env-file"])
        case "ruby":
            interpreter(args, valueOpts: ["e", "r", "I", "C", "E", "F"], inline: ["-e"])
        case "bash", "sh", "dash", "zsh", "ksh", "fish":
            interpreter(args, valueOpts: ["c", "o", "O"], inline: ["-c"])
        case "php":
            interpreter(args, valueOpts: ["f", "r", "c", "d", "t", "S", "z"], inline: ["-r", "-S"], readOpts: ["-f", "-c"])
        case "awk", "gawk", "mawk", "nawk", "busybox-awk": awk(args)
        case "jq", "gojq": jq(args)
        case "find": find(args, depth: depth)
        case "split": split(args)
        case "csplit":
            let toks = tokenizeOptions(args, OptSpec(shortValue: ["b", "f", "n"], longValue: ["suffix-format", "prefix", "digits"]))
            write(optValues(toks, "-f", "--prefix").last ?? "xx")
            if let f = optOperands(toks).first { read(f) }
        case "mktemp": mktemp(args)
        case "patch": patch(args)
        case "openssl": openssl(args)
        case "ssh-keygen": sshKeygen(args)
        case "rsync": rsyncPaths(args)
        case "scp": scpPaths(args)
        case "vi", "vim", "nvim", "view", "nano", "emacs", "ed", "ex", "micro", "joe", "kak", "pico":
            applySimple(SimpleTool(spec: OptSpec(shortValue: ["c", "S", "u", "U", "i", "w", "W", "s", "t", "q", "T"],
                                             longValue: ["cmd"]),
                               operands: .write, read: ["-S", "-u", "-U", "-s", "-q"], write: ["-w", "-W", "-i"],
                               unknownIf: ["-c", "--cmd"]), args)
        case "npm", "npx", "pip", "pip3", "yarn", "pnpm", "cargo", "go", "apt", "apt-get", "docker", "podman", "gh":
            // Their effects are the environment (packages, caches); network is analysed separately.
            return
        default:
            for a in args { guess(a) }
        }
    }

    // MARK: Table-driven tools

    mutating func applySimple(_ s: SimpleTool, _ args: [String]) {
        let toks = tokenizeOptions(args, s.spec)
        var ops: [String] = []
        var names: Set<String> = []
        for t in toks {
            switch t {
            case .opt(let n, let v):
                names.insert(n)
                if s.unknownIf.contains(n) { unknown("\(n)") }
                guard let v else { continue }
                if s.read.contains(n) { read(v) } else if s.write.contains(n) { write(v) }
            case .unknown(_, let v):
                if let v { guessValue(v) }
            case .operand(let o):
                ops.append(o)
            }
        }
        if s.patternFirst && names.isDisjoint(with: s.patternGivenBy) && !ops.isEmpty { ops.removeFirst() }
        if ops.isEmpty {
            if let a = s.cwdWhenNone, s.cwdWhenNoneIf == nil || !names.isDisjoint(with: s.cwdWhenNoneIf!) { add(".", a) }
            return
        }
        for (i, o) in ops.enumerated() {
            if s.secondWrite && i == 1 { write(o); continue }
            if let a = s.operands { add(o, a) }
        }
    }

    // MARK: Specific tools

    mutating func chmodLike(_ name: String, _ args: [String]) {
        // chmod modes may look like options (`-w`, `-x,g+r`): such a word is the mode.
        let modeChars = Set("rwxXstugoa+-=,01234567")
        var args = args
        var modeSeen = false
        if name == "chmod", let i = args.firstIndex(where: { $0.count > 1 && $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.dropFirst().allSatisfy({ modeChars.contains($0) }) }) {
            args.remove(at: i)
            modeSeen = true
        }
        let spec = OptSpec(longValue: ["reference", "from"],
                           longFlags: ["recursive", "changes", "silent", "quiet", "verbose", "dereference", "no-dereference",
                                       "preserve-root", "no-preserve-root"])
        let toks = tokenizeOptions(args, spec)
        var ops = optOperands(toks)
        let refs = optValues(toks, "--reference")
        for r in refs { read(r) }
        if refs.isEmpty && !modeSeen && !ops.isEmpty { ops.removeFirst() }
        for o in ops { write(o) }
    }

    mutating func copyLike(_ name: String, _ args: [String]) {
        var spec = OptSpec(shortValue: ["t", "S"], longValue: ["target-directory", "suffix", "no-preserve", "sparse"],
                           longOptional: ["backup", "preserve", "reflink", "update", "context"],
                           longFlags: ["archive", "attributes-only", "copy-contents", "dereference", "force", "interactive",
                                       "link", "no-dereference", "no-clobber", "no-target-directory", "one-file-system",
                                       "parents", "recursive", "remove-destination", "strip-trailing-slashes",
                                       "symbolic-link", "verbose", "debug", "keep-directory-symlink", "directory",
                                       "logical", "physical", "relative", "symbolic", "exchange", "no-copy",
                                       "compare", "preserve-timestamps", "strip", "preserve-context"])
        if name == "install" {
            spec.shortValue.formUnion(["m", "o", "g"])
            spec.longValue.formUnion(["mode", "owner", "group", "strip-program"])
        }
        let toks = tokenizeOptions(args, spec)
        let ops = optOperands(toks)
        let dirs = optValues(toks, "-t", "--target-directory")
        for d in dirs { write(d) }
        if name == "install" && hasOpt(toks, "--strip-program") { unknown("install --strip-program") }
        if name == "install" && hasOpt(toks, "-d", "--directory") {
            for o in ops { write(o) }
            return
        }
        let symbolic = hasOpt(toks, "-s", "--symbolic", "--symbolic-link")
        let hardLink = hasOpt(toks, "-l", "--link")
        // Sources: mv removes them (write); ln without -s and cp -l make a second name for the
        // same inode, through which it can be written later (write); ln -s opens nothing.
        let sourceAccess: Access? = name == "mv" || (name == "ln" && !symbolic) || (name == "cp" && hardLink) ? .write
            : (name == "ln" ? nil : .read)
        var sources = ops
        if dirs.isEmpty {
            if ops.count == 1 && name == "ln" {
                write(lastComponent(ops[0]))
            } else if let last = sources.popLast() {
                write(last)
            }
        }
        if let a = sourceAccess { for s in sources { add(s, a) } }
    }

    mutating func sed(_ args: [String]) {
        let spec = OptSpec(shortValue: ["e", "f", "l"], shortOptional: ["i"],
                           longValue: ["expression", "file", "line-length"], longOptional: ["in-place"],
                           longFlags: ["quiet", "silent", "debug", "follow-symlinks", "posix", "regexp-extended",
                                       "separate", "sandbox", "unbuffered", "null-data", "binary", "help", "version"])
        let toks = tokenizeOptions(args, spec)
        var ops = optOperands(toks)
        var scripts: [String] = []
        var given = false
        for t in toks {
            if case .unknown(_, let v) = t, let v { guessValue(v) }
            guard case .opt(let n, let v) = t, let v else { continue }
            if n == "-e" || n == "--expression" { scripts.append(v); given = true }
            if n == "-f" || n == "--file" {
                read(v); given = true
                if v == "-" { unknown("sed script from input") } else if let text = readSmallTextFile(joinPathLexically(cwd, v)) { scripts.append(text) }
                else { unknown("sed -f \(v) unreadable") }
            }
        }
        if !given, !ops.isEmpty { scripts.append(ops.removeFirst()) }
        let inPlace = hasOpt(toks, "-i", "--in-place")
        if inPlace && hasOpt(toks, "--follow-symlinks") == false {
            // sed -i replaces the file (a new inode at the same name): the name is written.
        }
        for o in ops { add(o, inPlace ? .write : .read) }
        if !hasOpt(toks, "--sandbox") {
            for s in scripts {
                let eff = sedScriptEffects(s)
                for r in eff.reads { read(r) }
                for w in eff.writes { write(w) }
                if eff.exec { unknown("sed e command") }
                if !eff.ok { unknown("sed script not understood") }
            }
        }
    }

    mutating func perl(_ args: [String]) {
        let spec = OptSpec(shortValue: ["e", "E", "I"], shortOptional: ["i", "M", "m", "0", "l", "x", "F", "C", "d", "D", "V"],
                           permute: false)
        let toks = tokenizeOptions(args, spec)
        var ops = optOperands(toks)
        let code = hasOpt(toks, "-e", "-E")
        for d in optValues(toks, "-I") { read(d) }
        if !code, !ops.isEmpty { read(ops.removeFirst()) }
        let inPlace = hasOpt(toks, "-i")
        for o in ops { if inPlace { write(o) } else { guess(o) } }
    }

    mutating func interpreter(_ args: [String], valueOpts: Set<Character>, inline: Set<String>,
                              longValue: Set<String> = [], readOpts: Set<String> = []) {
        let toks = tokenizeOptions(args, OptSpec(shortValue: valueOpts, longValue: longValue, permute: false))
        var ops = optOperands(toks)
        var code = false
        for t in toks {
            if case .opt(let n, let v) = t {
                if inline.contains(n) { code = true }
                if readOpts.contains(n), let v { read(v) }
            }
            if case .unknown(_, let v) = t, let v { guessValue(v) }
        }
        if !code, !ops.isEmpty { read(ops.removeFirst()) }
        for o in ops { guess(o) }
    }

    /// Returns the archive names (for the network analysis: `host:file` is a remote archive).
    mutating func tar(_ args: [String]) -> (archives: [String], forceLocal: Bool) {
        var args = args
        let valueLetters: Set<Character> = ["f", "C", "T", "X", "b", "g", "K", "L", "N", "V", "H", "F", "I"]
        // Old style: `tar cvzf a.tgz dir` — the first word is a cluster without a dash, and its
        // value letters take the following words in order.
        if let first = args.first, !first.hasPrefix("-"), !first.isEmpty {
            var rest = Array(args.dropFirst())
            var rebuilt: [String] = []
            for c in first {
                rebuilt.append("-" + String(c))
                if valueLetters.contains(c), !rest.isEmpty { rebuilt.append(rest.removeFirst()) }
            }
            args = rebuilt + rest
        }
        let spec = OptSpec(shortValue: valueLetters,
                           longValue: ["file", "directory", "files-from", "exclude-from", "blocking-factor", "listed-incremental",
                                       "starting-file", "tape-length", "newer", "after-date", "newer-mtime", "label", "format",
                                       "info-script", "new-volume-script", "use-compress-program", "to-command", "rsh-command",
                                       "checkpoint-action", "exclude", "transform", "xform", "owner", "group", "mode", "mtime",
                                       "record-size", "volno-file", "index-file", "suffix", "strip-components", "level",
                                       "hole-detection", "sort", "quoting-style", "quote-chars", "no-quote-chars", "pax-option",
                                       "warning", "owner-map", "group-map", "xattrs-include", "xattrs-exclude", "exclude-tag",
                                       "exclude-tag-under", "exclude-tag-all", "exclude-ignore", "exclude-ignore-recursive", "add-file"],
                           longOptional: ["checkpoint", "backup", "occurrence", "one-top-level", "atime-preserve"],
                           longFlags: ["create", "extract", "get", "list", "append", "update", "catenate", "concatenate", "delete",
                                       "diff", "compare", "test-label", "absolute-names", "gzip", "gunzip", "ungzip", "bzip2", "xz",
                                       "zstd", "lzip", "lzma", "lzop", "compress", "uncompress", "auto-compress", "verbose",
                                       "keep-old-files", "overwrite", "unlink-first", "recursive-unlink", "force-local",
                                       "preserve-permissions", "same-permissions", "preserve", "remove-files", "dereference",
                                       "hard-dereference", "totals", "ignore-failed-read", "numeric-owner", "no-same-owner",
                                       "same-owner", "to-stdout", "verify", "multi-volume", "null", "no-null", "recursion",
                                       "no-recursion", "wildcards", "no-wildcards", "interactive", "keep-newer-files"])
        let toks = tokenizeOptions(args, spec)
        let create = hasOpt(toks, "-c", "--create", "-r", "--append", "-u", "--update")
        let catenate = hasOpt(toks, "-A", "--catenate", "--concatenate")
        let delete = hasOpt(toks, "--delete")
        let extract = hasOpt(toks, "-x", "--extract", "--get")
        let diff = hasOpt(toks, "-d", "--diff", "--compare")
        let toStdout = hasOpt(toks, "-O", "--to-stdout")
        let archives = optValues(toks, "-f", "--file")
        for a in archives { add(a, create || catenate || delete ? .write : .read) }
        var dir: String? = nil
        var dirs: [String] = []
        for t in toks {
            switch t {
            case .opt(let n, let v):
                switch n {
                case "-C", "--directory":
                    if let v { dir = dir.map { joinPathLexically($0, v) } ?? v; dirs.append(dir!) }
                case "-T", "--files-from":
                    if let v { read(v); if create { unknown("tar: member names from \(v)", .read) } }
                case "-X", "--exclude-from": if let v { read(v) }
                case "-g", "--listed-incremental", "--index-file", "--volno-file": if let v { write(v) }
                case "-I", "--use-compress-program", "--to-command", "-F", "--info-script", "--new-volume-script", "--rsh-command":
                    unknown("tar \(n)")
                case "--checkpoint-action": if v?.hasPrefix("exec") ?? true { unknown("tar \(n)") }
                case "-N", "--newer", "--after-date":
                    if let v, v.hasPrefix("/") || v.hasPrefix(".") { read(v) }
                case "-P", "--absolute-names":
                    if extract { unknown("tar -P extracts absolute names") }
                default: break
                }
            case .unknown(_, let v): if let v { guessValue(v) }
            case .operand(let o):
                if create || diff { read(o, base: dir) }
                else if catenate { read(o) }
                // Extract/list: operands are member names, not files here.
            }
        }
        if extract && !toStdout {
            if dirs.isEmpty { write(".") } else { for d in dirs { write(d) } }
        }
        if diff && dirs.isEmpty { read(".") }
        return (archives, hasOpt(toks, "--force-local"))
    }

    mutating func unzip(_ args: [String]) {
        var ops: [String] = []
        var exdir: String? = nil
        var flags = ""
        var i = 0
        var inExclude = false
        while i < args.count {
            let a = args[i]; i += 1
            if a.hasPrefix("-") && a.count > 1 {
                inExclude = false
                var rest = Substring(a.dropFirst())
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if c == "d" {
                        if !rest.isEmpty { exdir = String(rest) } else if i < args.count { exdir = args[i]; i += 1 }
                        break
                    }
                    if c == "P" { if rest.isEmpty { i += 1 }; break }
                    if c == "x" { inExclude = true; continue }
                    flags.append(c)
                }
                continue
            }
            if inExclude { continue }
            ops.append(a)
        }
        if let z = ops.first { read(z) }
        let readOnly = flags.contains { "lptvcZz".contains($0) }
        if flags.contains(":") { unknown("unzip -: allows ../ names") }
        if !readOnly { write(exdir ?? ".") }
    }

    mutating func zip(_ args: [String]) {
        let valued: Set<String> = ["-b", "-t", "-tt", "-n", "-P", "-O", "-Z", "-s", "-sp", "-lf", "-TT", "-ds", "-sb",
                                   "--temp-path", "--from-date", "--before-date", "--suffixes", "--password", "--output-file",
                                   "--compression-method", "--split-size", "--logfile-path", "--unzip-command"]
        var ops: [String] = []
        var move = false
        var i = 0
        var inList = false
        while i < args.count {
            let a = args[i]; i += 1
            if a.hasPrefix("-") && a.count > 1 {
                inList = false
                if a == "-x" || a == "-i" || a == "--exclude" || a == "--include" { inList = true; continue }
                if a == "-@" || a == "--names-stdin" { unknown("zip names from input", .read); continue }
                if a == "-m" || a == "--move" || (!a.hasPrefix("--") && a.count <= 6 && a.contains("m") && !a.contains("M") && a.dropFirst().allSatisfy({ "rqmvj9876543210DXyTFkloAJz".contains($0) })) { move = true }
                if valued.contains(a) {
                    let v = i < args.count ? args[i] : ""
                    i += 1
                    switch a {
                    case "-b", "--temp-path", "-O", "--output-file", "-lf", "--logfile-path": write(v)
                    case "-TT", "--unzip-command": unknown("zip -TT")
                    default: break
                    }
                }
                continue
            }
            if inList { continue }
            ops.append(a)
        }
        if ops.isEmpty { return }
        write(ops.removeFirst())
        for o in ops { add(o, move ? .write : .read) }
    }

    mutating func compressor(_ args: [String]) {
        let spec = OptSpec(shortValue: ["S", "T", "F", "C", "M", "o", "D", "b", "p"],
                           longValue: ["suffix", "threads", "format", "check", "memlimit", "memlimit-compress",
                                       "memlimit-decompress", "files", "files0", "output-dir-flat", "output-dir-mirror",
                                       "patch-from", "block-size", "processes"],
                           longFlags: ["stdout", "to-stdout", "decompress", "uncompress", "force", "keep", "list", "test",
                                       "name", "no-name", "quiet", "recursive", "verbose", "rsyncable", "fast", "best"])
        let toks = tokenizeOptions(args, spec)
        let toStdout = hasOpt(toks, "-c", "--stdout", "--to-stdout", "-l", "--list", "-t", "--test")
        for t in toks {
            switch t {
            case .opt(let n, let v):
                guard let v else { continue }
                switch n {
                case "-o", "--output-dir-flat", "--output-dir-mirror": write(v)
                case "-D", "--patch-from": read(v)
                case "--files", "--files0": read(v); unknown("\(n): names from file", toStdout ? .read : .write)
                default: break
                }
            case .unknown(_, let v): if let v { guessValue(v) }
            case .operand(let o): add(o, toStdout ? .read : .write)
            }
        }
    }

    mutating func curl(_ args: [String]) {
        let toks = tokenizeOptions(args, curlSpec)
        let outDir = optValues(toks, "--output-dir").last
        if let outDir { write(outDir) }
        var remoteName = false
        for t in toks {
            switch t {
            case .opt(let n, let v):
                if n == "-O" || n == "--remote-name" || n == "--remote-name-all" { remoteName = true }
                guard let v else { continue }
                switch n {
                case "-o", "--output": write(v, base: outDir)
                case "-T", "--upload-file", "-K", "--config", "--cacert", "--capath", "--cert", "--key", "--crlfile",
                     "--netrc-file", "--etag-compare", "--proxy-cacert", "--proxy-capath", "--proxy-cert", "--proxy-key",
                     "--proxy-crlfile", "--pubkey", "--random-file", "--egd-file", "--unix-socket", "--abstract-unix-socket":
                    read(v)
                case "-c", "--cookie-jar", "-D", "--dump-header", "--trace", "--trace-ascii", "--stderr", "--libcurl",
                     "--etag-save", "--hsts", "--alt-svc":
                    write(v)
                case "-d", "--data", "--data-binary", "--data-ascii", "--json", "-H", "--header", "--proxy-header",
                     "-w", "--write-out":
                    if v.hasPrefix("@") { read(String(v.dropFirst())) }
                case "--data-urlencode", "--variable":
                    if let at = v.firstIndex(of: "@") {
                        let name = v[..<at]
                        if !name.contains("=") { read(String(v[v.index(after: at)...])) }
                    }
                case "-F", "--form":
                    if let eq = v.firstIndex(of: "=") {
                        let val = v[v.index(after: eq)...]
                        if val.hasPrefix("@") || val.hasPrefix("<") {
                            let f = val.dropFirst().split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                            read(f)
                        }
                    }
                case "-b", "--cookie":
                    if !v.contains("=") { read(v) }
                case "-z", "--time-cond":
                    let f = v.hasPrefix("-") || v.hasPrefix("+") ? String(v.dropFirst()) : v
                    if pathExists(joinPathLexically(cwd, f)) { read(f) }
                default: break
                }
            case .unknown(_, let v): if let v { guessValue(v) }
            case .operand(let o): if fileURLPath(o) != nil { read(o) }
            }
        }
        for u in optValues(toks, "--url") where fileURLPath(u) != nil { read(u) }
        if remoteName { write(outDir ?? ".") }
    }

    mutating func wget(_ args: [String]) {
        let toks = tokenizeOptions(wgetNormalise(args), wgetSpec)
        var document = false
        for t in toks {
            switch t {
            case .opt(let n, let v):
                guard let v else { continue }
                switch n {
                case "-O", "--output-document": document = true; write(v)
                case "-o", "--output-file", "-a", "--append-output", "--save-cookies", "--hsts-file", "--warc-file",
                     "--rejected-log":
                    write(v)
                case "-i", "--input-file", "--load-cookies", "--post-file", "--body-file", "--certificate", "--private-key",
                     "--ca-certificate", "--ca-directory", "--crl-file", "--config", "--random-file", "--egd-file":
                    read(v)
                case "-e", "--execute": unknown("wget -e \(v)")
                default: break
                }
            case .unknown(_, let v): if let v { guessValue(v) }
            case .operand(let o): if fileURLPath(o) != nil { read(o) }
            }
        }
        if !document { write(optValues(toks, "-P", "--directory-prefix").last ?? ".") }
    }

    mutating func git(_ args: [String]) {
        let g = parseGitGlobal(args)
        for d in g.dirs { read(d) }
        for kv in g.configs where gitConfigRunsCommand(kv) { unknown("git -c \(kv)") }
        let dir = g.dir.map { joinPathLexically(cwd, $0) } ?? cwd
        guard let sub = g.rest.first else { return }
        let subArgs = Array(g.rest.dropFirst())
        let repo = findGitRepo(from: canonicalPath(dir, cwd: "/"))
        let root = g.workTree.map { joinPathLexically(dir, $0) } ?? repo?.root ?? dir
        func repoUse(_ a: Access) {
            add(root, a)
            if let gd = g.gitDir { add(gd, a, base: dir) } else if let repo, !repo.gitDir.hasPrefix(repo.root + "/") { add(repo.gitDir, a) }
        }
        switch sub {
        case "clone":
            let toks = tokenizeOptions(subArgs, gitCloneSpec)
            let ops = optOperands(toks)
            if let url = ops.first, gitURLIsLocal(url) { read(url.hasPrefix("file://") ? url : url, base: dir) }
            if ops.count > 1 { write(ops[1], base: dir) } else { write(dir) }
            for r in optValues(toks, "--reference", "--reference-if-able", "--template") { read(r, base: dir) }
            for w in optValues(toks, "--separate-git-dir") { write(w, base: dir) }
            if hasOpt(toks, "-u", "--upload-pack") { unknown("git clone --upload-pack") }
            for kv in optValues(toks, "-c", "--config") where gitConfigRunsCommand(kv) { unknown("git clone -c \(kv)") }
        case "init":
            let toks = tokenizeOptions(subArgs, OptSpec(longValue: ["template", "separate-git-dir", "object-format", "ref-format", "initial-branch", "shared"],
                                                 longFlags: ["bare", "quiet"]))
            let ops = optOperands(toks)
            write(ops.first ?? ".", base: dir)
            for r in optValues(toks, "--template") { read(r, base: dir) }
            for w in optValues(toks, "--separate-git-dir") { write(w, base: dir) }
        case "config":
            let toks = tokenizeOptions(subArgs, OptSpec(shortValue: ["f"], longValue: ["file", "blob", "default", "type", "comment"],
                                                 longFlags: ["global", "system", "local", "worktree", "get", "get-all", "get-regexp",
                                                             "get-urlmatch", "list", "unset", "unset-all", "add", "replace-all",
                                                             "get-color", "get-colorbool", "edit", "rename-section", "remove-section",
                                                             "show-origin", "show-scope", "name-only", "null", "includes", "no-includes"]))
            let readOnly = hasOpt(toks, "--get", "--get-all", "--get-regexp", "--get-urlmatch", "-l", "--list", "--get-color", "--get-colorbool")
                || ["get", "list"].contains(optOperands(toks).first ?? "")
            let a: Access = readOnly ? .read : .write
            if let f = optValues(toks, "-f", "--file").last { add(f, a, base: dir) }
            else if hasOpt(toks, "--global") { if let h = env.home { add(h + "/.gitconfig", a) } else { unknown("git config --global without HOME") } }
            else if hasOpt(toks, "--system") { add("/etc/gitconfig", a) }
            else { repoUse(a) }
            if !readOnly { for o in optOperands(toks) where o.contains(".") { if gitConfigRunsCommand(o + "=") { unknown("git config \(o)") } } }
        case _ where !gitBuiltins.contains(sub):
            // An alias (`!cmd` runs a shell command) or an external `git-<sub>` program.
            let cfg = GitConfig(repo: repo, env: env)
            if let alias = cfg.values("alias", nil, sub.lowercased()).last, let first = alias.split(separator: " ").first,
               gitBuiltins.contains(String(first)) {
                analyse(["git"] + args.prefix(args.count - g.rest.count) + alias.split(separator: " ").map(String.init) + subArgs, depth: 1)
            } else {
                unknown("git \(sub): alias or external command")
            }
        default:
            let readOnly = gitReadOnly.contains(sub)
            repoUse(readOnly ? .read : .write)
            let toks = tokenizeOptions(subArgs, OptSpec(shortValue: ["o"], longValue: ["output", "output-directory", "contents", "file", "template"]))
            for t in toks {
                switch t {
                case .opt(let n, let v):
                    guard let v else { continue }
                    if n == "--output" || n == "--output-directory" || (n == "-o" && (sub == "archive" || sub == "format-patch")) {
                        write(v, base: dir)
                    } else if n == "--contents" || n == "--file" || n == "--template" { read(v, base: dir) }
                case .unknown(let n, let v):
                    if n == "--open-files-in-pager" || n == "--ext-diff" || n == "--exec" || n == "--upload-pack" || n == "--receive-pack" { unknown("git \(sub) \(n)") }
                    if let v { guessValue(v) }
                case .operand(let o):
                    var u2 = PathUseCollector(cwd: dir, env: env); u2.guess(o); for x in u2.out where !out.contains(x) { out.append(x) }
                }
            }
            if sub == "format-patch" && !hasOpt(toks, "-o", "--output-directory", "--stdout") { write(dir) }
            if sub == "bundle", optOperands(toks).first == "create", optOperands(toks).count > 1 { write(optOperands(toks)[1], base: dir) }
            if sub == "worktree", optOperands(toks).first == "add", optOperands(toks).count > 1 { write(optOperands(toks)[1], base: dir) }
        }
    }

    mutating func make(_ args: [String]) {
        let spec = OptSpec(shortValue: ["C", "f", "I", "o", "W", "E"], shortOptional: ["j", "l", "O"],
                           longValue: ["directory", "file", "makefile", "include-dir", "old-file", "assume-old", "new-file",
                                       "what-if", "assume-new", "eval"],
                           longOptional: ["jobs", "load-average", "max-load", "output-sync", "debug", "jobserver-style", "shuffle"])
        let toks = tokenizeOptions(args, spec)
        var dir = cwd
        for t in toks {
            if case .opt(let n, let v) = t, let v, n == "-C" || n == "--directory" { dir = joinPathLexically(dir, v) }
        }
        write(dir)
        for t in toks {
            if case .opt(let n, let v) = t, let v {
                switch n {
                case "-f", "--file", "--makefile", "-o", "--old-file", "--assume-old", "-W", "--what-if", "--new-file", "--assume-new":
                    read(v, base: dir)
                case "-I", "--include-dir": read(v, base: dir)
                default: break
                }
            }
        }
    }

    mutating func awk(_ args: [String]) {
        let spec = OptSpec(shortValue: ["f", "v", "F", "e", "i", "l", "E"], shortOptional: ["o", "p", "d", "D"],
                           longValue: ["file", "assign", "field-separator", "source", "include", "load", "exec"],
                           longOptional: ["pretty-print", "profile", "dump-variables", "debug"],
                           permute: false)
        let toks = tokenizeOptions(args, spec)
        var ops = optOperands(toks)
        var programs: [String] = []
        var given = false
        for t in toks {
            guard case .opt(let n, let v) = t else { continue }
            switch n {
            case "-f", "--file", "-E", "--exec":
                if let v { read(v); given = true; if let text = readSmallTextFile(joinPathLexically(cwd, v)) { programs.append(text) } else { unknown("awk -f \(v) unreadable") } }
            case "-e", "--source": if let v { programs.append(v); given = true }
            case "-i", "--include", "-l", "--load": if let v { read(v) }
            case "-o", "--pretty-print", "-p", "--profile", "-d", "--dump-variables": if let v { write(v) }
            default: break
            }
        }
        if !given, !ops.isEmpty { programs.append(ops.removeFirst()) }
        for p in programs {
            let e = awkProgramEffects(p)
            if e.writes { unknown("awk program writes or runs commands") }
        }
        for o in ops {
            // NAME=value operands are assignments, not files.
            if let eq = o.firstIndex(of: "="), eq != o.startIndex, o[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
               o.first.map({ $0.isLetter || $0 == "_" }) ?? false { continue }
            read(o)
        }
    }

    mutating func jq(_ args: [String]) {
        // --arg NAME V, --argjson NAME V, --slurpfile NAME F, --rawfile NAME F take two values.
        var ops: [String] = []
        var filterGiven = false
        var i = 0
        var positional = false
        while i < args.count {
            let a = args[i]; i += 1
            if positional || !a.hasPrefix("-") || a == "-" { ops.append(a); continue }
            if a == "--args" || a == "--jsonargs" {
                // Remaining operands after the filter are values, not files.
                if !filterGiven, let f = args[i...].first(where: { !$0.hasPrefix("-") }) { _ = f }
                positional = false
                let rest = args[i...].filter { !$0.hasPrefix("-") }
                if !filterGiven && ops.isEmpty, let first = rest.first { ops.append(first) }
                i = args.count
                continue
            }
            switch a {
            case "--arg", "--argjson": i += 2
            case "--slurpfile", "--rawfile":
                if i + 1 < args.count { read(args[i + 1]) }
                i += 2
            case "-f", "--from-file":
                if i < args.count { read(args[i]); filterGiven = true }
                i += 1
            case "-L", "--library-path":
                if i < args.count { read(args[i]) }
                i += 1
            case "--indent", "--tab-width": i += 1
            default:
                if a.hasPrefix("-L") && a.count > 2 { read(String(a.dropFirst(2))) }
                if a.hasPrefix("--") , let eq = a.firstIndex(of: "=") { guessValue(String(a[a.index(after: eq)...])) }
            }
        }
        if !filterGiven, !ops.isEmpty { ops.removeFirst() }
        for o in ops { read(o) }
    }

    mutating func find(_ args: [String], depth: Int) {
        var i = 0
        // Global options before the start paths.
        while i < args.count {
            let a = args[i]
            if a == "-H" || a == "-L" || a == "-P" { i += 1; continue }
            if a == "-D" { i += 2; continue }
            if a.hasPrefix("-O") && a.count > 2 { i += 1; continue }
            if a == "--" { i += 1 }
            break
        }
        var starts: [String] = []
        while i < args.count {
            let a = args[i]
            if (a.hasPrefix("-") && a.count > 1) || a == "(" || a == ")" || a == "!" || a == "," { break }
            starts.append(a); i += 1
        }
        if starts.isEmpty { starts = ["."] }
        var startAccess: Access = .read
        let valueTests: Set<String> = ["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
                                       "-lname", "-ilname", "-type", "-xtype", "-user", "-group", "-uid", "-gid", "-perm",
                                       "-size", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-used", "-links",
                                       "-inum", "-maxdepth", "-mindepth", "-fstype", "-printf", "-context", "-regextype"]
        let fileTests: Set<String> = ["-newer", "-anewer", "-cnewer", "-samefile"]
        while i < args.count {
            let a = args[i]; i += 1
            if valueTests.contains(a) { i += 1; continue }
            if fileTests.contains(a) || (a.hasPrefix("-newer") && a.count == 8) {
                if i < args.count { let v = args[i]; if pathExists(joinPathLexically(cwd, v)) || v.contains("/") { read(v) } }
                i += 1; continue
            }
            switch a {
            case "-delete": startAccess = .write
            case "-fprint", "-fprint0", "-fls":
                if i < args.count { write(args[i]) }
                i += 1
            case "-fprintf":
                if i < args.count { write(args[i]) }
                i += 2
            case "-files0-from":
                if i < args.count { read(args[i]) }
                unknown("find -files0-from", .read)
                i += 1
            case "-exec", "-execdir", "-ok", "-okdir":
                var cmd: [String] = []
                while i < args.count && args[i] != ";" && args[i] != "+" { cmd.append(args[i]); i += 1 }
                i += 1
                guard let c0 = cmd.first else { continue }
                if !boundedTools.contains(toolName(c0)) { unknown("find \(a) \(toolName(c0))"); continue }
                let inDir = a.hasSuffix("dir")
                if inDir && cmd.dropFirst().contains(where: { $0.contains("..") }) { unknown("find \(a) with .."); continue }
                for s in starts {
                    // -exec: `{}` is a path below the start path. -execdir: the command runs in
                    // the directory of each match (below the start path) with `{}` = ./name.
                    let sub = cmd.map { $0.replacing("{}", with: inDir ? "." : s) }
                    var u2 = PathUseCollector(cwd: inDir ? canonicalPath(s, cwd: cwd) : cwd, env: env)
                    u2.analyse(sub, depth: depth + 1)
                    for x in u2.out where !out.contains(x) { out.append(x) }
                }
            default:
                break
            }
        }
        for s in starts { add(s, startAccess) }
    }

    mutating func split(_ args: [String]) {
        let spec = OptSpec(shortValue: ["a", "b", "C", "l", "n", "t"],
                           longValue: ["suffix-length", "additional-suffix", "bytes", "line-bytes", "lines", "number", "separator", "filter"],
                           longOptional: ["numeric-suffixes", "hex-suffixes"],
                           longFlags: ["elide-empty-files", "unbuffered", "verbose"])
        let toks = tokenizeOptions(args, spec)
        if hasOpt(toks, "--filter") { unknown("split --filter") }
        let ops = optOperands(toks)
        if let f = ops.first { read(f) }
        write(ops.count > 1 ? ops[1] : "x")
    }

    mutating func mktemp(_ args: [String]) {
        let spec = OptSpec(shortValue: ["p"], longValue: ["suffix"], longOptional: ["tmpdir"],
                           longFlags: ["directory", "dry-run", "quiet"])
        let toks = tokenizeOptions(args, spec)
        if hasOpt(toks, "-u", "--dry-run") { return }
        let template = optOperands(toks).first ?? "tmp.XXXXXXXXXX"
        var dir: String? = optValues(toks, "-p", "--tmpdir").last
        if dir == nil && (hasOpt(toks, "-t", "--tmpdir") || optOperands(toks).isEmpty) { dir = "/tmp" }
        write(template, base: dir)
    }

    mutating func patch(_ args: [String]) {
        let spec = OptSpec(shortValue: ["B", "d", "D", "F", "g", "i", "o", "p", "r", "V", "Y", "z"],
                           longValue: ["prefix", "directory", "ifdef", "fuzz", "get", "input", "output", "strip", "reject-file",
                                       "version-control", "basename-prefix", "suffix", "quoting-style", "reject-format", "read-only"],
                           longFlags: ["backup", "remove-empty-files", "ed", "forward", "force", "dry-run", "binary", "posix",
                                       "reverse", "silent", "quiet", "batch", "normal", "context", "unified", "verbose"])
        let toks = tokenizeOptions(args, spec)
        let dir = optValues(toks, "-d", "--directory").last
        let dry = hasOpt(toks, "--dry-run")
        for t in toks {
            if case .opt(let n, let v) = t, let v {
                switch n {
                case "-i", "--input": read(v, base: dir)
                case "-o", "--output", "-r", "--reject-file", "-B", "--prefix": if !dry { write(v, base: dir) }
                default: break
                }
            }
        }
        let ops = optOperands(toks)
        let toOutput = hasOpt(toks, "-o", "--output")
        if let orig = ops.first { add(orig, toOutput || dry ? .read : .write, base: dir) }
        else if !dry && !toOutput { write(dir ?? ".") }
        if ops.count > 1 { read(ops[1], base: dir) }
    }

    mutating func openssl(_ args: [String]) {
        let writes: Set<String> = ["-out", "-keyout", "-writerand", "-reqout", "-respout", "-rspout", "-certsout", "-sess_out",
                                   "-keylogfile", "-msgfile", "-CAserial", "-out_trusted", "-sigout"]
        let reads: Set<String> = ["-in", "-inkey", "-key", "-signkey", "-CA", "-CAkey", "-CAfile", "-CApath", "-cert", "-certfile",
                                  "-config", "-extfile", "-rand", "-sigfile", "-signature", "-sess_in", "-paramfile", "-peerkey",
                                  "-verify", "-prverify", "-untrusted", "-trusted", "-chainCAfile", "-verifyCAfile", "-kfile"]
        var i = 1
        while i < args.count {
            let a = args[i]; i += 1
            if writes.contains(a) { if i < args.count { write(args[i]) }; i += 1; continue }
            if reads.contains(a) { if i < args.count { read(args[i]) }; i += 1; continue }
            if a == "-passin" || a == "-passout" || a == "-pass" || a == "-kfile" {
                if i < args.count, args[i].hasPrefix("file:") { read(String(args[i].dropFirst(5))) }
                i += 1; continue
            }
            if !a.hasPrefix("-") { guess(a) }
        }
    }

    mutating func sshKeygen(_ args: [String]) {
        let spec = OptSpec(shortValue: Set("CDEFIJMNOPRSVWZabfjmnrstwz"))
        let toks = tokenizeOptions(args, spec)
        if let f = optValues(toks, "-f").last { write(f) }
        else if let h = env.home { write(h + "/.ssh") }
        else { unknown("ssh-keygen without -f or HOME") }
        for v in optValues(toks, "-s", "-D") { read(v) }
        for o in optOperands(toks) { write(o) }
    }

    mutating func rsyncPaths(_ args: [String]) {
        let toks = tokenizeOptions(args, rsyncSpec)
        var ops = optOperands(toks)
        var dest: String? = nil
        if ops.count > 1 { dest = ops.removeLast() }
        let localDest = dest.flatMap { remoteSpec($0) == nil ? $0 : nil }
        let removeSources = hasOpt(toks, "--remove-source-files")
        for o in ops where remoteSpec(o) == nil { add(o, removeSources ? .write : .read) }
        if let d = localDest { write(d) }
        for t in toks {
            guard case .opt(let n, let v) = t, let v else { continue }
            switch n {
            case "--log-file", "--write-batch", "--only-write-batch": write(v)
            case "--files-from", "--exclude-from", "--include-from", "--password-file", "--read-batch": read(v)
            case "--backup-dir", "--temp-dir", "-T", "--partial-dir":
                if let d = localDest { write(v, base: d) }
            case "--link-dest", "--copy-dest", "--compare-dest":
                if let d = localDest { read(v, base: d) }
            case "-e", "--rsh":
                if !isPlainSSH(v) { unknown("rsync -e \(v)") }
            default: break
            }
        }
    }

    mutating func scpPaths(_ args: [String]) {
        let toks = tokenizeOptions(args, scpSpec)
        var ops = optOperands(toks)
        if hasOpt(toks, "-S") { unknown("scp -S") }
        for v in optValues(toks, "-F", "-i") { read(v) }
        guard ops.count > 1 else { return }
        let dest = ops.removeLast()
        for o in ops where remoteSpec(o) == nil && !o.hasPrefix("scp://") { read(o) }
        if remoteSpec(dest) == nil && !dest.hasPrefix("scp://") { write(dest) }
    }
}

struct SimpleTool {
    var spec: OptSpec
    var operands: Access? = .read
    var read: Set<String> = []
    var write: Set<String> = []
    /// Options that make the tool run another program: unbounded.
    var unknownIf: Set<String> = []
    /// The first operand is a pattern/program, unless one of `patternGivenBy` is present.
    var patternFirst = false
    var patternGivenBy: Set<String> = []
    /// Without operands, the tool works on cwd (ls, du), or only when one of these is present (grep -r).
    var cwdWhenNone: Access? = nil
    var cwdWhenNoneIf: Set<String>? = nil
    /// The second operand is written (uniq IN OUT, xxd IN OUT).
    var secondWrite = false
}

/// Read-only (and a few writing) tools described by their option tables.
let simpleTools: [String: SimpleTool] = {
    var t: [String: SimpleTool] = [:]
    func s(_ names: [String], _ v: SimpleTool) { for n in names { t[n] = v } }
    s(["cat"], SimpleTool(spec: OptSpec()))
    s(["tac"], SimpleTool(spec: OptSpec(shortValue: ["s"], longValue: ["separator"])))
    s(["nl"], SimpleTool(spec: OptSpec(shortValue: Set("bdfhilnsvw"), longValue: ["body-numbering", "section-delimiter", "footer-numbering", "header-numbering", "line-increment", "join-blank-lines", "number-format", "number-separator", "starting-line-number", "number-width"])))
    s(["od"], SimpleTool(spec: OptSpec(shortValue: ["A", "j", "N", "S", "t"], shortOptional: ["w"], longValue: ["address-radix", "skip-bytes", "read-bytes", "strings", "format"], longOptional: ["width"])))
    s(["xxd"], SimpleTool(spec: OptSpec(shortValue: ["c", "g", "l", "o", "s", "n"], permute: false), secondWrite: true))
    s(["hexdump", "hd"], SimpleTool(spec: OptSpec(shortValue: ["e", "f", "n", "s"]), read: ["-f"]))
    s(["strings"], SimpleTool(spec: OptSpec(shortValue: ["n", "t", "e", "T"], longValue: ["bytes", "radix", "encoding", "target", "output-separator"])))
    s(["wc"], SimpleTool(spec: OptSpec(longValue: ["files0-from", "total"]), read: ["--files0-from"]))
    s(["head", "tail"], SimpleTool(spec: OptSpec(shortValue: ["n", "c", "s"], longValue: ["lines", "bytes", "pid", "sleep-interval", "max-unchanged-stats"], longOptional: ["follow"])))
    s(["less", "more", "most"], SimpleTool(spec: OptSpec(shortValue: ["b", "h", "j", "k", "o", "O", "p", "P", "t", "T", "x", "y", "z"]), read: ["-k", "-T"], write: ["-o", "-O"]))
    s(["file"], SimpleTool(spec: OptSpec(shortValue: ["m", "f", "F", "e", "P"], longValue: ["magic-file", "files-from", "separator", "exclude", "exclude-quiet", "parameter"]), read: ["-m", "--magic-file", "-f", "--files-from"]))
    s(["stat"], SimpleTool(spec: OptSpec(shortValue: ["c"], longValue: ["format", "printf", "cached"])))
    s(["du"], SimpleTool(spec: OptSpec(shortValue: ["d", "B", "t", "X"], longValue: ["max-depth", "block-size", "threshold", "exclude", "exclude-from", "files0-from", "time-style"], longOptional: ["time"]), read: ["-X", "--exclude-from", "--files0-from"], cwdWhenNone: .read))
    s(["ls", "dir", "vdir"], SimpleTool(spec: OptSpec(shortValue: ["I", "T", "w"], longValue: ["block-size", "format", "hide", "ignore", "indicator-style", "quoting-style", "sort", "time", "time-style", "tabsize", "width"], longOptional: ["color", "hyperlink", "classify"]), cwdWhenNone: .read))
    s(["tree"], SimpleTool(spec: OptSpec(shortValue: ["L", "P", "I", "o", "H", "T"], longValue: ["charset", "filelimit", "timefmt", "sort", "fromfile", "infofile", "gitfile"]), write: ["-o"], cwdWhenNone: .read))
    s(["readlink", "realpath"], SimpleTool(spec: OptSpec(longValue: ["relative-to", "relative-base"]), read: ["--relative-to", "--relative-base"]))
    s(["md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "shasum"],
      SimpleTool(spec: OptSpec(shortValue: ["a", "l"], longValue: ["algorithm", "length"]), unknownIf: []))
    s(["base64", "base32", "basenc"], SimpleTool(spec: OptSpec(shortValue: ["w"], longValue: ["wrap"])))
    s(["cut"], SimpleTool(spec: OptSpec(shortValue: ["b", "c", "d", "f"], longValue: ["bytes", "characters", "delimiter", "fields", "output-delimiter"])))
    s(["paste"], SimpleTool(spec: OptSpec(shortValue: ["d"], longValue: ["delimiters"])))
    s(["join"], SimpleTool(spec: OptSpec(shortValue: ["a", "e", "j", "o", "t", "v", "1", "2"])))
    s(["comm"], SimpleTool(spec: OptSpec(longValue: ["output-delimiter"])))
    s(["fold", "fmt"], SimpleTool(spec: OptSpec(shortValue: ["w", "p", "g"], longValue: ["width", "prefix", "goal"])))
    s(["expand", "unexpand"], SimpleTool(spec: OptSpec(shortValue: ["t"], longValue: ["tabs"])))
    s(["column"], SimpleTool(spec: OptSpec(shortValue: ["s", "o", "c", "n", "N", "E", "H", "R", "l", "O", "W", "d"], longValue: ["separator", "output-separator", "output-width", "table-name", "table-columns", "table-noextreme", "table-hide", "table-right", "table-truncate", "table-order", "table-wrap"])))
    s(["grep", "egrep", "fgrep"], SimpleTool(spec: OptSpec(shortValue: ["e", "f", "m", "A", "B", "C", "d", "D"],
                                                      longValue: ["regexp", "file", "max-count", "after-context", "before-context", "context", "include", "exclude", "exclude-from", "exclude-dir", "label", "binary-files", "directories", "devices", "group-separator"],
                                                      longOptional: ["color", "colour"],
                                                      longFlags: ["recursive", "dereference-recursive", "count", "files-with-matches", "files-without-match", "ignore-case", "invert-match", "line-number", "only-matching", "quiet", "silent", "with-filename", "no-filename", "word-regexp", "line-regexp", "extended-regexp", "fixed-strings", "perl-regexp", "basic-regexp", "null", "null-data", "text", "byte-offset", "initial-tab"]),
                                       read: ["-f", "--file", "--exclude-from"], patternFirst: true, patternGivenBy: ["-e", "--regexp", "-f", "--file"],
                                       cwdWhenNone: .read, cwdWhenNoneIf: ["-r", "-R", "--recursive", "--dereference-recursive"]))
    s(["rg", "ripgrep"], SimpleTool(spec: OptSpec(shortValue: ["A", "B", "C", "e", "E", "f", "g", "j", "m", "M", "t", "T", "r", "d"],
                                             longValue: ["after-context", "before-context", "context", "regexp", "encoding", "file", "glob", "iglob", "threads", "max-count", "max-columns", "type", "type-not", "replace", "max-depth", "max-filesize", "type-add", "type-clear", "color", "colors", "context-separator", "field-context-separator", "field-match-separator", "path-separator", "dfa-size-limit", "regex-size-limit", "engine", "sort", "sortr", "pre", "pre-glob", "ignore-file", "hostname-bin", "hyperlink-format", "generate"],
                                             longFlags: ["files", "type-list", "hidden", "no-ignore", "follow", "count", "json", "files-with-matches", "line-number", "ignore-case", "smart-case", "fixed-strings", "word-regexp", "invert-match", "pcre2", "multiline", "no-heading", "heading", "vimgrep", "only-matching", "null", "text", "search-zip", "unrestricted", "debug", "trace", "stats"]),
                               read: ["-f", "--file", "--ignore-file"], unknownIf: ["--pre", "--hostname-bin", "-z", "--search-zip"],
                               patternFirst: true, patternGivenBy: ["-e", "--regexp", "-f", "--file", "--files", "--type-list"], cwdWhenNone: .read))
    s(["sort"], SimpleTool(spec: OptSpec(shortValue: ["k", "t", "S", "T", "o"], longValue: ["key", "field-separator", "buffer-size", "temporary-directory", "output", "files0-from", "random-source", "compress-program", "batch-size", "parallel", "sort"]),
                      read: ["--files0-from", "--random-source"], write: ["-o", "--output", "-T", "--temporary-directory"], unknownIf: ["--compress-program"]))
    s(["uniq"], SimpleTool(spec: OptSpec(shortValue: ["f", "s", "w"], longValue: ["skip-fields", "skip-chars", "check-chars"], longOptional: ["group", "all-repeated"]), secondWrite: true))
    s(["diff"], SimpleTool(spec: OptSpec(shortValue: ["C", "U", "F", "I", "x", "X", "S", "D", "W"],
                                    longValue: ["label", "from-file", "to-file", "line-format", "old-line-format", "new-line-format", "unchanged-line-format", "old-group-format", "new-group-format", "changed-group-format", "unchanged-group-format", "horizon-lines", "tabsize", "palette", "show-function-line", "ignore-matching-lines", "exclude", "exclude-from", "starting-file", "ifdef", "width"],
                                    longOptional: ["color", "unified", "context"]),
                      read: ["-X", "--exclude-from", "--from-file", "--to-file"]))
    s(["diff3"], SimpleTool(spec: OptSpec(shortValue: ["L"], longValue: ["label", "diff-program"]), unknownIf: ["--diff-program"]))
    s(["sdiff"], SimpleTool(spec: OptSpec(shortValue: ["o", "I", "w"], longValue: ["output", "ignore-matching-lines", "width", "diff-program", "tabsize"]), write: ["-o", "--output"], unknownIf: ["--diff-program"]))
    s(["cmp"], SimpleTool(spec: OptSpec(shortValue: ["i", "n"], longValue: ["ignore-initial", "bytes"])))
    s(["iconv"], SimpleTool(spec: OptSpec(shortValue: ["f", "t", "o"], longValue: ["from-code", "to-code", "output"]), write: ["-o", "--output"]))
    s(["tr", "yes"], SimpleTool(spec: OptSpec(), operands: nil))
    s(["date"], SimpleTool(spec: OptSpec(shortValue: ["d", "f", "r", "s", "I"], longValue: ["date", "file", "reference", "set"], longOptional: ["iso-8601", "rfc-3339"]), operands: nil, read: ["-f", "--file", "-r", "--reference"]))
    return t
}()

// MARK: - Helpers shared with Network.swift

/// `scheme://…` (a URL, not a path).
func isURL(_ s: String) -> Bool {
    guard let r = s.firstRange(of: "://") else { return false }
    let scheme = s[..<r.lowerBound]
    guard let f = scheme.first, f.isASCII, f.isLetter else { return false }
    return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
}

/// The path of a `file://` URL (`file:///x`, `file://localhost/x`), percent-decoded; nil otherwise.
func fileURLPath(_ s: String) -> String? {
    guard s.count > 7, s.prefix(7).lowercased() == "file://" else { return nil }
    var rest = s.dropFirst(7)
    if rest.lowercased().hasPrefix("localhost/") { rest = rest.dropFirst(9) }
    guard rest.hasPrefix("/") else { return nil }
    var p = String(rest)
    if let q = p.firstIndex(where: { $0 == "?" || $0 == "#" }) { p = String(p[..<q]) }
    return percentDecode(p).flatMap { String(validatingUTF8Bytes: $0) } ?? p
}

extension String {
    init?(validatingUTF8Bytes b: [UInt8]) {
        var it = b.makeIterator()
        var dec = UTF8()
        var s = ""
        loop: while true {
            switch dec.decode(&it) {
            case .scalarValue(let v): s.unicodeScalars.append(v)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = s
    }

}

/// `[user@]host:path` / `host::module` (scp/rsync remote): the host part, or nil for a local path
/// (no colon, or a `/` before the first colon). `[v6]:path` is handled.
func remoteSpec(_ s: String) -> String? {
    if s.hasPrefix("[") , let close = s.firstIndex(of: "]") {
        let after = s[s.index(after: close)...]
        guard after.hasPrefix(":") else { return nil }
        return String(s[...close])
    }
    guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return nil }
    if s[..<colon].contains("/") { return nil }
    return String(s[..<colon])
}

/// Whether an `rsync -e` command is plain ssh with harmless options.
func isPlainSSH(_ cmd: String) -> Bool {
    let w = cmd.split(separator: " ").map(String.init)
    guard let f = w.first, lastComponent(f) == "ssh" else { return false }
    var i = 1
    while i < w.count {
        switch w[i] {
        case "-p", "-i", "-l", "-c", "-m": i += 2
        case "-o":
            guard i + 1 < w.count else { return false }
            let key = w[i + 1].split(separator: "=").first.map { $0.lowercased() } ?? ""
            if sshRedirectingOptions.contains(key) { return false }
            i += 2
        case let x where x.hasPrefix("-") && x.count == 2 && "46AaCfgKkMNnqsTtVvXxYy".contains(x.last!): i += 1
        default: return false
        }
    }
    return true
}

let sshRedirectingOptions: Set<String> = ["proxycommand", "proxyjump", "hostname", "localcommand", "include", "match",
                                          "canonicaldomains", "canonicalizehostname", "permitlocalcommand", "knownhostscommand"]

/// git's own commands (anything else is an alias or an external `git-<name>` program).
let gitBuiltins: Set<String> = gitReadOnly.union([
    "add", "am", "apply", "bisect", "branch", "bundle", "checkout", "cherry-pick", "citool", "clean", "clone", "commit", "config",
    "fetch", "format-patch", "gc", "gui", "init", "maintenance", "merge", "mv", "notes", "pull", "push", "range-diff", "rebase",
    "reflog", "remote", "repack", "replace", "reset", "restore", "revert", "rm", "sparse-checkout", "stash", "submodule",
    "switch", "tag", "worktree", "fsck", "prune", "update-index", "update-ref", "symbolic-ref", "read-tree", "write-tree",
    "commit-tree", "hash-object", "mktag", "mktree", "pack-objects", "unpack-objects", "index-pack", "checkout-index",
    "merge-file", "merge-tree", "mergetool", "difftool", "rerere", "filter-branch", "fast-import", "fast-export",
    "send-email", "svn", "p4", "lfs", "request-pull", "imap-send", "http-fetch", "http-push", "daemon", "instaweb",
    "bugreport", "credential", "column", "hook", "interpret-trailers", "mailinfo", "mailsplit", "pack-refs", "prune-packed",
    "multi-pack-index", "commit-graph", "sh-i18n", "stripspace", "upload-pack", "receive-pack", "shell", "init-db",
    "annotate", "backfill", "replay", "refs", "last-modified", "scalar"])

let gitReadOnly: Set<String> = ["status", "log", "diff", "show", "grep", "blame", "annotate", "ls-files", "ls-tree", "rev-parse",
                                "rev-list", "describe", "shortlog", "cat-file", "ls-remote", "version", "help", "whatchanged",
                                "name-rev", "merge-base", "for-each-ref", "show-ref", "var", "check-ignore", "check-attr",
                                "count-objects", "diff-tree", "diff-files", "diff-index", "show-branch", "cherry", "range-diff",
                                "verify-commit", "verify-tag", "archive", "check-ref-format", "get-tar-commit-id"]

/// `-c key=value` settings that make git run a program.
func gitConfigRunsCommand(_ kv: String) -> Bool {
    let key = (kv.split(separator: "=", maxSplits: 1).first.map(String.init) ?? kv).lowercased()
    let bad = ["pager", "editor", "fsmonitor", "sshcommand", "hookspath", "external", "textconv", "askpass", "credential",
               "program", "command", "alias.", "filter.", "proxy", "uploadpack", "receivepack", "gitproxy", "helper", "tool",
               "cmd", "exec", "include", "worktree", "gitdir", "core.attributesfile", "core.excludesfile"]
    return bad.contains { key.contains($0) }
}

struct GitGlobal {
    var dirs: [String] = []           // each -C as written
    var dir: String? = nil            // the effective directory (relative ones joined)
    var configs: [String] = []
    var gitDir: String? = nil
    var workTree: String? = nil
    var rest: [String] = []
}

func parseGitGlobal(_ args: [String]) -> GitGlobal {
    let spec = OptSpec(shortValue: ["C", "c"], longValue: ["git-dir", "work-tree", "namespace", "config-env", "super-prefix", "list-cmds", "attr-source"],
                       longOptional: ["exec-path"],
                       longFlags: ["paginate", "no-pager", "bare", "no-replace-objects", "literal-pathspecs", "glob-pathspecs",
                                   "noglob-pathspecs", "icase-pathspecs", "no-optional-locks", "no-advice", "help", "version", "html-path",
                                   "man-path", "info-path"],
                       permute: false)
    var g = GitGlobal()
    let toks = tokenizeOptions(args, spec)
    for t in toks {
        switch t {
        case .opt(let n, let v):
            guard let v else { continue }
            switch n {
            case "-C": g.dirs.append(v); g.dir = g.dir.map { joinPathLexically($0, v) } ?? v
            case "-c", "--config-env": g.configs.append(v)
            case "--git-dir": g.gitDir = v
            case "--work-tree": g.workTree = v
            default: break
            }
        case .unknown: break
        case .operand(let o): g.rest.append(o)
        }
    }
    return g
}

let gitCloneSpec = OptSpec(shortValue: ["o", "b", "u", "c", "j"],
                           longValue: ["origin", "branch", "upload-pack", "template", "reference", "reference-if-able", "separate-git-dir",
                                       "depth", "shallow-since", "shallow-exclude", "config", "jobs", "filter", "server-option",
                                       "bundle-uri", "ref-format", "revision"],
                           longOptional: ["recurse-submodules", "recursive"],
                           longFlags: ["local", "no-hardlinks", "shared", "dissociate", "quiet", "verbose", "progress", "no-checkout",
                                       "bare", "mirror", "single-branch", "no-single-branch", "no-tags", "shallow-submodules",
                                       "no-shallow-submodules", "remote-submodules", "no-remote-submodules", "sparse", "reject-shallow",
                                       "no-reject-shallow", "also-filter-submodules"])

/// A git repository location: local (a path or file://), as opposed to a network transport.
func gitURLIsLocal(_ url: String) -> Bool {
    if url.lowercased().hasPrefix("file://") { return true }
    if isURL(url) || url.contains("::") { return false }
    return remoteSpec(url) == nil
}

/// Walks up from `dir` (canonical) for a git repository: the work tree root and the git
/// directory (`.git` directory, or the target of a `.git` file's `gitdir:` line).
func findGitRepo(from dir: String) -> (root: String, gitDir: String)? {
    var d = dir
    while true {
        let dotgit = joinPathLexically(d, ".git")
        var st = stat()
        if stat(dotgit, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return (d, dotgit) }
            if let text = readSmallTextFile(dotgit, limit: 65536) {
                for line in text.split(separator: "\n") where line.hasPrefix("gitdir:") {
                    let p = line.dropFirst(7).trimmingSpaces()
                    return (d, canonicalPath(p, cwd: d))
                }
            }
        }
        // A bare repository (or being inside a .git directory).
        if pathExists(joinPathLexically(d, "HEAD")) && pathIsDirectory(joinPathLexically(d, "objects")) && pathIsDirectory(joinPathLexically(d, "refs")) {
            return (d, d)
        }
        if d == "/" { return nil }
        d = parentPath(d)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - sed and awk scripts

/// Files a sed script reads (`r`, `R`) and writes (`w`, `W`, `s///w`), whether it runs commands
/// (`e`, `s///e`), and whether it was understood at all.
func sedScriptEffects(_ script: String) -> (reads: [String], writes: [String], exec: Bool, ok: Bool) {
    let c = Array(script)
    var i = 0
    var reads: [String] = [], writes: [String] = []
    var exec = false
    func peek() -> Character? { i < c.count ? c[i] : nil }
    func skipBlanks() { while let ch = peek(), ch == " " || ch == "\t" { i += 1 } }
    func toEOL() -> String {
        var s = ""
        while let ch = peek(), ch != "\n" { s.append(ch); i += 1 }
        return s
    }
    func filename() -> String {
        skipBlanks()
        return toEOL()
    }
    /// Skips a delimited part (regex or replacement) ending at `d`; false if unterminated.
    func delimited(_ d: Character) -> Bool {
        while let ch = peek() {
            i += 1
            if ch == "\\" { i += 1; continue }
            if ch == d { return true }
            if ch == "\n" && d != "\n" { return false }
        }
        return false
    }
    func address() -> Bool {
        guard let ch = peek() else { return true }
        if ch.isNumber {
            while let d = peek(), d.isNumber { i += 1 }
            if peek() == "~" { i += 1; while let d = peek(), d.isNumber { i += 1 } }
        } else if ch == "$" {
            i += 1
        } else if ch == "/" || ch == "\\" {
            var d: Character = "/"
            if ch == "\\" { i += 1; guard let x = peek() else { return false }; d = x }
            i += 1
            guard delimited(d) else { return false }
            while let f = peek(), f == "I" || f == "M" { i += 1 }
        }
        return true
    }
    func noteWrite(_ f: String) {
        if f != "/dev/stdout" && f != "/dev/stderr" { writes.append(f) }
    }
    while i < c.count {
        while let ch = peek(), ch == " " || ch == "\t" || ch == "\n" || ch == ";" || ch == "}" { i += 1 }
        guard let first = peek() else { break }
        if first == "#" { _ = toEOL(); continue }
        guard address() else { return (reads, writes, exec, false) }
        skipBlanks()
        if peek() == "," {
            i += 1; skipBlanks()
            if let ch = peek(), ch == "+" || ch == "~" { i += 1; while let d = peek(), d.isNumber { i += 1 } }
            else { guard address() else { return (reads, writes, exec, false) } }
            skipBlanks()
        }
        while peek() == "!" { i += 1; skipBlanks() }
        guard let cmd = peek() else { return (reads, writes, exec, false) }
        i += 1
        switch cmd {
        case "{", "=", "d", "D", "g", "G", "h", "H", "n", "N", "p", "P", "x", "z", "F":
            continue
        case "q", "Q", "l", "L":
            skipBlanks(); while let d = peek(), d.isNumber { i += 1 }
        case ":":
            while let ch = peek(), ch != "\n", ch != ";" { i += 1 }
        case "b", "t", "T":
            while let ch = peek(), ch != "\n", ch != ";", ch != "}" { i += 1 }
        case "a", "i", "c":
            // Text to the end of the line; a backslash-newline continues it.
            while let ch = peek() {
                i += 1
                if ch == "\\" { i += 1; continue }
                if ch == "\n" { break }
            }
        case "r", "R": reads.append(filename())
        case "w", "W": noteWrite(filename())
        case "e": exec = true; _ = toEOL()
        case "v": while let ch = peek(), ch != "\n", ch != ";" { i += 1 }
        case "s", "y":
            guard let d = peek(), d != "\n", d != "\\" else { return (reads, writes, exec, false) }
            i += 1
            guard delimited(d), delimited(d) else { return (reads, writes, exec, false) }
            if cmd == "s" {
                while let f = peek() {
                    if f == "w" { i += 1; noteWrite(filename()); break }
                    if f == "e" { exec = true; i += 1; continue }
                    if "gpiImM0123456789".contains(f) { i += 1; continue }
                    break
                }
            }
        default:
            return (reads, writes, exec, false)
        }
    }
    return (reads, writes, exec, true)
}

/// Whether an awk program may write files or run commands: `print`/`printf` redirected with
/// `>`/`|`, `system(`, a `|` into `getline`, `fflush`-free heuristics. Deliberately coarse:
/// comparisons like `$3 > 100` outside print statements do not count.
func awkProgramEffects(_ p: String) -> (writes: Bool, Void) {
    let chars = Array(p)
    var i = 0
    var inString = false
    var inPrint = false
    var word = ""
    func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    while i < chars.count {
        let ch = chars[i]
        if inString {
            if ch == "\\" { i += 2; continue }
            if ch == "\"" { inString = false }
            i += 1; continue
        }
        if isWordChar(ch) { word.append(ch); i += 1; continue }
        if !word.isEmpty {
            if word == "print" || word == "printf" { inPrint = true }
            if word == "system" || word == "close" && false { return (true, ()) }
            word = ""
        }
        switch ch {
        case "\"": inString = true
        case "|": if i + 1 < chars.count && chars[i + 1] == "|" { i += 1 } else { return (true, ()) }
        case ">": if inPrint { return (true, ()) }
        case ";", "}", "{", "\n": inPrint = false
        case "(":
            // Parenthesised comparisons inside print: `print (a > b)` — skip to the matching paren.
            if inPrint {
                var depth = 1; i += 1
                while i < chars.count && depth > 0 {
                    if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                    else if chars[i] == "|" { return (true, ()) }
                    i += 1
                }
                continue
            }
        default: break
        }
        i += 1
    }
    if word == "system" { return (true, ()) }
    return (false, ())
}
