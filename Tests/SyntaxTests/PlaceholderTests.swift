import XCTest
@testable import Syntax
final class SyntaxPlaceholderTests: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
