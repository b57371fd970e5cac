import Foundation

/// What happened while opening the history, for the daemon to log. Opening
/// never crashes and never loops: a damaged file is moved aside once and a
/// fresh history started; only a failure of the fresh one is thrown.
public struct OpenReport: Sendable, Hashable {
    /// A file set aside because it could not be used.
    public struct MovedAside: Sendable, Hashable {
        /// Why: the check or error that failed.
        public var reason: String
        /// The new names of the database and its -wal/-shm files.
        public var files: [String]
    }

    public var path: String
    /// No database existed: a new one was created.
    public var created: Bool
    /// Migrations applied during this open ("v1", ...), in order.
    public var appliedMigrations: [String]
    /// Set when the old file was damaged or unreadable.
    public var movedAside: MovedAside?

    /// One line per thing worth logging, already worded for the journal.
    /// The moved-aside line comes first and is a warning.
    public var messages: [String] {
        var lines: [String] = []
        if let m = movedAside {
            lines.append("history: \(path) could not be used (\(m.reason)); moved it aside to "
                         + m.files.joined(separator: ", ") + " and started a fresh history")
        }
        if created, movedAside == nil { lines.append("history: created \(path)") }
        if !appliedMigrations.isEmpty, !created || movedAside != nil {
            lines.append("history: \(path) migrated (\(appliedMigrations.joined(separator: ", ")))")
        }
        return lines
    }
}
