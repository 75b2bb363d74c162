import Foundation
import XCTest
@testable import Syntax

/// The line reader's contract: for input that ends with a newline, `.incomplete` exactly when bash
/// would read more lines. Every prefix (cut at any character, then a newline) of a few multi-line
/// scripts is classified by `bash -n` (first message "unexpected end of file"/"unexpected EOF…"
/// means bash wanted more) and compared with aegish.
final class IncompleteTests: XCTestCase {
    static let scripts = [
        """
        if [ -f "$f" ]; then
          echo "yes $f" | grep -q y && echo ok
        elif [[ $x == a* || -n $y ]]; then
          :
        else
          for i in 1 2 3; do echo $i; done
        fi
        """,
        """
        case "$1" in
          start|stop) run "$1" ;;
          (restart) run stop; run start ;&
          *) echo "usage: $0 {start|stop}" >&2 ;;
        esac
        """,
        """
        f() {
          local x=$(cat <<EOF
        hello ${1:-world} $((2 * 3))
        EOF
        )
          while read -r l; do printf '%s\\n' "$l"; done <<< "$x"
        }
        function g () ( echo `echo sub`; (( y = 1 + 2 )) )
        """,
        """
        x=$( echo "a" \\
          | sed 's/a/b/' ) && { echo "$x"; } || echo 'fail'
        cat <<-'END' >out
        \tliteral $x
        \tEND
        echo $'tab\\there' "${x%%.*}" ${y//a/b}
        """,
        """
        until false; do
          ! test -d /x || break
        done 2>/dev/null &
        [ "$a" ] && echo "multi
        line" 'single
        quoted' | tr a b
        """,
    ]

    func testPrefixesAgreeWithBash() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { throw XCTSkip("no bash") }
        var prefixes: [String] = []
        var seen = Set<String>()
        for s in Self.scripts {
            let chars = Array(s)
            for k in 1...chars.count {
                let p = String(chars[0..<k]) + "\n"
                if seen.insert(p).inserted { prefixes.append(p) }
            }
        }
        let tmp = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("aegish-incomplete-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var blob = Data()
        for p in prefixes { blob.append(Data(p.utf8)); blob.append(0) }
        let input = tmp.appendingPathComponent("in.bin")
        try blob.write(to: input)
        let script = """
        errf=$(mktemp)
        while IFS= read -r -d '' c; do
          if bash -n -c -- "$c" 2>"$errf" && ! [ -s "$errf" ]; then echo ACC
          elif head -1 "$errf" | grep -q -e "unexpected end of file" -e "unexpected EOF" -e "delimited by end-of-file" -e "EOF' in conditional"; then echo INC
          else echo SYN; fi
        done < "$1"
        rm -f "$errf"
        """
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/bin/bash")
        proc.arguments = ["-c", script, "helper", input.path]
        // A vanished working directory would make bash warn on stderr, which reads as an error.
        proc.currentDirectoryURL = URL(fileURLWithPath: "/")
        let pipe = Pipe()
        proc.standardOutput = pipe
        try proc.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        proc.waitUntilExit()
        let verdicts = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(verdicts.count, prefixes.count)
        var mismatches: [String] = []
        for (p, v) in zip(prefixes, verdicts) {
            var ours = "ACC"
            do { _ = try parseScript(p) } catch let e as ParseError {
                switch e.kind { case .incomplete: ours = "INC"; case .syntax: ours = "SYN"; case .unsupported: ours = v }
            }
            if ours != v { mismatches.append("bash=\(v) aegish=\(ours): \(p.debugDescription)") }
        }
        print("incomplete-prefix check: \(prefixes.count - mismatches.count)/\(prefixes.count) agree with bash")
        XCTAssertTrue(mismatches.isEmpty, mismatches.joined(separator: "\n"))
    }
}
