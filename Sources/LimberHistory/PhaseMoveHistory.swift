import Foundation
import GRDB

/// A program's phase moved: by the person (`limberctl programs phase ID
/// PHASE`, a new flare), by their answer to the phase's question, or by
/// check-ins that met the phase's rule. Moves by the calendar alone are
/// not recorded: they follow from the start day.
public struct PhaseMove: Sendable, Hashable, Codable {
    public var at: Date
    public var program: String
    /// The phase before the move ("" when not known).
    public var from: String
    public var to: String
    /// Why, in the words `limberctl programs phase` shows.
    public var reason: String
    /// "cli" (limberctl or the API), "notification" (the question's answer)
    /// or "check-ins".
    public var source: String

    public init(at: Date, program: String, from: String, to: String, reason: String, source: String) {
        self.at = at
        self.program = program
        self.from = from
        self.to = to
        self.reason = reason
        self.source = source
    }
}

extension HistoryStore {
    /// Records a phase move.
    @discardableResult
    public func record(_ m: PhaseMove) throws(HistoryError) -> Int64 {
        try withHistoryErrors(path: path) {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO phase_move (at, program, from_phase, to_phase, reason, source) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [m.at, m.program, m.from, m.to, m.reason, m.source])
                return db.lastInsertedRowID
            }
        }
    }

    /// Phase moves with `at` in [since, until), oldest first.
    public func phaseMoves(since: Date? = nil, until: Date? = nil) throws(HistoryError) -> [PhaseMove] {
        try withHistoryErrors(path: path) {
            try pool.read { db in
                var clauses: [String] = []
                var args: StatementArguments = []
                if let s = since { clauses.append("at >= ?"); args += [s] }
                if let u = until { clauses.append("at < ?"); args += [u] }
                var sql = "SELECT * FROM phase_move"
                if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
                sql += " ORDER BY at, id"
                return try Row.fetchAll(db, sql: sql, arguments: args).map { r in
                    PhaseMove(at: r["at"], program: r["program"], from: r["from_phase"], to: r["to_phase"],
                              reason: r["reason"], source: r["source"])
                }
            }
        }
    }
}
