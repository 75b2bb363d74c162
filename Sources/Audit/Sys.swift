import CSys
import Digest
import Glibc

/// Why the log could not be opened or written. `description` says what happened and what to do.
public enum AuditError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The log's directory does not exist.
    case directoryMissing(path: String)
    /// open/write refused by permissions (EACCES/EPERM).
    case permissionDenied(path: String, operation: String)
    /// The path is not a regular file (or is a symlink: the log is opened with O_NOFOLLOW).
    case notRegularFile(path: String)
    /// ENOSPC/EDQUOT/EFBIG: the record was not written (the file is left as it was).
    case diskFull(path: String)
    /// EROFS.
    case readOnlyFileSystem(path: String)
    /// Another process held the lock longer than the timeout.
    case lockTimeout(path: String, milliseconds: Int)
    /// Any other system error.
    case ioError(path: String, operation: String, errno: Int32)
    /// A configuration value that cannot be used (bad redaction pattern, relative path…).
    case badConfig(String)

    public var description: String {
        switch self {
        case .directoryMissing(let p):
            return "audit log \(p): directory \(dirname(p)) does not exist; create it (owned by the user aegish runs as) or set [audit] file to another path"
        case .permissionDenied(let p, let op):
            return "audit log \(p): permission denied (\(op)); make the file and its directory writable by uid \(getuid()), or set [audit] file to a writable path"
        case .notRegularFile(let p):
            return "audit log \(p): not a regular file (a symlink, directory or device); remove it or set [audit] file to a regular file's path"
        case .diskFull(let p):
            return "audit log \(p): no space left on the file system (or quota/size limit reached); free space or rotate the log"
        case .readOnlyFileSystem(let p):
            return "audit log \(p): the file system is read-only; remount it read-write or set [audit] file elsewhere"
        case .lockTimeout(let p, let ms):
            return "audit log \(p): could not take the lock within \(ms) ms (a stopped or hung aegish holds it?); find the holder with `fuser \(p)`"
        case .ioError(let p, let op, let e):
            return "audit log \(p): \(op) failed: \(String(cString: strerror(e))) (errno \(e))"
        case .badConfig(let m):
            return "audit configuration: \(m)"
        }
    }

    static func from(errno e: Int32, path: String, operation: String) -> AuditError {
        switch e {
        case EACCES, EPERM: return .permissionDenied(path: path, operation: operation)
        case ENOSPC, EDQUOT, EFBIG: return .diskFull(path: path)
        case EROFS: return .readOnlyFileSystem(path: path)
        case ELOOP, EISDIR, ENXIO, ENODEV: return .notRegularFile(path: path)
        case ENOENT, ENOTDIR: return .directoryMissing(path: path)
        default: return .ioError(path: path, operation: operation, errno: e)
        }
    }
}

func dirname(_ p: String) -> String {
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
}

/// A SHA-256 digest as 4 words (cheap to store and compare).
struct Hash256: Hashable {
    var a: UInt64, b: UInt64, c: UInt64, d: UInt64
    static let genesis = Hash256(a: 0, b: 0, c: 0, d: 0)

    init(a: UInt64, b: UInt64, c: UInt64, d: UInt64) { self.a = a; self.b = b; self.c = c; self.d = d }

    init(of bytes: UnsafeRawBufferPointer) {
        var h = SHA256()
        h.update(bufferPointer: bytes)
        let digest = h.finalize()
        // Big-endian words, read without a [UInt64] (its array metadata is a start-up cost).
        func word(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<8 { v = v << 8 | UInt64(digest[8 * k + i]) }
            return v
        }
        a = word(0); b = word(1); c = word(2); d = word(3)
    }

    /// From 64 lowercase hex digits.
    init?(hex s: String) {
        let u = Array(s.utf8)
        guard u.count == 64 else { return nil }
        var w: [UInt64] = [0, 0, 0, 0]
        for k in 0..<64 {
            let c = u[k]
            let v: UInt64
            switch c {
            case 0x30...0x39: v = UInt64(c - 0x30)
            case 0x61...0x66: v = UInt64(c - 0x61 + 10)
            default: return nil
            }
            w[k / 16] = w[k / 16] << 4 | v
        }
        a = w[0]; b = w[1]; c = w[2]; d = w[3]
    }

    /// The digest's 64 hex digits (the words big-endian, as they were read): from a tuple, not
    /// a [UInt64], whose array metadata would cost every audited start (it runs at each record).
    var hex: String {
        withUnsafeBytes(of: (a.bigEndian, b.bigEndian, c.bigEndian, d.bigEndian)) { hexString($0) }
    }
}

/// The prev_hash of the first record of a file.
public let auditGenesisHash = String(repeating: "0", count: 64)

/// SHA-256 of a line's bytes (without its newline), lowercase hex: what the next record's
/// prev_hash holds.
public func auditLineHash(_ line: String) -> String {
    var u = Array(line.utf8)
    return u.withUnsafeMutableBytes { Hash256(of: UnsafeRawBufferPointer($0)).hex }
}

/// RFC 3339 UTC with milliseconds.
func rfc3339Now() -> String {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return rfc3339(seconds: Int(ts.tv_sec), millis: Int(ts.tv_nsec / 1_000_000))
}

func rfc3339(seconds: Int, millis: Int) -> String {
    // Civil date from days since the epoch (Howard Hinnant's algorithm), not gmtime_r: glibc's
    // gmtime reads /etc/localtime at its first call, seven system calls at every audited start.
    let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
    let secs = seconds - days * 86400
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return String(unsafeUninitializedCapacity: 24) { out in
        var i = 0
        func d(_ v: Int, _ n: Int) {
            var x = v
            for k in (0..<n).reversed() { out[i + k] = UInt8(0x30 + x % 10); x /= 10 }
            i += n
        }
        func c(_ b: UInt8) { out[i] = b; i += 1 }
        d(year, 4); c(0x2D); d(month, 2); c(0x2D); d(day, 2)
        c(0x54); d(secs / 3600, 2); c(0x3A); d(secs / 60 % 60, 2); c(0x3A); d(secs % 60, 2)
        c(0x2E); d(millis, 3); c(0x5A)
        return i
    }
}

/// Parses RFC 3339 (`2025-01-02T03:04:05.678Z`, optional fraction, `Z` or ±hh:mm) into
/// milliseconds since the epoch.
public func parseRFC3339(_ s: String) -> Int64? {
    let u = Array(s.utf8)
    func num(_ at: Int, _ n: Int) -> Int? {
        guard at + n <= u.count else { return nil }
        var v = 0
        for k in at..<(at + n) {
            guard u[k] >= 0x30, u[k] <= 0x39 else { return nil }
            v = v * 10 + Int(u[k] - 0x30)
        }
        return v
    }
    guard u.count >= 19, let y = num(0, 4), u[4] == 0x2D, let mo = num(5, 2), u[7] == 0x2D, let d = num(8, 2),
          u[10] == 0x54 || u[10] == 0x74 || u[10] == 0x20, let h = num(11, 2), u[13] == 0x3A,
          let mi = num(14, 2), u[16] == 0x3A, let se = num(17, 2) else { return nil }
    var i = 19
    var ms = 0
    if i < u.count, u[i] == 0x2E {
        i += 1
        var scale = 100
        while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { ms += Int(u[i] - 0x30) * scale; scale /= 10; i += 1 }
    }
    var offset = 0
    if i < u.count, u[i] == 0x5A || u[i] == 0x7A { i += 1 } else if i < u.count, u[i] == 0x2B || u[i] == 0x2D {
        guard let oh = num(i + 1, 2), i + 3 < u.count, u[i + 3] == 0x3A, let om = num(i + 4, 2) else { return nil }
        offset = (oh * 60 + om) * 60 * (u[i] == 0x2B ? 1 : -1)
        i += 6
    } else if i == u.count { } else { return nil }
    guard i == u.count else { return nil }
    // Days from civil (Howard Hinnant).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    let secs = days * 86400 + h * 3600 + mi * 60 + se - offset
    return Int64(secs) * 1000 + Int64(ms)
}

/// `n` random bytes from getrandom(2), as lowercase hex.
public func randomHex(bytes n: Int) -> String {
    var out = [UInt8](repeating: 0, count: n)
    var got = 0
    while got < n {
        let r = out.withUnsafeMutableBytes { aegish_getrandom($0.baseAddress! + got, n - got) }
        if r > 0 { got += r; continue }
        if r < 0 && errno == EINTR { continue }
        // No entropy source at all (getrandom missing): the system generator traps, as before.
        var g = SystemRandomNumberGenerator()
        for k in got..<n { out[k] = g.next() }
        got = n
    }
    return hexString(out)
}

/// host.name; also what the supervisor is told (Enforce).
public func hostName() -> String {
    var buf = [CChar](repeating: 0, count: 256)
    guard gethostname(&buf, 255) == 0 else { return "unknown" }
    return String(cString: buf)
}

/// The user's name from /etc/passwd; nil for a user it does not list (the record then names the
/// uid). Never NSS: aegish is linked fully static, where glibc reaches any module other than
/// files and dns with dlopen, and that crashes the process (seen: `passwd: files systemd` and a
/// uid /etc/passwd does not list killed every start of an audited shell with SIGSEGV).
public func userName(uid: uid_t) -> String? {
    passwdFileUserName(uid: uid)
}

/// The name of `uid` in /etc/passwd (the first line with that uid), nil if none. A plain byte
/// scan: this runs at every start of a shell that logs.
func passwdFileUserName(uid: uid_t, file: String = "/etc/passwd") -> String? {
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 16384)
    while bytes.count < 16 << 20 {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    let want = Array(String(uid).utf8)
    // name:password:uid:…
    var line = 0
    while line < bytes.count {
        var end = line
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        var c1 = line
        while c1 < end && bytes[c1] != 0x3A { c1 += 1 }
        var c2 = c1 + 1
        while c2 < end && bytes[c2] != 0x3A { c2 += 1 }
        var c3 = c2 + 1
        while c3 < end && bytes[c3] != 0x3A { c3 += 1 }
        if c1 > line, c1 < end, c2 < end, c3 - c2 - 1 == want.count {
            var same = true
            for k in 0..<want.count where bytes[c2 + 1 + k] != want[k] { same = false; break }
            if same { return String(decoding: bytes[line..<c1], as: UTF8.self) }
        }
        line = end + 1
    }
    return nil
}

public func ttyName() -> String? {
    var buf = [CChar](repeating: 0, count: 256)
    for fd: Int32 in [0, 1, 2] where isatty(fd) == 1 {
        if ttyname_r(fd, &buf, buf.count) == 0 { return String(cString: buf) }
    }
    return nil
}

func currentDirectory() -> String? {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buf, buf.count) != nil else { return nil }
    return String(cString: buf)
}

func monotonicNS() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
