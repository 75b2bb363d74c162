import PolicyTestSupport
import XCTest
@testable import Policy

final class NetHostTests: PolicyTestCase {
    func testNormalizeHost() {
        let cases: [(String, String?)] = [
            ("PyPI.ORG.", "pypi.org"),
            ("%70ypi.org", "pypi.org"),
            ("%2570ypi.org", nil),               // double encoding leaves a %
            ("[::1]", "::1"),
            ("[0:0:0:0:0:0:0:1]", "::1"),
            ("[2001:DB8:0:0:1:0:0:1]", "2001:db8::1:0:0:1"),
            ("::ffff:127.0.0.1", "127.0.0.1"),
            ("2130706433", "127.0.0.1"),
            ("0x7f000001", "127.0.0.1"),
            ("0x7f.1", "127.0.0.1"),
            ("127.1", "127.0.0.1"),
            ("0177.0.0.1", "127.0.0.1"),
            ("1.2.3.4.5", nil),
            ("256.1.1.1", nil),
            ("evil com", nil),
            ("a..b", nil),
            ("", nil),
            (".", nil),
            ("bücher.de", "xn--bcher-kva.de"),
            ("ｐｙｐｉ．ｏｒｇ", "pypi.org"),          // full-width forms map to ASCII, as IDNA does
            ("pypi。org", "pypi.org"),
            ("a_b.example", "a_b.example"),
            ("evil.com/x", nil),
            ("[::1%25eth0]", nil),
        ]
        for (s, want) in cases { XCTAssertEqual(normalizeHost(s), want, s) }
        let cyrillic = normalizeHost("pypі.org")!    // U+0456
        XCTAssertNotEqual(cyrillic, "pypi.org")
        XCTAssertTrue(cyrillic.hasPrefix("xn--"))
        XCTAssertEqual(punycodeEncode(Array("münchen".unicodeScalars.map(\.value))), "mnchen-3ya")
    }

    func testIPLiterals() {
        for s in ["127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "127.1", "::1", "[::1]", "fe80::1", "1.2.3.4", "0x"] {
            XCTAssertTrue(isIPLiteral(s), s)
        }
        for s in ["pypi.org", "1.2.3.4.5", "localhost", "12a", "0x7g"] { XCTAssertFalse(isIPLiteral(s), s) }
    }

    func testHostPatterns() {
        let exact = HostPattern("pypi.org")!
        XCTAssertTrue(exact.matches("pypi.org"))
        XCTAssertTrue(exact.matches("PYPI.org."))
        XCTAssertFalse(exact.matches("www.pypi.org"))
        XCTAssertFalse(exact.matches("pypi.org.evil.com"))
        XCTAssertFalse(exact.matches("evilpypi.org"))
        XCTAssertFalse(exact.matches("pypі.org"))
        let sub = HostPattern("*.github.com")!
        XCTAssertTrue(sub.matches("api.github.com"))
        XCTAssertFalse(sub.matches("github.com"))
        XCTAssertFalse(sub.matches("evilgithub.com"))
        let dom = HostPattern(".github.com")!
        XCTAssertTrue(dom.matches("github.com"))
        XCTAssertTrue(dom.matches("a.b.github.com"))
        XCTAssertFalse(dom.matches("github.com.evil"))
        let ip = HostPattern("127.0.0.1")!
        XCTAssertTrue(ip.matches("2130706433"))
        XCTAssertTrue(ip.matches("0x7f.1"))
        XCTAssertFalse(ip.matches("localhost"))
        XCTAssertFalse(HostPattern(".0.0.1")?.matches("127.0.0.1") ?? false)
        XCTAssertNil(HostPattern("*.127.0.0.1"))
        XCTAssertNil(HostPattern("ev il.com"))
        XCTAssertNil(HostPattern("a.*.com"))
        XCTAssertTrue(HostPattern("*")!.matches("anything.example"))
        XCTAssertEqual(HostPattern(".github.com")!.text, ".github.com")
    }

    func testURLs() {
        func h(_ s: String) -> String? { hostOfURL(s)?.host ?? nil }
        XCTAssertEqual(h("http://pypi.org@evil.com/x"), "evil.com")
        XCTAssertEqual(h("http://evil.com#@pypi.org"), "evil.com")
        XCTAssertEqual(h("http://evil.com#pypi.org"), "evil.com")
        XCTAssertEqual(h("http://evil.com?.pypi.org"), "evil.com")
        XCTAssertEqual(h("http://pypi.org.evil.com/"), "pypi.org.evil.com")
        XCTAssertEqual(h("HTTP://PyPI.ORG./simple"), "pypi.org")
        XCTAssertEqual(h("http://%70ypi.org/"), "pypi.org")
        XCTAssertEqual(h("http://2130706433/"), "127.0.0.1")
        XCTAssertEqual(h("http://0x7f000001"), "127.0.0.1")
        XCTAssertNotNil(hostOfURL("http://evil.com\\@pypi.org"))
        XCTAssertNil(h("http://evil.com\\@pypi.org"))          // ambiguous: refused
        XCTAssertNil(h("http://a@b@c/"))
        XCTAssertNil(h("http:evil.com"))
        XCTAssertNil(h("https:/evil.com"))
        XCTAssertNil(h("http://evil.com:99999/"))
        XCTAssertNil(h("http://evil.com:8o/"))
        XCTAssertEqual(hostOfURL("http://[::1]:8080/")?.host, "::1")
        XCTAssertEqual(hostOfURL("http://[::1]:8080/")?.port, 8080)
        XCTAssertEqual(hostOfURL("https://e.com/")?.port, 443)
        XCTAssertEqual(hostOfURL("http://user:pw@e.com:81")?.port, 81)
        XCTAssertEqual(h("git@github.com:x/y.git"), "github.com")
        XCTAssertEqual(h("user@host.example:path/file"), "host.example")
        XCTAssertEqual(h("host.example:/abs"), "host.example")
        XCTAssertEqual(h("[::1]:path"), "::1")
        XCTAssertNil(hostOfURL("./a:b"))       // a slash before the colon: a local path
        XCTAssertNil(hostOfURL("plainword"))
        XCTAssertNil(hostOfURL("/abs/path"))
        XCTAssertEqual(h("ssh://git@github.com:2222/x"), "github.com")
        XCTAssertEqual(hostOfURL("ssh://git@github.com:2222/x")?.port, 2222)
    }
}

final class NetTargetTests: PolicyTestCase {
    var tree: TempTree!
    var env: NetEnv!

    override func setUp() {
        tree = TempTree()
        tree.dir("home"); tree.dir("etc"); tree.dir("w")
        env = NetEnv(home: tree.path("home"), xdgConfig: nil, etc: tree.path("etc"))
    }
    override func tearDown() { tree = nil }

    func targets(_ cmd: String, cwd: String? = nil) -> [String]? {
        targets(cmd.split(separator: " ").map(String.init), cwd: cwd)
    }
    func targets(_ argv: [String], cwd: String? = nil) -> [String]? {
        networkTargets(argv, cwd: cwd ?? tree.path("w"), env: env).map { $0.map { $0.host ?? "?" } }
    }
    func check(_ cmd: String, _ want: [String]?, cwd: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let got = targets(cmd, cwd: cwd)
        XCTAssertEqual(got.map { Set($0) }, want.map { Set($0) }, cmd, file: file, line: line)
    }

    func testNotNetwork() {
        check("ls -la", nil)
        check("python3 script.py", nil)
        check("tar -cf a.tar x", nil)
        check("git status", [])
        check("git commit -m x", [])
    }

    func testCurl() {
        check("curl https://pypi.org/simple", ["pypi.org"])
        check("curl http://pypi.org@evil.com", ["evil.com"])
        check("curl -sSL pypi.org/x", ["pypi.org"])
        check("curl --head https://a.example https://b.example", ["a.example", "b.example"])
        check("curl --url https://c.example", ["c.example"])
        check("curl -x http://proxy.example:3128 https://pypi.org", ["proxy.example", "pypi.org"])
        check("curl --resolve pypi.org:443:6.6.6.6 https://pypi.org", ["?", "pypi.org"])
        check("curl --connect-to ::evil.com: https://pypi.org", ["?", "pypi.org"])
        check("curl -K cfg", ["?"])
        check("curl http://{pypi.org,evil.com}/", ["?"])
        check("curl http://[1-3].evil.com/", ["?"])
        check("curl -g http://[::1]:8080/", ["::1"])
        check("curl http://[::1]:8080/", ["::1"])
        check("curl http://2130706433/", ["127.0.0.1"])
        check("curl http:evil.com", ["?"])
        check("curl file:///etc/passwd", [])
        tree.file("home/.curlrc", "proxy = http://corp:8080\n")
        check("curl https://pypi.org", ["pypi.org", "?"])
        check("curl -q https://pypi.org", ["pypi.org"])
    }

    func testWget() {
        check("wget https://e.example/x", ["e.example"])
        check("wget -nH -r https://e.example/", ["e.example"])
        check("wget -r -H https://e.example/", ["e.example", "?"])
        tree.file("w/urls", "https://a.example/1\n# c\nb.example/2\n")
        check("wget -i urls", ["a.example", "b.example"])
        check("wget -i -", ["?"])
        check("wget -e use_proxy=yes https://e.example", ["e.example", "?"])
    }

    func testGitRemotes() {
        tree.dir("w/repo/.git"); tree.dir("w/repo/sub")
        tree.file("w/repo/.git/HEAD", "ref: refs/heads/main\n")
        tree.file("w/repo/.git/config", """
            [core]
            \tbare = false
            [remote "origin"]
            \turl = git@github.com:me/proj.git
            \tfetch = +refs/heads/*:refs/remotes/origin/*
            [remote "up"]
            \turl = https://gitlab.example/up.git
            \tpushurl = ssh://push.example/up.git
            [branch "main"]
            \tremote = origin
            """)
        let repo = tree.path("w/repo/sub")
        check("git fetch", ["github.com"], cwd: repo)
        check("git pull up main", ["gitlab.example", "push.example"], cwd: repo)
        check("git push", ["github.com"], cwd: repo)
        check("git fetch --all", ["github.com", "gitlab.example", "push.example"], cwd: repo)
        check("git push https://evil.example/x.git", ["evil.example"], cwd: repo)
        check("git push ../local-mirror", [], cwd: repo)
        check("git ls-remote up", ["gitlab.example", "push.example"], cwd: repo)
        check("git remote add evil http://pypi.org@evil.com/x", ["evil.com"], cwd: repo)
        check("git remote -v", [], cwd: repo)
        check("git -c url.https://evil/.insteadOf=https://github.com/ fetch", ["?", "github.com"], cwd: repo)
        check("git submodule update --init", ["?"], cwd: repo)
        tree.file("w/repo/.git/config.worktree", "[alias]\n\tsync = pull up\n\tx = !curl evil\n")
        check("git sync", ["gitlab.example", "push.example"], cwd: repo)
        check("git x", ["?"], cwd: repo)
        check("git lfs pull", ["?"], cwd: repo)
        check("git -C \(tree.path("w/repo")) fetch origin", ["github.com"])
        // insteadOf: the URL is rewritten as git would, and the rewritten host is the target.
        tree.file("home/.gitconfig", "[url \"https://evil.example/\"]\n\tinsteadOf = https://github.com/\n")
        check("git fetch", ["github.com"], cwd: repo)   // origin is git@github.com:…, not rewritten
        tree.file("home/.gitconfig", "[url \"https://evil.example/\"]\n\tinsteadOf = git@github.com:\n")
        check("git fetch", ["evil.example"], cwd: repo)
    }

    func testGitDirFileAndIncludes() {
        tree.dir("store/wt-git"); tree.dir("w/wt")
        tree.file("w/wt/.git", "gitdir: \(tree.path("store/wt-git"))\n")
        tree.file("store/wt-git/HEAD", "ref: refs/heads/dev\n")
        tree.file("store/wt-git/config", "[include]\n\tpath = extra.inc\n[branch \"dev\"]\n\tremote = mirror\n")
        tree.file("store/wt-git/extra.inc", "[remote \"mirror\"]\n\turl = https://mirror.example/r.git\n")
        check("git pull", ["mirror.example"], cwd: tree.path("w/wt"))
    }

    func testGitClone() {
        check("git clone https://github.com/a/b.git", ["github.com"])
        check("git clone git@github.com:a/b.git dir", ["github.com"])
        check("git clone /srv/local.git", [])
        check("git clone file:///srv/local.git", [])
        check("git clone ext::sh -c evil", ["?"])
        check("git clone --recurse-submodules https://github.com/a/b", ["github.com", "?"])
        check("git clone -b main --depth 1 https://gitlab.example/x", ["gitlab.example"])
    }

    func testSSHFamily() {
        check("ssh user@host.example", ["host.example"])
        check("ssh -p 2222 host.example uptime", ["host.example"])
        check("ssh host.example ls -l /tmp", ["host.example"])
        check("ssh -J jump.example target.example", ["jump.example", "target.example"])
        check("ssh -o ProxyCommand=nc%20evil target.example", ["?", "target.example"])
        check("ssh -o Hostname=evil.example allowed.example", ["?", "allowed.example"])
        check("ssh -L 8080:internal.example:80 host.example", ["internal.example", "host.example"])
        check("ssh -D 1080 host.example", ["?", "host.example"])
        check("ssh ssh://git@github.com:22", ["github.com"])
        check("scp file user@h.example:/tmp", ["h.example"])
        check("scp -P 2222 a b", [])
        check("scp scp://h.example/x .", ["h.example"])
        check("sftp -P 22 u@h.example", ["h.example"])
        check("rsync -av src/ u@h.example:/dst", ["h.example"])
        check("rsync -av rsync://mirror.example/mod/ .", ["mirror.example"])
        check("rsync -av h.example::module/ .", ["h.example"])
        check("rsync -e ./evil a h.example:b", ["?", "h.example"])
        check("rsync -a a b", [])
        // ssh_config aliases: a Host block with Hostname makes the destination undeterminable.
        tree.file("home/.ssh/config", "Host alias\n  Hostname evil.example\nHost *\n  ServerAliveInterval 30\n")
        check("ssh alias", ["?"])
        check("ssh other.example", ["other.example"])
        tree.file("etc/ssh/ssh_config", "Include \(tree.path("etc/ssh/conf.d"))/*.conf\n")
        tree.file("etc/ssh/conf.d/x.conf", "Host other.example\n  ProxyJump evil.example\n")
        check("ssh other.example", ["?"])
    }

    func testPip() {
        check("pip install requests", ["pypi.org", "files.pythonhosted.org"])
        check("pip3 install -i https://evil.example/simple x", ["evil.example"])
        check("pip install --index-url=https://evil.example/simple x", ["evil.example"])
        check("pip install --index https://evil.example/simple x", ["evil.example"])          // optparse abbreviation
        check("pip install --extra-index-url https://extra.example/simple x", ["pypi.org", "files.pythonhosted.org", "extra.example"])
        check("python3 -m pip install git+https://gitlab.example/x.git", ["pypi.org", "files.pythonhosted.org", "gitlab.example"])
        check("pip install pkg@https://files.example/p.whl", ["pypi.org", "files.pythonhosted.org", "files.example"])
        check("pip install --no-index -f ./wheels x", [])
        check("pip freeze", [])
        check("pip uninstall -y x", [])
        tree.file("w/req.txt", "requests==2\nflask\n")
        check("pip install -r req.txt", ["pypi.org", "files.pythonhosted.org"])
        tree.file("w/req2.txt", "--index-url https://evil.example/simple\nx\n")
        check("pip install -r req2.txt", ["pypi.org", "files.pythonhosted.org", "?"])
        check("pip install -r missing.txt", ["pypi.org", "files.pythonhosted.org", "?"])
        tree.file("home/.config/pip/pip.conf", "[global]\nindex-url = https://mirror.example/simple\n")
        check("pip install x", ["mirror.example"])
        check("pip install --weird-option x", ["?"])
    }

    func testNpm() {
        check("npm install left-pad", ["registry.npmjs.org"])
        check("npm i --registry https://evil.example/ x", ["evil.example"])
        check("npm install user/repo", ["registry.npmjs.org", "github.com", "codeload.github.com"])
        check("npm install https://tar.example/x.tgz", ["registry.npmjs.org", "tar.example"])
        check("npm run build", [])
        check("npm test", [])
        check("npx cowsay hi", ["registry.npmjs.org"])
        check("yarn", ["registry.yarnpkg.com"])
        check("pnpm add x", ["registry.npmjs.org"])
        tree.file("w/.npmrc", "registry=https://npm.corp.example/\n@s:registry=https://scoped.example/\n")
        check("npm ci", ["npm.corp.example", "scoped.example"])
        tree.file("w/package.json", #"{"name":"x","homepage":"https://home.example","dependencies":{"a":"^1.0.0","b":"git+ssh://git@git.example/b.git"}}"#)
        tree.file("w/package-lock.json", #"{"packages":{"node_modules/a":{"resolved":"https://lock.example/a.tgz","funding":{"url":"https://fund.example"}}}}"#)
        check("npm install", ["npm.corp.example", "scoped.example", "git.example", "lock.example"])
    }

    func testOtherTools() {
        check("cargo build", ["crates.io", "index.crates.io", "static.crates.io"])
        check("cargo build --offline", [])
        check("cargo fmt", [])
        check("go build ./...", ["proxy.golang.org", "sum.golang.org"])
        check("go version", [])
        check("nc evil.example 443", ["evil.example"])
        check("nc -l 8080", ["?"])
        check("nc -x proxy.example:1080 target.example 80", ["proxy.example", "target.example"])
        check("socat - TCP:evil.example:80", ["evil.example"])
        check("socat TCP6:[::1]:80,reuseaddr STDIO", ["::1"])
        check("socat - EXEC:sh", ["?"])
        check("socat TCP-LISTEN:80 -", ["?"])
        check("socat - OPENSSL:h.example:443", ["h.example"])
        check("socat - SOCKS4A:proxy.example:dest.example:80", ["proxy.example", "dest.example"])
        check("socat - /tmp/file", [])
        check("telnet h.example 25", ["h.example"])
        check("ping -c 3 h.example", ["h.example"])
        check("dig @8.8.8.8 example.com MX +short", ["8.8.8.8", "example.com"])
        check("nslookup example.com 1.1.1.1", ["example.com", "1.1.1.1"])
        check("host -t TXT example.com", ["example.com"])
        check("docker pull ubuntu:22.04", ["registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com"])
        check("docker pull ghcr.io/org/img:tag", ["ghcr.io"])
        check("docker pull localhost:5000/img", ["localhost"])
        check("docker run ubuntu", ["?"])
        check("docker ps", [])
        check("gh pr list", ["api.github.com", "github.com"])
        check("aws s3 ls", ["?"])
        check("openssl s_client -connect h.example:443", ["h.example"])
        check("openssl x509 -in c.pem", nil)
        check("env FOO=1 curl https://e.example", ["e.example"])
        check("xargs curl", ["?"])
        check("env -S curl\\ evil", ["?"])
        check("watch curl evil.example", ["?"])
        check("sudo curl https://e.example", ["e.example"])
        check("find . -exec curl https://e.example ;", ["e.example"])
        check("tar -cf backup.example:/x.tar dir", ["backup.example"])
        check("tar --force-local -cf a:b dir", nil)
    }

    func testApt() {
        tree.file("etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm main\n# deb http://commented.example x\ndeb [arch=amd64 signed-by=/k] https://apt.example/ stable main\n")
        tree.file("etc/apt/sources.list.d/x.sources", "Types: deb\nURIs: http://security.debian.org/debian-security\n  https://second.example/\nSuites: bookworm\n")
        tree.file("etc/apt/sources.list.d/m.list", "deb mirror+file:/etc/apt/mirrors.txt bookworm main\n")
        check("apt-get update", ["deb.debian.org", "apt.example", "security.debian.org", "second.example", "?"])
        check("apt list --installed", [])
        check("apt-get -o Acquire::http::Proxy=http://x install y", ["deb.debian.org", "apt.example", "security.debian.org", "second.example", "?"])
    }
}
