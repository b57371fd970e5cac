import Foundation
import Testing
@testable import LimberCore

/// A red flag stops every exercise reminder until the person clears it.
@Suite struct RedFlagHoldTests {
    static func safeSitBreak() -> ReminderRule {
        var r = Fixtures.sitBreak()
        r.safeDuringRedFlag = true
        return r
    }

    @Test func aRedFlagWithdrawsTheReminderAndHoldsEveryExerciseRule() {
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps(), Fixtures.walks()]), start: "2026-11-23 08:00")
        sim.advance(to: "2026-11-23 10:00")
        let shown = try! #require(sim.showing)
        sim.clearLog()
        sim.send(.redFlag(["saddle-numbness"]))
        #expect(sim.showing == nil)
        #expect(sim.log.contains { if case .withdraw(shown.id, .redFlag) = $0.effect { true } else { false } })
        #expect(sim.outcomes(.missed).allSatisfy { $0.note == "red flag" } && !sim.outcomes(.missed).isEmpty)
        #expect(sim.engine.state.redFlagHold?.flags == ["saddle-numbness"])
        #expect(sim.engine.status(at: sim.now).line(now: sim.now.wall).hasPrefix("RED FLAG"))
        // A whole day passes: nothing is shown, and a plain resume does not lift the hold.
        sim.send(.resume)
        sim.advance(to: "2026-11-24 18:00")
        #expect(sim.newShows.isEmpty, "\(sim.timeline)")
        // Cleared: reminders come back on their schedule.
        sim.send(.redFlagCleared)
        #expect(sim.engine.state.redFlagHold == nil)
        sim.advance(to: "2026-11-25 12:00")
        #expect(!sim.newShows.isEmpty)
    }

    @Test func aSitBreakTheProgramCallsSafeGoesOn() {
        var sim = Simulator(config: Fixtures.config([Self.safeSitBreak(), Fixtures.pressUps(every: 1)]), start: "2026-11-23 08:00")
        sim.send(.active)
        sim.send(.redFlag(["foot-drop"]))
        sim.advance(to: "2026-11-23 12:00")
        let rules = Set(sim.newShows.flatMap { $0.reminder.items.map(\.rule.rule) })
        #expect(rules == ["sit"], "\(sim.timeline)")
    }

    @Test func theHoldSurvivesARestartThroughTheStateFile() throws {
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()]), start: "2026-11-23 08:00")
        sim.send(.redFlag(["bladder-bowel"]))
        let data = try JSONEncoder().encode(sim.engine.state)
        let restored = try JSONDecoder().decode(EngineState.self, from: data)
        #expect(restored.redFlagHold?.flags == ["bladder-bowel"])
        // An older state file without the field still loads.
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        json["redFlagHold"] = nil
        let old = try JSONDecoder().decode(EngineState.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.redFlagHold == nil)
    }
}
