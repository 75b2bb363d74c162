// aegish-toml: the shell's TOML parser, in its own process (see Sources/TOMLTree/Tree.swift).
// Reads a policy's text on standard input, writes the parse result in TOMLCodec's binary form on
// standard output, exits 0. Any other exit, or output that does not decode, makes the shell
// refuse the policy. It opens no file and takes no argument: the shell has already checked and
// opened the policy, and hands over its bytes.

import Glibc
import TOMLRead
import TOMLTree

var input: [UInt8] = []
var buf = [UInt8](repeating: 0, count: 65536)
while true {
    let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
    if n < 0 { if errno == EINTR { continue }; exit(2) }
    if n == 0 { break }
    input.append(contentsOf: buf[0..<n])
    if input.count > 64 << 20 { exit(3) }
}
let out = TOMLCodec.encode(String(validating: input, as: UTF8.self).map(readTOML)
    ?? .failure(TOMLSyntaxError(line: 0, column: 0, description: "the file is not valid UTF-8")))
var done = 0
while done < out.count {
    let n = out.withUnsafeBytes { write(1, $0.baseAddress! + done, $0.count - done) }
    if n < 0 { if errno == EINTR { continue }; exit(4) }
    done += n
}
exit(0)
