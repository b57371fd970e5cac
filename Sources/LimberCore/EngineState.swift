import Foundation

/// What the core remembers about one rule between events.
public struct RuleState: Sendable, Hashable, Codable {
    /// When the rule next falls due by its schedule (wall clock). nil: not
    /// scheduled (showing, or a sit-break that is not counting).
    public var due: Date?
    /// For fixed times, the occurrence `due` stands for ("2026-11-21 12:30").
    public var dueOccurrence: String?
    /// When the rule was first scheduled (the anchor before any answer).
    public var since: Moment?
    /// A snooze: the reminder comes back at this moment, exactly.
    public var snoozedUntil: Moment?
    /// Snoozes in a row, reset by done or skip.
    public var snoozeCount: Int = 0
    /// When the snoozed occurrence first fell due.
    public var snoozeDueAt: Date?
    /// It fell due while reminders could not be shown (away, paused, quiet
    /// hours): when it was due. Shown once, merged, when that ends.
    public var pendingSince: Date?
    /// When the pending catch-up will be shown, once known.
    public var catchUpAt: Date?
    /// Part of the reminder on screen now.
    public var showing: Bool = false
    /// When it was last answered or expired (the anchor of intervals).
    public var lastAnswered: Moment?
    public var lastDone: Date?
    /// Sit-break: active time banked before the current counted stretch,
    /// and the uptime at which that stretch began (nil: not counting).
    public var banked: Duration = .zero
    public var countingSince: Duration?
    /// The working window the count belongs to.
    public var countWindow: String?
    /// Fixed times: the last occurrence fired ("2026-11-21 12:30").
    public var lastOccurrence: String?
    /// Windows: how many fired on which day.
    public var firedDay: String?
    public var firedCount: Int = 0
    public var lastFired: Moment?

    public init() {}
}

/// Who is at the machine.
public struct Presence: Sendable, Hashable, Codable {
    public var idle = false
    public var locked = false
    public var asleep = false
    /// When the user went away (idle, locked or asleep), if away.
    public var awaySince: Moment?
    /// When the user last came back from being away.
    public var returnedAt: Date?

    public var isAway: Bool { idle || locked || asleep }
    public init() {}
}

/// Per-day figures for the status line.
public struct DayTally: Sendable, Hashable, Codable {
    public var day: String = ""
    public var shown = 0
    public var done = 0
    public init() {}
}

/// Everything the core remembers. Codable: the daemon keeps the parts that
/// must survive a restart (snoozes, last-done times, program start dates).
public struct EngineState: Sendable, Hashable, Codable {
    /// The rules' states, in the engine's rule order (parallel arrays: the
    /// engine works by index, so an event costs no hashing per rule;
    /// `Engine.ruleState(_:)` looks one up by id).
    public internal(set) var ruleIDs: [RuleID] = []
    public internal(set) var ruleStates: [RuleState] = []

    public var presence = Presence()
    /// The current reminder: on screen, or (when `reviewing` is its id)
    /// still waiting for the gates' answer and not on screen yet.
    public var showing: Reminder?
    /// The id of `showing` while the gates review it.
    public var reviewing: ReminderID?
    /// When the last new reminder was shown (the coalescing spacing).
    public var lastShownAt: Moment?
    public var nextReminderID: ReminderID = 1
    /// Paused until this time; `.distantFuture` until resumed.
    public var pausedUntil: Date?
    /// "program/exercise" → when last done / last offered (rotation).
    public var exerciseLastDone: [String: Date] = [:]
    public var exerciseLastOffered: [String: Date] = [:]
    /// Program id → the day it was started (phases count from it).
    public var programStarted: [String: Date] = [:]
    public var timeZoneID: String
    public var today = DayTally()
    /// Program id → where its phases were set (a move, a confirmation,
    /// check-ins); absent: by the calendar from `programStarted`. Optional
    /// fields so that state files from before read as they are.
    public var phaseMarks: [String: PhaseMark]?
    /// Program id → when the phase question was last answered "Not yet".
    public var phaseAsked: [String: Date]?
    /// Program id → an offer to go back to a gentler phase.
    public var phaseOffers: [String: PhaseOffer]?
    /// The last check-ins (pain and reach), oldest first, at most 12.
    public var checkIns: [CheckInNote]?

    public init(timeZone: TimeZone) {
        self.timeZoneID = timeZone.identifier
    }
}
