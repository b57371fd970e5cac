import DesktopPeers
import Foundation
import Testing
import LimberDaemon
import LimberHistory

#if canImport(Glibc)
import Glibc
#endif

/// End to end: a real limberd counts active time, `limberctl stats` shows it
/// (the Stats call writes what was counted so far first), and stopping the
/// daemon writes the rest to the history file.
@Suite(.serialized) struct LimberctlStatsActivityTests {
    @Test(.enabled(if: TestXServer.available)) func statsShowTheActiveTimeTheDaemonCounted() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        // An idle source (x11-idle on a real X server) says the person is there.
        let x = try TestXServer()
        defer { x.stop() }
        // 600× speed: each real second is ten minutes of simulated time.
        try world.startDaemon(arguments: ["--time-scale", "600", "--state-dir", world.root + "/state/limber"],
                              environment: ["DISPLAY": x.display])

        let json = try world.ctl("stats", "--json")
        #expect(json.code == 0, "\(json.err)")
        #expect(json.out.split(separator: "\n").count == 1, "one line")
        #expect(json.json["schema"] as? Int == 2)
        let activity = try #require(json.json["activity"] as? [String: Any], "\(json.out)")
        let active = try #require(activity["active_seconds"] as? Double)
        #expect(active > 0)
        #expect(activity["break_seconds"] as? Double == 0, "no idle in a real second: all of it active")
        #expect((activity["days"] as? Int ?? 0) >= 1)
        let days = try #require(json.json["days"] as? [[String: Any]])
        #expect(days.contains { ($0["active_seconds"] as? Double ?? 0) > 0 }, "the day carries it too")

        let text = try world.ctl("stats")
        #expect(text.code == 0)
        #expect(text.out.contains("Active ") && text.out.contains(", breaks "), "\(text.out)")

        // SIGTERM: the daemon writes what it counted since, then exits.
        let daemon = try #require(world.daemon)
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        let history = try HistoryStore.openForReading(at: world.root + "/state/limber/history.sqlite")
        let stored = try history.activity().reduce(0) { $0 + $1.activeSeconds }
        #expect(stored > active, "stop wrote the time after the stats call (\(stored) vs \(active))")
    }

    @Test func withoutAnIdleSourceActiveTimeIsUnknownNotMadeUp() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon(arguments: ["--time-scale", "600", "--state-dir", world.root + "/state/limber"])
        let text = try world.ctl("stats")
        #expect(text.code == 0)
        #expect(text.out.contains("Active time unknown: no idle source recorded it"), "\(text.out)")
        #expect(!text.out.contains("Active 0"), "\(text.out)")
        let status = try world.ctl("status")
        #expect(status.out.contains("idle source: none (active time unknown)"), "\(status.out)")
        let plugins = try world.ctl("plugins")
        #expect(plugins.out.contains("idle source: none: active time is unknown"), "\(plugins.out)")
        let json = try world.ctl("plugins", "--json")
        #expect(json.json["idle_source"] is NSNull, "\(json.out)")
    }
}
