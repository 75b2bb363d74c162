import Digest
import Glibc

/// SHA-256 of a file's contents as lowercase hex, nil if it cannot be read.
public func sha256Hex(ofFile path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var hasher = SHA256()
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        if n < 0 { if errno == EINTR { continue }; return nil }
        if n == 0 { break }
        hasher.update(data: buf[0..<n])
    }
    return hexString(hasher.finalize())
}
