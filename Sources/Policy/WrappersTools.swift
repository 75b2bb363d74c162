// Tools with options or subcommands that execute something: find, git, tar, rsync, ssh, vim,
// make, at/crontab, less, man.

func toolHandler(_ name: String) -> Handler? {
    switch name {
    case "find": return { _, a in findInner(a) }
    case "git": return { _, a in gitInner(a) }
    case "tar": return { _, a in tarInner(a) }
    case "gtar": return { _, a in tarInner(a) }
    case "rsync": return { _, a in rsyncInner(a) }
    case "ssh": return { _, a in sshInner(a) }
    case "scp": return { n, a in scpInner(n, a) }
    case "sftp": return { n, a in scpInner(n, a) }
    case "at": return { _, a in atInner(a) }
    case "batch": return { _, a in atInner(a) }
    case "crontab": return { _, a in a.contains("-l") || a.contains("-r") || a.contains("-V") ? [] : [.unknown("crontab installs commands to run later")] }
    case "less": return { _, a in lessInner(a) }
    case "man": return { _, a in manInner(a) }
    case "vim", "vi", "nvim", "view", "vimdiff", "gvim", "rvim", "rview", "evim", "gview", "nvi", "elvis", "vim.basic", "vim.tiny":
        return { name, a in vimInner(name, a) }
    case "ex": return { _, a in onlyVersionOrHelp(a) ? [] : [.unknown("ex runs editor commands from its input")] }
    case "make", "gmake", "bmake", "pmake": return { _, a in onlyVersionOrHelp(a) ? [] : [.unknown("make recipes run commands")] }
    default: return nil
    }
}

// MARK: - find

/// Primaries taking one argument (so it is not mistaken for `-exec`).
private let findOneArg: Set<String> = [
    "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-lname", "-ilname",
    "-newer", "-anewer", "-cnewer", "-perm", "-type", "-xtype", "-user", "-group", "-uid", "-gid", "-size",
    "-mtime", "-atime", "-ctime", "-mmin", "-amin", "-cmin", "-used", "-links", "-inum", "-samefile", "-fstype",
    "-maxdepth", "-mindepth", "-context", "-fprint", "-fprint0", "-fls", "-regextype", "-files0-from", "-printf",
]

/// find … -exec CMD ARGS ; / -exec CMD ARGS {} + / -execdir / -ok / -okdir: one argv each,
/// `{}` kept as the literal word. When the file names decide what runs (`-exec {} ;`,
/// `-exec sh -c 'echo {}' ;`, `-exec bash {} ;`) the answer is unknown.
func findInner(_ args: [String]) -> [Inner] {
    var i = 0
    while i < args.count {  // leading options -H -L -P -D opts -Olevel
        let w = args[i]
        if w == "-H" || w == "-L" || w == "-P" || (w.hasPrefix("-O") && w.count > 2) { i += 1; continue }
        if w == "-D" { i += 2; continue }
        break
    }
    while i < args.count {  // starting points
        let w = args[i]
        if w.hasPrefix("-") || w == "(" || w == "!" || w == ")" || w == "," { break }
        i += 1
    }
    var out: [Inner] = []
    while i < args.count {
        let w = args[i]
        if w == "-exec" || w == "-execdir" || w == "-ok" || w == "-okdir" {
            var j = i + 1
            var end: Int? = nil
            while j < args.count {
                if args[j] == ";" || (args[j] == "+" && j > i + 1 && args[j - 1] == "{}") { end = j; break }
                j += 1
            }
            guard let e = end else { out.append(.unknown("find \(w) without a terminating ';' or '+'")); break }
            let cmd = Array(args[(i + 1)..<e])
            if cmd.isEmpty { out.append(.unknown("find \(w) without a command")) }
            else if substitutionRunsCode(cmd, "{}") { out.append(.unknown("find \(w) puts file names where they decide what runs")) }
            else { out.append(.argv(cmd, env: [])) }
            i = e + 1
            continue
        }
        if findOneArg.contains(w) || (w.hasPrefix("-newer") && w.count == 8) { i += 2; continue }
        if w == "-fprintf" { i += 3; continue }
        i += 1
    }
    return out
}

// MARK: - git

/// Config keys (lowercased) that make git run a program. `value` nil: unknown value.
public func gitConfigRunsProgram(_ key: String, value: String?) -> Bool {
    let k = key.lowercased()
    let parts = k.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 2, let first = parts.first, let last = parts.last else { return false }
    let v = value?.trimmingSpaces.lowercased()
    let boolish: Set<String> = ["true", "false", "yes", "no", "on", "off", "1", "0", ""]
    switch first {
    case "alias": return false  // handled where the alias is used
    case "include", "includeif": return true  // pulls in another config file
    case "protocol":
        if last == "allow" && (parts.count == 2 || parts[1] == "ext") { return v != "never" }
        return false
    case "pager": return !harmlessPager(value)
    case "core":
        switch last {
        case "pager": return !harmlessPager(value)
        case "fsmonitor": return v.map { !boolish.contains($0) } ?? true
        case "editor", "sshcommand", "askpass", "hookspath", "gitproxy", "alternaterefscommand": return true
        default: return false
        }
    case "credential": return last == "helper" && v != ""
    case "uploadpack": return last == "packobjectshook"
    case "remote": return ["uploadpack", "receivepack", "vcs"].contains(last)
    case "diff": return ["external", "textconv", "command"].contains(last)
    case "merge": return last == "driver"
    case "filter": return ["clean", "smudge", "process"].contains(last)
    case "gpg": return last == "program" || last == "defaultkeycommand"
    case "sequence": return last == "editor"
    case "interactive": return last == "difffilter"
    case "sendemail": return ["sendmailcmd", "smtpserver", "tocmd", "cccmd", "headercmd"].contains(last)
    case "instaweb": return true
    default: break
    }
    // Anything else named like a program to run (difftool.*.cmd, man.*.cmd, browser.*.path,
    // hook.*.command, mergetool.*.cmd, web.browser, …).
    return ["cmd", "command", "program", "path", "helper", "editor", "pager", "browser", "viewer", "sshcommand", "hook"].contains(last)
        && !["safe", "core", "http", "commit", "blame", "status", "log", "grep", "diff", "init", "clone", "bundle", "submodule"].contains(first)
}

private func harmlessPager(_ value: String?) -> Bool {
    guard let v = value?.trimmingSpaces else { return false }
    if ["", "cat", "less", "more", "false", "true", "no", "yes", "off", "on", "0", "1"].contains(v.lowercased()) { return true }
    // `less -R`, `less -FRX`: less with plain options.
    let words = v.split(separator: " ")
    return words.first == "less" && words.dropFirst().allSatisfy { $0.hasPrefix("-") && $0.allSatisfy { $0.isLetter || $0 == "-" } }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// git's split_cmdline (alias values): whitespace separates; '…' and "…" quote; backslash
/// escapes the next character outside single quotes. nil: unclosed quote.
func gitSplitCmdline(_ s: String) -> [String]? {
    var words: [String] = []
    var cur = ""
    var inWord = false
    var quote: Character? = nil
    var esc = false
    for c in s {
        if esc { cur.append(c); esc = false; continue }
        if c == "\\" && quote != "'" { esc = true; inWord = true; continue }
        if let q = quote {
            if c == q { quote = nil } else { cur.append(c) }
            continue
        }
        if c == "'" || c == "\"" { quote = c; inWord = true; continue }
        if c == " " || c == "\t" || c == "\n" {
            if inWord { words.append(cur); cur = ""; inWord = false }
            continue
        }
        cur.append(c); inWord = true
    }
    if quote != nil || esc { return nil }
    if inWord { words.append(cur) }
    return words
}

/// git global options taking the next word as value.
let gitGlobalWithValue: Set<String> = ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--super-prefix",
                                       "--config-env", "--list-cmds", "--attr-source", "--exec-path"]

/// git [global options] SUBCOMMAND …: config on the command line that runs programs
/// (`-c core.fsmonitor=…`, `--config-env`, `--exec-path=…`), aliases defined on the command
/// line (`-c alias.x='!cmd' x` → shell; `-c alias.x='push -f' x` → the expanded git argv),
/// and subcommands that run commands given as arguments (submodule foreach, bisect run,
/// rebase --exec/-i, filter-branch filters, difftool -x, --upload-pack/--receive-pack/--exec,
/// clone --template/-c, config setting such keys, grep -O).
func gitInner(_ args: [String]) -> [Inner] {
    var out: [Inner] = []
    var config: [(String, String?)] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if !w.hasPrefix("-") { break }
        let eq = w.firstIndex(of: "=")
        let n = eq.map { String(w[..<$0]) } ?? w
        let v: String? = eq.map { String(w[w.index(after: $0)...]) }
        switch n {
        case "-c":
            guard i + 1 < args.count else { return [] }
            let kv = args[i + 1]
            if let e = kv.firstIndex(of: "=") { config.append((String(kv[..<e]), String(kv[kv.index(after: e)...]))) }
            else { config.append((kv, "true")) }
            i += 2
        case "--config-env":
            let spec = v ?? (i + 1 < args.count ? args[i + 1] : "")
            let key = spec.split(separator: "=", maxSplits: 1).first.map(String.init) ?? spec
            if key.lowercased().hasPrefix("alias.") || gitConfigRunsProgram(key, value: nil) {
                out.append(.unknown("git --config-env \(key) takes its value from the environment"))
            }
            i += v == nil ? 2 : 1
        case "--exec-path":
            if v != nil { return [.unknown("git --exec-path= runs git commands from another directory")] }
            return []  // prints the path
        case "-C", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--list-cmds", "--attr-source":
            if n == "-C" && v != nil { return [.unknown("git: unknown option \(w)")] }
            i += (v == nil) ? 2 : 1
        case "--version", "--help", "-h", "--html-path", "--man-path", "--info-path", "-v":
            return []
        case "-p", "--paginate", "-P", "--no-pager", "--bare", "--no-replace-objects", "--literal-pathspecs",
             "--glob-pathspecs", "--noglob-pathspecs", "--icase-pathspecs", "--no-optional-locks",
             "--no-lazy-fetch", "--no-advice":
            i += 1
        default:
            return [.unknown("git: unrecognised global option \(w)")]
        }
    }
    for (k, v) in config where gitConfigRunsProgram(k, value: v) {
        out.append(.unknown("git -c \(k) runs a program"))
    }
    guard i < args.count else { return out }
    let sub = args[i]
    let rest = Array(args[(i + 1)...])
    // Aliases defined on this command line (the last definition wins; names are case-insensitive).
    let aliases = config.filter { $0.0.lowercased().hasPrefix("alias.") }
    if let def = aliases.last(where: { $0.0.lowercased() == "alias." + sub.lowercased() }) {
        let value = def.1 ?? "true"
        if value.hasPrefix("!") {
            let cmd = String(value.dropFirst())
            if rest.isEmpty { out.append(.shellScript(cmd, argv0: nil, args: [])) }
            else { out.append(.shellScript(cmd + " \"$@\"", argv0: cmd, args: rest)) }
            return out
        }
        guard let words = gitSplitCmdline(value), let head = words.first else {
            out.append(.unknown("git alias \(sub) cannot be split")); return out
        }
        if aliases.contains(where: { $0.0.lowercased() == "alias." + head.lowercased() }) {
            out.append(.unknown("git alias \(sub) expands to another command-line alias")); return out
        }
        out.append(.argv(["git"] + Array(args[..<i]) + words + rest, env: []))
        return out
    }
    out += gitSubcommandInner(sub, rest)
    return out
}

private func gitSubcommandInner(_ sub: String, _ rest: [String]) -> [Inner] {
    var out: [Inner] = []
    /// The value of an option (long by exact name or unambiguous-enough prefix, or short).
    func values(_ longs: [String], _ shorts: [String], withValue: Set<String>) -> [String] {
        let p = parseArguments(rest, withValue: withValue, stopAtFirstOperand: false)
        var vals: [String] = []
        for o in p.options {
            let isLong = o.spelling.hasPrefix("--") && longs.contains { r in optionMatches(o, rule: r) && o.spelling.count >= 5 }
            if isLong || shorts.contains(o.spelling) { vals.append(o.value ?? "") }
        }
        return vals
    }
    switch sub {
    case "submodule":
        if let k = rest.firstIndex(of: "foreach") {
            var cmd = Array(rest[(k + 1)...])
            while let f = cmd.first, f.hasPrefix("-") { cmd.removeFirst(); if f == "--" { break } }
            if !cmd.isEmpty { out.append(.shellScript(cmd.joined(separator: " "), argv0: nil, args: [])) }
        }
    case "bisect":
        if rest.first == "run", rest.count > 1 { out.append(.argv(Array(rest.dropFirst()), env: [])) }
    case "rebase":
        let wv: Set<String> = ["-x", "--exec", "-s", "--strategy", "-X", "--strategy-option", "--onto", "-C", "--whitespace"]
        for v in values(["--exec"], ["-x"], withValue: wv) { out.append(.shellScript(v, argv0: nil, args: [])) }
        let p = parseArguments(rest, withValue: wv, stopAtFirstOperand: false)
        if p.options.contains(where: { o in ["-i", "--interactive", "--edit-todo"].contains { optionMatches(o, rule: $0) && (o.spelling == $0 || o.spelling.count >= 6) } }) {
            out.append(.unknown("git rebase -i runs an editor"))
        }
    case "filter-branch":
        let filters = ["--env-filter", "--tree-filter", "--index-filter", "--parent-filter", "--msg-filter",
                       "--commit-filter", "--tag-name-filter", "--setup"]
        var k = 0
        while k < rest.count {
            let w = rest[k]
            let n = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
            if filters.contains(n) {
                let v = w.contains("=") ? String(w.drop { $0 != "=" }.dropFirst()) : (k + 1 < rest.count ? rest[k + 1] : "")
                out.append(.shellScript(v, argv0: nil, args: []))
                if !w.contains("=") { k += 1 }
            }
            k += 1
        }
    case "difftool", "mergetool":
        let v = values(["--extcmd"], ["-x"], withValue: ["-x", "--extcmd", "-t", "--tool", "-O"])
        if v.isEmpty { out.append(.unknown("git \(sub) runs the configured tool")) }
        for c in v { out.append(.shellScript(c, argv0: nil, args: [])) }
    case "fetch", "pull", "clone", "ls-remote", "push", "archive", "send-pack", "fetch-pack", "remote":
        let longs = ["--upload-pack", "--receive-pack", "--exec"]
        let shorts = sub == "clone" || sub == "ls-remote" || sub == "fetch" || sub == "pull" ? ["-u"] : []
        if !values(longs, shorts, withValue: Set(longs + shorts + ["-c", "--config", "-o", "--origin", "-b", "--branch"])).isEmpty {
            out.append(.unknown("git \(sub) runs a program given on the command line"))
        }
        if sub == "clone" {
            let p = parseArguments(rest, withValue: ["-c", "--config", "-u", "--upload-pack", "--template", "-o", "-b",
                                                     "--origin", "--branch", "--reference", "--separate-git-dir",
                                                     "--depth", "--filter", "-j", "--jobs"], stopAtFirstOperand: false)
            for o in p.options {
                if optionMatches(o, rule: "--template") && o.spelling.count >= 5 {
                    out.append(.unknown("git clone --template installs hooks"))
                }
                if o.spelling == "-c" || (optionMatches(o, rule: "--config") && o.spelling.count >= 5), let kv = o.value {
                    let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
                    if gitConfigRunsProgram(parts[0], value: parts.count > 1 ? parts[1] : "true") {
                        out.append(.unknown("git clone -c \(parts[0]) runs a program"))
                    }
                }
            }
        }
    case "config":
        out += gitConfigSet(rest)
    case "grep":
        if rest.contains(where: { $0.hasPrefix("-O") || $0.hasPrefix("--open-files") }) {
            out.append(.unknown("git grep -O opens the files in a program"))
        }
    case "instaweb", "web--browse":
        out.append(.unknown("git \(sub) starts a program"))
    default:
        break
    }
    return out
}

/// `git config KEY VALUE` / `git config set KEY VALUE` / `--add` / `--replace-all` of a key
/// that runs programs, and `git config --edit`.
private func gitConfigSet(_ rest: [String]) -> [Inner] {
    let wv: Set<String> = ["-f", "--file", "--blob", "--type", "--default", "--comment", "--value"]
    let p = parseArguments(rest, withValue: wv, stopAtFirstOperand: false)
    let readOnly = ["--get", "--get-all", "--get-regexp", "--get-urlmatch", "-l", "--list", "--unset", "--unset-all",
                    "--remove-section", "--rename-section", "--get-color", "--get-colorbool"]
    if p.options.contains(where: { $0.spelling == "-e" || $0.spelling == "--edit" }) || p.operands.first == "edit" {
        return [.unknown("git config --edit runs an editor")]
    }
    if p.options.contains(where: { o in readOnly.contains(o.spelling) }) { return [] }
    var ops = p.operands
    if let f = ops.first {
        if ["get", "list", "unset", "remove-section", "rename-section"].contains(f) { return [] }
        if f == "set" { ops.removeFirst() }
    }
    guard ops.count >= 2 else { return [] }
    let key = ops[0]
    if key.lowercased().hasPrefix("alias.") && ops[1].hasPrefix("!") {
        return [.unknown("git config defines a shell alias")]
    }
    return gitConfigRunsProgram(key, value: ops[1]) ? [.unknown("git config sets \(key), which runs a program")] : []
}

// MARK: - tar

private let tarShortValue: Set<Character> = ["b", "C", "f", "F", "g", "H", "I", "K", "L", "N", "T", "V", "X"]
private let tarDangerous = ["to-command", "checkpoint-action", "use-compress-program", "rsh-command", "info-script",
                            "new-volume-script"]
/// Real tar long options that are prefixes of the dangerous ones (an exact match wins).
private let tarExactNotDangerous: Set<String> = ["checkpoint"]
private let tarLongValue: Set<String> = ["file", "directory", "files-from", "exclude-from", "exclude", "listed-incremental",
                                         "format", "starting-file", "tape-length", "newer", "after-date", "label",
                                         "blocking-factor", "record-size", "owner", "group", "mode", "mtime",
                                         "transform", "xform", "suffix", "newer-mtime", "index-file", "volno-file",
                                         "checkpoint", "warning", "occurrence", "strip-components", "quoting-style",
                                         "hole-detection", "sort", "exclude-tag", "exclude-tag-all", "exclude-tag-under",
                                         "pax-option", "owner-map", "group-map", "backup", "clamp-mtime", "level",
                                         "atime-preserve"]

/// tar: `--to-command=CMD`, `--checkpoint-action=exec=CMD`, `-I CMD`/`--use-compress-program`,
/// `-F`/`--info-script`/`--new-volume-script` run CMD through /bin/sh -c; `--rsh-command`
/// and a remote archive (`-f host:file` without --force-local) run programs for a remote host.
func tarInner(_ args: [String]) -> [Inner] {
    var out: [Inner] = []
    var archives: [String] = []
    var fileLists: [String] = []
    var forceLocal = false, verbatim = false
    func dangerous(_ name: String, _ value: String) {
        switch name {
        case "to-command", "use-compress-program", "info-script", "new-volume-script":
            out.append(.shellScript(value, argv0: nil, args: []))
        case "checkpoint-action":
            if value.hasPrefix("exec=") { out.append(.shellScript(String(value.dropFirst(5)), argv0: nil, args: [])) }
        case "rsh-command":
            out.append(.unknown("tar --rsh-command runs a program for a remote archive"))
        default: break
        }
    }
    func shortOption(_ c: Character, _ v: String) {
        switch c {
        case "I": dangerous("use-compress-program", v)
        case "F": dangerous("info-script", v)
        case "f": archives.append(v)
        case "T": fileLists.append(v)
        default: break
        }
    }
    var i = 0
    // Old style: the first word is a cluster without a dash; values follow in order.
    if let first = args.first, !first.hasPrefix("-") {
        var next = 1
        for c in first where tarShortValue.contains(c) {
            if next < args.count { shortOption(c, args[next]); next += 1 }
        }
        i = next
    }
    while i < args.count {
        let w = args[i]
        if w == "--" { break }
        if w.hasPrefix("--") {
            let body = w.dropFirst(2)
            let eq = body.firstIndex(of: "=")
            let name = String(eq.map { body[..<$0] } ?? body)
            let inline: String? = eq.map { String(body[body.index(after: $0)...]) }
            if name == "force-local" { forceLocal = true }
            if name.count >= 3 && "verbatim-files-from".hasPrefix(name) { verbatim = true }
            if name.count >= 3 && "no-verbatim-files-from".hasPrefix(name) { verbatim = false }
            if name.count >= 3 && "files-from".hasPrefix(name) {
                var v = inline
                if v == nil, i + 1 < args.count { v = args[i + 1]; i += 1 }
                fileLists.append(v ?? "")
                i += 1
                continue
            }
            let hits = tarExactNotDangerous.contains(name) ? [] : tarDangerous.filter { $0.hasPrefix(name) && !name.isEmpty }
            if let d = hits.first {
                var v = inline
                if v == nil, i + 1 < args.count { v = args[i + 1]; i += 1 }
                if hits.count == 1 { dangerous(d, v ?? "") }
                else { out.append(.unknown("tar: ambiguous option --\(name)")) }
            } else if name.count >= 2, "file".hasPrefix(name) || name == "file" {
                var v = inline
                if v == nil, i + 1 < args.count { v = args[i + 1]; i += 1 }
                if let v { archives.append(v) }
            } else if inline == nil, tarLongValue.contains(name) {
                i += 1
            }
            i += 1
            continue
        }
        if w.hasPrefix("-") && w.count > 1 {
            let cs = Array(w.dropFirst())
            var j = 0
            var consumed = 1
            while j < cs.count {
                if tarShortValue.contains(cs[j]) {
                    let v: String
                    if j + 1 < cs.count { v = String(cs[(j + 1)...]) }
                    else if i + 1 < args.count { v = args[i + 1]; consumed = 2 }
                    else { break }
                    shortOption(cs[j], v)
                    break
                }
                j += 1
            }
            i += consumed
            continue
        }
        i += 1
    }
    // A file list's lines starting with `-` are options (GNU tar's default), which can be
    // --to-command=… or --checkpoint-action=exec=….
    if !verbatim && !fileLists.isEmpty {
        out.append(.unknown("tar -T reads options from a file list (use --verbatim-files-from)"))
    }
    if !forceLocal {
        for a in archives {
            if let colon = a.firstIndex(of: ":"), !a[..<colon].contains("/") {
                out.append(.unknown("tar archive \(a) is on another host (runs rsh/ssh)"))
            }
        }
    }
    return out
}

// MARK: - rsync, ssh, scp, sftp

/// rsync -e CMD / --rsh=CMD: the remote shell command.
func rsyncInner(_ args: [String]) -> [Inner] {
    let shortValue: Set<Character> = ["e", "B", "f", "T", "M", "@"]
    var out: [Inner] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { break }
        if w.hasPrefix("--") {
            let body = w.dropFirst(2)
            let eq = body.firstIndex(of: "=")
            let name = String(eq.map { body[..<$0] } ?? body)
            if name == "rsh" || (name.count >= 1 && "rsh".hasPrefix(name)) {
                var v = eq.map { String(body[body.index(after: $0)...]) }
                if v == nil, i + 1 < args.count { v = args[i + 1]; i += 1 }
                out.append(.shellScript(v ?? "", argv0: nil, args: []))
            }
            i += 1
            continue
        }
        if w.hasPrefix("-") && w.count > 1 {
            let cs = Array(w.dropFirst())
            var consumed = 1
            for (j, c) in cs.enumerated() where shortValue.contains(c) {
                let v: String
                if j + 1 < cs.count { v = String(cs[(j + 1)...]) }
                else if i + 1 < args.count { v = args[i + 1]; consumed = 2 }
                else { break }
                if c == "e" { out.append(.shellScript(v, argv0: nil, args: [])) }
                break
            }
            i += consumed
            continue
        }
        i += 1
    }
    return out
}

/// `-o Key=Value` / `-o 'Key Value'` options of ssh-family tools that run local commands.
private func sshOptionInner(_ v: String) -> Inner? {
    var key = Substring(v), value = Substring("")
    if let sep = v.firstIndex(where: { $0 == "=" || $0 == " " || $0 == "\t" }) {
        key = v[..<sep]
        value = v[v.index(after: sep)...].drop { $0 == " " || $0 == "\t" || $0 == "=" }
    }
    let k = key.lowercased()
    if ["proxycommand", "localcommand", "knownhostscommand", "remotecommand"].contains(k) {
        if k == "remotecommand" { return .unknown("runs a command on another host") }
        if value.lowercased() == "none" { return nil }
        return .shellScript(String(value), argv0: nil, args: [])
    }
    if ["include", "permitlocalcommand", "match"].contains(k) { return .unknown("ssh -o \(key) can run commands") }
    return nil
}

/// ssh [options] HOST [options] [COMMAND…]: a remote command (or a remote shell reading stdin)
/// runs on another host: unknown. ProxyCommand/LocalCommand/KnownHostsCommand run locally.
func sshInner(_ args: [String]) -> [Inner] {
    let valued: Set<Character> = ["B", "b", "c", "D", "E", "e", "F", "I", "i", "J", "L", "l", "m", "O", "o", "P", "p",
                                  "Q", "R", "S", "W", "w"]
    var out: [Inner] = []
    var host: String? = nil
    var noCommand = false, printsOnly = false
    var command: [String] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" && host == nil { i += 1; if i < args.count { host = args[i]; i += 1 }; command = Array(args[min(i, args.count)...]); break }
        if !w.hasPrefix("-") || w == "-" {
            if host == nil { host = w; i += 1; continue }
            command = Array(args[i...]); break
        }
        let cs = Array(w.dropFirst())
        var consumed = 1
        var j = 0
        while j < cs.count {
            let c = cs[j]
            if valued.contains(c) {
                let v: String
                if j + 1 < cs.count { v = String(cs[(j + 1)...]) }
                else if i + 1 < args.count { v = args[i + 1]; consumed = 2 }
                else { return [] }
                switch c {
                case "o": if let r = sshOptionInner(v) { out.append(r) }
                case "F": out.append(.unknown("ssh -F: a configuration file can run commands"))
                case "W": noCommand = true
                case "O", "Q": printsOnly = true
                default: break
                }
                break
            }
            if c == "N" { noCommand = true }
            if c == "G" || c == "V" { printsOnly = true }
            j += 1
        }
        i += consumed
    }
    if printsOnly { return out.filter { if case .unknown = $0 { return false }; return true }.isEmpty ? [] : out }
    if !command.isEmpty { out.append(.unknown("runs a command on another host")) }
    else if host != nil && !noCommand { out.append(.unknown("a remote shell reads commands from standard input")) }
    return out
}

/// scp/sftp: -S PROGRAM runs that program instead of ssh; -o options as for ssh.
func scpInner(_ name: String, _ args: [String]) -> [Inner] {
    let valued: Set<Character> = name == "scp" ? ["c", "D", "F", "i", "J", "l", "o", "P", "S", "X"]
                                               : ["B", "b", "c", "D", "F", "i", "J", "l", "o", "P", "R", "S", "s", "X"]
    var out: [Inner] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { break }
        guard w.hasPrefix("-"), w.count > 1 else { i += 1; continue }
        let cs = Array(w.dropFirst())
        var consumed = 1
        for (j, c) in cs.enumerated() where valued.contains(c) {
            let v: String
            if j + 1 < cs.count { v = String(cs[(j + 1)...]) }
            else if i + 1 < args.count { v = args[i + 1]; consumed = 2 }
            else { break }
            switch c {
            case "S": out.append(.argv([v], env: []))
            case "o": if let r = sshOptionInner(v) { out.append(r) }
            case "F": out.append(.unknown("\(name) -F: a configuration file can run commands"))
            case "D" where name == "sftp", "s" where name == "sftp": out.append(.unknown("sftp \(c) runs a program"))
            default: break
            }
            break
        }
        i += consumed
    }
    return out
}

// MARK: - vim, less, man, at

/// vim & co: `-c`/`--cmd`/`+cmd`/`-S`/`-s`/`-u vimrc` run editor commands (`:!`, `system()`,
/// `:py3` … cannot all be screened): unknown. Ex mode (`-e`, `-E`, `ex`) reads commands from
/// standard input: unknown. `+N`, `+`, `+/pattern` are fine. Interactive vim can still spawn
/// shells: that is the policy's call, as for less and man.
func vimInner(_ name: String, _ args: [String]) -> [Inner] {
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { break }
        if w.hasPrefix("+") {
            let body = w.dropFirst()
            if body.isEmpty || body.allSatisfy({ $0.isNumber }) || body.hasPrefix("/") { i += 1; continue }
            return [.unknown("\(name) \(w) runs an editor command")]
        }
        if ["-c", "--cmd", "-S", "-s", "-w", "-W"].contains(w) || (w.hasPrefix("-c") && w.count > 2 && !w.hasPrefix("--")) {
            return [.unknown("\(name) \(w) runs editor commands")]
        }
        if w == "-u" || w == "-U" {
            let v = i + 1 < args.count ? args[i + 1] : ""
            if !["NONE", "NORC", "DEFAULTS"].contains(v) { return [.unknown("\(name) \(w) \(v) runs a script")] }
            i += 2; continue
        }
        if w == "-e" || w == "-E" || w == "-es" || w == "-Es" || w == "--headless" && name == "nvim" {
            return [.unknown("\(name) \(w) runs commands from its input")]
        }
        if name == "nvim" && (w == "-l" || w == "--listen" || w == "--remote-send" || w == "--remote-expr") {
            return [.unknown("nvim \(w) runs code")]
        }
        if w.hasPrefix("--remote") { return [.unknown("\(name) \(w) sends commands to another editor")] }
        if ["-i", "-T", "-t", "-q"].contains(w) { i += 2; continue }
        i += 1
    }
    return []
}

/// less `+cmd`/`-+`…: a start-up command with `!` (shell), `|` (pipe), `v` (editor), `s`/`o`
/// (save) or `E` (examine) is unknown; `+N`, `+G`, `+F`, `+/pattern` are fine.
func lessInner(_ args: [String]) -> [Inner] {
    for w in args {
        if w == "--" { break }
        guard w.hasPrefix("+"), w.count > 1 else { continue }
        var body = Substring(w.dropFirst())
        if body.hasPrefix("+") { body = body.dropFirst() }
        if body.hasPrefix("/") || body.hasPrefix("?") { continue }
        if body.contains(where: { "!|vsoE#:".contains($0) }) { return [.unknown("less \(w) runs a less command that can run programs")] }
    }
    return []
}

/// man -P PAGER / --pager=PAGER runs the pager through sh -c; -H/--html=BROWSER a browser.
func manInner(_ args: [String]) -> [Inner] {
    var out: [Inner] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { break }
        if w == "-P" || w == "--pager" {
            if i + 1 < args.count { out.append(.shellScript(args[i + 1], argv0: nil, args: [])) }
            i += 2; continue
        }
        if w.hasPrefix("--pager=") { out.append(.shellScript(String(w.dropFirst(8)), argv0: nil, args: [])) }
        else if w.hasPrefix("-P") && w.count > 2 { out.append(.shellScript(String(w.dropFirst(2)), argv0: nil, args: [])) }
        else if w.hasPrefix("-H") || w.hasPrefix("--html") { out.append(.unknown("man \(w) runs a browser")) }
        i += 1
    }
    return out
}

/// at/batch schedule commands (read from stdin or -f file) to run later: unknown, except
/// listing (-l), removing (-r/-d) and version (-V).
func atInner(_ args: [String]) -> [Inner] {
    if args.contains(where: { ["-l", "-r", "-d", "-V", "-c"].contains($0) }) { return [] }
    return [.unknown("at/batch schedules commands to run later")]
}

// MARK: - More tools whose options run programs

/// `--name=VALUE` / `--name VALUE` for a long option (GNU prefixes of ≥ `minPrefix` letters
/// count), each value found.
func longOptionValues(_ args: [String], _ name: String, minPrefix: Int) -> [String] {
    var out: [String] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "--" { break }
        if w.hasPrefix("--") {
            let body = w.dropFirst(2)
            let eq = body.firstIndex(of: "=")
            let n = String(eq.map { body[..<$0] } ?? body)
            if n.count >= minPrefix && name.hasPrefix(n) {
                if let eq { out.append(String(body[body.index(after: eq)...])) }
                else if i + 1 < args.count { out.append(args[i + 1]); i += 1 }
            }
        }
        i += 1
    }
    return out
}

func extraToolHandler(_ name: String) -> Handler? {
    switch name {
    // sort --compress-program=PROG execs PROG (and PROG -d).
    case "sort": return { _, a in longOptionValues(a, "compress-program", minPrefix: 3).map { .argv([$0], env: []) } }
    // split --filter=COMMAND runs COMMAND through $SHELL -c.
    case "split": return { _, a in longOptionValues(a, "filter", minPrefix: 3).map { .shellScript($0, argv0: nil, args: []) } }
    // zip -TT CMD / --unzip-command CMD tests the archive with CMD (through the shell).
    case "zip": return { _, a in zipInner(a) }
    case "sqlite3": return { _, a in sqliteInner(a) }
    case "emacs": return { _, a in emacsInner(a) }
    case "ssh-agent": return { _, a in sshAgentInner(a) }
    case "fakeroot": return { _, a in fakerootInner(a) }
    case "dbus-run-session": return { _, a in
        var rest = a
        while let w = rest.first, w.hasPrefix("--") { rest.removeFirst(); if w == "--" { break }; if w == "--help" || w == "--version" { return [] } }
        return rest.isEmpty ? [] : [.argv(rest, env: [])]
    }
    default: return nil
    }
}

func zipInner(_ args: [String]) -> [Inner] {
    var out: [Inner] = []
    var i = 0
    while i < args.count {
        let w = args[i]
        if w == "-TT" || w == "--unzip-command" {
            if i + 1 < args.count { out.append(.shellScript(args[i + 1], argv0: nil, args: [])) }
            i += 2; continue
        }
        if w.hasPrefix("-TT") && w.count > 3 { out.append(.shellScript(String(w.dropFirst(3)), argv0: nil, args: [])) }
        if w.hasPrefix("--unzip-command=") { out.append(.shellScript(String(w.dropFirst(16)), argv0: nil, args: [])) }
        i += 1
    }
    return out
}

/// sqlite3 [options] [DB [SQL…]]: dot-commands `.shell`/`.system`, `.load`, and pipes in
/// `.once`/`.output`/`.import`/`.read`, and `load_extension`, run programs. No SQL argument:
/// the input (standard input) is code. `-safe` disables all of that.
func sqliteInner(_ args: [String]) -> [Inner] {
    let valued: Set<String> = ["-cmd", "-init", "-separator", "-newline", "-nullvalue", "-vfs", "-maxsize", "-mmap",
                               "-pagecache", "-lookaside", "-heap", "-ascii", "-escape"]
    var sql: [String] = []
    var positional = 0
    var db: String? = nil
    var safe = false
    var i = 0
    while i < args.count {
        let w = args[i]
        let n = w.hasPrefix("--") ? String(w.dropFirst()) : w
        if n == "-safe" { safe = true; i += 1; continue }
        if n == "-version" || n == "-help" { return [] }
        if n == "-init" { return safe ? [] : [.unknown("sqlite3 -init reads commands from a file")] }
        if n == "-cmd" { if i + 1 < args.count { sql.append(args[i + 1]) }; i += 2; continue }
        if n.hasPrefix("-") && n.count > 1 {
            i += valued.contains(n) && n != "-ascii" && n != "-escape" ? 2 : 1; continue
        }
        if db == nil { db = w } else { sql.append(w); positional += 1 }
        i += 1
    }
    if safe { return [] }
    for s in sql where sqliteRunsPrograms(s) { return [.unknown("sqlite3 commands run programs or load extensions")] }
    if positional == 0 { return [.inlineCode(language: "sqlite", code: "-")] }
    return []
}

func sqliteRunsPrograms(_ s: String) -> Bool {
    let l = s.lowercased()
    if l.contains("load_extension") { return true }
    for line in l.split(whereSeparator: { $0 == "\n" || $0 == ";" }) {
        let t = String(line).trimmingSpaces
        guard t.hasPrefix(".") else { continue }
        let cmd = t.split(separator: " ").first.map(String.init) ?? t
        if [".shell", ".system", ".load", ".sh", ".edit"].contains(where: { cmd.hasPrefix($0) }) { return true }
        if t.contains("|") { return true }
    }
    return false
}

/// emacs --eval / -f / --funcall / -l / --load / --script / -batch with those: Lisp code.
func emacsInner(_ args: [String]) -> [Inner] {
    for w in args {
        let n = w.split(separator: "=", maxSplits: 1).first.map(String.init) ?? w
        if ["--eval", "-eval", "--execute", "-f", "--funcall", "-funcall", "-l", "--load", "-load", "--script",
            "-script", "-x"].contains(n) {
            return [.unknown("emacs \(n) runs Lisp code")]
        }
    }
    return []
}

/// ssh-agent [-c|-s] [-Dd] [-a BIND] [-E FP] [-P LIST] [-t LIFE] [COMMAND [ARG…]].
func sshAgentInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(short: ["c": .none, "s": .none, "D": .none, "d": .none, "k": .none, "a": .required,
                               "E": .required, "P": .required, "t": .required, "O": .required])
    return simpleWrapper("ssh-agent", args, spec)
}

func fakerootInner(_ args: [String]) -> [Inner] {
    let spec = WrapOptSpec(short: ["l": .required, "s": .required, "i": .required, "u": .none, "b": .required,
                               "h": .none, "v": .none],
                       long: ["lib": .required, "faked": .required, "unknown-is-real": .none, "help": .none,
                              "version": .none])
    switch scanAll(args, spec, tool: "fakeroot") {
    case .failure(let e): return [.unknown(e.message)]
    case .success(let (opts, rest)):
        if opts.has("-h", "-v", "--help", "--version") { return [] }
        if opts.has("--faked", "-l", "--lib") { return [.unknown("fakeroot loads a given library or daemon")] }
        return rest.isEmpty ? [.unknown("fakeroot without a command runs a shell")] : [.argv(rest, env: [])]
    }
}
