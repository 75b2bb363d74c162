import Foundation
import Glibc
import XCTest
@testable import Audit

final class VerifyTests: XCTestCase {
    /// A log of n records, returned with its path.
    func makeLog(_ n: Int) throws -> String {
        let path = makeTempDir(self) + "/audit.log"
        let log = try AuditLog(config: testConfig(path))
        try writeRecords(log, n)
        return path
    }

    func testIntact() throws {
        let path = try makeLog(10)
        let r = verifyLog(path: path)
        XCTAssertTrue(r.intact)
        XCTAssertEqual(r.records, 10)
        XCTAssertEqual(r.lastSequence, 10)
        XCTAssertEqual(r.lastHash, auditLineHash(readLines(path)[9]))
        XCTAssertTrue(r.notes.isEmpty)
    }

    func testTornRecordIsRepairedAndChainContinues() throws {
        let path = try makeLog(5)
        let lines = readLines(path)
        let sizeBefore = lines.reduce(0) { $0 + $1.utf8.count + 1 }
        // A record cut short mid-write (kill -9 or power loss).
        appendBytes(path, String(lines[4].prefix(70)))
        var r = verifyLog(path: path)
        XCTAssertTrue(r.intact, "\(r.problems)")
        XCTAssertEqual(r.notes.map(\.kind), [.tornTail])
        XCTAssertEqual(r.notes.first?.line, 6)
        // The next writer terminates the fragment and records a repair chained to line 5.
        let log = try AuditLog(config: testConfig(path))
        try writeRecords(log, 3, tag: "after")
        let after = readLines(path)
        XCTAssertEqual(after.count, 5 + 1 + 1 + 3)
        let repair = try XCTUnwrap(jsonObject(after[6]))
        XCTAssertEqual(repair["event.action"] as? String, "log.repair")
        XCTAssertEqual(repair["repair.offset"] as? Int, sizeBefore)
        XCTAssertEqual(repair["repair.length"] as? Int, 70)
        XCTAssertEqual(repair["prev_hash"] as? String, auditLineHash(lines[4]))
        XCTAssertEqual(repair["event.sequence"] as? Int, 6)
        r = verifyLog(path: path)
        XCTAssertTrue(r.intact, "\(r.problems)")
        XCTAssertEqual(r.notes.map(\.kind), [.repaired])
        XCTAssertEqual(r.notes.first?.line, 6)
        XCTAssertEqual(r.records, 9)
        // A second crash later is handled the same way.
        appendBytes(path, "{\"@timestamp\":\"2")
        try writeRecords(log, 1, tag: "again")
        r = verifyLog(path: path)
        XCTAssertTrue(r.intact, "\(r.problems)")
        XCTAssertEqual(r.notes.map(\.line), [6, 11])
    }

    func testRecordMissingOnlyItsNewline() throws {
        let path = try makeLog(3)
        let lines = readLines(path)
        // Truncate the final newline: the last record is whole.
        XCTAssertEqual(truncate(path, off_t(lines.reduce(0) { $0 + $1.utf8.count + 1 } - 1)), 0)
        let log = try AuditLog(config: testConfig(path))
        try writeRecords(log, 2)
        XCTAssertEqual(readLines(path).count, 5)
        let r = verifyLog(path: path)
        XCTAssertTrue(r.intact, "\(r.problems)")
        XCTAssertTrue(r.notes.isEmpty)
    }

    func testEditedRecord() throws {
        let path = try makeLog(10)
        var lines = readLines(path)
        lines[3] = lines[3].replacingOccurrences(of: "\"echo r 3\"", with: "\"echo r 4\"")
        writeLines(path, lines)
        let r = verifyLog(path: path)
        XCTAssertFalse(r.intact)
        let p = try XCTUnwrap(r.firstProblem)
        XCTAssertEqual(p.kind, .edited)
        XCTAssertEqual(p.line, 4)
        XCTAssertEqual(p.eventID, jsonObject(lines[3])?["event.id"] as? String)
        XCTAssertEqual(r.problems.count, 1, "\(r.problems)")
    }

    func testEditedRecordNoLongerJSON() throws {
        let path = try makeLog(10)
        var lines = readLines(path)
        lines[2] = String(lines[2].dropLast(2))
        writeLines(path, lines)
        let r = verifyLog(path: path)
        XCTAssertEqual(r.firstProblem?.kind, .malformed)
        XCTAssertEqual(r.firstProblem?.line, 3)
        XCTAssertEqual(r.problems.count, 1, "\(r.problems)")
    }

    func testDeletedRecord() throws {
        let path = try makeLog(10)
        var lines = readLines(path)
        lines.remove(at: 4)
        writeLines(path, lines)
        let r = verifyLog(path: path)
        let p = try XCTUnwrap(r.firstProblem)
        XCTAssertEqual(p.kind, .deleted)
        XCTAssertEqual(p.line, 5)
        XCTAssertEqual(p.sequence, 5)
        XCTAssertTrue(p.message.contains("between line 4 and line 5"), p.message)
        XCTAssertEqual(r.problems.count, 1, "\(r.problems)")
    }

    func testDeletedFirstRecordsAndRange() throws {
        let path = try makeLog(10)
        var lines = readLines(path)
        lines.removeSubrange(0..<2)
        lines.removeSubrange(3..<6)
        writeLines(path, lines)
        let r = verifyLog(path: path)
        XCTAssertEqual(r.problems.map(\.kind), [.deleted, .deleted], "\(r.problems)")
        XCTAssertEqual(r.problems.map(\.line), [1, 4])
        XCTAssertTrue(r.problems[1].message.contains("3 records (6…8)"), r.problems[1].message)
    }

    func testSwappedRecords() throws {
        let path = try makeLog(10)
        var lines = readLines(path)
        lines.swapAt(5, 6)
        writeLines(path, lines)
        let r = verifyLog(path: path)
        let p = try XCTUnwrap(r.firstProblem)
        XCTAssertEqual(p.kind, .reordered)
        XCTAssertEqual(p.line, 6)
        XCTAssertEqual(r.problems.count, 1, "\(r.problems)")
    }

    func testMovedRecord() throws {
        let path = try makeLog(12)
        var lines = readLines(path)
        let moved = lines.remove(at: 2)
        lines.insert(moved, at: 8)
        writeLines(path, lines)
        let r = verifyLog(path: path)
        XCTAssertEqual(r.firstProblem?.kind, .reordered)
        XCTAssertEqual(r.firstProblem?.line, 3)
    }

    func testTruncatedInTheMiddleIsNotARepairedCrash() throws {
        // A fragment in the middle that no repair record explains is tampering.
        let path = try makeLog(6)
        var lines = readLines(path)
        lines[3] = String(lines[3].prefix(40))
        writeLines(path, lines)
        let r = verifyLog(path: path)
        XCTAssertEqual(r.firstProblem?.kind, .malformed)
        XCTAssertEqual(r.firstProblem?.line, 4)
    }

    func testThroughput() throws {
        let dir = makeTempDir(self)
        let path = dir + "/big.log"
        let log = try AuditLog(config: testConfig(path))
        let pad = String(repeating: "a", count: 200)
        let t0 = nowNS()
        for i in 0..<40_000 {
            try log.record(AuditEvent(action: .exec, outcome: .allowed, commandLine: "cmd \(i) \(pad)",
                                      args: ["cmd", String(i), pad], executable: "/usr/bin/cmd", ruleID: "r"))
        }
        let t1 = nowNS()
        let r = verifyLog(path: path)
        XCTAssertTrue(r.intact)
        XCTAssertEqual(r.records, 40_000)
        print(String(format: "verify: %.1f MB in %.3f s = %.0f MB/s (%d records, %.0f records/s); writing took %.2f µs/record",
                     Double(r.bytes) / 1_048_576, r.seconds, r.megabytesPerSecond, r.records,
                     Double(r.records) / r.seconds, Double(t1 - t0) / 1000 / 40_000))
    }
}
