import Foundation
import Glibc
import XCTest
@testable import Audit

/// user.name comes from /etc/passwd read directly (NSS only for users it does not list).
final class UserNameTests: XCTestCase {
    func testPasswdFileLookup() throws {
        let path = makeTempDir(self) + "/passwd"
        let text = """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            agent:x:10:10::/home/agent:/bin/sh
            :x:11:11::/:/bin/sh
            short:x
            uidonly:x:12
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(passwdFileUserName(uid: 0, file: path), "root")
        XCTAssertEqual(passwdFileUserName(uid: 1, file: path), "daemon")
        XCTAssertEqual(passwdFileUserName(uid: 10, file: path), "agent")   // not "daemon" (uid 1 is a prefix)
        XCTAssertNil(passwdFileUserName(uid: 11, file: path))              // empty name
        XCTAssertEqual(passwdFileUserName(uid: 12, file: path), "uidonly") // no fields after the uid
        XCTAssertEqual(passwdFileUserName(uid: 65534, file: path), "nobody")  // last line, no newline
        XCTAssertNil(passwdFileUserName(uid: 4242, file: path))
        XCTAssertNil(passwdFileUserName(uid: 0, file: path + ".missing"))
        // The real one agrees with NSS for root.
        XCTAssertEqual(userName(uid: 0), "root")
    }
}
