import Foundation
import Glibc
import XCTest
@testable import Audit

final class FailureTests: XCTestCase {
    func testMissingDirectory() {
        let path = makeTempDir(self) + "/no/such/dir/audit.log"
        XCTAssertThrowsError(try AuditLog(config: testConfig(path))) { e in
            XCTAssertEqual(e as? AuditError, .directoryMissing(path: path))
            XCTAssertTrue("\(e)".contains("does not exist; create it"), "\(e)")
        }
    }

    func testDirectoryRemovedAfterOpen() throws {
        let dir = makeTempDir(self)
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: false)
        let path = dir + "/logs/audit.log"
        let log = try AuditLog(config: testConfig(path))
        try writeRecords(log, 1)
        try FileManager.default.removeItem(atPath: dir + "/logs")
        XCTAssertThrowsError(try log.record(AuditEvent(action: .exec, outcome: .allowed))) { e in
            XCTAssertEqual(e as? AuditError, .directoryMissing(path: path))
        }
    }

    func testPermissionDeniedAsAnotherUser() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to setuid") }
        let dir = makeTempDir(self)
        chmod(dir, 0o755)
        let path = dir + "/audit.log"
        _ = try AuditLog(config: testConfig(path))  // root's file, 0600
        let status = inChild {
            guard setgid(65534) == 0, setuid(65534) == 0 else { return 99 }
            do {
                _ = try AuditLog(config: testConfig(path))
                return 0
            } catch let e as AuditError {
                if case .permissionDenied = e, "\(e)".contains("permission denied") { return 10 }
                return 11
            } catch { return 12 }
        }
        XCTAssertEqual(status, 10)
        // Unwritable directory.
        let status2 = inChild {
            guard setgid(65534) == 0, setuid(65534) == 0 else { return 99 }
            do { _ = try AuditLog(config: testConfig(dir + "/new.log")); return 0 } catch let e as AuditError {
                if case .permissionDenied = e { return 10 }
                return 11
            } catch { return 12 }
        }
        XCTAssertEqual(status2, 10)
    }

    func testNotARegularFile() {
        XCTAssertThrowsError(try AuditLog(config: testConfig("/dev/full"))) { e in
            XCTAssertEqual(e as? AuditError, .notRegularFile(path: "/dev/full"))
        }
        let dir = makeTempDir(self)
        XCTAssertThrowsError(try AuditLog(config: testConfig(dir))) { e in
            XCTAssertNotNil(e as? AuditError, "\(e)")
        }
    }

    /// A full file system: the failing record throws .diskFull and leaves no partial line.
    func testDiskFullOnTmpfs() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to mount tmpfs") }
        let dir = makeTempDir(self)
        let mnt = dir + "/mnt"
        mkdir(mnt, 0o700)
        guard mount("tmpfs", mnt, "tmpfs", 0, "size=64k") == 0 else { throw XCTSkip("mount tmpfs: \(String(cString: strerror(errno)))") }
        defer { umount(mnt) }
        let path = mnt + "/audit.log"
        let log = try AuditLog(config: testConfig(path))
        let big = String(repeating: "z", count: 1500)
        var failure: Error?
        for i in 0..<200 {
            do {
                try log.record(AuditEvent(action: .exec, outcome: .allowed, commandLine: "cmd \(i)", args: ["cmd", big]))
            } catch { failure = error; break }
        }
        let e = try XCTUnwrap(failure as? AuditError, "64k tmpfs never filled up")
        XCTAssertEqual(e, .diskFull(path: path))
        XCTAssertTrue("\(e)".contains("no space left"), "\(e)")
        let r = verifyLog(path: path)
        XCTAssertTrue(r.intact, "\(r.problems)")
        XCTAssertTrue(r.notes.isEmpty, "partial record left behind: \(r.notes)")
        // With fsync on too.
        var c = testConfig(path)
        c.fsync = true
        let log2 = try AuditLog(config: c)
        XCTAssertThrowsError(try log2.record(AuditEvent(action: .exec, outcome: .allowed, args: [big])))
        XCTAssertTrue(verifyLog(path: path).intact)
    }

    func testLockTimeout() throws {
        let dir = makeTempDir(self)
        let path = dir + "/audit.log"
        var c = testConfig(path)
        c.lockTimeoutMS = 50
        let log = try AuditLog(config: c)
        let holder = open(path, O_RDONLY)
        defer { close(holder) }
        XCTAssertEqual(flock(holder, LOCK_EX), 0)
        XCTAssertThrowsError(try log.record(AuditEvent(action: .exec, outcome: .allowed))) { e in
            XCTAssertEqual(e as? AuditError, .lockTimeout(path: path, milliseconds: 50))
        }
        flock(holder, LOCK_UN)
        XCTAssertNoThrow(try log.record(AuditEvent(action: .exec, outcome: .allowed)))
    }

    func testBadRedactPattern() {
        var c = testConfig("/tmp/x.log")
        c.redactPatterns = ["(unclosed"]
        XCTAssertThrowsError(try AuditLog(config: c)) { e in
            guard case .badConfig(let m)? = e as? AuditError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("(unclosed"), m)
        }
    }
}
