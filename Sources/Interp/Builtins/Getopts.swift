// bash 5.2's `getopts` (builtins/getopts.def + builtins/getopt.c) as a pure step function.
//
// bash keeps hidden state between calls: the index of the next word (`sh_optind`, mirrored in
// OPTIND) and, inside a word of combined options such as `-abc`, the position of the next letter.
// `GetoptsState` carries both. Start with `GetoptsState()` and, whenever the script assigns
// OPTIND (or unsets it), apply `state.optindAssigned(newValue)`.

/// The shell-side state of getopts between calls.
public struct GetoptsState: Equatable, Sendable {
    /// bash's sh_optind: 0 means "start over" (set by OPTIND=1); otherwise the 1-based index of
    /// the word to look at next ($1 is 1).
    public var optind: Int
    /// The word (1-based) holding the letters being scanned when `subIndex` is not 0.
    public var currentWord: Int
    /// Offset of the next letter inside `currentWord` (1 for the letter after `-`), or 0 when
    /// not inside a word of combined options.
    public var subIndex: Int

    public init(optind: Int = 0, currentWord: Int = 0, subIndex: Int = 0) {
        self.optind = optind
        self.currentWord = currentWord
        self.subIndex = subIndex
    }

    /// What bash does when OPTIND is assigned (`sv_optind`): the value is read with atoi;
    /// 1, negative values, an empty value or unsetting (`nil`) restart the scan.
    public mutating func optindAssigned(_ value: String?) {
        var s = 0
        if let value, !value.isEmpty {
            s = atoiLike(value)
            if s < 0 || s == 1 { s = 0 }
        }
        optind = s
    }
}

/// What to do with OPTARG after a getopts step.
public enum GetoptsOptarg: Equatable, Sendable {
    /// `unset OPTARG`.
    case unset
    /// OPTARG exists but has no value (bash's bind_variable with NULL): `${OPTARG+x}` is empty,
    /// `declare -p OPTARG` shows `declare -- OPTARG`. Happens for options without an argument.
    case declaredWithoutValue
    /// OPTARG=value.
    case value(String)
}

/// One getopts step.
public struct GetoptsResult: Equatable, Sendable {
    /// The state for the next call.
    public var state: GetoptsState
    /// The value to assign to OPTIND (always assigned, as a plain variable assignment that must
    /// NOT go through `optindAssigned`).
    public var optind: String
    /// The value for the NAME variable: the option letter, "?" or ":".
    public var name: String
    public var optarg: GetoptsOptarg
    /// Diagnostic to print as "$0: " + error (bash uses $0, not "line N"), or nil.
    public var error: String?
    /// Exit status 1: no more options (NAME is set to "?").
    public var done: Bool
}

/// Runs one `getopts OPTSTRING NAME [ARGS…]` step. `args` are the explicit ARGS or, without
/// them, the positional parameters ($1…). Validating NAME (bash: "getopts: `1x': not a valid
/// identifier", status 1) and the usage error for fewer than two words are the caller's.
public func getoptsStep(optstring: String, args: [String], state: GetoptsState) -> GetoptsResult {
    var opts = Array(optstring.utf8)
    let silent = opts.first == UInt8(ascii: ":")
    if silent { opts.removeFirst() }
    // argv as sh_getopt sees it: argv[0] is $0 (unused here), argc counts it.
    let argv: [[UInt8]] = [[]] + args.map { Array($0.utf8) }
    let argc = argv.count
    var st = state
    var optarg: [UInt8]? = nil   // sh_optarg
    var error: String? = nil

    func finish(_ ret: UInt8?, _ st: GetoptsState, optopt: UInt8) -> GetoptsResult {
        let optind = String(st.optind)
        guard let ret else {
            return GetoptsResult(state: st, optind: optind, name: "?", optarg: .unset, error: error, done: true)
        }
        let letter = String(decoding: [optopt], as: UTF8.self)
        if ret == UInt8(ascii: "?") {
            if optarg == nil {          // invalid option
                return GetoptsResult(state: st, optind: optind, name: "?",
                                     optarg: silent ? .value(letter) : .unset, error: error, done: false)
            }
            if optarg == [] {           // missing argument
                return GetoptsResult(state: st, optind: optind, name: silent ? ":" : "?",
                                     optarg: silent ? .value(letter) : .unset, error: error, done: false)
            }
        }
        let arg: GetoptsOptarg = optarg.map { .value(String(decoding: $0, as: UTF8.self)) } ?? .declaredWithoutValue
        return GetoptsResult(state: st, optind: optind, name: String(decoding: [ret], as: UTF8.self),
                             optarg: arg, error: error, done: false)
    }

    if st.optind >= argc || st.optind < 0 {
        st.optind = argc
        return finish(nil, st, optopt: 0)
    }
    if st.optind == 0 {
        st.optind = 1
        st.subIndex = 0
    }
    // sh_getopt_restore_state: the letter position is relative to the word it was taken from.
    if st.subIndex != 0 && (st.subIndex < 0 || st.currentWord < 1 || st.currentWord >= argc
                            || st.subIndex >= argv[st.currentWord].count) {
        st.subIndex = 0
    }
    if st.subIndex == 0 {
        if st.optind >= argc { return finish(nil, st, optopt: 0) }
        let word = argv[st.optind]
        if word == [0x2D, 0x2D] {
            st.optind += 1
            return finish(nil, st, optopt: 0)
        }
        if word.first != 0x2D || word.count == 1 { return finish(nil, st, optopt: 0) }
        st.currentWord = st.optind
        st.subIndex = 1
    }
    let word = argv[st.currentWord]
    let c = word[st.subIndex]
    st.subIndex += 1
    let known = opts.firstIndex(of: c)
    if st.subIndex >= word.count {
        st.optind += 1
        st.subIndex = 0
    }
    let letter = String(decoding: [c], as: UTF8.self)
    guard let k = known, c != UInt8(ascii: ":") else {
        if !silent { error = "illegal option -- \(letter)" }
        return finish(UInt8(ascii: "?"), st, optopt: c)
    }
    var ret = c
    if k + 1 < opts.count && opts[k + 1] == UInt8(ascii: ":") {
        if st.subIndex != 0 {
            optarg = Array(word[st.subIndex...])
            st.optind += 1
        } else if st.optind == argc {
            if !silent { error = "option requires an argument -- \(letter)" }
            optarg = []
            ret = UInt8(ascii: "?")
        } else {
            optarg = argv[st.optind]
            st.optind += 1
        }
        st.subIndex = 0
    }
    return finish(ret, st, optopt: c)
}

/// Convenience form of `getoptsStep` for callers that keep OPTIND and the letter position only.
public func getoptsStep(optstring: String, args: [String], optind: Int, subIndex: Int) -> GetoptsResult {
    getoptsStep(optstring: optstring, args: args,
                state: GetoptsState(optind: optind, currentWord: optind, subIndex: subIndex))
}

/// C atoi: optional blanks and sign, then digits; anything else stops; overflow wraps like glibc's
/// strtol-based atoi (saturates, then truncates to int).
func atoiLike(_ s: String) -> Int {
    var i = s.utf8.startIndex
    let u = s.utf8
    while i < u.endIndex, u[i] == 0x20 || (u[i] >= 0x09 && u[i] <= 0x0D) { i = u.index(after: i) }
    var negative = false
    if i < u.endIndex, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") {
        negative = u[i] == UInt8(ascii: "-")
        i = u.index(after: i)
    }
    var v = 0
    while i < u.endIndex, u[i] >= 0x30, u[i] <= 0x39 {
        v = v > Int.max / 20 ? Int.max / 2 : v * 10 + Int(u[i] - 0x30)
        i = u.index(after: i)
    }
    let r = negative ? -v : v
    return Int(Int32(truncatingIfNeeded: r))
}
