import Foundation
import XCTest
@testable import Syntax

final class PerformanceTests: XCTestCase {
    static let pieces = [
        #"echo "hello $USER ${HOME:-/root}" >> /tmp/log 2>&1"#,
        #"if [ -f "$f" ]; then cat "$f" | grep -v "^#" | sort -u; else echo "missing $f" >&2; fi"#,
        #"for x in a b c $(ls /tmp); do printf "%s\n" "${x%.txt}"; done"#,
        #"case "$1" in start|stop) do_it "$1";; *) usage;; esac"#,
        #"x=$((x + 1)); y=`date +%s`; z=${y//1/2}"#,
        #"while read -r line; do [[ $line =~ ^[0-9]+$ ]] && echo "$line"; done < input.txt"#,
        #"find . -name '*.swift' -exec wc -l {} \; | awk '{s+=$1} END {print s}'"#,
        #"f() { local a=$1; echo "${a^^}"; }"#,
    ]

    func time(_ src: String) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = Date()
            _ = try parseScript(src)
            best = min(best, Date().timeIntervalSince(t0))
        }
        return best
    }

    /// 10,000 lines. The budget is < 100 ms in release builds; debug builds are ~10× slower, so
    /// this test only guards against gross regressions.
    func testTenThousandLines() throws {
        let src = (0..<10_000).map { Self.pieces[$0 % Self.pieces.count] }.joined(separator: "\n")
        let t = try time(src)
        print("parse 10,000 lines: \(String(format: "%.1f", t * 1000)) ms")
        XCTAssertLessThan(t, 3.0)
    }

    /// Long lines, long here-documents and long quoted strings must scale linearly.
    func testLinearScaling() throws {
        func gen(_ n: Int) -> [String] {
            ["echo " + (0..<n).map { "w\($0)$x\"a b\"" }.joined(separator: " "),
             "cat <<EOF\n" + (0..<n).map { "line $x \($0)\n" }.joined() + "EOF\n",
             "x=\"" + String(repeating: "a", count: n * 10) + "\"; y=$(" + String(repeating: "echo a;", count: n) + ")",
             "echo é" + String(repeating: " é$x", count: n)]
        }
        let small = gen(2_000), big = gen(8_000)
        for k in small.indices {
            let a = try time(small[k]), b = try time(big[k])
            XCTAssertLessThan(b, max(a * 10, 0.05), "case \(k): \(a)s for n, \(b)s for 4n")
        }
    }
}
