import Foundation
import GRDB
import Testing
@testable import LimberHistory

@Suite struct MigrationTests {
    @Test func freshDatabaseIsCreatedInWALModeWithEveryMigration() throws {
        let dir = TempDir()
        let path = dir.file("state/limber/history.sqlite")
        let (store, report) = try HistoryStore.open(at: path, now: t())
        #expect(report.created)
        #expect(report.movedAside == nil)
        #expect(report.appliedMigrations == HistorySchema.migrationNames)
        #expect(report.appliedMigrations.first == "v1")
        #expect(try store.appliedMigrations() == HistorySchema.migrationNames)
        let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let tables = try store.pool.read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(tables == ["activity", "checkin", "outcome", "outcome_exercise", "phase_move", "red_flag_event"])
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func reopeningAppliesNothing() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        let first = try HistoryStore.open(at: path, now: t())
        try first.store.record(outcome(.done, at: t(hour: 9)))
        try first.store.close()
        let (store, report) = try HistoryStore.open(at: path, now: t())
        #expect(!report.created)
        #expect(report.appliedMigrations.isEmpty)
        #expect(report.messages.isEmpty)
        #expect(try store.outcomes().count == 1)
    }

    /// A file left at any earlier schema version (from the first on) opens,
    /// gains the later migrations and keeps its rows.
    @Test(arguments: HistorySchema.migrationNames.indices)
    func upgradesFromEveryEarlierSchema(stoppedAt index: Int) throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        let names = HistorySchema.migrationNames
        do {
            let pool = try DatabasePool(path: path)
            try HistorySchema.migrator.migrate(pool, upTo: names[index])
            // A row as the first schema (v1) wrote it.
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO outcome (reminder, program, rule, kind, at, due_at, catch_up)
                    VALUES (7, 'sciatica-relief', 'press-ups', 'done', '2025-03-01 09:00:00.000', '2025-03-01 09:00:00.000', 0)
                    """)
            }
            try pool.close()
        }
        let (store, report) = try HistoryStore.open(at: path, now: t())
        #expect(!report.created)
        #expect(report.appliedMigrations == Array(names[(index + 1)...]))
        let rows = try store.outcomes()
        #expect(rows.count == 1)
        #expect(rows.first?.outcome.reminder == 7)
        #expect(rows.first?.outcome.at == t(hour: 9))
    }

    @Test func aSQLiteFileOfSomeoneElseIsNotTakenOver() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        do {
            let q = try DatabaseQueue(path: path)
            try q.write { try $0.execute(sql: "CREATE TABLE outcome (x TEXT); INSERT INTO outcome VALUES ('theirs')") }
        }
        #expect(throws: HistoryError.self) { try HistoryStore.open(at: path, now: t()) }
        #expect(dir.listing() .allSatisfy { !$0.contains("corrupt") })
    }
}

@Suite struct PostponedMigrationTests {
    /// v2 rebuilds the outcome table: the exercises of old rows stay linked,
    /// and the new 'postponed' kind can be written.
    @Test func rebuildKeepsExercisesAndAcceptsPostponed() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        do {
            let pool = try DatabasePool(path: path)
            try HistorySchema.migrator.migrate(pool, upTo: "v1")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO outcome (id, reminder, program, rule, kind, at, due_at, catch_up)
                    VALUES (1, 7, 'sciatica-relief', 'press-ups', 'done', '2025-03-01 09:00:00.000', '2025-03-01 09:00:00.000', 0);
                    INSERT INTO outcome_exercise (outcome_id, position, exercise, name, dose)
                    VALUES (1, 0, 'press-up', 'Prone press-up', '10 reps');
                    """)
                #expect(throws: (any Error).self) {
                    try db.execute(sql: """
                        INSERT INTO outcome (reminder, program, rule, kind, at, due_at) VALUES (8, 'p', 'r', 'postponed', 'x', 'x')
                        """)
                }
            }
            try pool.close()
        }
        let (store, report) = try HistoryStore.open(at: path, now: t())
        #expect(report.appliedMigrations == ["v2-postponed", "v3-red-flag", "v4-phase-move", "v5-outcome-reminder"])
        #expect(try store.outcomes().first?.outcome.exercises.map(\.id) == ["press-up"])
        var o = outcome(.done, at: t(hour: 10))
        o.kind = .postponed
        o.note = "in a call"
        try store.record(o)
        #expect(try store.outcomes().map(\.outcome.kind) == [.done, .postponed])
        #expect(try store.integrityCheck() == ["ok"])
        let fk = try store.pool.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }
        #expect(fk.isEmpty)
    }
}

/// Schema v5: an index on outcome(reminder), for lastReminderID (every
/// start) and recordedEnding (every write), on a file the v4 release
/// wrote (Fixtures/README.md).
@Suite struct ReminderIndexMigrationTests {
    /// A copy of the v4 fixture in a temporary directory (the fixture
    /// itself is never opened for writing).
    static func v4Copy(_ dir: TempDir) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        let path = dir.file("history.sqlite")
        try FileManager.default.copyItem(atPath: url.path + "/Fixtures/history-v4.sqlite", toPath: path)
        return path
    }

    /// EXPLAIN QUERY PLAN's lines for `sql`.
    static func plan(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> String {
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
            .map { $0["detail"] as String }.joined(separator: "\n")
    }

    static let item: StatementArguments = [7, "sciatica-relief", "press-ups", 7, "sciatica-relief", "press-ups"]

    @Test func theV4ReleaseFileGainsTheIndexAndKeepsEveryRow() throws {
        let dir = TempDir()
        let path = try Self.v4Copy(dir)
        // As the release left it: the highest id scans the outcome table,
        // an item's ending reads every row of its rule.
        do {
            let q = try DatabaseQueue(path: path)
            let (applied, last, ending) = try q.read { db in
                (try HistorySchema.migrator.appliedMigrations(db), try Self.plan(db, HistoryStore.lastReminderIDSQL),
                 try Self.plan(db, HistoryStore.recordedEndingSQL, Self.item))
            }
            #expect(applied.last == "v4-phase-move")
            #expect(!last.contains("outcome_reminder"), "\(last)")
            #expect(!ending.contains("outcome_reminder"), "\(ending)")
            try q.close()
        }
        let (store, report) = try HistoryStore.open(at: path, now: t())
        #expect(!report.created)
        #expect(report.movedAside == nil)
        #expect(report.appliedMigrations == ["v5-outcome-reminder"])
        #expect(try store.integrityCheck() == ["ok"])
        // Every row of the release is still there and reads as before.
        let rows = try store.outcomes()
        #expect(rows.count == 36)
        #expect(rows.map(\.outcome.exercises.count).reduce(0, +) == 42)
        #expect(Set(rows.map(\.outcome.kind)) == [.shown, .done, .snoozed, .skipped, .postponed, .missed, .expired])
        #expect(rows.first?.outcome.exercises.map(\.id) == ["prone-press-up", "glute-bridge"])
        #expect(rows.first { $0.outcome.kind == .snoozed }?.outcome.snooze == .minutes(10))
        #expect(rows.first { $0.outcome.kind == .postponed }?.outcome.note == "in a call")
        #expect(try store.checkIns().map(\.checkIn.pain) == [4, 3, 2])
        #expect(try store.lastReminderID() == 15)
        // The lookups use the index now.
        let (last, ending) = try store.pool.read { db in
            (try Self.plan(db, HistoryStore.lastReminderIDSQL), try Self.plan(db, HistoryStore.recordedEndingSQL, Self.item))
        }
        #expect(last.contains("outcome_reminder"), "\(last)")
        #expect(ending.contains("USING INDEX outcome_reminder") || ending.contains("USING COVERING INDEX outcome_reminder"), "\(ending)")
        #expect(!ending.contains("SCAN outcome"), "\(ending)")
        // And the store goes on where the release stopped.
        try store.record([outcome(.shown, at: t(day: 3, hour: 9), reminder: 16)])
        try store.record([outcome(.done, at: t(day: 3, hour: 9, minute: 3), reminder: 16),
                          outcome(.done, at: t(day: 3, hour: 9, minute: 4), reminder: 16)])
        #expect(try store.outcomes().count == 38, "the second ending of the item is skipped")
        #expect(try store.lastReminderID() == 16)
    }
}
