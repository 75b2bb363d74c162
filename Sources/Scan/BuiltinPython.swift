// Built-in rules for Python. Imports are followed (`import subprocess as sp`,
// `from os import system as run`, `from subprocess import *`, `__import__("os").system`) so the
// call names below are matched whatever the code calls them.

/// Run a shell command line.
private let pyShell: Set<String> = [
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "commands.getoutput",
    "commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput", "pty.spawn",
    "asyncio.create_subprocess_shell", "platform.popen",
]
/// Start a program (a shell too, with shell=True).
private let pyProcess: Set<String> = [
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
    "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp", "os.execvpe",
    "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe",
    "os.posix_spawn", "os.posix_spawnp", "asyncio.create_subprocess_exec", "os.startfile",
]
private let pyEval: Set<String> = ["eval", "exec", "builtins.eval", "builtins.exec", "__builtins__.eval", "__builtins__.exec"]
private let pyDynamic: Set<String> = ["__import__", "importlib.import_module", "compile", "builtins.compile"]
private let pyTreeDelete: Set<String> = ["shutil.rmtree", "os.removedirs"]
/// Calls writing their first argument (and for some, the second).
private let pyWriteFirst: Set<String> = [
    "os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.mkdir", "os.makedirs", "os.chmod", "os.chown",
    "os.lchown", "os.truncate", "os.mkfifo", "os.mknod", "shutil.rmtree", "shutil.chown",
]
private let pyWriteBoth: Set<String> = ["os.rename", "os.replace", "os.renames"]
private let pyWriteSecond: Set<String> = [
    "os.symlink", "os.link", "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
    "shutil.copymode", "shutil.copystat",
]
private let pyOpen: Set<String> = ["open", "io.open", "codecs.open", "os.open", "builtins.open"]
private let pathWriteMethods: Set<String> = [
    "write_text", "write_bytes", "touch", "unlink", "mkdir", "rmdir", "chmod", "rename", "replace",
    "symlink_to", "hardlink_to",
]
/// Constructors and calls whose first argument is a host.
private let pyHostFirst: Set<String> = [
    "http.client.HTTPConnection", "http.client.HTTPSConnection", "ftplib.FTP", "ftplib.FTP_TLS", "smtplib.SMTP",
    "smtplib.SMTP_SSL", "telnetlib.Telnet", "poplib.POP3", "poplib.POP3_SSL", "imaplib.IMAP4", "imaplib.IMAP4_SSL",
    "socket.gethostbyname", "socket.getaddrinfo", "socket.create_connection",
]

/// Every name a module exports that the rules above care about (for `from M import *`).
private let pyKnown: Set<String> = pyShell.union(pyProcess).union(pyTreeDelete).union(pyWriteFirst)
    .union(pyWriteBoth).union(pyWriteSecond).union(pyHostFirst)

func pythonRules(_ r: inout RuleContext) {
    let aliases = pythonImports(r.tokens)
    for call in r.calls {
        let name = resolvePython(call, aliases)
        let line = call.line
        if pyShell.contains(name) {
            r.add(line, "py.shell", .high, "\(name) runs a shell command, outside aegish's checks")
        } else if pyProcess.contains(name) {
            if call.keywordIs("shell", ["True", "1"]) {
                r.add(line, "py.shell", .high, "\(name) with shell=True runs a shell command, outside aegish's checks")
            } else if call.keyword("shell").map({ !($0.count == 1 && ["False", "0", "None"].contains($0[0].text)) }) ?? false {
                r.add(line, "py.shell", .high, "\(name) with a computed shell= may run a shell command")
            } else {
                r.add(line, "py.spawn", .medium, "\(name) starts a program, outside aegish's checks")
            }
        } else if pyEval.contains(name) && !call.name.contains(".") || pyEval.contains(name) && name.hasPrefix("builtins") {
            if call.literal(0) != nil {
                r.add(line, "py.eval", .medium, "\(call.last) runs code given as a string")
            } else {
                r.add(line, "py.eval", .high, "\(call.last) runs code built at run time")
            }
        } else if pyDynamic.contains(name) && (!name.hasPrefix("compile") || !call.name.contains(".")) {
            if call.literal(0) == nil || name.hasSuffix("compile") {
                r.add(line, "py.dynamic", .medium, "\(name) loads or compiles code chosen at run time")
            }
        } else if name == "getattr", let target = call.args.first.flatMap({ $0.count == 1 ? $0[0].text : nil }),
                  let module = aliases[target] ?? (["os", "subprocess", "builtins", "pty", "shutil"].contains(target) ? target : nil),
                  ["os", "subprocess", "builtins", "pty", "shutil", "commands"].contains(module) {
            if let attr = call.literal(1) {
                let q = module + "." + attr
                if pyShell.contains(q) || pyProcess.contains(q) || pyEval.contains(attr) {
                    r.add(line, "py.shell", .high, "getattr(\(target), \"\(attr)\") reaches \(q)")
                }
            } else {
                r.add(line, "py.dynamic", .medium, "getattr on \(module) with a computed name may reach any of its functions")
            }
        }
        if pyTreeDelete.contains(name) {
            r.add(line, "py.rmtree", .medium, "\(name) deletes a directory tree" + (call.literal(0).map { " (\($0))" } ?? ""))
        }
        // Files written through literal paths.
        if pyWriteFirst.contains(name), let p = call.literal(0) { r.writes(line, p, name) }
        if pyWriteBoth.contains(name) {
            for n in 0..<2 { if let p = call.literal(n) { r.writes(line, p, name) } }
        }
        if pyWriteSecond.contains(name), let p = call.literal(1) { r.writes(line, p, name) }
        if pyOpen.contains(name), !(call.name.contains(".") && name == "open"), let p = call.literal(0) {
            let mode = call.literal(1) ?? call.keyword("mode").flatMap { literalValue($0) } ?? ""
            if name == "os.open" {
                let flags = call.args.count > 1 ? call.args[1].map(\.text).joined() : ""
                if flags.contains("O_WRONLY") || flags.contains("O_RDWR") || flags.contains("O_CREAT") { r.writes(line, p, "os.open") }
            } else if mode.contains("w") || mode.contains("a") || mode.contains("x") || mode.contains("+") {
                r.writes(line, p, "open(…, \"\(mode)\")")
            }
        }
        if pathWriteMethods.contains(call.last), call.name.hasSuffix("Path()." + call.last) || call.name.hasSuffix("PurePath()." + call.last),
           let p = call.receiverArgs.first.flatMap({ literalValue($0) }) {
            r.writes(line, p, "Path.\(call.last)")
        }
        if call.last == "open", call.name.hasSuffix("Path().open"), let p = call.receiverArgs.first.flatMap({ literalValue($0) }) {
            let mode = call.literal(0) ?? ""
            if mode.contains("w") || mode.contains("a") || mode.contains("x") || mode.contains("+") { r.writes(line, p, "Path.open") }
        }
        // Hosts.
        if pyHostFirst.contains(name) {
            if let h = call.literal(0) { r.contacts(line, h, name) }
            else if let first = call.args.first, first.count >= 2, first[0].text == "(", let h = literalValue([first[1]]) {
                r.contacts(line, h, name)
            }
        }
        if call.last == "connect" || call.last == "connect_ex", let first = call.args.first, first.count >= 2,
           first[0].kind == .punct, first[0].text == "(", first[1].kind == .string {
            r.contacts(line, first[1].text, "socket.\(call.last)")
        }
    }
}

/// `import a.b as c` → c: a.b; `import a.b` → a: a; `from a import b as c` → c: a.b;
/// `from a import *` → every known name of a.
func pythonImports(_ t: [Token]) -> [String: String] {
    var aliases: [String: String] = [:]
    var k = 0
    func dotted(_ j: inout Int) -> String {
        var parts: [String] = []
        while j < t.count, t[j].kind == .ident {
            parts.append(t[j].text)
            j += 1
            if j < t.count, t[j].kind == .punct, t[j].text == "." { j += 1 } else { break }
        }
        return parts.joined(separator: ".")
    }
    while k < t.count {
        guard t[k].kind == .ident, k == 0 || t[k - 1].kind == .newline || t[k - 1].text == ";" || t[k - 1].text == ":" else { k += 1; continue }
        if t[k].text == "import" {
            var j = k + 1
            while j < t.count, t[j].kind != .newline, t[j].text != ";" {
                let module = dotted(&j)
                if module.isEmpty { j += 1; continue }
                if j + 1 < t.count, t[j].text == "as", t[j + 1].kind == .ident {
                    aliases[t[j + 1].text] = module
                    j += 2
                } else {
                    let top = String(module.split(separator: ".").first ?? "")
                    aliases[top] = top
                }
                if j < t.count, t[j].text == "," { j += 1 }
            }
            k = j
        } else if t[k].text == "from" {
            var j = k + 1
            while j < t.count, t[j].kind == .punct, t[j].text == "." { j += 1 }   // relative imports
            let module = dotted(&j)
            guard j < t.count, t[j].text == "import" else { k = j; continue }
            j += 1
            while j < t.count, t[j].kind != .newline, t[j].text != ";" {
                if t[j].text == "(" || t[j].text == ")" || t[j].text == "," { j += 1; continue }
                if t[j].text == "*" {
                    for q in pyKnown where q.hasPrefix(module + ".") && !q.dropFirst(module.count + 1).contains(".") {
                        aliases[String(q.dropFirst(module.count + 1))] = q
                    }
                    j += 1
                    continue
                }
                guard t[j].kind == .ident else { j += 1; continue }
                let name = t[j].text
                if j + 2 < t.count, t[j + 1].text == "as", t[j + 2].kind == .ident {
                    aliases[t[j + 2].text] = module + "." + name
                    j += 3
                } else {
                    aliases[name] = module + "." + name
                    j += 1
                }
            }
            k = j
        } else {
            k += 1
        }
    }
    return aliases
}

/// The call's name with import aliases applied; `__import__("os").system` → `os.system`.
func resolvePython(_ call: Call, _ aliases: [String: String]) -> String {
    var name = call.name
    for dyn in ["__import__().", "importlib.import_module()."] where name.hasPrefix(dyn) {
        if let m = call.receiverArgs.first.flatMap({ literalValue($0) }) { name = m + "." + name.dropFirst(dyn.count) }
    }
    let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
    if let target = aliases[parts[0]] {
        return parts.count > 1 ? target + "." + parts[1] : target
    }
    return name
}
