import Foundation
import LimberCore

/// An outcome as stored, with its row id.
public struct StoredOutcome: Sendable, Hashable, Codable {
    public var id: Int64
    public var outcome: Outcome

    public init(id: Int64, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }
}

/// Active time against breaks for one day.
public struct ActivityDay: Sendable, Hashable, Codable {
    public var day: Day
    public var activeSeconds: Double
    public var breakSeconds: Double

    public init(day: Day, activeSeconds: Double, breakSeconds: Double) {
        self.day = day
        self.activeSeconds = activeSeconds
        self.breakSeconds = breakSeconds
    }
}

/// How long to keep history.
public enum Retention: Sendable, Hashable, Codable {
    /// The default: keep everything.
    case forever
    /// Delete outcomes, check-ins and activity older than this many days.
    case days(Int)

    /// The cut-off for `now`, nil for `.forever`.
    public func cutoff(now: Date) -> Date? {
        switch self {
        case .forever: nil
        case .days(let n): now.addingTimeInterval(-Double(max(0, n)) * 86_400)
        }
    }
}

/// What the history holds, for the `history forget` confirmation and
/// `limberctl stats` headers.
public struct HistorySummary: Sendable, Hashable, Codable {
    public var outcomes: Int
    public var checkIns: Int
    public var activityDays: Int
    public var first: Date?
    public var last: Date?
}

/// What a prune or forget removed.
public struct PruneResult: Sendable, Hashable, Codable {
    public var outcomes: Int
    public var checkIns: Int
    public var activityDays: Int
}

/// The result of `recordOrHold`: saved, or held in memory because the
/// database refused the write (disk full, ...).
public enum RecordResult: Sendable, Hashable {
    /// Written, together with any outcomes held from earlier failures
    /// (`flushed` of them). `ids` are the rows of the outcomes passed in.
    case saved(ids: [Int64], flushed: Int)
    /// Not written. `held` outcomes now wait in memory for the next call;
    /// `dropped` is how many of the oldest were given up since the last
    /// success because the hold is full.
    case held(held: Int, dropped: Int, error: HistoryError)
}
