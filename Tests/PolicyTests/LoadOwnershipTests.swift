import PolicyTestSupport
import XCTest
import Glibc
@testable import Policy

/// The ownership rule: a policy the governed user could change is refused. Tests run as root and
/// simulate the governed user (uid 4242, primary group 4242, member of group 5000 "devs") with
/// their own passwd and group files.
final class LoadOwnershipTests: PolicyTestCase {
    let user: uid_t = 4242
    var base = ""
    var passwd = ""
    var group = ""

    override func setUpWithError() throws {
        try XCTSkipIf(getuid() != 0, "ownership tests need root (chown)")
        var template = Array("/tmp/aegish-own-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        base = String(cString: p)
        chmod(base, 0o755)
        passwd = base + "/passwd"
        group = base + "/group"
        write(passwd, "root:x:0:0:root:/root:/bin/sh\nagent:x:4242:4242::/home/agent:/bin/sh\n")
        write(group, "root:x:0:\nagent:x:4242:\ndevs:x:5000:alice, agent ,bob\nothers:x:6000:alice\n")
    }

    override func tearDown() {
        if !base.isEmpty { _ = system("rm -rf '\(base)'") }
    }

    func write(_ path: String, _ text: String, mode: mode_t = 0o644) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(fd >= 0)
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        chmod(path, mode)
    }

    func mkdirs(_ path: String, mode: mode_t = 0o755) {
        mkdir(path, mode)
        chmod(path, mode)
    }

    func check(_ path: String, uid: uid_t? = nil) -> String? {
        policyWritableBy(uid ?? user, path: path, groupFile: group, passwdFile: passwd)
    }

    func assertRefused(_ path: String, _ contains: String, uid: uid_t? = nil,
                       file: StaticString = #filePath, line: UInt = #line) {
        guard let why = check(path, uid: uid) else {
            return XCTFail("\(path) should be refused", file: file, line: line)
        }
        XCTAssertTrue(why.contains(contains), why, file: file, line: line)
    }

    func testRootOwnedFileInRootOwnedDirsIsSafe() {
        mkdirs(base + "/etc")
        write(base + "/etc/p.toml", "")
        XCTAssertNil(check(base + "/etc/p.toml"))
        XCTAssertNil(check(base + "/etc/./../etc/p.toml"))
    }

    func testFileOwnedByUserIsRefusedWhateverItsMode() {
        write(base + "/p.toml", "", mode: 0o444)
        chown(base + "/p.toml", user, 0)
        assertRefused(base + "/p.toml", "\(base)/p.toml is owned by uid 4242")
    }

    func testWorldWritableFileIsRefused() {
        write(base + "/p.toml", "", mode: 0o666)
        assertRefused(base + "/p.toml", "writable by everyone (mode 0666)")
    }

    func testWritableDirectoryAboveIsRefused() {
        mkdirs(base + "/open", mode: 0o777)
        mkdirs(base + "/open/etc")
        write(base + "/open/etc/p.toml", "")
        assertRefused(base + "/open/etc/p.toml", "directory \(base)/open is writable by everyone (mode 0777)")
    }

    func testDirectoryOwnedByUserIsRefused() {
        mkdirs(base + "/home", mode: 0o555)
        chown(base + "/home", user, user)
        write(base + "/home/p.toml", "")
        assertRefused(base + "/home/p.toml", "directory \(base)/home is owned by uid 4242")
    }

    func testStickyDirectory() {
        mkdirs(base + "/tmp", mode: 0o1777)
        write(base + "/tmp/root.toml", "")
        // Root's file in a sticky directory cannot be renamed or removed by the user.
        XCTAssertNil(check(base + "/tmp/root.toml"))
        // But the sticky bit does not protect a file the user owns.
        write(base + "/tmp/mine.toml", "")
        chown(base + "/tmp/mine.toml", user, user)
        assertRefused(base + "/tmp/mine.toml", "owned by uid 4242")
        // Nor anything below a directory the user owns in it.
        mkdirs(base + "/tmp/mydir")
        chown(base + "/tmp/mydir", user, user)
        write(base + "/tmp/mydir/p.toml", "")
        assertRefused(base + "/tmp/mydir/p.toml", "\(base)/tmp/mydir is owned by uid 4242 (the sticky bit")
        // Nor a sticky directory the user owns.
        mkdirs(base + "/usertmp", mode: 0o1777)
        chown(base + "/usertmp", user, user)
        write(base + "/usertmp/p.toml", "")
        assertRefused(base + "/usertmp/p.toml", "owned by uid 4242")
    }

    func testGroupWritable() {
        write(base + "/devs.toml", "", mode: 0o664)
        chown(base + "/devs.toml", 0, 5000)
        assertRefused(base + "/devs.toml", "group-writable (mode 0664) and uid 4242 is in its group 5000")
        write(base + "/others.toml", "", mode: 0o664)
        chown(base + "/others.toml", 0, 6000)
        XCTAssertNil(check(base + "/others.toml"))
        write(base + "/primary.toml", "", mode: 0o664)
        chown(base + "/primary.toml", 0, 4242)
        assertRefused(base + "/primary.toml", "in its group 4242")
        mkdirs(base + "/gdir", mode: 0o775)
        chown(base + "/gdir", 0, 5000)
        write(base + "/gdir/p.toml", "")
        assertRefused(base + "/gdir/p.toml", "directory \(base)/gdir is group-writable")
        // A user the passwd file does not know: group write bits are not trusted.
        assertRefused(base + "/others.toml", "groups of uid 7777 are unknown", uid: 7777)
        write(base + "/plain.toml", "")
        XCTAssertNil(check(base + "/plain.toml", uid: 7777))
    }

    func testSymlinks() {
        mkdirs(base + "/etc")
        write(base + "/etc/p.toml", "")
        symlink(base + "/etc/p.toml", base + "/link.toml")
        XCTAssertNil(check(base + "/link.toml"))
        symlink(base + "/etc/p.toml", base + "/userlink.toml")
        lchown(base + "/userlink.toml", user, user)
        assertRefused(base + "/userlink.toml", "\(base)/userlink.toml is a symlink owned by uid 4242")
        // A relative symlink to a directory, followed through.
        symlink("etc", base + "/etclink")
        XCTAssertNil(check(base + "/etclink/p.toml"))
        // A root-owned link leading into a writable place.
        mkdirs(base + "/open", mode: 0o777)
        write(base + "/open/p.toml", "")
        symlink(base + "/open/p.toml", base + "/open-link.toml")
        assertRefused(base + "/open-link.toml", "directory \(base)/open is writable by everyone")
        symlink(base + "/loop", base + "/loop")
        assertRefused(base + "/loop", "too many symlinks")
    }

    func testOtherRefusals() {
        assertRefused(base + "/missing.toml", "cannot check")
        mkdirs(base + "/d")
        assertRefused(base + "/d", "not a regular file")
        write(base + "/p.toml", "")
        assertRefused(base + "/p.toml", "root (uid 0)", uid: 0)
    }

    func testLoadPolicy() throws {
        mkdirs(base + "/etc")
        write(base + "/etc/p.toml", "[policy]\nname = \"t\"\n")
        let p = try loadPolicy(path: base + "/etc/p.toml", governedUID: user, groupFile: group, passwdFile: passwd)
        XCTAssertEqual(p.name, "t")
        XCTAssertEqual(p.file, base + "/etc/p.toml")

        chown(base + "/etc/p.toml", user, user)
        XCTAssertThrowsError(try loadPolicy(path: base + "/etc/p.toml", governedUID: user, groupFile: group,
                                            passwdFile: passwd)) { e in
            let e = e as! PolicyLoadError
            XCTAssertEqual(e.location.line, 0)
            XCTAssertTrue(e.message.hasPrefix("refusing to load the policy: \(base)/etc/p.toml is owned by uid 4242"), e.message)
            XCTAssertTrue(e.description.hasPrefix("\(base)/etc/p.toml: refusing"), e.description)
        }
        chown(base + "/etc/p.toml", 0, 0)

        write(base + "/etc/bad.toml", "[policy]\nname = \"\u{FF}\"\ndefault = \"maybe\"\n")
        XCTAssertThrowsError(try loadPolicy(path: base + "/etc/bad.toml", governedUID: user, groupFile: group,
                                            passwdFile: passwd)) { e in
            XCTAssertEqual((e as! PolicyLoadError).description, "\(base)/etc/bad.toml:3:11: policy.default: invalid verdict \"maybe\"; use \"allow\", \"ask\" or \"deny\"")
        }

        let fd = open(base + "/etc/latin1.toml", O_WRONLY | O_CREAT, 0o644)
        let bytes: [UInt8] = Array("[policy]\nname = \"caf".utf8) + [0xE9] + Array("\"\n".utf8)
        _ = bytes.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        XCTAssertThrowsError(try loadPolicy(path: base + "/etc/latin1.toml", governedUID: user, groupFile: group,
                                            passwdFile: passwd)) { e in
            let e = e as! PolicyLoadError
            XCTAssertEqual(e.location.line, 2)
            XCTAssertEqual(e.location.column, 12)
            XCTAssertTrue(e.message.contains("not valid UTF-8"))
        }
    }

    func testDefaultGroupFileSignature() {
        // The documented two-argument form reads /etc/passwd and /etc/group.
        mkdirs(base + "/etc")
        write(base + "/etc/p.toml", "")
        XCTAssertNil(policyWritableBy(65534, path: base + "/etc/p.toml"))
    }
}
