import Testing
import Foundation
@testable import LimberCore

/// `limberctl moved`: a break limberd could not see.
@Suite struct MovedTests {
    @Test func movedStartsTheSitBreakCountAgainAndIsRecorded() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:40")
        sim.send(.moved)
        sim.advance(to: "2026-11-23 10:40")
        // 45 minutes of sitting counted from 09:40, not from 09:00.
        #expect(sim.newShows.map { sim.hm($0.at) } == ["10:25"])
        let done = sim.outcomes(.done)
        #expect(done.count == 1)
        #expect(done.first?.note == "moved")
        #expect(done.first?.reminder == 0)
    }

    @Test func movedAnswersTheSitBreakOnScreen() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:46")
        #expect(sim.showing != nil)
        sim.send(.moved)
        #expect(sim.showing == nil)
        #expect(sim.outcomes(.done).map(\.note) == ["moved"])
        #expect(sim.log.contains { if case .withdraw(_, .naturalBreak) = $0.effect { true } else { false } })
        sim.advance(to: "2026-11-23 11:00")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:45", "10:31"])
    }

    @Test func movedWhileAwayChangesNothingButTheRecord() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:20")
        sim.send(.idle(since: nil))
        sim.send(.moved)
        sim.advance(to: "2026-11-23 09:22")
        sim.send(.active)
        sim.advance(to: "2026-11-23 10:30")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["10:07"])
    }
}
