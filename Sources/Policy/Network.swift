// Which hosts a command contacts, from its argv, cwd and the configuration files the tool itself
// would read. Never resolves names. When the destination cannot be told, a target with host nil
// is returned and the caller refuses.

public struct NetTarget: Equatable, Sendable {
    /// Normalised (see `normalizeHost`); nil: aegish cannot tell where this goes.
    public var host: String?
    public var port: Int?
    /// As written (the URL, the remote name, the option).
    public var raw: String
    /// Why this is a target, for messages.
    public var why: String
    public init(host: String?, port: Int?, raw: String, why: String) {
        self.host = host; self.port = port; self.raw = raw; self.why = why
    }
}

/// nil: not a network command. `[]`: a network command with no remote (e.g. `git status`).
/// Otherwise the targets; a target with host nil means aegish cannot tell where it goes.
/// Configuration is looked up under `home` (the HOME the engine gives every program); variables
/// the program will see in its environment (proxies, GOPROXY, PIP_INDEX_URL, npm_config_*) are
/// not visible here.
public func networkTargets(_ argv: [String], cwd: String, home: String?) -> [NetTarget]? {
    networkTargets(argv, cwd: cwd, env: NetEnv(home: home, xdgConfig: nil))
}

func networkTargets(_ argv: [String], cwd: String, env: NetEnv, depth: Int = 0) -> [NetTarget]? {
    guard let a0 = argv.first, depth < 8 else { return nil }
    let name = toolName(a0)
    if let inner = unwrapCommand(argv) {
        guard var t = networkTargets(inner, cwd: cwd, env: env, depth: depth + 1) else { return nil }
        if name == "xargs" { t.append(NetTarget(host: nil, port: nil, raw: inner.joined(separator: " "), why: "xargs: arguments come from input")) }
        return t
    }
    let args = Array(argv.dropFirst())
    var n = NetCollector(cwd: cwd, env: env)
    if unwrapFailed(argv) {
        n.unknown(argv.joined(separator: " "), "\(name) runs a command not analysed")
        return n.out
    }
    switch name {
    case "curl": n.curl(args)
    case "wget": n.wget(args)
    case "git": n.git(args)
    case "ssh", "ssh-copy-id", "mosh": n.ssh(args, tool: name)
    case "scp": n.scp(args)
    case "sftp": n.sftp(args)
    case "rsync": n.rsync(args)
    case "pip", "pip3": n.pip(args)
    case "npm", "npx", "yarn", "pnpm", "pnpx": n.npm(name, args)
    case "cargo": n.cargo(args)
    case "uv": n.uv(args)     // NetworkInstall.swift
    case "gem": n.gem(args)
    case "go": n.go(args)
    case "apt", "apt-get": n.apt(args)
    case "nc", "netcat", "ncat": n.netcat(name, args)
    case "socat": n.socat(args)
    case "telnet":
        let ops = optOperands(tokenizeOptions(args, OptSpec(shortValue: ["b", "e", "l", "n", "S", "X"])))
        if let h = ops.first { n.host(h, port: ops.count > 1 ? Int(ops[1]) : 23, why: "telnet") }
    case "ping", "ping6", "fping":
        let ops = optOperands(tokenizeOptions(args, OptSpec(shortValue: Set("ciIlmMpQsStTwWF"))))
        for h in ops { n.host(h, port: nil, why: name) }
    case "traceroute", "tracepath", "mtr":
        let ops = optOperands(tokenizeOptions(args, OptSpec(shortValue: Set("fFgimNpqstwzAcIoPTuyaBb"))))
        if let h = ops.first { n.host(h, port: nil, why: name) }
    case "dig", "kdig", "drill": n.dig(args)
    case "nslookup":
        for a in args where !a.hasPrefix("-") { n.host(a, port: nil, why: "nslookup") }
    case "host":
        for a in optOperands(tokenizeOptions(args, OptSpec(shortValue: Set("cNRtWm")))) { n.host(a, port: nil, why: "host") }
    case "docker", "podman", "nerdctl": n.docker(args)
    case "gh": n.gh(args)
    case "openssl": return n.openssl(args) ? n.out : nil
    case "ssh-keyscan":
        let toks = tokenizeOptions(args, OptSpec(shortValue: Set("fOpTt")))
        if hasOpt(toks, "-f") { n.unknown(args.joined(separator: " "), "ssh-keyscan -f: hosts from a file") }
        let port = optValues(toks, "-p").last.flatMap { Int($0) } ?? 22
        for o in optOperands(toks) { for h in o.split(separator: ",") { n.host(String(h), port: port, why: "ssh-keyscan") } }
    case "http", "https", "xh", "xhs", "httpie": n.httpie(name, args)
    case "find":
        // -exec/-execdir commands.
        var i = 0
        var any = false
        while i < args.count {
            if ["-exec", "-execdir", "-ok", "-okdir"].contains(args[i]) {
                var cmd: [String] = []
                i += 1
                while i < args.count && args[i] != ";" && args[i] != "+" { cmd.append(args[i]); i += 1 }
                if !cmd.isEmpty, let t = networkTargets(cmd, cwd: cwd, env: env, depth: depth + 1) {
                    any = true
                    n.out += t
                    if t.contains(where: { $0.host != nil }) && cmd.contains(where: { $0.contains("{}") }) {
                        n.unknown(cmd.joined(separator: " "), "find -exec: arguments from file names")
                    }
                }
            }
            i += 1
        }
        return any ? n.out : nil
    case "tar", "gtar":
        var u = PathUseCollector(cwd: cwd, env: env)
        let r = u.tar(args)
        var any = false
        if !r.forceLocal {
            for a in r.archives where !a.hasPrefix("/") {
                if let h = remoteSpec(a) {
                    any = true
                    n.host(h.split(separator: "@").last.map(String.init) ?? h, port: nil, why: "tar remote archive (rsh/ssh)")
                }
            }
        }
        return any ? n.out : nil
    case "aws", "gcloud", "gsutil", "az", "kubectl", "helm", "terraform", "tofu", "pulumi", "eksctl", "doctl", "flyctl",
         "heroku", "vercel", "netlify", "firebase", "uvx", "poetry", "pipx", "pdm", "hatch", "conda", "mamba",
         "micromamba", "bundle", "bundler", "composer", "brew", "rustup", "deno", "bun", "svn", "hg", "bzr",
         "lftp", "ftp", "tftp", "aria2c", "yt-dlp", "youtube-dl", "torsocks", "proxychains", "proxychains4", "tsocks",
         "psql", "mysql", "mariadb", "mongo", "mongosh", "redis-cli", "websocat", "mosquitto_pub", "mosquitto_sub",
         "ansible", "ansible-playbook", "vagrant", "packer", "skopeo", "crane", "oras", "ollama", "huggingface-cli":
        n.unknown(args.joined(separator: " "), "\(name) contacts endpoints aegish does not analyse")
    default:
        if isVersionedName(name, "python") || isVersionedName(name, "pypy") {
            let toks = tokenizeOptions(args, OptSpec(shortValue: ["c", "m", "W", "X", "Q"], permute: false))
            guard let mod = optValues(toks, "-m").first, mod == "pip" || mod == "pip3" else { return nil }
            n.pip(optOperands(toks))
        } else if isVersionedName(name, "pip") {
            n.pip(args)
        } else {
            return nil
        }
    }
    return n.out
}

struct NetCollector {
    let cwd: String
    let env: NetEnv
    var out: [NetTarget] = []

    mutating func add(_ t: NetTarget) { if !out.contains(t) { out.append(t) } }

    mutating func unknown(_ raw: String, _ why: String) { add(NetTarget(host: nil, port: nil, raw: raw, why: why)) }

    /// A host as written (`[::1]`, `Example.COM.`), normalised; invalid → host nil.
    mutating func host(_ h: String, port: Int?, why: String) {
        add(NetTarget(host: normalizeHost(h), port: port, raw: h, why: why))
    }

    /// A URL (or, with `assume`, a scheme-less `host[:port]/path` taken as `assume://…`).
    mutating func url(_ s: String, why: String, assume: String? = nil) {
        if fileURLPath(s) != nil || s.lowercased().hasPrefix("file:") { return }
        var u = s
        if !isURL(s), let assume {
            if let colon = s.firstIndex(of: ":"), networkSchemes.contains(s[..<colon].lowercased()) {
                unknown(s, why + " (URL without //)"); return
            }
            u = assume + "://" + s
        }
        guard let r = hostOfURL(u) else { return }
        add(NetTarget(host: r.host, port: r.port, raw: s, why: why))
    }

    // MARK: curl

    mutating func curl(_ args: [String]) {
        let toks = tokenizeOptions(args, curlSpec)
        let globoff = hasOpt(toks, "-g", "--globoff")
        var urls: [String] = optOperands(toks) + optValues(toks, "--url")
        urls = urls.filter { !$0.isEmpty }
        for t in toks {
            switch t {
            case .opt(let n, let v):
                switch n {
                case "-x", "--proxy", "--preproxy", "--socks4", "--socks4a", "--socks5", "--socks5-hostname":
                    if let v, !v.isEmpty { url(v, why: "curl \(n)", assume: n.hasPrefix("--socks") ? "socks5" : "http") }
                case "--resolve", "--connect-to":
                    unknown(v ?? n, "curl \(n) redirects connections")
                case "--unix-socket", "--abstract-unix-socket":
                    unknown(v ?? n, "curl \(n) connects to a local socket, not to the URL's host")
                case "-K", "--config":
                    unknown(v ?? n, "curl reads options (URLs, proxies) from \(v ?? "a file")")
                case "--doh-url":
                    if let v { url(v, why: "curl --doh-url") }
                case "--dns-servers":
                    for s in (v ?? "").split(separator: ",") { host(String(s.split(separator: ":").first ?? s), port: 53, why: "curl --dns-servers") }
                case "--variable", "--url-query":
                    break
                default: break
                }
            case .unknown(let n, _):
                if n.hasPrefix("--expand-") { unknown(n, "curl \(n) expands variables") }
            case .operand: break
            }
        }
        for u in urls {
            if !globoff && curlGlobs(u) { unknown(u, "curl URL globbing ({…} or […]) may name other hosts"); continue }
            url(u, why: "curl URL", assume: "http")
        }
        if !args.first.map({ $0 == "-q" || $0 == "--disable" }).unwrap(false) {
            for rc in curlrcFiles() where curlrcRedirects(rc) { unknown(rc, "curl reads URLs/proxies from \(rc)") }
        }
    }

    func curlrcFiles() -> [String] {
        var f: [String] = []
        if let x = env.xdgConfig { f.append(x + "/curlrc") }
        if let h = env.home { f += [h + "/.config/curlrc", h + "/.curlrc"] }
        return f
    }

    // MARK: wget

    mutating func wget(_ args: [String]) {
        let toks = tokenizeOptions(wgetNormalise(args), wgetSpec)
        for o in optOperands(toks) { url(o, why: "wget URL", assume: "http") }
        for t in toks {
            guard case .opt(let n, let v) = t else { continue }
            switch n {
            case "-i", "--input-file":
                guard let v, v != "-", let text = readSmallTextFile(joinPathLexically(cwd, v)) else { unknown(v ?? n, "wget -i: URLs from input"); continue }
                for line in text.split(separator: "\n") {
                    let l = line.trimmingSpaces()
                    if !l.isEmpty && !l.hasPrefix("#") { url(l, why: "wget -i \(v)", assume: "http") }
                }
            case "-B", "--base": if let v { url(v, why: "wget --base", assume: "http") }
            case "-e", "--execute", "--config": unknown(v ?? n, "wget \(n) may set URLs or proxies")
            default: break
            }
        }
        let recursive = hasOpt(toks, "-r", "--recursive", "-m", "--mirror", "-p", "--page-requisites")
        if recursive && hasOpt(toks, "-H", "--span-hosts") { unknown("--span-hosts", "wget -H follows links to any host") }
        var rcs = [env.etc + "/wgetrc"]
        if let h = env.home { rcs.append(h + "/.wgetrc") }
        for rc in rcs {
            guard let text = readSmallTextFile(rc) else { continue }
            for (k, v) in rcValues(text) {
                let key = k.replacing("-", with: "_")
                if ["http_proxy", "https_proxy", "ftp_proxy"].contains(key) { url(v, why: "\(rc) \(k)", assume: "http") }
                if ["input", "base", "execute"].contains(key) { unknown(rc, "\(rc) sets \(k)") }
            }
        }
    }

    // MARK: git

    mutating func git(_ args: [String]) {
        let g = parseGitGlobal(args)
        for kv in g.configs {
            let key = (kv.split(separator: "=").first.map(String.init) ?? kv).lowercased()
            if key.hasPrefix("url.") || key.contains("proxy") || key.contains("sshcommand") || key.hasPrefix("remote.") || key.hasPrefix("include")
                || key.contains("insteadof") {
                unknown(kv, "git -c \(key) changes where git connects")
            }
        }
        let dir = canonicalPath(g.dir ?? ".", cwd: cwd)
        guard let sub = g.rest.first else { return }
        let subArgs = Array(g.rest.dropFirst())
        var repo = findGitRepo(from: dir)
        if let gd = g.gitDir { repo = (g.workTree.map { canonicalPath($0, cwd: dir) } ?? dir, canonicalPath(gd, cwd: dir)) }
        let cfg = GitConfig(repo: repo, env: env)
        func configChecks() {
            if !cfg.complete { unknown("include.path", "git config includes could not be followed") }
            for e in cfg.entries where e.key == "proxy" && !e.value.isEmpty { url(e.value, why: "git config \(e.section).proxy", assume: "http") }
            for e in cfg.entries where (e.section == "core" && (e.key == "sshcommand" || e.key == "gitproxy")) {
                unknown(e.value, "git config core.\(e.key) runs a command to connect")
            }
        }
        func remoteURL(_ original: String, _ why: String, push: Bool = false) {
            // url.<base>.insteadOf / pushInsteadOf: git rewrites the longest matching prefix;
            // the host that counts is the one after rewriting, exactly as git will connect.
            var u = original
            var best: (prefix: String, base: String)? = nil
            let keys = push ? ["pushinsteadof", "insteadof"] : ["insteadof"]
            for key in keys where best == nil {
                for e in cfg.entries where e.section == "url" && e.key == key {
                    guard let base = e.subsection, !e.value.isEmpty, original.hasPrefix(e.value) else { continue }
                    if best == nil || e.value.count > best!.prefix.count { best = (e.value, base) }
                }
            }
            if let b = best { u = b.base + u.dropFirst(b.prefix.count) }
            if u.contains("::") && !u.hasPrefix("[") { unknown(u, why + ": remote helper transport"); return }
            if gitURLIsLocal(u) { return }
            guard let r = hostOfURL(u) else { return }
            add(NetTarget(host: r.host, port: r.port, raw: u, why: why))
        }
        /// A remote name or URL.
        func resolve(_ r: String, push: Bool) {
            if cfg.remoteNames.contains(r) {
                let urls = cfg.values("remote", r, "url") + cfg.values("remote", r, "pushurl")
                for u in urls { remoteURL(u, "git remote \(r)", push: push) }
                for p in cfg.values("remote", r, "proxy") where !p.isEmpty { url(p, why: "git remote \(r) proxy", assume: "http") }
                if !cfg.values("remote", r, "vcs").isEmpty { unknown(r, "git remote \(r) uses a remote helper") }
                return
            }
            if let gd = repo?.gitDir, pathExists(gd + "/remotes/" + r) || pathExists(gd + "/branches/" + r) {
                unknown(r, "git remote \(r) defined in a legacy remotes file")
                return
            }
            if !cfg.values("remotes", nil, r.lowercased()).isEmpty {
                unknown(r, "git remote group \(r)")
                return
            }
            remoteURL(r, "git URL", push: push)
        }
        func defaultRemotes(push: Bool) -> [String] {
            var names: [String] = []
            if let b = cfg.currentBranch {
                names += cfg.values("branch", b, "remote")
                if push { names += cfg.values("branch", b, "pushremote") }
            }
            if push { names += cfg.values("remote", nil, "pushdefault") }
            names = names.filter { $0 != "." }
            return names.isEmpty ? ["origin"] : names
        }
        func submodulesActive() -> Bool {
            guard let repo else { return false }
            return pathExists(repo.root + "/.gitmodules") && pathIsDirectory(repo.gitDir + "/modules")
        }
        switch sub {
        case "clone":
            configChecks()
            let toks = tokenizeOptions(subArgs, gitCloneSpec)
            if let u = optOperands(toks).first { remoteURL(u, "git clone") }
            for b in optValues(toks, "--bundle-uri") { url(b, why: "git clone --bundle-uri") }
            for kv in optValues(toks, "-c", "--config") {
                let key = kv.lowercased()
                if key.hasPrefix("url.") || key.contains("proxy") || key.contains("sshcommand") || key.hasPrefix("remote.") {
                    unknown(kv, "git clone -c changes where git connects")
                }
            }
            if hasOpt(toks, "--recurse-submodules", "--recursive") { unknown("--recurse-submodules", "git clone: submodule URLs come from the repository") }
        case "fetch", "pull", "push", "ls-remote":
            configChecks()
            let toks = tokenizeOptions(subArgs, gitFetchSpec)
            var ops = optOperands(toks)
            let push = sub == "push"
            if let r = optValues(toks, "--repo").last { ops.insert(r, at: 0) }
            if hasOpt(toks, "--upload-pack", "--receive-pack", "--exec") { unknown(sub, "git \(sub) with a custom remote program") }
            if let rs = optValues(toks, "--recurse-submodules").last, rs == "no" {} else if hasOpt(toks, "--recurse-submodules") || (sub != "push" && sub != "ls-remote" && submodulesActive()) {
                unknown("submodules", "git \(sub) may fetch submodules (URLs from .gitmodules)")
            }
            if sub == "fetch" && hasOpt(toks, "--all") {
                for r in cfg.remoteNames { resolve(r, push: false) }
            } else if sub == "fetch" && hasOpt(toks, "--multiple") {
                for r in ops { resolve(r, push: false) }
            } else if let r = ops.first {
                resolve(r, push: push)
            } else {
                for r in defaultRemotes(push: push) { resolve(r, push: push) }
            }
        case "remote":
            let toks = tokenizeOptions(subArgs, OptSpec(shortValue: ["t", "m"], longValue: ["track", "master"], longOptional: ["mirror"]))
            let ops = optOperands(toks)
            guard let action = ops.first else { return }
            switch action {
            case "add": if ops.count > 2 { configChecks(); remoteURL(ops[2], "git remote add") }
            case "set-url": if ops.count > 2 { configChecks(); remoteURL(ops[2], "git remote set-url") }
            case "update":
                configChecks()
                let names = ops.count > 1 ? Array(ops.dropFirst()) : cfg.remoteNames
                for r in names { resolve(r, push: false) }
            case "show", "prune":
                if hasOpt(toks, "-n") { return }
                configChecks()
                for r in ops.dropFirst() { resolve(r, push: false) }
            default: return
            }
        case "submodule":
            let ops = subArgs.filter { !$0.hasPrefix("-") }
            switch ops.first ?? "" {
            case "add": if ops.count > 1 { configChecks(); remoteURL(ops[1], "git submodule add") }
            case "update", "foreach", "sync": unknown("submodule " + (ops.first ?? ""), "git submodule: URLs from .gitmodules")
            default: return
            }
        case "archive":
            for a in subArgs where a.hasPrefix("--remote=") { configChecks(); resolve(String(a.dropFirst(9)), push: false) }
            if let i = subArgs.firstIndex(of: "--remote"), i + 1 < subArgs.count { configChecks(); resolve(subArgs[i + 1], push: false) }
        case "send-email", "svn", "p4", "lfs", "request-pull", "imap-send", "http-fetch", "http-push", "daemon", "instaweb":
            unknown(sub, "git \(sub) contacts servers aegish does not analyse")
        case _ where !gitBuiltins.contains(sub):
            if let alias = cfg.values("alias", nil, sub.lowercased()).last, !alias.hasPrefix("!"), !alias.isEmpty {
                let words = alias.split(separator: " ").map(String.init)
                if let w = words.first, gitBuiltins.contains(w) {
                    let prefix = Array(args.prefix(args.count - g.rest.count))
                    if let t = networkTargets(["git"] + prefix + words + subArgs, cwd: cwd, env: env) { for x in t { add(x) } }
                    return
                }
            }
            unknown(sub, "git \(sub): alias or external command")
        default:
            return
        }
    }

    // MARK: ssh family

    /// Options shared by ssh/scp/sftp: -J, -o, -F. Returns (port from -o Port, config file).
    mutating func sshOptions(_ toks: [OptTok], tool: String) -> (port: Int?, config: String?) {
        var port: Int? = nil
        var config: String? = nil
        for t in toks {
            guard case .opt(let n, let v) = t, let v else { continue }
            switch n {
            case "-J": jumps(v, tool: tool)
            case "-F": config = canonicalPath(v, cwd: cwd)
            case "-o":
                let (k, val) = splitSSHOption(v)
                switch k {
                case "proxyjump": jumps(val, tool: tool)
                case "port": port = Int(val)
                case "localforward", "remoteforward": forward(val, tool: tool)
                case "dynamicforward": unknown(v, "\(tool) -o DynamicForward: SOCKS to any host")
                case "permitlocalcommand", "localcommand", "remotecommand": break
                case let x where sshRedirectingOptions.contains(x):
                    if (x == "proxycommand" || x == "canonicalizehostname") && ["none", "no"].contains(val.lowercased()) { break }
                    unknown(v, "\(tool) -o \(k) changes where it connects")
                default: break
                }
            case "-L", "-R": forward(v, tool: tool)
            case "-D": unknown(v, "\(tool) -D: SOCKS forwarding to any host")
            case "-W": forwardHostPort(v, tool: tool)
            default: break
            }
        }
        return (port, config)
    }

    mutating func jumps(_ list: String, tool: String) {
        if list.lowercased() == "none" { return }
        for j in list.split(separator: ",") {
            let s = String(j)
            if s.hasPrefix("ssh://") { url(s, why: "\(tool) jump host"); continue }
            var h = s.split(separator: "@").last.map(String.init) ?? s
            var port: Int? = 22
            if let c = h.lastIndex(of: ":"), !h.hasPrefix("[") || h[..<c].hasSuffix("]"), h.filter({ $0 == ":" }).count == 1 || h.hasPrefix("[") {
                port = Int(h[h.index(after: c)...]); h = String(h[..<c])
            }
            sshHost(h, port: port, why: "\(tool) jump host")
        }
    }

    /// `-L [bind:]port:host:hostport`, `-R …`: the host reached through the tunnel.
    mutating func forward(_ spec: String, tool: String) {
        let parts = splitColons(spec)
        if parts.count >= 3 {
            host(parts[parts.count - 2], port: Int(parts[parts.count - 1]), why: "\(tool) port forwarding")
        } else if parts.count == 1 || (parts.count == 2 && Int(parts[1]) != nil && Int(parts[0]) == nil) {
            unknown(spec, "\(tool) dynamic/remote forwarding to any host")
        }
    }

    mutating func forwardHostPort(_ spec: String, tool: String) {
        let parts = splitColons(spec)
        guard parts.count == 2 else { unknown(spec, "\(tool) -W"); return }
        host(parts[0], port: Int(parts[1]), why: "\(tool) -W stdio forwarding")
    }

    /// A host ssh will connect to, checked against ssh_config (Hostname, ProxyCommand…).
    mutating func sshHost(_ h: String, port: Int?, why: String, config: String? = nil) {
        if sshConfigRedirects(host: h, files: sshConfigFiles(env, explicit: config), home: env.home) {
            unknown(h, "\(why): ssh configuration redirects \(h) (Hostname/ProxyCommand/ProxyJump/Match)")
            return
        }
        host(h, port: port ?? 22, why: why)
    }

    /// `[user@]host` or `ssh://[user@]host[:port]`.
    mutating func sshDestination(_ d: String, port: Int?, why: String, config: String?) {
        if d.lowercased().hasPrefix("ssh://") || d.lowercased().hasPrefix("sftp://") || d.lowercased().hasPrefix("scp://") {
            guard let r = hostOfURL(d) else { unknown(d, why); return }
            guard let h = r.host else { add(NetTarget(host: nil, port: r.port, raw: d, why: why)); return }
            sshHost(h, port: port ?? r.port, why: why, config: config)
            return
        }
        if d.filter({ $0 == "@" }).count > 1 && false { unknown(d, why); return }
        let h = d.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? d
        sshHost(h, port: port, why: why, config: config)
    }

    mutating func ssh(_ args: [String], tool: String) {
        let toks = tokenizeOptions(args, sshSpec)
        let (oport, config) = sshOptions(toks, tool: tool)
        let port = optValues(toks, "-p").last.flatMap { Int($0) } ?? oport
        if hasOpt(toks, "-F") && config == nil { unknown("-F", "\(tool) -F") }
        guard let dest = optOperands(toks).first else { return }
        if config != nil { unknown(config!, "\(tool) -F: a configuration file may redirect the host") }
        sshDestination(dest, port: port, why: tool, config: config)
    }

    mutating func scp(_ args: [String]) {
        let toks = tokenizeOptions(args, scpSpec)
        let (oport, config) = sshOptions(toks, tool: "scp")
        let port = optValues(toks, "-P").last.flatMap { Int($0) } ?? oport
        if hasOpt(toks, "-S") { unknown("-S", "scp -S runs another program to connect") }
        for o in optOperands(toks) {
            if o.lowercased().hasPrefix("scp://") { sshDestination(o, port: port, why: "scp", config: config); continue }
            guard let h = remoteSpec(o) else { continue }
            sshDestination(h, port: port, why: "scp", config: config)
        }
    }

    mutating func sftp(_ args: [String]) {
        let toks = tokenizeOptions(args, OptSpec(shortValue: Set("BbcDFiJlloPRSsX"), stopAfter: 1))
        let (oport, config) = sshOptions(toks, tool: "sftp")
        let port = optValues(toks, "-P").last.flatMap { Int($0) } ?? oport
        if hasOpt(toks, "-S") { unknown("-S", "sftp -S runs another program to connect") }
        if hasOpt(toks, "-D") { return }   // a local sftp-server: no network
        guard let d = optOperands(toks).first else { return }
        if d.lowercased().hasPrefix("sftp://") { sshDestination(d, port: port, why: "sftp", config: config); return }
        sshDestination(remoteSpec(d) ?? d, port: port, why: "sftp", config: config)
    }

    mutating func rsync(_ args: [String]) {
        let toks = tokenizeOptions(args, rsyncSpec)
        let daemonPort = optValues(toks, "--port").last.flatMap { Int($0) }
        var sshPort: Int? = nil
        for rsh in optValues(toks, "-e", "--rsh") {
            if !isPlainSSH(rsh) { unknown(rsh, "rsync -e runs another program to connect"); continue }
            let w = rsh.split(separator: " ").map(String.init)
            if let i = w.firstIndex(of: "-p"), i + 1 < w.count { sshPort = Int(w[i + 1]) }
        }
        if hasOpt(toks, "--connect-program") { unknown("--connect-program", "rsync --connect-program") }
        for o in optOperands(toks) {
            if o.lowercased().hasPrefix("rsync://") {
                guard let r = hostOfURL(o) else { continue }
                add(NetTarget(host: r.host, port: daemonPort ?? r.port, raw: o, why: "rsync daemon"))
                continue
            }
            guard let hp = remoteSpec(o) else { continue }
            let h = hp.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? hp
            let afterHost = o.dropFirst(hp.count)
            if afterHost.hasPrefix("::") {
                host(h, port: daemonPort ?? 873, why: "rsync daemon")
            } else {
                sshHost(h, port: sshPort, why: "rsync over ssh")
            }
        }
    }

    // MARK: pip

    mutating func pip(_ args: [String]) {
        let toks = tokenizeOptions(args, pipSpec)
        let ops = optOperands(toks)
        guard let sub = ops.first else { return }
        let network: Set<String> = ["install", "download", "wheel", "index", "search", "list", "lock"]
        guard network.contains(sub) else { return }
        for t in toks {
            if case .unknown(let n, let v) = t, v == nil, !n.hasPrefix("--no-") {
                unknown(n, "pip option \(n) not understood"); return
            }
        }
        var index: [String]? = nil
        var extra: [String] = [], links: [String] = []
        // pip.conf (global, user, site), then the command line (which wins for index-url).
        var confs = [env.etc + "/pip.conf", env.etc + "/xdg/pip/pip.conf"]
        if let c = env.configHome { confs.append(c + "/pip/pip.conf") }
        if let h = env.home { confs.append(h + "/.pip/pip.conf") }
        for c in confs {
            guard let text = readSmallTextFile(c) else { continue }
            for (k, v) in rcValues(text) {
                let vals = v.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if v.contains("$") { unknown(c, "\(c) \(k) uses variables"); continue }
                switch k {
                case "index-url", "index_url", "i": index = vals
                case "extra-index-url", "extra_index_url": extra += vals
                case "find-links", "find_links", "f": links += vals
                case "proxy": for p in vals { url(p, why: "\(c) proxy", assume: "http") }
                case "no-index", "no_index": if ["1", "true", "yes", "on"].contains(v.lowercased()) { index = [] }
                default: break
                }
            }
        }
        if let i = optValues(toks, "-i", "--index-url").last { index = [i] }
        extra += optValues(toks, "--extra-index-url")
        links += optValues(toks, "-f", "--find-links")
        if hasOpt(toks, "--no-index") { index = []; extra = [] }
        for p in optValues(toks, "--proxy") where !p.isEmpty { url(p, why: "pip --proxy", assume: "http") }
        let idx = index ?? ["https://pypi.org/simple"]
        for u in idx + extra { url(u, why: "pip index") }
        if index == nil { host("files.pythonhosted.org", port: 443, why: "pip default index files") }
        for l in links where isURL(l) { url(l, why: "pip --find-links") }
        for r in optValues(toks, "-r", "--requirement", "-c", "--constraint") {
            guard let text = readSmallTextFile(joinPathLexically(cwd, r)) else { unknown(r, "pip requirements file \(r) unreadable"); continue }
            for line in text.split(separator: "\n") {
                let l = line.trimmingSpaces()
                if l.hasPrefix("#") { continue }
                if l.hasPrefix("-i") || l.hasPrefix("--index-url") || l.hasPrefix("--extra-index-url") || l.hasPrefix("-f")
                    || l.hasPrefix("--find-links") || l.hasPrefix("-r") || l.hasPrefix("-c") || l.hasPrefix("--requirement")
                    || l.hasPrefix("--constraint") || l.contains("://") || l.hasPrefix("-e") || l.hasPrefix("--editable") {
                    unknown(r, "pip requirements file \(r) names indexes, URLs or other files")
                    break
                }
            }
        }
        for spec in Array(ops.dropFirst()) + optValues(toks, "-e", "--editable") {
            guard let r = spec.firstRange(of: "://") else { continue }
            // `name @ https://…`, `git+https://…`, `name@git+ssh://…`.
            var start = r.lowerBound
            while start > spec.startIndex {
                let p = spec[spec.index(before: start)]
                if p.isLetter || p.isNumber || p == "+" || p == "-" || p == "." { start = spec.index(before: start) } else { break }
            }
            var u = String(spec[start...])
            if let plus = u.firstIndex(of: "+"), plus < u.firstRange(of: "://")!.lowerBound { u = String(u[u.index(after: plus)...]) }
            url(u, why: "pip requirement URL")
        }
    }

    // MARK: npm / yarn / pnpm

    mutating func npm(_ name: String, _ args: [String]) {
        let toks = tokenizeOptions(args, npmSpec)
        var ops = optOperands(toks)
        let sub = ops.isEmpty ? "" : ops.removeFirst()
        let installLike: Set<String> = ["install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall",
                                        "add", "ci", "clean-install", "ic", "install-clean", "isntall-clean", "install-test", "it",
                                        "install-ci-test", "cit", "update", "up", "upgrade", "udpate", "dedupe", "ddp", "find-dupes"]
        let execLike: Set<String> = ["exec", "x", "dlx", "create", "init"]
        let registryOnly: Set<String> = ["audit", "outdated", "view", "v", "info", "show", "publish", "unpublish", "login", "logout",
                                         "adduser", "add-user", "search", "s", "se", "find", "whoami", "ping", "doctor", "dist-tag",
                                         "dist-tags", "deprecate", "owner", "author", "access", "token", "team", "org", "star",
                                         "unstar", "stars", "pack", "repo", "bugs", "docs", "home", "fund", "hook", "profile",
                                         "sbom", "why", "npm", "import", "upgrade-interactive", "licenses"]
        var isInstall = installLike.contains(sub)
        var specs: [String] = []
        if name == "npx" || name == "pnpx" {
            specs = optValues(toks, "-p", "--package")
            if specs.isEmpty, !sub.isEmpty { specs = [sub] }
        } else if name == "yarn" && (sub.isEmpty || sub == "install") {
            isInstall = true
        } else if name == "yarn" && ["run", "test", "start", "build", "workspace", "workspaces", "node", "bin", "config", "cache",
                                     "list", "check", "why", "versions", "version", "help", "exec", "global"].contains(sub) && sub != "global" {
            return
        } else if isInstall {
            specs = ops
        } else if execLike.contains(sub) {
            specs = optValues(toks, "-p", "--package")
            if specs.isEmpty, let f = ops.first { specs = [sub == "create" || sub == "init" ? "create-" + f : f] }
            if (sub == "init" || sub == "create") && ops.isEmpty && name == "npm" { return }
        } else if registryOnly.contains(sub) || (name == "yarn" && sub == "global") {
            if sub == "global" { specs = Array(ops.dropFirst()); isInstall = true }
        } else {
            return   // run, test, start, ls, config, cache…: no registry access of their own
        }
        // Registries: command line, then rc files; the default otherwise.
        var registries: [String] = []
        var explicitRegistry = false
        for t in toks {
            if case .opt(let n, let v) = t, let v {
                if n == "--registry" { registries.append(v); explicitRegistry = true }
                if n == "--proxy" || n == "--https-proxy" { url(v, why: "\(name) \(n)", assume: "http") }
                if n == "--userconfig" || n == "--globalconfig" { rcFile(joinPathLexically(cwd, v), &registries) }
            }
            if case .unknown(let n, let v) = t, n.hasSuffix(":registry") {
                guard let v else { unknown(n, "\(name) \(n) without a value"); continue }
                registries.append(v)
            }
        }
        var rcRegistries: [String] = []
        let root = projectRoot(cwd, marker: "package.json") ?? cwd
        var rcs = ancestors(cwd).map { $0 + "/.npmrc" }
        if let h = env.home { rcs.append(h + "/.npmrc") }
        rcs += [env.etc + "/npmrc", "/usr/etc/npmrc", "/usr/local/etc/npmrc"]
        for rc in rcs { rcFile(rc, &rcRegistries) }
        if name == "yarn" {
            for dir in ancestors(cwd) + (env.home.map { [$0] } ?? []) {
                if let t = readSmallTextFile(dir + "/.yarnrc") {
                    for line in t.split(separator: "\n") where line.contains("registry") || line.contains("proxy") {
                        for u in urlsIn(String(line)) { rcRegistries.append(u) }
                    }
                }
                if let t = readSmallTextFile(dir + "/.yarnrc.yml") {
                    for line in t.split(separator: "\n") where line.lowercased().contains("registry") || line.lowercased().contains("proxy") {
                        if line.contains("${") { unknown(dir + "/.yarnrc.yml", "yarn registry from a variable") }
                        for u in urlsIn(String(line)) { rcRegistries.append(u) }
                    }
                }
            }
        }
        registries += rcRegistries
        if !explicitRegistry && !rcRegistries.contains(where: { !$0.hasPrefix("@") }) {
            registries.append(name == "yarn" ? "https://registry.yarnpkg.com" : "https://registry.npmjs.org")
        }
        for r in registries { url(r, why: "\(name) registry") }
        for s in specs { npmSpecTargets(s, name) }
        if isInstall {
            let pkg = readSmallTextFile(root + "/package.json").flatMap(parseMiniJSON)
            for section in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "overrides", "resolutions"] {
                guard case .object(let kv)? = pkg?[section] else { continue }
                for (_, v) in kv { if let s = v.string { npmSpecTargets(s, name) } }
            }
            lockfileTargets(root)
        }
    }

    mutating func rcFile(_ path: String, _ registries: inout [String]) {
        guard let text = readSmallTextFile(path) else { return }
        for (k, v) in rcValues(text) {
            if k == "registry" || k.hasSuffix(":registry") || k == "proxy" || k == "https-proxy" || k == "http-proxy" {
                if v.contains("${") { unknown(path, "\(path) \(k) uses a variable"); continue }
                if k.contains("proxy") { url(v, why: "\(path) \(k)", assume: "http") } else { registries.append(v) }
            }
        }
    }

    /// Where an npm package spec is fetched from, beyond the registry.
    mutating func npmSpecTargets(_ spec: String, _ tool: String) {
        var s = spec
        if let r = s.firstRange(of: "://") {
            var start = r.lowerBound
            while start > s.startIndex, s[s.index(before: start)].isLetter || s[s.index(before: start)] == "+" { start = s.index(before: start) }
            s = String(s[start...])
            if let plus = s.firstIndex(of: "+"), plus < s.firstRange(of: "://")!.lowerBound { s = String(s[s.index(after: plus)...]) }
            url(s, why: "\(tool) package URL")
            return
        }
        let lower = s.lowercased()
        // `name@github:u/r`, `github:u/r`, `u/r` (GitHub shorthand), `git@host:path`.
        let afterAt: String = {
            if lower.hasPrefix("@") { return lower }   // @scope/name[@version]
            if let at = lower.firstIndex(of: "@") { return String(lower[lower.index(after: at)...]) }
            return lower
        }()
        if afterAt.hasPrefix("github:") || (!afterAt.hasPrefix("@") && !afterAt.hasPrefix(".") && !afterAt.hasPrefix("/")
            && !afterAt.hasPrefix("~") && !afterAt.contains(":") && afterAt.contains("/")) {
            host("github.com", port: 443, why: "\(tool) GitHub package \(spec)")
            host("codeload.github.com", port: 443, why: "\(tool) GitHub package \(spec)")
            return
        }
        for p in ["gitlab:", "bitbucket:", "gist:", "git:", "git+"] where afterAt.hasPrefix(p) {
            unknown(spec, "\(tool) package from \(p)")
            return
        }
        if afterAt.hasPrefix("git@"), let h = scpLike(afterAt) { add(NetTarget(host: h.host, port: 22, raw: spec, why: "\(tool) git package")) }
    }

    /// `resolved` URLs in package-lock.json / npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml.
    mutating func lockfileTargets(_ root: String) {
        for f in ["package-lock.json", "npm-shrinkwrap.json"] {
            let p = root + "/" + f
            guard pathExists(p) else { continue }
            guard let text = readSmallTextFile(p, limit: 64 << 20), let json = parseMiniJSON(text) else { unknown(p, "lockfile unreadable"); continue }
            var hosts: [String] = []
            for v in json.values(forKey: "resolved") where isURL(v) || v.hasPrefix("git") {
                if let h = hostOfURL(v.hasPrefix("git+") ? String(v.dropFirst(4)) : v)?.host, hosts.contains(h) { continue }
                npmSpecTargets(v, "lockfile")
                if let h = hostOfURL(v)?.host { hosts.append(h) }
            }
        }
        for (f, keys) in [("yarn.lock", ["resolved"]), ("pnpm-lock.yaml", ["tarball:", "repo:", "resolved"])] {
            let p = root + "/" + f
            guard pathExists(p) else { continue }
            guard let text = readSmallTextFile(p, limit: 64 << 20) else { unknown(p, "lockfile unreadable"); continue }
            for line in text.split(separator: "\n") where keys.contains(where: { line.contains($0) }) {
                for u in urlsIn(String(line)) { npmSpecTargets(u, "lockfile") }
            }
        }
    }

    // MARK: cargo, go, apt

    mutating func cargo(_ args: [String]) {
        let toks = tokenizeOptions(args.filter { !$0.hasPrefix("+") }, OptSpec(shortValue: ["Z", "C", "p", "j", "F"],
                                                                     longValue: ["config", "manifest-path", "color", "git", "branch", "tag", "rev",
                                                                                 "index", "registry", "path", "root", "target", "target-dir",
                                                                                 "features", "package", "jobs", "bin", "example", "profile", "version",
                                                                                 "vers", "rename", "message-format"],
                                                                     longFlags: ["offline", "frozen", "locked", "verbose", "quiet", "release",
                                                                                 "all-features", "no-default-features", "workspace", "all-targets"]))
        let ops = optOperands(toks)
        guard let sub = ops.first else { return }
        let offline: Set<String> = ["version", "help", "new", "init", "clean", "fmt", "locate-project", "read-manifest",
                                    "verify-project", "pkgid", "-V", "--version"]
        if offline.contains(sub) || hasOpt(toks, "--offline", "--frozen") { return }
        for kv in optValues(toks, "--config") {
            let k = kv.lowercased()
            if k.contains("registr") || k.contains("source") || k.contains("proxy") || k.contains("net.") || k.contains("http.") || !k.contains("=") {
                unknown(kv, "cargo --config may change registries")
            }
        }
        for g in optValues(toks, "--git") { remoteGit(g, "cargo --git") }
        for i in optValues(toks, "--index") { url(i.hasPrefix("sparse+") ? String(i.dropFirst(7)) : i, why: "cargo --index") }
        if hasOpt(toks, "--registry") { unknown("--registry", "cargo --registry: index URL from configuration") }
        var confDirs = ancestors(cwd).map { $0 + "/.cargo" }
        if let h = env.home { confDirs.append(h + "/.cargo") }
        for d in confDirs {
            for f in [d + "/config.toml", d + "/config"] {
                guard let text = readSmallTextFile(f) else { continue }
                let l = text.lowercased()
                if l.contains("[source") || l.contains("[registries") || l.contains("[registry") || l.contains("proxy") || l.contains("index") || l.contains("insteadof") {
                    unknown(f, "\(f) configures registries, sources or proxies")
                }
            }
        }
        for h in ["crates.io", "index.crates.io", "static.crates.io"] { host(h, port: 443, why: "cargo registry") }
        if let root = projectRoot(cwd, marker: "Cargo.toml") {
            if let manifest = readSmallTextFile(root + "/Cargo.toml") {
                for line in manifest.split(separator: "\n") {
                    let l = line.trimmingSpaces()
                    if l.hasPrefix("#") { continue }
                    if l.contains("registry") { unknown(root + "/Cargo.toml", "Cargo.toml names another registry") }
                    if let r = l.firstRange(of: "git") , l[r.upperBound...].trimmingSpaces().hasPrefix("=") || l.contains("{") && l.contains("git =") {
                        for u in urlsIn(String(l)) { remoteGit(u, "Cargo.toml git dependency") }
                        if urlsIn(String(l)).isEmpty, l.contains("git"), let q = l.split(separator: "\"").dropFirst().first, l.contains("git =") || l.hasPrefix("git") {
                            remoteGit(String(q), "Cargo.toml git dependency")
                        }
                    }
                }
            }
            if let lock = readSmallTextFile(root + "/Cargo.lock", limit: 64 << 20) {
                for line in lock.split(separator: "\n") where line.hasPrefix("source = ") {
                    let v = line.dropFirst(9).trimmingCharacters("\"")
                    if v.hasPrefix("git+") { remoteGit(String(v.dropFirst(4)), "Cargo.lock git source") }
                    else if v.hasPrefix("registry+") || v.hasPrefix("sparse+") {
                        let u = String(v.drop { $0 != "+" }.dropFirst())
                        if u != "https://github.com/rust-lang/crates.io-index" && u != "https://index.crates.io/" { url(u, why: "Cargo.lock registry") }
                    }
                }
            }
        }
    }

    mutating func remoteGit(_ u: String, _ why: String) {
        if gitURLIsLocal(u) { return }
        guard let r = hostOfURL(u) else { return }
        add(NetTarget(host: r.host, port: r.port, raw: u, why: why))
    }

    mutating func go(_ args: [String]) {
        guard let sub = args.first(where: { !$0.hasPrefix("-") }) else { return }
        let offline: Set<String> = ["version", "env", "fmt", "help", "doc", "clean", "bug", "telemetry"]
        if offline.contains(sub) { return }
        var vars: [String: String] = [:]
        if let c = env.configHome, let text = readSmallTextFile(c + "/go/env") {
            for (k, v) in rcValues(text) { vars[k.uppercased()] = v }
        }
        for k in ["GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOVCS"] where !(vars[k] ?? "").isEmpty {
            unknown(k, "go env \(k): modules fetched directly from their VCS hosts")
        }
        let proxy = vars["GOPROXY"] ?? "https://proxy.golang.org,direct"
        let entries = proxy.split(whereSeparator: { $0 == "," || $0 == "|" }).map { $0.trimmingSpaces() }
        for (i, e) in entries.enumerated() {
            if e == "off" { break }
            if e == "direct" {
                // After a proxy, `direct` is only a fallback for modules the proxy does not have.
                if i == 0 { unknown(proxy, "GOPROXY=direct: modules fetched from their VCS hosts") }
                break
            }
            url(e, why: "go module proxy", assume: "https")
        }
        let sumdb = vars["GOSUMDB"] ?? "sum.golang.org"
        if sumdb != "off" {
            let w = sumdb.split(separator: " ").map(String.init)
            if w.count > 1 { url(w[1], why: "go checksum database", assume: "https") }
            else { host(String(w[0].split(separator: "+").first ?? ""), port: 443, why: "go checksum database") }
        }
    }

    mutating func apt(_ args: [String]) {
        let toks = tokenizeOptions(args, OptSpec(shortValue: ["o", "c", "t", "a"], longValue: ["option", "config-file", "target-release", "host-architecture"]))
        guard let sub = optOperands(toks).first else { return }
        let network: Set<String> = ["update", "install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "download", "source",
                                    "build-dep", "changelog", "satisfy", "dselect-upgrade"]
        guard network.contains(sub) else { return }
        if hasOpt(toks, "-c", "--config-file") { unknown("-c", "apt configuration file may change sources") }
        for o in optValues(toks, "-o", "--option") {
            let k = o.lowercased()
            if k.hasPrefix("acquire::") || k.hasPrefix("dir") || k.contains("proxy") { unknown(o, "apt -o \(o) may change sources or proxies") }
        }
        if sub == "changelog" { unknown(sub, "apt changelog fetches from the distribution's changelog server") }
        for t in aptTargets(env) { add(t) }
    }

    // MARK: netcat, socat, dig, docker, gh, openssl, httpie

    mutating func netcat(_ name: String, _ args: [String]) {
        let spec = name == "ncat"
            ? OptSpec(shortValue: Set("cegGimopswxd"), longValue: ["proxy", "proxy-type", "proxy-auth", "proxy-dns", "exec", "sh-exec",
                                                                  "lua-exec", "output", "hex-dump", "source-port", "source", "wait",
                                                                  "idle-timeout", "max-conns", "allow", "allowfile", "deny", "denyfile",
                                                                  "ssl-cert", "ssl-key", "ssl-trustfile", "ssl-ciphers", "ssl-servername",
                                                                  "ssl-alpn", "delay"])
            : OptSpec(shortValue: Set("pswiqxXePIOTVMmbceFKRZoW"))
        let toks = tokenizeOptions(args, spec)
        if hasOpt(toks, "-l", "--listen") { unknown("-l", "\(name) listens for connections"); return }
        if hasOpt(toks, "-U", "--unixsock") { return }
        for p in optValues(toks, "-x", "--proxy") where name != "ncat" || true {
            if name == "ncat" && optValues(toks, "-x").contains(p) { continue }   // ncat -x is --hex-dump
            let parts = splitColons(p)
            host(parts.first ?? p, port: parts.count > 1 ? Int(parts[1]) : 1080, why: "\(name) proxy")
        }
        let ops = optOperands(toks)
        guard let h = ops.first else { return }
        host(h, port: ops.count > 1 ? Int(ops[1]) : nil, why: name)
    }

    mutating func socat(_ args: [String]) {
        var addrs: [String] = []
        var i = 0
        let valued: Set<String> = ["-b", "-t", "-T", "-L", "-W", "-lf", "-lp", "-r", "-R", "-S"]
        while i < args.count {
            let a = args[i]; i += 1
            if a != "-" && a.hasPrefix("-") && addrs.isEmpty { if valued.contains(a) { i += 1 }; continue }
            addrs.append(a)
        }
        for a in addrs { socatAddress(a) }
    }

    mutating func socatAddress(_ a: String) {
        let main = a.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? a
        if main == "-" || !main.contains(":") && ["STDIO", "STDIN", "STDOUT", "STDERR", "PTY"].contains(main.uppercased()) { return }
        guard let colon = main.firstIndex(of: ":") else {
            if main.uppercased().contains("LISTEN") { unknown(a, "socat listens") }
            return   // a bare path: a file
        }
        let type = main[..<colon].uppercased()
        let rest = String(main[main.index(after: colon)...])
        let connect: Set<String> = ["TCP", "TCP4", "TCP6", "TCP-CONNECT", "TCP4-CONNECT", "TCP6-CONNECT", "UDP", "UDP4", "UDP6",
                                    "UDP-CONNECT", "UDP4-CONNECT", "UDP6-CONNECT", "UDP-SENDTO", "UDP4-SENDTO", "UDP6-SENDTO",
                                    "SCTP", "SCTP4", "SCTP6", "SCTP-CONNECT", "SCTP4-CONNECT", "SCTP6-CONNECT", "OPENSSL", "SSL",
                                    "OPENSSL-CONNECT", "DTLS", "OPENSSL-DTLS-CLIENT", "UDP-DATAGRAM", "UDP4-DATAGRAM", "UDP6-DATAGRAM",
                                    "DCCP-CONNECT", "UDPLITE-CONNECT", "UDPLITE4-CONNECT", "UDPLITE6-CONNECT"]
        let proxies: Set<String> = ["SOCKS4", "SOCKS4A", "SOCKS5", "SOCKS5-CONNECT", "PROXY", "PROXY-CONNECT", "SOCKS"]
        let local: Set<String> = ["FILE", "OPEN", "CREATE", "CREAT", "GOPEN", "PIPE", "UNIX-CONNECT", "UNIX-SENDTO", "UNIX-CLIENT",
                                  "UNIX", "LOCAL", "ABSTRACT-CONNECT", "ABSTRACT-SENDTO", "ABSTRACT-CLIENT", "FD", "READLINE",
                                  "STDIO", "STDIN", "STDOUT", "STDERR", "PTY", "NAMED", "FDIN", "FDOUT"]
        if local.contains(type) { return }
        if connect.contains(type) {
            let parts = splitColons(rest)
            guard parts.count == 2 else { unknown(a, "socat address \(type) not understood"); return }
            host(parts[0], port: Int(parts[1]), why: "socat \(type)")
        } else if proxies.contains(type) {
            let parts = splitColons(rest)
            guard parts.count >= 2 else { unknown(a, "socat \(type)"); return }
            host(parts[0], port: nil, why: "socat \(type) proxy")
            if parts.count >= 3 { host(parts[1], port: Int(parts[2]), why: "socat \(type) destination") }
        } else if type.contains("LISTEN") || type.contains("RECV") || type.hasSuffix("-L") || type == "ACCEPT" {
            unknown(a, "socat listens")
        } else {
            unknown(a, "socat address type \(type) (EXEC/SYSTEM/unknown)")
        }
    }

    mutating func dig(_ args: [String]) {
        let types: Set<String> = ["A", "AAAA", "MX", "NS", "TXT", "SOA", "CNAME", "PTR", "SRV", "CAA", "ANY", "DS", "DNSKEY", "HTTPS",
                                  "SVCB", "NAPTR", "AXFR", "IXFR", "TLSA", "SSHFP", "RRSIG", "NSEC", "NSEC3", "SPF", "HINFO", "LOC",
                                  "CDS", "CDNSKEY", "URI", "OPENPGPKEY", "IN", "CH", "HS", "CHAOS", "HESIOD"]
        var i = 0
        var port: Int? = nil
        var servers: [String] = []
        var names: [String] = []
        while i < args.count {
            let a = args[i]; i += 1
            if a.hasPrefix("@") { servers.append(String(a.dropFirst())); continue }
            if a.hasPrefix("+") { continue }
            if a.hasPrefix("-") {
                let flag = a.prefix(2)
                let attached = a.count > 2 ? String(a.dropFirst(2)) : nil
                switch flag {
                case "-x", "-q":
                    if let v = attached ?? (i < args.count ? args[i] : nil) { names.append(v); if attached == nil { i += 1 } }
                case "-p":
                    if let v = attached ?? (i < args.count ? args[i] : nil) { port = Int(v); if attached == nil { i += 1 } }
                case "-f": unknown(a, "dig -f: names from a file"); if attached == nil { i += 1 }
                case "-t", "-c", "-b", "-k", "-y": if attached == nil { i += 1 }
                default: break
                }
                continue
            }
            if types.contains(a.uppercased()) || a.uppercased().hasPrefix("TYPE") { continue }
            names.append(a)
        }
        for s in servers { host(s, port: port ?? 53, why: "dig server") }
        for n in names { host(n, port: nil, why: "dig query") }
    }

    mutating func docker(_ args: [String]) {
        let toks = tokenizeOptions(args, OptSpec(shortValue: ["H", "c", "l"], longValue: ["host", "context", "config", "log-level", "tlscacert", "tlscert", "tlskey"], permute: false))
        if hasOpt(toks, "-H", "--host", "-c", "--context") { unknown("-H", "docker talks to another daemon") }
        var ops = optOperands(toks)
        guard var sub = ops.first else { return }
        ops.removeFirst()
        if (sub == "image" || sub == "container") && !ops.isEmpty { sub = ops.removeFirst() }
        switch sub {
        case "pull", "push":
            let t = tokenizeOptions(ops, OptSpec(longValue: ["platform"]))
            if let ref = optOperands(t).first { registryTargets(ref) }
        case "login", "logout":
            if let s = optOperands(tokenizeOptions(ops, OptSpec(shortValue: ["u", "p"], longValue: ["username", "password"]))).first { host(s.split(separator: "/").first.map(String.init) ?? s, port: 443, why: "docker login") }
            else { registryTargets("library/x") }
        case "search": registryTargets("library/x")
        case "run", "create", "build", "buildx", "compose", "exec", "start", "restart", "plugin", "swarm", "service", "stack",
             "import", "load", "trust", "manifest", "network", "cp", "attach", "up":
            unknown(sub, "docker \(sub): a container or build can reach any host")
        default: return
        }
    }

    mutating func registryTargets(_ ref: String) {
        var r = ref
        if r.hasPrefix("docker://") { r = String(r.dropFirst(9)) }
        let first = r.split(separator: "/", maxSplits: 1).first.map(String.init) ?? r
        if r.contains("/") && (first.contains(".") || first.contains(":") || first == "localhost") {
            let parts = splitColons(first)
            host(parts[0], port: parts.count > 1 ? Int(parts[1]) : 443, why: "container registry")
        } else {
            for h in ["registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com"] { host(h, port: 443, why: "Docker Hub") }
        }
    }

    mutating func gh(_ args: [String]) {
        let toks = tokenizeOptions(args, OptSpec(shortValue: ["R"], longValue: ["hostname", "repo"]))
        var hostName = "github.com"
        if let h = optValues(toks, "--hostname").last { hostName = h }
        if let r = optValues(toks, "-R", "--repo").last, r.split(separator: "/").count == 3 { hostName = String(r.split(separator: "/")[0]) }
        if hostName == "github.com" {
            host("api.github.com", port: 443, why: "gh")
            host("github.com", port: 443, why: "gh")
        } else {
            host(hostName, port: 443, why: "gh --hostname")
        }
    }

    /// Returns false when the subcommand does not use the network.
    mutating func openssl(_ args: [String]) -> Bool {
        guard let sub = args.first else { return false }
        switch sub {
        case "s_client":
            var target = "localhost:4433"
            var i = 1
            while i < args.count {
                let a = args[i]; i += 1
                if a == "-connect" || a == "-host", i < args.count { target = args[i]; i += 1 }
                else if a == "-proxy", i < args.count { let p = splitColons(args[i]); host(p[0], port: p.count > 1 ? Int(p[1]) : nil, why: "openssl -proxy"); i += 1 }
            }
            let p = splitColons(target)
            host(p[0], port: p.count > 1 ? Int(p[1]) : 443, why: "openssl s_client")
        case "s_server", "s_time":
            unknown(sub, "openssl \(sub)")
        case "ocsp":
            var any = false
            for (i, a) in args.enumerated() where (a == "-url" || a == "-host") && i + 1 < args.count {
                any = true
                if a == "-url" { url(args[i + 1], why: "openssl ocsp") } else { let p = splitColons(args[i + 1]); host(p[0], port: p.count > 1 ? Int(p[1]) : 80, why: "openssl ocsp") }
            }
            return any
        default: return false
        }
        return true
    }

    mutating func httpie(_ name: String, _ args: [String]) {
        let toks = tokenizeOptions(args, OptSpec(shortValue: ["a", "A", "o", "b", "h"], longValue: ["auth", "auth-type", "session", "session-read-only", "output", "proxy", "cert", "cert-key", "cert-key-pass", "verify", "ssl", "ciphers", "pretty", "style", "print", "format-options", "timeout", "max-redirects", "default-scheme", "boundary", "response-charset", "response-mime"], permute: false))
        for p in optValues(toks, "--proxy") {
            let v = p.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? p
            url(v, why: "\(name) --proxy", assume: "http")
        }
        var ops = optOperands(toks)
        if let f = ops.first, f.allSatisfy({ $0.isUppercase }) { ops.removeFirst() }
        guard let u = ops.first else { return }
        if u.hasPrefix(":") { host("localhost", port: Int(u.dropFirst().prefix { $0.isNumber }), why: name); return }
        url(u, why: name, assume: name.hasSuffix("s") && name != "xh" ? "https" : "http")
    }
}

// MARK: - Option tables and small parsers

extension Optional where Wrapped == Bool {
    func unwrap(_ d: Bool) -> Bool { self ?? d }
}

extension Substring {
    func trimmingCharacters(_ c: Character) -> String {
        var s = self
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}

/// Splits `host:port` / `[v6]:port` / `a:b:c` on colons outside brackets; brackets removed.
func splitColons(_ s: String) -> [String] {
    var out: [String] = []
    var cur = ""
    var depth = 0
    for ch in s {
        if ch == "[" { depth += 1; if depth == 1 { continue } }
        if ch == "]" { depth -= 1; if depth == 0 { continue } }
        if ch == ":" && depth == 0 { out.append(cur); cur = ""; continue }
        cur.append(ch)
    }
    out.append(cur)
    return out
}

/// `Key=Value` or `Key Value` (ssh -o): lowercased key, value.
func splitSSHOption(_ s: String) -> (String, String) {
    let t = s.trimmingSpaces()
    guard let i = t.firstIndex(where: { $0 == "=" || $0 == " " || $0 == "\t" }) else { return (t.lowercased(), "") }
    var v = t[t.index(after: i)...]
    while let f = v.first, f == " " || f == "=" || f == "\t" { v = v.dropFirst() }
    return (t[..<i].lowercased(), String(v))
}

/// curl URL globbing: `{a,b}` sets and `[1-9]` ranges (an IPv6 host in brackets is not a glob).
func curlGlobs(_ u: String) -> Bool {
    if u.contains("{") || u.contains("}") { return true }
    var s = Substring(u)
    if let r = s.firstRange(of: "://") { s = s[r.upperBound...] }
    if let at = s.prefix(while: { $0 != "/" }).lastIndex(of: "@") { s = s[s.index(after: at)...] }
    if s.hasPrefix("["), let close = s.firstIndex(of: "]") { s = s[s.index(after: close)...] }
    return s.contains("[") || s.contains("]")
}

/// Whether a curlrc file sets URLs, proxies or connection redirects.
func curlrcRedirects(_ path: String) -> Bool {
    guard let text = readSmallTextFile(path) else { return false }
    let risky: Set<String> = ["url", "proxy", "x", "preproxy", "socks4", "socks4a", "socks5", "socks5-hostname", "resolve",
                              "connect-to", "doh-url", "config", "k", "dns-servers", "next", ":", "variable"]
    for raw in text.split(separator: "\n") {
        let line = raw.trimmingSpaces()
        if line.isEmpty || line.hasPrefix("#") { continue }
        var key = Substring(line.prefix { $0 != " " && $0 != "\t" && $0 != "=" && $0 != ":" || $0 == ":" && line.hasPrefix("-:") })
        while key.hasPrefix("-") { key = key.dropFirst() }
        let k = key.lowercased()
        if risky.contains(k) || k.hasPrefix("expand-") { return true }
        if let full = resolveLong(k, curlSpec), risky.contains(full) { return true }
    }
    return false
}

/// wget's two-letter single-dash options (`-nH`, `-nc`, `-nd`, `-np`, `-nv`) as long options.
func wgetNormalise(_ args: [String]) -> [String] {
    let map = ["-nH": "--no-host-directories", "-nc": "--no-clobber", "-nd": "--no-directories", "-np": "--no-parent",
               "-nv": "--no-verbose"]
    return args.map { map[$0] ?? $0 }
}

let curlSpec = OptSpec(
    shortValue: Set("AbcCdDeEFHKmoPQrtTuUwxXyYz"),
    longValue: ["abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type", "ciphers", "config",
                "connect-timeout", "connect-to", "continue-at", "cookie", "cookie-jar", "create-file-mode", "crlfile", "curves",
                "data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "delegation", "dns-interface", "dns-ipv4-addr",
                "dns-ipv6-addr", "dns-servers", "doh-url", "dump-header", "ech", "egd-file", "engine", "etag-compare", "etag-save",
                "expect100-timeout", "form", "form-string", "ftp-account", "ftp-alternative-to-user", "ftp-method", "ftp-port",
                "ftp-ssl-ccc-mode", "happy-eyeballs-timeout-ms", "haproxy-clientip", "header", "hostpubmd5", "hostpubsha256",
                "hsts", "interface", "ip-tos", "ipfs-gateway", "json", "keepalive-time", "keepalive-cnt", "key", "key-type", "krb",
                "libcurl", "limit-rate", "local-port", "login-options", "mail-auth", "mail-from", "mail-rcpt", "max-filesize",
                "max-redirs", "max-time", "netrc-file", "noproxy", "oauth2-bearer", "output", "output-dir", "pass", "pinnedpubkey",
                "preproxy", "proto", "proto-default", "proto-redir", "proxy", "proxy-cacert", "proxy-capath", "proxy-cert",
                "proxy-cert-type", "proxy-ciphers", "proxy-crlfile", "proxy-header", "proxy-key", "proxy-key-type", "proxy-pass",
                "proxy-pinnedpubkey", "proxy-service-name", "proxy-tls13-ciphers", "proxy-tlsauthtype", "proxy-tlspassword",
                "proxy-tlsuser", "proxy-user", "proxy1.0", "pubkey", "quote", "random-file", "range", "rate", "referer", "request",
                "request-target", "resolve", "retry", "retry-delay", "retry-max-time", "sasl-authzid", "service-name", "socks4",
                "socks4a", "socks5", "socks5-gssapi-service", "socks5-hostname", "speed-limit", "speed-time", "stderr",
                "telnet-option", "tftp-blksize", "time-cond", "tls-max", "tls13-ciphers", "tlsauthtype", "tlspassword", "tlsuser",
                "trace", "trace-ascii", "trace-config", "unix-socket", "upload-file", "url", "url-query", "user", "user-agent",
                "variable", "write-out", "parallel-max", "upload-flags", "ssl-sessions", "knownhosts", "sigalgs"],
    longFlags: ["head", "include", "insecure", "location", "location-trusted", "silent", "show-error", "verbose", "fail",
                "fail-with-body", "compressed", "remote-name", "remote-name-all", "remote-header-name", "globoff", "get", "next",
                "ipv4", "ipv6", "http1.0", "http1.1", "http2", "http2-prior-knowledge", "http3", "http3-only", "no-buffer",
                "no-keepalive", "no-sessionid", "proxytunnel", "progress-bar", "list-only", "append", "create-dirs", "disable",
                "disable-eprt", "disable-epsv", "digest", "basic", "ntlm", "negotiate", "anyauth", "netrc", "netrc-optional",
                "path-as-is", "post301", "post302", "post303", "raw", "remote-time", "ssl", "ssl-reqd", "tcp-nodelay", "tcp-fastopen",
                "tr-encoding", "use-ascii", "junk-session-cookies", "manual", "version", "help", "styled-output", "parallel",
                "parallel-immediate", "fail-early", "retry-all-errors", "retry-connrefused", "skip-existing", "xattr",
                "no-progress-meter", "sslv2", "sslv3", "tlsv1", "tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3", "crlf", "doh-insecure",
                "proxy-insecure", "ca-native", "proxy-ca-native", "ignore-content-length", "no-alpn", "no-npn", "false-start",
                "cert-status", "socks5-basic", "socks5-gssapi", "socks5-gssapi-nec", "proxy-anyauth", "proxy-basic", "proxy-digest",
                "proxy-negotiate", "proxy-ntlm", "proxy-http2", "suppress-connect-headers", "compressed-ssh", "ftp-create-dirs",
                "ftp-pasv", "ftp-pret", "ftp-skip-pasv-ip", "ftp-ssl", "ftp-ssl-ccc", "ftp-ssl-control", "ftp-ssl-reqd", "form-escape",
                "sasl-ir", "ssl-allow-beast", "ssl-auto-client-cert", "ssl-no-revoke", "ssl-revoke-best-effort", "tftp-no-options",
                "trace-time", "mail-rcpt-allowfails", "clobber", "no-clobber", "http0.9", "metalink", "out-null", "show-headers"])

let wgetSpec = OptSpec(
    shortValue: Set("eoaiBtOTwQUPlARDIX"),
    longValue: ["output-file", "append-output", "execute", "config", "input-file", "base", "bind-address", "bind-dns-address",
                "dns-servers", "tries", "output-document", "timeout", "dns-timeout", "connect-timeout", "read-timeout", "wait",
                "waitretry", "quota", "limit-rate", "directory-prefix", "cut-dirs", "default-page", "user", "password", "http-user",
                "http-password", "ftp-user", "ftp-password", "header", "max-redirect", "proxy-user", "proxy-password", "referer",
                "save-cookies", "load-cookies", "post-data", "post-file", "method", "body-data", "body-file", "certificate",
                "certificate-type", "private-key", "private-key-type", "ca-certificate", "ca-directory", "crl-file", "pinnedpubkey",
                "random-file", "egd-file", "secure-protocol", "ciphers", "hsts-file", "warc-file", "warc-header", "warc-max-size",
                "warc-dedup", "warc-tempdir", "level", "accept", "reject", "accept-regex", "reject-regex", "regex-type", "domains",
                "exclude-domains", "follow-tags", "ignore-tags", "include-directories", "exclude-directories", "user-agent",
                "restrict-file-names", "prefer-family", "local-encoding", "remote-encoding", "report-speed", "use-askpass",
                "progress", "rejected-log", "compression", "retry-on-http-error", "input-metalink", "metalink-index",
                "preferred-location"],
    longFlags: ["span-hosts", "recursive", "mirror", "page-requisites", "no-parent", "continue", "timestamping", "no-clobber",
                "no-directories", "force-directories", "no-host-directories", "protocol-directories", "convert-links",
                "backup-converted", "quiet", "verbose", "no-verbose", "server-response", "spider", "inet4-only", "inet6-only",
                "no-check-certificate", "content-disposition", "trust-server-names", "force-html", "random-wait", "no-proxy",
                "ask-password", "no-cookies", "keep-session-cookies", "ignore-length", "auth-no-challenge", "https-only",
                "delete-after", "adjust-extension", "relative", "follow-ftp", "debug", "background", "no-netrc", "unlink",
                "content-on-error", "warc-cdx", "no-warc-compression", "no-warc-digests", "no-warc-keep-log", "xattr",
                "backups", "convert-file-only", "retry-connrefused", "save-headers", "no-dns-cache", "ignore-case",
                "no-glob", "passive-ftp", "no-passive-ftp", "preserve-permissions", "retr-symlinks", "no-iri", "iri",
                "no-hsts", "no-http-keep-alive", "strict-comments", "show-progress", "no-use-server-timestamps", "start-pos"])

let sshSpec = OptSpec(shortValue: Set("BbcDEeFIiJLlmOoPpQRSWw"), stopAfter: 1)
let scpSpec = OptSpec(shortValue: Set("cDFiJloPSX"))

let rsyncSpec = OptSpec(
    shortValue: ["e", "B", "f", "T", "M"],
    longValue: ["rsh", "rsync-path", "block-size", "filter", "exclude", "include", "exclude-from", "include-from", "files-from",
                "temp-dir", "partial-dir", "backup-dir", "suffix", "compare-dest", "copy-dest", "link-dest", "log-file",
                "log-file-format", "out-format", "password-file", "port", "address", "sockopts", "timeout", "contimeout", "bwlimit",
                "max-size", "min-size", "max-delete", "modify-window", "chmod", "chown", "usermap", "groupmap", "iconv",
                "compress-level", "compress-choice", "zc", "skip-compress", "checksum-choice", "cc", "protocol", "write-batch",
                "only-write-batch", "read-batch", "outbuf", "remote-option", "info", "debug", "stderr", "max-alloc", "stop-after",
                "stop-at", "early-input", "copy-as", "checksum-seed", "connect-program"],
    longFlags: ["archive", "verbose", "recursive", "delete", "dry-run", "compress", "progress", "partial", "human-readable",
                "checksum", "update", "links", "perms", "times", "group", "owner", "devices", "specials", "hard-links", "acls",
                "xattrs", "sparse", "whole-file", "one-file-system", "existing", "ignore-existing", "remove-source-files",
                "delete-before", "delete-during", "delete-after", "delete-excluded", "force", "stats", "itemize-changes", "quiet",
                "relative", "no-implied-dirs", "backup", "copy-links", "safe-links", "mkpath", "list-only", "protect-args",
                "secluded-args", "inplace", "append", "append-verify", "executability", "numeric-ids", "prune-empty-dirs",
                "fuzzy", "delay-updates", "ignore-times", "size-only", "omit-dir-times", "super", "fake-super", "8-bit-output",
                "blocking-io", "no-motd", "ipv4", "ipv6", "version", "help"])

let gitFetchSpec = OptSpec(
    shortValue: ["o", "j", "s", "X"],
    longValue: ["upload-pack", "receive-pack", "exec", "depth", "shallow-since", "shallow-exclude", "deepen", "refmap", "jobs",
                "negotiation-tip", "server-option", "push-option", "strategy", "strategy-option", "repo", "filter",
                "recurse-submodules-default", "cleanup", "sort", "shallow-date"],
    longOptional: ["signed", "force-with-lease", "rebase", "recurse-submodules", "gpg-sign", "log", "force-if-includes"],
    longFlags: ["all", "multiple", "prune", "prune-tags", "tags", "no-tags", "dry-run", "force", "quiet", "verbose", "progress",
                "append", "atomic", "unshallow", "update-shallow", "keep", "mirror", "delete", "follow-tags", "set-upstream",
                "no-verify", "verify", "porcelain", "thin", "no-thin", "ff", "no-ff", "ff-only", "squash", "commit", "no-commit",
                "edit", "autostash", "stat", "heads", "branches", "get-url", "symref", "refetch", "write-fetch-head", "update-head-ok"])

let pipSpec = OptSpec(
    shortValue: ["i", "r", "c", "e", "f", "t", "d", "b"],
    longValue: ["index-url", "extra-index-url", "find-links", "proxy", "requirement", "constraint", "editable", "log", "cert",
                "client-cert", "timeout", "retries", "exists-action", "trusted-host", "cache-dir", "python", "keyring-provider",
                "use-feature", "use-deprecated", "target", "platform", "python-version", "implementation", "abi", "root", "prefix",
                "src", "upgrade-strategy", "global-option", "config-settings", "no-binary", "only-binary", "progress-bar", "report",
                "dest", "path", "format", "exclude", "group", "build-dir", "resume-retries", "log-file", "local-log"],
    longFlags: ["no-index", "no-deps", "upgrade", "user", "pre", "quiet", "verbose", "isolated", "force-reinstall",
                "ignore-installed", "no-build-isolation", "require-hashes", "no-cache-dir", "dry-run", "outdated", "uptodate",
                "disable-pip-version-check", "no-input", "break-system-packages", "require-virtualenv", "no-color", "editable",
                "no-clean", "compile", "no-compile", "no-warn-script-location", "no-warn-conflicts", "prefer-binary",
                "ignore-requires-python", "use-pep517", "no-use-pep517", "check-build-dependencies", "root-user-action", "help",
                "version", "not-required", "local", "exclude-editable", "include-editable", "json", "all", "yes",
                "debug", "no-python-version-warning"])

let npmSpec = OptSpec(
    shortValue: ["w", "p"],
    longValue: ["registry", "cache", "prefix", "userconfig", "globalconfig", "tag", "otp", "workspace", "loglevel", "proxy",
                "https-proxy", "noproxy", "cafile", "ca", "cert", "key", "omit", "include", "install-strategy", "location",
                "script-shell", "node-options", "before", "fetch-retries", "fetch-timeout", "access", "auth-type", "package",
                "call", "filter", "dir"],
    longFlags: ["save", "save-dev", "save-prod", "save-optional", "save-peer", "save-exact", "global", "production", "dev",
                "dry-run", "force", "legacy-peer-deps", "no-save", "ignore-scripts", "no-audit", "no-fund", "yes", "offline",
                "prefer-offline", "prefer-online", "frozen-lockfile", "immutable", "silent", "quiet", "verbose", "json",
                "workspaces", "include-workspace-root", "strict-peer-deps", "audit", "fund", "foreground-scripts"])
