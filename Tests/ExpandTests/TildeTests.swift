import XCTest
import Glibc
@testable import Expand

final class TildeTests: XCTestCase {
    func testTilde() {
        XCTAssertEqual(expandTilde("", home: "/h"), "/h")
        XCTAssertEqual(expandTilde("", home: ""), "")
        XCTAssertEqual(expandTilde("", home: nil), getpwuidDir())   // HOME unset: passwd entry
        XCTAssertEqual(expandTilde("root", home: "/h"), "/root")
        XCTAssertNil(expandTilde("no_such_user_aegish", home: "/h"))
        XCTAssertEqual(expandTilde("+", home: nil, pwd: "/p", oldpwd: "/o"), "/p")
        XCTAssertEqual(expandTilde("-", home: nil, pwd: "/p", oldpwd: "/o"), "/o")
        XCTAssertNil(expandTilde("+", home: nil, pwd: nil, oldpwd: nil))
        XCTAssertNil(expandTilde("-", home: nil))
        XCTAssertNil(expandTilde("+1", home: nil, pwd: "/p"))
    }

    func getpwuidDir() -> String? {
        guard let pw = getpwuid(getuid()) else { return nil }
        return String(cString: pw.pointee.pw_dir)
    }
}
