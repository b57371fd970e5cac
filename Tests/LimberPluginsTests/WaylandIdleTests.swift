import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

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
        guard mkfifo(ready, 0o600) == 0 else { throw PluginError("mkfifo failed") }
        // sway runs its config's exec lines once it listens: that says when.
        try "exec sh -c 'echo \"$WAYLAND_DISPLAY\" > \(ready)'\n".write(toFile: runtimeDir + "/config", atomically: false, encoding: .utf8)
        try Self.run("/bin/chown", ["-R", "\(user):\(user)", runtimeDir])
        // Open the FIFO before sway writes it (non-blocking, watched on a loop).
        let fd = open(ready, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw PluginError("cannot open the ready FIFO") }
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
        let ok = spin(loop, timeout: .seconds(30)) { name.contains("\n") || !self.process.isRunning }
        source.cancel()
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ok, !trimmed.isEmpty else {
            stop()
            throw PluginError("sway did not start")
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
        if p.terminationStatus != 0 { throw PluginError("\(path) \(args) exited \(p.terminationStatus)") }
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        killAndReap(process)
        try? Self.run("/usr/sbin/userdel", [user])
        try? FileManager.default.removeItem(atPath: runtimeDir)
    }

    deinit { stop() }
}

let canRunSway = getuid() == 0
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/sway")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/wtype")

@Suite(.serialized) struct WaylandIdlePluginTests {
    // Root only (a throwaway user runs sway); elsewhere this test is skipped.
    @Test(.enabled(if: canRunSway)) func compositorReportsIdleAfterTheTimeoutAndTypingEndsIt() throws {
        let sway = try HeadlessSway()
        defer { sway.stop() }
        let loop = try EventLoop()
        let env = ["WAYLAND_DISPLAY": sway.display, "DISPLAY": ":77"]
        let host = PluginHost(loop: loop, entries: [
            PluginEntry(builtin: { WaylandIdlePlugin() }),
            PluginEntry(builtin: { X11IdlePlugin() }),
        ], clock: realClock, environment: { env[$0] })
        var s = PluginSettings.defaults(WaylandIdlePlugin.manifest)
        s.values["idle_after"] = .duration(.seconds(1))
        host.configure(["wayland-idle": PluginConfig(enabled: true, settings: s)])
        let rec = Recorder()
        rec.attach(host)
        host.start()
        #expect(host.idleSource == "wayland-idle")
        #expect(host.status("wayland-idle")?.detail == "\(sway.display) via org_kde_kwin_idle, idle after 1s")
        // In a Wayland session x11-idle stays out of it.
        #expect(host.status("x11-idle")?.detail.contains("not used in a Wayland session") == true)
        #expect(spin(loop, timeout: .seconds(10)) { !rec.activity.isEmpty })
        if case .idle(let since?) = rec.activity.first?.event {
            #expect(since <= realClock().uptime - .milliseconds(900))
        } else {
            Issue.record("expected idle with a start: \(rec.activity)")
        }
        try sway.type("a")
        #expect(spin(loop, timeout: .seconds(10)) { rec.activity.count >= 2 })
        #expect(rec.activity.dropFirst().first?.event == .active)
        #expect(rec.activity.allSatisfy { $0.from == "wayland-idle" })
        // The compositor exits: the source fails, idle is unknown.
        sway.stop()
        #expect(spin(loop, timeout: .seconds(10)) { host.status("wayland-idle")?.state == .failed })
        #expect(host.idleSource == nil)
    }
}
