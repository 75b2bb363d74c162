// Registries of installers Network.swift did not analyse before issue 8: `uv pip …` (pip's
// command line, plus uv's own index options and configuration) and `gem install`. Everything
// else uv and gem do still counts as contacting endpoints aegish does not analyse.

extension NetCollector {
    /// `uv pip install|download|compile|sync …`: pip's analysis, then uv's index options and the
    /// uv.toml / pyproject.toml [tool.uv] files that can name other indexes.
    mutating func uv(_ args: [String]) {
        guard args.first == "pip", args.count > 1 else {
            unknown(args.joined(separator: " "), "uv \(args.first ?? ""): only `uv pip …` is analysed")
            return
        }
        let rest = Array(args.dropFirst())
        let uvOnly: Set<String> = ["--default-index", "--index"]
        var pipArgs: [String] = []
        var k = 0
        while k < rest.count {
            let a = rest[k]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if uvOnly.contains(name) {
                let v = a.contains("=") ? String(a.drop { $0 != "=" }.dropFirst()) : (k + 1 < rest.count ? rest[k + 1] : "")
                if !a.contains("=") { k += 1 }
                // `--index name=https://…`
                let u = v.contains("=") && !v.hasPrefix("http") ? String(v.drop { $0 != "=" }.dropFirst()) : v
                url(u, why: "uv \(name)")
            } else if name == "--config-file" {
                unknown(a, "uv --config-file may name other indexes")
            } else {
                pipArgs.append(a)
            }
            k += 1
        }
        // uv reads its configuration from these; any index setting there is not analysed.
        var files = ancestors(cwd).flatMap { [$0 + "/uv.toml", $0 + "/pyproject.toml"] }
        if let c = env.configHome { files.append(c + "/uv/uv.toml") }
        files.append(env.etc + "/uv/uv.toml")
        for f in files {
            guard let text = readSmallTextFile(f) else { continue }
            let relevant = f.hasSuffix("pyproject.toml") ? text.contains("[tool.uv") || text.contains("tool.uv.") : true
            if relevant && (text.contains("index") || text.contains("find-links")) {
                unknown(f, "\(f) configures uv indexes")
            }
        }
        pip(pipArgs)
    }

    /// `gem install NAME… [-s URL]`: rubygems.org unless sources say otherwise (~/.gemrc, -s).
    mutating func gem(_ args: [String]) {
        guard let sub = args.first(where: { !$0.hasPrefix("-") }), sub == "install" || sub == "i" else {
            let offline: Set<String> = ["list", "contents", "env", "help", "which", "cleanup", "uninstall", "check", "pristine", "build", "spec"]
            if let sub = args.first(where: { !$0.hasPrefix("-") }), offline.contains(sub) { return }
            unknown(args.joined(separator: " "), "gem \(args.first ?? ""): contacts endpoints aegish does not analyse")
            return
        }
        var sources: [String] = []
        var k = 0
        while k < args.count {
            let a = args[k]
            if (a == "-s" || a == "--source"), k + 1 < args.count { sources.append(args[k + 1]); k += 1 }
            else if a.hasPrefix("--source=") { sources.append(String(a.dropFirst(9))) }
            else if a == "-g" || a == "--file" || a.hasPrefix("--file=") { unknown(a, "gem install --file reads a Gemfile, which may name other sources") }
            k += 1
        }
        if let h = env.home, let rc = readSmallTextFile(h + "/.gemrc"), rc.contains("source") {
            unknown(h + "/.gemrc", "~/.gemrc may name other gem sources")
        }
        if let rc = readSmallTextFile(env.etc + "/gemrc"), rc.contains("source") {
            unknown(env.etc + "/gemrc", "/etc/gemrc may name other gem sources")
        }
        if sources.isEmpty { sources = ["https://rubygems.org"] }
        for s in sources { url(s, why: "gem source") }
    }
}
