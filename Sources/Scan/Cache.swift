// Scan results by content hash: a re-run of an unchanged script costs a SHA-256, not a scan.
//
// Key: SHA-256 over a format tag, the scanner's fingerprint (its name, command, format, exit codes,
// rules file and the identity of the program and rules file on disk — an upgraded bandit or an
// edited rules file gives new keys) and the code's bytes. One file per key, named by it.
//
// Why the governed user cannot poison it: the directory is root:aegish 2770 and checked at startup
// (Enforce refuses to use one the governed user could write); only aegish, setgid aegish, can
// create files there, and what it writes are findings of scans it ran itself on the exact bytes it
// hashed (sealed copies). Scanners run without the aegish group. Failures are never cached (a
// timeout may not recur), so a cached entry is always a completed scan.

import CSys
import Digest
import Glibc

public struct ScanCache: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    static let magic = "aegish-scan-result 1"

    /// The cache key (hex) for `scanner`'s result on `code`.
    static func key(fingerprint: String, code: [UInt8]) -> String {
        var h = SHA256()
        h.update(data: Array((magic + "\u{0}" + fingerprint + "\u{0}").utf8))
        h.update(data: code)
        return hexString(h.finalize())
    }

    /// Findings stored under `key` (file and scanner filled in by the caller), nil on a miss or on
    /// anything malformed.
    func load(_ key: String, scanner: String, file: String) -> [Finding]? {
        let fd = open(directory + "/" + key, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size < 8 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            off += n
        }
        var r = FieldReader(bytes)
        guard r.string() == ScanCache.magic, let count = r.int(), count >= 0, count < 100_000 else { return nil }
        var out: [Finding] = []
        for _ in 0..<count {
            guard let line = r.int(), let rule = r.string(), let sev = r.int().flatMap(Severity.init(rawValue:)),
                  let conf = r.int(), let message = r.string(), let kind = r.int(), let subject = r.string() else { return nil }
            var f = Finding(file: file, line: line, scanner: scanner, rule: rule, severity: sev,
                            confidence: conf < 0 ? nil : Severity(rawValue: conf), message: message)
            switch kind {
            case 0: break
            case 1: f.subject = .writes(subject)
            case 2: f.subject = .contacts(subject)
            default: return nil
            }
            out.append(f)
        }
        guard r.string() == "end", r.atEnd else { return nil }
        return out
    }

    /// Stores findings under `key`: written to a temporary file and renamed, so a reader sees the
    /// whole entry or none. Failures are ignored (the next run scans again).
    func store(_ key: String, _ findings: [Finding]) {
        var w = FieldWriter()
        w.string(ScanCache.magic)
        w.int(findings.count)
        for f in findings {
            w.int(f.line); w.string(f.rule); w.int(f.severity.rawValue); w.int(f.confidence?.rawValue ?? -1)
            w.string(f.message)
            switch f.subject {
            case nil: w.int(0); w.string("")
            case .writes(let p): w.int(1); w.string(p)
            case .contacts(let h): w.int(2); w.string(h)
            }
        }
        w.string("end")
        // O_EXCL makes the name ours; pid and clock only make a clash unlikely.
        let temp = directory + "/.tmp-\(getpid())-\(String(UInt64(bitPattern: aegish_monotonic_ns()), radix: 16))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { return }
        var ok = fchmod(fd, 0o640) == 0
        var off = 0
        while ok && off < w.out.count {
            let n = w.out[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ok = false } else { off += n }
        }
        close(fd)
        if !ok || rename(temp, directory + "/" + key) != 0 { unlink(temp) }
    }
}

/// The identity of a file on disk for a fingerprint: changes when it is replaced or edited.
func fileIdentity(_ path: String) -> String {
    var st = stat()
    guard stat(path, &st) == 0 else { return "missing" }
    return "\(st.st_dev):\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
}

// MARK: - Fields: an integer in decimal + "\n", or a string as its UTF-8 length, "\n", bytes, "\n"

struct FieldWriter {
    var out: [UInt8] = []
    mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8); out.append(10) }
    mutating func string(_ s: String) { int(s.utf8.count); out.append(contentsOf: s.utf8); out.append(10) }
}

struct FieldReader {
    let b: [UInt8]
    var i = 0
    init(_ b: [UInt8]) { self.b = b }
    var atEnd: Bool { i == b.count }
    mutating func int() -> Int? {
        var neg = false, v = 0, digits = 0
        if i < b.count && b[i] == UInt8(ascii: "-") { neg = true; i += 1 }
        while i < b.count, b[i] >= 48, b[i] <= 57 {
            if digits >= 18 { return nil }
            v = v * 10 + Int(b[i] - 48); digits += 1; i += 1
        }
        guard digits > 0, i < b.count, b[i] == 10 else { return nil }
        i += 1
        return neg ? -v : v
    }
    mutating func string() -> String? {
        guard let n = int(), n >= 0, n < b.count - i, b[i + n] == 10 else { return nil }
        let s = String(decoding: b[i..<(i + n)], as: UTF8.self)
        i += n + 1
        return s
    }
}
