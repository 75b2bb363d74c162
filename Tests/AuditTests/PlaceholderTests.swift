import XCTest
@testable import Audit
final class AuditPlaceholderTests: XCTestCase { func testModuleBuilds() { XCTAssertTrue(true) } }
