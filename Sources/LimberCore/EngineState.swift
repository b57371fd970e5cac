import Foundation

/// What a rule is doing now. One value, so no order of checks decides
/// between a snooze, a pending catch-up and a count (they used to be six
/// optional fields of RuleState).
public enum RuleStage: Sendable, Hashable, Codable {
    /// Waiting for its schedule: `RuleState.due` (nil: nothing scheduled,
    /// e.g. a sit break outside working hours or while the user is away).
    case scheduled
    /// A sit break counting active time: this stretch began at this uptime
    /// (`RuleState.sitCount` holds what was counted before it).
    case counting(since: Duration)
    /// Part of a new reminder the gates are reviewing (not on screen yet).
    case reviewing
    /// Part of the reminder on screen.
    case showing
    /// Snoozed (or postponed by a gate): back at `until` exactly; `dueAt` is
    /// when the occurrence first fell due.
    case snoozed(until: Moment, dueAt: Date)
    /// Fell due at `since` while reminders could not be shown (away,
    /// paused, quiet hours); shown once, merged, when that ends.
    case pending(since: Date)
    /// Pending, and its catch-up is to be shown `at`.
    case catchingUp(since: Date, at: Date)

    /// Part of the current reminder (under review or on screen).
    public var isOnReminder: Bool {
        switch self {
        case .reviewing, .showing: true
        default: false
        }
    }

    /// Pending or catching up: when it fell due.
    public var pendingSince: Date? {
        switch self {
        case .pending(let since), .catchingUp(let since, _): since
        default: nil
        }
    }

    /// When the occurrence it holds back first fell due (pending, snoozed).
    public var heldDueAt: Date? {
        switch self {
        case .pending(let since), .catchingUp(let since, _): since
        case .snoozed(_, let dueAt): dueAt
        default: nil
        }
    }
}

/// What the core remembers about one rule between events.
public struct RuleState: Sendable, Hashable {
    /// What the rule is doing now.
    public var stage: RuleStage = .scheduled
    /// When the rule next falls due by its schedule (wall clock); it keeps
    /// the occurrence while the rule is shown, snoozed or pending (nil: not
    /// scheduled, e.g. a sit break, which counts instead).
    public var due: Date?
    /// For fixed times, the occurrence `due` stands for ("2026-11-21 12:30").
    public var dueOccurrence: String?
    /// When the rule was first scheduled (the anchor before any answer).
    public var since: Moment?
    /// Snoozes in a row, reset by done or skip.
    public var snoozeCount: Int = 0
    /// When it was last answered or expired (the anchor of intervals).
    public var lastAnswered: Moment?
    public var lastDone: Date?
    /// Sit-break: the active time counted (SitCount.swift).
    public var sitCount = SitCount()
    /// Fixed times: the last occurrence fired ("2026-11-21 12:30").
    public var lastOccurrence: String?
    /// Windows: how many fired on which day.
    public var firedDay: String?
    public var firedCount: Int = 0
    public var lastFired: Moment?

    public init() {}

    /// Part of the current reminder (under review or on screen).
    public var showing: Bool { stage.isOnReminder }
    /// A snooze: the reminder comes back at this moment, exactly.
    public var snoozedUntil: Moment? {
        if case .snoozed(let until, _) = stage { return until }
        return nil
    }
    /// Pending or catching up: when it fell due.
    public var pendingSince: Date? { stage.pendingSince }
    /// A sit break's current counted stretch began at this uptime.
    public var countingSince: Duration? {
        if case .counting(let since) = stage { return since }
        return nil
    }
}

extension RuleState: Codable {
    enum CodingKeys: String, CodingKey {
        case stage, due, dueOccurrence, since, snoozeCount, lastAnswered, lastDone, banked, countWindow
        case lastOccurrence, firedDay, firedCount, lastFired
        // The state file before rule stages (up to #11) kept the stage in these.
        case showing, snoozedUntil, snoozeDueAt, pendingSince, catchUpAt, countingSince
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        due = try c.decodeIfPresent(Date.self, forKey: .due)
        dueOccurrence = try c.decodeIfPresent(String.self, forKey: .dueOccurrence)
        since = try c.decodeIfPresent(Moment.self, forKey: .since)
        snoozeCount = try c.decodeIfPresent(Int.self, forKey: .snoozeCount) ?? 0
        lastAnswered = try c.decodeIfPresent(Moment.self, forKey: .lastAnswered)
        lastDone = try c.decodeIfPresent(Date.self, forKey: .lastDone)
        sitCount = SitCount(banked: try c.decodeIfPresent(Duration.self, forKey: .banked) ?? .zero,
                            window: try c.decodeIfPresent(String.self, forKey: .countWindow))
        lastOccurrence = try c.decodeIfPresent(String.self, forKey: .lastOccurrence)
        firedDay = try c.decodeIfPresent(String.self, forKey: .firedDay)
        firedCount = try c.decodeIfPresent(Int.self, forKey: .firedCount) ?? 0
        lastFired = try c.decodeIfPresent(Moment.self, forKey: .lastFired)
        if let stage = try c.decodeIfPresent(RuleStage.self, forKey: .stage) {
            self.stage = stage
        } else {
            self.stage = try Self.legacyStage(c, due: due)
        }
    }

    /// The stage an old state file meant, in the order the engine then
    /// checked its fields: on screen, snoozed, pending, counting.
    static func legacyStage(_ c: KeyedDecodingContainer<CodingKeys>, due: Date?) throws -> RuleStage {
        if try c.decodeIfPresent(Bool.self, forKey: .showing) == true { return .showing }
        if let until = try c.decodeIfPresent(Moment.self, forKey: .snoozedUntil) {
            let dueAt = try c.decodeIfPresent(Date.self, forKey: .snoozeDueAt) ?? due ?? until.wall
            return .snoozed(until: until, dueAt: dueAt)
        }
        if let since = try c.decodeIfPresent(Date.self, forKey: .pendingSince) {
            if let at = try c.decodeIfPresent(Date.self, forKey: .catchUpAt) { return .catchingUp(since: since, at: at) }
            return .pending(since: since)
        }
        if let since = try c.decodeIfPresent(Duration.self, forKey: .countingSince) { return .counting(since: since) }
        return .scheduled
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stage, forKey: .stage)
        try c.encodeIfPresent(due, forKey: .due)
        try c.encodeIfPresent(dueOccurrence, forKey: .dueOccurrence)
        try c.encodeIfPresent(since, forKey: .since)
        try c.encode(snoozeCount, forKey: .snoozeCount)
        try c.encodeIfPresent(lastAnswered, forKey: .lastAnswered)
        try c.encodeIfPresent(lastDone, forKey: .lastDone)
        try c.encode(sitCount.banked, forKey: .banked)
        try c.encodeIfPresent(sitCount.window, forKey: .countWindow)
        try c.encodeIfPresent(lastOccurrence, forKey: .lastOccurrence)
        try c.encodeIfPresent(firedDay, forKey: .firedDay)
        try c.encode(firedCount, forKey: .firedCount)
        try c.encodeIfPresent(lastFired, forKey: .lastFired)
    }
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
    /// Exercise on hold after a red flag, until the person clears it.
    public var redFlagHold: RedFlagHold?
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
