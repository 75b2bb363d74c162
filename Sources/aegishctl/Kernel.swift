import Glibc
import Policy

// What `check` and `explain` show about the kernel sandbox: the rules the command's programs
// would run under (KernelSandbox.describe), for the command's first program. Nothing is built:
// the rules are compiled and described, and the running kernel's Landlock ABI is asked.

/// aegish as installed, for the execute grant on aegish itself (only its count is shown).
let installedShell = "/usr/local/bin/aegish"

/// The lines, or [] for a command that is refused anyway (nothing would start).
func kernelLines(_ p: LoadedPolicy, commandText: String, verdict: Verdict) -> [String] {
    guard verdict != .deny else { return [] }
    let sandbox = KernelSandbox(engine: p.engine, shellPath: installedShell)
    return sandbox.describe(program: firstProgram(commandText, p))
}

/// The program the command line's first simple command names, resolved through the policy's
/// search path (assignments skipped); nil when it cannot be told without running anything.
func firstProgram(_ text: String, _ p: LoadedPolicy) -> String? {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    guard let name = words.first(where: { !$0.contains("=") || $0.hasPrefix("/") }) else { return nil }
    if name.hasPrefix("/") { return name }
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || "._+-".contains($0) }) else { return nil }
    return p.engine.resolve(name)
}

func printKernelLines(_ lines: [String]) {
    guard !lines.isEmpty else { return }
    print("kernel sandbox of the programs it starts:")
    for l in lines { print("  " + l) }
}
