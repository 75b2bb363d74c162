// Which packages a command installs, by ecosystem: pip (pip, pip3, python -m pip, uv pip), npm,
// npx, yarn, pnpm, cargo, gem, go and apt. Names come from the command line and from the files an
// install reads them from (`pip install -r requirements.txt`, `npm install` with package.json).
// Specs that do not name a registry package (paths, URLs, git repositories, local archives) are
// left to the network checks (Policy/Network.swift), which already decide where they come from.
// Wrappers (`sudo`, `env`, `timeout` …) are unwrapped by the caller.

import Glibc

public struct PackageRequest: Equatable, Sendable {
    public var ecosystem: Ecosystem
    /// As written, without version or extras (`requests`, `@types/node`).
    public var name: String
    /// Where the name came from: the command line, or `requirements.txt:3`.
    public var source: String
    public init(ecosystem: Ecosystem, name: String, source: String) {
        self.ecosystem = ecosystem; self.name = name; self.source = source
    }
}

public struct PackageInstall: Equatable, Sendable {
    public var requests: [PackageRequest] = []
    /// Files the install reads names from that could not be read or understood.
    public var problems: [String] = []
    public init() {}
}

/// The packages `argv` installs from a registry, nil when it installs nothing.
public func packageInstall(_ argv: [String], cwd: String) -> PackageInstall? {
    guard let first = argv.first else { return nil }
    let tool = String(first.split(separator: "/").last ?? Substring(first))
    let args = Array(argv.dropFirst())
    if isVersioned(tool, "pip") { return pipInstall(args, cwd: cwd) }
    if isVersioned(tool, "python") || isVersioned(tool, "pypy") {
        // python [-opts] -m pip …
        var k = 0
        while k < args.count, args[k].hasPrefix("-"), args[k] != "-m", !args[k].hasPrefix("-c") { k += 1 }
        if k + 1 < args.count, args[k] == "-m", args[k + 1] == "pip" || args[k + 1] == "pip3" {
            return pipInstall(Array(args[(k + 2)...]), cwd: cwd)
        }
        return nil
    }
    switch tool {
    case "uv":
        guard args.first == "pip" else {
            if args.first == "add" { return pythonNames(Array(args.dropFirst()), valued: uvValued, cwd: cwd, source: "uv add") }
            return nil
        }
        return pipInstall(Array(args.dropFirst()), cwd: cwd, valued: uvValued)
    case "npm", "pnpm", "yarn", "bun", "npx", "pnpx", "bunx": return npmInstall(tool, args, cwd: cwd)
    case "cargo": return cargoInstall(args)
    case "gem": return gemInstall(args)
    case "go": return goInstall(args)
    case "apt", "apt-get": return aptInstall(args)
    default: return nil
    }
}

/// `pip`, `pip3`, `pip3.11` (prefix, then digits and dots).
func isVersioned(_ name: String, _ base: String) -> Bool {
    name.hasPrefix(base) && name.dropFirst(base.count).allSatisfy { $0.isNumber || $0 == "." }
}

/// Options and operands; `valued`: options that take the next word (or `=value`).
private func split(_ args: [String], valued: Set<String>) -> (options: [(String, String?)], operands: [String]) {
    var opts: [(String, String?)] = [], ops: [String] = []
    var k = 0
    while k < args.count {
        let a = args[k]
        if a == "--" { ops += args[(k + 1)...]; break }
        if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
            opts.append((String(a[..<eq]), String(a[a.index(after: eq)...])))
        } else if a.hasPrefix("-") && a.count > 1 {
            if valued.contains(a) {
                opts.append((a, k + 1 < args.count ? args[k + 1] : nil)); k += 1
            } else if !a.hasPrefix("--"), a.count > 2, valued.contains(String(a.prefix(2))) {
                opts.append((String(a.prefix(2)), String(a.dropFirst(2))))   // -rfile
            } else {
                opts.append((a, nil))
            }
        } else {
            ops.append(a)
        }
        k += 1
    }
    return (opts, ops)
}

// MARK: - Python

private let pipValued: Set<String> = [
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src", "--platform", "--python-version",
    "--implementation", "--abi", "--upgrade-strategy", "--progress-bar", "--global-option", "-C", "--config-settings",
    "--log", "--cache-dir", "--cert", "--client-cert", "--proxy", "--retries", "--timeout", "--exists-action",
    "--trusted-host", "--only-binary", "--no-binary", "--report", "--python", "--keyring-provider", "--use-feature",
    "--use-deprecated", "-d", "--dest", "-w", "--wheel-dir", "--group", "--log-file", "--build-dir",
]
private let uvValued: Set<String> = pipValued.union([
    "--default-index", "--index", "--index-strategy", "--python", "-p", "--resolution", "--prerelease",
    "--reinstall-package", "--upgrade-package", "-P", "--refresh-package", "--no-binary-package",
    "--only-binary-package", "--link-mode", "--config-file", "--directory", "--project", "--with", "--extra",
    "--optional", "--group", "--dev", "--package", "--script", "--tag", "--rev", "--branch",
])

private func pipInstall(_ args: [String], cwd: String, valued: Set<String> = pipValued) -> PackageInstall? {
    let (opts, ops) = split(args, valued: valued)
    guard let sub = ops.first, sub == "install" else { return nil }
    var out = pythonNames(Array(ops.dropFirst()), valued: valued, cwd: cwd, source: "command line")
    for (o, v) in opts where (o == "-r" || o == "--requirement") {
        guard let v else { continue }
        readRequirements(joinPath(cwd, v), shown: v, depth: 0, into: &out)
    }
    return out
}

private func pythonNames(_ specs: [String], valued: Set<String>, cwd: String, source: String) -> PackageInstall {
    var out = PackageInstall()
    for s in specs where !s.hasPrefix("-") {
        if let n = pythonRequirementName(s) { out.requests.append(PackageRequest(ecosystem: .pypi, name: n, source: source)) }
    }
    return out
}

/// The project name in a requirement (`Django[argon2]>=4; python_version>"3.8"` → `Django`), nil
/// for paths, URLs and archives.
func pythonRequirementName(_ spec: String) -> String? {
    let s = spec.trimmingBlanks()
    if s.isEmpty || s.hasPrefix(".") || s.hasPrefix("/") || s.hasPrefix("~") || s.contains("://") { return nil }
    for ext in [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"] where s.lowercased().hasSuffix(ext) { return nil }
    let name = s.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    guard !name.isEmpty, name.first!.isLetter || name.first!.isNumber else { return nil }
    let rest = s.dropFirst(name.count).trimmingBlanks()
    // A path like `dir/pkg` or `pkg.py`: not a registry name.
    if rest.hasPrefix("/") || rest.hasPrefix("\\") { return nil }
    return String(name)
}

/// Names in a requirements file; `-r` includes are followed (up to 5 deep), `-c` constraints and
/// option lines are skipped (constraints install nothing; indexes are the network checks' job).
private func readRequirements(_ path: String, shown: String, depth: Int, into out: inout PackageInstall) {
    guard depth < 5 else { out.problems.append("\(shown): requirement files nested more than 5 deep"); return }
    guard let text = readSmallFile(path) else { out.problems.append("\(shown): cannot be read"); return }
    var lineNo = 0
    var pending = ""
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        lineNo += 1
        var line = String(raw)
        if line.hasSuffix("\\") { pending += line.dropLast(); continue }
        line = pending + line
        pending = ""
        if let hash = line.firstRange(of: " #") { line = String(line[..<hash.lowerBound]) }
        if line.hasPrefix("#") { continue }
        line = line.trimmingBlanks()
        if line.isEmpty { continue }
        if line.hasPrefix("-r") || line.hasPrefix("--requirement") {
            let target = line.drop { $0 != " " && $0 != "=" }.dropFirst().trimmingBlanks()
            let name = target.isEmpty && line.hasPrefix("-r") && line.count > 2 ? String(line.dropFirst(2)) : target
            let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            readRequirements(joinPath(dir.isEmpty ? "/" : dir, name), shown: name, depth: depth + 1, into: &out)
            continue
        }
        if line.hasPrefix("-") { continue }
        if let n = pythonRequirementName(line) {
            out.requests.append(PackageRequest(ecosystem: .pypi, name: n, source: "\(shown):\(lineNo)"))
        }
    }
}

// MARK: - JavaScript

private let npmValued: Set<String> = [
    "--registry", "--tag", "--prefix", "--cache", "--userconfig", "--globalconfig", "-w", "--workspace", "--omit",
    "--include", "--save-prefix", "--install-strategy", "--loglevel", "--proxy", "--https-proxy", "--cafile",
    "--otp", "--before", "--location", "--script-shell", "--node-options", "-C", "--dir", "--filter", "--cwd",
    "--modules-folder", "--network-timeout", "--mutex", "--call", "-c", "--reporter", "--store-dir",
]
private let npmInstallVerbs: Set<String> = [
    "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add",
    "ci", "clean-install", "ic", "install-clean", "isntall-clean", "install-test", "it", "install-ci-test", "cit",
]

private func npmInstall(_ tool: String, _ args: [String], cwd: String) -> PackageInstall? {
    var (opts, ops) = split(args, valued: npmValued.union(["-p", "--package"]))
    var out = PackageInstall()
    let packageOpts = opts.filter { $0.0 == "-p" || $0.0 == "--package" }.compactMap { $0.1 }
    func add(_ specs: [String], _ source: String) {
        for s in specs {
            for n in npmSpecNames(s) { out.requests.append(PackageRequest(ecosystem: .npm, name: n, source: source)) }
        }
    }
    // npx/pnpx/bunx NAME: fetched and run.
    if tool == "npx" || tool == "pnpx" || tool == "bunx" {
        add(packageOpts.isEmpty ? Array(ops.prefix(1)) : packageOpts, "command line")
        return out.requests.isEmpty ? nil : out
    }
    guard !ops.isEmpty || tool == "yarn" else { return nil }
    let verb = ops.isEmpty ? "install" : ops.removeFirst()
    switch verb {
    case "exec", "x", "dlx":
        add(packageOpts.isEmpty ? Array(ops.prefix(1)) : packageOpts, "command line")
        return out.requests.isEmpty ? nil : out
    case "create", "init":
        guard let f = ops.first, !f.hasPrefix("-") else { return nil }
        let name = f.hasPrefix("@") ? (f.contains("/") ? f : f + "/create") : "create-" + f
        add([name], "command line")
        return out
    case "global" where tool == "yarn":
        guard ops.first == "add" else { return nil }
        add(Array(ops.dropFirst()), "command line")
        return out
    default:
        guard npmInstallVerbs.contains(verb) || (tool == "yarn" && verb == "install") else { return nil }
    }
    if ops.isEmpty && verb != "add" {
        // The project's dependencies.
        guard let root = projectRoot(cwd, marker: "package.json") else { return nil }
        let path = root + "/package.json"
        guard let text = readSmallFile(path), let json = JSON.parse(Array(text.utf8)) else {
            out.problems.append("package.json: cannot be read or is not JSON")
            return out
        }
        for section in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] {
            guard case .object(let deps)? = json[section] else { continue }
            for (name, v) in deps {
                let value = v.string ?? ""
                if value.hasPrefix("npm:") {
                    for n in npmSpecNames(String(value.dropFirst(4))) { out.requests.append(PackageRequest(ecosystem: .npm, name: n, source: "package.json")) }
                    continue
                }
                if isNonRegistry(value) { continue }
                out.requests.append(PackageRequest(ecosystem: .npm, name: name, source: "package.json \(section)"))
            }
        }
        return out
    }
    add(ops, "command line")
    return out
}

/// Registry names in an npm spec: `lodash@4`, `@types/node@^20`, `alias@npm:real@1` (both),
/// none for paths, URLs, git and GitHub specs, tarballs.
func npmSpecNames(_ spec: String) -> [String] {
    let s = spec.trimmingBlanks()
    if s.isEmpty || isNonRegistry(s) { return [] }
    var name: Substring
    var rest: Substring = ""
    if s.hasPrefix("@") {
        let afterScope = s.dropFirst()
        guard let slash = afterScope.firstIndex(of: "/") else { return [] }
        let tail = afterScope[afterScope.index(after: slash)...]
        let at = tail.firstIndex(of: "@")
        name = s[..<(at ?? s.endIndex)]
        if let at { rest = s[s.index(after: at)...] }
    } else {
        if s.contains("/") { return [] }   // GitHub shorthand user/repo
        let at = s.firstIndex(of: "@")
        name = s[..<(at ?? s.endIndex)]
        if let at { rest = s[s.index(after: at)...] }
    }
    var out = [String(name)]
    if rest.hasPrefix("npm:") { out += npmSpecNames(String(rest.dropFirst(4))) }
    return out.filter { !$0.isEmpty }
}

private func isNonRegistry(_ s: String) -> Bool {
    s.contains("://") || s.hasPrefix(".") || s.hasPrefix("/") || s.hasPrefix("~")
        || ["git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:", "file:", "link:", "workspace:", "portal:", "patch:"]
            .contains { s.hasPrefix($0) }
        || s.hasSuffix(".tgz") || s.hasSuffix(".tar.gz")
}

// MARK: - Rust, Ruby, Go, Debian

private func cargoInstall(_ args: [String]) -> PackageInstall? {
    let valued: Set<String> = ["--features", "-F", "--rename", "--package", "-p", "--registry", "--path", "--git", "--branch",
                               "--tag", "--rev", "--manifest-path", "--target", "--version", "--vers", "--root", "--index",
                               "--bin", "--example", "--target-dir", "--profile", "-j", "--jobs", "--config", "-Z", "--color"]
    let (opts, ops) = split(args.filter { !$0.hasPrefix("+") }, valued: valued)
    guard let sub = ops.first, sub == "add" || sub == "install" else { return nil }
    // From a git repository or a local path: not registry names.
    if opts.contains(where: { ["--git", "--path"].contains($0.0) }) { return nil }
    var out = PackageInstall()
    for spec in ops.dropFirst() {
        let name = spec.split(separator: "@").first.map(String.init) ?? spec
        out.requests.append(PackageRequest(ecosystem: .crates, name: name, source: "command line"))
    }
    return out.requests.isEmpty ? nil : out
}

private func gemInstall(_ args: [String]) -> PackageInstall? {
    let valued: Set<String> = ["-v", "--version", "-s", "--source", "-i", "--install-dir", "-n", "--bindir", "--platform",
                               "-g", "--file", "--document", "--build-root", "-P", "--trust-policy", "--config-file"]
    let (_, ops) = split(args, valued: valued)
    guard ops.first == "install" || ops.first == "i" else { return nil }
    var out = PackageInstall()
    for spec in ops.dropFirst() where !spec.hasSuffix(".gem") && !spec.contains("/") {
        let name = spec.split(separator: ":").first.map(String.init) ?? spec
        out.requests.append(PackageRequest(ecosystem: .rubygems, name: name, source: "command line"))
    }
    return out.requests.isEmpty ? nil : out
}

private func goInstall(_ args: [String]) -> PackageInstall? {
    let (_, ops) = split(args, valued: ["-C", "-p", "-o", "-tags", "-ldflags", "-gcflags", "-mod", "-modfile", "-pkgdir", "-toolexec", "-overlay"])
    guard let sub = ops.first, sub == "install" || sub == "get" else { return nil }
    var out = PackageInstall()
    for spec in ops.dropFirst() where !spec.hasPrefix(".") && !spec.hasPrefix("/") {
        let path = spec.split(separator: "@").first.map(String.init) ?? spec
        out.requests.append(PackageRequest(ecosystem: .go, name: path, source: "command line"))
    }
    return out.requests.isEmpty ? nil : out
}

private func aptInstall(_ args: [String]) -> PackageInstall? {
    let (_, ops) = split(args, valued: ["-o", "-c", "-t", "--option", "--config-file", "--target-release", "-a", "--host-architecture"])
    guard let sub = ops.first, ["install", "reinstall"].contains(sub) else { return nil }
    var out = PackageInstall()
    for spec in ops.dropFirst() where !spec.hasPrefix(".") && !spec.hasPrefix("/") && !spec.hasSuffix(".deb") {
        var n = Substring(spec)
        if let cut = n.firstIndex(where: { $0 == "=" || $0 == "/" }) { n = n[..<cut] }
        if let colon = n.firstIndex(of: ":") { n = n[..<colon] }
        if n.hasSuffix("-") || n.hasSuffix("+") { n = n.dropLast() }   // apt's remove/install markers
        out.requests.append(PackageRequest(ecosystem: .apt, name: String(n), source: "command line"))
    }
    return out.requests.isEmpty ? nil : out
}

// MARK: - Files

func joinPath(_ dir: String, _ p: String) -> String { p.hasPrefix("/") ? p : (dir == "/" ? "/" + p : dir + "/" + p) }

/// The nearest directory from `cwd` upwards that holds `marker`.
func projectRoot(_ cwd: String, marker: String) -> String? {
    var dir = cwd
    while true {
        var st = stat()
        if stat(dir + "/" + marker, &st) == 0 { return dir }
        guard dir != "/", let slash = dir.lastIndex(of: "/") else { return nil }
        dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
    }
}

/// A text file of at most `limit` bytes; nil if missing, unreadable, larger or not a regular file.
func readSmallFile(_ path: String, limit: Int = 4 << 20) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size <= limit else { return nil }
    var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        off += n
    }
    return String(decoding: bytes[0..<off], as: UTF8.self)
}
