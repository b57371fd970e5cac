import Foundation
import Testing
import LimberDaemon
import Systemd

/// #14's small ones end to end, through the real D-Bus API and the real
/// limberctl: `limberctl today`, a snooze past the rule's hours, and the
/// foreground mode echoing answers.
@Suite(.serialized) struct LimberctlTodayTests {
    /// A time zone (Etc/GMT±N) in which it is about 08:00-09:00 now, so that
    /// the rest of "today" is long whenever the test runs.
    static func morningZone() -> (id: String, zone: TimeZone) { LimberWorld.zone(whereItIs: 8) }

    /// Waits (bounded) until limberctl today --json satisfies `match`: the
    /// history may be written after the answer's reply.
    static func today(_ world: LimberWorld, _ env: [String: String], until match: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(20)
        var last: [String: Any] = [:]
        repeat {
            let r = try world.ctl(["today", "--json"], environment: env)
            #expect(r.code == 0, "\(r.err)")
            last = r.json
            if match(last) { return last }
        } while ContinuousClock.now < deadline
        Issue.record("limberctl today --json never matched: \(last)")
        return last
    }

    @Test func todayListsWhatIsToComeAndWhatHappenedSoFar() throws {
        let (tz, zone) = Self.morningZone()
        let env = ["TZ": tz]
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon(environment: env)

        let first = try Self.today(world, env) { _ in true }
        #expect(first["schema"] as? Int == 1)
        let now = try #require(first["now"] as? Int)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let midnight = Int(cal.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(now))).addingTimeInterval(86_400).timeIntervalSince1970)
        #expect(first["day"] as? String == { let c = cal.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(now)))
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) }())
        let upcoming = try #require(first["upcoming"] as? [[String: Any]])
        // Move every 30 min, Stretch every 2 h (drill.toml), to midnight.
        let moves = upcoming.filter { $0["rule"] as? String == "drill/move" }.compactMap { $0["at"] as? Int }
        let stretches = upcoming.filter { $0["rule"] as? String == "drill/stretch" }.compactMap { $0["at"] as? Int }
        #expect(moves.count >= 20 && stretches.count >= 5, "\(upcoming.count) upcoming")
        // 30 min from limberd's start, a moment before now.
        #expect(((now + 1500)...(now + 1800)).contains(moves.first ?? 0), "the first Move: \((moves.first ?? 0) - now) s from now")
        #expect(upcoming.compactMap { $0["at"] as? Int }.allSatisfy { $0 >= now && $0 < midnight })
        #expect(upcoming.compactMap { $0["at"] as? Int } == upcoming.compactMap { $0["at"] as? Int }.sorted())
        #expect(upcoming.first?["exercises"] as? [String] == ["Walk"])
        #expect(Set(upcoming.first?.keys.map { $0 } ?? []) == ["at", "time", "rule", "title", "phase", "exercises", "catch_up"])
        #expect((first["so_far"] as? [[String: Any]])?.isEmpty == true)
        #expect(first["showing"] is NSNull)
        #expect(first["history"] as? Bool == true)

        // Done on Move, Skip on Stretch: both in "so far", in order.
        #expect(try world.ctl(["trigger", "drill/move"], environment: env).code == 0)
        let showing = try Self.today(world, env) { ($0["showing"] as? [String: Any])?["id"] as? Int == 1 }
        #expect((showing["showing"] as? [String: Any])?["title"] as? String == "Move")
        #expect(try world.ctl(["done"], environment: env).code == 0)
        #expect(try world.ctl(["trigger", "drill/stretch"], environment: env).code == 0)
        #expect(try world.ctl(["skip"], environment: env).code == 0)
        let after = try Self.today(world, env) { ($0["so_far"] as? [[String: Any]])?.count == 2 }
        let soFar = after["so_far"] as? [[String: Any]] ?? []
        #expect(soFar.map { $0["rule"] as? String } == ["drill/move", "drill/stretch"])
        #expect(soFar.map { $0["outcome"] as? String } == ["done", "skipped"])
        #expect(soFar.map { $0["title"] as? String } == ["Move", "Stretch"])

        let human = try world.ctl(["today"], environment: env)
        #expect(human.code == 0)
        let lines = human.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "Still to come today", "\(human.out)")
        #expect(lines.contains("So far today"))
        #expect(lines.contains { $0.contains("done") && $0.hasSuffix("Move") }, "\(human.out)")
        #expect(lines.contains { $0.contains("skipped") && $0.hasSuffix("Stretch") }, "\(human.out)")
        #expect(lines.contains { $0.hasPrefix("  ") && $0.contains(":") && $0.hasSuffix("Move") && !$0.contains("done") })
    }

    /// Working hours end 10 min from now: a 15 min snooze comes back the
    /// next morning, and limberctl and the foreground mode say so.
    @Test func aSnoozePastTheHoursSaysWhenItComesBackAndTheForegroundEchoesAnswers() throws {
        let (tz, zone) = Self.morningZone()
        let env = ["TZ": tz]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let end = cal.dateComponents([.hour, .minute], from: Date().addingTimeInterval(600))
        let settings = """
            programs = ["drill"]
            working_hours = "\(String(format: "06:00-%02d:%02d", end.hour!, end.minute!))"
            active_days = "daily"
            coalesce_window = "1m"

            """
        let world = try LimberWorld(settings: settings)
        defer { world.stop() }
        try world.startDaemon(arguments: ["--foreground"], environment: env)

        #expect(try world.ctl(["trigger", "drill/move"], environment: env).code == 0)
        #expect(try world.ctl(["done"], environment: env).code == 0)
        #expect(try world.ctl(["trigger", "drill/stretch"], environment: env).code == 0)
        let snooze = try world.ctl(["snooze", "15m"], environment: env)
        #expect(snooze.code == 0, "\(snooze.err)")
        let tomorrow = cal.date(byAdding: .day, value: 1, to: Date())!
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][cal.component(.weekday, from: tomorrow) - 1]
        #expect(snooze.out == "snoozed until \(weekday) 06:00, the next time it may come\n", "\(snooze.out)")
        let next = try world.ctl(["next", "--json"], environment: env).json
        let stretch = (next["reminders"] as? [[String: Any]])?.first { $0["rule"] as? String == "drill/stretch" }
        #expect(stretch?["next_time"] as? String == "06:00")

        // The foreground mode said what became of each answer.
        let loop = try EventLoop()
        try runLoop(loop, until: "the answers echoed", timeout: .seconds(20)) {
            world.daemonOutput.contains("  snoozed until \(weekday) 06:00, the next time it may come: Stretch")
        }
        #expect(world.daemonOutput.contains("  done: Move\n"), "\(world.daemonOutput)")
        // With a session bus, the terminal suggests limberctl's answers.
        #expect(world.daemonOutput.contains("Answer with: limberctl done"), "\(world.daemonOutput)")
    }
}
