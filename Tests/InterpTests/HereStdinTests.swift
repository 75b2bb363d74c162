import XCTest
import Glibc
import Syntax
@testable import Interp

/// GateRequest.stdinText: the here-document or here-string an exec reads on descriptor 0, so code
/// fed to an interpreter that way can be scanned — and only while descriptor 0 is still that text.
final class HereStdinTests: XCTestCase {
    func stdinTexts(_ source: String) throws -> [String?] {
        let gate = RecordingGate()
        let shell = Shell(gate: gate, environment: ["PATH=/usr/bin:/bin"])
        let saved1 = dup(1), saved2 = dup(2)
        let null = open("/dev/null", O_WRONLY)
        dup2(null, 1); dup2(null, 2); close(null)
        defer { dup2(saved1, 1); dup2(saved2, 2); close(saved1); close(saved2) }
        _ = shell.runProgram(try parseScript(source))
        return gate.requests.filter { $0.action == .exec }.map(\.stdinText)
    }

    func testHereDocumentAndHereString() throws {
        XCTAssertEqual(try stdinTexts("cat - <<'EOF'\nprint('hi')\nEOF\n"), ["print('hi')\n"])
        XCTAssertEqual(try stdinTexts("x=1; cat <<EOF\nvalue $x\nEOF\n"), ["value 1\n"], "the expanded text, as the program reads it")
        XCTAssertEqual(try stdinTexts("cat <<< 'code'"), ["code\n"])
        XCTAssertEqual(try stdinTexts("cat"), [nil])
    }

    func testOnlyWhileDescriptorZeroIsTheText() throws {
        // A later redirection replaces it; a here-document on another descriptor is not stdin.
        XCTAssertEqual(try stdinTexts("cat <<EOF 0</dev/null\nhidden\nEOF\n"), [nil])
        XCTAssertEqual(try stdinTexts("cat 3<<EOF\nnot stdin\nEOF\n"), [nil])
        // After the command, the next one does not inherit it.
        XCTAssertEqual(try stdinTexts("cat <<EOF\na\nEOF\ncat </dev/null\n"), ["a\n", nil])
        // A function called with a here-document: the commands inside read it.
        XCTAssertEqual(try stdinTexts("f() { cat; }\nf <<EOF\ninner\nEOF\n"), ["inner\n"])
    }
}
