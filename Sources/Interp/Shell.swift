import Glibc
import CSys
import Syntax
import Expand

/// Non-local control flow inside the interpreter. Thrown, caught where the construct ends.
enum Flow: Error {
    /// Leave the shell (or the current subshell process) with this status.
    case exit(Int32)
    /// `return` from a function or sourced file.
    case returnFrom(Int32)
    /// `break N` / `continue N` (N counts remaining levels).
    case breakLoop(Int)
    case continueLoop(Int)
}

/// An error that aborts the current command with a message. In a non-interactive shell the
/// errors POSIX calls fatal (expansion errors, special builtin errors) end the shell: `fatal`.
struct ShellError: Error {
    var message: String
    var status: Int32
    var fatal: Bool
}

public struct ShellOptions {
    public var errexit = false      // -e
    public var nounset = false      // -u
    public var xtrace = false       // -x
    public var noglob = false       // -f
    public var noclobber = false    // -C
    public var allexport = false    // -a
    public var verbose = false      // -v
    public var noexec = false       // -n
    public var pipefail = false
    public init() {}

    /// The `-o NAME` options (for `set -o`, `aegish -o`, `sh -o` run by aegish).
    public static let byName: [String: WritableKeyPath<ShellOptions, Bool>] = [
        "errexit": \.errexit, "nounset": \.nounset, "xtrace": \.xtrace, "noglob": \.noglob,
        "noclobber": \.noclobber, "allexport": \.allexport, "verbose": \.verbose, "pipefail": \.pipefail,
        "noexec": \.noexec,
    ]

    /// Sets `-o name`; false if there is no such option.
    public mutating func set(named name: String, _ on: Bool) -> Bool {
        guard let kp = ShellOptions.byName[name] else { return false }
        self[keyPath: kp] = on
        return true
    }

    /// Letters for `$-`.
    var flags: String {
        var s = ""
        if allexport { s += "a" }
        if errexit { s += "e" }
        if noglob { s += "f" }
        if noexec { s += "n" }
        if nounset { s += "u" }
        if verbose { s += "v" }
        if xtrace { s += "x" }
        if noclobber { s += "C" }
        return s
    }
}

/// The interpreter: all state of one shell process.
public final class Shell {
    var vars = VariableStore()
    var positional: [String] = []
    /// $0
    public var scriptName: String
    var functions: [String: FunctionDef] = [:]
    public var options = ShellOptions()
    var lastStatus: Int32 = 0
    var lastBackground: pid_t = 0
    /// Logical working directory ($PWD), kept by the shell itself.
    var cwd: String
    /// Trap actions; key 0 is EXIT.
    var traps: [Int32: String] = [:]
    let gate: Gate
    /// Background jobs still to be waited for, and (job control) stopped ones (Jobs.swift).
    var jobs: [Job] = []
    /// Set in an interactive shell that owns a terminal; nil in subshells and otherwise.
    var jobControl: JobControl? = nil
    /// Reading commands from a user at a prompt (TopLevel.swift); false in subshells.
    public internal(set) var isInteractive = false
    /// The command line being run, as typed (for `jobs`).
    var jobText = ""
    /// `exit` was refused once because of stopped jobs; the next one leaves.
    var warnedStoppedJobs = false
    var loopDepth = 0
    var functionDepth = 0
    var sourceDepth = 0
    /// >0 while running a condition (if/while test, left of && ||, after !): `set -e` is off.
    var errexitSuppressed = 0
    /// True in a forked child (subshell, substitution, pipeline element).
    var isSubshell = false
    /// The next simple command is the last thing this process does (TailExec.swift).
    var tailExec = false
    /// The process is this shell's to replace with its last program: set by the aegish executable
    /// (`-c`, a script file) and in forked subshells; never for a Shell embedded in another
    /// program (tests), whose process must survive `runProgram`.
    public var ownsProcess = false
    /// Line of the command being run, for messages and $LINENO.
    var currentLine = 0
    /// The signal that ended the last foreground program, if one did (for the audit log).
    var lastWaitSignal: Int32? = nil
    /// The position of the simple command being run, and the text it is in (for gate requests).
    var commandPos: Pos = .none
    var source: SourceText? = nil
    var inExitTrap = false
    /// Cached child environment and the generation it was built for.
    private var envCache: [String] = []
    private var envGeneration = -1
    var commandHash: [String: String] = [:]
    /// Prefix for messages: "aegish" or "aegish: FILE".
    public var messagePrefix = "aegish"
    /// Signals taken from the C counters while waiting, still to be acted on.
    var pendingSignals: [Int32: Bool] = [:]
    /// Status of the last command substitution, reported by assignment-only commands.
    var substitutionStatus: Int32 = 0
    /// getopts' position inside a group of short options (`-abc`), and the OPTIND it belongs to.
    var getopts = GetoptsState()
    var getoptsLastOptind: String? = "1"
    /// Nesting of command substitutions (for `set -x` prefixes).
    var substitutionDepth = 0
    /// Added to source line numbers when input arrives in pieces (stream mode).
    var lineOffset = 0
    /// Parsed arithmetic expressions by text (a loop's `$((i+1))` is parsed once).
    public let arithCache: ArithCache? = ArithCache()
    /// Set when arithmetic referred to an array element (refused after evaluation).
    var arithArrayRef: String? = nil
    /// $$: the main shell's pid, unchanged in subshells.
    let shellPID = getpid()
    /// The last here-document/here-string fed to descriptor 0, with its pipe (HereStdin.swift).
    var hereStdin: HereStdin? = nil

    public init(gate: Gate, scriptName: String = "aegish", environment: [String]) {
        self.gate = gate
        self.scriptName = scriptName
        for entry in environment {
            guard let eq = entry.firstIndex(of: "=") else { continue }
            let name = String(entry[..<eq])
            // Imported variables that change how a shell starts or what it runs are not taken
            // from the environment (aegish reads no rc files).
            if name == "ENV" || name == "BASH_ENV" || name.hasPrefix("BASH_FUNC_") { continue }
            guard isValidName(name) else { continue }
            try? vars.set(name, String(entry[entry.index(after: eq)...]), export: true)
        }
        let physical = Sys.getcwd() ?? "/"
        if let pwd = vars.value("PWD"), pwd.hasPrefix("/"), sameFile(pwd, physical) {
            cwd = normalizePath(pwd)
        } else {
            cwd = physical
        }
        try? vars.set("PWD", cwd, export: true)
        try? vars.set("IFS", " \t\n")
        try? vars.set("PS4", "+ ")
        try? vars.set("OPTIND", "1")
        try? vars.set("PPID", String(getppid()))
        if vars.value("PATH") == nil {
            try? vars.set("PATH", "/usr/local/bin:/usr/bin:/bin")
        }
    }

    public func setPositional(_ args: [String]) { positional = args }

    // MARK: messages

    func warn(_ message: String) {
        Sys.write(2, messagePrefix + ": " + message + "\n")
    }

    /// A message tied to a source line, like bash's "bash: line 3: …".
    func warnAt(_ message: String) {
        if message.isEmpty { return }
        // At a prompt the line is the one just typed: bash omits it too.
        if currentLine > 0 && !(isInteractive && sourceDepth == 0) {
            Sys.write(2, messagePrefix + ": line \(currentLine): " + message + "\n")
        } else {
            warn(message)
        }
    }

    // MARK: environment

    func childEnvironment() -> [String] {
        if envGeneration != vars.exportGeneration {
            envCache = vars.environment()
            envGeneration = vars.exportGeneration
        }
        return envCache
    }

    func setVar(_ name: String, _ value: String?) throws {
        do {
            try vars.set(name, value, export: options.allexport)
        } catch {
            throw ShellError(message: "\(name): readonly variable", status: 1, fatal: false)
        }
        if name == "PATH" { commandHash.removeAll() }
    }
}

private func sameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat(), sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}
