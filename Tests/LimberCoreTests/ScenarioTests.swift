import Testing
import Foundation
@testable import LimberCore

/// Whole simulated days and weeks, replayed in milliseconds.
@Suite struct ScenarioTests {
    static var program: Configuration {
        var press = Fixtures.pressUps()
        press.catchUp = .once
        let settings = Settings(workingHours: DayWindow("08:30-17:30")!, activeDays: Weekday.workdays)
        return Fixtures.config([Fixtures.sitBreak(), press, Fixtures.walks(), Fixtures.lunchWalk()], settings: settings)
    }

    /// A user who answers Done a minute after each reminder.
    static func attentive(_ sim: inout Simulator, until end: Date) {
        while let d = sim.deadline, d <= end {
            sim.advance(to: d)
            if sim.showing != nil {
                sim.advance(by: .minutes(1))
                sim.send(.answer(nil, .done))
            }
        }
        sim.advance(to: end)
    }

    @Test func anOfficeDay() {
        var sim = Simulator(config: Self.program, start: "2026-11-23 08:00")
        Self.attentive(&sim, until: sim.at("2026-11-23 18:00"))
        let shows = sim.newShows
        #expect(shows.count >= 10 && shows.count <= 16, "\(shows.map { sim.hm($0.at) })")
        #expect(shows.allSatisfy { sim.at("2026-11-23 08:30") <= $0.at && $0.at < sim.at("2026-11-23 17:30") })
        #expect(shows.contains { $0.reminder.items.contains { $0.rule.rule == "lunch" } && sim.hm($0.at) == "12:30" })
        #expect(sim.outcomes(.shown).count == sim.outcomes(.done).count)
        let walks = sim.outcomes(.done).filter { $0.rule.rule == "walks" }
        #expect(walks.count == 3)
        #expect(sim.engine.status(at: sim.now).doneToday == sim.outcomes(.done).count)
    }

    @Test func aDayWithATwoHourIdleMeeting() {
        var sim = Simulator(config: Self.program, start: "2026-11-23 08:00")
        Self.attentive(&sim, until: sim.at("2026-11-23 10:00"))
        sim.send(.idle(since: nil))
        let before = sim.newShows.count
        sim.advance(to: "2026-11-23 12:00")
        #expect(sim.newShows.count == before, "nothing shown while away")
        sim.send(.active)
        sim.advance(to: "2026-11-23 12:01")
        #expect(sim.newShows.count == before, "nothing right after coming back")
        sim.advance(to: "2026-11-23 12:03")
        let catchUps = sim.newShows.dropFirst(before).filter { $0.reminder.isCatchUp }
        #expect(catchUps.count == 1)
        #expect(!(catchUps.first?.reminder.items.contains { $0.rule.rule == "sit" } ?? true))
        sim.send(.answer(nil, .done))
        // The meeting was a natural break, and the lunch walk done at 12:31
        // another: the next sit break is 45 min of activity after the walk
        // (less the 5 min a merge may pull it forward).
        let sitAfter = { (s: Simulator) in s.newShows.filter { $0.at > s.at("2026-11-23 12:00") && $0.reminder.items.contains { $0.rule.rule == "sit" } } }
        Self.attentive(&sim, until: sim.at("2026-11-23 13:10"))
        #expect(sitAfter(sim).isEmpty, "\(sim.timeline)")
        Self.attentive(&sim, until: sim.at("2026-11-23 13:20"))
        #expect(sitAfter(sim).count == 1, "\(sim.timeline)")
    }

    @Test func aSuspendOverLunch() {
        var sim = Simulator(config: Self.program, start: "2026-11-23 08:00")
        Self.attentive(&sim, until: sim.at("2026-11-23 12:00"))
        let before = sim.newShows.count
        sim.suspend(until: sim.at("2026-11-23 13:30"))
        Self.attentive(&sim, until: sim.at("2026-11-23 13:40"))
        let after = Array(sim.newShows.dropFirst(before))
        #expect(after.count == 1)
        #expect(after.first.map { sim.hm($0.at) } == "13:32")
        #expect(after.first?.reminder.items.contains { $0.rule.rule == "lunch" && $0.catchUp } == true)
    }

    @Test func theDSTNight() {
        // Europe/Berlin falls back on 2026-10-25: the day has 25 hours.
        let settings = Settings(workingHours: DayWindow("00:00-24:00")!)
        let night = ReminderRule(id: "night", title: "Night", cadence: .fixed(times: [TimeOfDay("02:30")!, TimeOfDay("03:30")!], days: Weekday.everyDay),
                                 pool: ExercisePool(exercises: ["walk"]))
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps(every: 1), night], settings: settings), start: "2026-10-24 22:00")
        Self.attentive(&sim, until: sim.at("2026-10-25 06:00"))
        let nightShows = sim.newShows.filter { $0.reminder.items.contains { $0.rule.rule == "night" } }
        #expect(nightShows.count == 2)
        // Hourly press-ups stay an hour apart in real time through the repeated hour.
        // (Intervals restart with each working day, so count from the first after midnight.)
        let press = sim.newShows.filter { $0.reminder.items.contains { $0.rule.rule == "press" } }.map(\.at)
            .filter { $0 >= sim.at("2026-10-25 01:00") }
        #expect(press.count == 6)  // 01:00 CEST to 05:05 CET is five real hours
        for (a, b) in zip(press, press.dropFirst()) {
            #expect(b.timeIntervalSince(a) >= 3600 - 300 && b.timeIntervalSince(a) <= 3600 + 300)
        }
    }

    @Test func aWeekReplaysInMilliseconds() {
        var sim = Simulator(config: Self.program, start: "2026-11-23 07:00")
        Self.attentive(&sim, until: sim.at("2026-11-30 07:00"))
        let days = Set(sim.newShows.map { sim.calendar.weekday($0.at) })
        #expect(days == Weekday.workdays)
        #expect(sim.outcomes(.done).filter { $0.rule.rule == "lunch" }.count == 5)
    }
}
