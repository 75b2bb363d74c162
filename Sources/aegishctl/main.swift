import ArgumentParser

@main
struct AegishCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aegishctl",
        abstract: "Manage and test aegish policies.")
}
