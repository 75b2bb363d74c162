import XCTest
import Glibc
@testable import RateLimit

/// A fresh directory under /tmp (mode 0755, owned by the test's uid), removed by `removeTree`.
func makeTempDir(_ tag: String = "rl") -> String {
    var template = Array("/tmp/aegish-\(tag)-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(p != nil, "mkdtemp failed")
    let path = String(cString: template)
    chmod(path, 0o755)
    return path
}

func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        chmod(path, 0o700)
        if let d = opendir(path) {
            while let e = readdir(d) {
                let name = withUnsafePointer(to: &e.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                removeTree(path + "/" + name)
            }
            closedir(d)
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "open \(path)")
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return out
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : -1
}

/// A tree under `root`: `dirs` directories with `files` files each (plus the directories).
/// Returns the number of entries created below root.
@discardableResult
func makeTree(_ root: String, dirs: Int, files: Int) -> Int {
    mkdir(root, 0o755)
    for d in 0..<dirs {
        let dp = root + "/d\(d)"
        mkdir(dp, 0o755)
        for f in 0..<files { writeFile(dp + "/f\(f)", []) }
    }
    return dirs * (files + 1)
}

/// A settable clock for windows.
final class FakeClock: @unchecked Sendable {
    var now: Int64
    init(_ now: Int64 = 1_000_000) { self.now = now }
    func read() -> Int64 { now }
}

extension LimitOutcome {
    var exceeded: LimitExceeded? { if case .exceeded(let e) = self { return e }; return nil }
    var unavailableReason: String? { if case .unavailable(let r) = self { return r }; return nil }
    var usage: [LimitUsage] { if case .allowed(let u, _) = self { return u }; return [] }
    var warning: String? { if case .allowed(_, let w) = self { return w }; return nil }
}

func rm(_ args: String..., targets: [LimitTarget] = [], cwd: String = "/") -> LimitOperation {
    LimitOperation(program: "rm", argv: ["rm"] + args, cwd: cwd,
                   targets: targets.isEmpty ? args.filter { !$0.hasPrefix("-") }.map { LimitTarget(path: $0, recursive: false) } : targets)
}
