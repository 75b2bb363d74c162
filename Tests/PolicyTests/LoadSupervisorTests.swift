import PolicyTestSupport
import XCTest
import Glibc
@testable import Policy

/// [supervisor]: the keys land in SupervisorConfig, mistakes are load errors at their line, the
/// compiled-policy cache carries it, and its socket is kept from the agent like the audit log.
final class LoadSupervisorTests: PolicyTestCase {
    func load(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Policy? {
        do { return try parsePolicy(text, file: "p.toml") } catch {
            XCTFail("policy did not load: \(error)", file: file, line: line)
            return nil
        }
    }

    func assertError(_ text: String, _ l: Int, _ contains: String..., file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try parsePolicy(text, file: "p.toml")
            XCTFail("policy loaded but should not have", file: file, line: line)
        } catch let e as PolicyLoadError {
            XCTAssertEqual(e.location.line, l, "line: \(e)", file: file, line: line)
            for s in contains { XCTAssertTrue(e.message.contains(s), "message lacks \"\(s)\": \(e)", file: file, line: line) }
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    func testNoTableMeansNoSupervisor() {
        XCTAssertNil(load("[policy]\nname = \"x\"\n")?.supervisor)
    }

    func testSocketWithDefaults() throws {
        let p = try XCTUnwrap(load("[supervisor]\nsocket = \"/run/aegish/supervisor.sock\"\n"))
        XCTAssertEqual(p.supervisor, SupervisorConfig(socket: "/run/aegish/supervisor.sock", timeout: 60, uid: 0))
        XCTAssertEqual(p.supervisor?.supervisorDescription, "root (uid 0)")
    }

    func testEveryKey() throws {
        let p = try XCTUnwrap(load("[supervisor]\nsocket = \"/run/s.sock\"\ntimeout = 5\nuid = 1234\n"))
        XCTAssertEqual(p.supervisor?.timeout, 5)
        XCTAssertEqual(p.supervisor?.uid, 1234)
        XCTAssertEqual(p.supervisor?.supervisorDescription, "uid 1234")
        let named = try XCTUnwrap(load("[supervisor]\nsocket = \"/run/s.sock\"\nuid = \"root\"\n"))
        XCTAssertEqual(named.supervisor?.uid, 0)
        XCTAssertEqual(named.supervisor?.userName, "root")
        let tty = try XCTUnwrap(load("[supervisor]\nterminal = true\ntimeout = 30\n"))
        XCTAssertEqual(tty.supervisor, SupervisorConfig(socket: nil, timeout: 30, uid: 0, terminal: true))
    }

    func testMistakes() {
        assertError("[supervisor]\nsocket = \"run/s.sock\"\n", 2, "relative")
        assertError("[supervisor]\nsocket = \"~/s.sock\"\n", 2, "not expanded")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\ntimeout = 0\n", 3, "1 to 3600")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\ntimeout = \"60\"\n", 3, "integer")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\nuid = \"no-such-user-aegish\"\n", 3, "no user named")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\nuid = -1\n", 3, "not a valid uid")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\nterminal = \"yes\"\n", 3, "true or false")
        assertError("[supervisor]\ntimeout = 10\n", 1, "needs socket")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\nterminal = true\n", 3, "not both")
        assertError("[supervisor]\nsocket = \"/run/s.sock\"\nuser = \"root\"\n", 3, "unknown key \"user\"", "uid =")
        assertError("[[supervisor]]\nsocket = \"/run/s.sock\"\n", 1, "single [supervisor]")
    }

    func testSocketIsAnEnforcementPath() throws {
        let p = try XCTUnwrap(load("[supervisor]\nsocket = \"/run/aegish/supervisor.sock\"\n"))
        XCTAssertTrue(p.enforcementPaths.contains("/run/aegish/supervisor.sock"))
    }

    func testCacheRoundTrip() throws {
        var p = Policy()
        p.supervisor = SupervisorConfig(socket: "/run/s.sock", timeout: 7, uid: 42, userName: "sup", terminal: false)
        XCTAssertEqual(try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p))).supervisor, p.supervisor)
        p.supervisor = SupervisorConfig(socket: nil, timeout: 60, uid: 0, terminal: true)
        XCTAssertEqual(try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p))).supervisor, p.supervisor)
        p.supervisor = nil
        XCTAssertNil(try XCTUnwrap(decodeCachedPolicy(encodeCachedPolicy(p))).supervisor)
    }
}
