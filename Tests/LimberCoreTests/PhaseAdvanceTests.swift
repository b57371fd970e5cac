import Foundation
import Testing
@testable import LimberCore

/// Phases that follow the person: per-phase values, moves, the phase
/// question, check-ins; and intervals on a grid.
@Suite struct PhaseAdvanceTests {
    static let phases = [
        Phase(id: "acute", name: "Flare", days: 14, advance: .confirm(question: "Has the flare settled?", askEveryDays: 3)),
        Phase(id: "recovery", name: "Recovery", days: 28, advance: .checkIns(CheckInRule())),
        Phase(id: "maintenance", name: "Maintenance", days: nil),
    ]

    static func sitBreak() -> ReminderRule {
        var r = Fixtures.sitBreak(after: 45)
        r.phaseCadences = ["acute": .sitBreak(after: .minutes(30), naturalBreak: .minutes(5)),
                           "maintenance": .sitBreak(after: .minutes(50), naturalBreak: .minutes(5))]
        return r
    }

    static func stretches() -> ReminderRule {
        ReminderRule(id: "bend", title: "Bending stretch", cadence: .fixed(times: [TimeOfDay("11:00")!], days: Weekday.everyDay),
                     pool: ExercisePool(exercises: ["glide"]), phases: ["recovery", "maintenance"])
    }

    @Test func aSitBreakComesAfterItsPhasesValue() {
        var sim = Simulator(config: Fixtures.config([Self.sitBreak()], phases: Self.phases), start: "2026-03-02 09:00")
        sim.advance(to: "2026-03-02 09:31")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:30"], "\(sim.timeline)")
        sim.send(.answer(nil, .done))
        sim.send(.setPhase(program: "test", phase: "recovery", reason: "moved by you"))
        sim.clearLog()
        sim.advance(to: "2026-03-02 10:30")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["10:16"], "45 min in recovery: \(sim.timeline)")
        #expect(sim.engine.phaseStatus(of: "test", on: sim.now.wall)?.line == "Recovery, day 1 of 28")
    }

    @Test func aPhaseThatEndsByConfirmationWaitsAndAsksAgain() {
        var sim = Simulator(config: Fixtures.config([Self.stretches()], phases: Self.phases), start: "2026-03-02 09:00")
        sim.advance(to: "2026-03-17 12:00")   // day 16: past the flare's 14 days
        #expect(sim.newShows.isEmpty, "no bending stretches until the flare is confirmed settled: \(sim.timeline)")
        let status = sim.engine.phaseStatus(of: "test", on: sim.now.wall)
        #expect(status?.phase.id == "acute")
        #expect(status?.line == "Flare, day 16 of 14")
        #expect(status?.waiting?.contains("Has the flare settled?") == true)
        #expect(sim.engine.phaseQuestion(of: "test", at: sim.now) == "Has the flare settled?")
        sim.send(.confirmPhase(program: "test", settled: false))
        #expect(sim.engine.phaseQuestion(of: "test", at: sim.now) == nil, "not asked again at once")
        sim.advance(to: "2026-03-20 09:00")
        #expect(sim.engine.phaseQuestion(of: "test", at: sim.now) == "Has the flare settled?", "asked again after 3 days")
        sim.send(.confirmPhase(program: "test", settled: true))
        let now = sim.engine.phaseStatus(of: "test", on: sim.now.wall)
        #expect(now?.phase.id == "recovery")
        #expect(now?.reason.contains("you answered Yes") == true)
        sim.advance(to: "2026-03-20 11:01")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["11:00"], "\(sim.timeline)")
    }

    @Test func checkInsMoveAPhaseOnAndWorseningOffersToGoBack() {
        var sim = Simulator(config: Fixtures.config([Self.stretches()], phases: Self.phases), start: "2026-03-02 09:00")
        sim.send(.setPhase(program: "test", phase: "recovery", reason: "test"))
        sim.advance(to: "2026-04-01 09:00")  // day 31 of recovery's 28
        #expect(sim.engine.phaseStatus(of: "test", on: sim.now.wall)?.waiting?.contains("check-ins") == true)
        for (pain, reach) in [(5, 3), (3, 2), (2, 1), (4, 1)] {
            sim.send(.checkIn(pain: pain, reach: reach))
        }
        #expect(sim.engine.phaseStatus(of: "test", on: sim.now.wall)?.phase.id == "recovery", "2 of the last 4 at most 3")
        sim.send(.checkIn(pain: 3, reach: 1))
        let moved = sim.engine.phaseStatus(of: "test", on: sim.now.wall)
        #expect(moved?.phase.id == "maintenance", "3 of the last 4 at most 3, not spreading")
        #expect(moved?.reason.contains("pain at most 3 on 3 of the last 4 check-ins") == true)
        sim.send(.checkIn(pain: 6, reach: 4))
        let offer = sim.engine.phaseOffer(of: "test")
        #expect(offer?.phase == "recovery")
        #expect(offer?.reason == "pain rose from 3 to 6 and the pain reaches further down the leg")
        #expect(sim.engine.phaseStatus(of: "test", on: sim.now.wall)?.phase.id == "maintenance", "only offered, not moved")
    }

    @Test func aStartDateSetsTheDay() {
        var sim = Simulator(config: Fixtures.config([Self.sitBreak()], phases: [
            Phase(id: "acute", name: "Flare", days: 14), Phase(id: "recovery", name: "Recovery", days: 28),
            Phase(id: "maintenance", name: "Maintenance", days: nil),
        ]), start: "2026-03-02 09:00")
        sim.send(.startProgram("test", on: sim.at("2026-02-06 00:00")))
        #expect(sim.engine.phaseStatus(of: "test", on: sim.now.wall)?.line == "Recovery, day 11 of 28")
        #expect(sim.engine.phaseStatus(of: "test", on: sim.at("2026-03-20 12:00"))?.line == "Maintenance, day 1")
    }

    /// Every 2 h between 08:00 and 20:00 on the grid: 08:00, 10:00, ...,
    /// 20:00 however late each was answered; unanswered ones expire and the
    /// grid goes on.
    @Test func anIntervalOnTheGridKeepsItsTimes() {
        let press = ReminderRule(id: "press", title: "Press-ups", cadence: .every(.hours(2), window: DayWindow("08:00-20:00")!, grid: true),
                                 pool: ExercisePool(exercises: ["press-up"]))
        var sim = Simulator(config: Fixtures.config([press]), start: "2026-03-02 07:00")
        sim.advance(to: "2026-03-02 10:40")
        sim.send(.answer(nil, .done))   // 10:00's, answered 40 minutes late
        sim.advance(to: "2026-03-03 09:00")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00", "08:00"],
                "\(sim.timeline)")
    }

    @Test func anIntervalFromTheLastAnswerInItsOwnWindow() {
        let press = ReminderRule(id: "press", title: "Press-ups", cadence: .every(.hours(2), window: DayWindow("09:00-12:00")!, grid: false),
                                 pool: ExercisePool(exercises: ["press-up"]))
        var sim = Simulator(config: Fixtures.config([press]), start: "2026-03-02 07:00")
        sim.advance(to: "2026-03-02 11:10")
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-03-02 23:00")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["11:00"], "\(sim.timeline)")
    }
}
