import ArgumentParser
import Foundation
import Glibc
import Policy
import RateLimit

/// `aegishctl limits [show|reset]`: the rate-limit counters of a user, per [[limit]] class.
struct Limits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show (or reset) a user's rate-limit usage per [[limit]] class.",
        discussion: """
            The counters are shared by every aegish session of the user. Reading them needs access to \
            the policy's [limits] state_dir (root, or the aegish group). Exit status: 0, or 3 when the \
            policy has no [[limit]] classes or the state cannot be read.
            """,
        subcommands: [Show.self, Reset.self],
        defaultSubcommand: Show.self)

    struct Which: ParsableArguments {
        @OptionGroup var policy: PolicyOptions
        @Option(name: .long, help: ArgumentHelp("The user (name or uid; default: you).", valueName: "user"))
        var user: String?
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the usage of every class.")
        @OptionGroup var which: Which
        @Flag(name: .long, help: "One JSON object per class.") var json = false

        func run() throws {
            let limiter = try makeLimiter(which)
            switch limiter.usage() {
            case .failure(let e):
                stderrLine("aegishctl: \(e.reason)")
                throw ExitCode(errorExit)
            case .success(let usage):
                for u in usage {
                    if json {
                        var o: [String: Any] = ["class": u.classID, "window_s": u.window, "operations": u.operations,
                                                "targets": u.targets, "uid": Int(limiter.uid)]
                        if let m = u.maxOperations { o["max_operations"] = m }
                        if let m = u.maxTargets { o["max_targets"] = m }
                        if let f = u.freesIn { o["frees_in_s"] = f }
                        print(jsonText(o, pretty: false))
                    } else {
                        print(u.description + (u.freesIn.map { "; the oldest leaves the window in \($0) s" } ?? ""))
                    }
                }
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget every count of the user (administrators).")
        @OptionGroup var which: Which
        func run() throws {
            let limiter = try makeLimiter(which)
            if let e = limiter.reset() {
                stderrLine("aegishctl: \(e)")
                throw ExitCode(errorExit)
            }
            print("rate-limit counters of uid \(limiter.uid) reset")
        }
    }
}

private func makeLimiter(_ w: Limits.Which) throws -> Limiter {
    let loaded = try loadForTool(w.policy)
    guard let config = loaded.engine.policy.limits else {
        stderrLine("aegishctl: \(w.policy.policy) has no [[limit]] classes")
        throw ExitCode(errorExit)
    }
    var uid = getuid()
    if let u = w.user {
        if let n = uid_t(u) { uid = n }
        else if let pw = getpwnam(u) { uid = pw.pointee.pw_uid }
        else { stderrLine("aegishctl: unknown user \(u)"); throw ExitCode(errorExit) }
    }
    return Limiter(config: config, uid: uid)
}
