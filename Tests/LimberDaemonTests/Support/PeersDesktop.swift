import Foundation
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// A real X server (Xvfb, a free display picked by -displayfd), ended by PID.
final class TestXServer {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/Xvfb")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/xdotool")
    let display: String
    private let process: Process

    init() throws {
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
        guard !n.isEmpty else { throw LimberWorld.WorldError("Xvfb did not start") }
        display = ":" + n
    }

    /// Moves the pointer (XTEST input, as a person would).
    func input(_ x: Int) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/xdotool")
        p.arguments = ["mousemove", String(x), String(x)]
        p.environment = ["DISPLAY": display, "PATH": "/usr/bin:/bin"]
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw PeerError("xdotool failed") }
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

// (The same as Tests/LimberPluginsTests/WaylandIdleTests.swift's: test targets share no code.)
/// Debian 12's sway 1.7 headless, run as a throwaway unprivileged user (it
/// refuses root), with its own XDG_RUNTIME_DIR. Root only: it creates and
/// removes the user. Everything started is ended by PID.
final class HeadlessSway {
    let user: String
    let runtimeDir: String
    /// An absolute WAYLAND_DISPLAY (libwayland accepts a path).
    private(set) var display = ""
    private let process: Process

    init() throws {
        user = "limbersway\(getpid())"
        runtimeDir = "/tmp/lsw-\(getpid())"
        try Self.run("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
        try? FileManager.default.removeItem(atPath: runtimeDir)
        try FileManager.default.createDirectory(atPath: runtimeDir, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let ready = runtimeDir + "/ready"
        guard mkfifo(ready, 0o600) == 0 else { throw PeerError("mkfifo failed") }
        // sway runs its config's exec lines once it listens: that says when.
        try "exec sh -c 'echo \"$WAYLAND_DISPLAY\" > \(ready)'\n".write(toFile: runtimeDir + "/config", atomically: false, encoding: .utf8)
        try Self.run("/bin/chown", ["-R", "\(user):\(user)", runtimeDir])
        // Open the FIFO before sway writes it (non-blocking, watched on a loop).
        let fd = open(ready, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw PeerError("cannot open the ready FIFO") }
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
        let ok = (try? runLoop(loop, until: "sway to start", timeout: .seconds(30)) {
            name.contains("\n") || !self.process.isRunning
        }) != nil
        source.cancel()
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ok, !trimmed.isEmpty else {
            stop()
            throw PeerError("sway did not start")
        }
        display = runtimeDir + "/" + trimmed
    }

    /// Types a key through the virtual keyboard protocol (as a person would).
    func type(_ text: String) throws {
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
        if p.terminationStatus != 0 { throw PeerError("\(path) \(args) exited \(p.terminationStatus)") }
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        let pid = process.processIdentifier
        if pid > 0 {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? Self.run("/usr/sbin/userdel", [user])
        try? FileManager.default.removeItem(atPath: runtimeDir)
    }

    deinit { stop() }
}

let canRunSway = getuid() == 0
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/sway")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/wtype")

