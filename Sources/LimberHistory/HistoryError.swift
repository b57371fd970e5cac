import Foundation
import GRDB
import LimberCore

/// What can go wrong with the history. Every case says which file and what,
/// in words fit for the journal.
public enum HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The disk (or the database's size limit) is full: nothing was written.
    case diskFull(path: String, detail: String)
    /// The file is damaged or is not a database.
    case corrupt(path: String, detail: String)
    /// The file exists but cannot be opened or written (permissions, read-only).
    case unusable(path: String, detail: String)
    /// The database holds a schema this version does not understand.
    case incompatible(path: String, detail: String)
    /// Any other failure of the database or the file system.
    case io(path: String, detail: String)
    /// A value the history refuses (pain outside 0 to 10, ...).
    case invalidInput(String)
    /// Opened for reading only and there is no history yet.
    case notFound(path: String)

    public var description: String {
        switch self {
        case .diskFull(let p, let d): tr("history {path}: disk full, nothing written ({detail})", ["path": p, "detail": d])
        case .corrupt(let p, let d): tr("history {path}: damaged or not a database ({detail})", ["path": p, "detail": d])
        case .unusable(let p, let d): tr("history {path}: cannot be opened or written ({detail})", ["path": p, "detail": d])
        case .incompatible(let p, let d): tr("history {path}: unknown schema ({detail})", ["path": p, "detail": d])
        case .io(let p, let d): "history \(p): \(d)"
        case .invalidInput(let d): "history: \(d)"
        case .notFound(let p): tr("history {path}: no history recorded yet", ["path": p])
        }
    }

    /// True when the failure is about space: the caller may hold the data
    /// and retry later.
    public var isDiskFull: Bool {
        if case .diskFull = self { return true }
        return false
    }

    /// Classifies any error thrown by GRDB or the file system.
    static func wrap(_ error: any Error, path: String) -> HistoryError {
        if let h = error as? HistoryError { return h }
        if let db = error as? DatabaseError {
            let detail = "\(db.resultCode): \(db.message ?? "no message")"  // l10n: not ui (SQLite detail)
            switch db.resultCode {
            case .SQLITE_FULL: return .diskFull(path: path, detail: detail)
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(path: path, detail: detail)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                return .unusable(path: path, detail: detail)
            case .SQLITE_IOERR:
                // SQLite reports ENOSPC on some paths as an I/O error.
                if db.extendedResultCode == .SQLITE_IOERR_WRITE || db.extendedResultCode == .SQLITE_IOERR_FSYNC,
                   (db.message ?? "").lowercased().contains("space") {
                    return .diskFull(path: path, detail: detail)
                }
                return .io(path: path, detail: detail)
            default: return .io(path: path, detail: detail)
            }
        }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain, ns.code == Int(ENOSPC) {
            return .diskFull(path: path, detail: ns.localizedDescription)
        }
        return .io(path: path, detail: "\(error)")
    }
}

/// Runs `body`, turning whatever it throws into a `HistoryError`.
func withHistoryErrors<T>(path: String, _ body: () throws -> T) throws(HistoryError) -> T {
    do {
        return try body()
    } catch {
        throw HistoryError.wrap(error, path: path)
    }
}
