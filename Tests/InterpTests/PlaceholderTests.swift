import XCTest
@testable import Interp
final class InterpPlaceholderTests: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
