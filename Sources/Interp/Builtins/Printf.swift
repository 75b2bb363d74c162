// bash 5.2's `printf` builtin (builtins/printf.def), as a pure function.
//
// Numeric and string conversions are handed to glibc's vsnprintf with exactly the conversion
// specification bash would build (length modifiers stripped, then `l` for integers and `L` for
// floating point on x86), so padding, flags and rounding match bash byte for byte.
// %b, %q, %Q and %(fmt)T are done here, as bash does them itself.
//
// Deliberate differences from bash (see the tests):
// - `%n` is refused with bash's "invalid format character" message (bash would assign the byte
//   count to a variable).
// - A field width or precision that would make one conversion longer than `printfFieldLimit`
//   bytes is refused: "printf: `%SPEC': field width or precision too large", status 1, the
//   conversion produces nothing and processing continues (bash would write gigabytes).

import Glibc

/// Largest field width / precision honoured for one conversion (16 MiB).
public let printfFieldLimit = 1 << 24

let printfUsage = "printf: usage: printf [-v var] format [arguments]"

/// `printf --help` (bash prints it on stdout, status 2).
let printfHelp = """
printf: printf [-v var] format [arguments]
    Formats and prints ARGUMENTS under control of the FORMAT.
    
    Options:
      -v var\tassign the output to shell variable VAR rather than
    \t\tdisplay it on the standard output
    
    FORMAT is a character string which contains three types of objects: plain
    characters, which are simply copied to standard output; character escape
    sequences, which are converted and copied to the standard output; and
    format specifications, each of which causes printing of the next successive
    argument.
    
    In addition to the standard format specifications described in printf(1),
    printf interprets:
    
      %b\texpand backslash escape sequences in the corresponding argument
      %q\tquote the argument in a way that can be reused as shell input
      %Q\tlike %q, but apply any precision to the unquoted argument before
    \t\tquoting
      %(fmt)T\toutput the date-time string resulting from using FMT as a format
    \t        string for strftime(3)
    
    The format is re-used as necessary to consume all of the arguments.  If
    there are fewer arguments than the format requires,  extra format
    specifications behave as if a zero value or null string, as appropriate,
    had been supplied.
    
    Exit Status:
    Returns success unless an invalid option is given or a write or assignment
    error occurs.

"""

/// Splits a leading `-v NAME` (also `-vNAME`, repeated, or followed by `--`) off printf's
/// arguments the way bash's option parser does. When a name is found, `rest` is what to pass to
/// `runPrintf` (it starts with "--" so a format beginning with "-" stays a format) and the
/// caller assigns the resulting stdout to the variable (validating the name itself: bash says
/// "printf: `1a': not a valid identifier", status 2). On anything else — no option, a bad
/// option, `-v` without a name — it returns `(nil, args)` and `runPrintf` reports the problem.
public func parsePrintfVarOption(_ args: [String]) -> (varName: String?, rest: [String]) {
    switch parsePrintfOptions(args) {
    case .success(let name, let index):
        guard let name else { return (nil, args) }
        return (name, ["--"] + args[index...])
    case .failure:
        return (nil, args)
    }
}

enum PrintfOptionParse {
    case success(varName: String?, operandIndex: Int)
    case failure(BuiltinResult)
}

/// bash's `internal_getopt (list, "v:")` loop.
func parsePrintfOptions(_ args: [String], diagnosticPrefix: String = "") -> PrintfOptionParse {
    var varName: String? = nil
    var i = 0
    while i < args.count {
        let word = Array(args[i].utf8)
        if word == [0x2D, 0x2D] { i += 1; break }           // "--"
        if word.count < 2 || word[0] != 0x2D { break }       // operand, or "-"
        if args[i] == "--help" {
            return .failure(BuiltinResult(stdout: Array(printfHelp.utf8), status: 2))
        }
        let letter = word[1]
        if letter == UInt8(ascii: "v") {
            if word.count > 2 {
                varName = String(decoding: word[2...], as: UTF8.self)
            } else if i + 1 < args.count {
                i += 1
                varName = args[i]
            } else {
                var r = BuiltinResult(status: 2)
                r.diagnose(diagnosticPrefix, "printf: -v: option requires an argument")
                r.usage(printfUsage)
                return .failure(r)
            }
            i += 1
            continue
        }
        var r = BuiltinResult(status: 2)
        r.diagnose(diagnosticPrefix, "printf: -\(String(decoding: [letter], as: UTF8.self)): invalid option")
        r.usage(printfUsage)
        return .failure(r)
    }
    return .success(varName: varName, operandIndex: i)
}

/// Runs `printf` with `args` (the words after "printf"). A `-v NAME` option is accepted and
/// ignored here: use `parsePrintfVarOption` first when the output should go to a variable.
/// `shellStartTime` is what `%(…)T` uses for the argument -2 (default: now).
public func runPrintf(_ args: [String], diagnosticPrefix: String = "", shellStartTime: Int? = nil) -> BuiltinResult {
    let operandIndex: Int
    switch parsePrintfOptions(args, diagnosticPrefix: diagnosticPrefix) {
    case .failure(let r): return r
    case .success(_, let index): operandIndex = index
    }
    guard operandIndex < args.count else {
        var r = BuiltinResult(status: 2)
        r.usage(printfUsage)
        return r
    }
    var f = PrintfFormatter(format: Array(args[operandIndex].utf8),
                            arguments: Array(args[(operandIndex + 1)...]),
                            prefix: diagnosticPrefix, shellStartTime: shellStartTime)
    return f.run()
}

struct PrintfFormatter {
    let format: [UInt8]
    let arguments: [String]
    let prefix: String
    let shellStartTime: Int?
    var next = 0
    var result = BuiltinResult()
    var conversionError = false

    init(format: [UInt8], arguments: [String], prefix: String, shellStartTime: Int?) {
        self.format = format
        self.arguments = arguments
        self.prefix = prefix
        self.shellStartTime = shellStartTime
    }

    mutating func error(_ message: String) {
        result.diagnose(prefix, "printf: " + message)
    }

    mutating func run() -> BuiltinResult {
        if format.isEmpty { return result }
        repeat {
            let firstArg = next
            if let status = onePass() {
                result.status = status
                return result
            }
            // Reuse the format only while it consumes arguments.
            if next == firstArg { break }
        } while next < arguments.count
        if conversionError { result.status = 1 }
        return result
    }

    /// One pass over the format. Returns a status when printf must stop right away.
    mutating func onePass() -> Int32? {
        let fmt = format
        var i = 0
        while i < fmt.count {
            let ch = fmt[i]
            if ch == 0x5C {  // backslash
                let e = printfEscape(fmt, i + 1, percentB: false)
                if let w = e.warning { error(String(w.dropFirst("printf: ".count))) }
                result.stdout.append(contentsOf: e.bytes)
                i += 1 + e.consumed
                continue
            }
            if ch != 0x25 {  // not %
                result.stdout.append(ch)
                i += 1
                continue
            }
            let start = i
            i += 1
            if i < fmt.count && fmt[i] == 0x25 {
                result.stdout.append(0x25)
                i += 1
                continue
            }
            // flags
            while i < fmt.count, "#'-+ 0".utf8.contains(fmt[i]) { i += 1 }
            // width
            var haveWidth = false
            var width: Int = 0       // value passed for `*`
            var literalWidth: Int? = nil
            if i < fmt.count && fmt[i] == UInt8(ascii: "*") {
                i += 1
                haveWidth = true
                width = nextInt()
            } else {
                var w = 0
                var any = false
                while i < fmt.count, fmt[i] >= 0x30, fmt[i] <= 0x39 {
                    w = w > Int.max / 20 ? Int.max / 2 : w * 10 + Int(fmt[i] - 0x30)
                    any = true
                    i += 1
                }
                if any { literalWidth = w }
            }
            // precision
            var havePrecision = false
            var precision: Int = 0
            var literalPrecision: Int? = nil   // nil: absent or negative
            if i < fmt.count && fmt[i] == UInt8(ascii: ".") {
                i += 1
                if i < fmt.count && fmt[i] == UInt8(ascii: "*") {
                    i += 1
                    havePrecision = true
                    precision = nextInt()
                } else {
                    var negative = false
                    if i < fmt.count && fmt[i] == UInt8(ascii: "-") { negative = true; i += 1 }
                    var p = 0
                    while i < fmt.count, fmt[i] >= 0x30, fmt[i] <= 0x39 {
                        p = p > Int.max / 20 ? Int.max / 2 : p * 10 + Int(fmt[i] - 0x30)
                        i += 1
                    }
                    if !negative { literalPrecision = p }
                }
            }
            // length modifiers are skipped (bash re-adds its own)
            let modStart = i
            while i < fmt.count, "hjlLtz".utf8.contains(fmt[i]) { i += 1 }
            guard i < fmt.count else {
                error("`\(String(decoding: fmt[start...], as: UTF8.self))': missing format character")
                return 1
            }
            let conv = fmt[i]
            i += 1
            // The specification as bash passes it to printf(3): up to the modifiers, then conv.
            let specHead = Array(fmt[start..<modStart])

            // glibc refuses (EOVERFLOW) a literal width or precision above INT_MAX and prints
            // nothing for the conversion; bash carries on. printstr (%b %q) clamps instead.
            let overflowsInt = (literalWidth ?? 0) > Int(Int32.max) || (literalPrecision ?? 0) > Int(Int32.max)
            // Effective width / precision for the size guard.
            let effWidth: Int = haveWidth ? abs(width) : (literalWidth ?? 0)
            let effPrecision: Int = havePrecision ? max(precision, 0) : (literalPrecision ?? 0)

            switch conv {
            case UInt8(ascii: "c"):
                let c = nextChar()
                if overflowsInt { continue }
                if tooLarge(effWidth, 0, start, i) { continue }
                emitC(specHead + [conv], haveWidth ? width : nil, havePrecision ? precision : nil, [Int32(c)])
            case UInt8(ascii: "s"):
                let s = nextString()
                if overflowsInt { continue }
                if tooLarge(effWidth, 0, start, i) { continue }
                let spec = specHead + [conv]
                let w: Int? = haveWidth ? width : nil
                let p: Int? = havePrecision ? precision : nil
                s.withCString { ptr in emitC(spec, w, p, [ptr]) }
            case UInt8(ascii: "b"):
                let s = nextString()
                let (bytes, sawC, warnings) = expandPercentB(Array(s.utf8))
                for w in warnings { error(String(w.dropFirst("printf: ".count))) }
                if tooLarge(effWidth, 0, start, i) { if sawC { return 0 }; continue }
                printString(bytes, spec: Array(fmt[start..<i]), width: width, precision: precision)
                if sawC { return 0 }
            case UInt8(ascii: "q"), UInt8(ascii: "Q"):
                var s = Array(nextString().utf8)
                // %Q: a literal precision cuts the unquoted argument (in bytes); bash 5.2.15
                // ignores a `*` precision here, and applies neither to the quoted text.
                if conv == UInt8(ascii: "Q"), let p = literalPrecision, p < s.count {
                    s = Array(s[..<p])
                }
                let quoted = Array(shellQuoteBytes(s).utf8)
                if tooLarge(effWidth, 0, start, i) { continue }
                printString(quoted, spec: Array(fmt[start..<i]), width: width, precision: precision,
                            ignorePrecision: conv == UInt8(ascii: "Q"))
            case UInt8(ascii: "d"), UInt8(ascii: "i"):
                let v = nextIntmax()
                if overflowsInt { continue }
                if tooLarge(effWidth, effPrecision, start, i) { continue }
                emitC(specHead + [UInt8(ascii: "l"), conv], haveWidth ? width : nil, havePrecision ? precision : nil, [v])
            case UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "X"):
                let v = nextUintmax()
                if overflowsInt { continue }
                if tooLarge(effWidth, effPrecision, start, i) { continue }
                emitC(specHead + [UInt8(ascii: "l"), conv], haveWidth ? width : nil, havePrecision ? precision : nil, [v])
            case UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "f"), UInt8(ascii: "F"),
                 UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "a"), UInt8(ascii: "A"):
                let v = nextFloat()
                if overflowsInt { continue }
                // %f of a huge value is long even without width: bound by the exponent too.
                var extra = 0
                if conv == UInt8(ascii: "f") || conv == UInt8(ascii: "F") { extra = 5000 }
                if tooLarge(effWidth, effPrecision + extra, start, i) { continue }
                #if arch(x86_64) || arch(i386)
                emitC(specHead + [UInt8(ascii: "L"), conv], haveWidth ? width : nil, havePrecision ? precision : nil, [v])
                #else
                emitC(specHead + [conv], haveWidth ? width : nil, havePrecision ? precision : nil, [v])
                #endif
            case UInt8(ascii: "("):
                // %(strftime-format)T
                var j = i
                var depth = 1
                var timeFormat: [UInt8] = []
                while j < fmt.count {
                    if fmt[j] == UInt8(ascii: "(") { depth += 1 }
                    else if fmt[j] == UInt8(ascii: ")") { depth -= 1 }
                    if depth == 0 { break }
                    timeFormat.append(fmt[j])
                    j += 1
                }
                let after = j + 1 < fmt.count ? fmt[j + 1] : 0
                if j >= fmt.count || after != UInt8(ascii: "T") {
                    // bash: warning, print the '%', continue right after it
                    var msg: [UInt8] = Array("warning: `".utf8)
                    msg.append(j >= fmt.count ? 0 : after)
                    msg += Array("': invalid time format specification".utf8)
                    result.stderr += Array(prefix.utf8) + Array("printf: ".utf8) + msg + [0x0A]
                    result.stdout.append(0x25)
                    i = start + 1
                    continue
                }
                i = j + 2
                if timeFormat.isEmpty { timeFormat = Array("%X".utf8) }
                var secs: Int = -1
                if next < arguments.count { secs = nextIntmax() }
                if secs == -1 { secs = time(nil) }
                else if secs == -2 { secs = shellStartTime ?? time(nil) }
                let text = strftimeBytes(timeFormat, secs)
                if overflowsInt { continue }
                if tooLarge(effWidth, 0, start, i) { continue }
                let spec = Array(fmt[start..<modStart]) + [UInt8(ascii: "s")]
                let w: Int? = haveWidth ? width : nil
                let p: Int? = havePrecision ? precision : nil
                (text + [0]).withUnsafeBufferPointer { buf in
                    buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { ptr in
                        emitC(spec, w, p, [ptr])
                    }
                }
            default:
                // includes %n, which bash would turn into a variable assignment
                error("`\(String(decoding: [conv], as: UTF8.self))': invalid format character")
                return 1
            }
        }
        return nil
    }

    /// Refuses a conversion whose field would exceed `printfFieldLimit`.
    mutating func tooLarge(_ width: Int, _ precision: Int, _ start: Int, _ end: Int) -> Bool {
        if width <= printfFieldLimit && precision <= printfFieldLimit { return false }
        error("`\(String(decoding: format[start..<end], as: UTF8.self))': field width or precision too large")
        conversionError = true
        return true
    }

    /// Formats with vsnprintf: `spec` without the `*` values, which come first as Int32s.
    mutating func emitC(_ spec: [UInt8], _ width: Int?, _ precision: Int?, _ values: [CVarArg]) {
        var args: [CVarArg] = []
        if let width { args.append(Int32(truncatingIfNeeded: width)) }
        if let precision { args.append(Int32(truncatingIfNeeded: precision)) }
        args += values
        let cfmt: [CChar] = spec.map { CChar(bitPattern: $0) } + [0]
        let n = withVaList(args) { vsnprintf(nil, 0, cfmt, $0) }
        guard n > 0 else { return }  // nothing, or EOVERFLOW: bash prints nothing too
        var buf = [CChar](repeating: 0, count: Int(n) + 1)
        let m = withVaList(args) { vsnprintf(&buf, buf.count, cfmt, $0) }
        guard m > 0 else { return }
        result.stdout.append(contentsOf: buf[0..<Int(min(m, n))].map { UInt8(bitPattern: $0) })
    }

    /// bash's `printstr`, for %b and %q: parses flags, width and precision from `spec` again.
    mutating func printString(_ string: [UInt8], spec: [UInt8], width: Int, precision: Int,
                              ignorePrecision: Bool = false) {
        var k = 1
        var ljust = false
        var fw = 0
        var pr = -1
        while k < spec.count, "#'-+ 0".utf8.contains(spec[k]) {
            if spec[k] == UInt8(ascii: "-") { ljust = true }
            k += 1
        }
        if k < spec.count && spec[k] == UInt8(ascii: "*") {
            k += 1
            fw = width
            if fw < 0 { fw = -fw; ljust = true }
        } else if k < spec.count, spec[k] >= 0x30, spec[k] <= 0x39 {
            var m = 0
            while k < spec.count, spec[k] >= 0x30, spec[k] <= 0x39 {
                m = m > Int.max / 20 ? Int.max / 2 : m * 10 + Int(spec[k] - 0x30)
                k += 1
            }
            fw = m > Int(Int32.max) ? Int(Int32.max) : m
        }
        if k < spec.count && spec[k] == UInt8(ascii: ".") {
            k += 1
            if k < spec.count && spec[k] == UInt8(ascii: "*") {
                k += 1
                pr = precision
            } else if k < spec.count, spec[k] >= 0x30, spec[k] <= 0x39 {
                var m = 0
                while k < spec.count, spec[k] >= 0x30, spec[k] <= 0x39 {
                    m = m > Int.max / 20 ? Int.max / 2 : m * 10 + Int(spec[k] - 0x30)
                    k += 1
                }
                pr = m > Int(Int32.max) ? Int(Int32.max) : m
            } else {
                pr = 0
            }
        }
        if ignorePrecision { pr = -1 }
        let nc = (pr >= 0 && pr <= string.count) ? pr : string.count
        let pad = max(fw - nc, 0)
        if !ljust { result.stdout.append(contentsOf: repeatElement(0x20, count: pad)) }
        result.stdout.append(contentsOf: string[0..<nc])
        if ljust { result.stdout.append(contentsOf: repeatElement(0x20, count: pad)) }
    }

    // MARK: argument fetchers (bash's getstr, getchr, getint, getintmax, getuintmax, getfloatmax)

    mutating func nextString() -> String {
        guard next < arguments.count else { return "" }
        defer { next += 1 }
        return arguments[next]
    }

    mutating func nextChar() -> UInt8 {
        guard next < arguments.count else { return 0 }
        defer { next += 1 }
        return arguments[next].utf8.first ?? 0
    }

    /// `'x` / `"x`: the code of the (multibyte) character after the quote.
    func characterCode(_ word: String) -> Int? {
        guard let q = word.utf8.first, q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") else { return nil }
        var scalars = word.unicodeScalars.makeIterator()
        _ = scalars.next()
        return Int(scalars.next()?.value ?? 0)
    }

    mutating func invalidNumber(_ word: String) {
        let b = Array(word.utf8)
        let what: String
        if b.count > 1 && b[0] == 0x30 && b[1] >= 0x30 && b[1] <= 0x39 { what = "invalid octal number" }
        else if b.count > 1 && b[0] == 0x30 && b[1] == UInt8(ascii: "x") { what = "invalid hex number" }
        else { what = "invalid number" }
        error("\(word): \(what)")
        conversionError = true
    }

    /// bash's getint (for `*`): out-of-int-range values warn, naming the *following* argument.
    mutating func nextInt() -> Int {
        let v = nextIntmax()
        guard next < arguments.count else { return Int(Int32(truncatingIfNeeded: v)) }
        if v > Int(Int32.max) {
            error("warning: \(arguments[next]): Numerical result out of range")
            return Int(Int32.max)
        }
        if v < Int(Int32.min) {
            error("warning: \(arguments[next]): Numerical result out of range")
            return Int(Int32.min)
        }
        return v
    }

    mutating func nextIntmax() -> Int {
        guard next < arguments.count else { return 0 }
        let word = arguments[next]
        next += 1
        if let code = characterCode(word) { return code }
        var end: UnsafeMutablePointer<CChar>? = nil
        let (value, rest, err): (Int, Int, Int32) = word.withCString { p in
            errno = 0
            let v = strtoimax(p, &end, 0)
            let e = errno
            return (Int(v), strlen(end!), e)
        }
        if rest != 0 { invalidNumber(word) }
        else if err == ERANGE { error("warning: \(word): Numerical result out of range") }
        return value
    }

    mutating func nextUintmax() -> UInt {
        guard next < arguments.count else { return 0 }
        let word = arguments[next]
        next += 1
        if let code = characterCode(word) { return UInt(bitPattern: code) }
        var end: UnsafeMutablePointer<CChar>? = nil
        let (value, rest, err): (UInt, Int, Int32) = word.withCString { p in
            errno = 0
            let v = strtoumax(p, &end, 0)
            let e = errno
            return (UInt(v), strlen(end!), e)
        }
        if rest != 0 { invalidNumber(word) }
        else if err == ERANGE { error("warning: \(word): Numerical result out of range") }
        return value
    }

    #if arch(x86_64) || arch(i386)
    typealias FloatMax = Float80
    #else
    typealias FloatMax = Double
    #endif

    mutating func nextFloat() -> FloatMax {
        guard next < arguments.count else { return 0 }
        let word = arguments[next]
        next += 1
        if let code = characterCode(word) { return FloatMax(code) }
        var end: UnsafeMutablePointer<CChar>? = nil
        let (value, rest, err): (FloatMax, Int, Int32) = word.withCString { p in
            errno = 0
            #if arch(x86_64) || arch(i386)
            let v = strtold(p, &end)
            #else
            let v = strtod(p, &end)
            #endif
            let e = errno
            return (v, strlen(end!), e)
        }
        if rest != 0 { invalidNumber(word) }
        else if err == ERANGE { error("warning: \(word): Numerical result out of range") }
        return value
    }
}

/// strftime of `secs` in local time (bash falls back to the epoch when localtime fails).
func strftimeBytes(_ format: [UInt8], _ secs: Int) -> [UInt8] {
    var t = time_t(secs)
    var tmv = tm()
    if localtime_r(&t, &tmv) == nil {
        t = 0
        _ = localtime_r(&t, &tmv)
    }
    var buf = [CChar](repeating: 0, count: 128)
    let cfmt: [CChar] = format.map { CChar(bitPattern: $0) } + [0]
    let n = strftime(&buf, buf.count, cfmt, &tmv)
    return buf[0..<n].map { UInt8(bitPattern: $0) }
}
