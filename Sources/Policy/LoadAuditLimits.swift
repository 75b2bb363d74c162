// The [audit], [limits] and [[limit]] tables: the audit log's settings (Audit.AuditConfig) and the
// rate limits on destructive operations (RateLimit.LimitConfig).
//
// The checks the Audit and RateLimit modules would make later (redaction patterns compiled,
// syslog facility known, LimitConfig.validate) are made here, when the policy loads: a policy
// that loads must never fail at the first command because its log or limiter cannot be built,
// and a problem found here has a line:column. See man/aegish-allowlist.5 for the keys.

import Audit
import RateLimit
import TOMLTree

private let auditKeys = ["enabled", "file", "fsync", "on_failure", "exit_status", "syslog", "syslog_socket", "syslog_facility",
                         "redact", "redact_extra", "redact_options", "redact_attached", "host", "lock_timeout_ms"]
private let limitsKeys = ["state_dir", "on_state_error", "walk_max_entries", "walk_max_ms", "lock_timeout_ms", "durable"]
private let limitKeys = ["id", "commands", "patterns", "window", "max_operations", "max_targets", "on_exceed"]

/// Waiting longer than this for a lock or a walk would hang the agent's shell: an hour is far
/// past any sensible setting, and keeps `ms * 1_000_000` (nanoseconds) far from overflowing.
private let maxMilliseconds = 3_600_000
/// The state file stores counters as u32.
private let maxCount = Int(UInt32.max)
/// A window's longest span (RateLimit keeps at most 64 buckets per window).
private let maxWindow = 604_800

/// Why a top-level key that belongs in one of these tables was written at the top level.
func topLevelAuditLimitsHint(_ key: String) -> String? {
    if key == "lock_timeout_ms" { return "\"\(key)\" belongs in [audit] or [limits]" }
    if auditKeys.contains(key) && key != "enabled" { return "\"\(key)\" belongs in [audit]" }
    if limitsKeys.contains(key) { return "\"\(key)\" belongs in [limits]" }
    if limitKeys.contains(key) && key != "id" { return "\"\(key)\" belongs in a [[limit]] table" }
    return nil
}

/// What an unknown [audit] key was probably meant to be.
private func auditKeyHint(_ key: String) -> String? {
    switch key {
    case "path", "log", "log_file", "logfile", "filename": return "use file = \"/var/log/aegish/audit.log\""
    case "enable": return "use enabled = true | false"
    case "facility": return "use syslog_facility = \"authpriv\""
    case "socket": return "use syslog_socket = \"/dev/log\""
    case "redactions", "redact_patterns", "patterns": return "use redact = [\"…\"] (replaces the defaults) or redact_extra = [\"…\"] (adds to them)"
    case "hostname", "host_name": return "use host = \"…\""
    case "lock_timeout", "timeout", "timeout_ms": return "use lock_timeout_ms = 10000"
    case "on_error", "failure": return "use on_failure = \"refuse\" | \"continue\""
    case "state_dir", "on_state_error", "walk_max_entries", "walk_max_ms", "durable": return "\"\(key)\" belongs in [limits]"
    default: return nil
    }
}

extension PolicyReader {
    // MARK: Scalars

    mutating func bool(_ t: TOMLTable, _ key: String, _ path: TOMLPath, _ what: String) -> Bool? {
        guard let v = t[key] else { return nil }
        guard v.type == .bool, let b = v.bool else {
            problem(path, "\(what) must be true or false, not \(typeName(v))")
            return nil
        }
        return b
    }

    /// An integer within `range` (`unit` follows the number in messages, e.g. " ms").
    mutating func integer(_ t: TOMLTable, _ key: String, _ path: TOMLPath, _ what: String,
                          _ range: ClosedRange<Int>, unit: String = "") -> Int? {
        guard let v = t[key] else { return nil }
        guard v.type == .int, let n = v.int else {
            problem(path, "\(what) must be an integer, not \(typeName(v))")
            return nil
        }
        guard range.contains(n) else {
            problem(path, "\(what) is \(n)\(unit); it must be \(range.lowerBound) to \(range.upperBound)\(unit)")
            return nil
        }
        return n
    }

    /// One of `allowed` (raw values of an enum), reported with what each means.
    mutating func choice(_ t: TOMLTable, _ key: String, _ path: TOMLPath, _ what: String,
                         _ allowed: [String], help: String) -> String? {
        guard let s = string(t, key, path, what) else { return nil }
        guard allowed.contains(s) else {
            problem(path, "\(what): invalid value \"\(s)\"; \(help)")
            return nil
        }
        return s
    }

    /// An absolute path of aegish's own (log file, socket, state directory): not a path pattern,
    /// so no `~`, `$WORKSPACE` or globs.
    mutating func absolutePath(_ t: TOMLTable, _ key: String, _ path: TOMLPath, _ what: String,
                               file: Bool) -> String? {
        guard let p = string(t, key, path, what) else { return nil }
        if let msg = absolutePathProblem(p, file: file) {
            problem(path, "\(what) \"\(p)\" \(msg)")
            return nil
        }
        return p
    }

    /// `[name]` as one table; `[[name]]` (an array) is reported with `arrayHint`.
    mutating func singleTable(_ root: TOMLTable, _ name: String, arrayHint: String) -> TOMLTable? {
        if let v = root[name], v.type == .array {
            problem([.key(name)], atKey: true, "[[\(name)]] is not a table of settings: \(arrayHint)")
            return nil
        }
        return table(root, name, [.key(name)], "[\(name)]")
    }

    // MARK: [audit]

    mutating func readAudit(_ root: TOMLTable, into policy: inout Policy) {
        guard let t = singleTable(root, "audit", arrayHint: "write a single [audit] table") else { return }
        let base: TOMLPath = [.key("audit")]
        checkKeys(t, base, "[audit]", allowed: auditKeys, hint: auditKeyHint)
        var config = AuditConfig()
        readAuditOutput(t, base, into: &config)
        readAuditSyslog(t, base, into: &config)
        readAuditRedaction(t, base, into: &config)
        if let host = string(t, "host", base + [.key("host")], "audit.host") {
            if host.isEmpty || host.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                problem(base + [.key("host")], "audit.host \"\(host)\" must be a non-empty name without white space (or leave it out for the machine's host name)")
            } else {
                config.hostName = host
            }
        }
        // Every key is checked even when logging is off, so a typo does not wait for the day it
        // is switched back on.
        let enabled = bool(t, "enabled", base + [.key("enabled")], "audit.enabled") ?? true
        policy.audit = enabled ? config : nil
    }

    private mutating func readAuditOutput(_ t: TOMLTable, _ base: TOMLPath, into config: inout AuditConfig) {
        if let f = absolutePath(t, "file", base + [.key("file")], "audit.file", file: true) { config.path = f }
        if let b = bool(t, "fsync", base + [.key("fsync")], "audit.fsync") { config.fsync = b }
        if let b = bool(t, "exit_status", base + [.key("exit_status")], "audit.exit_status") { config.exitStatus = b }
        if let s = choice(t, "on_failure", base + [.key("on_failure")], "audit.on_failure", ["refuse", "continue"],
                          help: "use \"refuse\" (a command whose record cannot be written is refused) or \"continue\" (it runs; the failure is reported)"),
           let v = AuditConfig.OnFailure(rawValue: s) {
            config.onFailure = v
        }
        if let ms = integer(t, "lock_timeout_ms", base + [.key("lock_timeout_ms")], "audit.lock_timeout_ms",
                            1...maxMilliseconds, unit: " ms") {
            config.lockTimeoutMS = ms
        }
    }

    private mutating func readAuditSyslog(_ t: TOMLTable, _ base: TOMLPath, into config: inout AuditConfig) {
        if let b = bool(t, "syslog", base + [.key("syslog")], "audit.syslog") { config.syslog = b }
        if let s = absolutePath(t, "syslog_socket", base + [.key("syslog_socket")], "audit.syslog_socket", file: true) {
            config.syslogSocket = s
        }
        let names = AuditConfig.syslogFacilities
        if let f = choice(t, "syslog_facility", base + [.key("syslog_facility")], "audit.syslog_facility", names,
                          help: "use one of \(names.joined(separator: ", "))") {
            config.syslogFacility = f
        }
    }

    /// `redact` replaces the default patterns, `redact_extra` adds to them (or to `redact`), so a
    /// team can add its own without copying, and silently losing, the defaults.
    private mutating func readAuditRedaction(_ t: TOMLTable, _ base: TOMLPath, into config: inout AuditConfig) {
        if let list = redactPatterns(t, "redact", base) { config.redactPatterns = list }
        if let extra = redactPatterns(t, "redact_extra", base) { config.redactPatterns += extra }
        let optionsPath = base + [.key("redact_options")]
        if let list = strings(t, "redact_options", optionsPath, "audit.redact_options") {
            for (i, o) in list.enumerated() {
                if let msg = optionProblem(o) { problem(optionsPath + [.index(i)], "audit.redact_options: \"\(o)\" \(msg)") }
            }
            config.redactOptions = list
        }
        if let attached = redactAttached(t, base) { config.redactAttached = attached }
    }

    /// Each pattern is compiled now by the log's own regex engine: a bad one is reported at its
    /// line, instead of making every command fail when the log is opened.
    private mutating func redactPatterns(_ t: TOMLTable, _ key: String, _ base: TOMLPath) -> [String]? {
        let path = base + [.key(key)]
        guard let list = strings(t, key, path, "audit.\(key)") else { return nil }
        for (i, p) in list.enumerated() {
            if let msg = redactPatternProblem(p) { problem(path + [.index(i)], "audit.\(key): \"\(p)\" \(msg)") }
        }
        return list
    }

    /// `redact_attached = { mysql = "-p" }`: command name → option its secret is attached to.
    private mutating func redactAttached(_ t: TOMLTable, _ base: TOMLPath) -> [String: String]? {
        let path = base + [.key("redact_attached")]
        guard let table = table(t, "redact_attached", path, "audit.redact_attached (e.g. redact_attached = { mysql = \"-p\" })") else {
            return nil
        }
        var out: [String: String] = [:]
        for name in table.keys {
            let p = path + [.key(name)]
            if name.isEmpty || hasByte(name, "/") || name.contains(where: { $0 == " " || $0 == "\t" }) {
                problem(p, atKey: true, "audit.redact_attached: \"\(name)\" is not a command name; write the program's basename (\"mysql\")")
                continue
            }
            guard let option = stringValue(table[name]!, p, "audit.redact_attached.\(name)") else { continue }
            if !option.hasPrefix("-") || option.hasPrefix("--") || option.utf8.count < 2
                || option.contains(where: { $0 == " " || $0 == "\t" || $0 == "=" }) {
                problem(p, "audit.redact_attached.\(name): \"\(option)\" is not a short option; write the option the secret is attached to (\"-p\" for mysql -pSECRET)")
                continue
            }
            out[name] = option
        }
        return out
    }

    // MARK: [limits] and [[limit]]

    mutating func readLimits(_ root: TOMLTable, into policy: inout Policy) {
        let settings = singleTable(root, "limits", arrayHint: "write the settings in one [limits] table and each class as [[limit]]")
        guard settings != nil || root["limit"] != nil else { return }
        let before = problems.count
        let count = root["limit"]?.array?.count ?? 0
        var classes: [(index: Int, limit: LimitClass)] = []
        var ids: [String: Int] = [:]
        for (i, t) in arrayOfTables(root, "limit") {
            guard let c = readLimitClass(t, i, of: count) else { continue }
            if let first = ids[c.id] {
                duplicateLimit(c.id, at: i, first: first)
            } else {
                ids[c.id] = i
            }
            classes.append((i, c))
        }
        if count > LimitConfig.maxClasses {
            problem([.key("limit"), .index(LimitConfig.maxClasses)], atKey: true,
                    "at most \(LimitConfig.maxClasses) [[limit]] classes are allowed (\(count) here); merge classes that limit the same kind of operation")
        }
        var config = LimitConfig(classes: classes.map(\.limit))
        if let settings { readLimitSettings(settings, into: &config) }
        let addOne = "add a [[limit]] table (id, commands, window, max_operations or max_targets)"
        if root["limit"] == nil {
            problem([.key("limits")], atKey: true, "no [[limit]] classes: [limits] only holds their settings; \(addOne), or remove [limits]")
        } else if count == 0 && root["limit"]?.type == .array {
            problem([.key("limit")], atKey: true, "no [[limit]] classes: limit is an empty array; \(addOne), or remove it")
        }
        // The module's own validation is the authority; the checks above only place its
        // findings at the right line. Run it when they found nothing, to catch what they missed.
        if problems.count == before {
            for message in config.validate() {
                problem(limitProblemPath(message, classes, hasSettings: settings != nil), atKey: true, message)
            }
        }
        if problems.count == before { policy.limits = config }
    }

    private mutating func duplicateLimit(_ id: String, at index: Int, first: Int) {
        let firstAt = location([.key("limit"), .index(first), .key("id")], value: true)
        let where_ = firstAt.line > 0 ? " (first defined at \(firstAt))" : ""
        problem([.key("limit"), .index(index), .key("id")],
                "duplicate [[limit]] id \"\(id)\"\(where_); each class needs its own id (its counters are stored under it)")
    }

    /// Where a `LimitConfig.validate` message belongs: `limit "ID": …` at that class (the last
    /// one with the id, which is the duplicate), anything else at [limits] or the first [[limit]].
    private func limitProblemPath(_ message: String, _ classes: [(index: Int, limit: LimitClass)],
                                  hasSettings: Bool) -> TOMLPath {
        if let c = classes.last(where: { message.hasPrefix("limit \"\($0.limit.id)\":") }) {
            return [.key("limit"), .index(c.index)]
        }
        return hasSettings ? [.key("limits")] : [.key("limit"), .index(0)]
    }

    private mutating func readLimitSettings(_ t: TOMLTable, into config: inout LimitConfig) {
        let base: TOMLPath = [.key("limits")]
        checkKeys(t, base, "[limits]", allowed: limitsKeys) { key in
            if limitKeys.contains(key) { return "\"\(key)\" belongs in a [[limit]] table (one per class)" }
            switch key {
            case "state_directory", "dir", "directory", "state": return "use state_dir = \"/var/lib/aegish/limits\""
            case "walk_max_milliseconds", "walk_timeout_ms": return "use walk_max_ms = 50"
            case "lock_timeout", "timeout_ms": return "use lock_timeout_ms = 2000"
            case "fsync": return "use durable = true | false"
            default: return nil
            }
        }
        if let d = absolutePath(t, "state_dir", base + [.key("state_dir")], "limits.state_dir", file: false) {
            config.stateDirectory = d
        }
        if let s = choice(t, "on_state_error", base + [.key("on_state_error")], "limits.on_state_error", ["deny", "allow"],
                          help: "use \"deny\" (refuse destructive commands while the state is unusable) or \"allow\" (run them uncounted)"),
           let v = StateErrorPolicy(rawValue: s) {
            config.onStateError = v
        }
        if let n = integer(t, "walk_max_entries", base + [.key("walk_max_entries")], "limits.walk_max_entries", 1...maxCount) {
            config.walkMaxEntries = n
        }
        if let n = integer(t, "walk_max_ms", base + [.key("walk_max_ms")], "limits.walk_max_ms", 1...maxMilliseconds, unit: " ms") {
            config.walkMaxMilliseconds = n
        }
        if let n = integer(t, "lock_timeout_ms", base + [.key("lock_timeout_ms")], "limits.lock_timeout_ms",
                           1...maxMilliseconds, unit: " ms") {
            config.lockTimeoutMilliseconds = n
        }
        if let b = bool(t, "durable", base + [.key("durable")], "limits.durable") { config.durable = b }
    }

    /// One `[[limit]]`; nil when it has a problem (reported).
    private mutating func readLimitClass(_ t: TOMLTable, _ index: Int, of count: Int) -> LimitClass? {
        let before = problems.count
        let base: TOMLPath = [.key("limit"), .index(index)]
        let id = limitID(t, base, number: index + 1)
        let label = id.map { "[[limit]] \"\($0)\"" } ?? "[[limit]] #\(index + 1)"
        checkKeys(t, base, label, allowed: limitKeys) { key in
            if limitsKeys.contains(key) { return "\"\(key)\" belongs in [limits] (settings shared by every class)" }
            switch key {
            case "command", "name", "names", "programs": return "use commands = [\"rm\", …]"
            case "pattern", "arguments", "args": return "use patterns = [\"…\"]"
            case "max_ops", "operations", "max_operation", "max_commands", "limit": return "use max_operations = 30"
            case "max_files", "targets", "max_target": return "use max_targets = 200"
            case "decision", "verdict", "on_exceeded", "exceed", "on_limit": return "use on_exceed = \"deny\" | \"ask\""
            case "window_seconds", "period", "interval", "seconds", "per": return "use window = 60 (seconds) or \"5m\""
            default: return nil
            }
        }
        let commands = limitCommands(t, base, label)
        let patterns = limitPatterns(t, base, label)
        let window = limitWindow(t, base, label)
        let maxOps = integer(t, "max_operations", base + [.key("max_operations")], "\(label): max_operations", 0...maxCount)
        let maxTargets = integer(t, "max_targets", base + [.key("max_targets")], "\(label): max_targets", 0...maxCount)
        if t["max_operations"] == nil && t["max_targets"] == nil {
            problem(base, atKey: true, "\(label) sets neither max_operations nor max_targets; set one or both (per window)")
        }
        let onExceed = choice(t, "on_exceed", base + [.key("on_exceed")], "\(label): on_exceed", ["deny", "ask"],
                              help: "use \"deny\" (refuse until the window frees up) or \"ask\" (a person approves each one over the limit)")
        guard problems.count == before, let id, let commands, let window else { return nil }
        return LimitClass(id: id, commands: commands, patterns: patterns ?? [], window: window,
                          maxOperations: maxOps, maxTargets: maxTargets,
                          onExceed: onExceed.flatMap(LimitVerdict.init(rawValue:)) ?? .deny)
    }

    private mutating func limitID(_ t: TOMLTable, _ base: TOMLPath, number: Int) -> String? {
        let path = base + [.key("id")]
        guard let id = string(t, "id", path, "[[limit]] #\(number): id",
                              required: "[[limit]] #\(number) has no id; add id = \"…\" (it names the class in messages and keys its counters)")
        else { return nil }
        if id.isEmpty || id.utf8.count > 64 || id.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            problem(path, "[[limit]] #\(number): id \"\(id)\" must be 1 to 64 bytes with no white space")
            return nil
        }
        return id
    }

    private mutating func limitCommands(_ t: TOMLTable, _ base: TOMLPath, _ label: String) -> [String]? {
        let path = base + [.key("commands")]
        guard t["commands"] != nil else {
            problem(base, atKey: true, "\(label) has no commands; add commands = [\"rm\", …] (program basenames, globs allowed)")
            return nil
        }
        guard let list = strings(t, "commands", path, "\(label): commands") else { return nil }
        if list.isEmpty { problem(path, "\(label): commands is empty; list at least one program") }
        for (i, c) in list.enumerated() {
            if let msg = limitCommandProblem(c) { problem(path + [.index(i)], "\(label): commands: \"\(c)\" \(msg)") }
        }
        return list
    }

    private mutating func limitPatterns(_ t: TOMLTable, _ base: TOMLPath, _ label: String) -> [String]? {
        let path = base + [.key("patterns")]
        guard let list = strings(t, "patterns", path, "\(label): patterns") else { return nil }
        if t["patterns"]?.array?.count == 0 {
            problem(path, "\(label): patterns is empty; list argument patterns, or remove the key to cover every invocation")
        }
        for (i, p) in list.enumerated() where p.allSatisfy({ $0 == " " || $0 == "\t" }) {
            problem(path + [.index(i)], "\(label): patterns: an empty pattern would match nothing; write the words to match (\"reset --hard\")")
        }
        return list
    }

    /// `window`: seconds as an integer, or a string with a unit ("90s", "5m", "1h", "1d").
    private mutating func limitWindow(_ t: TOMLTable, _ base: TOMLPath, _ label: String) -> Int? {
        let path = base + [.key("window")]
        guard let v = t["window"] else {
            problem(base, atKey: true, "\(label) has no window; add window = 60 (seconds) or a duration such as \"5m\"")
            return nil
        }
        var seconds: Int
        if v.type == .int, let n = v.int {
            seconds = n
        } else if v.type == .string, let s = v.string {
            guard let n = parseDuration(s) else {
                problem(path, "\(label): window \"\(s)\" is not a duration; write seconds (60) or a number with s, m, h or d (\"90s\", \"5m\", \"1h\", \"1d\")")
                return nil
            }
            seconds = n
        } else {
            problem(path, "\(label): window must be seconds (an integer) or a duration string such as \"5m\", not \(typeName(v))")
            return nil
        }
        guard (1...maxWindow).contains(seconds) else {
            problem(path, "\(label): window is \(seconds) s; it must be 1 s to 7 days (\(maxWindow) s)")
            return nil
        }
        return seconds
    }
}

// MARK: - Value checks

/// An absolute path of aegish's own: no `~`, variables, `.`/`..` components; a file's path does
/// not end in "/".
func absolutePathProblem(_ p: String, file: Bool) -> String? {
    if p.isEmpty { return "is empty; write an absolute path" }
    if p.hasPrefix("~") || p.hasPrefix("$") { return "is not expanded here; write the absolute path (starting with /)" }
    guard p.hasPrefix("/") else { return "is relative; write an absolute path (starting with /)" }
    if p.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
        return "contains . or .. components; write the plain absolute path"
    }
    if file && p.hasSuffix("/") { return "ends with \"/\"; name a file, not a directory" }
    return nil
}

/// A redaction pattern, compiled by the audit log's own engine; its complaint when it fails.
func redactPatternProblem(_ p: String) -> String? {
    if p.isEmpty { return "is empty; an empty pattern redacts nothing" }
    guard let why = Redactor.patternProblem(p) else { return nil }
    return "is not a valid pattern (\(why)); see aegish-audit(5) for the syntax"
}

/// A `[[limit]]` command: a program basename, as a glob (`rm`, `mkfs.*`).
func limitCommandProblem(_ c: String) -> String? {
    if c.isEmpty { return "is empty" }
    if hasByte(c, "/") { return "contains \"/\"; commands are matched by basename: write \"rm\", not \"/bin/rm\"" }
    if c.contains(where: { $0 == " " || $0 == "\t" }) { return "contains white space; list each program separately" }
    return nil
}

/// "90", "90s", "5m", "1h", "1d" → seconds; nil for anything else (or more than 9 digits).
func parseDuration(_ s: String) -> Int? {
    var digits = Substring(s)
    var unit = 1
    if let last = s.last, !("0"..."9").contains(last) {
        switch last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86400
        default: return nil
        }
        digits = digits.dropLast()
    }
    guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ ("0"..."9").contains($0) }),
          let n = Int(digits) else { return nil }
    return n * unit
}
