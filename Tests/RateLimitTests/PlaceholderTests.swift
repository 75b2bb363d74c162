import XCTest
@testable import RateLimit
final class RateLimitPlaceholderTests: XCTestCase { func testModuleBuilds() { XCTAssertTrue(true) } }
