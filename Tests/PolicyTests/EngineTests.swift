import PolicyTestSupport
import XCTest
import Glibc
@testable import Policy

/// The decision procedure, rule type by rule type, each with what it must allow and what it must
/// refuse — including the ways peers get bypassed.
final class EngineTests: PolicyTestCase {
    var ws = ""
    var home = ""
    var engine: PolicyEngine!

    override func setUpWithError() throws {
        var t1 = Array("/tmp/aegish-ws-XXXXXX".utf8CString)
        ws = String(cString: mkdtemp(&t1)!)
        var t2 = Array("/tmp/aegish-home-XXXXXX".utf8CString)
        home = String(cString: mkdtemp(&t2)!)
        mkdir(home + "/.ssh", 0o700)
        engine = try PolicyEngine(policy: samplePolicy(), home: home, governedUID: 65534)
    }

    override func tearDown() {
        _ = system("rm -rf '\(ws)' '\(ws)-evil' '\(home)'")
    }

    func samplePolicy() -> Policy {
        var p = Policy()
        p.name = "test"
        p.defaultVerdict = .deny
        p.searchPath = ["/usr/bin", "/bin"]
        p.workspace = ws
        p.paths.write = ["$WORKSPACE"]
        p.paths.deny = ["~/.ssh"]
        p.network.allow = ["pypi.org", "files.pythonhosted.org"]
        p.environment.deny = ["LD_*", "BASH_ENV"]
        p.environment.set = ["PAGER": "cat"]
        func rule(_ id: String, _ v: Verdict, _ body: (inout CommandRule) -> Void = { _ in }) -> CommandRule {
            var r = CommandRule(id: id, names: [id], verdict: v)
            body(&r)
            return r
        }
        p.commands = [
            rule("ls", .allow), rule("cat", .allow), rule("echo", .allow), rule("touch", .allow), rule("grep", .allow), rule("cp", .allow),
            rule("rm", .allow) { $0.denyOptions = ["--no-preserve-root"]; $0.askOptions = ["-r", "--recursive"] },
            rule("git", .allow) {
                $0.optionsWithValue = ["-c", "-C"]
                $0.denyOptions = ["--force"]
                $0.arguments = [ArgumentRule(pattern: "push *", verdict: .ask, id: "git-push"),
                                ArgumentRule(pattern: "reset --hard*", verdict: .deny, id: "git-reset-hard")]
            },
            rule("curl", .allow), rule("env", .allow), rule("xargs", .allow), rule("find", .allow),
            rule("nice", .allow), rule("timeout", .allow),
            rule("python3", .allow) { $0.inlineCode = .ask },
            rule("awk", .allow),
            rule("sudo", .deny),
            rule("chmod", .deny) { $0.arguments = [ArgumentRule(pattern: "+x *", verdict: .allow, id: "chmod-x")] },
        ]
        return p
    }

    func verdict(_ argv: [String], cwd: String? = nil, assigned: [String] = []) -> Verdict {
        engine.decideExec(argv: argv, path: nil, cwd: cwd ?? ws, assigned: assigned).verdict
    }

    // MARK: binaries

    func testUnknownCommandIsDeniedByDefaultWithAReason() {
        let d = engine.decideExec(argv: ["wget", "x"], path: nil, cwd: ws)
        XCTAssertEqual(d.verdict, .deny)
        XCTAssertEqual(d.ruleID, "default")
        XCTAssertTrue(d.reason.contains("allowed"), d.reason)
    }

    func testSameBinaryGetsSameDecisionHoweverReached() throws {
        XCTAssertEqual(verdict(["ls", ws]), .allow)
        XCTAssertEqual(verdict(["/bin/ls", ws]), .allow)
        XCTAssertEqual(verdict(["/usr/bin/ls", ws]), .allow)
        symlink("/usr/bin/sudo", ws + "/harmless")
        XCTAssertEqual(engine.decideExec(argv: ["harmless"], path: ws + "/harmless", cwd: ws).verdict, .deny,
                       "a symlink to sudo is sudo")
        XCTAssertEqual(verdict(["/usr/bin/sudo", "ls"]), .deny)
    }

    func testBinaryWritableByTheGovernedUserIsNotTrusted() throws {
        let dir = home + "/bin"   // writable by the user, not the workspace
        mkdir(dir, 0o755)
        XCTAssertEqual(system("cp /usr/bin/true \(dir)/ls && chown 65534 \(dir)/ls"), 0)
        let d = engine.decideExec(argv: ["\(dir)/ls"], path: "\(dir)/ls", cwd: ws)
        XCTAssertEqual(d.verdict, .deny)
        XCTAssertEqual(d.ruleID, "binary-trust")
    }

    func testSha256Pin() throws {
        var p = samplePolicy()
        var r = CommandRule(id: "true", names: ["true"], verdict: .allow)
        r.sha256 = sha256Hex(ofFile: "/usr/bin/true")
        p.commands.append(r)
        let good = try PolicyEngine(policy: p, home: home, governedUID: 65534)
        XCTAssertEqual(good.decideExec(argv: ["true"], path: nil, cwd: ws).verdict, .allow)
        p.commands[p.commands.count - 1].sha256 = String(repeating: "0", count: 64)
        let bad = try PolicyEngine(policy: p, home: home, governedUID: 65534)
        XCTAssertEqual(bad.decideExec(argv: ["true"], path: nil, cwd: ws).verdict, .deny)
    }

    func testScriptsAreDecidedAsTheirInterpreter() throws {
        func script(_ name: String, _ first: String) -> String {
            let p = ws + "/" + name
            let f = fopen(p, "w")!
            fputs(first + "\nprint(1)\n", f)
            fclose(f)
            chmod(p, 0o755)
            chown(p, 65534, 65534)   // the agent's own file: data for an allowed interpreter
            return p
        }
        let py = script("tool.py", "#!/usr/bin/env python3")
        XCTAssertEqual(engine.decideExec(argv: ["./tool.py"], path: py, cwd: ws).verdict, .allow)
        let su = script("esc.sh", "#!/usr/bin/sudo -s")
        XCTAssertEqual(engine.decideExec(argv: ["./esc.sh"], path: su, cwd: ws).verdict, .deny)
        let plain = script("bin.x", "not a script")
        XCTAssertEqual(engine.decideExec(argv: ["./bin.x"], path: plain, cwd: ws).verdict, .deny)
    }

    func testWorkspaceProgramsTakeThePolicyVerdict() throws {
        let prog = ws + "/a.out"
        XCTAssertEqual(system("cp /usr/bin/true \(prog) && chown 65534 \(prog)"), 0)
        XCTAssertEqual(engine.decideExec(argv: ["./a.out"], path: prog, cwd: ws).ruleID, "workspace-programs")
        XCTAssertEqual(engine.decideExec(argv: ["./a.out"], path: prog, cwd: ws).verdict, .deny, "default deny")
        var p = samplePolicy()
        p.workspacePrograms = .allow
        let e = try PolicyEngine(policy: p, home: home, governedUID: 65534)
        XCTAssertEqual(e.decideExec(argv: ["./a.out", ws + "/x"], path: prog, cwd: ws).verdict, .allow)
        XCTAssertEqual(e.decideExec(argv: ["./a.out", home + "/.ssh/id_rsa"], path: prog, cwd: ws).verdict, .deny,
                       "what it names is still checked")
        XCTAssertEqual(e.decideExec(argv: [ws + "-evil/a.out"], path: ws + "-evil/a.out", cwd: ws).verdict, .deny,
                       "a sibling of the workspace is not the workspace")
    }

    // MARK: options and arguments

    func testDeniedOptionHoweverSpelled() {
        for argv in [["rm", "--no-preserve-root", "x"], ["rm", "--no-preserve", "x"], ["rm", "x", "--no-preserve-root"],
                     ["rm", "--no-preserve-root=yes", "x"]] {
            XCTAssertEqual(verdict(argv), .deny, argv.joined(separator: " "))
        }
        XCTAssertEqual(verdict(["rm", "--", "--no-preserve-root"]), .allow, "after -- it is a file name")
    }

    func testAskedOptionHoweverSpelled() {
        for argv in [["rm", "-rf", "x"], ["rm", "-fr", "x"], ["rm", "-r", "-f", "x"], ["rm", "-fvr", "x"],
                     ["rm", "--recursive", "--force", "x"], ["rm", "--recur", "x"], ["rm", "x", "-r"]] {
            XCTAssertEqual(verdict(argv), .ask, argv.joined(separator: " "))
        }
        XCTAssertEqual(verdict(["rm", "-f", "x"]), .allow)
        XCTAssertEqual(verdict(["rm", "-R", "x"]), .allow, "-R is not -r for this rule (case matters)")
    }

    func testSubcommandsAndGlobalOptionsBeforeThem() {
        XCTAssertEqual(verdict(["git", "status"]), .allow)
        XCTAssertEqual(verdict(["git", "push", "https://pypi.org/r.git", "main"]), .ask)
        XCTAssertEqual(verdict(["git", "-C", ws, "-c", "x=y", "push", "https://pypi.org/r.git"]), .ask)
        XCTAssertEqual(verdict(["git", "-c", "x=y", "push", "--force"]), .deny)
        XCTAssertEqual(verdict(["git", "push", "--forc"]), .deny)
        XCTAssertEqual(verdict(["git", "reset", "--hard"]), .deny)
        XCTAssertEqual(verdict(["git", "reset", "--soft"]), .allow)
    }

    func testDenyBeatsAskBeatsAllowAndArgumentRulesRefine() {
        XCTAssertEqual(verdict(["chmod", "+x", ws + "/a"]), .allow, "argument rule allows inside a denied command")
        XCTAssertEqual(verdict(["chmod", "777", ws + "/a"]), .deny)
        XCTAssertEqual(verdict(["git", "push", "--force"]), .deny, "deny option beats ask pattern")
    }

    // MARK: commands that run commands

    func testWrappersAreCheckedAsIfTypedDirectly() {
        XCTAssertEqual(verdict(["env", "sudo", "ls"]), .deny)
        let envLs = engine.decideExec(argv: ["env", "FOO=1", "ls", ws], path: nil, cwd: ws)
        XCTAssertEqual(envLs.verdict, .allow, envLs.ruleID + " " + envLs.reason)
        XCTAssertEqual(verdict(["env", "LD_PRELOAD=/x.so", "ls"]), .deny)
        XCTAssertEqual(verdict(["nice", "-n", "5", "sudo", "ls"]), .deny)
        XCTAssertEqual(verdict(["timeout", "5", "rm", "--no-preserve-root", "x"]), .deny)
        XCTAssertEqual(verdict(["xargs", "sudo"]), .deny)
        XCTAssertEqual(verdict(["xargs", "rm", "-f"]), .deny, "rm has denied options, and xargs appends unseen words")
        // The files xargs passes are unseen, and ~/.ssh is protected: refused, with a way out.
        XCTAssertEqual(verdict(["xargs", "-0", "ls", "-l"]), .deny)
        XCTAssertEqual(verdict(["find", ".", "-name", "*.py", "-exec", "ls", "-l", "{}", "+"]), .allow)
        XCTAssertEqual(verdict(["find", ".", "-exec", "sudo", "ls", ";"]), .deny)
        XCTAssertEqual(verdict(["find", ".", "-name", "*.o", "-exec", "rm", "-f", "{}", ";"]), .allow)
        XCTAssertEqual(verdict(["env", "nice", "timeout", "3", "sudo", "x"]), .deny, "nested wrappers")
    }

    func testShellsStartedByProgramsAreRefused() {
        XCTAssertEqual(verdict(["find", ".", "-exec", "sh", "-c", "ls", ";"]), .deny)
        XCTAssertEqual(verdict(["xargs", "bash", "-c", "ls"]), .deny)
        XCTAssertEqual(verdict(["env", "/bin/sh", "-c", "ls"]), .deny)
    }

    func testInterpretersInlineCode() {
        XCTAssertEqual(verdict(["python3", "-c", "print(1)"]), .ask)
        XCTAssertEqual(verdict(["python3", ws + "/app.py"]), .allow)
        XCTAssertEqual(verdict(["awk", "{print $1}", ws + "/f"]), .allow)
        XCTAssertEqual(verdict(["awk", "BEGIN{system(\"rm x\")}"]), .deny)
        XCTAssertEqual(verdict(["awk", "BEGIN{print | \"sh\"}"]), .deny)
    }

    // MARK: paths

    func testWritesConfinedToWritablePaths() throws {
        XCTAssertEqual(verdict(["rm", ws + "/a"]), .allow)
        XCTAssertEqual(verdict(["rm", "/etc/passwd"]), .deny)
        XCTAssertEqual(verdict(["rm", ws + "/../../etc/passwd"]), .deny, "..")
        XCTAssertEqual(verdict(["rm", "../../etc/passwd"], cwd: ws), .deny, "relative ..")
        mkdir(ws + "-evil", 0o755)
        XCTAssertEqual(verdict(["rm", ws + "-evil/x"]), .deny, "sibling prefix")
        symlink("/etc", ws + "/etc-link")
        XCTAssertEqual(verdict(["rm", ws + "/etc-link/passwd"]), .deny, "symlink out of the workspace")
        XCTAssertEqual(verdict(["touch", "/tmp/x"]), .deny)
    }

    func testDeniedPathsEvenForReads() {
        XCTAssertEqual(verdict(["cat", home + "/.ssh/id_rsa"]), .deny)
        XCTAssertEqual(verdict(["cat", "/etc/hostname"]), .allow, "reads are unrestricted in this policy")
        XCTAssertEqual(engine.decideOpen(home + "/.ssh/config", access: .read, cwd: ws).verdict, .deny)
    }

    func testRedirectionTargets() {
        XCTAssertEqual(engine.decideOpen("/etc/cron.d/x", access: .write, cwd: ws).verdict, .deny)
        XCTAssertEqual(engine.decideOpen("out.txt", access: .write, cwd: ws).verdict, .allow)
        XCTAssertEqual(engine.decideOpen("/dev/null", access: .write, cwd: ws).verdict, .allow)
        XCTAssertEqual(engine.decideOpen("../x", access: .write, cwd: ws).verdict, .deny)
        XCTAssertEqual(engine.decideOpen("sub/../../x", access: .write, cwd: ws).verdict, .deny)
    }

    func testDoorsToOtherPathsAreClosed() {
        XCTAssertEqual(verdict(["cat", "/dev/fd/../root" + home + "/.ssh/id_rsa"]), .deny)
        XCTAssertEqual(verdict(["cat", "/proc/self/root" + home + "/.ssh/id_rsa"]), .deny)
        XCTAssertEqual(verdict(["cat", "/proc/1/cwd/x"]), .deny)
        XCTAssertEqual(engine.decideOpen("/dev/fd/3", access: .write, cwd: ws).verdict, .allow)
    }

    func testRecursiveWalksOverProtectedPaths() {
        XCTAssertEqual(verdict(["grep", "-r", "key", home]), .deny, "~/.ssh is below")
        XCTAssertEqual(verdict(["cp", "-r", home, ws + "/copy"]), .deny)
        let g = engine.decideExec(argv: ["grep", "-r", "key", ws], path: nil, cwd: ws); XCTAssertEqual(g.verdict, .allow, g.ruleID + ": " + g.reason)
        XCTAssertEqual(verdict(["ls", home]), .allow, "not recursive")
    }

    func testSymlinkFollowingWalks() {
        mkdir(ws + "/src", 0o755)
        symlink(home + "/.ssh", ws + "/src/k")
        XCTAssertEqual(verdict(["grep", "-R", "x", ws + "/src"]), .deny, "-R follows src/k into ~/.ssh")
        XCTAssertEqual(verdict(["grep", "-r", "x", ws + "/src"]), .allow, "-r does not follow links it meets")
    }

    func testAskAndDenyPatternsMatchOptionsHoweverPlaced() {
        XCTAssertEqual(verdict(["git", "reset", "-q", "--hard"]), .deny)
        XCTAssertEqual(verdict(["git", "reset", "--har", "HEAD"]), .deny)
        XCTAssertEqual(verdict(["git", "reset", "--hard=HEAD"]), .deny)
        XCTAssertEqual(verdict(["git", "reset", "-q", "HEAD"]), .allow)
    }

    func testHomeSeenByProgramsIsTheOneChecked() throws {
        // An exported HOME pointing into the workspace would make git read a planted .gitconfig;
        // the child gets the real HOME, and the decision is made with that HOME too.
        let env = engine.childEnvironment(["HOME=\(ws)/fake", "XDG_CONFIG_HOME=\(ws)/x"], shellPath: "/bin/aegish")
        XCTAssertEqual(env.filter { $0.hasPrefix("HOME=") }, ["HOME=" + home])
        XCTAssertFalse(env.contains { $0.hasPrefix("XDG_CONFIG_HOME=") })
        // With a global config the agent may write (here: HOME is inside the writable workspace),
        // a program-running key there refuses git; the same file outside its reach does not.
        let inside = ws + "/home"
        mkdir(inside, 0o755)
        try "[core]\n\tfsmonitor = /tmp/evil\n".write(toFile: inside + "/.gitconfig", atomically: true, encoding: .utf8)
        var p = samplePolicy()
        p.commands.append(CommandRule(id: "git", names: ["git"], verdict: .allow))
        let agentsHome = try PolicyEngine(policy: p, home: inside, governedUID: 65534)
        let d = agentsHome.decideExec(argv: ["git", "status"], path: nil, cwd: ws)
        XCTAssertEqual(d.verdict, .deny, d.reason)
        XCTAssertTrue(d.reason.contains(".gitconfig"), d.reason)
        try "[core]\n\tfsmonitor = /tmp/evil\n".write(toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
        let humansHome = try PolicyEngine(policy: p, home: home, governedUID: 65534)
        XCTAssertEqual(humansHome.decideExec(argv: ["git", "status"], path: nil, cwd: ws).verdict, .allow)
    }

    // MARK: network

    func testHosts() {
        XCTAssertEqual(verdict(["curl", "-o", ws + "/i", "https://pypi.org/simple/"]), .allow)
        XCTAssertEqual(verdict(["curl", "https://evil.example/"]), .deny)
        XCTAssertEqual(verdict(["curl", "http://pypi.org@evil.example/"]), .deny, "userinfo trick")
        XCTAssertEqual(verdict(["curl", "http://pypi.org.evil.example/"]), .deny, "suffix trick")
        XCTAssertEqual(verdict(["curl", "http://1.2.3.4/"]), .deny, "IP literal")
    }

    // MARK: environment

    func testEnvironment() {
        XCTAssertEqual(verdict(["ls", ws], assigned: ["LD_PRELOAD"]), .deny)
        XCTAssertEqual(verdict(["ls", ws], assigned: ["FOO"]), .allow)
        let env = engine.childEnvironment(["PATH=/tmp/evil", "LD_LIBRARY_PATH=/x", "HOME=/h", "PAGER=less", "SHELL=/bin/bash"],
                                          shellPath: "/usr/local/bin/aegish")
        XCTAssertTrue(env.contains("PATH=/usr/bin:/bin"))
        XCTAssertTrue(env.contains("SHELL=/usr/local/bin/aegish"))
        XCTAssertTrue(env.contains("PAGER=cat"))
        // HOME is pinned to the governed user's home: the decisions read the config files there.
        XCTAssertTrue(env.contains("HOME=" + home))
        XCTAssertFalse(env.contains("HOME=/h"))
        XCTAssertFalse(env.contains { $0.hasPrefix("LD_") })
        XCTAssertFalse(env.contains("PATH=/tmp/evil"))
    }
}
