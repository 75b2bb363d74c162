// swift-tools-version:5.10
import PackageDescription

// Layers, one job each (see docs/ARCHITECTURE.md):
//   Syntax  — lexer, parser, AST with source positions. Knows nothing about running.
//   Expand  — word expansion pieces: patterns, arithmetic, brace, field splitting, globbing.
//   Interp  — the evaluator: builtins, redirections, processes, and the Gate seam.
//   Policy  — the allowlist: loading the TOML policy, analysing argv/paths/hosts, deciding.
//   Audit   — the tamper-evident audit log.  RateLimit — limits on destructive operations.
//   Scan    — scanning code before an interpreter runs it, and package names before installs.
//   Enforce — the Gate the shell runs under: policy decision, then rate limit, then audit record,
//             and who answers `ask` (a supervisor over a Unix socket, or the terminal).
//   Interactive — the prompt: line editing and history (libedit), completion, PS1/PS2.
//   CSys    — the C shims Swift cannot express (fork/exec, signals, variadics, sockets).
//   CEdit, CEditShim — libedit (system library) and a C shim for its variadic calls.
//   TOMLTree — a parsed TOML document as plain values (and its binary form); TOMLRead — TOMLKit
//             → TOMLTree, linked by aegish-toml (the shell's parser process), aegishctl, tests.
//   Digest, CSHA256 — SHA-256 from libmd.
//   aegish  — the executable: invocation only.
// The shell links no Foundation, directly or through a dependency (TOMLKit and swift-crypto both
// bring it, with ICU): startup time is a product feature, and Foundation alone costs every start
// ~0.3 ms. `make build` checks the binary for it.
// The interpreter is single-threaded; dynamic exclusivity checks cost ~5% of a tight shell loop
// and guard nothing here (static checks still apply).
// Each function in its own section, so that the linker can place the functions a start runs
// next to each other (tools/order/aegish.order; fewer page faults per start).
let sections = SwiftSetting.unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release))
let fastSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked", "-Xfrontend", "-prespecialize-generic-metadata"], .when(configuration: .release)), sections]

let package = Package(
    name: "aegish",
    products: [
        .executable(name: "aegish", targets: ["aegish"]),
        .executable(name: "aegishctl", targets: ["aegishctl"]),
        .executable(name: "aegish-toml", targets: ["aegish-toml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "CSys", path: "Sources/CSys"),
        .target(name: "CSHA256", path: "Sources/CSHA256", linkerSettings: [.linkedLibrary("md")]),
        .target(name: "Digest", dependencies: ["CSHA256"], path: "Sources/Digest", swiftSettings: fastSettings),
        .target(name: "TOMLTree", path: "Sources/TOMLTree", swiftSettings: fastSettings),
        .target(name: "TOMLRead", dependencies: ["TOMLTree", .product(name: "TOMLKit", package: "TOMLKit")],
                path: "Sources/TOMLRead"),
        .executableTarget(name: "aegish-toml", dependencies: ["TOMLRead", "TOMLTree"], path: "Sources/aegish-toml"),
        .target(name: "Syntax", path: "Sources/Syntax", swiftSettings: [sections]),
        .target(name: "Expand", dependencies: ["Syntax", "CSys"], path: "Sources/Expand",
                swiftSettings: fastSettings),
        .target(name: "Interp", dependencies: ["Syntax", "Expand", "CSys"], path: "Sources/Interp",
                swiftSettings: fastSettings),
        .target(name: "Policy", dependencies: [
                    "Syntax", "Interp", "Audit", "RateLimit", "CSys", "Scan", "TOMLTree", "Digest",
                ], path: "Sources/Policy", swiftSettings: fastSettings),
        // The tamper-evident audit log (issue 4): records, hash chain, writer, verifier.
        .target(name: "Audit", dependencies: [
                    "CSys", "Digest",
                ], path: "Sources/Audit", swiftSettings: fastSettings),
        // Rate limits on destructive operations, shared by every session of a user (issue 4).
        .target(name: "RateLimit", dependencies: ["CSys"], path: "Sources/RateLimit", swiftSettings: fastSettings),
        // Scanning code before an interpreter runs it, and package installs (issue 8).
        .target(name: "Scan", dependencies: [
                    "CSys", "Digest",
                ], path: "Sources/Scan", swiftSettings: fastSettings),
        // The one seam where policy, limits and logging meet the interpreter.
        .target(name: "Enforce", dependencies: ["Interp", "Policy", "Audit", "RateLimit", "Scan", "CSys"],
                path: "Sources/Enforce", swiftSettings: fastSettings),
        // libedit, only for the interactive prompt (Debian: libedit-dev; its static archive and
        // those of libtinfo/libbsd/libmd come with it — the Makefile adds them for static links).
        .systemLibrary(name: "CEdit", path: "Sources/CEdit", providers: [.apt(["libedit-dev"])]),
        .target(name: "CEditShim", dependencies: ["CEdit"], path: "Sources/CEditShim",
                linkerSettings: [.linkedLibrary("edit")]),
        // The interactive shell: prompt, line editing, history, completion. Never on the -c path.
        .target(name: "Interactive", dependencies: ["Interp", "Syntax", "CSys", "CEdit", "CEditShim"],
                path: "Sources/Interactive", swiftSettings: [sections]),
        .executableTarget(name: "aegish", dependencies: ["Interp", "Syntax", "CSys", "Policy", "Audit", "RateLimit", "Enforce",
                                                         "Interactive"],
                          path: "Sources/aegish", swiftSettings: [sections]),
        // The management tool (check, explain, test, …): argument parsing costs ~1 ms, fine here,
        // never on the shell's path.
        .executableTarget(name: "aegishctl", dependencies: [
                              "Policy", "Syntax", "Interp", "Audit", "RateLimit", "Enforce", "CSys", "TOMLRead",
                              .product(name: "ArgumentParser", package: "swift-argument-parser"),
                          ], path: "Sources/aegishctl"),
        .testTarget(name: "SyntaxTests", dependencies: ["Syntax"], path: "Tests/SyntaxTests"),
        .testTarget(name: "ExpandTests", dependencies: ["Expand"], path: "Tests/ExpandTests"),
        .testTarget(name: "InterpTests", dependencies: ["Interp"], path: "Tests/InterpTests"),
        // PolicyTestCase: the tests' base class, parsing policy TOML in-process.
        .target(name: "PolicyTestSupport", dependencies: ["Policy", "TOMLRead"], path: "Tests/PolicyTestSupport"),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Interp", "Syntax", "CSys", "TOMLTree", "PolicyTestSupport"],
                    path: "Tests/PolicyTests"),
        .testTarget(name: "AuditTests", dependencies: ["Audit"], path: "Tests/AuditTests"),
        .testTarget(name: "RateLimitTests", dependencies: ["RateLimit"], path: "Tests/RateLimitTests"),
        .testTarget(name: "EnforceTests", dependencies: ["Enforce", "Policy", "Interp", "Audit", "RateLimit", "CSys", "Scan", "PolicyTestSupport"],
                    path: "Tests/EnforceTests"),
        .testTarget(name: "InteractiveTests", dependencies: ["Interactive", "Interp"], path: "Tests/InteractiveTests"),
        .testTarget(name: "DigestTests", dependencies: ["Digest"], path: "Tests/DigestTests"),
        .testTarget(name: "TOMLTreeTests", dependencies: ["TOMLTree", "TOMLRead"], path: "Tests/TOMLTreeTests"),
        .testTarget(name: "ScanTests", dependencies: ["Scan"], path: "Tests/ScanTests"),
    ]
)
