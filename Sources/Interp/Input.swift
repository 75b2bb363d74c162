import Glibc
import Syntax

// Reading commands from a stream (stdin or `-s`): one complete command at a time, so an agent
// harness can keep a session open over a pipe, and so commands that read stdin get the rest of it.

extension Shell {
    /// Reads lines from `fd`, runs each complete command as soon as it is complete; returns the
    /// shell's exit status at end of input.
    public func runStream(fd: Int32) -> Int32 {
        var reader = LineReader(fd: fd)
        var pending = ""
        var startLine = 1
        var lineNo = 0
        do {
            while true {
                guard let line = reader.readLine() else { break }
                lineNo += 1
                if !line.isValid {
                    warn("line \(lineNo + lineOffset): input is not valid UTF-8; aegish refuses input it cannot represent exactly")
                    return finish(2)
                }
                pending += line.text
                let script: Script
                do {
                    script = try parseSource(pending)
                } catch let e as ParseError where e.kind == .incomplete {
                    continue
                } catch let e as ParseError {
                    var e = e
                    e.pos.line += startLine - 1
                    Sys.write(2, "\(messagePrefix): \(e)\n")
                    return finish(2)
                }
                let text = pending
                pending = ""
                let offset = startLine - 1
                startLine = lineNo + 1
                lineOffset = offset
                try withSource(text) { try runScript(script) }
                reapJobs()
            }
            if !pending.isEmpty {
                // End of input inside a construct: a here-document may end here (as in bash);
                // anything else is an error.
                let script: Script
                do {
                    let (s, warnings) = try parseCompleteInput(pending)
                    for w in warnings { warn("warning: \(w)") }
                    script = s
                } catch let e as ParseError {
                    var e = e
                    e.pos.line += startLine - 1
                    if e.kind == .incomplete && !e.message.contains("end of input") { e.message = "syntax error: unexpected end of input (\(e.message))" }
                    Sys.write(2, "\(messagePrefix): \(e)\n")
                    return finish(2)
                }
                lineOffset = startLine - 1
                try withSource(pending) { try runScript(script) }
            }
        } catch Flow.exit(let s) {
            return finish(s)
        } catch Flow.returnFrom(let s) {
            return finish(s)
        } catch Flow.breakLoop, Flow.continueLoop {
        } catch let e as ShellError {
            warnAt(e.message)
            return finish(e.status)
        } catch {
            warn("internal error: \(error)")
            return finish(2)
        }
        return finish(lastStatus)
    }
}

/// Reads lines without consuming more input than the line: byte by byte from pipes and terminals,
/// in blocks (with lseek back) from regular files.
struct LineReader {
    let fd: Int32
    let seekable: Bool
    init(fd: Int32) {
        self.fd = fd
        seekable = lseek(fd, 0, SEEK_CUR) >= 0
    }

    struct Line { var text: String; var isValid: Bool }

    /// The next line including its newline (the last line may lack one), nil at end of input.
    mutating func readLine() -> Line? {
        guard let bytes = readLineBytes() else { return nil }
        let s = String(decoding: bytes, as: UTF8.self)
        return Line(text: s, isValid: s.utf8.elementsEqual(bytes))
    }

    private mutating func readLineBytes() -> [UInt8]? {
        var bytes: [UInt8] = []
        if seekable {
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
                if n < 0 { if errno == EINTR { continue }; break }
                if n == 0 { break }
                if let nl = buf[0..<n].firstIndex(of: 0x0A) {
                    bytes.append(contentsOf: buf[0...nl])
                    lseek(fd, off_t(nl + 1 - n), SEEK_CUR)
                    return bytes
                }
                bytes.append(contentsOf: buf[0..<n])
            }
        } else {
            var b: UInt8 = 0
            while true {
                let n = read(fd, &b, 1)
                if n < 0 { if errno == EINTR { continue }; break }
                if n == 0 { break }
                bytes.append(b)
                if b == 0x0A { return bytes }
            }
        }
        return bytes.isEmpty ? nil : bytes
    }
}
