import XCTest
@testable import Scan
final class PlaceholderTests: XCTestCase { func testNothing() {} }
