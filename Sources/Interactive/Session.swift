import Glibc
import CSys
import Interp
import Syntax

// The interactive shell: read a command at the prompt (PS1, then PS2 while it is unfinished),
// parse it whole, run it, repeat. Everything a command does still goes through the same parser
// and the same gate as `aegish -c`; this file only adds the prompt, editing, history and
// completion, and is never entered on the `-c` path (libedit is not even initialised there).

public struct SessionSettings: Sendable {
    /// Started as a login shell (argv[0] `-aegish`, `-l`, `--login`). No profile is read either way.
    public var login = false
    public var version = "0.1.0"
    public init() {}
}

/// Runs the prompt loop on standard input until `exit` or end of input; returns the exit status.
/// The shell must be set up (gate, options, positional parameters, signal handlers).
public func runInteractiveSession(_ shell: Shell, gate: Gate, settings: SessionSettings) -> Int32 {
    let onTerminal = aegish_isatty(0) == 1
    let noJobControl = shell.beginInteractive(terminal: onTerminal ? 0 : nil)
    let historySize = shell.variable("HISTSIZE").flatMap { Int($0) }.map { max(0, min($0, 100_000)) } ?? 1000

    let completer = Completer(shell: shell, gate: gate)
    var source: LineSource = PlainSource(fd: 0)
    if onTerminal && aegish_isatty(1) == 1, let editor = EditorSource(completer: completer, historySize: historySize) {
        source = editor
    }
    // libedit set up the terminal's modes: those are the shell's, restored after a job that
    // was killed or stopped.
    shell.rememberTerminalModes()

    let (history, historyNote) = HistoryFile.open(shell: shell, gate: gate)
    if let history {
        for entry in history.load(limit: historySize) { source.addHistory(entry) }
    }
    if onTerminal {
        writeAll(2, banner(gate: gate, settings: settings, notes: [historyNote, noJobControl.map { "no job control: \($0)" }]))
    }

    let context = PromptContextSource(shell: shell, gate: gate)
    var pending = ""
    var status: Int32 = 0
    loop: while true {
        if case .exit(let s) = shell.beforePrompt() { status = s; break }
        let template = pending.isEmpty ? (shell.variable("PS1") ?? defaultPS1) : (shell.variable("PS2") ?? defaultPS2)
        switch source.read(prompt: expandPrompt(template, context.current())) {
        case .endOfInput:
            if !pending.isEmpty {
                writeAll(2, "aegish: unexpected end of input: the unfinished command was not run\n")
                pending = ""
                shell.setStatus(2)
                continue
            }
            if onTerminal { writeAll(2, "exit\n") }
            if case .exit(let s) = shell.endOfInput() { status = s; break loop }
        case .interrupted:
            pending = ""
            shell.setStatus(130)
        case .invalid:
            writeAll(2, "aegish: the line is not valid UTF-8; aegish refuses input it cannot represent exactly\n")
            pending = ""
            shell.setStatus(2)
        case .line(var text):
            if !text.hasSuffix("\n") { text += "\n" }
            pending += text
            let script: Script
            do {
                script = try parseScript(pending)
            } catch let e as ParseError where e.kind == .incomplete {
                continue   // PS2: an open quote, here-document, `if` without `fi`, …
            } catch {
                remember(pending, source, history)
                writeAll(2, "aegish: \(error)\n")
                pending = ""
                shell.setStatus(2)
                continue
            }
            remember(pending, source, history)
            let outcome = shell.runTopLevel(script, text: pending, firstLine: 1)
            pending = ""
            if case .exit(let s) = outcome { status = s; break loop }
        }
    }
    source.close()
    history?.close()
    return shell.endInteractive(status)
}

private func remember(_ text: String, _ source: LineSource, _ history: HistoryFile?) {
    var entry = text
    while entry.hasSuffix("\n") { entry.removeLast() }
    guard entry.contains(where: { $0 != " " && $0 != "\t" && $0 != "\n" }) else { return }
    source.addHistory(entry)
    history?.append(entry)
}

/// Names the policy and how to see what it allows; notes what is different (history, jobs).
func banner(gate: Gate, settings: SessionSettings, notes: [String?]) -> String {
    let policyLine = gate.summary().split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
    var s = "aegish \(settings.version): every command is checked against a policy before it runs.\n"
    if !policyLine.isEmpty { s += policyLine.hasPrefix("policy ") ? "This shell runs under \(policyLine).\n" : policyLine + "\n" }
    s += "Type `allowed` to see what you may run; Ctrl-D or `exit` leaves.\n"
    for n in notes.compactMap({ $0 }) { s += "Note: \(n).\n" }
    return s
}

/// Who and where, for the prompt escapes (user and host looked up once).
final class PromptContextSource {
    let shell: Shell
    let gate: Gate
    let user: String
    let host: String
    let isRoot: Bool

    init(shell: Shell, gate: Gate) {
        self.shell = shell
        self.gate = gate
        let uid = getuid()
        isRoot = uid == 0
        // Not getpwuid: in the static binary NSS modules other than files are dlopen'ed and crash
        // (a user /etc/passwd does not list, with `passwd: files systemd`). For the prompt only.
        user = shell.variable("USER") ?? String(uid)
        var buf = [CChar](repeating: 0, count: 256)
        host = gethostname(&buf, buf.count - 1) == 0 ? String(cString: buf) : "localhost"
    }

    func current() -> PromptContext {
        PromptContext(user: user, host: host, cwd: shell.workingDirectory, home: shell.variable("HOME"),
                      policy: gate.policyName ?? "aegish", isRoot: isRoot, status: shell.exitStatus)
    }
}
