import Foundation
import LimberCore
import Testing
@testable import LimberHistory

@Suite struct RecordRoundTripTests {
    @Test func everyFieldSurvivesTheRoundTrip() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        let outcomes = [
            Outcome(reminder: .max, rule: pressUps, kind: .shown, exercises: [pressUp, bridge],
                    at: t(hour: 9, minute: 1), dueAt: t(hour: 9), catchUp: true, snooze: nil, note: nil),
            Outcome(reminder: .max, rule: pressUps, kind: .snoozed, exercises: [pressUp, bridge],
                    at: t(hour: 9, minute: 2), dueAt: t(hour: 9), catchUp: true, snooze: .seconds(600), note: "asked, \"later\""),
            Outcome(reminder: 3, rule: sitBreak, kind: .missed, exercises: [],
                    at: t(hour: 10), dueAt: t(hour: 8), catchUp: false, note: "away"),
        ]
        let ids = try store.record(outcomes)
        #expect(ids.count == 3)
        #expect(ids == ids.sorted())
        let back = try store.outcomes()
        #expect(back.map(\.id) == ids)
        #expect(back.map(\.outcome) == outcomes)
    }

    @Test func queriesAreBoundedByTime() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        for h in 0..<10 { try store.record(outcome(.done, at: t(hour: h), reminder: ReminderID(h))) }
        let mid = try store.outcomes(since: t(hour: 3), until: t(hour: 6))
        #expect(mid.map(\.outcome.reminder) == [3, 4, 5])
        #expect(mid.allSatisfy { $0.outcome.exercises == [pressUp] })
        #expect(try store.outcomes(since: t(hour: 8)).count == 2)
    }

    @Test func lastDoneIsPerExercise() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        try store.record([
            outcome(.done, at: t(hour: 9), exercises: [pressUp, walk]),
            outcome(.done, at: t(hour: 11), exercises: [pressUp]),
            outcome(.skipped, at: t(hour: 12), exercises: [walk]),
        ])
        let last = try store.lastDone()
        #expect(last == ["prone-press-up": t(hour: 11), "walk": t(hour: 9)])
    }

    @Test func activityAddsUpPerDay() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        let day = Day(year: 2025, month: 3, day: 1)
        try store.addActivity(on: day, activeSeconds: 3000, breakSeconds: 300)
        try store.addActivity(on: day, activeSeconds: 600, breakSeconds: 60)
        try store.addActivity(on: day.adding(days: 1), activeSeconds: 100, breakSeconds: 0)
        #expect(try store.activity() == [
            ActivityDay(day: day, activeSeconds: 3600, breakSeconds: 360),
            ActivityDay(day: day.adding(days: 1), activeSeconds: 100, breakSeconds: 0),
        ])
        #expect(throws: HistoryError.self) { try store.addActivity(on: day, activeSeconds: -1, breakSeconds: 0) }
    }
}

@Suite struct ReadOnlyOpenTests {
    @Test func limberctlCanReadWhileTheDaemonWrites() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        let (writer, _) = try HistoryStore.open(at: path, now: t())
        try writer.record(outcome(.done, at: t(hour: 9)))
        let reader = try HistoryStore.openForReading(at: path)
        #expect(try reader.outcomes().count == 1)
        try writer.record(outcome(.done, at: t(hour: 10)))
        #expect(try reader.outcomes().count == 2)
        #expect(throws: HistoryError.self) { try reader.record(outcome(.done, at: t(hour: 11))) }
        #expect(try writer.outcomes().count == 2)
    }

    @Test func readingAMissingHistorySaysSo() {
        let dir = TempDir()
        #expect(throws: HistoryError.notFound(path: dir.file("none.sqlite"))) {
            try HistoryStore.openForReading(at: dir.file("none.sqlite"))
        }
        #expect(dir.listing().isEmpty)
    }
}
