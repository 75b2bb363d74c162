import Foundation
import Glibc
import XCTest
@testable import Audit

final class WriterTests: XCTestCase {
    func testRecordFieldsAndEscapingRoundTrip() throws {
        let dir = makeTempDir(self)
        let path = dir + "/audit.log"
        let log = try AuditLog(config: testConfig(path))
        let nasty = "a\"b\\c\nd\re\tf\u{01}g\u{1F}h\u{7F}i é 漢字 😀 \u{2028} </script>"
        let id = try log.record(AuditEvent(action: .exec, outcome: .allowed, commandLine: nasty, sourceFile: "/tmp/s.sh",
                                           line: 3, column: 7, args: ["printf", nasty, ""], executable: "/usr/bin/printf",
                                           workingDirectory: "/work/\"x\"", ruleID: "printf", reason: "harmless \\ output",
                                           limit: [("class", "rm"), ("ops", "3/100")]))
        try log.complete(id: id, exitCode: 0, signal: nil, durationNS: 1234567)
        try log.complete(id: id, exitCode: nil, signal: 9, durationNS: 5)
        let lines = readLines(path)
        XCTAssertEqual(lines.count, 3)
        let r = try XCTUnwrap(jsonObject(lines[0]), lines[0])
        XCTAssertEqual(r["process.command_line"] as? String, nasty)
        XCTAssertEqual(r["process.args"] as? [String], ["printf", nasty, ""])
        XCTAssertEqual(r["event.id"] as? String, id)
        XCTAssertEqual(r["event.action"] as? String, "exec")
        XCTAssertEqual(r["event.outcome"] as? String, "allowed")
        XCTAssertEqual(r["host.name"] as? String, "host1")
        XCTAssertEqual(r["user.name"] as? String, "agent")
        XCTAssertEqual(r["user.id"] as? String, "1000")
        XCTAssertEqual(r["session.id"] as? String, "sess1")
        XCTAssertEqual(r["process.pid"] as? Int, Int(getpid()))
        XCTAssertEqual(r["process.working_directory"] as? String, "/work/\"x\"")
        XCTAssertEqual(r["aegish.source.file"] as? String, "/tmp/s.sh")
        XCTAssertEqual(r["aegish.source.position"] as? String, "3:7")
        XCTAssertEqual(r["process.executable"] as? String, "/usr/bin/printf")
        XCTAssertEqual(r["rule.id"] as? String, "printf")
        XCTAssertEqual(r["event.reason"] as? String, "harmless \\ output")
        XCTAssertEqual(r["limit.class"] as? String, "rm")
        XCTAssertEqual(r["limit.ops"] as? String, "3/100")
        XCTAssertEqual(r["event.sequence"] as? Int, 1)
        XCTAssertEqual(r["prev_hash"] as? String, auditGenesisHash)
        let ts = try XCTUnwrap(r["@timestamp"] as? String)
        XCTAssertEqual(ts.count, 24)
        XCTAssertTrue(ts.hasSuffix("Z"))
        XCTAssertNotNil(parseRFC3339(ts))
        let c = try XCTUnwrap(jsonObject(lines[1]))
        XCTAssertEqual(c["event.id"] as? String, id)
        XCTAssertEqual(c["event.action"] as? String, "complete")
        XCTAssertEqual(c["event.outcome"] as? String, "success")
        XCTAssertEqual(c["process.exit_code"] as? Int, 0)
        XCTAssertEqual(c["event.duration"] as? Int, 1234567)
        XCTAssertEqual(c["prev_hash"] as? String, auditLineHash(lines[0]))
        XCTAssertEqual(c["event.sequence"] as? Int, 2)
        let k = try XCTUnwrap(jsonObject(lines[2]))
        XCTAssertEqual(k["event.outcome"] as? String, "failure")
        XCTAssertEqual(k["process.signal"] as? Int, 9)
        XCTAssertNil(k["process.exit_code"])
        // Our own reader agrees with Foundation.
        let mine = try XCTUnwrap(parseJSONObject(lines[0]))
        XCTAssertEqual(mine.first { $0.0 == "process.command_line" }?.1, .string(nasty))
        let report = verifyLog(path: path)
        XCTAssertTrue(report.intact, "\(report.problems)")
        XCTAssertEqual(report.records, 3)
    }

    func testFileModeAndNoSymlink() throws {
        let dir = makeTempDir(self)
        let path = dir + "/audit.log"
        let old = umask(0)
        defer { umask(old) }
        _ = try AuditLog(config: testConfig(path))
        var st = stat()
        stat(path, &st)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        symlink(dir + "/elsewhere", dir + "/link.log")
        XCTAssertThrowsError(try AuditLog(config: testConfig(dir + "/link.log"))) { e in
            XCTAssertEqual(e as? AuditError, .notRegularFile(path: dir + "/link.log"))
        }
        XCTAssertThrowsError(try AuditLog(config: testConfig("relative.log")))
    }

    /// 50 processes, each with its own AuditLog, append at once.
    func testFiftyConcurrentProcesses() throws {
        let dir = makeTempDir(self)
        let path = dir + "/audit.log"
        let procs = 50, per = 40
        var pids: [pid_t] = []
        for p in 0..<procs {
            let pid = fork()
            if pid == 0 {
                do {
                    var c = testConfig(path)
                    c.sessionID = "child\(p)"
                    let log = try AuditLog(config: c)
                    // A long argument makes a torn or interleaved write visible.
                    let pad = String(repeating: "x", count: 3000 + p * 37)
                    for i in 0..<per {
                        try log.record(AuditEvent(action: .exec, outcome: .allowed, commandLine: "cmd \(p) \(i)",
                                                  args: ["cmd", String(p), String(i), pad]))
                    }
                    _exit(0)
                } catch { _exit(1) }
            }
            pids.append(pid)
        }
        for pid in pids {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            XCTAssertEqual(status, 0)
        }
        let lines = readLines(path)
        XCTAssertEqual(lines.count, procs * per)
        var seen = Set<String>()
        for (n, l) in lines.enumerated() {
            let r = try XCTUnwrap(jsonObject(l), "line \(n + 1) is not JSON")
            let a = try XCTUnwrap(r["process.args"] as? [String])
            XCTAssertEqual(a[3].count, 3000 + Int(a[1])! * 37)
            XCTAssertEqual(r["event.sequence"] as? Int, n + 1)
            seen.insert(a[1] + "/" + a[2])
        }
        XCTAssertEqual(seen.count, procs * per)
        let report = verifyLog(path: path)
        XCTAssertTrue(report.intact, "\(report.problems)")
        XCTAssertEqual(report.records, procs * per)
    }

    /// A forked child shares its parent's AuditLog (the shell's subshells): the child must reopen,
    /// or flock would not exclude parent and child.
    func testSharedInstanceAcrossFork() throws {
        let dir = makeTempDir(self)
        let path = dir + "/audit.log"
        let log = try AuditLog(config: testConfig(path))
        try writeRecords(log, 1)
        var pids: [pid_t] = []
        for k in 0..<8 {
            let pid = fork()
            if pid == 0 {
                do { try writeRecords(log, 50, tag: "c\(k)"); _exit(0) } catch { _exit(1) }
            }
            pids.append(pid)
        }
        try writeRecords(log, 50, tag: "parent")
        for pid in pids {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            XCTAssertEqual(status, 0)
        }
        XCTAssertEqual(readLines(path).count, 1 + 9 * 50)
        let report = verifyLog(path: path)
        XCTAssertTrue(report.intact, "\(report.problems)")
    }

    func testRotationStartsNewChain() throws {
        let dir = makeTempDir(self)
        let path = dir + "/audit.log"
        let log = try AuditLog(config: testConfig(path))
        try writeRecords(log, 3)
        XCTAssertEqual(rename(path, path + ".1"), 0)
        try writeRecords(log, 2)
        XCTAssertEqual(readLines(path).count, 2)
        XCTAssertEqual(readLines(path + ".1").count, 3)
        XCTAssertTrue(verifyLog(path: path).intact)
        XCTAssertTrue(verifyLog(path: path + ".1").intact)
        XCTAssertEqual(jsonObject(readLines(path)[0])?["prev_hash"] as? String, auditGenesisHash)
    }

    func testSyslogSink() throws {
        let dir = makeTempDir(self)
        let sock = dir + "/log.sock"
        let s = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(s) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { p in
            for (k, b) in sock.utf8.enumerated() { p[k] = b }
        }
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        XCTAssertEqual(rc, 0)
        var c = testConfig(dir + "/audit.log")
        c.syslog = true
        c.syslogSocket = sock
        let log = try AuditLog(config: c)
        // A secret with letters hex digits lack: "abc" appeared by chance in the record's id or hash.
        let id = try log.record(AuditEvent(action: .exec, outcome: .denied, commandLine: "rm -rf / --token=sekritvalue", ruleID: "rm"))
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(s, &buf, buf.count, Int32(MSG_DONTWAIT))
        XCTAssertGreaterThan(n, 0)
        let msg = String(decoding: buf[0..<max(n, 0)], as: UTF8.self)
        XCTAssertTrue(msg.hasPrefix("<85>1 "), msg)  // authpriv.notice
        XCTAssertTrue(msg.contains(" host1 aegish \(getpid()) exec [aegish@32473 id=\"\(id)\""), msg)
        let line = readLines(c.path)[0]
        XCTAssertTrue(msg.contains("hash=\"\(auditLineHash(line))\""), msg)
        XCTAssertTrue(msg.contains("rule=rm"), msg)
        XCTAssertFalse(msg.contains("sekritvalue"), msg)
        // A missing socket does not fail the record.
        var c2 = testConfig(dir + "/audit2.log")
        c2.syslog = true
        c2.syslogSocket = dir + "/nothing"
        let log2 = try AuditLog(config: c2)
        XCTAssertNoThrow(try log2.record(AuditEvent(action: .cd, outcome: .allowed, filePath: "/tmp")))
    }

    func testCosts() throws {
        let dir = makeTempDir(self)
        for fsync in [false, true] {
            var c = testConfig(dir + "/cost\(fsync).log")
            c.fsync = fsync
            let t0 = nowNS()
            let log = try AuditLog(config: c)
            let t1 = nowNS()
            let n = fsync ? 200 : 5000
            let e = AuditEvent(action: .exec, outcome: .allowed, commandLine: "git status --short -- src/main.swift",
                               line: 12, column: 1, args: ["git", "status", "--short", "--", "src/main.swift"],
                               executable: "/usr/bin/git", workingDirectory: "/home/agent/project", ruleID: "git.read",
                               reason: "read-only git subcommand")
            let t2 = nowNS()
            for _ in 0..<n { try log.record(e) }
            let t3 = nowNS()
            print(String(format: "audit cost: open %.1f µs; record %.2f µs/record (fsync %@), %d records, file on %@",
                         Double(t1 - t0) / 1000, Double(t3 - t2) / 1000 / Double(n), fsync ? "on" : "off", n, dir))
        }
    }
}
