// swift-tools-version:6.1
import PackageDescription

// limber's benchmarks: the core at scale and the notification round trip.
// Run through scripts/bench (see docs/benchmarks.md). The root package
// exports only its executables, so the modules measured here are the root's
// own sources, reached through symlinks in Sources/ (LimberCore, CSystemd,
// Systemd): the same code, built with the same flags, release mode.
let package = Package(
    name: "limber-bench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "LimberCore", path: "Sources/LimberCore"),
        .systemLibrary(name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        .target(name: "Systemd", dependencies: [
            "CSystemd",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/Systemd"),
        .target(name: "CHeap"),
        .executableTarget(name: "limber-bench", dependencies: [
            "LimberCore", "Systemd", "CHeap",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
    ]
)
