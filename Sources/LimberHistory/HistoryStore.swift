import Foundation
import Synchronization
import GRDB
import LimberCore

/// The history database: every reminder shown and its outcome, pain
/// check-ins, and active time against breaks. One SQLite file in WAL mode
/// under GRDB migrations, usually `$XDG_STATE_HOME/limber/history.sqlite`.
///
/// Every write is one transaction with `synchronous = FULL`: once `record`
/// returns, the outcome survives a kill -9 of the daemon and a power cut.
/// Safe to share between threads; reads run beside the writer.
public final class HistoryStore: Sendable {
    /// Knobs, mostly for tests.
    public struct Options: Sendable, Hashable {
        /// SQLite's `max_page_count`: writes beyond it fail as if the disk
        /// were full. nil: no limit but the disk's.
        public var maxPageCount: Int?
        /// How many outcomes `recordOrHold` keeps in memory while writes fail.
        public var holdLimit: Int
        /// How long a write waits for another process holding the lock.
        public var busyTimeout: TimeInterval

        public init(maxPageCount: Int? = nil, holdLimit: Int = 10_000, busyTimeout: TimeInterval = 5) {
            self.maxPageCount = maxPageCount
            self.holdLimit = holdLimit
            self.busyTimeout = busyTimeout
        }
    }

    /// The database file.
    public let path: String
    let pool: DatabasePool
    private let options: Options
    private let hold: Mutex<Hold>

    private struct Hold {
        var outcomes: [Outcome] = []
        var dropped = 0
    }

    /// Which file was opened (device and inode): checked before each write,
    /// so a file swapped while limberd runs gets nothing more.
    private let identity: PrivateFiles.Identity?

    private init(path: String, pool: DatabasePool, options: Options, identity: PrivateFiles.Identity? = nil) {
        self.path = path
        self.pool = pool
        self.options = options
        self.hold = Mutex(Hold())
        self.identity = identity
    }

    /// Opened for writing: the file and its -wal/-shm are the user's alone
    /// (0600), and the path still names the file that was opened.
    private static func opened(path: String, pool: DatabasePool, options: Options) -> HistoryStore {
        for suffix in ["", "-wal", "-shm"] where PrivateFiles.problem(file: path + suffix) == nil && PrivateFiles.exists(path + suffix) {
            chmod(path + suffix, 0o600)
        }
        return HistoryStore(path: path, pool: pool, options: options, identity: PrivateFiles.identity(path))
    }

    /// Throws when the path no longer names the file that was opened (it was
    /// swapped for another file or a link while limberd ran).
    func checkSameFile() throws(HistoryError) {
        guard let identity else { return }
        let now = PrivateFiles.identity(path)
        guard now == identity else {
            throw HistoryError.unusable(path: path, detail: "was replaced while limberd ran (opened \(identity), now \(now.map(\.description) ?? "gone")); "
                                        + "nothing more is written to it; restart limberd to open the history again")
        }
    }

    // MARK: Opening

    /// `$XDG_STATE_HOME/limber/history.sqlite`, falling back to
    /// `~/.local/state/limber/history.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state: String
        if let s = environment["XDG_STATE_HOME"], s.hasPrefix("/") {
            state = s
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            state = (home as NSString).appendingPathComponent(".local/state")
        }
        return ((state as NSString).appendingPathComponent("limber") as NSString).appendingPathComponent("history.sqlite")
    }

    /// Opens (creating if needed) the history for writing, as the daemon does.
    ///
    /// The directory is created; the file is opened in WAL mode, checked with
    /// `PRAGMA integrity_check` and migrated. If it is damaged, not a database
    /// or cannot be opened, it and its -wal/-shm files are renamed to
    /// `history.sqlite.corrupt-<UTC time>` (and `-wal`, `-shm`) and a fresh
    /// history is started; the report says so. Throws only when the fresh
    /// one fails too, or the disk is full (then nothing is moved).
    public static func open(at path: String, options: Options = Options(), now: Date = Date())
        throws(HistoryError) -> (store: HistoryStore, report: OpenReport)
    {
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do throws(PrivacyError) { try PrivateFiles.prepareFolder(dir) } catch {
                throw HistoryError.unusable(path: path, detail: error.description)
            }
        }
        let existed = fm.fileExists(atPath: path)
        do {
            let (pool, applied) = try connect(path: path, options: options)
            let report = OpenReport(path: path, created: !existed, appliedMigrations: applied, movedAside: nil)
            return (opened(path: path, pool: pool, options: options), report)
        } catch let error {
            switch error {
            case .corrupt, .unusable:
                break // set it aside below
            default:
                throw error
            }
            let reason: String
            switch error {
            case .corrupt(_, let d), .unusable(_, let d): reason = d
            default: reason = error.description
            }
            let moved = try moveAside(path: path, now: now)
            do {
                let (pool, applied) = try connect(path: path, options: options)
                let report = OpenReport(path: path, created: true, appliedMigrations: applied,
                                        movedAside: .init(reason: reason, files: moved))
                return (opened(path: path, pool: pool, options: options), report)
            } catch let second {
                throw second
            }
        }
    }

    /// Opens an existing history for reading only (limberctl while the daemon
    /// runs). Never migrates, repairs or moves anything.
    public static func openForReading(at path: String) throws(HistoryError) -> HistoryStore {
        if let p = PrivateFiles.problem(file: path) { throw HistoryError.unusable(path: path, detail: p) }
        guard FileManager.default.fileExists(atPath: path) else { throw HistoryError.notFound(path: path) }
        var config = Configuration()
        config.readonly = true
        config.label = "limber-history-read"
        config.busyMode = .timeout(5)
        let pool: DatabasePool = try withHistoryErrors(path: path) { try DatabasePool(path: path, configuration: config) }
        let applied: [String] = try withHistoryErrors(path: path) { try pool.read { try HistorySchema.migrator.appliedMigrations($0) } }
        guard applied.contains("v1") else {
            throw HistoryError.incompatible(path: path, detail: "no history schema in this file")
        }
        return HistoryStore(path: path, pool: pool, options: Options())
    }

    private static func connect(path: String, options: Options) throws(HistoryError) -> (DatabasePool, [String]) {
        var config = Configuration()
        config.label = "limber-history"
        config.busyMode = .timeout(options.busyTimeout)
        let maxPages = options.maxPageCount
        config.prepareDatabase { db in
            // FULL: a commit is on disk (WAL fsynced) before record returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Forgotten history is overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            if let m = maxPages { try db.execute(sql: "PRAGMA max_page_count = \(m)") }
        }
        try preflight(path: path)
        var opened: DatabasePool? = nil
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            opened = pool
            let check = try pool.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            guard check == ["ok"] else {
                throw HistoryError.corrupt(path: path, detail: "integrity_check: " + check.prefix(3).joined(separator: "; "))
            }
            let migrator = HistorySchema.migrator
            let before = try pool.read { try migrator.appliedIdentifiers($0) }
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                // A newer limber wrote this file. Use it as is: its tables are a
                // superset of ours (migrations only append).
                return (pool, [])
            }
            try migrator.migrate(pool)
            let after = try pool.read { try migrator.appliedMigrations($0) }
            return (pool, after.filter { !before.contains($0) })
        } catch {
            try? opened?.close()
            var wrapped = HistoryError.wrap(error, path: path)
            // A valid SQLite file with someone else's tables is not ours to use.
            if case .io(_, let d) = wrapped, d.contains("already exists") {
                wrapped = .incompatible(path: path, detail: d)
            }
            throw wrapped
        }
    }

    /// Looks at the file before SQLite does: a file that is not a database is
    /// set aside with its -wal/-shm untouched (SQLite may delete those when it
    /// gives up on the main file).
    private static func preflight(path: String) throws(HistoryError) {
        // A link, or a file of someone else, is not opened: set aside like a
        // corrupt database (a link to another program's database would get
        // limber's tables and WAL mode).
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let p = PrivateFiles.problem(file: path + suffix) {
                throw HistoryError.unusable(path: path, detail: "\(path + suffix) \(p)")
            }
        }
        guard FileManager.default.fileExists(atPath: path) else { return }
        let fd = Foundation.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            throw HistoryError.unusable(path: path, detail: "cannot read: " + String(cString: strerror(errno)))
        }
        defer { Foundation.close(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        let n = read(fd, &header, 16)
        guard n != 0 else { return } // an empty file is an empty database
        guard n == 16, header == Array("SQLite format 3\0".utf8) else {
            throw HistoryError.corrupt(path: path, detail: "not a SQLite database (bad header)")
        }
    }

    /// Renames the database and its -wal/-shm files aside; returns the new names.
    private static func moveAside(path: String, now: Date) throws(HistoryError) -> [String] {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var base = path + ".corrupt-" + f.string(from: now)
        var n = 1
        while PrivateFiles.exists(base) {
            base = path + ".corrupt-" + f.string(from: now) + "-\(n)"
            n += 1
        }
        var moved: [String] = []
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let from = path + suffix
            guard PrivateFiles.exists(from) else { continue }  // a dangling link too
            let to = base + suffix
            if rename(from, to) != 0 {
                let err = String(cString: strerror(errno))
                throw HistoryError.unusable(path: path, detail: "cannot move \(from) aside to \(to): \(err)")
            }
            moved.append(to)
        }
        return moved
    }

    /// Checkpoints the WAL into the database file and closes it. Later calls fail.
    public func close() throws(HistoryError) {
        try withHistoryErrors(path: path) {
            // GRDB closes the writer before the readers, so SQLite would leave
            // the WAL behind: fold it into the main file first.
            try? pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try pool.close()
        }
    }

    /// `PRAGMA integrity_check`: "ok" or the problems found.
    public func integrityCheck() throws(HistoryError) -> [String] {
        try withHistoryErrors(path: path) { try pool.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } }
    }

    /// The migrations applied to this file.
    public func appliedMigrations() throws(HistoryError) -> [String] {
        try withHistoryErrors(path: path) { try pool.read { try HistorySchema.migrator.appliedMigrations($0) } }
    }

    // MARK: Outcomes

    /// Records one outcome in its own transaction; returns its row id.
    @discardableResult
    public func record(_ outcome: Outcome) throws(HistoryError) -> Int64 {
        try record([outcome])[0]
    }

    /// Records outcomes in one transaction: all or none. Returns their row ids in order.
    @discardableResult
    public func record(_ outcomes: [Outcome]) throws(HistoryError) -> [Int64] {
        guard !outcomes.isEmpty else { return [] }
        try checkSameFile()
        return try withHistoryErrors(path: path) {
            try pool.write { db in try outcomes.map { try Self.insert($0, db) } }
        }
    }

    /// Records outcomes, or holds them in memory when the database refuses
    /// (disk full, I/O error), so the daemon keeps running. Outcomes held
    /// from earlier calls are written first, in the same transaction, on
    /// the next call that succeeds (or `flushHeld`). The hold keeps at most
    /// `Options.holdLimit` outcomes, dropping the oldest.
    public func recordOrHold(_ outcomes: [Outcome]) -> RecordResult {
        hold.withLock { hold in
            let all = hold.outcomes + outcomes
            do {
                if !all.isEmpty { try checkSameFile() }
                let ids = all.isEmpty ? [] : try withHistoryErrors(path: path) {
                    try pool.write { db in try all.map { try Self.insert($0, db) } }
                }
                let flushed = hold.outcomes.count
                hold = Hold()
                return .saved(ids: Array(ids.suffix(outcomes.count)), flushed: flushed)
            } catch {
                hold.outcomes = all
                if hold.outcomes.count > options.holdLimit {
                    let extra = hold.outcomes.count - options.holdLimit
                    hold.outcomes.removeFirst(extra)
                    hold.dropped += extra
                }
                return .held(held: hold.outcomes.count, dropped: hold.dropped, error: HistoryError.wrap(error, path: path))
            }
        }
    }

    /// How many outcomes wait in memory for a write to succeed.
    public var heldCount: Int { hold.withLock { $0.outcomes.count } }

    /// Tries to write the held outcomes now.
    public func flushHeld() -> RecordResult { recordOrHold([]) }

    /// The kinds that end a reminder's item (each item ends once).
    static let endings: [OutcomeKind] = [.done, .snoozed, .skipped, .dismissed, .expired]

    /// An ending already recorded for the item since it was last shown
    /// (only items recorded as shown; ids start again with a new state):
    /// limberd killed after the history took an ending but before the state
    /// file said so ends the same reminder again when it restarts. The first
    /// ending stands (its row id is returned, nothing is written).
    private static func recordedEnding(_ o: Outcome, _ db: Database) throws -> Int64? {
        guard endings.contains(o.kind) else { return nil }
        let item: [DatabaseValueConvertible] = [Int64(bitPattern: o.reminder), o.rule.program, o.rule.rule]
        return try Int64.fetchOne(db, sql: recordedEndingSQL, arguments: StatementArguments(item + item))
    }

    /// recordedEnding's query (reminder, program, rule twice); the
    /// outcome_reminder index (schema v5) keeps it off a table scan.
    static let recordedEndingSQL = """
        SELECT id FROM outcome
        WHERE reminder = ? AND program = ? AND rule = ? AND kind IN (\(endings.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
          AND id > (SELECT max(id) FROM outcome
                    WHERE reminder = ? AND program = ? AND rule = ? AND kind = 'shown')
        ORDER BY id LIMIT 1
        """

    /// lastReminderID's query (an index lookup from schema v5 on).
    static let lastReminderIDSQL = "SELECT MAX(reminder) FROM outcome"

    private static func insert(_ o: Outcome, _ db: Database) throws -> Int64 {
        if let id = try recordedEnding(o, db) { return id }
        try db.execute(
            sql: """
                INSERT INTO outcome (reminder, program, rule, kind, at, due_at, catch_up, snooze_seconds, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [Int64(bitPattern: o.reminder), o.rule.program, o.rule.rule, o.kind.rawValue, o.at, o.dueAt,
                        o.catchUp, o.snooze?.seconds, o.note])
        let id = db.lastInsertedRowID
        for (i, e) in o.exercises.enumerated() {
            try db.execute(
                sql: "INSERT INTO outcome_exercise (outcome_id, position, exercise, name, dose) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, i, e.id, e.name, e.dose])
        }
        return id
    }

    /// The highest reminder id any outcome names (0: none).
    public func lastReminderID() throws(HistoryError) -> UInt64 {
        try withHistoryErrors(path: path) {
            try pool.read { db in UInt64(bitPattern: try Int64.fetchOne(db, sql: Self.lastReminderIDSQL) ?? 0) }
        }
    }

    /// Outcomes with `at` in [since, until), oldest first. nil bounds are open.
    public func outcomes(since: Date? = nil, until: Date? = nil) throws(HistoryError) -> [StoredOutcome] {
        try withHistoryErrors(path: path) { try pool.read { db in try Self.fetchOutcomes(db, since: since, until: until) } }
    }

    static func fetchOutcomes(_ db: Database, since: Date?, until: Date?) throws -> [StoredOutcome] {
        var clauses: [String] = []
        var args: StatementArguments = []
        if let s = since { clauses.append("at >= ?"); args += [s] }
        if let u = until { clauses.append("at < ?"); args += [u] }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM outcome \(whereSQL) ORDER BY at, id", arguments: args)
        var exercises: [Int64: [OfferedExercise]] = [:]
        let exSQL = """
            SELECT x.outcome_id, x.exercise, x.name, x.dose FROM outcome_exercise x
            JOIN outcome o ON o.id = x.outcome_id \(whereSQL.replacingOccurrences(of: "at ", with: "o.at "))
            ORDER BY x.outcome_id, x.position
            """
        for r in try Row.fetchAll(db, sql: exSQL, arguments: args) {
            let id: Int64 = r[0]
            exercises[id, default: []].append(OfferedExercise(id: r[1], name: r[2], dose: r[3]))
        }
        return try rows.map { r in
            let id: Int64 = r["id"]
            let kindText: String = r["kind"]
            guard let kind = OutcomeKind(rawValue: kindText) else {
                throw HistoryError.incompatible(path: db.description, detail: "unknown outcome kind \(kindText) in row \(id)")
            }
            let reminder: Int64 = r["reminder"]
            let snooze: Double? = r["snooze_seconds"]
            return StoredOutcome(id: id, outcome: Outcome(
                reminder: ReminderID(bitPattern: reminder),
                rule: RuleID(program: r["program"], rule: r["rule"]),
                kind: kind,
                exercises: exercises[id] ?? [],
                at: r["at"], dueAt: r["due_at"], catchUp: r["catch_up"],
                snooze: snooze.map { .milliseconds(Int64(($0 * 1000).rounded())) },
                note: r["note"]))
        }
    }

    /// For each exercise id, when it was last done: for rotation's "least
    /// recently done first".
    public func lastDone() throws(HistoryError) -> [String: Date] {
        try withHistoryErrors(path: path) {
            try pool.read { db in
                var result: [String: Date] = [:]
                let rows = try Row.fetchAll(db, sql: """
                    SELECT x.exercise, MAX(o.at) FROM outcome_exercise x JOIN outcome o ON o.id = x.outcome_id
                    WHERE o.kind = 'done' GROUP BY x.exercise
                    """)
                for r in rows { result[r[0]] = r[1] }
                return result
            }
        }
    }

    // MARK: Check-ins

    /// Saves a pain check-in and answers it: red-flag advice first when one is
    /// ticked or mentioned, then how the reach moved since the last check-in.
    /// Never throws: the advice matters more than the row, so a failed save
    /// is reported in `storeError` beside it.
    public func checkIn(_ c: CheckIn) -> CheckInResponse {
        let previous: CheckIn? = try? pool.read { db in
            try Self.fetchCheckIns(db, since: nil, until: nil, where: "reach IS NOT NULL OR pain = 0", order: "at DESC, id DESC", limit: 1).first?.checkIn
        }
        var response = CheckInResponse.advice(for: c, previous: previous)
        if let problem = c.problem {
            response.storeError = HistoryError.invalidInput(problem).description
            return response
        }
        do {
            try checkSameFile()
            response.id = try withHistoryErrors(path: path) {
                try pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO checkin (at, pain, reach, red_flags, note, source, after_reminder)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [c.at, c.pain, c.reach?.rawValue,
                                    Array(Set(c.redFlags)).sorted().map(\.rawValue).joined(separator: ","),
                                    c.note, c.source.rawValue, c.afterReminder.map { Int64(bitPattern: $0) }])
                    return db.lastInsertedRowID
                }
            }
        } catch {
            response.storeError = error.description
        }
        return response
    }

    /// Check-ins with `at` in [since, until), oldest first.
    public func checkIns(since: Date? = nil, until: Date? = nil) throws(HistoryError) -> [StoredCheckIn] {
        try withHistoryErrors(path: path) { try pool.read { db in try Self.fetchCheckIns(db, since: since, until: until) } }
    }

    static func fetchCheckIns(_ db: Database, since: Date?, until: Date?, where extra: String? = nil,
                              order: String = "at, id", limit: Int? = nil) throws -> [StoredCheckIn] {
        var clauses: [String] = []
        var args: StatementArguments = []
        if let s = since { clauses.append("at >= ?"); args += [s] }
        if let u = until { clauses.append("at < ?"); args += [u] }
        if let e = extra { clauses.append("(\(e))") }
        var sql = "SELECT * FROM checkin"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY \(order)"
        if let l = limit { sql += " LIMIT \(l)" }
        return try Row.fetchAll(db, sql: sql, arguments: args).map { r in
            let reach: String? = r["reach"]
            let flags: String = r["red_flags"]
            let after: Int64? = r["after_reminder"]
            let source: String = r["source"]
            return StoredCheckIn(id: r["id"], checkIn: CheckIn(
                at: r["at"], pain: r["pain"], reach: reach.flatMap(LegReach.init(rawValue:)),
                redFlags: flags.split(separator: ",").compactMap { RedFlag(rawValue: String($0)) },
                note: r["note"], source: CheckInSource(rawValue: source) ?? .cli,
                afterReminder: after.map { ReminderID(bitPattern: $0) }))
        }
    }

    // MARK: Activity

    /// Adds active and break time to a day (the daemon flushes what it
    /// counted since its last call). One transaction.
    public func addActivity(on day: Day, activeSeconds: Double, breakSeconds: Double) throws(HistoryError) {
        guard activeSeconds >= 0, breakSeconds >= 0, activeSeconds.isFinite, breakSeconds.isFinite else {
            throw HistoryError.invalidInput("activity must be finite and not negative")
        }
        try checkSameFile()
        try withHistoryErrors(path: path) {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO activity (day, active_seconds, break_seconds) VALUES (?, ?, ?)
                        ON CONFLICT(day) DO UPDATE SET active_seconds = active_seconds + excluded.active_seconds,
                                                       break_seconds = break_seconds + excluded.break_seconds
                        """,
                    arguments: [day.description, activeSeconds, breakSeconds])
            }
        }
    }

    /// Activity for days in [from, through], oldest first.
    public func activity(from: Day? = nil, through: Day? = nil) throws(HistoryError) -> [ActivityDay] {
        try withHistoryErrors(path: path) {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT day, active_seconds, break_seconds FROM activity WHERE day >= ? AND day <= ? ORDER BY day",
                                 arguments: [from?.description ?? "0000-00-00", through?.description ?? "9999-99-99"])
                    .compactMap { r in
                        let d: String = r[0]
                        return Day(d).map { ActivityDay(day: $0, activeSeconds: r[1], breakSeconds: r[2]) }
                    }
            }
        }
    }

    // MARK: Retention

    /// Counts and time span of what is stored.
    public func summary() throws(HistoryError) -> HistorySummary {
        try withHistoryErrors(path: path) {
            try pool.read { db in
                let o = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outcome") ?? 0
                let c = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkin") ?? 0
                let a = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM activity") ?? 0
                let first = try Date.fetchOne(db, sql: "SELECT MIN(at) FROM (SELECT MIN(at) AS at FROM outcome UNION ALL SELECT MIN(at) FROM checkin)")
                let last = try Date.fetchOne(db, sql: "SELECT MAX(at) FROM (SELECT MAX(at) AS at FROM outcome UNION ALL SELECT MAX(at) FROM checkin)")
                return HistorySummary(outcomes: o, checkIns: c, activityDays: a, first: first, last: last)
            }
        }
    }

    /// Deletes outcomes and check-ins before `cutoff`, and activity of days
    /// before the day `cutoff` falls on in `timeZone`. One transaction.
    @discardableResult
    public func prune(olderThan cutoff: Date, timeZone: TimeZone = .current) throws(HistoryError) -> PruneResult {
        let day = Day(cutoff, in: timeZone).description
        try checkSameFile()
        return try withHistoryErrors(path: path) {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM outcome WHERE at < ?", arguments: [cutoff])
                let o = db.changesCount
                try db.execute(sql: "DELETE FROM checkin WHERE at < ?", arguments: [cutoff])
                let c = db.changesCount
                try db.execute(sql: "DELETE FROM activity WHERE day < ?", arguments: [day])
                return PruneResult(outcomes: o, checkIns: c, activityDays: db.changesCount)
            }
        }
    }

    /// Applies a retention setting (nothing for `.forever`).
    @discardableResult
    public func applyRetention(_ retention: Retention, now: Date, timeZone: TimeZone = .current) throws(HistoryError) -> PruneResult {
        guard let cutoff = retention.cutoff(now: now) else { return PruneResult(outcomes: 0, checkIns: 0, activityDays: 0) }
        return try prune(olderThan: cutoff, timeZone: timeZone)
    }

    /// Deletes the whole history (`limberctl history forget`, after the CLI
    /// has asked), then vacuums and truncates the WAL so the old rows leave
    /// the disk too. Held outcomes are dropped as well.
    @discardableResult
    public func forgetAll() throws(HistoryError) -> PruneResult {
        try checkSameFile()
        hold.withLock { $0 = Hold() }
        let result = try withHistoryErrors(path: path) {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM outcome")
                let o = db.changesCount
                try db.execute(sql: "DELETE FROM checkin")
                let c = db.changesCount
                try db.execute(sql: "DELETE FROM red_flag_event")
                try db.execute(sql: "DELETE FROM phase_move")
                try db.execute(sql: "DELETE FROM activity")
                return PruneResult(outcomes: o, checkIns: c, activityDays: db.changesCount)
            }
        }
        try withHistoryErrors(path: path) {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        return result
    }
}
