import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd
import DesktopPeers

@Suite(.serialized) struct X11IdlePluginTests {
    func host(_ loop: EventLoop, env: [String: String], idleAfter: Duration = .seconds(1)) -> PluginHost {
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { X11IdlePlugin() })],
                              clock: realClock, environment: { env[$0] })
        var s = PluginSettings.defaults(X11IdlePlugin.manifest)
        s.values["idle_after"] = .duration(idleAfter)
        host.configure(["x11-idle": PluginConfig(enabled: true, settings: s)])
        return host
    }

    @Test(.enabled(if: haveXvfb)) func syncAlarmReportsIdleAfterTheTimeoutAndInputEndsIt() throws {
        let x = try XServer()
        defer { x.stop() }
        let loop = try EventLoop()
        let host = host(loop, env: ["DISPLAY": x.display])
        let rec = Recorder()
        rec.attach(host)
        let beforeInput = realClock().uptime
        try x.input(10)
        host.start()
        #expect(host.idleSource == "x11-idle")
        #expect(host.status("x11-idle")?.detail == "display \(x.display), idle after 1s")
        // No input for a second: the server's alarm fires (no polling here: the loop only waits).
        #expect(spin(loop, timeout: .seconds(10)) { !rec.activity.isEmpty })
        guard case .idle(let since?) = rec.activity.first?.event else {
            Issue.record("expected idle with a start: \(rec.activity)")
            return
        }
        // The idle start is when input stopped, and the alarm came a second
        // after it, not at once. Measured from the input, not from start():
        // under load start() alone can take most of that second.
        let seen = realClock().uptime
        #expect(since >= beforeInput - .milliseconds(50))
        #expect(seen - since >= .milliseconds(900))
        // Input ends it.
        try x.input(200)
        #expect(spin(loop, timeout: .seconds(10)) { rec.activity.count == 2 })
        #expect(rec.activity.last?.event == .active)
        // And the idle alarm is armed again.
        #expect(spin(loop, timeout: .seconds(10)) { rec.activity.count == 3 })
        if case .idle = rec.activity.last?.event {} else { Issue.record("expected idle again: \(rec.activity)") }
        #expect(rec.activity.allSatisfy { $0.from == "x11-idle" })
        host.stop()
    }

    @Test(.enabled(if: haveXvfb)) func serverGoneMarksTheSourceFailedAndIdleUnknown() throws {
        let x = try XServer()
        let loop = try EventLoop()
        let host = host(loop, env: ["DISPLAY": x.display], idleAfter: .seconds(60))
        host.start()
        #expect(host.idleSource == "x11-idle")
        x.stop()
        #expect(spin(loop, timeout: .seconds(10)) { host.status("x11-idle")?.state == .failed })
        #expect(host.idleSource == nil)
    }

    @Test func noDisplayLeavesItAbsent() throws {
        let loop = try EventLoop()
        let host = host(loop, env: [:])
        host.start()
        #expect(host.status("x11-idle")?.state == .absent)
        #expect(host.status("x11-idle")?.detail == "waiting for $DISPLAY (no such session)")
        #expect(host.idleSource == nil)
        // (That limberd then maps no libxcb is checked on the daemon: tests-integration/desktop-idle.sh.)
    }

    @Test func aWaylandSessionLeavesIdleToTheCompositor() throws {
        let loop = try EventLoop()
        let host = host(loop, env: ["DISPLAY": ":99", "WAYLAND_DISPLAY": "wayland-1"])
        host.start()
        #expect(host.status("x11-idle")?.state == .running)
        #expect(host.status("x11-idle")?.detail.contains("not used in a Wayland session") == true)
        #expect(host.idleSource == nil)
    }

    @Test func noSuchDisplayFailsWithTheReason() throws {
        let loop = try EventLoop()
        let host = host(loop, env: ["DISPLAY": ":9731"])
        host.start()
        #expect(host.status("x11-idle")?.state == .failed)
        #expect(host.status("x11-idle")?.detail.contains("cannot connect to the X display :9731") == true)
    }
}

@Suite(.serialized) struct ScreenSaverPluginTests {
    @Test func activeChangedReportsLockAndUnlock() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try DBusMock(template: testsDirectory + "/Mocks/screensaver.py", name: "org.freedesktop.ScreenSaver",
                                on: bus, system: false)
        defer { mock.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { ScreenSaverPlugin() })],
                              clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        let session = try Bus(address: bus.address)
        try session.attach(to: loop)
        host.busConnected(session, kind: .user)
        #expect(spin(loop) { host.status("screensaver")?.detail == "screen unlocked" })
        #expect(rec.activity.isEmpty)
        try mock.call("/org/freedesktop/ScreenSaver", mockInterface, "SetActive", [.bool(true)])
        #expect(spin(loop) { rec.activity.count == 1 })
        #expect(rec.activity.first?.event == .locked)
        #expect(rec.activity.first?.from == "screensaver")
        try mock.call("/org/freedesktop/ScreenSaver", mockInterface, "SetActive", [.bool(false)])
        #expect(spin(loop) { rec.activity.count == 2 })
        #expect(rec.activity.last?.event == .unlocked)
        // The service goes away: the plugin waits for it.
        mock.stop()
        #expect(spin(loop) { host.status("screensaver")?.state == .absent })
    }

    @Test func lockedAtStartIsReported() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let mock = try DBusMock(template: testsDirectory + "/Mocks/screensaver.py", name: "org.freedesktop.ScreenSaver",
                                on: bus, system: false, parameters: #"{"active": true}"#)
        defer { mock.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { ScreenSaverPlugin() })],
                              clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.start()
        let session = try Bus(address: bus.address)
        try session.attach(to: loop)
        host.busConnected(session, kind: .user)
        #expect(spin(loop) { rec.activity.count == 1 })
        #expect(rec.activity.first?.event == .locked)
    }
}
