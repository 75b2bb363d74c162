import Foundation
import XCTest
@testable import Syntax

/// Parse rate over real command corpora: every line `bash -n` accepts must parse or be refused as
/// `.unsupported` — never `.syntax`/`.incomplete`. (Exception, counted separately: errors inside
/// text `bash -n` does not parse at all — backquote bodies, here-document bodies, arithmetic text,
/// and a `$((` that turns out to be a command substitution; their messages say "(inside …)".)
final class CorpusTests: XCTestCase {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")

    func testNL2BashParseRate() throws {
        let url = Self.corpora.appendingPathComponent("nl2bash.cm")
        guard let data = try? Data(contentsOf: url) else { throw XCTSkip("corpus absent: \(url.path)") }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Data($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        try runCorpus(name: "nl2bash", commands: lines)
    }

    func testAgentCommandsParseRate() throws {
        let url = Self.corpora.appendingPathComponent("agent-commands.jsonl")
        guard let data = try? Data(contentsOf: url) else { throw XCTSkip("corpus absent: \(url.path)") }
        var cmds: [Data] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let obj = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            if let c = obj?["command"] as? String { cmds.append(Data(c.utf8)) }
        }
        try runCorpus(name: "agent-commands", commands: cmds)
    }

    // MARK: -

    func runCorpus(name: String, commands: [Data]) throws {
        let verdicts = try bashVerdicts(name: name, commands: commands)
        XCTAssertEqual(verdicts.count, commands.count)
        var parsed = 0, bashRejected = 0, deferred = 0
        var unsupported: [String: Int] = [:]
        var wrong: [String] = []
        let t0 = Date()
        for (k, c) in commands.enumerated() {
            guard k < verdicts.count, verdicts[k] else { bashRejected += 1; continue }
            let src = String(decoding: c, as: UTF8.self)
            do {
                _ = try parseScript(src)
                parsed += 1
            } catch let e as ParseError {
                switch e.kind {
                case .unsupported:
                    let key = e.message.components(separatedBy: " not supported").first!
                        .replacingOccurrences(of: " are", with: "").replacingOccurrences(of: " is", with: "")
                    unsupported[key, default: 0] += 1
                case .syntax where e.message.contains("(inside "):
                    deferred += 1
                default:
                    wrong.append("#\(k) \(e.kind) \(e): \(src.prefix(160))")
                }
            }
        }
        let elapsed = Date().timeIntervalSince(t0)
        let accepted = commands.count - bashRejected
        let uns = unsupported.values.reduce(0, +)
        let pct = accepted == 0 ? 0 : Double(parsed) * 100 / Double(accepted)
        var report = "\(name): \(commands.count) commands, bash -n accepts \(accepted); aegish parsed \(parsed) "
        report += "(\(String(format: "%.2f", pct))%), unsupported \(uns), deferred-by-bash \(deferred), wrong \(wrong.count) "
        report += "[parse time \(String(format: "%.3f", elapsed))s]"
        print(report)
        for (m, n) in unsupported.sorted(by: { $0.value > $1.value }) { print("  unsupported \(n)× \(m)") }
        for w in wrong { print("  WRONG \(w)") }
        XCTAssertEqual(wrong.count, 0, "lines bash accepts but aegish rejects as syntax/incomplete:\n" + wrong.joined(separator: "\n"))
    }

    /// Runs `bash -n -c` once per command inside two helper-script processes (one batch each),
    /// caching the verdicts in the temporary directory keyed by the corpus content.
    func bashVerdicts(name: String, commands: [Data]) throws -> [Bool] {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { throw XCTSkip("no bash") }
        var hash: UInt64 = 0xcbf29ce484222325
        for c in commands { for b in c { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }; hash = (hash ^ 0) &* 0x100000001b3 }
        let tmp = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("aegish-corpus")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let cache = tmp.appendingPathComponent("\(name)-\(String(hash, radix: 16)).verdicts")
        if let s = try? String(contentsOf: cache, encoding: .utf8) {
            let v = s.split(separator: "\n").map { $0 == "0" }
            if v.count == commands.count { return v }
        }
        let helper = tmp.appendingPathComponent("check.sh")
        try """
        #!/bin/bash
        # One line per NUL-separated command of $1: 0 if `bash -n` accepts it silently, else 1.
        errf=$(mktemp)
        while IFS= read -r -d '' c; do
          if bash -n -c -- "$c" 2>"$errf" && ! [ -s "$errf" ]; then echo 0; else echo 1; fi
        done < "$1"
        rm -f "$errf"

        """.write(to: helper, atomically: true, encoding: .utf8)
        let parts = 2
        let chunk = (commands.count + parts - 1) / parts
        var procs: [(Process, URL)] = []
        for p in 0..<parts {
            let slice = commands[min(p * chunk, commands.count)..<min((p + 1) * chunk, commands.count)]
            var blob = Data()
            for c in slice { blob.append(c); blob.append(0) }
            let input = tmp.appendingPathComponent("\(name)-\(p).bin")
            let output = tmp.appendingPathComponent("\(name)-\(p).out")
            try blob.write(to: input)
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let proc = Process()
            proc.executableURL = URL(fileURLWithPath: "/bin/bash")
            proc.arguments = [helper.path, input.path]
            proc.standardOutput = try FileHandle(forWritingTo: output)
            try proc.run()
            procs.append((proc, output))
        }
        var lines: [Substring] = []
        for (proc, out) in procs {
            proc.waitUntilExit()
            let s = try String(contentsOf: out, encoding: .utf8)
            lines += s.split(separator: "\n")
        }
        try lines.joined(separator: "\n").write(to: cache, atomically: true, encoding: .utf8)
        return lines.map { $0 == "0" }
    }
}
