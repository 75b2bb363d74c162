import XCTest
@testable import Expand
final class ExpandPlaceholderTests: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
