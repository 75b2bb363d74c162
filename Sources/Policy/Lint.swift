import Glibc
import Syntax

// Warnings about a policy that loads (`aegishctl lint`): rules that can never match or never
// take effect, programs that run what aegish cannot see, places the agent could plant programs,
// write access to what configures the user's shell, host patterns that allow far more than they
// seem to, and settings that turn the allowlist into a denylist. Each warning has a code, the
// line:column of the key it is about when the locator finds it, and one line of advice.
// A warning is not a bug: a coding agent's policy knowingly allows interpreters and builds.

public struct LintWarning: Sendable {
    /// W001…: stable, for `--ignore` and CI.
    public var code: String
    public var location: SourceLocation
    public var message: String
    public var advice: String
}

/// The warning codes, with what each means (for `aegishctl lint --help` and the man page).
public let lintCodes: [(code: String, meaning: String)] = [
    ("W001", "a rule name resolves to no installed program in the policy's search path"),
    ("W002", "an argument pattern is shadowed by another pattern of the same rule"),
    ("W003", "an allowed shell or interpreter runs code aegish cannot check"),
    ("W004", "an allowed program runs other programs (aegish checks those it can see)"),
    ("W005", "an allowed build tool or package manager runs code from the workspace"),
    ("W006", "a program, or a search-path directory, the governed user can write"),
    ("W007", "paths.write covers the home directory or files that configure the user's tools"),
    ("W008", "a network host pattern that is too broad"),
    ("W009", "[network] outside = \"allow\""),
    ("W010", "[policy] default = \"allow\""),
    ("W011", "[paths] outside = \"allow\""),
    ("W012", "no [audit] table: decisions are not logged"),
    ("W013", "the policy file could be changed by the governed user"),
    ("W014", "an allow rule for a shell aegish runs itself has no effect"),
    ("W015", "a path or network rule the kernel sandbox cannot enforce for programs (a glob, a deny inside a writable tree)"),
    ("W016", "[policy] kernel = \"off\": programs are not confined by the kernel"),
]

/// Shells aegish recognises and runs itself (Interp/ShellInvocation.swift): a rule for them is
/// never consulted for a typed command, and a program that would start one is refused.
private let shellsRunByAegish: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "posh", "yash", "rbash", "aegish"]

/// Programs whose job is to run code from the workspace: recipes, build scripts, package hooks.
private let buildTools: Set<String> = [
    "make", "gmake", "bmake", "pmake", "cmake", "ninja", "meson", "scons", "bazel", "cargo", "go", "npm", "npx",
    "yarn", "pnpm", "bun", "deno", "pip", "pip3", "pipx", "uv", "poetry", "pdm", "tox", "nox", "pytest", "gradle",
    "gradlew", "mvn", "ant", "rake", "bundle", "gem", "composer", "mix", "rebar3", "sbt", "dotnet", "swift",
]

/// Suffixes under which anyone can publish (shared hosting, public suffixes): a wildcard under
/// one of them allows hosts run by strangers.
private let sharedSuffixes: Set<String> = [
    "github.io", "githubusercontent.com", "gitlab.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev",
    "workers.dev", "amazonaws.com", "s3.amazonaws.com", "cloudfront.net", "azurewebsites.net", "blob.core.windows.net",
    "appspot.com", "firebaseapp.com", "web.app", "ngrok.io", "ngrok-free.app", "trycloudflare.com", "glitch.me",
    "repl.co", "onrender.com", "fly.dev", "railway.app", "surge.sh", "duckdns.org", "no-ip.org",
    "co.uk", "org.uk", "ac.uk", "com.au", "net.au", "co.jp", "co.nz", "co.za", "com.br", "com.cn", "co.in", "co.kr",
]

/// Files that configure the user's shell and tools: writing one is running code later.
private let homeDotfiles = [".bashrc", ".bash_profile", ".profile", ".zshrc", ".zprofile", ".bash_logout",
                            ".gitconfig", ".config/git/config", ".ssh/authorized_keys", ".ssh/config",
                            ".npmrc", ".pypirc", ".local/bin", ".config/autostart", ".vimrc", ".inputrc"]

/// Lints a policy that loaded. `text` is the policy file's text (for locations); `engine` was
/// built for the governed user (`governedUID`, home) the warnings are about.
public func lintPolicy(_ engine: PolicyEngine, text: String) -> [LintWarning] {
    var l = Linter(engine: engine, locator: KeyLocator(text: text))
    l.run()
    return l.warnings
}

private struct Linter {
    let engine: PolicyEngine
    let locator: KeyLocator
    var warnings: [LintWarning] = []
    var policy: Policy { engine.policy }

    func at(_ path: TOMLPath, value: Bool = true) -> SourceLocation {
        if let p = locator.position(of: path, value: value) {
            return SourceLocation(file: policy.file, line: p.line, column: p.column)
        }
        return SourceLocation(file: policy.file, line: 0, column: 0)
    }

    mutating func warn(_ code: String, _ loc: SourceLocation, _ message: String, _ advice: String) {
        warnings.append(LintWarning(code: code, location: loc, message: message, advice: advice))
    }

    /// Where rule `i`'s names are written (`names = […]` or `name = …`).
    func namesLocation(_ i: Int, _ rule: CommandRule) -> SourceLocation {
        for key in ["names", "name"] {
            if let p = locator.position(of: [.key("command"), .index(i), .key(key)], value: true),
               p.line >= (rule.location?.line ?? 0) {
                return SourceLocation(file: policy.file, line: p.line, column: p.column)
            }
        }
        return rule.location ?? SourceLocation(file: policy.file, line: 0, column: 0)
    }

    mutating func run() {
        for (i, rule) in policy.commands.enumerated() {
            unresolved(i, rule)
            shadowedPatterns(i, rule)
            runsOtherCode(i, rule)
        }
        writableExecution()
        writableHome()
        hosts()
        settings()
        kernel()
    }

    /// W015, W016: what the kernel sandbox will not hold programs to (KernelRules.swift).
    mutating func kernel() {
        if policy.kernel == .off {
            warn("W016", at([.key("policy"), .key("kernel")]),
                 "[policy] kernel = \"off\": an allowed interpreter or build tool can do anything the user can",
                 "set kernel = \"required\" (or \"best-effort\" where Landlock may be missing)")
            return
        }
        for gap in engine.kernelCoverage().gaps {
            var loc = SourceLocation(file: policy.file, line: 0, column: 0)
            for (section, key, list) in [("paths", "deny", policy.paths.deny), ("paths", "write", policy.paths.write),
                                         ("paths", "read", policy.paths.read ?? [])] {
                if let i = list.firstIndex(of: gap.entry) { loc = at([.key(section), .key(key), .index(i)]); break }
            }
            if gap.entry == "network.deny" { loc = at([.key("network"), .key("deny")]) }
            warn("W015", loc, "kernel: " + gap.message,
                 "the shell still refuses it for typed commands; for programs, express it as a literal path outside the write paths, or accept the gap")
        }
    }

    // MARK: rules

    /// W001: names that reach no program here.
    mutating func unresolved(_ i: Int, _ rule: CommandRule) {
        // A deny rule for a program that is not installed refuses it anyway: nothing to say.
        guard rule.verdict != .deny || rule.arguments.contains(where: { $0.verdict != .deny }) else { return }
        var missing: [String] = []
        for name in rule.names {
            if name.hasPrefix("/") {
                var st = stat()
                if stat(name, &st) != 0 { missing.append(name) }
            } else if engine.resolve(name) == nil {
                missing.append(name)
            }
        }
        guard !missing.isEmpty else { return }
        let list = missing.joined(separator: " ")
        warn("W001", namesLocation(i, rule),
             "rule \(rule.id): \(missing.count == 1 ? "\(list) resolves" : "\(missing.count) names resolve") to no installed program in [policy] path (\(policy.searchPath.joined(separator: ":")))" + (missing.count == 1 ? "" : ": \(list)"),
             "install the program, add its directory to [policy] path, or remove the name (a name that is not installed is refused whatever its rule says)")
    }

    /// W002: a pattern that another pattern of the rule always accompanies with an equal or
    /// stronger verdict (the strongest matching pattern wins, so it can never decide).
    mutating func shadowedPatterns(_ i: Int, _ rule: CommandRule) {
        let args = rule.arguments
        for (k, b) in args.enumerated() {
            for (j, a) in args.enumerated() where j != k {
                guard a.verdict >= b.verdict, patternCovers(a.pattern, b.pattern) else { continue }
                // Two identical patterns with one verdict: report the later one only.
                if a.verdict == b.verdict && j > k && patternCovers(b.pattern, a.pattern) { continue }
                let loc = at([.key("command"), .index(i), .key("arguments"), .index(k)], value: false)
                if a.verdict == b.verdict {
                    warn("W002", loc, "rule \(rule.id): pattern \"\(b.pattern)\" (\(b.id)) is redundant: \"\(a.pattern)\" (\(a.id)) matches everything it matches, with the same verdict (\(a.verdict))",
                         "remove \"\(b.pattern)\", or change its decision")
                } else {
                    warn("W002", loc, "rule \(rule.id): pattern \"\(b.pattern)\" → \(b.verdict) (\(b.id)) never takes effect: \"\(a.pattern)\" → \(a.verdict) (\(a.id)) matches whenever it does, and the strongest matching pattern wins",
                         "narrow \"\(a.pattern)\" so it does not cover \"\(b.pattern)\" (patterns are not ordered: deny beats ask beats allow)")
                }
                break
            }
        }
    }

    /// W003, W004, W005, W014: allowed programs that run other code.
    mutating func runsOtherCode(_ i: Int, _ rule: CommandRule) {
        let allows = rule.verdict == .allow || rule.arguments.contains { $0.verdict == .allow }
        guard allows else { return }
        let loc = namesLocation(i, rule)
        let names = rule.names.map(basename)
        func inlineText(_ what: String) -> String {
            switch rule.inlineCode {
            case .allow?: return "\(what) is allowed too (inline_code = \"allow\")"
            case .ask?: return "\(what) needs approval (inline_code = \"ask\")"
            default: return "\(what) is refused (no inline_code)"
            }
        }
        let inline = inlineText("inline code")
        let aegishShells = names.filter { shellsRunByAegish.contains($0) }
        if !aegishShells.isEmpty {
            warn("W014", loc, "rule \(rule.id): \(aegishShells.joined(separator: " ")) \(aegishShells.count == 1 ? "is a shell" : "are shells") aegish runs itself: `\(aegishShells[0]) -c …` and shell scripts are parsed and checked command by command, and a program that would start one is refused, so this allow has no effect",
                 "remove \(aegishShells.joined(separator: " ")) from the rule")
        }
        let otherShells = names.filter { otherShellNames.contains($0) || ($0 == "busybox") }
        if !otherShells.isEmpty {
            warn("W003", loc, "rule \(rule.id): \(otherShells.joined(separator: " ")) \(otherShells.count == 1 ? "is a shell" : "are shells") aegish does not run itself: what \(otherShells.count == 1 ? "it runs" : "they run") is not checked",
                 "deny \(otherShells.joined(separator: " ")); agents can use aegish itself as their shell")
        }
        let interpreters = names.filter { !otherShells.contains($0) && !shellsRunByAegish.contains($0)
            && (interpreterHandler($0) != nil || isPythonName($0) || isLuaName($0)) }
        if !interpreters.isEmpty {
            warn("W003", loc, "rule \(rule.id): \(interpreters.joined(separator: " ")) \(interpreters.count == 1 ? "is an interpreter" : "are interpreters"): scripts (any file the agent can write) run without aegish seeing their code; \(inline)",
                 "allow interpreters only where the agent must run code, and confine what that code can do with the kernel layer; set inline_code = \"ask\" to see each inline program")
        }
        let builds = names.filter { buildTools.contains($0) && !interpreters.contains($0) }
        if !builds.isEmpty {
            // make & co. are refused unless inline_code allows their recipes; the others run
            // package scripts whatever the policy says.
            let gated = builds.filter { wrapperHandler($0) != nil }
            let tail = gated.isEmpty ? "" : "; for \(gated.joined(separator: " ")), " + inlineText("running recipes")
            warn("W005", loc, "rule \(rule.id): \(builds.joined(separator: " ")) \(builds.count == 1 ? "runs" : "run") code from the workspace (recipes, build scripts, package hooks) that aegish does not check" + tail,
                 "use decision = \"ask\" (or inline_code = \"ask\") if a person should approve builds and installs")
        }
        let wrappers = names.filter { wrapperHandler($0) != nil && interpreterHandler($0) == nil
            && !builds.contains($0) && !otherShells.contains($0) }
        if !wrappers.isEmpty {
            warn("W004", loc, "rule \(rule.id): \(wrappers.joined(separator: " ")) can run other programs (env/xargs commands, find -exec, git aliases and hooks, tar --to-command …); aegish checks each one it can see on the command line as if typed and refuses what it cannot see",
                 "make sure the programs they would run are decided as you intend (aegishctl explain shows the commands run in turn)")
        }
    }

    // MARK: files

    /// W006: programs the agent could replace, and directories where it could plant one.
    mutating func writableExecution() {
        let uid = engine.governedUID
        for (k, dir) in policy.searchPath.enumerated() {
            let loc = at([.key("policy"), .key("path"), .index(k)])
            if uid != 0, let why = directoryWritableBy(uid, path: dir) {
                warn("W006", loc, "[policy] path entry \(dir) can be changed by the governed user (\(why)): a program placed there would be found by name",
                     "remove \(dir) from [policy] path, or make it root-owned and not writable by the user")
            } else if let p = engine.writePatterns.first(where: { $0.covers(canonicalPath(dir, cwd: "/")) }) {
                warn("W006", loc, "[policy] path entry \(dir) is writable through paths.write (\(p.text)): the agent could put a program there and run it by name",
                     "remove \(dir) from [policy] path or from paths.write")
            }
        }
        for (binary, indices) in engine.rulesByBinary.sorted(by: { $0.key < $1.key }) {
            let rules = indices.map { policy.commands[$0] }
            guard rules.contains(where: { $0.verdict != .deny }) else { continue }
            let i = indices[0]
            let loc = namesLocation(i, rules[0])
            if let why = engine.untrustedBinary(binary), !why.hasSuffix("does not exist") {
                warn("W006", loc, "rule \(rules[0].id): \(why); aegish refuses it", "install the program where only root can change it")
            } else if let p = engine.writePatterns.first(where: { $0.covers(binary) }) {
                warn("W006", loc, "rule \(rules[0].id): \(binary) is writable through paths.write (\(p.text)): the agent could replace the program it is allowed to run",
                     "take \(binary) out of paths.write (add it to paths.deny)")
            }
        }
    }

    /// W007: writes to the home directory or the files that configure the user's tools.
    mutating func writableHome() {
        guard let home = engine.home else { return }
        let h = canonicalPath(home, cwd: "/")
        for (k, p) in engine.writePatterns.enumerated() {
            let loc = at([.key("paths"), .key("write"), .index(k)])
            if p.covers(h) {
                warn("W007", loc, "paths.write \(p.text) covers the home directory \(home): the agent can write ~/.bashrc, ~/.profile, ~/.gitconfig and other files that run code later",
                     "allow specific directories (the workspace, a cache) instead of the home directory")
                continue
            }
            let exposed = homeDotfiles.filter { f in
                let path = h + "/" + f
                return p.covers(path) && !engine.denyPatterns.contains { $0.covers(path) }
            }
            if !exposed.isEmpty {
                warn("W007", loc, "paths.write \(p.text) covers ~/" + exposed.joined(separator: " ~/") + ", which configure the user's shell or tools",
                     "add them to paths.deny, or narrow the write pattern")
            }
        }
    }

    // MARK: hosts

    /// W008: host patterns that reach far more than one service.
    mutating func hosts() {
        for (k, text) in policy.network.allow.enumerated() {
            let loc = at([.key("network"), .key("allow"), .index(k)])
            let t = text.trimmingSpaces()
            var host = t
            var wildcard = false
            if t.hasPrefix("*.") { host = String(t.dropFirst(2)); wildcard = true }
            else if t.hasPrefix(".") { host = String(t.dropFirst()); wildcard = true }
            host = host.lowercased()
            if t == "*" {
                warn("W008", loc, "network.allow \"*\" allows every host", "list the hosts the agent needs")
            } else if isIPLiteral(host) {
                continue
            } else if !host.contains(".") && host != "localhost" {
                warn("W008", loc, "network.allow \"\(text)\" covers " + (wildcard ? "every host under the top-level domain .\(host)" : "a bare top-level domain"),
                     "name the registrable domain (example.\(host)) or the hosts themselves")
            } else if wildcard && sharedSuffixes.contains(host) {
                warn("W008", loc, "network.allow \"\(text)\" covers every site under \(host), where anyone can publish",
                     "name the exact hosts (e.g. yourorg.\(host)), not the whole suffix")
            }
        }
    }

    // MARK: settings

    mutating func settings() {
        if policy.network.outside == .allow {
            warn("W009", at([.key("network"), .key("outside")]),
                 "[network] outside = \"allow\": every host is reachable" + (policy.network.allow.isEmpty ? "" : ", so network.allow restricts nothing"),
                 "set outside = \"deny\" (or \"ask\") and list the hosts the agent needs")
        }
        if policy.defaultVerdict == .allow {
            warn("W010", at([.key("policy"), .key("default")]),
                 "[policy] default = \"allow\": every program no rule names is allowed, so this is a denylist",
                 "set default = \"deny\" (or \"ask\") and allow what the agent needs")
        }
        if policy.paths.outside == .allow {
            warn("W011", at([.key("paths"), .key("outside")]),
                 "[paths] outside = \"allow\": writes outside paths.write are allowed",
                 "set outside = \"deny\" and list the writable directories in paths.write")
        }
        if policy.audit == nil {
            warn("W012", SourceLocation(file: policy.file, line: 0, column: 0),
                 "the policy has no [audit] table (or it says enabled = false): decisions are not logged, and aegishctl replay has nothing to replay",
                 "add [audit] with file = \"/var/log/aegish/audit.log\" (see aegish-audit(5))")
        }
    }
}

/// Does argument pattern `a` match every argument list `b` matches? Exact for `b` without
/// glob characters (it is then one argument list); for globs, only the sure cases: `a` has the
/// same words or `*` in their place, or ends in a final `*` after such a prefix.
func patternCovers(_ a: String, _ b: String) -> Bool {
    let bw = patternWords(b)
    let globChars: Set<Character> = ["*", "?", "[", "\\"]
    if !bw.contains(where: { $0.contains(where: { globChars.contains($0) }) }) {
        return patternMatches(a, bw)
    }
    var aw = patternWords(a)
    var rest = false
    if aw.last == "*" { aw.removeLast(); rest = true }
    var bFixed = bw
    let bRest = bFixed.last == "*"
    if bRest { bFixed.removeLast() }
    if rest {
        guard bFixed.count >= aw.count else { return false }
    } else {
        guard !bRest, bFixed.count == aw.count else { return false }
    }
    for (x, y) in zip(aw, bFixed) where !(x == y || x == "*") { return false }
    return true
}
