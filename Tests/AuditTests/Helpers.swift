import Foundation
import Glibc
import XCTest
@testable import Audit

/// A fresh temporary directory, removed by the test's teardown block.
func makeTempDir(_ test: XCTestCase) -> String {
    var template = Array("/tmp/aegish-audit-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let dir = String(cString: p!)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

func testConfig(_ path: String) -> AuditConfig {
    var c = AuditConfig(path: path)
    c.hostName = "host1"
    c.userName = "agent"
    c.userID = 1000
    c.sessionID = "sess1"
    c.tty = nil
    return c
}

func readLines(_ path: String) -> [String] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines
}

func writeLines(_ path: String, _ lines: [String]) {
    let text = lines.joined(separator: "\n") + "\n"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

func appendBytes(_ path: String, _ s: String) {
    let h = FileHandle(forWritingAtPath: path)!
    h.seekToEndOfFile()
    h.write(Data(s.utf8))
    h.closeFile()
}

func jsonObject(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

/// Writes `n` simple exec records.
func writeRecords(_ log: AuditLog, _ n: Int, tag: String = "r") throws {
    for i in 0..<n {
        try log.record(AuditEvent(action: .exec, outcome: i % 3 == 0 ? .denied : .allowed,
                                  commandLine: "echo \(tag) \(i)", line: i + 1, column: 1,
                                  args: ["echo", tag, String(i)], executable: "/bin/echo", ruleID: "rule.\(i % 4)"))
    }
}

/// Runs `body` in a forked child; returns its exit status (or 128+signal).
func inChild(_ body: () -> Int32) -> Int32 {
    let pid = fork()
    if pid == 0 { _exit(body()) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    if status & 0x7f == 0 { return (status >> 8) & 0xff }
    return 128 + (status & 0x7f)
}

func nowNS() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
