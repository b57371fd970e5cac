import Foundation
import Testing
@testable import LimberCore

/// `Engine.plan`: what is still to come today (limberctl today), forecast
/// on a copy of the engine; the engine itself does not change.
@Suite struct TodayPlanTests {
    static let settings = Settings(workingHours: DayWindow("08:00-18:00")!, activeDays: Weekday.workdays)

    @Test func theRestOfTheDayInOrderWithExercises() throws {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak(), Fixtures.lunchWalk()], settings: Self.settings),
                            start: "2026-11-23 09:00")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let before = try encoder.encode(sim.engine.state)
        let end = sim.at("2026-11-24 00:00")
        let plan = sim.engine.plan(until: end, at: sim.now)
        #expect(try encoder.encode(sim.engine.state) == before, "the plan changed the engine")
        let times = plan.map { sim.hm($0.at) + " " + $0.rule.rule }
        // Sit breaks every 45 min of activity; the walk at 12:30 resets the count.
        #expect(times == ["09:45 sit", "10:30 sit", "11:15 sit", "12:00 sit", "12:30 lunch", "13:15 sit", "14:00 sit",
                          "14:45 sit", "15:30 sit", "16:15 sit", "17:00 sit", "17:45 sit"], "\(times)")
        #expect(plan.first { $0.rule.rule == "lunch" }?.exercises.map(\.name) == ["Walk"])
        #expect(plan.allSatisfy { $0.at < end && $0.phase == nil && !$0.catchUp })
        // Nothing of it happened: the sit break is still the next, at 09:45.
        sim.advance(to: "2026-11-23 09:46")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:45"])
    }

    @Test func theReminderOnScreenIsNotPartOfThePlan() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk("09:00"), Fixtures.lunchWalk("15:00").renamed("tea")],
                                                    settings: Self.settings), start: "2026-11-23 08:59")
        sim.advance(to: "2026-11-23 09:00")
        #expect(sim.showing != nil)
        let plan = sim.engine.plan(until: sim.at("2026-11-24 00:00"), at: sim.now)
        #expect(plan.map { sim.hm($0.at) + " " + $0.rule.rule } == ["15:00 tea"])
        #expect(sim.showing != nil, "the reminder on screen stays")
    }

    @Test func eachItemSaysItsPhase() {
        let phases = [Phase(id: "acute", name: "Acute", days: 1), Phase(id: "recovery", name: "Recovery", days: nil)]
        var press = Fixtures.pressUps()
        press.phases = ["acute"]
        let sim = Simulator(config: Fixtures.config([press], settings: Self.settings, phases: phases), start: "2026-11-23 09:00")
        let plan = sim.engine.plan(until: sim.at("2026-11-24 00:00"), at: sim.now)
        #expect(!plan.isEmpty)
        #expect(plan.allSatisfy { $0.phase?.id == "acute" && $0.rule.rule == "press" })
    }

    @Test func whilePausedTheOwedOnesComeWhenThePauseEnds() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk("12:30")], settings: Self.settings), start: "2026-11-23 12:00")
        sim.send(.pause(until: sim.at("2026-11-23 13:00")))
        let plan = sim.engine.plan(until: sim.at("2026-11-24 00:00"), at: sim.now)
        #expect(plan.map { sim.hm($0.at) } == ["13:00"])
        #expect(plan.first?.catchUp == true)
    }
}

extension ReminderRule {
    func renamed(_ id: String) -> ReminderRule {
        var r = self
        r.id = id
        return r
    }
}
