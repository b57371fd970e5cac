import Foundation

/// A sit break's count of active time inside working hours. What earlier
/// stretches counted is banked here; the stretch running now is the rule's
/// `RuleStage.counting(since:)` (an uptime), so this type is handed that
/// `since` where it matters. A new working window starts a fresh count; a
/// natural break or an answer resets it (Engine+Presence.swift).
public struct SitCount: Sendable, Hashable {
    /// Active time counted before the current stretch.
    public var banked: Duration = .zero
    /// The working window the count belongs to ("2026-11-21 09:00-17:00").
    public var window: String?

    public init(banked: Duration = .zero, window: String? = nil) {
        self.banked = banked
        self.window = window
    }

    /// Everything counted at uptime `now`, with the stretch begun at `since`
    /// (nil: none running).
    public func counted(at now: Duration, since: Duration?) -> Duration {
        banked + (since.map { max(.zero, now - $0) } ?? .zero)
    }

    /// How much of `after` is left at uptime `now` (negative: overdue).
    public func left(of after: Duration, at now: Duration, since: Duration) -> Duration {
        after - banked - (now - since)
    }

    /// Ends the stretch begun at `since` at uptime `end`: its time is banked.
    public mutating func bank(from since: Duration, to end: Duration) {
        banked += max(.zero, end - since)
    }

    /// A break was taken (or the rule answered): counting starts from nothing.
    public mutating func reset() {
        banked = .zero
    }

    /// A stretch is about to start in working window `key`: a window other
    /// than the count's starts it afresh.
    public mutating func starting(in key: String?) {
        if window != key { banked = .zero }
    }

    /// The count now belongs to working window `key` (kept while outside
    /// working hours, so the same window resumes its count).
    public mutating func enter(_ key: String?) {
        if let key, window != key { window = key }
    }
}
