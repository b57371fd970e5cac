import Foundation
import Testing
@testable import LimberCore

/// A snooze that would end after the rule's hours comes back at the next
/// time the rule may be shown, and says when; it is not recorded as missed.
@Suite struct SnoozePastHoursTests {
    static let settings = Settings(workingHours: DayWindow("08:00-18:00")!, activeDays: Weekday.workdays)

    @Test func aSnoozePastWorkingHoursComesBackTheNextWorkingMorning() {
        // Monday 2026-11-23; the next working morning is Tuesday 08:00.
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()], settings: Self.settings), start: "2026-11-23 17:50")
        let press = RuleID(program: "test", rule: "press")
        sim.send(.trigger(press))
        #expect(sim.showing != nil)
        sim.send(.answer(nil, .snooze(.minutes(15))))
        let snoozed = sim.outcomes(.snoozed)
        #expect(snoozed.count == 1)
        let back = sim.at("2026-11-24 08:00")
        #expect(snoozed.first.map { $0.at.addingTimeInterval($0.snooze!.seconds) } == back, "the record says when: \(sim.timeline)")
        #expect(snoozed.first?.note == "past its hours")
        #expect(sim.engine.ruleState(press)?.snoozedUntil?.wall == back)
        sim.advance(to: "2026-11-24 08:01")
        #expect(sim.outcomes(.missed).isEmpty, "\(sim.timeline)")
        let shows = sim.newShows.filter { $0.reminder.items.contains { $0.rule == press } }
        #expect(shows.map(\.at) == [sim.at("2026-11-23 17:50"), back], "\(sim.timeline)")
    }

    @Test func aSnoozePastAWindowComesBackWhenTheWindowOpensAgain() {
        // A window rule (09:00-12:00) snoozed at 11:55 for 10 min: Tuesday 09:00.
        let walks = Fixtures.walks(count: 1, window: "09:00-12:00", gap: 30)
        var sim = Simulator(config: Fixtures.config([walks], settings: Self.settings), start: "2026-11-23 11:55")
        let id = RuleID(program: "test", rule: "walks")
        sim.send(.trigger(id))
        sim.send(.answer(nil, .snooze(.minutes(10))))
        #expect(sim.engine.ruleState(id)?.snoozedUntil?.wall == sim.at("2026-11-24 09:00"), "\(sim.timeline)")
    }

    @Test func aSnoozeInsideTheHoursIsExactlyItsLength() {
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()], settings: Self.settings), start: "2026-11-23 17:00")
        let press = RuleID(program: "test", rule: "press")
        sim.send(.trigger(press))
        sim.send(.answer(nil, .snooze(.minutes(15))))
        #expect(sim.outcomes(.snoozed).first?.snooze == .minutes(15))
        #expect(sim.outcomes(.snoozed).first?.note == nil)
        #expect(sim.engine.ruleState(press)?.snoozedUntil?.wall == sim.at("2026-11-23 17:15"))
    }

    @Test func aFixedReminderKeepsItsSnoozeWhateverTheHours() {
        // Fixed rules have no hours of their own: 19:50 + 15 min is 20:05.
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk("19:50", days: Weekday.everyDay)], settings: Self.settings),
                            start: "2026-11-23 19:49")
        sim.advance(to: "2026-11-23 19:50")
        #expect(sim.showing != nil, "\(sim.timeline)")
        sim.send(.answer(nil, .snooze(.minutes(15))))
        #expect(sim.engine.ruleState(RuleID(program: "test", rule: "lunch"))?.snoozedUntil?.wall == sim.at("2026-11-23 20:05"))
    }
}
