import Foundation
import Testing
@testable import LimberHistory
import LimberCore

@Suite struct RetentionTests {
    func seeded(_ dir: TempDir) throws -> HistoryStore {
        let store = try freshStore(dir)
        for d in 0..<10 {
            try store.record(outcome(.done, at: t(day: d, hour: 9), note: "marker-outcome-\(d)"))
            _ = store.checkIn(CheckIn(at: t(day: d, hour: 10), pain: 3, note: "marker-checkin-\(d)"))
            try store.addActivity(on: Day(t(day: d), in: utc), activeSeconds: 100, breakSeconds: 10)
        }
        return store
    }

    @Test func keepingEverythingIsTheDefault() throws {
        let dir = TempDir()
        let store = try seeded(dir)
        #expect(try store.applyRetention(.forever, now: t(day: 400), timeZone: utc) == PruneResult(outcomes: 0, checkIns: 0, activityDays: 0))
        #expect(try store.summary().outcomes == 10)
    }

    @Test func pruningDropsWhatIsOlderThanTheCutoff() throws {
        let dir = TempDir()
        let store = try seeded(dir)
        let result = try store.applyRetention(.days(3), now: t(day: 9, hour: 12), timeZone: utc)
        // Cutoff: day 6 at 12:00. Rows of days 0 to 6 (at 9 and 10 h) go; activity
        // goes for the days before the cutoff's day, so day 6's stays.
        #expect(result == PruneResult(outcomes: 7, checkIns: 7, activityDays: 6))
        let summary = try store.summary()
        #expect(summary.outcomes == 3)
        #expect(summary.checkIns == 3)
        #expect(summary.activityDays == 4)
        #expect(summary.first == t(day: 7, hour: 9))
        // Exercises went with their outcomes.
        let orphans = try store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outcome_exercise WHERE outcome_id NOT IN (SELECT id FROM outcome)") }
        #expect(orphans == 0)
    }

    @Test func forgettingRemovesEverythingFromTheDiskToo() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        let store = try seeded(dir)
        let before = try store.summary()
        #expect(before.outcomes == 10 && before.checkIns == 10 && before.activityDays == 10)
        #expect(try store.forgetAll() == PruneResult(outcomes: 10, checkIns: 10, activityDays: 10))
        #expect(try store.summary() == HistorySummary(outcomes: 0, checkIns: 0, activityDays: 0, first: nil, last: nil))
        // Still usable.
        try store.record(outcome(.done, at: t(day: 20)))
        try store.close()
        for file in [path, path + "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(bytes.range(of: Data("marker-".utf8)) == nil, "\(file) still holds forgotten text")
        }
    }
}
