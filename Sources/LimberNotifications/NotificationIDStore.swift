import Foundation
import LimberCore
import LimberHistory
import Logging

/// Which notification shows which reminder, kept in the state folder
/// (`notifications.json`), so that a restarted limberd can replace the
/// notification the last one left on screen (its buttons answered nobody)
/// or close it when its reminder is gone.
///
/// Ids mean something only to the server that gave them: each saved set
/// names the server (`NotificationClient.serverKey`: the bus instance and
/// the server's unique name, never reused on that bus). Written
/// atomically, 0600, never through a link, like `state.json`.
public struct NotificationIDStore: Sendable {
    public struct Saved: Codable, Sendable, Hashable {
        /// The server the ids belong to.
        public var server: String
        /// Reminder id → the server's notification id.
        public var shown: [ReminderID: UInt32]

        public init(server: String, shown: [ReminderID: UInt32]) {
            self.server = server
            self.shown = shown
        }
    }

    public let path: String

    public init(directory: String) {
        path = directory + "/notifications.json"
    }

    /// What the last limberd left, or nil (none, or unreadable: a file that
    /// is a link or not the user's alone is moved aside).
    public func load(logger: Logger? = nil) -> Saved? {
        guard PrivateFiles.exists(path) else { return nil }
        if let problem = PrivateFiles.problem(file: path) {
            let moved = PrivateFiles.moveAside(path, tag: "refused")
            logger?.warning("\(path): \(problem); \(moved.map { "moved aside to \($0)" } ?? "left in place")")
            return nil
        }
        do {
            return try JSONDecoder().decode(Saved.self, from: PrivateFiles.read(path, maxBytes: 1 << 20))
        } catch {
            logger?.warning("\(path): not read (\(error)); old notifications are left as they are")
            return nil
        }
    }

    /// Saves `saved`; nil (nothing on screen) removes the file.
    public func save(_ saved: Saved?) throws {
        guard let saved, !saved.shown.isEmpty else {
            if unlink(path) != 0 && errno != ENOENT { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try PrivateFiles.writeAtomically(encoder.encode(saved), to: path)
    }
}
