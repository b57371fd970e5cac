import GRDB

/// The history's schema, one GRDB migration per version. Migrations only
/// ever append: a released migration is never edited; a later change is a
/// new `registerMigration("v2-...")` below the last one.
enum HistorySchema {
    /// The names of every migration, in order (for the open report and tests).
    static var migrationNames: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            // One row per thing that happened to one rule's reminder.
            // Times are UTC text "YYYY-MM-DD HH:MM:SS.SSS" (GRDB's date format),
            // which sorts and compares as time.
            try db.execute(sql: """
                CREATE TABLE outcome (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    reminder INTEGER NOT NULL,           -- ReminderID (UInt64 bit pattern)
                    program TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('shown','done','snoozed','skipped','dismissed','expired','missed')),
                    at TEXT NOT NULL,                    -- when it happened
                    due_at TEXT NOT NULL,                -- when the occurrence fell due
                    catch_up INTEGER NOT NULL DEFAULT 0 CHECK (catch_up IN (0, 1)),
                    snooze_seconds REAL,                 -- for 'snoozed'
                    note TEXT                            -- why, when the core decided it
                );
                CREATE INDEX outcome_at ON outcome(at);
                CREATE INDEX outcome_occurrence ON outcome(program, rule, due_at);

                -- The exercises offered with an outcome, in order, with their dose.
                CREATE TABLE outcome_exercise (
                    outcome_id INTEGER NOT NULL REFERENCES outcome(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    exercise TEXT NOT NULL,
                    name TEXT NOT NULL,
                    dose TEXT NOT NULL,
                    PRIMARY KEY (outcome_id, position)
                ) WITHOUT ROWID;
                CREATE INDEX outcome_exercise_exercise ON outcome_exercise(exercise);

                -- Pain check-ins.
                CREATE TABLE checkin (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
                    reach TEXT CHECK (reach IN ('back','buttock','thigh','knee','calf','foot')),
                    red_flags TEXT NOT NULL DEFAULT '',  -- comma-separated RedFlag raw values
                    note TEXT NOT NULL DEFAULT '',
                    source TEXT NOT NULL CHECK (source IN ('cli','notification')),
                    after_reminder INTEGER
                );
                CREATE INDEX checkin_at ON checkin(at);

                -- Active time against breaks, per local day, added to by the daemon.
                CREATE TABLE activity (
                    day TEXT PRIMARY KEY,                -- YYYY-MM-DD in the user's time zone
                    active_seconds REAL NOT NULL DEFAULT 0 CHECK (active_seconds >= 0),
                    break_seconds REAL NOT NULL DEFAULT 0 CHECK (break_seconds >= 0)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2-postponed") { db in
            // A gate (a plugin) may hold a reminder back before it is seen:
            // the 'postponed' kind. SQLite cannot change a CHECK in place, so
            // the table is rebuilt (GRDB defers foreign key checks here).
            try db.execute(sql: """
                CREATE TABLE outcome_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    reminder INTEGER NOT NULL,
                    program TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('shown','done','snoozed','skipped','dismissed','expired','missed','postponed')),
                    at TEXT NOT NULL,
                    due_at TEXT NOT NULL,
                    catch_up INTEGER NOT NULL DEFAULT 0 CHECK (catch_up IN (0, 1)),
                    snooze_seconds REAL,
                    note TEXT
                );
                INSERT INTO outcome_new (id, reminder, program, rule, kind, at, due_at, catch_up, snooze_seconds, note)
                    SELECT id, reminder, program, rule, kind, at, due_at, catch_up, snooze_seconds, note FROM outcome;
                DROP TABLE outcome;
                ALTER TABLE outcome_new RENAME TO outcome;
                CREATE INDEX outcome_at ON outcome(at);
                CREATE INDEX outcome_occurrence ON outcome(program, rule, due_at);
                """)
        }
        m.registerMigration("v3-red-flag") { db in
            // Exercise held after a red flag, and the person clearing it.
            try db.execute(sql: """
                CREATE TABLE red_flag_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('raised','cleared')),
                    flags TEXT NOT NULL DEFAULT '',      -- comma-separated RedFlag raw values
                    source TEXT NOT NULL DEFAULT ''      -- cli, notification
                );
                CREATE INDEX red_flag_event_at ON red_flag_event(at);
                """)
        }
        m.registerMigration("v4-phase-move") { db in
            // A program's phase moved by the person, a confirmation or check-ins.
            try db.execute(sql: """
                CREATE TABLE phase_move (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    program TEXT NOT NULL,
                    from_phase TEXT NOT NULL DEFAULT '',  -- '' when not known
                    to_phase TEXT NOT NULL,
                    reason TEXT NOT NULL DEFAULT '',
                    source TEXT NOT NULL DEFAULT ''        -- cli, notification, check-ins
                );
                CREATE INDEX phase_move_at ON phase_move(at);
                """)
        }
        m.registerMigration("v5-outcome-reminder") { db in
            // The highest reminder id (lastReminderID, at every start) and
            // an item's earlier ending (recordedEnding, on every write) are
            // looked up by reminder; without this index the first scans the
            // table and the second reads every row of the item's rule.
            try db.execute(sql: "CREATE INDEX outcome_reminder ON outcome(reminder)")
        }
        // Later versions: m.registerMigration("v6-...") { db in ... } here.
        return m
    }
}
