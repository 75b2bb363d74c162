import Policy
import TOMLRead
import XCTest

/// Base class of the tests that load policies: they parse TOML in-process (the shell runs the
/// aegish-toml helper instead, which an xctest binary does not have beside it).
open class PolicyTestCase: XCTestCase {
    override open class func setUp() {
        super.setUp()
        TOMLParser.inProcess = readTOMLThrowing
    }
}
