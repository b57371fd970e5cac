import Foundation
import LimberCore
import LimberHistory

/// Keeps the core's state (snoozes, last-done times, program start dates)
/// across restarts: one JSON file, written atomically (temp file, fsync,
/// rename), so a crash leaves the old file or the new one, never half.
public struct StateStore: Sendable {
    public let path: String

    public init(directory: String) {
        self.path = directory + "/state.json"
    }

    /// The saved state, or nil when there is none. A state file that is a
    /// link or is not the user's alone is moved aside (and this throws,
    /// saying so): the next save writes a fresh one.
    public func load() throws -> EngineState? {
        guard PrivateFiles.exists(path) else { return nil }
        if let problem = PrivateFiles.problem(file: path) {
            let moved = PrivateFiles.moveAside(path, tag: "refused")
            throw PrivacyError(path: path, problem: moved.map { tr("{problem}; moved aside to {moved}; starting afresh", ["problem": problem, "moved": $0]) }
                                ?? tr("{problem}; left in place; starting afresh", ["problem": problem]))
        }
        let data = try PrivateFiles.read(path)
        return try JSONDecoder().decode(EngineState.self, from: data)
    }

    public func save(_ state: EngineState) throws {
        try prepare(state).commit()
    }

    /// The state written and synced beside the file, not yet in its place:
    /// `commit` renames it there. The history writer commits a step's
    /// outcomes between the two, so the state file is never ahead of the
    /// history and lags it only for a rename.
    public func prepare(_ state: EngineState) throws -> Prepared {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try PrivateFiles.prepareAtomically(try encoder.encode(state), to: path)
    }

    /// A file written beside its destination, synced, waiting for its rename.
    public typealias Prepared = PrivateFiles.Prepared
}
