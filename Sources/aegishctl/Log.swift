import ArgumentParser
import Audit
import Foundation
import Glibc

/// `aegishctl log`: read and verify the audit log (aegish-audit(5)).
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify, follow and search the audit log.",
        subcommands: [LogVerify.self, LogTail.self, LogShow.self])
}

/// The log file: the argument, else $AEGISH_AUDIT_LOG, else the default path.
func auditLogPath(_ file: String?) -> String {
    file ?? ProcessInfo.processInfo.environment["AEGISH_AUDIT_LOG"] ?? AuditConfig.defaultPath
}

struct LogVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log's hash chain; name the first broken or missing record.",
        discussion: """
            Exit status: 0 intact (notes about repaired crashes allowed), 1 tampering or \
            corruption found, 3 the file cannot be read. The last record's sequence and hash are \
            printed: compare them with the syslog copy to detect removal of the log's tail, \
            which the chain alone cannot show.
            """)

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @Option(name: .long, help: "Report at most this many problems.")
    var maxProblems = 20

    @Argument(help: ArgumentHelp("The log file (default: $AEGISH_AUDIT_LOG or \(AuditConfig.defaultPath)).", valueName: "file"))
    var file: String?

    func run() throws {
        let path = auditLogPath(file)
        let r = verifyLog(path: path, maxProblems: maxProblems)
        if json {
            func finding(_ f: VerifyFinding) -> [String: Any] {
                var d: [String: Any] = ["kind": f.kind.rawValue, "line": f.line, "message": f.message]
                if let id = f.eventID { d["event_id"] = id }
                if let s = f.sequence { d["sequence"] = s }
                return d
            }
            var d: [String: Any] = ["file": path, "intact": r.intact, "records": r.records, "lines": r.lines, "bytes": r.bytes,
                                    "last_sequence": r.lastSequence, "last_hash": r.lastHash,
                                    "problems": r.problems.map(finding), "notes": r.notes.map(finding),
                                    "seconds": r.seconds]
            if let e = r.error { d["error"] = e }
            let data = try JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else if let e = r.error {
            stderrLine("aegishctl log verify: \(e)")
        } else {
            let mb = Double(r.bytes) / 1_048_576
            if r.intact {
                print(String(format: "%@: chain intact: %d records, %.1f MB (%.2f s, %.0f MB/s)", path, r.records, mb, r.seconds, r.megabytesPerSecond))
            } else {
                print("\(path): NOT INTACT: \(r.problems.count) problem(s); first at line \(r.problems[0].line)")
                for p in r.problems { print("  " + p.description) }
            }
            for n in r.notes { print("  note: " + n.description) }
            print("  last record: sequence \(r.lastSequence), sha256 \(r.lastHash)")
        }
        if r.error != nil { throw ExitCode(errorExit) }
        if !r.intact { throw ExitCode(1) }
    }
}

// MARK: - Reading and printing records

struct Record {
    let raw: String
    let fields: [String: JSONValue]
    init?(_ line: String) {
        guard let m = parseJSONObject(line) else { return nil }
        raw = line
        var d: [String: JSONValue] = [:]
        for (k, v) in m { d[k] = v }
        fields = d
    }
    subscript(_ k: String) -> String? { fields[k]?.stringValue }
    var id: String? { self["event.id"] }
    var action: String { self["event.action"] ?? "?" }
    var outcome: String { self["event.outcome"] ?? "?" }
    var timeMS: Int64? { self["@timestamp"].flatMap(parseRFC3339) }
}

struct Printer {
    let color: Bool
    init() { color = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    func outcomeColor(_ o: String) -> String {
        switch o {
        case "allowed", "asked_allowed", "success": return "32"
        case "denied", "asked_denied", "failure": return "31"
        case "rate_limited": return "35"
        case "repaired": return "36"
        default: return "33"
        }
    }

    func human(_ r: Record) -> String {
        var ts = r["@timestamp"] ?? "?"
        if ts.count == 24 { ts = String(ts.dropLast()).replacingOccurrences(of: "T", with: " ") }
        let who = "\(r["user.name"] ?? "?")@\(r["host.name"] ?? "?")"
        let session = r["session.id"].map { String($0.prefix(8)) } ?? "-"
        var out = paint(ts, "2") + " " + pad(who, 16) + " " + pad(session, 8) + " "
        out += pad(r.action, 8) + " " + paint(pad(r.outcome, 13), outcomeColor(r.outcome))
        switch r.action {
        case "complete":
            var parts: [String] = []
            if let c = r["process.exit_code"] { parts.append("exit \(c)") }
            if let s = r["process.signal"] { parts.append("signal \(s)") }
            if let d = r.fields["event.duration"]?.stringValue.flatMap(Double.init) { parts.append(String(format: "%.3f s", d / 1e9)) }
            out += " " + parts.joined(separator: ", ")
            if let id = r.id { out += paint("  (\(id.prefix(8)))", "2") }
        case "log.repair":
            out += " " + (r["event.reason"] ?? "")
        default:
            if let rule = r["rule.id"] { out += " " + paint("[\(rule)]", "36") }
            let what = r["process.command_line"] ?? r["file.path"] ?? r["process.executable"] ?? ""
            out += " " + what.replacingOccurrences(of: "\n", with: "⏎")
            if r.outcome != "allowed", let reason = r["event.reason"] { out += paint(" — " + reason, "2") }
            if let cwd = r["process.working_directory"] { out += paint("  (in \(cwd))", "2") }
            if let id = r.id { out += paint("  (\(id.prefix(8)))", "2") }
        }
        return out
    }
}

/// Reads lines from a file descriptor (getline semantics, keeps an incomplete last line pending).
final class LineReader {
    let fd: Int32
    private var pending: [UInt8] = []
    private var buf = [UInt8](repeating: 0, count: 1 << 16)
    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
    }
    deinit { close(fd) }
    /// Complete lines available now.
    func lines() -> [String] {
        var out: [String] = []
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var start = 0
            for k in 0..<n where buf[k] == 0x0A {
                pending.append(contentsOf: buf[start..<k])
                out.append(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                start = k + 1
            }
            pending.append(contentsOf: buf[start..<n])
        }
        return out
    }
    var position: off_t { lseek(fd, 0, SEEK_CUR) }
}

/// Parses --since/--until: RFC 3339, a date (YYYY-MM-DD, UTC), or an age (30s, 10m, 2h, 3d).
func parseTimeBound(_ s: String) throws -> Int64 {
    if let ms = parseRFC3339(s) { return ms }
    if s.count == 10, let ms = parseRFC3339(s + "T00:00:00Z") { return ms }
    if let unit = s.last, let n = Double(s.dropLast()) {
        let mult: Double? = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800][unit]
        if let mult { return Int64((Date().timeIntervalSince1970 - n * mult) * 1000) }
    }
    throw ValidationError("cannot read the time \(jsonQuote(s)): use RFC 3339 (2025-01-02T03:04:05Z), a date (2025-01-02) or an age (30s, 10m, 2h, 3d)")
}

struct LogFilter: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this event.outcome (allowed, denied, asked, asked_allowed, rate_limited, …; \"asked\" matches every asked_*).", valueName: "decision"))
    var decision: String?
    @Option(name: .long, help: ArgumentHelp("Only records of this user.name (or user.id).", valueName: "user"))
    var user: String?
    @Option(name: .long, help: ArgumentHelp("Only this session.id (a prefix is enough).", valueName: "id"))
    var session: String?
    @Option(name: .long, help: ArgumentHelp("Only records at or after this time (RFC 3339, YYYY-MM-DD, or an age: 10m, 2h, 3d).", valueName: "time"))
    var since: String?
    @Option(name: .long, help: ArgumentHelp("Only records before this time.", valueName: "time"))
    var until: String?
    @Option(name: .long, help: ArgumentHelp("Only decisions by this rule.id.", valueName: "rule"))
    var rule: String?
    @Option(name: .long, help: ArgumentHelp("Only this event.action (exec, open, cd, source).", valueName: "action"))
    var action: String?

    struct Compiled {
        let f: LogFilter
        let since: Int64?
        let until: Int64?
        /// Event ids of matching decisions, so their complete records match too.
        var matchedIDs = Set<String>()

        var decisionFilters: Bool { f.decision != nil || f.rule != nil || f.action != nil }

        mutating func matches(_ r: Record) -> Bool {
            if let u = f.user, r["user.name"] != u, r["user.id"] != u { return false }
            if let s = f.session, !(r["session.id"] ?? "").hasPrefix(s) { return false }
            if since != nil || until != nil {
                guard let t = r.timeMS else { return false }
                if let since, t < since { return false }
                if let until, t >= until { return false }
            }
            if r.action == "complete" && decisionFilters { return r.id.map { matchedIDs.contains($0) } ?? false }
            if let a = f.action, r.action != a { return false }
            if let d = f.decision {
                if d == "asked" ? !r.outcome.hasPrefix("asked") : r.outcome != d { return false }
            }
            if let ru = f.rule, r["rule.id"] != ru { return false }
            if decisionFilters, let id = r.id {
                if matchedIDs.count > 100_000 { matchedIDs.removeAll() }
                matchedIDs.insert(id)
            }
            return true
        }
    }

    func compiled() throws -> Compiled {
        Compiled(f: self, since: try since.map(parseTimeBound), until: try until.map(parseTimeBound))
    }
}

struct LogShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the log's records, filtered.",
        discussion: """
            Complete records (exit status, duration) are shown with the decisions they belong \
            to. Lines that are not records are skipped (run `aegishctl log verify`). Exit \
            status: 0, or 3 when the file cannot be read.
            """)

    @OptionGroup var filter: LogFilter

    @Flag(name: .long, help: "Print the matching records as they are in the file (JSON Lines).")
    var json = false

    @Argument(help: ArgumentHelp("The log file (default: $AEGISH_AUDIT_LOG or \(AuditConfig.defaultPath)).", valueName: "file"))
    var file: String?

    func run() throws {
        let path = auditLogPath(file)
        guard let reader = LineReader(path: path) else {
            stderrLine("aegishctl log show: \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(errorExit)
        }
        var f = try filter.compiled()
        let printer = Printer()
        var out = ""
        for line in reader.lines() {
            guard let r = Record(line), f.matches(r) else { continue }
            out += (json ? line : printer.human(r)) + "\n"
            if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

struct LogTail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the last records of the log; with -f, keep printing new ones.",
        discussion: "Coloured when standard output is a terminal (NO_COLOR turns it off). -f follows the file across rotation.")

    @Flag(name: .shortAndLong, help: "Follow: wait for new records (across rotation and truncation).")
    var follow = false

    @Option(name: .shortAndLong, help: "How many records to print first.")
    var lines = 10

    @Flag(name: .long, help: "Print records as JSON Lines.")
    var json = false

    @OptionGroup var filter: LogFilter

    @Argument(help: ArgumentHelp("The log file (default: $AEGISH_AUDIT_LOG or \(AuditConfig.defaultPath)).", valueName: "file"))
    var file: String?

    func run() throws {
        let path = auditLogPath(file)
        guard var reader = LineReader(path: path) else {
            stderrLine("aegishctl log tail: \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(errorExit)
        }
        var f = try filter.compiled()
        let printer = Printer()
        setvbuf(stdout, nil, _IOLBF, 0)
        func emit(_ line: String) {
            guard let r = Record(line), f.matches(r) else { return }
            print(json ? line : printer.human(r))
        }
        var last: [String] = []
        for l in reader.lines() {
            guard let r = Record(l), f.matches(r) else { continue }
            last.append(l)
            if last.count > max(lines, 0) { last.removeFirst(last.count - max(lines, 0)) }
        }
        for l in last { if let r = Record(l) { print(json ? l : printer.human(r)) } }
        guard follow else { return }
        var st = stat()
        fstat(reader.fd, &st)
        var ino = st.st_ino
        while true {
            usleep(200_000)
            for l in reader.lines() { emit(l) }
            var now = stat()
            if stat(path, &now) == 0 {
                if now.st_ino != ino || now.st_size < reader.position {
                    // Rotated or truncated: read what is left of the old file, then start over.
                    for l in reader.lines() { emit(l) }
                    if let r = LineReader(path: path) { reader = r; ino = now.st_ino }
                }
            }
        }
    }
}
