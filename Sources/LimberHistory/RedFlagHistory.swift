import Foundation
import GRDB
import LimberCore

/// A red flag stopping exercise, or the person clearing it.
public struct RedFlagEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Reported: every exercise reminder stopped.
        case raised
        /// The person said it had been seen to: reminders came back.
        case cleared
    }

    public var at: Date
    public var kind: Kind
    public var flags: [RedFlag]
    /// "cli" or "notification".
    public var source: String

    public init(at: Date, kind: Kind, flags: [RedFlag] = [], source: String) {
        self.at = at
        self.kind = kind
        self.flags = flags
        self.source = source
    }
}

extension HistoryStore {
    /// Records a red flag raised or cleared.
    @discardableResult
    public func record(_ e: RedFlagEvent) throws(HistoryError) -> Int64 {
        try withHistoryErrors(path: path) {
            try pool.write { db in
                try db.execute(sql: "INSERT INTO red_flag_event (at, kind, flags, source) VALUES (?, ?, ?, ?)",
                               arguments: [e.at, e.kind.rawValue, e.flags.map(\.rawValue).joined(separator: ","), e.source])
                return db.lastInsertedRowID
            }
        }
    }

    /// Red-flag events with `at` in [since, until), oldest first.
    public func redFlagEvents(since: Date? = nil, until: Date? = nil) throws(HistoryError) -> [RedFlagEvent] {
        try withHistoryErrors(path: path) {
            try pool.read { db in try Self.fetchRedFlagEvents(db, since: since, until: until) }
        }
    }

    static func fetchRedFlagEvents(_ db: Database, since: Date?, until: Date?) throws -> [RedFlagEvent] {
        var clauses: [String] = []
        var args: StatementArguments = []
        if let s = since { clauses.append("at >= ?"); args += [s] }
        if let u = until { clauses.append("at < ?"); args += [u] }
        var sql = "SELECT * FROM red_flag_event"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY at, id"
        return try Row.fetchAll(db, sql: sql, arguments: args).map { r in
            let flags: String = r["flags"]
            let kind: String = r["kind"]
            return RedFlagEvent(at: r["at"], kind: RedFlagEvent.Kind(rawValue: kind) ?? .raised,
                                flags: flags.split(separator: ",").compactMap { RedFlag(rawValue: String($0)) },
                                source: r["source"])
        }
    }
}
