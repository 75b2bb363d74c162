// aegishctl: the management tool for aegish policies (check, test). Foundation and argument
// parsing are fine here: this is never on the shell's path.

import ArgumentParser
import Foundation

struct AegishCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aegishctl",
        abstract: "Manage and test aegish policies.",
        discussion: "Exit status: 0 allow, 1 ask, 2 deny (check); 0 all passed, 1 failures (test); 3 usage, load or parse errors.",
        subcommands: [Check.self, Test.self, Log.self, Limits.self, Supervise.self, Watch.self])
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
