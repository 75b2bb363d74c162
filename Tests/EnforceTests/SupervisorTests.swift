import PolicyTestSupport
import XCTest
import Foundation
import Glibc
import CSys
import Interp
import Policy
@testable import Enforce

/// The supervisor protocol and SupervisorClient against an in-process supervisor: answers, the
/// uid check (SO_PEERCRED), timeouts, broken and malformed answers — every failure refuses.
final class SupervisorTests: PolicyTestCase {
    var dir = ""

    override func setUp() {
        var template = Array("/tmp/aegish-sup-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&template)!)
    }

    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func question(_ id: String = "q1") -> SupervisorQuestion {
        SupervisorQuestion(id: id, session: "s", user: "alice", uid: 1000, host: "box", pid: 42, tty: nil, cwd: "/w",
                           action: "exec", command: "rm -rf \"build\"\nnext", argv: ["rm", "-rf", "build"],
                           path: "/usr/bin/rm", rule: "rm", reason: "deletes", timeout: 60)
    }

    func testQuestionRoundTrip() {
        let q = question()
        XCTAssertEqual(SupervisorQuestion(decoding: q.encoded()), q)
        XCTAssertFalse(q.encoded().contains("\n"))
        var t = q
        t.tty = "/dev/pts/1"
        XCTAssertEqual(SupervisorQuestion(decoding: t.encoded()), t)
        XCTAssertNil(SupervisorQuestion(decoding: "{\"type\":\"ask\",\"version\":2}"))
        XCTAssertNil(SupervisorQuestion(decoding: q.encoded().replacingOccurrences(of: "\"uid\":1000", with: "\"uid\":\"1000\"")))
        XCTAssertNil(SupervisorQuestion(decoding: "not json"))
    }

    func testAnswerRoundTripAndMeaning() {
        let a = SupervisorAnswer(id: "q1", decision: .deny, reason: "use staging", by: "bob")
        XCTAssertEqual(SupervisorAnswer(decoding: a.encoded()), a)
        XCTAssertEqual(a.approval, .deny(reason: "use staging"))
        XCTAssertEqual(SupervisorAnswer(id: "x", decision: .allow).approval, .allowOnce)
        XCTAssertEqual(SupervisorAnswer(id: "x", decision: .allowSession).approval, .allowForSession)
        XCTAssertEqual(SupervisorAnswer(id: "x", decision: .deny, reason: "").approval, .deny(reason: nil))
        XCTAssertNil(SupervisorAnswer(decoding: "{\"id\":\"x\",\"decision\":\"yes\"}"))
        XCTAssertNil(SupervisorAnswer(decoding: "{\"decision\":\"allow\"}"))
    }

    /// Serves one connection on `path`: reads the question, then `reply` says what to write.
    func serve(_ path: String, reply: @escaping (SupervisorQuestion?) -> String?) -> Thread {
        let listener = aegish_unix_listen(path, 4)
        XCTAssertGreaterThanOrEqual(listener, 0)
        let t = Thread {
            let c = aegish_unix_accept(listener)
            var bytes: [UInt8] = []
            var b: UInt8 = 0
            while read(c, &b, 1) == 1 && b != 0x0A { bytes.append(b) }
            let q = SupervisorQuestion(decoding: String(decoding: bytes, as: UTF8.self))
            if let line = reply(q) {
                let out = Array((line + "\n").utf8)
                _ = out.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
            } else {
                usleep(1_500_000)
            }
            close(c)
            close(listener)
        }
        t.start()
        return t
    }

    func client(_ path: String, uid: UInt32 = getuid(), timeout: Int = 5) -> SupervisorClient {
        SupervisorClient(config: SupervisorConfig(socket: path, timeout: timeout, uid: uid), socket: path,
                         session: "sess", user: "alice", host: "box", tty: nil)
    }

    func ask(_ c: SupervisorClient) -> ApprovalAnswer {
        let r = GateRequest(action: .exec, argv: ["rm", "x"], path: "/usr/bin/rm", cwd: "/w", environment: [], pos: .none,
                            sourceLine: "rm x")
        return c.approve(ApprovalRequest(request: r, rule: "rm", reason: "rm: deletes"))
    }

    func testAnswersAreObeyedAndTheQuestionIsComplete() {
        let path = dir + "/a.sock"
        var seen: SupervisorQuestion? = nil
        _ = serve(path) { q in seen = q; return q.map { SupervisorAnswer(id: $0.id, decision: .deny, reason: "no", by: "bob").encoded() } }
        let c = client(path)
        XCTAssertEqual(ask(c), .deny(reason: "no"))
        XCTAssertEqual(seen?.command, "rm x")
        XCTAssertEqual(seen?.reason, "deletes")   // the rule id is sent separately
        XCTAssertEqual(seen?.session, "sess")
        XCTAssertEqual(seen?.pid, getpid())
        XCTAssertTrue(c.answeredBy?.hasPrefix("supervisor uid \(getuid()) pid \(getpid()) (bob)") ?? false, c.answeredBy ?? "nil")

        let p2 = dir + "/b.sock"
        _ = serve(p2) { q in q.map { SupervisorAnswer(id: $0.id, decision: .allowSession).encoded() } }
        XCTAssertEqual(ask(client(p2)), .allowForSession)
    }

    func testWrongUIDIsRefusedBeforeAsking() {
        let path = dir + "/impostor.sock"
        var asked = false
        let t = serve(path) { q in asked = q != nil; return q.map { SupervisorAnswer(id: $0.id, decision: .allow).encoded() } }
        guard case .unavailable(let why) = ask(client(path, uid: getuid() &+ 1)) else { return XCTFail("not refused") }
        XCTAssertTrue(why.contains("runs as uid \(getuid())"), why)
        while t.isExecuting { usleep(10_000) }
        XCTAssertFalse(asked, "the question was sent to a supervisor with the wrong uid")
    }

    func testFailuresRefuse() {
        guard case .unavailable(let none) = ask(client(dir + "/missing.sock")) else { return XCTFail() }
        XCTAssertTrue(none.contains("no supervisor is listening"), none)

        let p1 = dir + "/other-id.sock"
        _ = serve(p1) { _ in SupervisorAnswer(id: "another", decision: .allow).encoded() }
        guard case .unavailable(let wrongID) = ask(client(p1)) else { return XCTFail() }
        XCTAssertTrue(wrongID.contains("could not be understood"), wrongID)

        let p2 = dir + "/garbage.sock"
        _ = serve(p2) { _ in "allow" }
        guard case .unavailable = ask(client(p2)) else { return XCTFail() }

        let p3 = dir + "/silent.sock"
        _ = serve(p3) { _ in nil }
        let t0 = Date()
        guard case .unavailable(let late) = ask(client(p3, timeout: 1)) else { return XCTFail() }
        XCTAssertTrue(late.contains("did not answer within 1 s") || late.contains("closed the connection"), late)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 3)
    }

    func testUnanswerable() {
        let a = Unanswerable(reason: "the policy asks on the terminal, and standard input is not a terminal")
        XCTAssertEqual(ask2(a), .unavailable(reason: "the policy asks on the terminal, and standard input is not a terminal"))
        XCTAssertNil(a.answeredBy)
    }

    func ask2(_ a: Approver) -> ApprovalAnswer {
        let r = GateRequest(action: .cd, argv: [], path: "/x", cwd: "/", environment: [], pos: .none)
        return a.approve(ApprovalRequest(request: r, rule: "r", reason: "why"))
    }
}
