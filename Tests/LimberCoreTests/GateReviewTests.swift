import Foundation
import Testing
@testable import LimberCore

/// A reminder about to be shown goes to the gates first (`review`); it is
/// on screen, and recorded as shown, only once they let it proceed.
@Suite struct GateReviewTests {
    func lunch(maxSnoozes: Int? = nil) -> Simulator {
        var rule = Fixtures.lunchWalk()
        if let maxSnoozes { rule.maxSnoozes = maxSnoozes }
        var sim = Simulator(config: Fixtures.config([rule]), start: "2026-11-23 12:00", gated: true)
        sim.advance(to: "2026-11-23 12:30")
        return sim
    }

    @Test func proceedShowsAndOnlyThenRecordsShown() {
        var sim = lunch()
        let r = try! #require(sim.reviews.first)
        #expect(sim.shows.isEmpty)
        #expect(sim.outcomes.isEmpty)
        #expect(sim.engine.onScreen == nil && sim.engine.underReview?.id == r.id)
        #expect(sim.engine.status(at: sim.now).showing == nil)
        sim.send(.reviewed(r.id, .proceed))
        #expect(sim.shows.map(\.reminder.id) == [r.id])
        #expect(sim.outcomes.map(\.kind) == [.shown])
        #expect(sim.engine.onScreen?.id == r.id)
        #expect(sim.engine.status(at: sim.now).shownToday == 1)
    }

    @Test func postponeBringsItBackWithoutUsingASnooze() {
        var sim = lunch(maxSnoozes: 1)
        sim.send(.reviewed(sim.reviews[0].id, .postpone(.minutes(20), reason: "in a call")))
        #expect(sim.showing == nil)
        #expect(sim.outcomes.map(\.kind) == [.postponed])
        #expect(sim.outcomes.last?.note == "in a call")
        #expect(!sim.log.contains { if case .withdraw = $0.effect { true } else { false } }, "nothing was on screen")
        sim.advance(to: "2026-11-23 12:51")
        #expect(sim.reviews.map { sim.hm($0.shownAt) } == ["12:30", "12:50"])
        sim.send(.reviewed(sim.reviews[1].id, .proceed))
        #expect(sim.newShows.map { sim.hm($0.at) } == ["12:51"])
        #expect(sim.showing?.snoozeLength != nil)
    }

    @Test func dropRecordsMissedAndMovesOn() {
        var sim = lunch()
        sim.send(.reviewed(sim.reviews[0].id, .drop(reason: "presentation")))
        #expect(sim.outcomes.map(\.kind) == [.missed])
        #expect(sim.outcomes.last?.note == "presentation")
        #expect(sim.shows.isEmpty)
        #expect(sim.deadline == sim.at("2026-11-24 12:30"))
    }

    /// The user cannot answer what is not on screen: an answer during the
    /// review changes nothing, and the reminder still shows on proceed.
    @Test func anAnswerDuringAReviewChangesNothing() {
        var sim = lunch()
        let before = sim.engine.state
        sim.send(.answer(nil, .done))
        sim.send(.answer(sim.reviews[0].id, .snooze(nil)))
        #expect(sim.engine.state == before)
        #expect(sim.outcomes.isEmpty)
        sim.send(.reviewed(sim.reviews[0].id, .proceed))
        #expect(sim.shows.count == 1)
    }

    /// Something falling due during the review joins the reminder: the
    /// gates are asked once, proceed shows it whole and records each item.
    @Test func aRuleDueDuringTheReviewJoinsIt() {
        let a = ReminderRule(id: "a", title: "A", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
        let b = ReminderRule(id: "b", title: "B", cadence: .interval(every: .minutes(40)), pool: ExercisePool(exercises: ["walk"]))
        var sim = Simulator(config: Fixtures.config([a, b]), start: "2026-11-23 09:00", gated: true)
        sim.advance(to: "2026-11-23 09:30")
        sim.advance(to: "2026-11-23 09:40")
        #expect(sim.reviews.count == 1)
        #expect(sim.showing?.items.map(\.rule.rule) == ["a", "b"])
        sim.send(.reviewed(sim.reviews[0].id, .proceed))
        #expect(sim.shows.map { $0.reminder.items.map(\.rule.rule) } == [["a", "b"]])
        #expect(sim.outcomes(.shown).map(\.rule.rule) == ["a", "b"])
    }

    /// The coalescing window counts from when a reminder reached the screen,
    /// not from when the gates were asked: a slow review must not let the
    /// next reminder come sooner after it (reliability-soak at 20000x saw
    /// 269 s between two reminders when a review took 1.5 ms of real time).
    @Test func theWindowCountsFromTheRevealNotTheReview() {
        let a = ReminderRule(id: "a", title: "A", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
        let b = ReminderRule(id: "b", title: "B", cadence: .interval(every: .minutes(36)), pool: ExercisePool(exercises: ["walk"]))
        var sim = Simulator(config: Fixtures.config([a, b]), start: "2026-11-23 09:00", gated: true)
        sim.advance(to: "2026-11-23 09:30")
        let first = try! #require(sim.reviews.first)
        #expect(first.items.map(\.rule.rule) == ["a"])
        sim.advance(to: "2026-11-23 09:33")
        sim.send(.reviewed(first.id, .proceed))
        sim.advance(to: "2026-11-23 09:34")
        sim.send(.answer(first.id, .done))
        sim.advance(to: "2026-11-23 09:45")
        // b was due at 09:36; the window runs from 09:33, when a was shown.
        #expect(sim.reviews.map { sim.hm($0.shownAt) } == ["09:30", "09:38"])
    }

    /// A reload that removes the rule under review ends the review without
    /// a withdraw (nothing was on screen); the gates' late answer is ignored.
    @Test func aReloadDuringAReviewEndsItQuietly() {
        var sim = lunch()
        let id = sim.reviews[0].id
        sim.send(.reload(Fixtures.config([Fixtures.pressUps()])))
        #expect(sim.showing == nil)
        #expect(!sim.log.contains { if case .withdraw = $0.effect { true } else { false } })
        let before = sim.engine.state
        sim.send(.reviewed(id, .proceed))
        #expect(sim.engine.state == before)
        #expect(sim.shows.isEmpty)
    }

    /// A reload that keeps the rule keeps the review open; proceed shows it.
    @Test func aReloadKeepingTheRuleKeepsTheReview() {
        var sim = lunch()
        sim.send(.reload(Fixtures.config([Fixtures.lunchWalk(), Fixtures.pressUps()])))
        #expect(sim.engine.underReview != nil)
        sim.send(.reviewed(sim.reviews[0].id, .proceed))
        #expect(sim.shows.count == 1)
        #expect(sim.outcomes(.shown).count == 1)
    }

    /// An answer for another reminder, or a second answer, changes nothing.
    @Test func answersForAnotherReminderChangeNothing() {
        var sim = lunch()
        let before = sim.engine.state
        sim.send(.reviewed(999, .postpone(.minutes(5), reason: "x")))
        #expect(sim.engine.state == before)
        sim.send(.reviewed(sim.reviews[0].id, .proceed))
        let after = sim.engine.state
        sim.send(.reviewed(sim.reviews[0].id, .drop(reason: "late")))
        #expect(sim.engine.state == after)
    }

    /// A review open when the process ended was lost with it: the restarted
    /// engine asks again instead of waiting forever.
    @Test func aRestartDuringAReviewAsksAgain() throws {
        var sim = lunch()
        let saved = try JSONDecoder().decode(EngineState.self, from: JSONEncoder().encode(sim.engine.state))
        sim.engine = Engine(configuration: sim.engine.configuration, state: saved, timeZone: sim.calendar.timeZone,
                            now: sim.now, gated: true)
        #expect(sim.showing == nil)
        sim.send(.timer)
        sim.advance(by: .minutes(6))   // the coalescing window from the lost one
        #expect(sim.reviews.count == 2)
        #expect(sim.reviews[1].items.map(\.rule.rule) == ["lunch"])
    }

    /// Gates that never answer: the reminder's stay runs out and it is
    /// recorded as missed (it was never seen), not expired.
    @Test func aReviewNeverAnsweredEndsAsMissed() {
        var sim = lunch()
        sim.advance(to: "2026-11-23 12:46")
        #expect(sim.outcomes.map(\.kind) == [.missed])
        #expect(sim.showing == nil)
    }
}
