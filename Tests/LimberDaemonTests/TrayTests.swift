import Foundation
import LimberCore
import LimberGuide
import Testing
import Systemd
@testable import LimberDaemon

#if canImport(Glibc)
import Glibc
import LimberNotifications
#endif

/// The tray against a StatusNotifierWatcher (python3-dbusmock, as a panel
/// offers it) and a real limberd: it registers, shows the state, its menu
/// acts on the daemon, it registers again when the watcher comes back, and
/// one setting turns it off.
@Suite(.serialized) struct TrayTests {
    static let watcherName = "org.kde.StatusNotifierWatcher"
    static let template = repositoryRoot + "/Tests/LimberPluginsTests/Mocks/sni_watcher.py"

    final class Watcher {
        let peer: PeerProcess
        init(_ world: LimberWorld, loop: EventLoop, control: Bus) throws {
            peer = try PeerProcess("StatusNotifierWatcher mock", executable: "/usr/bin/python3",
                                   arguments: ["-m", "dbusmock", "--session", "--template", TrayTests.template],
                                   environment: peerEnvironment(["DBUS_SESSION_BUS_ADDRESS": world.address]),
                                   logPath: world.root + "/watcher-\(UUID().uuidString.prefix(4)).log")
            try waitForOwner(of: TrayTests.watcherName, control: control, loop: loop, peer: peer)
        }

        func registered(_ control: Bus) -> [String] {
            let v = try? control.call(destination: TrayTests.watcherName, path: "/StatusNotifierWatcher",
                                      interface: "org.freedesktop.DBus.Properties", member: "Get",
                                      arguments: [.string(TrayTests.watcherName), .string("RegisteredStatusNotifierItems")],
                                      timeout: .seconds(5))
            return v?.first?.stringArrayValue ?? []
        }
    }

    func item(_ control: Bus, _ name: String, _ property: String) throws -> BusValue? {
        try control.call(destination: name, path: "/StatusNotifierItem", interface: "org.freedesktop.DBus.Properties",
                         member: "Get", arguments: [.string("org.kde.StatusNotifierItem"), .string(property)],
                         timeout: .seconds(5)).first?.unwrapped
    }

    /// The menu's entries: label → id.
    func menu(_ control: Bus, _ name: String) throws -> [String: Int32] {
        let reply = try control.call(destination: name, path: "/MenuBar", interface: "com.canonical.dbusmenu", member: "GetLayout",
                                     arguments: [.int32(0), .int32(-1), .strings([])], timeout: .seconds(5))
        var out: [String: Int32] = [:]
        for child in reply[1].structValue?[2].arrayValue ?? [] {
            guard let fields = child.unwrapped.structValue, let id = fields[0].int64Value,
                  let label = fields[1].stringKeyedDict?["label"]?.unwrapped.stringValue else { continue }
            out[label] = Int32(id)
        }
        return out
    }

    func click(_ control: Bus, _ name: String, _ id: Int32) throws {
        _ = try control.call(destination: name, path: "/MenuBar", interface: "com.canonical.dbusmenu", member: "Event",
                             arguments: [.int32(id), .string("clicked"), .variant(.int32(0)), .uint32(0)], timeout: .seconds(5))
    }

    @Test func registersShowsTheStateAndItsMenuActsOnTheDaemon() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let loop = try EventLoop()
        let control = try world.connect()
        try control.attach(to: loop)
        let watcher = try Watcher(world, loop: loop, control: control)
        defer { watcher.peer.stop() }
        try world.startDaemon()
        var items: [String] = []
        try runLoop(loop, until: "the tray to register") { items = watcher.registered(control); return !items.isEmpty }
        let name = try #require(items.first)
        #expect(name.hasPrefix("org.kde.StatusNotifierItem-"))
        let counting = try #require(try item(control, name, "IconPixmap")?.arrayValue)
        #expect(counting.count == 4, "16, 22, 32 and 48 pixels")
        #expect(try item(control, name, "Status")?.stringValue == "Active")
        #expect(try item(control, name, "Menu") == .objectPath("/MenuBar"))
        let tip = try #require(try item(control, name, "ToolTip")?.structValue)
        #expect(tip[3].stringValue?.contains("Next: Move at ") == true && tip[3].stringValue?.contains("0 done today") == true,
                "\(tip)")
        #expect(try world.ctl("plugins").out.contains("registered as \(name)"))

        // The menu: Pause 30 min pauses the daemon; then Resume is offered.
        var entries = try menu(control, name)
        #expect(Set(entries.keys).isSuperset(of: ["Take a break now", "I just moved", "Pause 30 min", "Pause 1 h",
                                                 "Pause until tomorrow", "Today's plan", "Statistics", "Exercise guide"]),
                "\(entries)")
        let signals = try SignalRecorder(world)
        try click(control, name, try #require(entries["Pause 30 min"]))
        #expect(signals.waitForProperty("Paused") { $0.boolValue == true } != nil)
        #expect(try item(control, name, "IconPixmap")?.arrayValue != counting, "the paused icon differs")
        entries = try menu(control, name)
        try click(control, name, try #require(entries["Resume"]))
        #expect(signals.waitForProperty("Paused") { $0.boolValue == false } != nil)

        // Take a break now: the next reminder is shown; the icon asks for attention; Done answers it.
        signals.clear()
        try click(control, name, try #require(try menu(control, name)["Take a break now"]))
        #expect(signals.wait(for: "ReminderShown") != nil)
        #expect(try item(control, name, "Status")?.stringValue == "NeedsAttention")
        try click(control, name, try #require(try menu(control, name)["Done"]))
        let answered = signals.wait(for: "ReminderAnswered")
        #expect(answered?.arguments[1].stringValue == "done")
    }

    @Test func registersAgainWhenTheWatcherComesBackAndOneSettingTurnsItOff() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let loop = try EventLoop()
        let control = try world.connect()
        try control.attach(to: loop)
        var watcher = try Watcher(world, loop: loop, control: control)
        try world.startDaemon()
        try runLoop(loop, until: "the tray to register") { !watcher.registered(control).isEmpty }
        // The panel restarts: a new watcher knows nothing until limber registers again.
        watcher.peer.stop()
        watcher = try Watcher(world, loop: loop, control: control)
        defer { watcher.peer.stop() }
        try runLoop(loop, until: "the tray to register again") { !watcher.registered(control).isEmpty }

        // [plugins.tray] enabled = false: gone from the panel's bus.
        let name = watcher.registered(control)[0]
        try (LimberWorld.settings + "\n[plugins.tray]\nenabled = false\n")
            .write(toFile: world.root + "/config/limber/limber.toml", atomically: true, encoding: .utf8)
        #expect(try world.ctl("reload").code == 0)
        var owner: String? = "?"
        let slot = try control.watchNameOwner(name) { owner = $0 }
        defer { slot.cancel() }
        try runLoop(loop, until: "the tray to leave the bus") { owner == nil }
        #expect(try world.ctl("plugins").out.contains("tray  disabled"))
    }
    /// A python3-dbusmock peer on the world's bus, up once it owns `name`.
    func mockPeer(_ world: LimberWorld, loop: EventLoop, control: Bus, name: String, arguments: [String]) throws -> PeerProcess {
        let peer = try PeerProcess(name, executable: "/usr/bin/python3", arguments: ["-m", "dbusmock", "--session"] + arguments,
                                   environment: peerEnvironment(["DBUS_SESSION_BUS_ADDRESS": world.address]),
                                   logPath: world.root + "/\(name)-\(UUID().uuidString.prefix(4)).log")
        _ = try waitForOwner(of: name, control: control, loop: loop, peer: peer)
        return peer
    }

    /// The calls of `method` a dbusmock object received (GetCalls): each call's arguments.
    func mockCalls(_ control: Bus, _ name: String, _ path: String, _ method: String) throws -> [[BusValue]] {
        let list = try control.call(destination: name, path: path, interface: "org.freedesktop.DBus.Mock", member: "GetCalls",
                                    timeout: .seconds(5)).first?.arrayValue ?? []
        return list.compactMap { entry in
            guard let f = entry.structValue, f.count == 3, f[1].stringValue == method else { return nil }
            return f[2].arrayValue?.map(\.unwrapped)
        }
    }

    @Test func todaysPlanIsANotificationAndTheExerciseGuideOpensThroughThePortal() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let loop = try EventLoop()
        let control = try world.connect()
        try control.attach(to: loop)
        let watcher = try Watcher(world, loop: loop, control: control)
        defer { watcher.peer.stop() }
        let notifications = try mockPeer(world, loop: loop, control: control, name: NotificationClient.busName, arguments: [
            "--template", "notification_daemon", "--parameters", "{\"capabilities\": \"actions body body-markup\"}",
        ])
        defer { notifications.stop() }
        let portal = try mockPeer(world, loop: loop, control: control, name: GuideOpener.portalName, arguments: [
            GuideOpener.portalName, GuideOpener.portalPath, GuideOpener.portalInterface,
        ])
        defer { portal.stop() }
        _ = try control.call(destination: GuideOpener.portalName, path: GuideOpener.portalPath,
                             interface: "org.freedesktop.DBus.Mock", member: "AddMethod", arguments: [
                                 .string(GuideOpener.portalInterface), .string("OpenURI"), .string("ssa{sv}"), .string("o"),
                                 .string("ret = dbus.ObjectPath('/org/freedesktop/portal/desktop/request/1_1/limber')"),
                             ], timeout: .seconds(5))
        // The world's zone, where it is about 10:00 now: both reminders
        // (every 30 min and every 2 h) fall later today whenever it runs.
        try world.startDaemon()
        var items: [String] = []
        try runLoop(loop, until: "the tray to register") { items = watcher.registered(control); return !items.isEmpty }
        let name = try #require(items.first)
        let entries = try menu(control, name)

        // Today's plan: a quiet notification with both reminders to come and today's count.
        try click(control, name, try #require(entries["Today's plan"]))
        var plans: [[BusValue]] = []
        try runLoop(loop, until: "the plan's notification") {
            plans = try mockCalls(control, NotificationClient.busName, NotificationClient.objectPath, "Notify")
                .filter { $0.count == 8 && $0[3].stringValue == "Today's plan" }
            return !plans.isEmpty
        }
        let body = try #require(plans.first?[4].stringValue)
        let lines = body.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("  Move") } && lines.contains { $0.hasSuffix("  Stretch") }, "\(body)")
        #expect(lines.last == "Nothing done yet today.", "\(body)")
        // The day's plan as `limberctl today` has it, the first eight and how many more.
        #expect(lines.filter { $0.hasSuffix("  Move") || $0.hasSuffix("  Stretch") }.count == TodayPlan.shown, "\(body)")
        #expect(lines.contains { $0.hasPrefix("… and ") && $0.hasSuffix(" more (limberctl today)") }, "\(body)")
        #expect(plans.first?[6].stringKeyedDict?["urgency"]?.unwrapped == .byte(0))
        #expect(try mockCalls(control, NotificationClient.busName, NotificationClient.objectPath, "Notify").count == 1,
                "the plan, no reminder")

        // Paused: the plan says so, and replaces the one on screen.
        try click(control, name, try #require(entries["Pause 30 min"]))
        try runLoop(loop, until: "the pause") { try world.status()["paused"]?.unwrapped == .bool(true) }
        try click(control, name, try #require(try menu(control, name)["Today's plan"]))
        try runLoop(loop, until: "the second plan") {
            plans = try mockCalls(control, NotificationClient.busName, NotificationClient.objectPath, "Notify")
                .filter { $0.count == 8 && $0[3].stringValue == "Today's plan" }
            return plans.count == 2
        }
        #expect(plans[1][1] != .uint32(0), "it replaces the first plan")
        #expect(plans[1][4].stringValue?.hasPrefix("Paused until ") == true, "\(plans[1])")

        // Exercise guide, nothing on screen: the next reminder's program, through the desktop portal.
        try click(control, name, try #require(entries["Exercise guide"]))
        var opened: [[BusValue]] = []
        try runLoop(loop, until: "OpenURI on the portal") {
            opened = try mockCalls(control, GuideOpener.portalName, GuideOpener.portalPath, "OpenURI")
            return !opened.isEmpty
        }
        let uri = try #require(opened.first?[1].stringValue)
        #expect(uri.hasPrefix("file://") && uri.hasSuffix("/limber/guide/drill.html"), "\(uri)")
        #expect(FileManager.default.fileExists(atPath: try #require(URL(string: uri)).path))
    }
}
