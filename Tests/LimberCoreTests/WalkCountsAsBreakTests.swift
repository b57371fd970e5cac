import Foundation
import Testing
@testable import LimberCore

/// Done on a walk (an exercise of category cardio), or on any reminder the
/// program marks `counts_as_break`, is a break: the sit break counts again
/// from zero.
@Suite struct WalkCountsAsBreakTests {
    static let sit = RuleID(program: "test", rule: "sit")

    /// Monday: the sit break counts from 12:00 (due 12:45); a lunch walk at 12:30.
    static func run(_ lunch: ReminderRule, answer: Answer = .done) -> Simulator {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak(), lunch]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:30")
        #expect(sim.showing?.items.map(\.rule.rule) == [lunch.id], "\(sim.timeline)")
        sim.advance(to: "2026-11-23 12:31")
        sim.send(.answer(nil, answer))
        sim.advance(to: "2026-11-23 13:30")
        return sim
    }

    static func sitShows(_ sim: Simulator) -> [String] {
        sim.newShows.filter { $0.reminder.items.contains { $0.rule == sit } }.map { sim.hm($0.at) }
    }

    @Test func doneOnAWalkResetsTheSitBreak() {
        let sim = Self.run(Fixtures.lunchWalk())
        #expect(Self.sitShows(sim) == ["13:16"], "\(sim.timeline)")
    }

    @Test func skippingTheWalkDoesNot() {
        let sim = Self.run(Fixtures.lunchWalk(), answer: .skip)
        #expect(Self.sitShows(sim) == ["12:45"], "\(sim.timeline)")
    }

    @Test func aReminderMarkedNotABreakDoesNot() {
        var lunch = Fixtures.lunchWalk()
        lunch.countsAsBreak = false
        let sim = Self.run(lunch)
        #expect(Self.sitShows(sim) == ["12:45"], "\(sim.timeline)")
    }

    @Test func anyReminderMarkedCountsAsBreakDoes() {
        // Press-ups are not a walk, but the program says they count.
        var press = ReminderRule(id: "lunch", title: "Press-ups", cadence: .fixed(times: [TimeOfDay("12:30")!], days: Weekday.everyDay),
                                 pool: ExercisePool(exercises: ["press-up"]))
        #expect(Self.sitShows(Self.run(press)) == ["12:45"])
        press.countsAsBreak = true
        let sim = Self.run(press)
        #expect(Self.sitShows(sim) == ["13:16"], "\(sim.timeline)")
    }

    @Test func aSnoozedSitBreakIsAnsweredByTheWalk() {
        // The sit break at 12:45 is snoozed 30 min; the walk done at 13:00
        // answers it: the next sit break is 45 min after the walk.
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak(), Fixtures.lunchWalk("13:00")]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:45")
        #expect(sim.showing?.items.map(\.rule) == [Self.sit], "\(sim.timeline)")
        sim.send(.answer(nil, .snooze(.minutes(30))))
        sim.advance(to: "2026-11-23 13:00")
        #expect(sim.showing?.items.map(\.rule.rule) == ["lunch"], "\(sim.timeline)")
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-11-23 14:00")
        #expect(Self.sitShows(sim) == ["12:45", "13:45"], "\(sim.timeline)")
    }
}
