import Testing
import Foundation
@testable import LimberCore

@Suite struct SitBreakTests {
    @Test func firesAfterContinuousActivity() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:44")
        #expect(sim.newShows.isEmpty)
        sim.advance(to: "2026-11-23 09:46")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:45"])
        #expect(sim.showing?.items.first?.exercises.map(\.id) == ["walk"])
    }

    @Test func doneRestartsTheCount() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:46")
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-11-23 11:00")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:45", "10:31"])
        #expect(sim.outcomes(.done).count == 1)
    }

    @Test func naturalBreakResetsTheCount() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:40")
        sim.send(.idle(since: nil))
        sim.advance(to: "2026-11-23 09:46")
        sim.send(.active)
        sim.advance(to: "2026-11-23 10:40")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["10:31"])
    }

    @Test func shortIdleOnlyPausesTheCount() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:20")
        sim.send(.idle(since: nil))
        sim.advance(to: "2026-11-23 09:23")
        sim.send(.active)
        sim.advance(to: "2026-11-23 10:00")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:48"])
    }

    @Test func idleSinceIsHonoured() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:30")
        // The idle source noticed at 09:30 that input stopped at 09:24.
        sim.send(.idle(since: sim.now.uptime - .minutes(6)))
        sim.advance(to: "2026-11-23 09:31")
        sim.send(.active)
        sim.advance(to: "2026-11-23 11:00")
        #expect(sim.newShows.first.map { sim.hm($0.at) } == "10:16")
    }

    @Test func walkingAwayFromTheReminderCountsAsDone() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:46")
        #expect(sim.showing != nil)
        sim.send(.idle(since: nil))
        sim.advance(to: "2026-11-23 09:53")
        sim.send(.active)
        #expect(sim.showing == nil)
        #expect(sim.outcomes(.done).first?.note == "natural break")
        #expect(sim.log.contains { if case .withdraw(_, .naturalBreak) = $0.effect { true } else { false } })
    }

    @Test func lockedTimeIsABreak() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:40")
        sim.send(.locked)
        sim.advance(to: "2026-11-23 10:40")
        #expect(sim.newShows.isEmpty)
        sim.send(.unlocked)
        sim.advance(to: "2026-11-23 11:30")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["11:25"])
    }

    @Test func countsOnlyInsideWorkingHours() {
        let settings = Settings(workingHours: DayWindow("09:00-17:00")!, activeDays: Weekday.workdays)
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()], settings: settings), start: "2026-11-23 16:30")
        sim.advance(to: "2026-11-24 09:50")
        // 16:30 to 17:00 counts 30 min; the next day starts a fresh count.
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:45"])
        #expect(sim.newShows.allSatisfy { sim.calendar.minuteOfDay($0.at) >= 9 * 60 })
    }

    @Test func nothingOnDaysOff() {
        let settings = Settings(workingHours: DayWindow("09:00-17:00")!, activeDays: Weekday.workdays)
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()], settings: settings), start: "2026-11-21 08:00")
        sim.advance(to: "2026-11-22 23:00")  // Saturday and Sunday
        #expect(sim.newShows.isEmpty)
        sim.advance(to: "2026-11-23 10:00")
        #expect(sim.newShows.count == 1)
    }
}
