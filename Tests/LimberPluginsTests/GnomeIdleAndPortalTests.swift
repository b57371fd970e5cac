import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

@Suite(.serialized) struct GnomeIdlePluginTests {
    @Test func mutterWatchesGiveIdleAndActiveAndWinOverLogindWhilePresent() throws {
        // One private bus serves as both the session and the "system" bus.
        let bus = try PrivateBus()
        defer { bus.stop() }
        let logind = try DBusMock(template: "logind", name: "org.freedesktop.login1", on: bus, system: true)
        defer { logind.stop() }
        try logind.call(login1Path, mockInterface, "AddSession", [.string("c1"), .string("seat0"), .uint32(1000), .string("user"), .bool(true)])
        let mutter = try DBusMock(template: testsDirectory + "/Mocks/mutter_idle_monitor.py", name: "org.gnome.Mutter.IdleMonitor",
                                  on: bus, system: false)
        defer { mutter.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [
            PluginEntry(builtin: { LogindPlugin() }),
            PluginEntry(builtin: { GnomeIdlePlugin() }),
        ], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        var logindSettings = PluginSettings.defaults(LogindPlugin.manifest)
        logindSettings.values["session"] = .string("c1")
        host.configure(["logind": PluginConfig(enabled: true, settings: logindSettings)])
        host.start()
        let system = try Bus(address: bus.address)
        try system.attach(to: loop)
        let session = try Bus(address: bus.address)
        try session.attach(to: loop)
        host.busConnected(system, kind: .system)
        host.busConnected(session, kind: .user)

        #expect(spin(loop) { host.idleSource == "gnome-idle" && host.status("logind")?.detail == "session c1" })
        #expect(host.status("gnome-idle")?.detail == "idle after 1m")
        // logind's IdleHint is not used while Mutter is there.
        try logind.call(sessionPath, mockInterface, "UpdateProperties",
                        [.string("org.freedesktop.login1.Session"), .vardict(["IdleHint": .bool(true)])])
        // Mutter's idle watch fires: idle, backdated by the watch's interval.
        #expect(try mutter.call("/org/gnome/Mutter/IdleMonitor/Core", mockInterface, "FireWatch", [.string("idle")]).first?.uint32Value == 1)
        #expect(spin(loop) { !rec.activity.isEmpty })
        #expect(rec.activity.map(\.from) == ["gnome-idle"])
        if case .idle(let since?) = rec.activity[0].event {
            #expect(abs((realClock().uptime - since - .minutes(1)).seconds) < 3)
        } else {
            Issue.record("expected idle with a start: \(rec.activity)")
        }
        // A user-active watch was added; input fires it: active.
        var fired: UInt32 = 0
        #expect(spin(loop) {
            fired = (try? mutter.call("/org/gnome/Mutter/IdleMonitor/Core", mockInterface, "FireWatch", [.string("active")]).first?.uint32Value) ?? 0
            return fired != 0
        })
        #expect(spin(loop) { rec.activity.count == 2 })
        #expect(rec.activity.last?.event == .active)

        // GNOME Shell goes away: logind is the idle source again.
        mutter.stop()
        #expect(spin(loop) { host.idleSource == "logind" })
        #expect(host.status("gnome-idle")?.state == .absent)
        try logind.call(sessionPath, mockInterface, "UpdateProperties",
                        [.string("org.freedesktop.login1.Session"), .vardict(["IdleHint": .bool(false)])])
        #expect(spin(loop) { rec.activity.last?.from == "logind" })
        #expect(rec.activity.last?.event == .active)
    }
}

@Suite(.serialized) struct DoNotDisturbPluginTests {
    static let portalPath = "/org/freedesktop/portal/desktop"

    @Test func bannersOffPostponesAndBannersOnLetsRemindersThrough() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let portal = try DBusMock(template: testsDirectory + "/Mocks/portal_settings.py", name: "org.freedesktop.portal.Desktop",
                                  on: bus, system: false, parameters: #"{"show-banners": false}"#)
        defer { portal.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { DoNotDisturbPlugin() })],
                              clock: realClock)
        host.start()
        let session = try Bus(address: bus.address)
        try session.attach(to: loop)
        host.busConnected(session, kind: .user)
        #expect(spin(loop) { host.status("do-not-disturb")?.detail == "do not disturb is on" })
        #expect(decide(host, loop) == .postpone(.minutes(5), reason: "do-not-disturb: do not disturb is on"))
        // The user turns banners back on: SettingChanged.
        try portal.call(Self.portalPath, mockInterface, "SetSetting",
                        [.string("org.gnome.desktop.notifications"), .string("show-banners"), .variant(.bool(true))])
        #expect(spin(loop) { host.status("do-not-disturb")?.detail == "banners shown" })
        #expect(decide(host, loop) == .proceed)
    }

    @Test func aPortalWithoutTheKeyLetsEverythingThrough() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let portal = try DBusMock(template: testsDirectory + "/Mocks/portal_settings.py", name: "org.freedesktop.portal.Desktop",
                                  on: bus, system: false)
        defer { portal.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { DoNotDisturbPlugin() })],
                              clock: realClock)
        host.start()
        let session = try Bus(address: bus.address)
        try session.attach(to: loop)
        host.busConnected(session, kind: .user)
        #expect(spin(loop) { host.status("do-not-disturb")?.detail.hasPrefix("show-banners not readable") == true })
        #expect(decide(host, loop) == .proceed)
    }

    @Test func withoutAPortalThePluginIsAbsent() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { DoNotDisturbPlugin() })],
                              clock: realClock)
        host.start()
        let session = try Bus(address: bus.address)
        try session.attach(to: loop)
        host.busConnected(session, kind: .user)
        #expect(spin(loop) { host.status("do-not-disturb")?.detail == "waiting for org.freedesktop.portal.Desktop on the session bus" })
        #expect(decide(host, loop) == .proceed)
    }
}
