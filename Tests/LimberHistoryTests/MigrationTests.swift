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
        #expect(report.appliedMigrations == ["v2-postponed", "v3-red-flag", "v4-phase-move"])
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
