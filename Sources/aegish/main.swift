import Glibc
import CSys
import Interp
import Syntax
import Policy
import Interactive

// aegish — invocation only: sh-compatible command line, then hand the program to the interpreter.
//
//   aegish [-eux] [-o option] -c COMMAND [NAME [ARG…]]
//   aegish [-eux] FILE [ARG…]
//   aegish [-eux] [-s] [ARG…]          (commands from standard input)
//   aegish -n …                        (parse only; report syntax errors)
//   aegish [-i] [-l]                    (interactive when stdin is a terminal, or with -i)
// Login shell: argv[0] starting with `-`, or -l/--login. Under SSH ForceCommand (no -c, and
// SSH_ORIGINAL_COMMAND set) the client's command is run as -c would run it.
// aegish reads no rc or profile file, and ignores ENV and BASH_ENV, in every mode.

let usage = """
usage: aegish [-eilnux] [--login] [--policy file] [-o option] [-c command [name [arg ...]] | -s [arg ...] | file [arg ...]]

"""

func writeOut(_ fd: Int32, _ s: String) {
    var s = s
    s.withUTF8 { b in _ = write(fd, b.baseAddress, b.count) }
}

func fail(_ message: String, status: Int32 = 2) -> Never {
    writeOut(2, "aegish: \(message)\n")
    exit(status)
}

/// Decodes UTF-8 exactly or not at all: aegish will not run a command it would have to alter
/// to represent (invalid bytes would silently become U+FFFD in a file name or argument).
func exactString(_ bytes: [UInt8], what: String) -> String {
    let s = String(decoding: bytes, as: UTF8.self)
    guard s.utf8.elementsEqual(bytes) else {
        fail("\(what) is not valid UTF-8; aegish refuses input it cannot represent exactly")
    }
    return s
}

func readAll(_ fd: Int32, what: String) -> String {
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    return exactString(bytes, what: what)
}

var rawArguments: [String] = []
for i in 0..<Int(CommandLine.argc) {
    guard let p = CommandLine.unsafeArgv[i] else { break }
    let len = strlen(p)
    let bytes = p.withMemoryRebound(to: UInt8.self, capacity: len) { Array(UnsafeBufferPointer(start: $0, count: len)) }
    rawArguments.append(exactString(bytes, what: "argument \(i)"))
}
var args = Array(rawArguments.dropFirst())
if args.first == "--proxy-helper" { runProxyHelper(Array(args.dropFirst())) }   // the session proxy (Policy/Proxy.swift)
let argv0 = rawArguments.first ?? "aegish"
var login = argv0.hasPrefix("-")
var command: String? = nil
var readStdin = false
var forceInteractive = false
var parseOnly = false
var options = ShellOptions()
var policyFile = inheritedPolicyFile() ?? defaultPolicyFile   // a program's $SHELL -c: its parent's policy
var unrestricted = false
var compilePolicy = false

optionLoop: while let a = args.first {
    if a == "--" { args.removeFirst(); break }
    if a == "--help" { writeOut(1, usage); exit(0) }
    if a == "--version" { writeOut(1, "aegish 0.1.0\n"); exit(0) }
    if a == "--login" { login = true; args.removeFirst(); continue }
    if a == "--policy" {
        args.removeFirst()
        guard let f = args.first else { fail("--policy: option requires a file argument") }
        policyFile = f
        args.removeFirst()
        continue
    }
    if a.hasPrefix("--policy=") { policyFile = String(a.dropFirst(9)); args.removeFirst(); continue }
    if a == "--unrestricted" { unrestricted = true; args.removeFirst(); continue }
    if a == "--compile-policy" { compilePolicy = true; args.removeFirst(); break }
    guard a.count > 1, a.hasPrefix("-") || a.hasPrefix("+") else { break }
    args.removeFirst()
    let on = a.hasPrefix("-")
    var chars = Array(a.dropFirst())
    while !chars.isEmpty {
        let c = chars.removeFirst()
        switch c {
        case "c": command = ""
        case "s": readStdin = true
        case "l": login = true
        case "i": forceInteractive = on
        case "n": parseOnly = on
        case "e": options.errexit = on
        case "u": options.nounset = on
        case "x": options.xtrace = on
        case "f": options.noglob = on
        case "C": options.noclobber = on
        case "a": options.allexport = on
        case "v": options.verbose = on
        case "o":
            guard let name = args.first else { fail("-o: option requires an argument") }
            args.removeFirst()
            if name == "noexec" {
                parseOnly = on
            } else if !options.set(named: name, on) {
                fail("\(name): invalid option name")
            }
        default:
            fail("-\(c): invalid option\n" + usage)
        }
    }
}

if command != nil {
    guard !args.isEmpty else { fail("-c: option requires an argument") }
    command = args.removeFirst()
}

// Environment: everything inherited, minus what changes how a shell starts (handled by Shell).
var environment: [String] = []
var envp = environ
while let p = envp.pointee {
    environment.append(String(cString: p))
    envp += 1
}

if compilePolicy { compilePolicyCommand(policyFile, arguments: args, environment: environment) }

// SSH ForceCommand: sshd runs the user's login shell with `-c FORCECOMMAND`. When that shell is
// aegish and the forced command is aegish itself, it is as if aegish had been started plainly
// (the inner shell would only read the same stdin, and could not be interactive).
if let cmd = command, args.isEmpty, isThisShell(cmd) {
    command = nil
    args = []
}
// Started with no command as the ForceCommand: the client's command (`ssh host CMD`) is run
// exactly as `aegish -c CMD` would run it, under the same policy. Without one (plain
// `ssh host`) the session is interactive as usual.
var sshCommand = false
if command == nil && !readStdin && args.isEmpty, let original = environmentValue("SSH_ORIGINAL_COMMAND"),
   !original.isEmpty {
    command = original
    sshCommand = true
}

let gate = unrestricted ? AllowAllGate() : makePolicyGate(policyFile, environment: environment)

/// Parses or reports like sh: "aegish: line L:C: message", exit 2.
func parseOrExit(_ text: String, label: String?) -> Script {
    let prefix = label.map { "\($0): " } ?? ""
    do {
        let (script, warnings) = try parseCompleteInput(text)
        for w in warnings { writeOut(2, "aegish: \(prefix)warning: \(w)\n") }
        return script
    } catch var e as ParseError {
        if e.kind == .incomplete && !e.message.contains("end of input") {
            e.message = "syntax error: unexpected end of input (\(e.message))"
        }
        fail(prefix + e.description)
    } catch {
        fail("internal error: \(error)")
    }
}

if let cmd = command {
    let script = parseOrExit(cmd, label: nil)
    if parseOnly { exit(0) }
    let shell = Shell(gate: gate, scriptName: sshCommand ? argv0 : (args.first ?? argv0), environment: environment)
    shell.options = options
    shell.setPositional(Array(args.dropFirst()))
    shell.installSignalHandlers()
    shell.ownsProcess = true   // its last program may replace this process (Interp/TailExec.swift)
    exit(shell.runProgram(script, source: cmd))
}

if !readStdin, let file = args.first {
    // Reading the script is reading a file: the policy decides, as for `source FILE`.
    if !unrestricted {
        let cwd = String(cString: getcwd(nil, 0) ?? strdup("/"))
        let path = file.hasPrefix("/") ? file : (cwd == "/" ? "" : cwd) + "/" + file
        let request = GateRequest(action: .source, argv: [], path: path, cwd: cwd, environment: [], pos: .none)
        var decision = gate.decide(request)
        if case .ask(let why) = decision {
            decision = gate.resolveAsk(request, reason: why)
        }
        if case .deny(let why) = decision { fail("denied: \(file) — \(why)", status: 126) }
        if case .ask(let why) = decision { fail("denied: \(file) — \(why)", status: 126) }
    }
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    if fd < 0 { fail("\(file): \(String(cString: strerror(errno)))", status: 127) }
    let text = readAll(fd, what: file)
    close(fd)
    let script = parseOrExit(text, label: file)
    if parseOnly { exit(0) }
    let shell = Shell(gate: gate, scriptName: file, environment: environment)
    shell.messagePrefix = file
    shell.options = options
    shell.setPositional(Array(args.dropFirst()))
    shell.installSignalHandlers()
    shell.ownsProcess = true
    exit(shell.runProgram(script, source: text))
}

// Standard input, one complete command at a time.
let shell = Shell(gate: gate, scriptName: argv0, environment: environment)
shell.options = options
shell.setPositional(args)
shell.installSignalHandlers()
if parseOnly {
    _ = parseOrExit(readAll(0, what: "standard input"), label: nil)
    exit(0)
}
// Interactive (POSIX): -i, or commands from a terminal with stderr a terminal too. A login shell
// is not treated differently otherwise: no profile is read either way.
if forceInteractive || (isatty(0) == 1 && isatty(2) == 1) {
    var settings = SessionSettings()
    settings.login = login
    exit(runInteractiveSession(shell, gate: gate, settings: settings))
}
exit(shell.runStream(fd: 0))

func environmentValue(_ name: String) -> String? {
    environment.last { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
}

/// `cmd` names this aegish binary: "aegish", or a path to it ending in "aegish" (checked on every
/// -c, so the common case is decided by two string tests; only such a path is resolved).
func isThisShell(_ cmd: String) -> Bool {
    let word = cmd.trimmingSpaces()
    guard word.hasSuffix("aegish"), !word.utf8.contains(0x20), !word.utf8.contains(0x09) else { return false }
    if word == "aegish" || word == "-aegish" { return true }
    guard word.hasPrefix("/") else { return false }
    var a = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard realpath(word, &a) != nil else { return false }
    return String(cString: a) == selfPath()
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
