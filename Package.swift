// swift-tools-version:6.1
import PackageDescription

// limber: a break-and-movement reminder for the Linux desktop.
// Layers (see docs/architecture.md): arrows point down only.
//   LimberCore      pure reminder core (no clocks, files or D-Bus), and the
//                   texts built from it (status line, today's plan)
//   LimberAPI       the D-Bus API declared: names, methods, signals, error
//                   names, the introspection XML (limberd serves, limberctl calls)
//   LimberConfig    TOML programs and limber.toml, with file:line:column
//                   errors; --check and --explain
//   LimberGuide     the exercise guide: HTML and SVG drawings from a program
//   LimberHistory   SQLite history through GRDB
//   CSystemd        C shim over libsystemd
//   Systemd         Swift over libsystemd: sd-event, sd-bus, sd_notify, journal
//   LimberPlugins   plugin protocol, host, built-ins
//   LimberL10n      gettext catalogs, locale times and numbers (over glibc)
//   LimberNotifications  what talks to a person: the notification client,
//                   the reminder presenters, the questions and offers
//   LimberDaemon    wiring, the D-Bus API's handlers, reload, lifecycle
//   limberctl       the client: LimberAPI over the bus (no LimberDaemon)
let package = Package(
    name: "limber",
    platforms: [.macOS(.v13)],
    products: [
        // One executable: limberctl is a symlink to limberd, which runs as
        // the name it is called by (Sources/limberd/main.swift). `make build`,
        // scripts/test and scripts/install make the link (scripts/lib/link-limberctl).
        .executable(name: "limberd", targets: ["limberd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "LimberCore"),
        // What is fixed at build time: the installed data directory
        // (-Xcc -DLIMBER_DATA_DIR='"/usr/share/limber"'; scripts/install).
        .target(name: "CLimberBuild"),
        // The control API's declaration, shared by limberd and limberctl.
        .target(name: "LimberAPI"),
        .target(name: "LimberConfig", dependencies: ["LimberCore", "CLimberBuild"]),
        .target(name: "LimberGuide", dependencies: ["LimberCore"]),
        .target(name: "LimberHistory", dependencies: [
            "LimberCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .target(name: "Systemd", dependencies: [
            "CSystemd",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Idle from X11 and Wayland: libxcb / libwayland-client are dlopen()ed
        // only where the session has them (limberd links neither).
        .target(name: "CDesktop", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "LimberPlugins", dependencies: ["LimberCore", "Systemd", "CDesktop"]),
        // glibc's gettext and locale data (libintl.h, langinfo.h): in libc.
        .systemLibrary(name: "CIntl"),
        // The user's language at the edge: catalogs, times, numbers (docs/translating.md).
        .target(name: "LimberL10n", dependencies: ["CIntl", "LimberCore", "LimberConfig"]),
        // The sinks that talk to a person (docs/architecture.md): they know
        // the core and the bus, not the daemon (its service is a PromptHost).
        .target(name: "LimberNotifications", dependencies: [
            "LimberCore", "LimberHistory", "Systemd",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LimberDaemon", dependencies: [
            "LimberCore", "LimberAPI", "LimberConfig", "LimberGuide", "LimberHistory", "Systemd", "LimberPlugins",
            "LimberNotifications",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "limberd", dependencies: [
            "LimberDaemon", "LimberCore", "LimberConfig", "LimberPlugins", "Systemd", "LimberL10n", "limberctl",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // limberctl's commands, run by the limberd executable as `limberctl`.
        .target(name: "limberctl", dependencies: [
            "LimberAPI", "LimberCore", "LimberConfig", "LimberGuide", "LimberHistory", "LimberPlugins", "Systemd", "LimberL10n",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LimberCoreTests", dependencies: [
            "LimberCore",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "LimberConfigTests", dependencies: ["LimberConfig", "LimberCore"]),
        // The localization layer against real compiled catalogs and locales.
        .testTarget(name: "LimberL10nTests", dependencies: ["LimberL10n", "LimberCore"]),
        // The daemon's edges and end-to-end tests (real buses, peers, the
        // limberd and limberctl binaries). One file per behaviour.
        .testTarget(name: "LimberDaemonTests", dependencies: [
            "LimberDaemon", "LimberAPI", "LimberGuide", "LimberCore", "LimberConfig", "LimberHistory", "Systemd", "LimberPlugins",
            "DesktopPeers", "LimberNotifications",
        ], exclude: ["Fixtures", "Golden"]),
        // Xvfb and a headless sway for the tests of both targets above and below.
        .target(name: "DesktopPeers", dependencies: ["Systemd"], path: "Tests/DesktopPeers"),
        // The plugin host, the built-ins against real D-Bus peers (private
        // dbus-daemons with python3-dbusmock), exec plugins as real children.
        .testTarget(name: "LimberPluginsTests", dependencies: [
            "LimberPlugins", "LimberCore", "Systemd", "LimberDaemon", "LimberConfig", "DesktopPeers", "LimberNotifications",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Mocks"]),
        // A writer process for the kill -9 test of the history.
        .executableTarget(name: "limber-history-writer", dependencies: ["LimberHistory", "LimberCore"]),
        .testTarget(name: "LimberHistoryTests", dependencies: ["LimberHistory", "LimberCore", "limber-history-writer", "DesktopPeers"],
                    exclude: ["Fixtures"]),
        // Whole-daemon reliability: faults, restarts, bad input (docs/reliability.md).
        .testTarget(name: "LimberReliabilityTests", dependencies: [
            "LimberDaemon", "LimberCore", "LimberConfig", "LimberHistory", "Systemd", "LimberPlugins", "LimberNotifications",
        ]),
        .testTarget(name: "SystemdTests", dependencies: [
            "Systemd",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
