// Built-in rules for JavaScript (node), Perl and Ruby.

// MARK: - JavaScript

private let jsShell: Set<String> = ["exec", "execSync"]
private let jsSpawn: Set<String> = ["spawn", "spawnSync", "execFile", "execFileSync", "fork"]
private let jsWriteFirst: Set<String> = [
    "writeFileSync", "writeFile", "appendFileSync", "appendFile", "createWriteStream", "unlinkSync", "unlink",
    "rmSync", "rm", "rmdirSync", "rmdir", "mkdirSync", "mkdir", "chmodSync", "chmod", "chownSync", "chown",
    "truncateSync", "truncate", "outputFile", "outputFileSync", "remove", "removeSync", "emptyDir", "emptyDirSync",
]
private let jsWriteBoth: Set<String> = ["renameSync", "rename", "moveSync", "move"]
private let jsWriteSecond: Set<String> = ["copyFileSync", "copyFile", "cpSync", "cp", "symlinkSync", "symlink", "linkSync", "link", "copySync", "copy"]
private let jsFSModules: Set<String> = ["fs", "node:fs", "fs/promises", "node:fs/promises", "fs-extra"]
private let jsChildProcess: Set<String> = ["child_process", "node:child_process"]

func javascriptRules(_ r: inout RuleContext) {
    let t = r.tokens
    // Names bound to child_process (the module, or functions destructured from it), and to fs.
    // cpFunctions: local name → the child_process function it is.
    var cpModules: Set<String> = [], cpFunctions: [String: String] = [:], fsModules: Set<String> = ["fs", "fsp", "fse", "fsPromises"]
    func bind(_ module: String, at k: Int, module names: inout Set<String>, functions: inout [String: String]) {
        // `const cp = require(…)` / `const { exec, spawn: sp } = require(…)`
        guard k >= 2, t[k - 1].text == "=" else { return }
        if t[k - 2].kind == .ident { names.insert(t[k - 2].text); return }
        guard t[k - 2].text == "}" else { return }
        var j = k - 3
        while j >= 0, t[j].text != "{" {
            if t[j].kind == .ident && !(j + 1 < t.count && t[j + 1].text == ":") {
                let original = j >= 2 && t[j - 1].text == ":" && t[j - 2].kind == .ident ? t[j - 2].text : t[j].text
                functions[t[j].text] = original
            }
            j -= 1
        }
    }
    for call in r.calls where (call.name == "require" || call.name == "import") {
        guard let m = call.literal(0) else {
            if call.name == "require" || call.name == "import" {
                r.add(call.line, "js.dynamic", .medium, "\(call.name) of a module chosen at run time")
            }
            continue
        }
        if jsChildProcess.contains(m) {
            r.add(call.line, "js.child-process", .medium, "loads \(m), which starts programs outside aegish's checks")
            bind(m, at: call.index, module: &cpModules, functions: &cpFunctions)
        } else if jsFSModules.contains(m) {
            var unused: [String: String] = [:]
            bind(m, at: call.index, module: &fsModules, functions: &unused)
        }
    }
    // import … from "child_process"
    for k in t.indices where t[k].kind == .ident && t[k].text == "import" {
        var j = k + 1
        var names: [(String, String?)] = []   // (local name, imported function when destructured)
        var inBraces = false
        while j < t.count, !(t[j].kind == .ident && t[j].text == "from"), t[j].kind != .newline || inBraces {
            if t[j].text == "{" { inBraces = true }
            if t[j].text == "}" { inBraces = false }
            if t[j].kind == .ident && !["as", "type"].contains(t[j].text) {
                if j + 2 < t.count, t[j + 1].text == "as", t[j + 2].kind == .ident {
                    names.append((t[j + 2].text, inBraces ? t[j].text : nil))
                    j += 3
                    continue
                }
                names.append((t[j].text, inBraces ? t[j].text : nil))
            }
            j += 1
        }
        guard j + 1 < t.count, t[j].text == "from", t[j + 1].kind == .string else { continue }
        let m = t[j + 1].text
        if jsChildProcess.contains(m) {
            r.add(t[k].line, "js.child-process", .medium, "imports \(m), which starts programs outside aegish's checks")
            for (n, f) in names { if let f { cpFunctions[n] = f } else { cpModules.insert(n) } }
        } else if jsFSModules.contains(m) {
            for (n, f) in names where f == nil { fsModules.insert(n) }
        }
    }
    for call in r.calls {
        let parts = call.name.split(separator: ".").map(String.init)
        var fn = call.last
        if parts.count == 1, let original = cpFunctions[fn] { fn = original }
        let onChildProcess = (parts.count == 2 && cpModules.contains(parts[0]))
            || (parts.count == 1 && cpFunctions[call.last] != nil)
            || (call.name.hasPrefix("require().") && call.receiverArgs.first.flatMap { literalValue($0) }.map { jsChildProcess.contains($0) } ?? false)
        if onChildProcess && jsShell.contains(fn) {
            r.add(call.line, "js.shell", .high, "child_process.\(fn) runs a shell command, outside aegish's checks")
        } else if onChildProcess && jsSpawn.contains(fn) {
            if call.keywordIs("shell", ["true"]) || call.keyword("shell").map({ !($0.count == 1 && $0[0].text == "false") }) ?? false {
                r.add(call.line, "js.shell", .high, "child_process.\(fn) with shell runs a shell command")
            } else {
                r.add(call.line, "js.spawn", .medium, "child_process.\(fn) starts a program, outside aegish's checks")
            }
        }
        if call.name == "eval" || call.name == "globalThis.eval" || call.name == "window.eval" || call.name == "global.eval" {
            if call.literal(0) != nil {
                r.add(call.line, "js.eval", .medium, "eval runs code given as a string")
            } else {
                r.add(call.line, "js.eval", .high, "eval runs code built at run time")
            }
        }
        if call.name == "Function" || ["runInNewContext", "runInThisContext", "runInContext", "compileFunction"].contains(fn)
            || call.name == "vm.Script" {
            r.add(call.line, "js.eval", .high, "\(call.name) runs code built at run time")
        }
        if ["rmSync", "rm", "rmdirSync", "rmdir", "remove", "removeSync"].contains(fn),
           call.keywordIs("recursive", ["true"]) || fn.hasPrefix("remove") {
            r.add(call.line, "js.rm-recursive", .medium, "\(call.name) deletes a directory tree" + (call.literal(0).map { " (\($0))" } ?? ""))
        }
        // Writes through literal paths, on fs-like receivers.
        let fsLike = parts.count == 1 || fsModules.contains(parts[0]) || parts.contains("promises")
            || (call.name.hasPrefix("require().") && call.receiverArgs.first.flatMap { literalValue($0) }.map { jsFSModules.contains($0) } ?? false)
        if fsLike && !onChildProcess {
            if jsWriteFirst.contains(fn), let p = call.literal(0) { r.writes(call.line, p, call.name) }
            if jsWriteBoth.contains(fn) { for n in 0..<2 { if let p = call.literal(n) { r.writes(call.line, p, call.name) } } }
            if jsWriteSecond.contains(fn), let p = call.literal(1) { r.writes(call.line, p, call.name) }
            if fn == "openSync" || fn == "open", let p = call.literal(0),
               let flags = call.literal(1), flags.contains("w") || flags.contains("a") || flags.contains("+") {
                r.writes(call.line, p, call.name)
            }
        }
        // Hosts: `{ host: "x" }`, `{ hostname: "x" }`, net.connect(port, "host").
        for key in ["host", "hostname"] {
            if let v = call.keyword(key), let h = literalValue(v) { r.contacts(call.line, h, call.name) }
        }
        if ["connect", "createConnection"].contains(fn), let h = call.literal(1) { r.contacts(call.line, h, call.name) }
    }
}

// MARK: - Perl

func perlRules(_ r: inout RuleContext) {
    let t = r.tokens
    for tok in t where tok.kind == .command {
        r.add(tok.line, "pl.shell", .high, "backticks/qx run a shell command: `\(short(tok.text))`")
    }
    for call in r.calls {
        let isMethod = call.index > 0 && t[call.index - 1].text == "->"
        let fn = call.last
        if (call.name == "system" || call.name == "exec" || call.name == "CORE.system" || call.name == "CORE.exec") && !isMethod {
            if call.args.count <= 1 {
                r.add(call.line, "pl.shell", .high, "\(fn) with one argument runs a shell command, outside aegish's checks")
            } else {
                r.add(call.line, "pl.spawn", .medium, "\(fn) starts a program, outside aegish's checks")
            }
        }
        if call.name == "open" && !isMethod {
            let texts = call.args.map { literalValue($0) }
            if call.args.count == 2, let spec = texts[1] {
                let s = spec.trimmingBlanks()
                if s.hasPrefix("|") || s.hasSuffix("|") {
                    r.add(call.line, "pl.shell", .high, "open with a pipe runs a shell command: \(short(s))")
                } else if s.hasPrefix(">") || s.hasPrefix("+<") || s.hasPrefix("+>") {
                    r.writes(call.line, String(s.drop { $0 == ">" || $0 == "+" || $0 == "<" || $0 == "&" }), "open")
                }
            } else if call.args.count >= 3, let mode = texts[1] {
                if mode.contains("|") {
                    r.add(call.line, "pl.shell", .high, "open with mode \(mode) runs a program")
                } else if mode.contains(">") || mode.contains("+<"), let p = texts[2] {
                    r.writes(call.line, p, "open(…, \"\(mode)\")")
                }
            }
        }
        if call.name == "eval" && !isMethod, !(call.args.first?.first.map { $0.text == "{" } ?? false),
           !(call.index + 1 < t.count && t[call.index + 1].text == "{") {
            r.add(call.line, "pl.eval", .high, "string eval runs code built at run time")
        }
        if ["rmtree", "remove_tree"].contains(fn) {
            r.add(call.line, "pl.rmtree", .medium, "\(fn) deletes a directory tree")
        }
        if ["unlink", "rmdir", "mkdir", "chmod", "rmtree", "remove_tree", "make_path", "mkpath"].contains(fn) && !isMethod {
            let args = fn == "chmod" ? Array(call.args.dropFirst()) : call.args
            for a in args { if let p = literalValue(a) { r.writes(call.line, p, fn) } }
        }
        if fn == "rename" && !isMethod { for a in call.args { if let p = literalValue(a) { r.writes(call.line, p, "rename") } } }
        if ["open2", "open3", "run", "start"].contains(fn), call.name.contains("IPC") || ["open2", "open3"].contains(fn) {
            r.add(call.line, "pl.spawn", .medium, "\(call.name) starts a program, outside aegish's checks")
        }
        if let h = call.keyword("PeerAddr").flatMap({ literalValue($0) }) ?? call.keyword("PeerHost").flatMap({ literalValue($0) }) {
            r.contacts(call.line, h, call.name)
        }
    }
}

// MARK: - Ruby

private let rbShell: Set<String> = [
    "IO.popen", "Open3.popen3", "Open3.popen2", "Open3.popen2e", "Open3.capture2", "Open3.capture2e",
    "Open3.capture3", "Open3.pipeline", "Open3.pipeline_r", "Open3.pipeline_w", "Open3.pipeline_rw",
    "Open3.pipeline_start", "PTY.spawn", "Kernel.open",
]
private let rbProcess: Set<String> = ["system", "exec", "spawn", "Kernel.system", "Kernel.exec", "Kernel.spawn", "Process.spawn", "Process.exec"]
private let rbEval: Set<String> = ["eval", "instance_eval", "class_eval", "module_eval", "instance_exec", "binding.eval", "Kernel.eval"]
private let rbTree: Set<String> = ["rm_rf", "rm_r", "remove_dir", "remove_entry", "remove_entry_secure", "rmtree"]
private let rbWriteFirst: Set<String> = [
    "File.write", "IO.write", "File.binwrite", "IO.binwrite", "File.delete", "File.unlink", "File.chmod",
    "FileUtils.rm", "FileUtils.rm_f", "FileUtils.rm_rf", "FileUtils.rm_r", "FileUtils.remove", "FileUtils.mkdir",
    "FileUtils.mkdir_p", "FileUtils.touch", "FileUtils.remove_dir", "FileUtils.rmtree", "Dir.mkdir", "Dir.rmdir",
    "Dir.delete", "FileUtils.chmod", "FileUtils.chmod_R",
]
private let rbWriteBoth: Set<String> = ["File.rename", "FileUtils.mv", "FileUtils.move"]
private let rbWriteSecond: Set<String> = ["FileUtils.cp", "FileUtils.cp_r", "FileUtils.copy", "FileUtils.ln", "FileUtils.ln_s", "File.symlink"]

func rubyRules(_ r: inout RuleContext) {
    let t = r.tokens
    for tok in t where tok.kind == .command {
        r.add(tok.line, "rb.shell", .high, "backticks/%x run a shell command: `\(short(tok.text))`")
    }
    for call in r.calls {
        let name = call.name
        let isMethodOnOther = name.contains(".") && !rbProcess.contains(name) && !rbShell.contains(name) && !rbEval.contains(name)
        if rbShell.contains(name) {
            r.add(call.line, "rb.shell", .high, "\(name) runs a command (a shell for a single string), outside aegish's checks")
        } else if rbProcess.contains(name) {
            if call.args.count <= 1 && !(call.args.first.map { $0.first?.text == "[" } ?? false) {
                r.add(call.line, "rb.shell", .high, "\(name) with one argument runs a shell command, outside aegish's checks")
            } else {
                r.add(call.line, "rb.spawn", .medium, "\(name) starts a program, outside aegish's checks")
            }
        }
        if rbEval.contains(name) || (rbEval.contains(call.last) && !isMethodOnOther) || (["instance_eval", "class_eval", "module_eval"].contains(call.last)) {
            // Block forms (`instance_eval { … }`, `class_eval do … end`) evaluate no string.
            let next = call.index + 1 < t.count ? t[call.index + 1] : nil
            let blockForm = call.args.isEmpty && (next?.text == "{" || next?.text == "do")
            if !blockForm && !(call.last == "instance_exec") {
                r.add(call.line, "rb.eval", .high, "\(call.last) runs code built at run time")
            }
        }
        if ["send", "public_send", "__send__"].contains(call.last), let first = call.args.first {
            let target = first.count == 2 && first[0].text == ":" ? first[1].text : literalValue(first)
            if let target {
                if ["system", "exec", "spawn", "eval", "`", "popen", "instance_eval"].contains(target) {
                    r.add(call.line, "rb.shell", .high, "\(call.last)(:\(target)) reaches \(target)")
                }
            } else {
                r.add(call.line, "rb.dynamic", .medium, "\(call.last) with a computed method name may call anything")
            }
        }
        if rbTree.contains(call.last) && (name.hasPrefix("FileUtils") || !name.contains(".")) {
            r.add(call.line, "rb.rmtree", .medium, "\(name) deletes a directory tree" + (call.literal(0).map { " (\($0))" } ?? ""))
        }
        if rbWriteFirst.contains(name), let p = call.literal(0) { r.writes(call.line, p, name) }
        if rbWriteBoth.contains(name) { for n in 0..<2 { if let p = call.literal(n) { r.writes(call.line, p, name) } } }
        if rbWriteSecond.contains(name), let p = call.literal(1) { r.writes(call.line, p, name) }
        if name == "File.open" || name == "File.new", let p = call.literal(0), let mode = call.literal(1),
           mode.contains("w") || mode.contains("a") || mode.contains("+") {
            r.writes(call.line, p, "\(name)(…, \"\(mode)\")")
        }
        if ["TCPSocket.new", "TCPSocket.open", "Socket.tcp", "Net.HTTP.new", "Net.HTTP.start", "Net.HTTP.get",
            "Net.FTP.new", "Net.FTP.open", "Net.SMTP.start", "Net.SMTP.new", "Net.SSH.start"].contains(name),
           let h = call.literal(0), !h.contains("://") {
            r.contacts(call.line, h, name)
        }
    }
}

/// A command, shortened for a message.
func short(_ s: String) -> String {
    let one = s.split(separator: "\n").first.map(String.init) ?? s
    return one.count > 80 ? String(one.prefix(77)) + "…" : one
}
