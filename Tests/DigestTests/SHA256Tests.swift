import Digest
import XCTest

/// FIPS 180-2 test vectors, and the same digest however the input is split.
final class SHA256Tests: XCTestCase {
    func hex(_ parts: [[UInt8]]) -> String {
        var h = SHA256()
        for p in parts { h.update(data: p) }
        return hexString(h.finalize())
    }

    func testKnownVectors() {
        XCTAssertEqual(hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hex([Array("abc".utf8)]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex([Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)]),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(hex(Array(repeating: Array(repeating: UInt8(ascii: "a"), count: 1000), count: 1000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testSplitsAndBufferUpdatesAgree() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let whole = hex([data])
        XCTAssertEqual(hex([Array(data[..<1]), Array(data[1..<64]), Array(data[64..<65]), Array(data[65...])]), whole)
        var h = SHA256()
        data.withUnsafeBytes { h.update(bufferPointer: $0) }
        XCTAssertEqual(hexString(h.finalize()), whole)
        var s = SHA256()
        s.update(data: data[10...])   // a slice (contiguous, not starting at 0)
        XCTAssertEqual(hexString(s.finalize()), hex([Array(data[10...])]))
    }
}
