// Display servers for the tests that need one (LimberPluginsTests'
// x11-idle and wayland-idle, LimberDaemonTests' natural breaks and stats):
// one copy for both test targets. Everything started is ended by PID.
import Foundation
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Why a display server could not be had.
public struct DesktopPeerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Whether Xvfb and xdotool are installed.
public let haveXvfb = FileManager.default.isExecutableFile(atPath: "/usr/bin/Xvfb")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool")

/// Whether a headless sway can be run: as root (a throwaway user runs it),
/// with sway and wtype installed.
public let canRunSway = getuid() == 0
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/sway")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/wtype")

/// Sends SIGKILL to `process` (by its PID) and waits for it.
func killAndReapPeer(_ process: Process) {
    let pid = process.processIdentifier
    guard pid > 0 else { return }
    kill(pid, SIGKILL)
    process.waitUntilExit()
}

/// A real X server (Xvfb) on a free display (-displayfd), ended by PID.
public final class XServer {
    public static var available: Bool { haveXvfb }
    public let display: String
    private let process: Process
    private var stopped = false

    public init() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
        process.arguments = ["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Xvfb writes the display number once it accepts clients.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let n = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !n.isEmpty else { throw DesktopPeerError("Xvfb did not start") }
        display = ":" + n
    }

    /// Moves the pointer (XTEST input, as a person would).
    public func input(_ x: Int) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/xdotool")
        p.arguments = ["mousemove", String(x), String(x)]
        p.environment = ["DISPLAY": display, "PATH": "/usr/bin:/bin"]
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw DesktopPeerError("xdotool failed") }
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        killAndReapPeer(process)
    }

    deinit { stop() }
}

/// Debian 12's sway 1.7 headless, run as a throwaway unprivileged user (it
/// refuses root), with its own XDG_RUNTIME_DIR. Root only: it creates and
/// removes the user.
public final class HeadlessSway {
    public let user: String
    public let runtimeDir: String
    /// An absolute WAYLAND_DISPLAY (libwayland accepts a path).
    public private(set) var display = ""
    private let process: Process
    private var stopped = false

    public init() throws {
        user = "limbersway\(getpid())"
        runtimeDir = "/tmp/lsw-\(getpid())"
        try Self.run("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
        try? FileManager.default.removeItem(atPath: runtimeDir)
        try FileManager.default.createDirectory(atPath: runtimeDir, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let ready = runtimeDir + "/ready"
        guard mkfifo(ready, 0o600) == 0 else { throw DesktopPeerError("mkfifo failed") }
        // sway runs its config's exec lines once it listens: that says when.
        try "exec sh -c 'echo \"$WAYLAND_DISPLAY\" > \(ready)'\n".write(toFile: runtimeDir + "/config", atomically: false, encoding: .utf8)
        try Self.run("/bin/chown", ["-R", "\(user):\(user)", runtimeDir])
        // Open the FIFO before sway writes it (non-blocking, watched on a loop).
        let fd = open(ready, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw DesktopPeerError("cannot open the ready FIFO") }
        defer { close(fd) }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid", user, "--regid", user, "--clear-groups", "--",
                             "/usr/bin/env", "-i", "XDG_RUNTIME_DIR=\(runtimeDir)", "HOME=\(runtimeDir)",
                             "WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman",
                             "PATH=/usr/bin:/bin", "/usr/bin/sway", "-c", runtimeDir + "/config"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let loop = try EventLoop()
        var name = ""
        let source = try loop.watch(fd: fd) { _ in
            var buf = [UInt8](repeating: 0, count: 256)
            let n = read(fd, &buf, buf.count)
            if n > 0 { name += String(decoding: buf[0..<n], as: UTF8.self) }
        }
        // Bounded: the loop wakes for the FIFO; sway exiting ends it too.
        let deadline = ContinuousClock.now + .seconds(30)
        while !(name.contains("\n") || !process.isRunning), ContinuousClock.now < deadline {
            _ = try? loop.runOnce(timeout: .milliseconds(100))
        }
        source.cancel()
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            stop()
            throw DesktopPeerError("sway did not start")
        }
        display = runtimeDir + "/" + trimmed
    }

    /// Types a key through the virtual keyboard protocol (as a person would).
    public func type(_ text: String) throws {
        try Self.run("/usr/bin/wtype", [text], env: ["WAYLAND_DISPLAY": display, "XDG_RUNTIME_DIR": runtimeDir])
    }

    static func run(_ path: String, _ args: [String], env: [String: String]? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let env { p.environment = env.merging(["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]) { a, _ in a } }
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw DesktopPeerError("\(path) \(args) exited \(p.terminationStatus)") }
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        killAndReapPeer(process)
        try? Self.run("/usr/sbin/userdel", [user])
        try? FileManager.default.removeItem(atPath: runtimeDir)
    }

    deinit { stop() }
}
