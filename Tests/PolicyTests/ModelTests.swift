import PolicyTestSupport
import XCTest
@testable import Policy

final class ModelTests: PolicyTestCase {
    func testPrecedenceDenyBeatsAskBeatsAllow() {
        let allow = Decision(.allow, rule: "a", "ok"), ask = Decision(.ask, rule: "b", "ask"), deny = Decision(.deny, rule: "c", "no")
        XCTAssertEqual(allow.combined(with: ask).ruleID, "b")
        XCTAssertEqual(ask.combined(with: deny).ruleID, "c")
        XCTAssertEqual(deny.combined(with: allow).ruleID, "c")
        XCTAssertEqual(deny.combined(with: ask).ruleID, "c")
        XCTAssertEqual(allow.combined(with: Decision(.allow, rule: "d", "")).ruleID, "a")
    }
}
