// aegishctl: the management tool for aegish policies (check, explain, test, replay, lint, hook;
// log, limits). Foundation and argument parsing are fine here: this is never on the shell's path.

import ArgumentParser
import Foundation
import Policy
import TOMLRead

// The policy's TOML is parsed here, in-process (the shell runs the aegish-toml helper instead).
TOMLParser.inProcess = readTOMLThrowing

struct AegishCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aegishctl",
        abstract: "Manage and test aegish policies.",
        discussion: """
            check, explain, test, replay, lint and hook run nothing: they parse and decide. Exit status: 0 allow, 1 ask, \
            2 deny (check, explain); 0 all passed, 1 failures (test); 0 nothing changes, 1 something \
            does (replay); 0 clean, 1 warnings with --strict (lint); 3 usage, load or parse errors. \
            supervise answers the policy's `ask` decisions; watch follows the audit log live. \
            Completion scripts: aegishctl --generate-completion-script bash|zsh|fish.
            """,
        subcommands: [Check.self, Explain.self, Test.self, Replay.self, Lint.self, Hook.self, Log.self, Limits.self,
                      Supervise.self, Watch.self])
}

// Usage errors exit 3 (not ArgumentParser's 64), like load and parse errors; help exits 0.
do {
    var command = try AegishCtl.parseAsRoot()
    try command.run()
} catch let e as ExitCode {
    exit(e.rawValue)
} catch {
    let code = AegishCtl.exitCode(for: error)
    let message = AegishCtl.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(3)
}
