import Syntax

// What the engine looked at on the way to a decision, for `aegishctl explain`. The steps are
// written by the real decision code as it runs (`PolicyEngine.trace`, `analyze(…, trace:)`), not
// reconstructed afterwards by a second procedure, so an explanation cannot drift from what aegish
// actually decides. With no trace set, recording costs nothing (`trace?.add(…)` does not even
// build its arguments).

/// An ordered record of the steps of one or more decisions.
public final class DecisionTrace {
    public enum Kind: String, Sendable {
        /// A simple command the static analysis reached (its text as written).
        case command
        /// A word and the fields it gives without running anything, or why it cannot be known.
        case expansion
        /// The command name resolved to a program (through the policy's search path, symlinks).
        case program
        /// A policy rule consulted for the program, or the default when none names it.
        case rule
        /// An argument pattern of a rule, tried against the arguments: matched or not.
        case pattern
        /// A deny_options / ask_options entry that matched.
        case option
        /// A command the program would run in turn (wrappers, find -exec, git aliases, inline code).
        case inner
        /// A file the command names, with its role (read/write) and the path decision.
        case path
        /// A host the command would contact, and its decision.
        case host
        /// A variable set for the program.
        case environment
        /// Any other check: binary trust, sha256 pin, repository configuration, #! interpreter.
        case check
        /// The decision of one exec (at its nesting depth) or open.
        case decision
        /// What the static analysis concluded for one command or redirection (feeds the verdict).
        case finding
    }

    public struct Step: Sendable {
        public var kind: Kind
        /// Nesting: 0 for what was typed; +1 for each wrapper, eval or `sh -c` level.
        public var depth: Int
        public var subject: String
        public var decision: Decision?
        public var note: String
        public var pos: Pos?
    }

    public private(set) var steps: [Step] = []
    /// Added to the depth of every step (the static analysis nests eval / `sh -c` text).
    public var baseDepth = 0

    public init() {}

    public func add(_ kind: Kind, depth: Int = 0, _ subject: String, _ decision: Decision? = nil,
                    note: String = "", pos: Pos? = nil) {
        steps.append(Step(kind: kind, depth: baseDepth + depth, subject: subject, decision: decision,
                          note: note, pos: pos))
    }
}

/// "write /work/out.txt": a path step's role and where it really leads.
func pathNote(_ access: Access, _ canonical: String) -> String {
    (access == .read ? "read " : "write ") + canonical
}

/// A command run in turn, as one line.
func innerDescription(_ inner: Inner) -> String {
    switch inner {
    case .argv(let argv, let env): return (env + argv).joined(separator: " ")
    case .shellScript(let script, _, _): return "a shell running: \(script)"
    case .shellFile(let file, let args): return "a shell running the file \(file)" + (args.isEmpty ? "" : " " + args.joined(separator: " "))
    case .inlineCode(let language, let code): return "inline \(language) code: \(code)"
    case .unknown(let why): return "something aegish cannot see: \(why)"
    }
}

/// "names git" / "names ls cat head … (93 names)".
func ruleNamesNote(_ rule: CommandRule) -> String {
    let n = rule.names
    return "names " + (n.count <= 6 ? n.joined(separator: " ") : n.prefix(5).joined(separator: " ") + " … (\(n.count) names)")
}
