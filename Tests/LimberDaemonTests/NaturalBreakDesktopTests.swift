import DesktopPeers
import Foundation
import Testing
import Systemd
@testable import LimberDaemon

#if canImport(Glibc)
import Glibc
#endif

/// End to end with real display servers: a sit break on screen, the person
/// walks away (no input, or the screen locks) for longer than
/// `natural_break`, comes back, and limberd counts that as the break: the
/// reminder is done ("natural break") and the sit break counts from zero.
@Suite(.serialized) struct NaturalBreakDesktopTests {
    static let program = """
        schema = 1
        id = "drill"
        name = "Drill"
        disclaimer = "Not medical advice."

        [exercises.walk]
        name = "Walk"
        category = "cardio"
        position = "standing"
        duration = "2m"
        steps = ["Walk."]

        [reminders.sit]
        cadence = "sit-break"
        after = "1h"
        natural_break = "10s"
        title = "Stand up"
        exercises = ["walk"]

        """

    static func settings(_ extra: String) -> String { LimberWorld.settings + extra }

    /// Shows the sit break, lets `goAway` start the break, waits out the
    /// natural break on the loop, and `comeBack`: the reminder is answered
    /// done by the natural break and the next sit break is an hour away.
    func walkAway(_ world: LimberWorld, goAway: () throws -> Void, comeBack: () throws -> Void) throws {
        let signals = try SignalRecorder(world)
        try comeBack()  // someone at the machine
        let shown = try world.ctl("trigger", "drill/sit")
        #expect(shown.code == 0, "\(shown.err)")
        #expect(signals.wait(for: "ReminderShown") != nil)
        // For status bars: the sit break is due (waybar's class and percentage).
        let due = try world.ctl("status", "--json").json
        #expect(due["class"] as? String == "due" && due["percentage"] as? Int == 100, "\(due)")
        try goAway()
        // (State stays "showing" while the reminder is up; Status says away.)
        var away = false
        try? runLoop(signals.loop, until: "limberd to see the person go", timeout: .seconds(10)) {
            let status = try world.call("Status")
            away = status.first?.stringKeyedDict?.flag("away") == true
            return away
        }
        #expect(away, "limberd never saw the person go: \(world.daemonOutput)")
        // The natural break is 10 s: wait it out on the loop (bounded, no sleep).
        _ = signals.wait(for: "NoSuchSignal", timeout: .seconds(11))
        signals.clear()
        try comeBack()
        let answered = signals.wait(for: "ReminderAnswered", timeout: .seconds(10))
        #expect(answered?.arguments[1].stringValue == "done", "\(world.daemonOutput)")
        let status = try world.ctl("status", "--json")
        let next = status.json["next"] as? [String: Any]
        #expect(next?["rule"] as? String == "drill/sit")
        // Counting again (from zero: the reminder was answered by the break).
        #expect((next?["in_seconds"] as? Int ?? 0) >= 3590, "\(status.out)")
        #expect(status.json["showing"] is NSNull)
        #expect(status.json["class"] as? String == "counting")
        #expect((status.json["percentage"] as? Int ?? 100) <= 1, "\(status.out)")
    }

    func makeWorld(_ extra: String) throws -> LimberWorld {
        let world = try LimberWorld(settings: Self.settings(extra))
        try Self.program.write(toFile: world.root + "/config/limber/programs/drill.toml", atomically: true, encoding: .utf8)
        return world
    }

    @Test(.enabled(if: TestXServer.available)) func x11IdleOnXvfb() throws {
        let x = try TestXServer()
        defer { x.stop() }
        let world = try makeWorld("\n[plugins.x11-idle]\nidle_after = \"2s\"\n")
        defer { world.stop() }
        try world.startDaemon(environment: ["DISPLAY": x.display])
        let plugins = try world.ctl("plugins", "--json")
        #expect(plugins.json["idle_source"] as? String == "x11-idle", "\(plugins.out)")
        let rows = plugins.json["plugins"] as? [[String: Any]] ?? []
        #expect(rows.filter { ($0["roles"] as? [String])?.contains("idle-source") == true }.map { $0["id"] as? String } == ["x11-idle"])
        let text = try world.ctl("plugins").out
        #expect(text.contains("idle source: x11-idle"), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("x11-idle  running  built-in  (idle source)  display ") }, "\(text)")
        var n = 0
        try walkAway(world, goAway: {}, comeBack: { n += 1; try x.input(10 + n * 50) })
    }

    @Test(.enabled(if: canRunSway)) func waylandIdleOnHeadlessSway() throws {
        let sway = try HeadlessSway()
        defer { sway.stop() }
        let world = try makeWorld("\n[plugins.wayland-idle]\nidle_after = \"2s\"\n")
        defer { world.stop() }
        try world.startDaemon(environment: ["WAYLAND_DISPLAY": sway.display])
        let plugins = try world.ctl("plugins", "--json")
        #expect(plugins.json["idle_source"] as? String == "wayland-idle", "\(plugins.out)")
        try walkAway(world, goAway: {}, comeBack: { try sway.type("a") })
    }

    @Test func screenSaverLock() throws {
        let world = try makeWorld("")
        defer { world.stop() }
        let loop = try EventLoop()
        let control = try world.connect()
        try control.attach(to: loop)
        let mock = try PeerProcess("screensaver mock", executable: "/usr/bin/python3",
                                   arguments: ["-m", "dbusmock", "--session", "--template",
                                               repositoryRoot + "/Tests/LimberPluginsTests/Mocks/screensaver.py"],
                                   environment: peerEnvironment(["DBUS_SESSION_BUS_ADDRESS": world.address]),
                                   logPath: world.root + "/screensaver.log")
        defer { mock.stop() }
        try waitForOwner(of: "org.freedesktop.ScreenSaver", control: control, loop: loop, peer: mock)
        try world.startDaemon()
        func setActive(_ on: Bool) throws {
            _ = try control.call(destination: "org.freedesktop.ScreenSaver", path: "/org/freedesktop/ScreenSaver",
                                 interface: "org.freedesktop.DBus.Mock", member: "SetActive", arguments: [.bool(on)], timeout: .seconds(10))
        }
        let signals = try SignalRecorder(world)
        #expect(signals.wait(for: "NoSuchSignal", timeout: .milliseconds(1)) == nil)
        let plugins = try world.ctl("plugins")
        #expect(plugins.out.contains("screensaver"), "\(plugins.out)")
        // No display in this session: neither libxcb nor libwayland-client is loaded.
        let pid = try #require(world.daemon?.processIdentifier)
        let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
        #expect(!maps.contains("libxcb") && !maps.contains("libwayland-client"))
        var locked = false
        try walkAway(world, goAway: { locked = true; try setActive(true) }, comeBack: { if locked { try setActive(false) } })
    }
}
