import Glibc
import XCTest
@testable import Audit

/// The record timestamp is computed without gmtime_r (which reads /etc/localtime); it must agree
/// with gmtime_r everywhere, and parseRFC3339 must read it back.
final class TimeAndIDTests: XCTestCase {
    private func viaGmtime(_ seconds: Int, _ millis: Int) -> String {
        var t = time_t(seconds)
        var tm = Glibc.tm()
        gmtime_r(&t, &tm)
        func p(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let ms = String(millis)
        return "\(p(tm.tm_year + 1900, 4))-\(p(tm.tm_mon + 1, 2))-\(p(tm.tm_mday, 2))T\(p(tm.tm_hour, 2)):\(p(tm.tm_min, 2)):\(p(tm.tm_sec, 2))."
            + String(repeating: "0", count: 3 - ms.count) + ms + "Z"
    }

    func testTimestampsAgreeWithGmtime() {
        var cases = [0, 59, 60, 86399, 86400, 951_782_400, 951_868_799, 951_868_800, 1_709_164_800, 1_709_251_199,
                     4_102_444_800, 253_402_300_799, 1_796_000_000, 1_000_000_000, 68_169_600, 946_684_799]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {   // years 1970–9999, deterministic pseudo-random
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            cases.append(Int(x >> 28) % 253_402_300_800)
        }
        for s in cases {
            let ms = s % 1000
            XCTAssertEqual(rfc3339(seconds: s, millis: ms), viaGmtime(s, ms), "at \(s)")
            XCTAssertEqual(parseRFC3339(rfc3339(seconds: s, millis: ms)), Int64(s) * 1000 + Int64(ms))
        }
    }

    func testRandomIDsAreHexOfTheRightLengthAndDiffer() {
        let a = randomHex(bytes: 16), b = randomHex(bytes: 16)
        XCTAssertEqual(a.utf8.count, 32)
        XCTAssertTrue(a.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }, a)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(randomHex(bytes: 3).utf8.count, 6)
    }
}
