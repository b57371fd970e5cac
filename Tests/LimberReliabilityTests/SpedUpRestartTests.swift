import Foundation
import Testing
import LimberCore
import LimberDaemon

/// A sped-up limberd (--time-scale) that is killed and started again goes on
/// from the simulated time its state had reached. It used to start again
/// from the real clock, which to the core looked like the wall clock set
/// back by hours: the reminder on screen then "stayed up" for that long and
/// nothing else was shown (found by reliability-restarts.sh).
@Suite struct SpedUpRestartTests {
    @Test func aSpedUpRestartResumesTheSimulatedTimeOfItsState() throws {
        guard FileManager.default.isExecutableFile(atPath: Built.limberd) else {
            throw ReliabilityError("no limberd at \(Built.limberd): swift build first")
        }
        let home = try temporaryDirectory("lrel")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let utc = TimeZone(identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        // Two days from now at 14:00 UTC: inside the default working hours.
        let day = calendar.startOfDay(for: Date().addingTimeInterval(2 * 86_400))
        let reached = day.addingTimeInterval(14 * 3600)
        var state = EngineState(timeZone: utc)
        state.lastShownAt = Moment(wall: reached, uptime: .seconds(100))
        try StateStore(directory: home + "/state/limber").save(state)

        let env = ["HOME": home, "TZ": "UTC", "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
                   "XDG_CONFIG_DIRS": home + "/etc", "DBUS_SESSION_BUS_ADDRESS": "unix:path=\(home)/no-bus",
                   "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(home)/no-system-bus", "SWIFT_BACKTRACE": "enable=no"]
        let line = try #require(try firstLine(of: Built.limberd, ["--foreground", "--time-scale", "1000", "--state-dir", home + "/state/limber"], environment: env),
                                "limberd printed nothing")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = utc
        f.dateFormat = "EEE HH:mm"
        #expect(line.contains("simulated from \(f.string(from: reached))"), "\(line)")
    }
}
