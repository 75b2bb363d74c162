import PolicyTestSupport
import XCTest
@testable import Policy

/// No input may crash the analysis (a trap would take the shell down).
final class WrappersFuzzTests: PolicyTestCase {
    func testRandomCommandLinesDoNotCrash() {
        let progs = ["env", "xargs", "nice", "timeout", "time", "stdbuf", "setsid", "sudo", "doas", "chroot", "ionice",
                     "taskset", "chrt", "flock", "watch", "su", "runuser", "sg", "strace", "ltrace", "busybox", "nsenter",
                     "unshare", "script", "find", "git", "tar", "rsync", "ssh", "scp", "sftp", "vim", "less", "man",
                     "bash", "sh", "python3", "node", "deno", "bun", "perl", "ruby", "php", "lua", "Rscript", "R", "awk",
                     "gawk", "sed", "expect", "sort", "split", "zip", "sqlite3", "emacs", "ssh-agent", "fakeroot", "pkexec",
                     "valgrind", "at", "crontab", "make"]
        let vocab = ["-", "--", "-c", "-e", "-S", "-i", "-I", "{}", ";", "+", "-exec", "-o", "-oProxyCommand=x", "x=y",
                     "-c", "alias.x=!y", "x", "--to-command", "-T", "-f", "-n", "5", "'", "\"", "\\", "$", "${X}", "-rf",
                     "--", "-pie", "-M", "-Mx;y", "-u", "-C", "--exec", "=", "", "-W", "-l", "|", "-x", "+!x", "-p",
                     "--eval", "-m", "timeit", "core.pager=x", "--rsh", "-E", "-v", "-h", "--help", ":", "a:b", "-0777"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20000 {
            var argv = [progs.randomElement(using: &rng)!]
            for _ in 0..<Int.random(in: 0...7, using: &rng) { argv.append(vocab.randomElement(using: &rng)!) }
            _ = innerCommands(argv)
            _ = appendsInputArguments(argv)
            _ = inlineProgram(argv)
            _ = matchingOptions(Array(argv.dropFirst()), rules: ["-r", "--force", "-rf", "-exec", "--x=y*"], withValue: ["-c", "-C", "-exec"])
            _ = commandArguments(Array(argv.dropFirst()), withValue: ["-c", "-name"])
            _ = argumentsMatch(argv.joined(separator: " "), argv)
            let text = argv.joined(separator: argv.count % 2 == 0 ? "\n" : " ")
            _ = awkRunsCommands(text)
            _ = sedExecutes(text)
            _ = sedWrittenFiles(text)
            _ = envSplitString(text)
        }
    }

    func testRandomProgramTextDoesNotCrash() {
        let alphabet = Array("s/|\\\n;{}[]^:ewWy#!$,~+0123aip\"' ()@")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<30000 {
            let n = Int.random(in: 0...14, using: &rng)
            let t = String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
            _ = awkRunsCommands(t)
            _ = sedExecutes(t)
            _ = sedWrittenFiles(t)
            _ = envSplitString(t)
            _ = gitSplitCmdline(t)
            _ = argumentsMatch(t, [t, t])
            _ = sqliteRunsPrograms(t)
        }
    }
}
