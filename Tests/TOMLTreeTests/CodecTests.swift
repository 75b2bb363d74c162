import TOMLRead
import TOMLTree
import XCTest

/// The binary form between aegish-toml and the shell: what TOMLKit parsed arrives unchanged, and
/// anything malformed is an error (the shell then refuses the policy), never a partial document.
final class CodecTests: XCTestCase {
    let sample = """
        title = "t"
        n = -42
        big = 9223372036854775807
        pi = 3.5
        yes = true
        when = 1979-05-27
        at = 07:32:00
        stamp = 1979-05-27T07:32:00Z
        list = ["a", "ü", ""]
        [policy]
        name = "x"
        zeta = 1
        alpha = 2
        [[command]]
        names = ["ls"]
        env = { A = "1" }
        [[command]]
        names = []
        """

    func parsed() throws -> TOMLTable { try readTOML(sample).get() }

    func testRoundTripKeepsEveryValueAndKeyOrder() throws {
        let t = try parsed()
        let back = try TOMLCodec.decode(TOMLCodec.encode(.success(t))).get()
        XCTAssertEqual(back.keys, t.keys)
        XCTAssertEqual(back["title"]?.string, "t")
        XCTAssertEqual(back["n"]?.int, -42)
        XCTAssertEqual(back["big"]?.int, Int.max)
        XCTAssertEqual(back["pi"]?.double, 3.5)
        XCTAssertEqual(back["yes"]?.bool, true)
        XCTAssertEqual(back["when"]?.type, .date)
        XCTAssertEqual(back["at"]?.type, .time)
        XCTAssertEqual(back["stamp"]?.type, .dateTime)
        XCTAssertEqual(back["list"]?.array?.map { $0.string }, ["a", "ü", ""])
        XCTAssertEqual(back["policy"]?.table?.keys, t["policy"]?.table?.keys)
        XCTAssertEqual(back["policy"]?.table?["alpha"]?.int, 2)
        let commands = back["command"]?.array
        XCTAssertEqual(commands?.count, 2)
        XCTAssertEqual(commands?[0].table?["env"]?.table?["A"]?.string, "1")
        XCTAssertEqual(commands?[1].table?["names"]?.array?.count, 0)
        XCTAssertNil(back["missing"])
        XCTAssertNil(back["n"]?.string, "no conversion between kinds")
    }

    func testSyntaxErrorRoundTrip() throws {
        guard case .failure(let e) = readTOML("[policy]\nname = \"x\"\ndefault = \n") else {
            return XCTFail("invalid TOML accepted")
        }
        XCTAssertEqual(e.line, 3)
        XCTAssertEqual(e.column, 11)
        guard case .failure(let back) = try TOMLCodec.decode(TOMLCodec.encode(.failure(e))) else {
            return XCTFail("error decoded as a document")
        }
        XCTAssertEqual(back.line, 3)
        XCTAssertEqual(back.column, 11)
        XCTAssertEqual(back.description, e.description)
    }

    func testEveryTruncationIsAnError() throws {
        let bytes = TOMLCodec.encode(.success(try parsed()))
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try TOMLCodec.decode(Array(bytes[0..<n])), "prefix of \(n) bytes")
        }
        XCTAssertThrowsError(try TOMLCodec.decode(bytes + [0]), "trailing byte")
    }

    func testMalformedInputs() {
        let cases: [(String, [UInt8])] = [
            ("bad magic", Array("AGT2Kt".utf8) + [0, 0, 0, 0]),
            ("unknown kind", Array("AGT1X".utf8)),
            ("document not a table", Array("AGT1Ks".utf8) + [0, 0, 0, 0]),
            ("count beyond the input", Array("AGT1Kt".utf8) + [255, 255, 255, 255]),
            ("array count beyond the input", Array("AGT1Kt".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 0x61, 0x61, 255, 255, 255, 0]),
            ("unknown value tag", Array("AGT1Kt".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 0x61, 0x3f]),
            ("boolean not 0 or 1", Array("AGT1Kt".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 0x61, 0x62, 2]),
            ("invalid UTF-8", Array("AGT1Kt".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 0x61, 0x73, 1, 0, 0, 0, 0xff]),
            ("invalid UTF-8 in a key", Array("AGT1Kt".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 0xc3, 0x62, 1]),
            ("duplicate key", Array("AGT1Kt".utf8) + [2, 0, 0, 0] + [1, 0, 0, 0, 0x61, 0x62, 1] + [1, 0, 0, 0, 0x61, 0x62, 0]),
        ]
        for (what, bytes) in cases {
            XCTAssertThrowsError(try TOMLCodec.decode(bytes), what)
        }
    }

    func testDeepNestingIsRefusedWithoutExhaustingTheStack() {
        // 100,000 nested one-element arrays: an error, not a crash.
        var bytes = Array("AGT1Kt".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 0x61]
        for _ in 0..<100_000 { bytes += [0x61, 1, 0, 0, 0] }
        bytes += [0x62, 1]
        XCTAssertThrowsError(try TOMLCodec.decode(bytes)) { e in
            XCTAssertTrue("\(e)".contains("nested too deeply"), "\(e)")
        }
    }
}
