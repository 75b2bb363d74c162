import ArgumentParser
import Audit
import Foundation
import Glibc

/// `aegishctl watch`: `log tail -f` with one dense line per decision, for a screen kept open next
/// to running agents: time, user, session, outcome (coloured), command, rule, reason; a
/// completion as the exit status of the command it belongs to.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch decisions across sessions as they are logged (a live, coloured view of the audit log).",
        discussion: """
            Follows the audit log like tail -f (across rotation), one line per decision: time \
            (UTC), user, session, outcome, command, [rule] and, unless allowed, the reason; who \
            answered an ask; and for each command that ran, its exit status and duration. \
            Coloured when standard output is a terminal (NO_COLOR turns it off). The filters are \
            those of `aegishctl log show`. Reading the log needs root or the aegish group.
            """)

    @Option(name: [.customShort("n"), .long], help: "How many earlier records to show first.")
    var lines = 20

    @Flag(name: .long, help: "Show the records there are now, then stop (do not follow).")
    var noFollow = false

    @OptionGroup var filter: LogFilter

    @Argument(help: ArgumentHelp("The log file (default: $AEGISH_AUDIT_LOG or \(AuditConfig.defaultPath)).", valueName: "file"))
    var file: String?

    func run() throws {
        let path = auditLogPath(file)
        guard var reader = LineReader(path: path) else {
            stderrLine("aegishctl watch: \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(errorExit)
        }
        setvbuf(stdout, nil, _IOLBF, 0)
        var f = try filter.compiled()
        var view = DenseView(printer: Printer())
        var backlog: [Record] = []
        for l in reader.lines() {
            guard let r = Record(l), f.matches(r) else { continue }
            backlog.append(r)
            if backlog.count > max(lines, 0) * 2 + 100 { backlog.removeFirst(backlog.count - max(lines, 0) * 2) }
            view.remember(r)
        }
        for r in backlog.suffix(max(lines, 0)) { print(view.line(r)) }
        guard !noFollow else { return }
        var st = stat()
        fstat(reader.fd, &st)
        var ino = st.st_ino
        func emit(_ l: String) {
            guard let r = Record(l), f.matches(r) else { return }
            view.remember(r)
            print(view.line(r))
        }
        while true {
            usleep(200_000)
            for l in reader.lines() { emit(l) }
            var now = stat()
            if stat(path, &now) == 0, now.st_ino != ino || now.st_size < reader.position {
                for l in reader.lines() { emit(l) }
                if let r = LineReader(path: path) { reader = r; ino = now.st_ino }
            }
        }
    }
}

/// The dense layout. Remembers recent decisions so a completion can name its command.
struct DenseView {
    let printer: Printer
    private var commands: [String: String] = [:]
    private var order: [String] = []

    init(printer: Printer) { self.printer = printer }

    mutating func remember(_ r: Record) {
        guard r.action != "complete", let id = r.id else { return }
        commands[id] = what(r)
        order.append(id)
        if order.count > 10_000 { for old in order.prefix(5_000) { commands[old] = nil }; order.removeFirst(5_000) }
    }

    func what(_ r: Record) -> String {
        let s = r["process.command_line"] ?? r["process.args"] ?? r["file.path"] ?? r["process.executable"] ?? ""
        return s.replacingOccurrences(of: "\n", with: "⏎")
    }

    func line(_ r: Record) -> String {
        let p = printer
        var time = r["@timestamp"] ?? "?"
        if let t = time.firstIndex(of: "T") { time = String(time[time.index(after: t)...].prefix(8)) }
        let user = p.pad(String((r["user.name"] ?? r["user.id"] ?? "?").prefix(10)), 10)
        let session = p.pad(String((r["session.id"] ?? "-").prefix(8)), 8)
        var out = p.paint(time, "2") + " " + user + " " + p.paint(session, "2") + " "
        switch r.action {
        case "complete":
            var status = r["process.exit_code"].map { "exit \($0)" } ?? r["process.signal"].map { "signal \($0)" } ?? "ended"
            if let d = r.fields["event.duration"]?.stringValue.flatMap(Double.init) { status += String(format: " · %.3f s", d / 1e9) }
            let ok = r["process.exit_code"] == "0"
            out += p.paint(p.pad("  ↳ " + status, 13 + 12), ok ? "2" : "33")
            if let id = r.id, let c = commands[id] { out += p.paint(" " + c, "2") }
        case "log.repair":
            out += p.paint(p.pad("REPAIRED", 13), "36") + " " + (r["event.reason"] ?? "")
        default:
            let outcome = r.outcome.uppercased()
            out += p.paint(p.pad(outcome, 16), "1;" + p.outcomeColor(r.outcome)) + " "
            if r.action != "exec" { out += r.action + " " }
            out += what(r)
            if let rule = r["rule.id"] { out += " " + p.paint("[\(rule)]", "36") }
            if r.outcome != "allowed", let reason = r["event.reason"] { out += p.paint(" — " + reason, "2") }
            if let by = r["aegish.approver"] { out += p.paint(" (by \(by))", "35") }
        }
        return out
    }
}
