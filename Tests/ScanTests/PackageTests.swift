import XCTest
import Glibc
@testable import Scan

/// Package installs: which names each package manager's command line installs, and the
/// typosquat check against the bundled popular lists (data/popular).
final class PackageTests: XCTestCase {
    static let dataDir: String = {
        var p = #filePath
        for _ in 0..<3 { p = String(p[..<p.lastIndex(of: "/")!]) }
        return p + "/data/popular"
    }()
    var dir = ""

    override func setUpWithError() throws {
        var t = Array("/tmp/aegish-pkg-XXXXXX".utf8CString)
        dir = String(cString: mkdtemp(&t)!)
    }
    override func tearDown() { _ = system("rm -rf '\(dir)'") }

    func names(_ argv: String) -> [String]? {
        packageInstall(argv.split(separator: " ").map(String.init), cwd: dir)?.requests.map { "\($0.ecosystem.rawValue):\($0.name)" }
    }

    func testCommandLines() {
        XCTAssertEqual(names("pip install requests==2.31"), ["pypi:requests"])
        XCTAssertEqual(names("pip3 install --upgrade -i https://pypi.org/simple flask Django[argon2]>=4"), ["pypi:flask", "pypi:Django"])
        XCTAssertEqual(names("python3 -m pip install --user numpy"), ["pypi:numpy"])
        XCTAssertEqual(names("uv pip install httpx"), ["pypi:httpx"])
        XCTAssertEqual(names("pip install ./local-dir git+https://github.com/a/b pkg.whl"), [])
        XCTAssertNil(names("pip list"))
        XCTAssertNil(names("python3 app.py"))
        XCTAssertEqual(names("npm install lodash@4 @types/node@^20 --save-dev"), ["npm:lodash", "npm:@types/node"])
        XCTAssertEqual(names("npm i alias@npm:real-pkg@1"), ["npm:alias", "npm:real-pkg"])
        XCTAssertEqual(names("npm install user/repo github:a/b ./dir https://x/y.tgz"), [])
        XCTAssertEqual(names("yarn add left-pad"), ["npm:left-pad"])
        XCTAssertEqual(names("pnpm add -D vitest"), ["npm:vitest"])
        XCTAssertEqual(names("npx cowsay hello"), ["npm:cowsay"])
        XCTAssertEqual(names("npm exec --package=typescript -- tsc"), ["npm:typescript"])
        XCTAssertNil(names("npm run build"))
        XCTAssertEqual(names("cargo add serde@1 tokio -F full"), ["crates:serde", "crates:tokio"])
        XCTAssertEqual(names("cargo install ripgrep"), ["crates:ripgrep"])
        XCTAssertNil(names("cargo install --git https://github.com/a/b tool"))
        XCTAssertEqual(names("gem install rails -v 7.1"), ["rubygems:rails"])
        XCTAssertEqual(names("go install golang.org/x/tools/cmd/goimports@latest"), ["go:golang.org/x/tools/cmd/goimports"])
        XCTAssertEqual(names("apt-get install -y curl=7.88 libssl-dev:amd64"), ["apt:curl", "apt:libssl-dev"])
        XCTAssertNil(names("apt-get update"))
    }

    func testRequirementsAndPackageJSON() throws {
        try "requests>=2  # http\n\n-r more.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\nnumpy ; python_version > '3.8'\n-e ./local\n"
            .write(to: dir + "/requirements.txt")
        try "python-dateutils\n".write(to: dir + "/more.txt")
        let r = packageInstall(["pip", "install", "-r", "requirements.txt"], cwd: dir)
        XCTAssertEqual(r?.requests.map(\.name), ["requests", "python-dateutils", "numpy"])
        XCTAssertEqual(r?.requests.map(\.source), ["requirements.txt:1", "more.txt:1", "requirements.txt:6"])
        XCTAssertEqual(packageInstall(["pip", "install", "-r", "missing.txt"], cwd: dir)?.problems, ["missing.txt: cannot be read"])

        try #"{"name": "app", "dependencies": {"loadsh": "^4", "x": "file:../x", "y": "npm:react@18"}, "devDependencies": {"jest": "29"}}"#
            .write(to: dir + "/package.json")
        mkdir(dir + "/src", 0o755)
        let n = packageInstall(["npm", "install"], cwd: dir + "/src")
        XCTAssertEqual(n?.requests.map(\.name), ["loadsh", "react", "jest"])
    }

    func testTyposquat() throws {
        let lists = PopularLists(directory: PackageTests.dataDir, trustProblem: { _ in nil })
        func check(_ argv: String) -> Assessment {
            let install = packageInstall(argv.split(separator: " ").map(String.init), cwd: dir) ?? PackageInstall()
            return assessPackages(install, config: PackageScan(), lists: lists)
        }
        for flagged in ["pip install reqeusts", "pip install python-dateutils", "npm install loadsh",
                        "pip install pythondateutil", "pip install c0lorama", "npm install expres"] {
            let a = check(flagged)
            XCTAssertEqual(a.verdict, .ask, flagged)
            XCTAssertEqual(a.rule, "scan.packages.typosquat", flagged)
        }
        XCTAssertTrue(check("pip install reqeusts").reasons[0].contains("Did you mean requests?"))
        XCTAssertTrue(check("npm install loadsh").reasons[0].contains("lodash"))
        for fine in ["pip install requests", "npm install lodash", "pip install python-dateutil", "pip install Python_Dateutil",
                     "npm install react react-dom", "pip install numpy pandas", "cargo add serde", "gem install rails",
                     "pip install aegish-internal-tool-xyz"] {
            XCTAssertEqual(check(fine).verdict, .allow, fine)
        }
    }

    func testAllowlistsAndErrors() {
        var config = PackageScan()
        config.allow[.pypi] = ["requests", "Django"]
        config.allow[.go] = ["golang.org/x/tools"]
        let lists = PopularLists(directory: PackageTests.dataDir, trustProblem: { _ in nil })
        func check(_ argv: String) -> Assessment {
            assessPackages(packageInstall(argv.split(separator: " ").map(String.init), cwd: dir)!, config: config, lists: lists)
        }
        XCTAssertEqual(check("pip install requests django").verdict, .allow)
        XCTAssertEqual(check("pip install numpy").verdict, .deny)
        XCTAssertEqual(check("pip install numpy").rule, "scan.packages.not-listed")
        XCTAssertEqual(check("go install golang.org/x/tools/cmd/stringer@v0.1").verdict, .allow)
        XCTAssertEqual(check("go install github.com/evil/tools@latest").verdict, .deny)
        // Lists that cannot be read or trusted: on_error.
        let missing = PopularLists(directory: dir + "/none", trustProblem: { _ in nil })
        XCTAssertEqual(assessPackages(packageInstall(["npm", "i", "lodash"], cwd: dir)!, config: PackageScan(), lists: missing).verdict, .deny)
        let untrusted = PopularLists(directory: PackageTests.dataDir, trustProblem: { _ in "the governed user can write it" })
        let a = assessPackages(packageInstall(["npm", "i", "lodash"], cwd: dir)!, config: PackageScan(), lists: untrusted)
        XCTAssertEqual(a.verdict, .deny)
        XCTAssertTrue(a.reasons[0].contains("cannot be trusted"))
    }

    func testEditDistance() {
        func d(_ a: String, _ b: String) -> Int? { editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: 2) }
        XCTAssertEqual(d("requests", "reqeusts"), 1)
        XCTAssertEqual(d("lodash", "loadsh"), 1)
        XCTAssertEqual(d("lodash", "lodash"), 0)
        XCTAssertEqual(d("abc", "abcde"), 2)
        XCTAssertNil(d("abc", "xyzw"))
        XCTAssertEqual(normalizePackage("Python_Date.util", .pypi), "python-date-util")
        XCTAssertEqual(lookalike("rnatplotl1b"), "matplotllb")
    }
}

extension String {
    func write(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw TestFileError() }
        _ = withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }
}
struct TestFileError: Error {}
