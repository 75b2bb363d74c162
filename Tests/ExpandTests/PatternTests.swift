import XCTest
@testable import Expand
