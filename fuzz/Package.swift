// swift-tools-version:6.1
import PackageDescription

// limber's libFuzzer targets (see docs/reliability.md). A package of its own
// so that the instrumented build never mixes with the main one:
//
//   scripts/fuzz                  # build, then run every target (CI: ~20 s each)
//   scripts/fuzz --build-only
//
// The library targets are the root's own sources (Sources/LimberCore etc. are
// symlinks to ../../Sources/...), with the same dependencies as in the root
// Package.swift, so the fuzzers run exactly the code limberd runs, built with
// `-sanitize=fuzzer,address` coverage instrumentation. Each fuzz target's
// main.swift hands its check to LLVMFuzzerRunDriver (SwiftPM owns `main` on
// Linux, so libFuzzer's own main cannot be used).
// gold fails on the sanitized objects (an internal error in its DWARF reader);
// the toolchain's lld links them.
let lld: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]

let package = Package(
    name: "limber-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "LimberCore"),
        .target(name: "CLimberBuild"),
        .target(name: "LimberConfig", dependencies: ["LimberCore", "CLimberBuild"]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "Systemd", dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]),
        .target(name: "CDesktop", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "LimberPlugins", dependencies: ["LimberCore", "Systemd", "CDesktop"]),
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["LimberConfig", "LimberCore"]),
        .executableTarget(name: "FuzzProgram", dependencies: ["CFuzzerDriver", "FuzzSupport", "LimberConfig", "LimberCore"],
                          linkerSettings: lld),
        .executableTarget(name: "FuzzExecLine", dependencies: ["CFuzzerDriver", "LimberPlugins", "LimberCore"],
                          linkerSettings: lld),
        .executableTarget(name: "FuzzSettings", dependencies: ["CFuzzerDriver", "FuzzSupport", "LimberConfig", "LimberCore"],
                          linkerSettings: lld),
    ]
)
