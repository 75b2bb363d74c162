import PolicyTestSupport
import XCTest
import Glibc
@testable import Policy

/// A temporary directory tree, canonical (so /tmp being a symlink does not matter), removed at deinit.
final class TempTree {
    let root: String
    init() {
        var t = Array("/tmp/aegish-paths-XXXXXX".utf8CString)
        let p = t.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        root = canonicalPath(String(cString: p!), cwd: "/")
    }
    deinit { _ = system("rm -rf '\(root)'") }
    func dir(_ rel: String) { _ = system("mkdir -p '\(root)/\(rel)'") }
    func file(_ rel: String, _ text: String = "") {
        let p = root + "/" + rel
        _ = system("mkdir -p \"$(dirname '\(p)')\"")
        let fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
    func link(_ rel: String, to target: String) { _ = symlink(target, root + "/" + rel) }
    func path(_ rel: String) -> String { root + "/" + rel }
}

final class PathTests: PolicyTestCase {
    func testLexical() {
        let cases: [(String, String, String)] = [
            ("/work/a/../b", "/", "/work/b"),
            ("a/./b//c", "/nonexistent-w", "/nonexistent-w/a/b/c"),
            ("../../../../etc/passwd", "/nonexistent-w/x", "/etc/passwd"),
            ("//work/../work-evil", "/", "/work-evil"),
            ("/..", "/", "/"),
            ("", "/nonexistent-w", "/nonexistent-w"),
            (".", "/nonexistent-w/", "/nonexistent-w"),
            ("x/", "/nonexistent-w", "/nonexistent-w/x"),
        ]
        for (p, cwd, want) in cases { XCTAssertEqual(canonicalPath(p, cwd: cwd), want, "\(p) in \(cwd)") }
    }

    func testSymlinkInTheMiddle() {
        let t = TempTree()
        t.dir("work/sub"); t.dir("outside/deep")
        t.file("outside/secret")
        t.link("work/escape", to: t.path("outside/deep"))      // absolute link
        t.link("work/rel", to: "../outside")                    // relative link
        t.link("work/loop1", to: "loop2"); t.link("work/loop2", to: "loop1")
        t.link("work/dangling", to: t.path("outside/new-file"))
        let w = t.path("work")
        XCTAssertEqual(canonicalPath("escape/../secret", cwd: w), t.path("outside/secret"))   // kernel: resolve, then ..
        XCTAssertEqual(canonicalPath("rel/secret", cwd: w), t.path("outside/secret"))
        XCTAssertEqual(canonicalPath("sub/../rel/deep/x/y", cwd: w), t.path("outside/deep/x/y"))
        XCTAssertEqual(canonicalPath("escape/not/yet/there", cwd: w), t.path("outside/deep/not/yet/there"))
        XCTAssertEqual(canonicalPath("dangling", cwd: w), t.path("outside/new-file"))
        // A loop is taken as written (no crash, no hang).
        XCTAssertEqual(canonicalPath("loop1/x", cwd: w), t.path("work/loop1/x"))
        // /proc/self names aegish, not the child: not resolved.
        XCTAssertEqual(canonicalPath("/proc/self/environ", cwd: "/"), "/proc/self/environ")
        XCTAssertEqual(canonicalPath("/proc/self/../1", cwd: "/"), "/proc/1")
    }

    func testPatternsSiblingSafe() {
        let p = PathPattern("/nonexistent-w/work", home: nil, workspace: nil)!
        XCTAssertTrue(p.covers("/nonexistent-w/work"))
        XCTAssertTrue(p.covers("/nonexistent-w/work/a/b"))
        XCTAssertFalse(p.covers("/nonexistent-w/work-evil"))
        XCTAssertFalse(p.covers("/nonexistent-w/wor"))
        XCTAssertFalse(p.covers("/nonexistent-w"))
        XCTAssertTrue(PathPattern("/", home: nil, workspace: nil)!.covers("/etc"))
        XCTAssertFalse(p.covers(canonicalPath("//nonexistent-w/work/../work-evil", cwd: "/")))
    }

    func testPatternsGlobs() {
        let log = PathPattern("/nonexistent-t/*.log", home: nil, workspace: nil)!
        XCTAssertTrue(log.covers("/nonexistent-t/a.log"))
        XCTAssertTrue(log.covers("/nonexistent-t/.hidden.log"))
        XCTAssertFalse(log.covers("/nonexistent-t/a.txt"))
        XCTAssertFalse(log.covers("/nonexistent-t/sub/a.log"))
        XCTAssertFalse(log.covers("/nonexistent-t"))
        let deep = PathPattern("/nonexistent-h/**/.ssh", home: nil, workspace: nil)!
        XCTAssertTrue(deep.covers("/nonexistent-h/.ssh"))
        XCTAssertTrue(deep.covers("/nonexistent-h/u/.ssh/id_rsa"))
        XCTAssertTrue(deep.covers("/nonexistent-h/a/b/c/.ssh"))
        XCTAssertFalse(deep.covers("/nonexistent-h/a/.sshx"))
        let q = PathPattern("/nonexistent-x/file?.[ch]", home: nil, workspace: nil)!
        XCTAssertTrue(q.covers("/nonexistent-x/file1.c"))
        XCTAssertFalse(q.covers("/nonexistent-x/file12.c"))
        XCTAssertFalse(q.covers("/nonexistent-x/file1.o"))
        let neg = PathPattern("/nonexistent-x/[!a]*", home: nil, workspace: nil)!
        XCTAssertTrue(neg.covers("/nonexistent-x/b"))
        XCTAssertFalse(neg.covers("/nonexistent-x/abc"))
        XCTAssertNil(PathPattern("/x/*/../etc", home: nil, workspace: nil))
    }

    func testPatternExpansion() {
        let h = PathPattern("~/.ssh", home: "/home/u-nonexistent", workspace: nil)!
        XCTAssertTrue(h.covers("/home/u-nonexistent/.ssh/id_rsa"))
        XCTAssertEqual(h.text, "~/.ssh")
        XCTAssertTrue(PathPattern("~", home: "/home/u-nonexistent", workspace: nil)!.covers("/home/u-nonexistent/x"))
        XCTAssertNil(PathPattern("~/.ssh", home: nil, workspace: nil))
        XCTAssertNil(PathPattern("~root/x", home: "/h", workspace: nil))
        let w = PathPattern("$WORKSPACE/build", home: nil, workspace: "/nonexistent-ws")!
        XCTAssertTrue(w.covers("/nonexistent-ws/build/x"))
        XCTAssertFalse(w.covers("/nonexistent-ws/src"))
        XCTAssertTrue(PathPattern("${WORKSPACE}", home: nil, workspace: "/nonexistent-ws")!.covers("/nonexistent-ws/a"))
        XCTAssertNil(PathPattern("$WORKSPACE", home: nil, workspace: nil))
        XCTAssertNil(PathPattern("$HOME/x", home: "/h", workspace: nil))
        XCTAssertNil(PathPattern("relative/x", home: nil, workspace: nil))
        XCTAssertNil(PathPattern("$WORKSPACEX", home: nil, workspace: "/w"))
    }

    func testPatternPrefixIsCanonicalised() {
        let t = TempTree()
        t.dir("real/bin")
        t.link("bin", to: "real/bin")
        let p = PathPattern(t.path("bin") + "/x", home: nil, workspace: nil)!
        XCTAssertTrue(p.covers(canonicalPath(t.path("bin/x"), cwd: "/")))
        XCTAssertTrue(p.covers(t.path("real/bin/x")))
        let g = PathPattern(t.path("bin") + "/*.sh", home: nil, workspace: nil)!
        XCTAssertTrue(g.covers(t.path("real/bin/a.sh")))
    }
}
