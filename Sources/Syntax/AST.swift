// The abstract syntax tree of the shell language aegish accepts.
//
// Every node that can be reported to a user carries a `Pos` (1-based line and column of its first
// character in the source). The tree keeps words unexpanded: expansion happens at run time in the
// Expand/Interp layers, so the tree says exactly what the user wrote and nothing is guessed here.

/// A 1-based line and column in the source text.
public struct Pos: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static let none = Pos(line: 0, column: 0)
    public var description: String { "\(line):\(column)" }
}

/// A whole program or any compound list (`{ …; }`, loop bodies, `$( … )`).
public struct Script: Equatable, Sendable {
    public var items: [ListItem]
    public init(items: [ListItem]) { self.items = items }
}

/// One and-or list terminated by `;`, newline or `&`.
public struct ListItem: Equatable, Sendable {
    public var andOr: AndOr
    public var background: Bool
    public var pos: Pos
    public init(andOr: AndOr, background: Bool, pos: Pos) {
        self.andOr = andOr; self.background = background; self.pos = pos
    }
}

public enum AndOrOp: Equatable, Sendable { case and, or }   // `&&`, `||`

/// `p1 && p2 || p3 …`
public struct AndOr: Equatable, Sendable {
    public var first: Pipeline
    public var rest: [(op: AndOrOp, pipeline: Pipeline)]
    public init(first: Pipeline, rest: [(op: AndOrOp, pipeline: Pipeline)] = []) {
        self.first = first; self.rest = rest
    }
    public static func == (a: AndOr, b: AndOr) -> Bool {
        a.first == b.first && a.rest.count == b.rest.count
            && zip(a.rest, b.rest).allSatisfy { $0.op == $1.op && $0.pipeline == $1.pipeline }
    }
}

/// `[!] c1 | c2 |& c3 …`
public struct Pipeline: Equatable, Sendable {
    public var negated: Bool
    public var commands: [Command]
    /// `stderrToo[i]` is true when command i is joined to command i+1 by `|&` (stderr also piped).
    /// Has `commands.count - 1` entries.
    public var stderrToo: [Bool]
    public var pos: Pos
    public init(negated: Bool, commands: [Command], stderrToo: [Bool], pos: Pos) {
        self.negated = negated; self.commands = commands; self.stderrToo = stderrToo; self.pos = pos
    }
}

public indirect enum Command: Equatable, Sendable {
    case simple(SimpleCommand)
    /// A compound command with the redirections written after it (`while …; done > f`).
    case compound(CompoundCommand, redirections: [Redirection], pos: Pos)
    case function(FunctionDef)
}

/// `[assignments] [words] [redirections]` — redirections may appear anywhere in the source; order
/// among redirections is kept.
public struct SimpleCommand: Equatable, Sendable {
    public var assignments: [Assignment]
    public var words: [Word]
    public var redirections: [Redirection]
    public var pos: Pos
    public init(assignments: [Assignment], words: [Word], redirections: [Redirection], pos: Pos) {
        self.assignments = assignments; self.words = words; self.redirections = redirections; self.pos = pos
    }
}

/// `name=value` or `name+=value`.
public struct Assignment: Equatable, Sendable {
    public var name: String
    public var value: Word
    public var append: Bool
    public var pos: Pos
    public init(name: String, value: Word, append: Bool, pos: Pos) {
        self.name = name; self.value = value; self.append = append; self.pos = pos
    }
}

public indirect enum CompoundCommand: Equatable, Sendable {
    case brace(Script)                       // { list; }
    case subshell(Script)                    // ( list )
    case ifClause(IfClause)
    case loop(Loop)                          // while / until
    case forLoop(ForLoop)
    case arithFor(ArithFor)                  // for (( init; condition; step ))
    case caseClause(CaseClause)
    case condition(CondExpr)                 // [[ … ]]
    case arithmetic(Word)                    // (( … )) — the text between the parens, as a word
}

public struct IfClause: Equatable, Sendable {
    /// `if c0; then b0; elif c1; then b1; …` — at least one pair.
    public var branches: [(condition: Script, body: Script)]
    public var elseBody: Script?
    public init(branches: [(condition: Script, body: Script)], elseBody: Script?) {
        self.branches = branches; self.elseBody = elseBody
    }
    public static func == (a: IfClause, b: IfClause) -> Bool {
        a.elseBody == b.elseBody && a.branches.count == b.branches.count
            && zip(a.branches, b.branches).allSatisfy { $0.condition == $1.condition && $0.body == $1.body }
    }
}

public struct Loop: Equatable, Sendable {
    public var until: Bool                   // `until` runs while the condition fails
    public var condition: Script
    public var body: Script
    public init(until: Bool, condition: Script, body: Script) {
        self.until = until; self.condition = condition; self.body = body
    }
}

public struct ForLoop: Equatable, Sendable {
    public var variable: String
    /// nil means no `in` clause: iterate over "$@".
    public var items: [Word]?
    public var body: Script
    public var pos: Pos
    public init(variable: String, items: [Word]?, body: Script, pos: Pos) {
        self.variable = variable; self.items = items; self.body = body; self.pos = pos
    }
}

/// `for (( init; condition; step )) do … done` (bash). Each clause is arithmetic text as a word;
/// nil when the clause is empty (an empty condition is true).
public struct ArithFor: Equatable, Sendable {
    public var initial: Word?
    public var condition: Word?
    public var step: Word?
    public var body: Script
    public var pos: Pos
    public init(initial: Word?, condition: Word?, step: Word?, body: Script, pos: Pos) {
        self.initial = initial; self.condition = condition; self.step = step; self.body = body; self.pos = pos
    }
}

public enum CaseTerminator: Equatable, Sendable {
    case breakOut        // ;;
    case fallThrough     // ;&  (bash)
    case testNext        // ;;& (bash)
}

public struct CaseItem: Equatable, Sendable {
    public var patterns: [Word]
    public var body: Script
    public var terminator: CaseTerminator
    public var pos: Pos
    public init(patterns: [Word], body: Script, terminator: CaseTerminator, pos: Pos) {
        self.patterns = patterns; self.body = body; self.terminator = terminator; self.pos = pos
    }
}

public struct CaseClause: Equatable, Sendable {
    public var subject: Word
    public var items: [CaseItem]
    public init(subject: Word, items: [CaseItem]) { self.subject = subject; self.items = items }
}

/// `name() compound-command [redirections]` or `function name [()] compound-command`.
public struct FunctionDef: Equatable, Sendable {
    public var name: String
    /// The body is always a `.compound` command (with its redirections).
    public var body: Command
    public var pos: Pos
    public init(name: String, body: Command, pos: Pos) { self.name = name; self.body = body; self.pos = pos }
}

// MARK: - Redirections

public enum RedirOp: Equatable, Sendable {
    case input            // <
    case output           // >
    case append           // >>
    case clobber          // >|
    case readWrite        // <>
    case dupInput         // <&   (target word: fd number or `-`)
    case dupOutput        // >&   (target word: fd number or `-`; `>& file` with no fd is bash's &>)
    case hereDoc          // <<   (see `hereDoc`)
    case hereDocStrip     // <<-  (leading tabs removed from body and delimiter lines)
    case hereString       // <<<
    case outputBoth       // &>   (stdout and stderr to file)
    case appendBoth       // &>>
}

public struct Redirection: Equatable, Sendable {
    /// Explicit fd number written before the operator (`2>`); nil means the operator's default
    /// (0 for input forms, 1 for output forms).
    public var fd: Int?
    public var op: RedirOp
    /// The file name, fd word, here-string word, or for here-docs the delimiter as written.
    public var target: Word
    /// Filled in for `<<` and `<<-`.
    public var hereDoc: HereDoc?
    public var pos: Pos
    public init(fd: Int?, op: RedirOp, target: Word, hereDoc: HereDoc? = nil, pos: Pos) {
        self.fd = fd; self.op = op; self.target = target; self.hereDoc = hereDoc; self.pos = pos
    }
}

public struct HereDoc: Equatable, Sendable {
    /// True if any part of the delimiter was quoted: the body is then literal (one `.literal` part...
    /// represented as a single `.singleQuoted` part) and undergoes no expansion.
    public var quoted: Bool
    /// The body (with tabs already stripped for `<<-`). When not quoted it contains parameter,
    /// command and arithmetic expansions; backslash escapes only `$`, `` ` ``, `\` and newline.
    public var body: Word
    public init(quoted: Bool, body: Word) { self.quoted = quoted; self.body = body }
}

// MARK: - Words

/// A shell word as written: a sequence of parts, unexpanded.
public struct Word: Equatable, Sendable {
    public var parts: [WordPart]
    public var pos: Pos
    public init(parts: [WordPart], pos: Pos) { self.parts = parts; self.pos = pos }

    /// The word's literal text if it consists only of unquoted literal parts (used for reserved
    /// words, assignment detection, function names).
    public var literalText: String? {
        var s = ""
        for p in parts {
            guard case .literal(let t) = p else { return nil }
            s += t
        }
        return s
    }
}

public indirect enum WordPart: Equatable, Sendable {
    /// Unquoted text. May contain glob characters (`*?[`), braces, `~` (tilde handled by `.tilde`).
    case literal(String)
    /// Text that is quoted: from '…', a backslash escape (`\x` gives "x"), or $'…' after decoding.
    /// Never split, never globbed.
    case quoted(String)
    /// "…" — the parts inside are expanded but the result is not split or globbed.
    case doubleQuoted([WordPart])
    /// $name, ${name…}
    case param(ParamExp)
    /// $( … ) or ` … ` — parsed at parse time, so what runs is what was checked.
    case commandSub(Script, backquoted: Bool)
    /// $(( … )) — the expression text as a word (expanded, then evaluated at run time).
    case arithmetic(Word)
    /// `~` or `~user` at the start of a word or after `:`/`=` in an assignment. Name is "" for `~`.
    case tilde(String)
}

/// A parameter expansion. `name` is a variable name, a positional number ("1", "10"), or one of the
/// special parameters `@ * # ? - $ ! 0`.
public struct ParamExp: Equatable, Sendable {
    public var name: String
    public var op: ParamOp
    /// Written with braces (`${x}`) rather than `$x`.
    public var braced: Bool
    public var pos: Pos
    public init(name: String, op: ParamOp = .none, braced: Bool, pos: Pos) {
        self.name = name; self.op = op; self.braced = braced; self.pos = pos
    }
}

public enum ReplaceAnchor: Equatable, Sendable {
    case first      // ${x/p/r}
    case all        // ${x//p/r}
    case prefix     // ${x/#p/r}
    case suffix     // ${x/%p/r}
}

public enum CaseChange: Equatable, Sendable {
    case upperFirst // ${x^}
    case upperAll   // ${x^^}
    case lowerFirst // ${x,}
    case lowerAll   // ${x,,}
}

public indirect enum ParamOp: Equatable, Sendable {
    case none
    case length                                  // ${#x}
    /// `colon` is true for the `:-` forms (treat empty as unset).
    case useDefault(Word, colon: Bool)           // ${x-w} ${x:-w}
    case assignDefault(Word, colon: Bool)        // ${x=w} ${x:=w}
    case errorIfUnset(Word?, colon: Bool)        // ${x?w} ${x:?w}
    case useAlternative(Word, colon: Bool)       // ${x+w} ${x:+w}
    case removeSuffix(Word, longest: Bool)       // ${x%p} ${x%%p}
    case removePrefix(Word, longest: Bool)       // ${x#p} ${x##p}
    case replace(pattern: Word, with: Word?, anchor: ReplaceAnchor)
    /// ${x:offset} ${x:offset:length} — both are arithmetic text.
    case substring(offset: Word, length: Word?)
    case caseChange(CaseChange, pattern: Word?)
}

// MARK: - [[ … ]]

public enum CondUnaryOp: String, Equatable, Sendable {
    // file tests
    case a = "-a", b = "-b", c = "-c", d = "-d", e = "-e", f = "-f", g = "-g", h = "-h", k = "-k"
    case p = "-p", r = "-r", s = "-s", t = "-t", u = "-u", w = "-w", x = "-x", G = "-G", L = "-L"
    case N = "-N", O = "-O", S = "-S"
    // string tests
    case z = "-z", n = "-n"
    // shell option / variable set
    case o = "-o", v = "-v"
}

public enum CondBinaryOp: String, Equatable, Sendable {
    case strEqual = "==", strEqualSingle = "=", strNotEqual = "!=", match = "=~"
    case less = "<", greater = ">"
    case eq = "-eq", ne = "-ne", lt = "-lt", le = "-le", gt = "-gt", ge = "-ge"
    case newerThan = "-nt", olderThan = "-ot", sameFile = "-ef"
}

public indirect enum CondExpr: Equatable, Sendable {
    /// A lone word: true if non-empty after expansion.
    case word(Word)
    case unary(CondUnaryOp, Word)
    /// For `==`, `!=` the right side is a pattern (quoted parts match literally);
    /// for `=~` it is an ERE (quoted parts match literally).
    case binary(CondBinaryOp, Word, Word)
    case not(CondExpr)
    case and(CondExpr, CondExpr)
    case or(CondExpr, CondExpr)
    case group(CondExpr)
}
