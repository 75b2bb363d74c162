import PolicyTestSupport
import XCTest
import Glibc
import Audit
import RateLimit
@testable import Policy

/// [audit], [limits] and [[limit]]: every key lands in AuditConfig / LimitConfig, every kind of
/// mistake is a load error at its line, and the compiled-policy cache carries both.
final class LoadAuditLimitsTests: PolicyTestCase {
    func load(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Policy? {
        do {
            return try parsePolicy(text, file: "p.toml")
        } catch {
            XCTFail("policy did not load: \(error)", file: file, line: line)
            return nil
        }
    }

    /// Asserts `text` fails, first at `l` (and `c` when given), with a message containing each of `contains`.
    func assertError(_ text: String, _ l: Int, _ c: Int? = nil, _ contains: String...,
                     file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try parsePolicy(text, file: "p.toml")
            XCTFail("policy loaded but should not have", file: file, line: line)
        } catch let e as PolicyLoadError {
            XCTAssertEqual(e.location.line, l, "line: \(e)", file: file, line: line)
            if let c { XCTAssertEqual(e.location.column, c, "column: \(e)", file: file, line: line) }
            for s in contains { XCTAssertTrue(e.message.contains(s), "message lacks \"\(s)\": \(e)", file: file, line: line) }
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    static let oneLimit = """
        [[limit]]
        id = "delete"
        commands = ["rm"]
        window = 60
        max_operations = 10
        """

    // MARK: [audit] values

    func testEveryAuditKeyLands() throws {
        let p = load(#"""
            [audit]
            file = "/srv/log/aegish.log"
            fsync = true
            on_failure = "continue"
            exit_status = false
            syslog = true
            syslog_socket = "/run/systemd/journal/syslog"
            syslog_facility = "local3"
            redact = ["token=(\\S+)"]
            redact_extra = ["(?i)pin:\\s*(\\d+)"]
            redact_options = ["--pw", "-P"]
            redact_attached = { psql = "-W", mysql = "-p" }
            host = "build-7"
            lock_timeout_ms = 250
            """#)
        let a = try XCTUnwrap(p?.audit)
        XCTAssertEqual(a.path, "/srv/log/aegish.log")
        XCTAssertTrue(a.fsync)
        XCTAssertEqual(a.onFailure, .continue)
        XCTAssertFalse(a.exitStatus)
        XCTAssertTrue(a.syslog)
        XCTAssertEqual(a.syslogSocket, "/run/systemd/journal/syslog")
        XCTAssertEqual(a.syslogFacility, "local3")
        XCTAssertEqual(a.redactPatterns, [#"token=(\S+)"#, #"(?i)pin:\s*(\d+)"#])
        XCTAssertEqual(a.redactOptions, ["--pw", "-P"])
        XCTAssertEqual(a.redactAttached, ["psql": "-W", "mysql": "-p"])
        XCTAssertEqual(a.hostName, "build-7")
        XCTAssertEqual(a.lockTimeoutMS, 250)
        // The loaded settings are ones the log itself accepts.
        XCTAssertNoThrow(try Redactor(config: a))
    }

    func testEmptyAuditTableMeansDefaults() throws {
        let a = try XCTUnwrap(load("[audit]\n")?.audit)
        XCTAssertEqual(a.path, AuditConfig.defaultPath)
        XCTAssertFalse(a.fsync)
        XCTAssertEqual(a.onFailure, .refuse)
        XCTAssertTrue(a.exitStatus, "completion records are kept unless the policy says otherwise")
        XCTAssertFalse(a.syslog)
        XCTAssertEqual(a.syslogFacility, "authpriv")
        XCTAssertEqual(a.redactPatterns, AuditConfig.defaultRedactPatterns)
        XCTAssertEqual(a.redactOptions, AuditConfig.defaultRedactOptions)
        XCTAssertEqual(a.redactAttached, AuditConfig.defaultRedactAttached)
        XCTAssertNil(a.hostName)
        XCTAssertEqual(a.lockTimeoutMS, 10_000)
    }

    func testNoAuditTableMeansNoAudit() {
        XCTAssertNil(load("[policy]\nname = \"x\"\n")?.audit)
    }

    func testRedactReplacesAndRedactExtraAppends() throws {
        let extra = try XCTUnwrap(load(#"[audit]\#nredact_extra = ["secret-\\w+"]"#)?.audit)
        XCTAssertEqual(extra.redactPatterns, AuditConfig.defaultRedactPatterns + [#"secret-\w+"#])
        let replaced = try XCTUnwrap(load(#"[audit]\#nredact = ["a(b)"]"#)?.audit)
        XCTAssertEqual(replaced.redactPatterns, ["a(b)"])
        let both = try XCTUnwrap(load(#"[audit]\#nredact_extra = ["c"]\#nredact = ["a(b)"]"#)?.audit)
        XCTAssertEqual(both.redactPatterns, ["a(b)", "c"])
        let none = try XCTUnwrap(load("[audit]\nredact = []")?.audit)
        XCTAssertEqual(none.redactPatterns, [])
    }

    func testEnabledFalseMeansNoAudit() throws {
        let p = try XCTUnwrap(load("[audit]\nenabled = false\nfile = \"/var/log/x.log\"\n"))
        XCTAssertNil(p.audit)
        XCTAssertNotNil(load("[audit]\nenabled = true\n")?.audit)
        // A disabled table is still checked: the typo is there when it is switched back on.
        assertError("[audit]\nenabled = false\nfile = \"x.log\"\n", 3, 8, "audit.file", "relative")
        assertError("[audit]\nenabled = \"no\"\n", 2, 11, "audit.enabled must be true or false, not a string")
    }

    func testAuditAsDottedKeysAndSubtable() throws {
        let a = try XCTUnwrap(load("audit.file = \"/l/a.log\"\n[audit.redact_attached]\npsql = \"-W\"\n")?.audit)
        XCTAssertEqual(a.path, "/l/a.log")
        XCTAssertEqual(a.redactAttached, ["psql": "-W"])
    }

    // MARK: [audit] errors

    func testAuditBadTypes() {
        assertError("[audit]\nfsync = \"yes\"\n", 2, 9, "audit.fsync must be true or false, not a string")
        assertError("[audit]\nexit_status = 1\n", 2, 15, "audit.exit_status must be true or false")
        assertError("[audit]\nfile = 3\n", 2, 8, "audit.file must be a string, not an integer")
        assertError("[audit]\nlock_timeout_ms = 1.5\n", 2, 19, "audit.lock_timeout_ms must be an integer, not a number")
        assertError("[audit]\nredact = \"x\"\n", 2, 10, "audit.redact must be an array of strings")
        assertError("[audit]\nredact_extra = [1]\n", 2, 17, "each entry of audit.redact_extra must be a string")
        assertError("[audit]\nredact_attached = [\"-p\"]\n", 2, 19, "audit.redact_attached", "must be a table")
        assertError("audit = 1\n", 1, 9, "[audit] must be a table, not an integer")
        assertError("[[audit]]\nfile = \"/a\"\n", 1, nil, "[[audit]]", "single [audit] table")
    }

    func testAuditUnknownKeysHaveHints() {
        assertError("[audit]\npath = \"/var/log/a.log\"\n", 2, 1, "unknown key \"path\" in [audit]", "use file =")
        assertError("[audit]\nfacility = \"auth\"\n", 2, 1, "use syslog_facility")
        assertError("[audit]\nstate_dir = \"/x\"\n", 2, 1, "belongs in [limits]")
        assertError("[audit]\nwhatever = 1\n", 2, 1, "unknown key \"whatever\" in [audit]; allowed keys: enabled, file,")
        assertError("redact = [\"x\"]\n", 1, 1, "unknown key \"redact\" in the top level", "belongs in [audit]")
    }

    func testAuditPathsMustBeAbsolute() {
        assertError("[audit]\nfile = \"audit.log\"\n", 2, 8, "audit.file \"audit.log\" is relative")
        assertError("[audit]\nfile = \"~/audit.log\"\n", 2, 8, "not expanded here")
        assertError("[audit]\nfile = \"/var/log/\"\n", 2, 8, "name a file")
        assertError("[audit]\nfile = \"/var/log/../tmp/a\"\n", 2, 8, ". or .. components")
        assertError("[audit]\nsyslog_socket = \"dev/log\"\n", 2, 17, "audit.syslog_socket \"dev/log\" is relative")
    }

    func testAuditBadChoices() {
        assertError("[audit]\nsyslog_facility = \"local9\"\n", 2, 19, "invalid value \"local9\"", "authpriv", "local7")
        assertError("[audit]\non_failure = \"ignore\"\n", 2, 14, "audit.on_failure: invalid value \"ignore\"", "\"refuse\"", "\"continue\"")
        assertError("[audit]\nlock_timeout_ms = 0\n", 2, 19, "audit.lock_timeout_ms is 0 ms; it must be 1 to")
        assertError("[audit]\nhost = \"\"\n", 2, 8, "audit.host")
    }

    func testEveryFacilityTheLogKnowsIsAccepted() {
        XCTAssertEqual(AuditConfig.syslogFacilities.count, 20)
        XCTAssertEqual(AuditConfig.syslogFacilities.first, "kern")
        for f in AuditConfig.syslogFacilities {
            XCTAssertEqual(load("[audit]\nsyslog_facility = \"\(f)\"\n")?.audit?.syslogFacility, f)
        }
    }

    func testBadRedactPatternIsALoadError() {
        assertError("[audit]\nredact = [\"ok\", \"(abc\"]\n", 2, 17, "audit.redact: \"(abc\" is not a valid pattern (missing ')')")
        assertError("[audit]\nredact_extra = [\n  \"a{2000}\",\n]\n", 3, 3, "audit.redact_extra", "repeat count too large")
        assertError("[audit]\nredact = [\"(?P<x>a)\"]\n", 2, 11, "only (?: ) and a leading (?i)")
        assertError("[audit]\nredact = [\"\"]\n", 2, 11, "is empty")
    }

    func testBadRedactOptionsAndAttached() {
        assertError("[audit]\nredact_options = [\"password\"]\n", 2, 19, "audit.redact_options: \"password\" is not an option")
        assertError("[audit]\nredact_attached = { mysql = \"--password\" }\n", 2, 29, "not a short option")
        assertError("[audit]\nredact_attached = { \"/usr/bin/mysql\" = \"-p\" }\n", 2, 21, "not a command name")
    }

    // MARK: [limits] and [[limit]] values

    func testEveryLimitKeyLands() throws {
        let p = load("""
            [limits]
            state_dir = "/srv/aegish/limits"
            on_state_error = "allow"
            walk_max_entries = 5000
            walk_max_ms = 20
            lock_timeout_ms = 500
            durable = true

            [[limit]]
            id = "delete"
            commands = ["rm", "rmdir", "unlink"]
            window = 60
            max_operations = 30
            max_targets = 200
            on_exceed = "ask"

            [[limit]]
            id = "git-history"
            commands = ["git"]
            patterns = ["reset --hard", "clean"]
            window = "5m"
            max_operations = 5
            """)
        let l = try XCTUnwrap(p?.limits)
        XCTAssertEqual(l.stateDirectory, "/srv/aegish/limits")
        XCTAssertEqual(l.onStateError, .allow)
        XCTAssertEqual(l.walkMaxEntries, 5000)
        XCTAssertEqual(l.walkMaxMilliseconds, 20)
        XCTAssertEqual(l.lockTimeoutMilliseconds, 500)
        XCTAssertTrue(l.durable)
        XCTAssertEqual(l.trustedOwner, 0)
        XCTAssertEqual(l.classes, [
            LimitClass(id: "delete", commands: ["rm", "rmdir", "unlink"], window: 60, maxOperations: 30,
                       maxTargets: 200, onExceed: .ask),
            LimitClass(id: "git-history", commands: ["git"], patterns: ["reset --hard", "clean"], window: 300,
                       maxOperations: 5, onExceed: .deny),
        ])
        XCTAssertEqual(l.validate(), [])
        // The patterns are the limiter's (words in any order), not [[command.arguments]] globs.
        XCTAssertTrue(l.classes[1].covers(program: "/usr/bin/git", argv: ["git", "-C", "x", "reset", "--hard"]))
        XCTAssertFalse(l.classes[1].covers(program: "git", argv: ["git", "reset", "--soft"]))
    }

    func testLimitWithoutLimitsTableUsesDefaults() throws {
        let l = try XCTUnwrap(load(Self.oneLimit)?.limits)
        let defaults = LimitConfig(classes: l.classes)
        XCTAssertEqual(l, defaults)
        XCTAssertEqual(l.classes.map(\.id), ["delete"])
        XCTAssertEqual(l.classes[0].onExceed, .deny)
        XCTAssertNil(l.classes[0].maxTargets)
        XCTAssertEqual(l.classes[0].patterns, [])
    }

    func testNoLimitTablesMeansNoLimits() {
        XCTAssertNil(load("[policy]\nname = \"x\"\n")?.limits)
    }

    func testWindowForms() throws {
        for (w, s) in [("60", 60), ("\"60\"", 60), ("\"45s\"", 45), ("\"5m\"", 300), ("\"1h\"", 3600),
                       ("\"1d\"", 86400), ("\"7d\"", 604_800), ("604800", 604_800), ("1", 1)] {
            let text = "[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = \(w)\nmax_targets = 1\n"
            XCTAssertEqual(load(text)?.limits?.classes.first?.window, s, "window = \(w)")
        }
        XCTAssertEqual(parseDuration("5m"), 300)
        XCTAssertNil(parseDuration("m"))
        XCTAssertNil(parseDuration("5 m"))
        XCTAssertNil(parseDuration("-5m"))
        XCTAssertNil(parseDuration("1w"))
        XCTAssertNil(parseDuration("9999999999d"))
    }

    func testCommandsAreGlobs() throws {
        let text = "[[limit]]\nid = \"fs\"\ncommands = [\"mkfs.*\"]\nwindow = 60\nmax_operations = 1\n"
        let c = try XCTUnwrap(load(text)?.limits?.classes.first)
        XCTAssertTrue(c.covers(program: "/sbin/mkfs.ext4", argv: ["mkfs.ext4", "/dev/x"]))
    }

    func testDocumentedFormInConfigSwiftLoads() throws {
        // The intended form, as written at the top of Sources/RateLimit/Config.swift.
        let l = try XCTUnwrap(load("""
            [limits]
            state_dir = "/var/lib/aegish/limits"   # root-owned, not writable by the governed user
            on_state_error = "deny"                # or "allow": run uncounted when the state is unusable
            walk_max_entries = 100000              # bounded walk of recursive operands
            walk_max_ms = 50
            lock_timeout_ms = 2000
            durable = false                        # fdatasync the state after each update

            [[limit]]
            id = "delete"
            commands = ["rm", "rmdir", "unlink", "shred"]
            window = 60                             # seconds, sliding
            max_operations = 30                     # per window (optional)
            max_targets = 200                       # files per window, recursive operands walked (optional)
            on_exceed = "ask"                       # or "deny" (default)

            [[limit]]
            id = "git-destructive"
            commands = ["git"]
            patterns = ["reset --hard", "clean", "checkout --force", "restore"]
            window = 300
            max_operations = 5
            """)?.limits)
        XCTAssertEqual(l.classes.map(\.id), ["delete", "git-destructive"])
        XCTAssertEqual(l, LimitConfig(classes: l.classes))
    }

    // MARK: [limits] and [[limit]] errors

    func testLimitsWithoutAnyLimitIsAnError() {
        assertError("[limits]\nstate_dir = \"/var/lib/aegish/limits\"\n", 1, 1, "no [[limit]] classes")
        assertError("[limits]\nstate_dir = \"/x\"\n\n", 1, nil, "add a [[limit]] table")
        assertError("limit = []\n", 1, 1, "no [[limit]] classes")
    }

    func testLimitShapes() {
        assertError("[limit]\nid = \"x\"\n", 1, nil, "limit must be an array of tables", "[[limit]]")
        assertError("[[limits]]\nstate_dir = \"/x\"\n\(Self.oneLimit)\n", 1, nil, "[[limits]]", "each class as [[limit]]")
        assertError("limits = \"/x\"\n\(Self.oneLimit)\n", 1, 10, "[limits] must be a table, not a string")
    }

    func testLimitBadTypes() {
        assertError("[limits]\ndurable = 1\n\(Self.oneLimit)\n", 2, 11, "limits.durable must be true or false, not an integer")
        assertError("[limits]\nwalk_max_ms = \"50\"\n\(Self.oneLimit)\n", 2, 15, "limits.walk_max_ms must be an integer, not a string")
        assertError("[[limit]]\nid = \"x\"\ncommands = \"rm\"\nwindow = 60\nmax_operations = 1\n", 3, 12,
                    "[[limit]] \"x\": commands must be an array of strings")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 1.5\nmax_operations = 1\n", 4, 10,
                    "window must be seconds (an integer) or a duration string", "not a number")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = \"3\"\n", 5, 18,
                    "[[limit]] \"x\": max_operations must be an integer, not a string")
        assertError("[[limit]]\nid = 7\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 3\n", 2, 6,
                    "[[limit]] #1: id must be a string, not an integer")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\npatterns = [1]\nwindow = 60\nmax_operations = 3\n", 4, 13,
                    "each entry of [[limit]] \"x\": patterns must be a string")
    }

    func testLimitUnknownKeysHaveHints() {
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 1\nmax_files = 3\n", 6, 1,
                    "unknown key \"max_files\" in [[limit]] \"x\"", "use max_targets")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\nmax_targets = 3\nstate_dir = \"/x\"\n", 6, 1,
                    "\"state_dir\" belongs in [limits]")
        assertError("[limits]\nwindow = 60\n\(Self.oneLimit)\n", 2, 1, "unknown key \"window\" in [limits]", "belongs in a [[limit]] table")
        assertError("[limits]\nstate_directory = \"/x\"\n\(Self.oneLimit)\n", 2, 1, "use state_dir")
        assertError("state_dir = \"/x\"\n\(Self.oneLimit)\n", 1, 1, "in the top level", "belongs in [limits]")
        assertError("max_operations = 3\n", 1, 1, "belongs in a [[limit]] table")
    }

    func testLimitRelativeStateDir() {
        assertError("[limits]\nstate_dir = \"var/lib/aegish\"\n\(Self.oneLimit)\n", 2, 13, "limits.state_dir \"var/lib/aegish\" is relative")
        assertError("[limits]\nstate_dir = \"$HOME/limits\"\n\(Self.oneLimit)\n", 2, 13, "not expanded here")
        XCTAssertEqual(load("[limits]\nstate_dir = \"/var/lib/aegish/limits/\"\n\(Self.oneLimit)\n")?.limits?.stateDirectory,
                       "/var/lib/aegish/limits/")
    }

    func testLimitBadWindows() {
        func limit(_ w: String) -> String { "[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = \(w)\nmax_operations = 1\n" }
        assertError(limit("\"5x\""), 4, 10, "window \"5x\" is not a duration", "\"5m\"")
        assertError(limit("\"\""), 4, 10, "is not a duration")
        assertError(limit("0"), 4, 10, "window is 0 s; it must be 1 s to 7 days")
        assertError(limit("\"8d\""), 4, 10, "window is 691200 s")
        assertError(limit("-60"), 4, 10, "window is -60 s")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nmax_operations = 1\n", 1, 1, "[[limit]] \"x\" has no window")
    }

    func testDuplicateLimitID() {
        let text = "\(Self.oneLimit)\n\n[[limit]]\nid = \"delete\"\ncommands = [\"shred\"]\nwindow = 60\nmax_operations = 1\n"
        assertError(text, 8, 6, "duplicate [[limit]] id \"delete\" (first defined at p.toml:2:6)")
    }

    func testLimitNeedsAMaximum() {
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\n", 1, 1,
                    "[[limit]] \"x\" sets neither max_operations nor max_targets")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\nmax_targets = -1\n", 5, 15, "max_targets is -1; it must be 0 to")
        XCTAssertEqual(load("[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 0\n")?.limits?.classes.first?.maxOperations, 0)
    }

    func testLimitBadChoices() {
        func limit(_ extra: String) -> String {
            "[[limit]]\nid = \"x\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 1\n\(extra)\n"
        }
        assertError(limit("on_exceed = \"asks\""), 6, 13, "[[limit]] \"x\": on_exceed: invalid value \"asks\"", "\"deny\"", "\"ask\"")
        assertError(limit("on_exceed = \"allow\""), 6, 13, "invalid value \"allow\"")
        assertError("[limits]\non_state_error = \"ignore\"\n\(Self.oneLimit)\n", 2, 18,
                    "limits.on_state_error: invalid value \"ignore\"", "\"deny\"", "\"allow\"")
        assertError("[limits]\nlock_timeout_ms = 0\n\(Self.oneLimit)\n", 2, 19, "limits.lock_timeout_ms is 0 ms")
        assertError("[limits]\nwalk_max_entries = 0\n\(Self.oneLimit)\n", 2, 20, "limits.walk_max_entries is 0")
    }

    func testLimitIDAndCommands() {
        assertError("[[limit]]\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 1\n", 1, 1, "[[limit]] #1 has no id")
        assertError("[[limit]]\nid = \"two words\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 1\n", 2, 6, "no white space")
        assertError("[[limit]]\nid = \"\(String(repeating: "x", count: 65))\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 1\n",
                    2, 6, "1 to 64 bytes")
        assertError("[[limit]]\nid = \"x\"\nwindow = 60\nmax_operations = 1\n", 1, 1, "[[limit]] \"x\" has no commands")
        assertError("[[limit]]\nid = \"x\"\ncommands = []\nwindow = 60\nmax_operations = 1\n", 3, 12, "commands is empty")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"rm\", \"/bin/rm\"]\nwindow = 60\nmax_operations = 1\n", 3, 19,
                    "\"/bin/rm\" contains \"/\"", "basename")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"git\"]\npatterns = [\"  \"]\nwindow = 60\nmax_operations = 1\n", 4, 13,
                    "empty pattern")
        assertError("[[limit]]\nid = \"x\"\ncommands = [\"git\"]\npatterns = []\nwindow = 60\nmax_operations = 1\n", 4, 12,
                    "patterns is empty")
    }

    func testTooManyClasses() {
        var text = ""
        for i in 0...LimitConfig.maxClasses {
            text += "[[limit]]\nid = \"c\(i)\"\ncommands = [\"rm\"]\nwindow = 60\nmax_operations = 1\n\n"
        }
        assertError(text, 6 * LimitConfig.maxClasses + 1, 1, "at most \(LimitConfig.maxClasses) [[limit]] classes")
    }

    func testEveryProblemIsReportedInFileOrder() {
        let text = """
            [audit]
            file = "log"
            syslog_facility = "nope"

            [[limit]]
            id = "x"
            commands = ["rm"]
            window = "soon"
            """
        let problems = policyProblems(text, file: "p.toml")
        XCTAssertEqual(problems.map(\.location.line), [2, 3, 5, 8])
        XCTAssertTrue(problems[2].message.contains("sets neither max_operations nor max_targets"))
    }

    // MARK: The example policy

    func testExamplePolicyHasAuditAndLimits() throws {
        let path = LoadTests.repoRoot + "/allowlist.example.toml"
        guard let text = readTextFile(path) else { return XCTFail("cannot read \(path)") }
        let p = try parsePolicy(text, file: path)
        let a = try XCTUnwrap(p.audit)
        XCTAssertEqual(a.path, "/var/log/aegish/audit.log")
        XCTAssertFalse(a.fsync)
        XCTAssertEqual(a.onFailure, .refuse)
        XCTAssertFalse(a.syslog)
        XCTAssertEqual(a.redactPatterns, AuditConfig.defaultRedactPatterns)
        let l = try XCTUnwrap(p.limits)
        XCTAssertEqual(l.stateDirectory, "/var/lib/aegish/limits")
        XCTAssertEqual(l.validate(), [])
        let byID = Dictionary(uniqueKeysWithValues: l.classes.map { ($0.id, $0) })
        let delete = try XCTUnwrap(byID["delete"])
        XCTAssertEqual(delete.commands, ["rm", "rmdir", "unlink", "shred"])
        XCTAssertEqual(delete.window, 60)
        XCTAssertEqual(delete.maxOperations, 60)
        XCTAssertEqual(delete.maxTargets, 2000)
        XCTAssertEqual(delete.onExceed, .deny)
        let git = try XCTUnwrap(byID["git-history"])
        XCTAssertEqual(git.window, 300)
        XCTAssertEqual(git.maxOperations, 10)
        for argv in [["reset", "--hard", "HEAD~1"], ["clean", "-fdx"], ["checkout", "--force", "main"],
                     ["checkout", "-f", "main"], ["restore", "src"], ["push", "--force", "origin"],
                     ["push", "-f"], ["push", "--force-with-lease"], ["push", "origin", "+main"],
                     ["branch", "-D", "old"], ["stash", "drop"], ["stash", "clear"]] {
            XCTAssertTrue(git.covers(program: "git", argv: ["git"] + argv), "git \(argv)")
        }
        for argv in [["status"], ["commit", "-m", "x"], ["push", "origin", "main"], ["reset", "--soft", "HEAD~1"],
                     ["branch", "-d", "merged"], ["stash", "list"], ["checkout", "main"]] {
            XCTAssertFalse(git.covers(program: "git", argv: ["git"] + argv), "git \(argv)")
        }
        let move = try XCTUnwrap(byID["move"])
        XCTAssertEqual(move.commands, ["mv"])
        XCTAssertEqual(move.window, 60)
        XCTAssertEqual(move.maxOperations, 120)
        let perms = try XCTUnwrap(byID["permissions"])
        XCTAssertTrue(perms.covers(program: "chmod", argv: ["chmod", "-R", "755", "x"]))
        XCTAssertTrue(perms.covers(program: "chown", argv: ["chown", "--recursive", "a", "x"]))
        XCTAssertFalse(perms.covers(program: "chmod", argv: ["chmod", "+x", "run.sh"]))
        let find = try XCTUnwrap(byID["find-delete"])
        XCTAssertTrue(find.covers(program: "find", argv: ["find", ".", "-name", "*.o", "-delete"]))
        XCTAssertTrue(find.covers(program: "find", argv: ["find", ".", "-exec", "rm", "{}", ";"]))
        XCTAssertFalse(find.covers(program: "find", argv: ["find", ".", "-name", "*.o"]))
        let overwrite = try XCTUnwrap(byID["truncate-dd"])
        XCTAssertTrue(overwrite.covers(program: "dd", argv: ["dd", "if=/dev/zero", "of=disk.img"]))
        XCTAssertFalse(overwrite.covers(program: "dd", argv: ["dd", "if=disk.img"]))
        XCTAssertTrue(overwrite.covers(program: "truncate", argv: ["truncate", "-s", "0", "log"]))
    }

    // MARK: The compiled-policy cache

    func sample() -> Policy {
        var p = Policy()
        p.name = "cached"
        var a = AuditConfig(path: "/var/log/a.log")
        a.fsync = true; a.onFailure = .continue; a.exitStatus = false; a.syslog = true; a.syslogSocket = "/run/log"
        a.syslogFacility = "local1"; a.redactPatterns = ["x(y)", "z"]; a.redactOptions = ["--pw"]
        a.redactAttached = ["psql": "-W", "mysql": "-p"]; a.hostName = "h"; a.userName = "u"; a.userID = 42
        a.sessionID = "s"; a.tty = "/dev/pts/1"; a.lockTimeoutMS = 77
        p.audit = a
        p.limits = LimitConfig(stateDirectory: "/var/lib/l", classes: [
            LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 5, maxTargets: 9, onExceed: .ask),
            LimitClass(id: "git", commands: ["git"], patterns: ["reset --hard", "clean"], window: 300, maxOperations: 3),
            LimitClass(id: "t", commands: ["truncate"], window: 10, maxTargets: 0),
        ], onStateError: .allow, walkMaxEntries: 7, walkMaxMilliseconds: 8, lockTimeoutMilliseconds: 9, durable: true,
           trustedOwner: 1234)
        p.file = "/etc/aegish/p.toml"
        return p
    }

    func assertSameAudit(_ x: AuditConfig?, _ y: AuditConfig?, file: StaticString = #filePath, line: UInt = #line) {
        guard let x, let y else { return XCTAssertTrue(x == nil && y == nil, "one audit is nil", file: file, line: line) }
        XCTAssertEqual(x.path, y.path, file: file, line: line)
        XCTAssertEqual(x.fsync, y.fsync, file: file, line: line)
        XCTAssertEqual(x.onFailure, y.onFailure, file: file, line: line)
        XCTAssertEqual(x.exitStatus, y.exitStatus, file: file, line: line)
        XCTAssertEqual(x.syslog, y.syslog, file: file, line: line)
        XCTAssertEqual(x.syslogSocket, y.syslogSocket, file: file, line: line)
        XCTAssertEqual(x.syslogFacility, y.syslogFacility, file: file, line: line)
        XCTAssertEqual(x.redactPatterns, y.redactPatterns, file: file, line: line)
        XCTAssertEqual(x.redactOptions, y.redactOptions, file: file, line: line)
        XCTAssertEqual(x.redactAttached, y.redactAttached, file: file, line: line)
        XCTAssertEqual(x.hostName, y.hostName, file: file, line: line)
        XCTAssertEqual(x.userName, y.userName, file: file, line: line)
        XCTAssertEqual(x.userID, y.userID, file: file, line: line)
        XCTAssertEqual(x.sessionID, y.sessionID, file: file, line: line)
        XCTAssertEqual(x.tty, y.tty, file: file, line: line)
        XCTAssertEqual(x.lockTimeoutMS, y.lockTimeoutMS, file: file, line: line)
    }

    func testCacheRoundTripsAuditAndLimits() throws {
        let p = sample()
        let back = try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p)))
        assertSameAudit(back.audit, p.audit)
        XCTAssertEqual(back.limits, p.limits)
        XCTAssertEqual(back.limits?.trustedOwner, 1234)
        XCTAssertEqual(back.name, "cached")
        XCTAssertEqual(back.file, p.file)
        // The compiled patterns came back too, not just their text.
        XCTAssertTrue(back.limits!.classes[1].covers(program: "git", argv: ["git", "clean", "-f"]))
    }

    func testCacheRoundTripsAbsentAuditAndLimits() throws {
        var p = sample()
        p.audit = nil; p.limits = nil
        let back = try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p)))
        XCTAssertNil(back.audit)
        XCTAssertNil(back.limits)
        var optionalsUnset = sample()
        optionalsUnset.audit = AuditConfig()
        assertSameAudit(try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(optionalsUnset))).audit, AuditConfig())
    }

    func testCacheRoundTripsTheExamplePolicy() throws {
        let path = LoadTests.repoRoot + "/allowlist.example.toml"
        guard let text = readTextFile(path) else { return XCTFail("cannot read \(path)") }
        let p = try parsePolicy(text, file: path)
        let back = try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p)))
        assertSameAudit(back.audit, p.audit)
        XCTAssertEqual(back.limits, p.limits)
        XCTAssertEqual(back.commands.map(\.id), p.commands.map(\.id))
        XCTAssertEqual(back.tests.count, p.tests.count)
    }

    func testTruncatedOrInvalidCacheIsRefused() {
        let bytes = encodeCachedPolicy(sample())
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            XCTAssertNil(decodeCachedPolicy(Array(bytes[..<cut])), "cut at \(cut)")
        }
        // A limit configuration the loader would refuse is not taken from a cache either.
        var bad = sample()
        bad.limits!.classes.append(LimitClass(id: "delete", commands: ["rm"], window: 60, maxOperations: 1))
        XCTAssertNil(decodeCachedPolicy(encodeCachedPolicy(bad)))
    }

    /// Through the public entry points: compiled, used, and ignored once its format line says 3.
    func testCompiledCacheCarriesAuditAndLimitsAndOldFormatIsIgnored() throws {
        try XCTSkipIf(getuid() != 0, "needs root: the policy must not be writable by the governed user")
        var template = Array("/tmp/aegish-cache-XXXXXX".utf8CString)
        guard let d = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        let dir = String(cString: d)
        defer { _ = system("rm -rf '\(dir)'") }
        chmod(dir, 0o755)
        let policyPath = dir + "/p.toml"
        let text = "[audit]\nfile = \"/var/log/x.log\"\nfsync = true\n\n\(Self.oneLimit)\n"
        XCTAssertTrue(writeFile(policyPath, text))
        let governed: uid_t = 4242
        let cachePath = try compilePolicyCache(path: policyPath, governedUID: governed, checkUID: governed,
                                               home: nil, cacheDirectory: dir + "/cache")
        let engine = try XCTUnwrap(cachedPolicyEngine(path: policyPath, governedUID: governed, checkUID: governed,
                                                      home: nil, cacheDirectory: dir + "/cache"))
        XCTAssertEqual(engine.policy.audit?.path, "/var/log/x.log")
        XCTAssertEqual(engine.policy.audit?.fsync, true)
        XCTAssertEqual(engine.policy.limits?.classes.map(\.id), ["delete"])

        guard var cached = readBytes(cachePath) else { return XCTFail("cannot read \(cachePath)") }
        let magic = Array("aegish-compiled-policy 12\n".utf8)
        XCTAssertEqual(Array(cached.prefix(magic.count)), magic)
        cached[magic.count - 2] = UInt8(ascii: "6")
        XCTAssertTrue(writeBytes(cachePath, cached))
        XCTAssertNil(cachedPolicyEngine(path: policyPath, governedUID: governed, checkUID: governed,
                                        home: nil, cacheDirectory: dir + "/cache"))
    }

    func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd, limit: 64 << 20)
    }

    func writeBytes(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    func writeFile(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
    }
}
