import Glibc
import CSys
import Interp

// The decision procedure. Everything a command does that the policy speaks about is collected
// (the program and its rule, its options and arguments, the programs it would run in turn, the
// files it names, the hosts it contacts, the variables set for it) and the strongest verdict wins:
// deny beats ask beats allow. Anything that cannot be determined is refused.

public final class PolicyEngine {
    /// The policy without its rules and examples (`commands` and `tests` are empty): what every
    /// decision reads. Rules are fetched one at a time (`rule(_:)`), so that an engine from the
    /// compiled cache decodes only the rules a command consults.
    public let settings: Policy
    /// The whole policy (from the cache: decoded on first use; tools and `allowed` need it, the
    /// decisions do not).
    public var policy: Policy {
        if let full { return full }
        var p = settings
        p.commands = (0..<ruleCount).map { rule($0) }
        p.tests = compiled?.tests() ?? []
        full = p
        return p
    }
    private var full: Policy?
    /// Set for an engine from the compiled-policy cache (CachePolicy.swift).
    private let compiled: CompiledPolicy?
    /// The kernel plan's looks at programs (ProgramProbe): recorded while the compiled-policy
    /// cache is written, answered from it afterwards; `liveProbes` counts the ones that read the
    /// file (for the tests).
    var probeRecorder: ProbeRecorder? = nil
    var liveProbes = 0
    var hasCachedProbes: Bool { compiled?.hasProbes ?? false }
    func cachedProbe(_ path: String, _ st: stat) -> [String]? { compiled?.probe(path, st) }
    /// Rules decoded from the cache so far (a command consults a few).
    private var memoIndices: [Int] = []
    private var memoRules: [CommandRule] = []
    let ruleCount: Int
    let home: String?
    let governedUID: uid_t
    /// Path patterns, compiled on first use: their literal prefixes are canonicalised through the
    /// file system (a few lstats each), which a command that names no file never needs.
    var readPatterns: [PathPattern]? { pathRules.read }
    var writePatterns: [PathPattern] { pathRules.write }
    var denyPatterns: [PathPattern] { pathRules.deny }
    /// The literal directory each deny pattern starts at (canonical), with the pattern text.
    var denyBases: [(String, String)] { pathRules.denyBases }
    private var compiledPaths: CompiledPathRules?
    /// Directories the shell keeps for itself besides the policy's enforcement paths: the
    /// compiled-policy cache directories (set by `loadPolicyEngine` before any decision).
    /// Installed setgid, aegish can write there, so a redirection must never reach them.
    var shellPaths: [String] = [] {
        didSet { compiledPaths = nil }
    }
    /// Canonical workspace directory, if the policy names one.
    var workspaceRoot: String? { settings.workspace.map { canonicalPath($0, cwd: "/") } }
    var allowHosts: [HostPattern] { hostRules.allow }
    var denyHosts: [HostPattern] { hostRules.deny }
    private var compiledHosts: (allow: [HostPattern], deny: [HostPattern])?
    /// Canonical program path → indices of the rules that name it (engines loaded from TOML).
    private var byBinary: [String: [Int]] = [:]
    /// Rule names that did not resolve to a program at load time (reported by `allowed`/lint),
    /// with their rules: a program that is not installed is still decided by its rule's verdict.
    private var unresolved: [String: [Int]] = [:]
    private var hashCache: [String: (mtime: Int, size: Int, hex: String?)] = [:]
    private var groupCache: [gid_t]?? = nil
    /// When set, every decision records its steps here (`aegishctl explain`; Trace.swift).
    public var trace: DecisionTrace? = nil
    /// The canonical program of the last top-level exec decision: the kernel sandbox grants
    /// exactly the file that was checked, whatever the typed path points to by the time it runs.
    public internal(set) var decidedProgram: String? = nil
    /// `environment.deny` and `environment.pass`, split once into exact names and prefixes
    /// (every program's environment is filtered through them).
    private lazy var denyNames = NamePatterns(settings.environment.deny)
    private lazy var passNames: NamePatterns? = settings.environment.pass.map(NamePatterns.init)
    /// `environment.set` as `NAME=value` in name order (SHELL is aegish's own), for every program.
    private lazy var setEntries: [String] = settings.environment.set.keys.sorted()
        .filter { $0 != "SHELL" }.map { $0 + "=" + settings.environment.set[$0]! }
    /// HOME and XDG_CONFIG_HOME as every program sees them: childEnvironment pins them, so the
    /// configuration files the analysers read (~/.gitconfig, ~/.ssh/config, …) are the ones the
    /// program will read, whatever the agent exported.
    var programEnv: NetEnv {
        NetEnv(home: settings.environment.set["HOME"] ?? home, xdgConfig: settings.environment.set["XDG_CONFIG_HOME"])
    }

    /// Compiles the policy for `home` (for `~`) and the governed user.
    public convenience init(policy: Policy, home: String?, governedUID: uid_t) throws {
        try self.init(policy: policy, home: home, governedUID: governedUID, deps: nil)
    }

    /// `deps` records the directories the rule-name resolution consulted (for the cache key).
    init(policy: Policy, home: String?, governedUID: uid_t, deps: DepRecorder?) throws {
        var s = policy
        s.commands = []
        s.tests = []
        settings = s
        full = policy
        compiled = nil
        ruleCount = policy.commands.count
        self.home = home
        self.governedUID = governedUID
        // Every pattern must expand (the file-system part, canonicalising prefixes, is deferred).
        let workspace = policy.workspace
        for (list, what) in [(policy.paths.read ?? [], "paths.read"), (policy.paths.write, "paths.write"),
                             (policy.paths.deny, "paths.deny")] {
            for text in list where PathPattern.expand(text, home: home, workspace: workspace) == nil {
                throw PolicyLoadError(location: SourceLocation(file: policy.file, line: 0, column: 0),
                                      message: "\(what): cannot expand path pattern '\(text)' (is HOME set? is [policy] workspace set?)")
            }
        }
        func hosts(_ list: [String], _ what: String) throws -> [HostPattern] {
            try list.map { text in
                guard let h = HostPattern(text) else {
                    throw PolicyLoadError(location: SourceLocation(file: policy.file, line: 0, column: 0),
                                          message: "\(what): invalid host pattern '\(text)'")
                }
                return h
            }
        }
        compiledHosts = (try hosts(policy.network.allow, "network.allow"), try hosts(policy.network.deny, "network.deny"))
        // Resolve every rule name once (a shell starts for every agent command, and a policy
        // names hundreds of programs): one lstat per directory tried; only symlinks are walked,
        // a regular file's canonical path is its directory's canonical path plus its name.
        let dirs = policy.searchPath.map { (canonical: canonicalPath($0, cwd: "/", deps: deps), raw: $0) }
        // A large policy lists each search directory once instead: a name missing from the
        // listing would fail its lstat anyway (names in it are still lstat'ed, as before).
        let nameCount = policy.commands.reduce(0) { $0 + $1.names.count }
        let listings: [Set<String>?] = dirs.map { nameCount > 256 ? directoryEntries($0.raw) : nil }
        for (i, rule) in policy.commands.enumerated() {
            for name in rule.names {
                var found: String? = nil
                if name.hasPrefix("/") {
                    found = canonicalPath(name, cwd: "/", deps: deps)
                } else {
                    for (k, d) in dirs.enumerated() {
                        var st = stat()
                        deps?.directory(d.raw)
                        if let listed = listings[k], !hasByte(name, "/"), !listed.contains(name) { continue }
                        guard lstat(d.raw + "/" + name, &st) == 0 else { continue }
                        let kind = st.st_mode & S_IFMT
                        if kind == S_IFLNK {
                            found = canonicalPath(d.raw + "/" + name, cwd: "/", deps: deps)
                        } else if kind == S_IFREG {
                            found = d.canonical + "/" + name
                        } else {
                            continue
                        }
                        break
                    }
                }
                if let path = found {
                    byBinary[path, default: []].append(i)
                } else {
                    unresolved[basename(name), default: []].append(i)
                }
            }
        }
    }

    /// An engine from a validated compiled-policy cache: nothing is resolved or compiled here.
    init(compiled: CompiledPolicy, home: String?, governedUID: uid_t) {
        settings = compiled.settings
        self.compiled = compiled
        ruleCount = compiled.ruleCount
        self.home = home
        self.governedUID = governedUID
    }

    /// A sealed copy (memfd) of the compiled policy this engine was loaded from, for a nested
    /// aegish (handedDownPolicyEngine); -1 when it was not loaded from one. A copy, never the
    /// cache file itself: the user owns that file (written setgid as the user), and a
    /// descriptor of it would let them make it writable through /proc/self/fd.
    public func sealedCompiledCopy() -> Int32 {
        guard let compiled else { return -1 }
        return compiled.bytes.withBytes { aegish_sealed_copy("aegish-compiled-policy", $0.baseAddress, $0.count) }
    }

    /// Rule `i` of the policy. From the cache, decoded once; one that cannot be decoded (only a
    /// writer's bug could cause it: the cache is checksummed) refuses.
    func rule(_ i: Int) -> CommandRule {
        if let full { return full.commands[i] }
        if let k = memoIndices.firstIndex(of: i) { return memoRules[k] }
        guard let r = compiled?.rule(i) else {
            var damaged = CommandRule(id: "policy-cache", names: [], verdict: .deny)
            damaged.reason = "the compiled policy cache is damaged; delete it"
            return damaged
        }
        if memoIndices.count < 64 {
            memoIndices.append(i)
            memoRules.append(r)
        }
        return r
    }

    /// Rule `i`'s verdict, without decoding the whole rule from the cache (a damaged one: deny).
    func ruleVerdict(_ i: Int) -> Verdict {
        if let full { return full.commands[i].verdict }
        return compiled?.ruleVerdict(i) ?? .deny
    }

    /// Indices of the rules naming the program at canonical path `binary`.
    func rules(forBinary binary: String) -> [Int] {
        if let compiled { return compiled.rules(forBinary: binary) ?? [-1] }
        return byBinary[binary] ?? []
    }

    /// Indices of the rules whose name `name` did not resolve to a program.
    func rules(forUnresolvedName name: String) -> [Int] {
        if let compiled { return compiled.rules(forUnresolvedName: name) ?? [-1] }
        return unresolved[name] ?? []
    }

    /// Canonical program path → rule indices (the cache writer and tools).
    var rulesByBinary: [String: [Int]] { compiled.map { $0.byBinary ?? [:] } ?? byBinary }
    var unresolvedNames: [String: [Int]] { compiled.map { $0.unresolved ?? [:] } ?? unresolved }

    struct CompiledPathRules {
        var read: [PathPattern]?
        var write: [PathPattern]
        var deny: [PathPattern]
        var denyBases: [(String, String)]
    }

    private var pathRules: CompiledPathRules {
        if let c = compiledPaths { return c }
        // From the compiled cache when the directories their literal parts went through are
        // unchanged (CompiledPolicy.pathRules): compiling costs ~0.3 ms with the example.
        let c = compiled?.pathRules(shellPaths: shellPaths) ?? compilePathRules(deps: nil)
        compiledPaths = c
        return c
    }

    /// Whether the compiled cache's path patterns are usable now (tests).
    func cachedPathRulesForTests() -> CompiledPathRules? { compiled?.pathRules(shellPaths: shellPaths) }

    /// The path patterns compiled from the policy's text: each expanded (home, workspace) and
    /// its literal part canonicalised. `deps` records the directories that consulted.
    func compilePathRules(deps: DepRecorder?) -> CompiledPathRules {
        let p = settings
        // Expansion was checked when the policy loaded (the same HOME is part of the cache key).
        let memo = CanonicalMemo(deps: deps)
        func patterns(_ list: [String]) -> [PathPattern] {
            list.compactMap { PathPattern($0, home: home, workspace: p.workspace, memo: memo) }
        }
        let c = CompiledPathRules(
            read: p.paths.read.map(patterns),
            write: patterns(p.paths.write),
            // The audit log's directory and the rate-limit state are never the agent's to touch, even
            // when aegish itself can write them (installed setgid): a redirection is aegish writing.
            deny: patterns(p.paths.deny) + patterns(p.enforcementPaths) + patterns(shellPaths),
            denyBases: p.paths.deny.compactMap { text in
                var t = text
                if t == "~" || t.hasPrefix("~/") { guard let h = home else { return nil }; t = h + t.dropFirst() }
                if t.hasPrefix("$WORKSPACE") { guard let w = p.workspace else { return nil }; t = w + t.dropFirst(10) }
                let literal = t.split(separator: "/", omittingEmptySubsequences: true)
                    .prefix { !hasByte($0, "*") && !hasByte($0, "?") && !hasByte($0, "[") }
                return (memo.canonical("/" + literal.joined(separator: "/")), text)
            })
        return c
    }

    private var hostRules: (allow: [HostPattern], deny: [HostPattern]) {
        if let h = compiledHosts { return h }
        // From the cache (compiled when it was written; they depend only on their text).
        let h = compiled?.hosts() ?? (settings.network.allow.compactMap { HostPattern($0) },
                                      settings.network.deny.compactMap { HostPattern($0) })
        compiledHosts = h
        return h
    }

    // MARK: resolving programs

    /// A command name looked up in the policy's own search path (never the agent's PATH).
    public func resolve(_ name: String) -> String? {
        if hasByte(name, "/") { return name.hasPrefix("/") ? name : nil }
        for dir in settings.searchPath {
            let candidate = dir + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    // MARK: exec

    /// Decides running `argv` (argv[0] as typed; `path` the program the shell resolved, or nil to
    /// resolve through the policy path). `assigned`: variables set on the command line.
    public func decideExec(argv: [String], path: String?, cwd: String, assigned: [String] = [],
                           depth: Int = 0) -> Decision {
        let d = decideExecSteps(argv: argv, path: path, cwd: cwd, assigned: assigned, depth: depth)
        trace?.add(.decision, depth: depth, argv.joined(separator: " "), d)
        return d
    }

    private func decideExecSteps(argv: [String], path: String?, cwd: String, assigned: [String],
                                 depth: Int) -> Decision {
        guard let name = argv.first else { return Decision(.deny, rule: "exec", "empty command") }
        if depth > 8 {
            return Decision(.deny, rule: "exec", "commands nested more than 8 deep (\(name))")
        }
        let relative = hasByte(name, "/") && !name.hasPrefix("/") ? canonicalPath(name, cwd: cwd) : nil
        guard let program = path ?? relative ?? resolve(name) else {
            if let i = rules(forUnresolvedName: basename(name)).first {
                let r = rule(i)
                return Decision(.deny, rule: r.id,
                                "\(name) is not installed in the policy's search path" + (r.reason.map { " (\($0))" } ?? ""))
            }
            return Decision(.deny, rule: "exec", "\(name) is not found in the policy's search path (\(settings.searchPath.joined(separator: ":")))")
        }
        let binary = canonicalPath(program.hasPrefix("/") ? program : cwd + "/" + program, cwd: cwd)
        if depth == 0 { decidedProgram = binary }
        let base = basename(binary), typedBase = basename(name)
        trace?.add(.program, depth: depth, name, note: binary == name ? "the program \(binary)" : "resolves to \(binary)")
        if depth > 0 && (shellProgramNames.contains(base) || shellProgramNames.contains(typedBase)) {
            return Decision(.deny, rule: "exec",
                            "\(name) would start a shell outside aegish; run the command directly (aegish runs `sh -c` itself only when typed as a command)")
        }

        var decision: Decision
        let indices = rules(forBinary: binary)
        if indices.isEmpty, let interp = scriptInterpreter(binary) {
            // `./tool.py` with `#!/usr/bin/env python3`: the kernel runs the interpreter on the
            // file, so it is decided exactly as `python3 ./tool.py` would be.
            trace?.add(.check, depth: depth, name, note: "a script with #!\(interp.joined(separator: " ")): decided as that interpreter running it")
            let d = decideExec(argv: interp + [program] + argv.dropFirst(), path: interp[0], cwd: cwd,
                               assigned: assigned, depth: depth + 1)
            return Decision(d.verdict, rule: d.ruleID, d.verdict == .allow ? d.reason : "\(name) is run by \(interp.joined(separator: " ")): \(d.reason)")
        }
        if indices.isEmpty, let ws = workspaceRoot, binary == ws || binary.hasPrefix(ws + "/") {
            // The agent's own program (it built it, or the task shipped it): the policy's
            // workspace_programs verdict, and the usual checks of what it names.
            var d = Decision(settings.workspacePrograms, rule: "workspace-programs",
                             settings.workspacePrograms == .deny
                                ? "\(name) is a program in the workspace and [policy] workspace_programs is deny"
                                : "\(name) is the agent's own program")
            trace?.add(.rule, depth: depth, "workspace_programs", d, note: "\(binary) is under the workspace and no rule names it")
            if d.verdict != .deny {
                for use in pathUses(argv, cwd: cwd, env: programEnv) where !use.isUnbounded {
                    let pd = decidePath(use.path, access: use.access, raw: use.raw)
                    trace?.add(.path, depth: depth, use.raw, pd, note: pathNote(use.access, use.path))
                    d = d.combined(with: pd)
                }
            }
            return d
        }
        // (After the script case: a script the agent wrote is data for an allowed interpreter.)
        if let why = untrustedBinary(binary) {
            trace?.add(.check, depth: depth, binary, Decision(.deny, rule: "binary-trust", why), note: "binary trust")
            return Decision(.deny, rule: "binary-trust", why)
        }
        if indices.isEmpty {
            let v = settings.defaultVerdict
            decision = Decision(v, rule: "default",
                                v == .deny ? "\(name) is not in the allowlist; run `allowed` to see what is"
                                           : "\(name) has no rule; the policy default is \(v)")
            trace?.add(.rule, depth: depth, "default", decision, note: "no rule names \(binary)")
        } else {
            decision = Decision(.allow, rule: "", "")
            var first = true
            for i in indices {
                let d = decideRule(rule(i), argv: argv, binary: binary, cwd: cwd, depth: depth)
                decision = first ? d : decision.combined(with: d)
                first = false
            }
        }
        if decision.verdict == .deny { return decision }

        // Variables set on the command line that the policy refuses (LD_PRELOAD=… cmd).
        for n in assigned {
            let denied = matchesAny(n, settings.environment.deny)
            let d = denied ? Decision(.deny, rule: "environment.deny",
                                      "\(n) may not be set for a program (it changes what runs); remove \(n)=…") : nil
            trace?.add(.environment, depth: depth, n + "=…", d, note: denied ? "" : "not in environment.deny")
            if let d { decision = decision.combined(with: d) }
        }
        // Files it names.
        let recursive = isRecursiveWalk(argv)
        for use in pathUses(argv, cwd: cwd, env: programEnv) {
            if recursive, let d = protectedBelow(use.path, access: use.access, creates: createsFiles(argv)) {
                return d
            }
            if recursive && followsSymlinks(argv), let d = symlinkEscape(under: use.path, access: use.access) {
                return d
            }
            if use.isUnbounded && use.access == .read && settings.kernel == .required {
                // Files named only by its input (`find … | xargs grep`): nothing here can bound
                // them, but with kernel = "required" the program runs only under the kernel
                // layer, which holds its reads to [paths] (its reported gaps, W015, hold for
                // every interpreter the policy allows too). Writes stay refused: the kernel
                // cannot tell a protected file inside a writable tree from any other.
                trace?.add(.path, depth: depth, use.raw, nil,
                           note: "files known only when it runs: reads held to [paths] by the kernel layer (kernel = \"required\")")
                continue
            }
            if use.isUnbounded {
                // The analyser cannot bound what it touches: that includes every protected path.
                return Decision(.deny, rule: "paths", "\(name): \(use.raw.hasPrefix("<unknown: ") ? String(use.raw.dropFirst(10).dropLast()) : use.raw); aegish cannot tell which files it would touch")
            }
            let pd = decidePath(use.path, access: use.access, raw: use.raw)
            trace?.add(.path, depth: depth, use.raw, pd, note: pathNote(use.access, use.path))
            decision = decision.combined(with: pd)
            if decision.verdict == .deny { return decision }
        }
        // Hosts it contacts.
        if let targets = networkTargets(argv, cwd: cwd, env: programEnv) {
            for t in targets {
                let hd = decideHost(t)
                trace?.add(.host, depth: depth, t.host ?? t.raw, hd, note: t.host == nil ? t.why : "from \(t.raw)")
                decision = decision.combined(with: hd)
                if decision.verdict == .deny { return decision }
            }
        }
        return decision
    }

    /// One rule's verdict for argv: options, argument patterns, and what the program runs in turn.
    private func decideRule(_ rule: CommandRule, argv: [String], binary: String, cwd: String, depth: Int) -> Decision {
        let name = argv[0]
        var decision = Decision(rule.verdict, rule: rule.id,
                                rule.reason ?? (rule.verdict == .allow ? "\(name) is allowed" : "\(name): \(rule.verdict) by rule \(rule.id)"))
        trace?.add(.rule, depth: depth, rule.id, decision, note: ruleNamesNote(rule))
        if let pin = rule.sha256 {
            guard let hex = fileHash(binary), hex == pin.lowercased() else {
                trace?.add(.check, depth: depth, "sha256", note: "\(binary) does not match the pin")
                return Decision(.deny, rule: rule.id, "\(binary) does not match the sha256 pinned in the policy")
            }
            trace?.add(.check, depth: depth, "sha256", note: "\(binary) matches the pin")
        }
        let args = Array(argv.dropFirst())
        let withValue = Set(rule.optionsWithValue)
        if !rule.arguments.isEmpty {
            // Argument rules refine the command's own verdict: when any matches, the strongest
            // matching one replaces the base verdict (so a denied command can allow `status`).
            let cmdArgs = commandArguments(args, withValue: withValue)
            var matched: Decision? = nil
            for a in rule.arguments {
                let hit = patternMatches(a.pattern, cmdArgs)
                    || (a.verdict != .allow && patternMatchesOptionsAnywhere(a.pattern, cmdArgs, withValue: withValue))
                trace?.add(.pattern, depth: depth, "\(a.id): \"\(a.pattern)\" → \(a.verdict)",
                           note: (hit ? "matches" : "does not match") + " the arguments [\(cmdArgs.joined(separator: " "))]")
                guard hit else { continue }
                let d = Decision(a.verdict, rule: a.id, a.reason ?? "\(name) \(a.pattern): \(a.verdict)")
                matched = matched.map { $0.combined(with: d) } ?? d
            }
            if let m = matched { decision = m }
        }
        if let opt = matchingOptions(args, rules: rule.denyOptions, withValue: withValue).first {
            trace?.add(.option, depth: depth, opt.spelling, note: "in deny_options of \(rule.id)")
            return Decision(.deny, rule: rule.id, "option \(opt.spelling) of \(name) is denied")
        }
        if let opt = matchingOptions(args, rules: rule.askOptions, withValue: withValue).first {
            trace?.add(.option, depth: depth, opt.spelling, note: "in ask_options of \(rule.id)")
            decision = decision.combined(with: Decision(.ask, rule: rule.id,
                                                        "option \(opt.spelling) of \(name) needs approval"))
        }
        if decision.verdict == .deny { return decision }
        if basename(binary) == "git", let why = gitRepositoryRunsPrograms(args, cwd: cwd) {
            return Decision(.deny, rule: rule.id, why)
        }
        if basename(binary) == "git", args.contains(where: { $0 == "--template" || $0.hasPrefix("--template=") }) {
            return Decision(.deny, rule: rule.id, "git --template copies hooks (programs git runs) into the repository; leave it out")
        }
        for inner in innerCommands(argv) {
            trace?.add(.inner, depth: depth, innerDescription(inner), note: "\(name) would run it")
            var d = decideInner(inner, rule: rule, outer: name, cwd: cwd, depth: depth)
            if case .argv(let innerArgv, _) = inner, !innerArgv.isEmpty, appendsInputArguments(argv) {
                d = d.combined(with: appendedArgumentsRisk(innerArgv, outer: name))
            }
            decision = decision.combined(with: d)
            if decision.verdict == .deny { return decision }
        }
        return decision
    }

    private func decideInner(_ inner: Inner, rule: CommandRule, outer: String, cwd: String, depth: Int) -> Decision {
        switch inner {
        case .argv(let argv, let env):
            for assignment in env {
                let n = String(assignment.split(separator: "=", maxSplits: 1).first ?? "")
                if matchesAny(n, settings.environment.deny) || environmentVariableRunsCode(n) {
                    return Decision(.deny, rule: "environment.deny",
                                    "\(outer) would set \(n) for the program it runs, which changes what runs")
                }
            }
            guard !argv.isEmpty else { return Decision(.allow, rule: rule.id, "") }
            let d = decideExec(argv: argv, path: nil, cwd: cwd, depth: depth + 1)
            if d.verdict == .allow { return d }
            return Decision(d.verdict, rule: d.ruleID, "\(outer) would run \(argv[0]): \(d.reason)")
        case .shellScript, .shellFile:
            return Decision(.deny, rule: rule.id,
                            "\(outer) would start a shell outside aegish; run the commands directly instead")
        case .inlineCode(let language, let code):
            if language == "awk" && !awkRunsCommands(code) { return Decision(.allow, rule: rule.id, "") }
            if language == "sed" && !sedExecutes(code) { return Decision(.allow, rule: rule.id, "") }
            let v = rule.inlineCode ?? .deny
            return Decision(v, rule: rule.id,
                            v == .allow ? "inline \(language) code allowed by \(rule.id)"
                                        : "inline \(language) code cannot be checked by aegish; put it in a file in the workspace and run that")
        case .unknown(let why):
            // Commands the program takes from somewhere aegish cannot see (a Makefile, a config
            // key, another host): like inline code, only the rule's `inline_code` can allow it.
            let v = rule.inlineCode ?? .deny
            return Decision(v, rule: rule.id, v == .allow ? "\(outer): \(why) (allowed by inline_code)"
                                                          : "\(outer): \(why); aegish cannot check what it would run")
        }
    }

    /// xargs adds words aegish never sees: if the program it runs has option or argument rules
    /// that could refuse, those words could carry exactly what the rules forbid.
    private func appendedArgumentsRisk(_ argv: [String], outer: String) -> Decision {
        guard let path = resolve(argv[0]) else { return Decision(.allow, rule: "", "") }
        for i in rules(forBinary: canonicalPath(path, cwd: "/")) {
            let r = rule(i)
            if !r.denyOptions.isEmpty || r.arguments.contains(where: { $0.verdict == .deny }) {
                return Decision(.deny, rule: r.id, "\(outer) appends arguments aegish cannot see, and \(argv[0]) has arguments the policy refuses; list the arguments explicitly")
            }
            if !r.askOptions.isEmpty || r.arguments.contains(where: { $0.verdict == .ask }) {
                return Decision(.ask, rule: r.id, "\(outer) appends arguments aegish cannot see to \(argv[0]), some of which need approval")
            }
        }
        return Decision(.allow, rule: "", "")
    }

    /// The repository's own config (which the agent can write: it is in the workspace), and the
    /// global files if it can write them, may set keys that make any git command run a program
    /// (core.fsmonitor, core.hooksPath, …).
    private func gitRepositoryRunsPrograms(_ args: [String], cwd: String) -> String? {
        var dir = cwd
        var i = 0
        while i < args.count {
            if args[i] == "-C", i + 1 < args.count { dir = canonicalPath(args[i + 1], cwd: dir); i += 2; continue }
            if args[i] == "-c", i + 1 < args.count { i += 2; continue }
            if !args[i].hasPrefix("-") { break }
            i += 1
        }
        // `git config …` is how the agent would remove such a key: not blocked by it.
        if i < args.count && args[i] == "config" { return nil }
        // The user's global files count too when the policy lets the agent write them (a
        // workspace inside HOME, say): git reads them wherever it runs. A human's own
        // `core.editor = vim` in a file the agent cannot touch is not the agent's doing.
        var files: [String] = []
        let env = programEnv
        for f in [env.home.map { $0 + "/.gitconfig" }, env.configHome.map { $0 + "/git/config" }] {
            if let f, decidePath(canonicalPath(f, cwd: "/"), access: .write, raw: f).verdict != .deny { files.append(f) }
        }
        if let repo = findGitRepo(from: canonicalPath(dir, cwd: cwd)) {
            files += [repo.gitDir + "/config", repo.gitDir + "/config.worktree"]
        }
        for file in files {
            guard let text = readSmallTextFile(file, limit: 1 << 20) else { continue }
            for e in parseGitConfig(text) {
                let key = e.section + "." + (e.subsection.map { $0 + "." } ?? "") + e.key
                if e.section != "alias" && gitConfigRunsProgram(key, value: e.value) {
                    return "\(file) sets \(key), which makes git run a program; remove it (git config --unset \(key))"
                }
            }
        }
        return nil
    }

    // MARK: paths

    /// Devices every program may use whatever the path lists say.
    static let alwaysOpen: Set<String> = ["/dev/null", "/dev/zero", "/dev/stdin", "/dev/stdout", "/dev/stderr",
                                          "/dev/tty", "/dev/urandom", "/dev/random", "/dev/full"]

    public func decidePath(_ canonical: String, access: Access, raw: String) -> Decision {
        if PolicyEngine.alwaysOpen.contains(raw) || PolicyEngine.alwaysOpen.contains(canonical)
            || isDescriptorPath(raw) {
            return Decision(.allow, rule: "paths.devices", "")
        }
        if let why = procEscape(canonical) ?? procEscape(raw) {
            return Decision(.deny, rule: "paths.proc", why)
        }
        if let p = denyPatterns.first(where: { $0.covers(canonical) }) {
            return Decision(.deny, rule: "paths.deny", "\(raw) is under \(p.text), which the policy protects")
        }
        switch access {
        case .write:
            if writePatterns.contains(where: { $0.covers(canonical) }) {
                return Decision(.allow, rule: "paths.write", "")
            }
            return Decision(settings.paths.outside, rule: "paths.write",
                            "\(shown(raw, canonical)) is outside the writable paths: \(settings.paths.write.joined(separator: ", "))")
        case .read:
            guard let reads = readPatterns else { return Decision(.allow, rule: "paths.read", "") }
            if reads.contains(where: { $0.covers(canonical) }) || writePatterns.contains(where: { $0.covers(canonical) }) {
                return Decision(.allow, rule: "paths.read", "")
            }
            return Decision(settings.paths.outside, rule: "paths.read",
                            "\(shown(raw, canonical)) is outside the readable paths")
        }
    }

    /// `/dev/fd/N`, `/proc/self/fd/N`: an already open descriptor, nothing more (not
    /// `/dev/fd/../root/…`).
    private func isDescriptorPath(_ p: String) -> Bool {
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where p.hasPrefix(prefix) {
            let rest = p.dropFirst(prefix.count)
            return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isNumber }
        }
        return false
    }

    /// /proc/<pid>/root, cwd, fd, exe, map_files… are doors to other paths that no pattern can
    /// describe (the kernel resolves them per process): refused.
    private func procEscape(_ p: String) -> String? {
        let c = p.split(separator: "/", omittingEmptySubsequences: true)
        guard c.count >= 3, c[0] == "proc" else { return nil }
        if ["root", "cwd", "fd", "exe", "map_files", "fdinfo"].contains(c[2]) {
            return "\(p) reaches other files through /proc/\(c[1])/\(c[2]); name the file itself"
        }
        return nil
    }

    /// The path as written, and where it really leads when that differs.
    private func shown(_ raw: String, _ canonical: String) -> String {
        raw == canonical ? raw : "\(raw) (really \(canonical))"
    }

    /// A recursive command on a directory walks into everything below it, protected paths too.
    /// A protected path outside the writable area (a secret such as ~/.ssh) may not be walked
    /// at all. One inside it (like $WORKSPACE/.git/hooks, protected because files *created*
    /// there run code) may be walked by readers and deleters (`grep -r`, `find -delete`,
    /// `rm -r`), not by commands that create or change files (`cp -r`, `tar -x`, `chmod -R`).
    private func protectedBelow(_ dir: String, access: Access, creates: Bool) -> Decision? {
        let prefix = dir == "/" ? "/" : dir + "/"
        for (base, pattern) in denyBases where base.hasPrefix(prefix) || base == dir {
            if (access == .read || !creates) && writePatterns.contains(where: { $0.covers(base) }) { continue }
            return Decision(.deny, rule: "paths.deny",
                            "\(dir) contains \(pattern), which the policy protects, and this command walks it recursively; name the files or directories you need")
        }
        return nil
    }

    /// A walk that follows symlinks goes wherever they point: look for links under `dir` whose
    /// targets the policy would refuse. Bounded (entries and time); past the bound, refuse.
    private func symlinkEscape(under dir: String, access: Access) -> Decision? {
        var st = stat()
        guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        let maxEntries = 20_000
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let deadline = Int(ts.tv_sec) * 1_000_000_000 + Int(ts.tv_nsec) + 50_000_000
        var stack = [dir]
        var seen = 0
        while let d = stack.popLast() {
            guard let handle = opendir(d) else { continue }
            defer { closedir(handle) }
            while let e = readdir(handle) {
                let name = withUnsafePointer(to: e.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                seen += 1
                clock_gettime(CLOCK_MONOTONIC, &ts)
                if seen > maxEntries || Int(ts.tv_sec) * 1_000_000_000 + Int(ts.tv_nsec) > deadline {
                    return Decision(.deny, rule: "paths", "\(dir) is too large to check for symlinks into protected paths, and this command follows them; name smaller directories or do not follow links")
                }
                let p = d + "/" + name
                var est = stat()
                guard lstat(p, &est) == 0 else { continue }
                switch est.st_mode & S_IFMT {
                case S_IFDIR: stack.append(p)
                case S_IFLNK:
                    let target = canonicalPath(p, cwd: d)
                    let dd = decidePath(target, access: access, raw: p)
                    if dd.verdict != .allow {
                        return Decision(dd.verdict, rule: dd.ruleID, "this command follows the symlink \(p) to \(target): \(dd.reason)")
                    }
                    if let below = protectedBelow(target, access: access, creates: false) { return below }
                default: break
                }
            }
        }
        return nil
    }

    /// Redirections, cd and source: the path as the shell will open it.
    public func decideOpen(_ path: String, access: Access, cwd: String) -> Decision {
        let canonical = canonicalPath(path, cwd: cwd)
        let d = decidePath(canonical, access: access, raw: path)
        trace?.add(.path, path, d, note: pathNote(access, canonical))
        return d
    }

    // MARK: network

    func decideHost(_ t: NetTarget) -> Decision {
        guard let host = t.host else {
            return Decision(.deny, rule: "network", "cannot tell which host \(t.raw) reaches (\(t.why)); name the host explicitly")
        }
        if let p = denyHosts.first(where: { $0.matches(host) }) {
            return Decision(.deny, rule: "network.deny", "\(host) is denied by \(p.text)")
        }
        if allowHosts.contains(where: { $0.matches(host) }) {
            return Decision(.allow, rule: "network.allow", "")
        }
        return Decision(settings.network.outside, rule: "network.allow",
                        "\(host) is not an allowed host (\(settings.network.allow.joined(separator: ", ")))")
    }

    // MARK: environment

    /// What a program gets: the shell's exported variables filtered by pass/deny, then `set`,
    /// PATH from the policy, SHELL pointing back at aegish, and HOME pinned to the governed user's
    /// home (XDG_CONFIG_HOME dropped): the decisions read the configuration found there, so
    /// `HOME=/work/evil git …` must not make git read a different ~/.gitconfig than was checked.
    public func childEnvironment(_ env: [String], shellPath: String) -> [String] {
        var out: [String] = []
        out.reserveCapacity(env.count + settings.environment.set.count + 3)
        let deny = denyNames, pass = passNames
        for entry in env {
            let name: String
            // Bytes: `firstIndex(of: Character)` walks grapheme clusters, at every exec.
            if let eq = entry.utf8.firstIndex(of: 0x3D), eq != entry.utf8.startIndex {
                name = String(entry[..<eq])
            } else {   // no `=`, or an empty name: as split(separator:) sees it
                name = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            }
            if name == "PATH" || name == "SHELL" || name == "HOME" || name == "XDG_CONFIG_HOME"
                || settings.environment.set[name] != nil { continue }
            if deny.matches(name) { continue }
            if let pass, !pass.matches(name) { continue }
            out.append(entry)
        }
        out.append(contentsOf: setEntries)
        // PATH: `environment.set.PATH` if the policy gives one, else its search path.
        if settings.environment.set["PATH"] == nil {
            out.append("PATH=" + settings.searchPath.joined(separator: ":"))
        }
        if settings.environment.set["HOME"] == nil, let h = home { out.append("HOME=" + h) }
        out.append("SHELL=" + shellPath)
        return out
    }

    /// The files a command would change, for the rate limiter: each written operand, and whether
    /// the command walks it recursively (rm -r, chmod -R, find -delete…).
    public func changedFiles(argv: [String], cwd: String) -> [(path: String, recursive: Bool)] {
        let recursive = isRecursiveWalk(argv)
        return pathUses(argv, cwd: cwd, env: programEnv)
            .filter { $0.access == .write && !$0.isUnbounded }
            .map { ($0.path, recursive) }
    }

    /// The `#!` interpreter words of a script file (an absolute interpreter), nil otherwise.
    private func scriptInterpreter(_ path: String) -> [String]? {
        guard let words = shebang(path), let first = words.first, first.hasPrefix("/") else { return nil }
        return words
    }

    // MARK: trust

    /// A program the governed user could have replaced is not trusted, whatever its name.
    func untrustedBinary(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path) does not exist" }
        if writableBy(st) { return "\(path) can be modified by the governed user, so it is not trusted" }
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        var dst = stat()
        if stat(dir.isEmpty ? "/" : dir, &dst) == 0, writableBy(dst), (dst.st_mode & S_ISVTX) == 0 {
            return "\(path) is in a directory the governed user can write, so it is not trusted"
        }
        return nil
    }

    func writableBy(_ st: stat) -> Bool {
        if governedUID == 0 { return false }   // root governs nothing it could not do anyway
        if st.st_uid == governedUID { return true }
        if st.st_mode & S_IWOTH != 0 { return true }
        if st.st_mode & S_IWGRP != 0 && governedUserInGroup(st.st_gid) { return true }
        return false
    }

    /// userInGroup for the governed user, with /etc/passwd and /etc/group read once per engine
    /// (the kernel plan asks for every program it probes). Unknown counts as yes.
    func governedUserInGroup(_ gid: gid_t) -> Bool {
        if groupCache == nil {
            groupCache = .some(groupsOf(governedUID, groupFile: "/etc/group", passwdFile: "/etc/passwd"))
        }
        return groupCache!?.contains(gid) ?? true
    }

    private func fileHash(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let mtime = Int(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(st.st_mtim.tv_nsec)
        if let c = hashCache[path], c.mtime == mtime, c.size == Int(st.st_size) { return c.hex }
        let hex = sha256Hex(ofFile: path)
        hashCache[path] = (mtime, Int(st.st_size), hex)
        return hex
    }
}

/// Argument patterns: words matched one by one (globs within a word). A final `*` word matches
/// any number of remaining arguments, and a final word ending in `*` (`--hard*`) also lets any
/// further arguments follow, so `reset --hard*` covers `reset --hard HEAD~1`.
func patternMatches(_ pattern: String, _ args: [String]) -> Bool {
    if argumentsMatch(pattern, args) { return true }
    let words = pattern.split(separator: " ", omittingEmptySubsequences: true)
    guard let last = words.last, last.hasSuffix("*"), args.count > words.count else { return false }
    return argumentsMatch(pattern, Array(args.prefix(words.count)))
}

/// Commands that walk directory trees given as operands.
func isRecursiveWalk(_ argv: [String]) -> Bool {
    let name = basename(argv[0])
    if ["find", "rg", "tree", "du", "tar", "zip", "rsync", "fd", "fdfind", "ag"].contains(name) { return true }
    guard ["grep", "egrep", "fgrep", "cp", "ls", "chmod", "chown", "chgrp", "scp", "rm", "mv"].contains(name) else { return false }
    for a in argv.dropFirst() {
        if a == "--" { break }
        if a == "--recursive" || a == "--dereference-recursive" || a == "--archive" { return true }
        if a.hasPrefix("-") && !a.hasPrefix("--") && a.dropFirst().contains(where: { $0 == "r" || $0 == "R" || (name == "cp" && $0 == "a") }) {
            return true
        }
    }
    return false
}

/// Does this recursive command follow symbolic links it meets (not just those on its command line)?
func followsSymlinks(_ argv: [String]) -> Bool {
    let name = basename(argv[0])
    let args = Array(argv.dropFirst().prefix { $0 != "--" })
    func has(_ short: Character? = nil, _ longs: [String] = []) -> Bool {
        args.contains { a in
            if longs.contains(where: { a == $0 || a.hasPrefix($0 + "=") }) { return true }
            guard let s = short, a.hasPrefix("-"), !a.hasPrefix("--") else { return false }
            return a.dropFirst().contains(s)
        }
    }
    switch name {
    case "grep", "egrep", "fgrep": return has("R", ["--dereference-recursive"])
    case "rg": return has("L", ["--follow"])
    case "cp", "du", "chmod", "chown", "chgrp", "ls": return has("L", ["--dereference"])
    case "find": return args.first == "-L" || args.contains("-follow") || args.contains("-L")
    case "tar": return has("h", ["--dereference"])
    case "rsync": return has("L", ["--copy-links", "--copy-unsafe-links"]) || has("k", ["--copy-dirlinks"])
    case "zip": return !has("y", ["--symlinks"])
    case "tree": return has("l")
    default: return false
    }
}

/// Recursive commands that create files or change modes (as opposed to reading or deleting).
func createsFiles(_ argv: [String]) -> Bool {
    ["cp", "tar", "rsync", "unzip", "mv", "scp", "chmod", "chown", "chgrp", "install", "ln", "cpio"]
        .contains(basename(argv[0]))
}

/// For ask/deny patterns with options (`reset --hard*`): the pattern's plain words must match the
/// arguments' plain words in order, and each option word must be present however spelled and
/// wherever placed (`reset -q --hard`, `reset --har HEAD`, `reset --hard=x`). Never used to
/// *allow*: looser matching must only ever make a command stricter.
func patternMatchesOptionsAnywhere(_ pattern: String, _ args: [String], withValue: Set<String>) -> Bool {
    let words = pattern.split(separator: " ").map(String.init)
    let optionWords = words.filter { $0.hasPrefix("-") && $0.count > 1 }
    guard !optionWords.isEmpty else { return false }
    let plainPattern = words.filter { !($0.hasPrefix("-") && $0.count > 1) }
    let parsed = parseArguments(args, withValue: withValue, stopAtFirstOperand: false)
    // Plain words: positional prefix match (a trailing `*` word allows anything after).
    var plainArgs = parsed.operands
    if plainPattern.last == "*" {
        let fixed = Array(plainPattern.dropLast())
        guard plainArgs.count >= fixed.count else { return false }
        plainArgs = Array(plainArgs.prefix(fixed.count))
        if !fixed.isEmpty && !argumentsMatch(fixed.joined(separator: " "), plainArgs) { return false }
    } else if !plainPattern.isEmpty {
        guard plainArgs.count >= plainPattern.count,
              argumentsMatch(plainPattern.joined(separator: " "), Array(plainArgs.prefix(plainPattern.count))) else { return false }
    }
    for w in optionWords {
        let rule = w.hasSuffix("*") ? String(w.dropLast()) : w
        guard parsed.options.contains(where: { optionMatches($0, rule: rule) }) else { return false }
    }
    return true
}

/// Shell programs: never started by a program aegish runs (aegish runs shells itself).
let shellProgramNames: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "posh", "yash", "rbash", "fish", "csh", "tcsh"]

/// The last non-empty component ("" for "/" or ""), by bytes: this runs for every program of the
/// kernel plan and every argv, where `split` costs a generic array of substrings each time.
func basename(_ p: String) -> String {
    var u = p.utf8[...]
    while let l = u.last, l == 0x2F { u = u.dropLast() }
    if u.isEmpty { return p }   // no component: as split(separator:) would leave it
    if let slash = u.lastIndex(of: 0x2F) { u = u[u.index(after: slash)...] }
    return String(Substring(u))
}

/// The names in a directory (without . and ..), nil if it cannot be listed.
func directoryEntries(_ dir: String) -> Set<String>? {
    guard let d = opendir(dir) else { return nil }
    defer { closedir(d) }
    var out: Set<String> = []
    while let e = readdir(d) {
        let name = withUnsafePointer(to: e.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { out.insert(name) }
    }
    return out
}

/// `matchesAny` with the patterns split once: exact names in a set, `PREFIX*` as prefixes.
struct NamePatterns {
    private var exact: Set<String> = []
    private var prefixes: [String] = []
    init(_ patterns: [String]) {
        for p in patterns {
            if p.hasSuffix("*") { prefixes.append(String(p.dropLast())) } else { exact.insert(p) }
        }
    }
    /// Prefixes compare bytes: a variable's name is the bytes a program sees (and this runs for
    /// every variable at every exec).
    func matches(_ name: String) -> Bool {
        if exact.contains(name) { return true }
        for p in prefixes where name.utf8.starts(with: p.utf8) { return true }
        return false
    }
}

/// `NAME` or `PREFIX*` patterns for variable names.
func matchesAny(_ name: String, _ patterns: [String]) -> Bool {
    for p in patterns {
        if p.hasSuffix("*") {
            if name.hasPrefix(p.dropLast()) { return true }
        } else if p == name {
            return true
        }
    }
    return false
}

/// Whether `uid` is in group `gid` (the loader's group lookup: /etc/passwd and /etc/group read
/// directly, no NSS in a static binary). Unknown counts as yes: assume the worst.
func userInGroup(_ uid: uid_t, _ gid: gid_t) -> Bool {
    groupsOf(uid, groupFile: "/etc/group", passwdFile: "/etc/passwd")?.contains(gid) ?? true
}
