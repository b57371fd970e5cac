import Foundation
import Testing
@testable import LimberCore

/// The clock faults of the reliability issue, one after the other on one
/// user's day, with every kind of rule and a user who answers: the wall
/// clock set 3 hours forward and then 1 hour back, a time-zone change, and
/// an 8-hour suspend over several due times. Whatever happens, the core
/// keeps its promises (docs/reliability.md): no fixed occurrence shown
/// twice, no two new reminders closer than the coalescing window in real
/// time, every reminder shown ends exactly once, nothing shown while asleep.
@Suite struct ClockFaultScenarioTests {
    static func config() -> Configuration {
        var tea = Fixtures.lunchWalk("15:00"); tea.id = "tea"
        return Fixtures.config([Fixtures.sitBreak(), Fixtures.pressUps(), Fixtures.walks(), Fixtures.lunchWalk(), tea])
    }

    /// Like `advance(to:)`, answering Done a minute after each new reminder
    /// and noting the real time (uptime) of each new one.
    static func run(_ sim: inout Simulator, to target: Date, newAt: inout [ReminderID: Duration]) {
        while sim.now.wall < target {
            let next = min(target, sim.deadline.map { max($0, sim.now.wall) } ?? target,
                           sim.showing.map { _ in sim.now.wall.addingTimeInterval(60) } ?? target)
            let before = sim.showing?.id
            sim.advance(to: next)
            if let s = sim.showing, s.id != before, newAt[s.id] == nil { newAt[s.id] = sim.now.uptime }
            if let s = sim.showing, let shownAt = newAt[s.id], sim.now.uptime - shownAt >= .seconds(60) {
                sim.send(.answer(s.id, .done))
            }
            if let s = sim.showing, newAt[s.id] == nil { newAt[s.id] = sim.now.uptime }
        }
    }

    @Test func aDayOfClockJumpsATimeZoneChangeAndAnEightHourSuspend() {
        var sim = Simulator(config: Self.config(), start: "2026-11-23 07:30")
        var newAt: [ReminderID: Duration] = [:]
        Self.run(&sim, to: sim.at("2026-11-23 10:00"), newAt: &newAt)
        sim.setClock(to: sim.at("2026-11-23 13:00"))                  // 3 hours forward
        Self.run(&sim, to: sim.at("2026-11-23 15:00"), newAt: &newAt)
        sim.setClock(to: sim.at("2026-11-23 14:00"))                  // 1 hour back
        Self.run(&sim, to: sim.at("2026-11-23 17:00"), newAt: &newAt)
        sim.send(.timeZoneChanged(TimeZone(identifier: "Europe/London")!))
        Self.run(&sim, to: sim.at("2026-11-24 08:30"), newAt: &newAt)
        let asleepFrom = sim.now.wall
        sim.suspend(until: sim.at("2026-11-24 16:30"))                 // 8 hours asleep
        let woke = sim.now.wall
        Self.run(&sim, to: sim.at("2026-11-24 21:00"), newAt: &newAt)

        let shown = sim.outcomes(.shown)
        #expect(shown.count >= 10, "\(sim.timeline)")
        // No fixed occurrence (lunch 12:30, tea 15:00) shown twice.
        let fixed = shown.filter { ["lunch", "tea"].contains($0.rule.rule) }
        let occurrences = fixed.map { "\($0.rule.rule)@\($0.dueAt.timeIntervalSince1970)" }
        #expect(Set(occurrences).count == occurrences.count, "a fixed occurrence shown twice:\n\(sim.timeline)")
        // New reminders at least the coalescing window apart, in real time.
        let times = newAt.values.sorted()
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(gaps.allSatisfy { $0 >= .minutes(5) }, "gaps \(gaps.filter { $0 < .minutes(5) }):\n\(sim.timeline)")
        // The user answers every reminder within a real minute: a jump of
        // the wall clock must not make one expire under them.
        #expect(sim.outcomes(.expired).isEmpty, "\(sim.timeline)")
        // Nothing shown while asleep.
        #expect(!sim.newShows.contains { $0.at > asleepFrom && $0.at < woke }, "\(sim.timeline)")
        // After the resume: one catch-up at most, for what fell due asleep.
        let catchUps = Set(shown.filter { $0.catchUp && $0.at >= woke }.map(\.reminder))
        #expect(catchUps.count <= 1, "\(sim.timeline)")
        // Every reminder shown ends exactly once (the last may still be up).
        let endings: Set<OutcomeKind> = [.done, .snoozed, .skipped, .dismissed, .expired]
        for (reminder, items) in Dictionary(grouping: shown, by: { "\($0.reminder)/\($0.rule)" }) {
            let ends = sim.outcomes.filter { "\($0.reminder)/\($0.rule)" == reminder && endings.contains($0.kind) }
            let stillUp = sim.showing.map { s in s.items.contains { "\(s.id)/\($0.rule)" == reminder } } ?? false
            #expect(ends.count == (stillUp ? 0 : 1) * items.count, "\(reminder): \(ends.count) endings\n\(sim.timeline)")
        }
    }
}
