import Foundation

/// A point in time as the loop reads it: the wall clock (for calendar
/// rules) and the time since boot including suspend (CLOCK_BOOTTIME, for
/// elapsed-time rules, immune to the wall clock being set).
public struct Moment: Sendable, Hashable, Codable {
    public var wall: Date
    public var uptime: Duration

    public init(wall: Date, uptime: Duration) {
        self.wall = wall
        self.uptime = uptime
    }

    /// The wall time at which `uptime` u falls, assuming no clock jump.
    public func wall(atUptime u: Duration) -> Date {
        wall.addingTimeInterval((u - uptime).seconds)
    }

    public static func + (m: Moment, d: Duration) -> Moment {
        Moment(wall: m.wall.addingTimeInterval(d.seconds), uptime: m.uptime + d)
    }
}

/// A stable number for one reminder shown (and its updates).
public typealias ReminderID = UInt64

/// How the user answered a reminder.
public enum Answer: Sendable, Hashable, Codable {
    case done
    /// Snooze for the given length, or the rule's default.
    case snooze(Duration?)
    case skip
    /// The notification was closed without an answer.
    case dismissed
}

/// What the world tells the core. Sources (the loop, plugins, the API)
/// turn what happens into these.
public enum Event: Sendable {
    /// The deadline the core asked for has come (or any wake-up: the core
    /// works out what is due from `now`).
    case timer
    /// The user is active (input after idle). `since` is when activity
    /// resumed if known.
    case active
    /// The user went idle; `since` is the uptime at which input stopped, if
    /// the idle source knows it (logind's IdleSinceHintMonotonic).
    case idle(since: Duration?)
    case locked
    case unlocked
    /// The machine is about to sleep / has woken.
    case sleeping
    case woke
    /// The wall clock was set (jumped); uptime did not.
    case clockChanged
    case timeZoneChanged(TimeZone)
    /// The user answered a reminder (nil: the one showing).
    case answer(ReminderID?, Answer)
    /// New programs and settings, already validated.
    case reload(Configuration)
    /// Pause reminders until the given time (nil: until resumed).
    case pause(until: Date?)
    case resume
    /// Show a rule now, whatever its schedule.
    case trigger(RuleID)
    /// The person reported a red flag (ids like "saddle-numbness"): every
    /// exercise reminder is held until `.redFlagCleared`.
    case redFlag([String])
    /// The person says the red flag has been seen to: reminders come back.
    case redFlagCleared
    /// The person says they just took a break (`limberctl moved`): every
    /// sit break starts counting again, as after a natural break.
    case moved
    /// The gates (plugins: a call, a presentation, quiet hours) answered the
    /// `review` of a reminder about to be shown. An answer for a reminder no
    /// longer under review (answered, reloaded away, reviewed already) is
    /// ignored.
    case reviewed(ReminderID, GateDecision)
    /// A program starts (its phases count from) the day of `on`.
    case startProgram(String, on: Date)
    /// A program moves to a phase (by the person, or a confirmation), with why.
    case setPhase(program: String, phase: String, reason: String)
    /// The answer to a phase's question ("Has the flare settled?").
    case confirmPhase(program: String, settled: Bool)
    /// A pain check-in: 0-10, and how far down the leg (0 none, 1 back ... 6 foot).
    case checkIn(pain: Int, reach: Int)
}

/// What the gates decide about a reminder about to be shown.
public enum GateDecision: Sendable, Hashable {
    /// Show it (its `shown` outcomes are recorded now).
    case proceed
    /// Hold it back: it comes back after the duration, not counted as a
    /// snooze; recorded as `postponed` with the reason.
    case postpone(Duration, reason: String)
    /// Do not show it: recorded as missed with the reason; the rules move on
    /// to their next time.
    case drop(reason: String)
}

public enum OutcomeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case shown, done, snoozed, skipped, dismissed, expired, missed
    /// Held back by a gate (a plugin) before the user saw it; comes back later.
    case postponed
}

/// One entry of what happened to one rule's reminder: the history records these.
public struct Outcome: Sendable, Hashable, Codable {
    public var reminder: ReminderID
    public var rule: RuleID
    public var kind: OutcomeKind
    /// The exercises offered (ids), each with its dose text.
    public var exercises: [OfferedExercise]
    public var at: Date
    /// When the occurrence fell due (for lateness and missed counts).
    public var dueAt: Date
    public var catchUp: Bool
    /// For snoozes, the length.
    public var snooze: Duration?
    /// Why, when the core decided it (natural break, expired, ...).
    public var note: String?

    public init(reminder: ReminderID, rule: RuleID, kind: OutcomeKind, exercises: [OfferedExercise], at: Date,
                dueAt: Date, catchUp: Bool = false, snooze: Duration? = nil, note: String? = nil) {
        self.reminder = reminder
        self.rule = rule
        self.kind = kind
        self.exercises = exercises
        self.at = at
        self.dueAt = dueAt
        self.catchUp = catchUp
        self.snooze = snooze
        self.note = note
    }
}

public struct OfferedExercise: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var dose: String

    public init(id: String, name: String, dose: String) {
        self.id = id
        self.name = name
        self.dose = dose
    }
}

/// One rule's part of a reminder on screen.
public struct ReminderItem: Sendable, Hashable, Codable {
    public var rule: RuleID
    public var title: String
    public var message: String
    public var exercises: [Exercise] {
        didSet { offered = Self.offer(exercises) }
    }
    public var dueAt: Date
    public var catchUp: Bool
    public var snoozeCount: Int
    /// The exercises as the history records them (ids, names, dose text),
    /// made once: every outcome of the item carries them.
    public private(set) var offered: [OfferedExercise]

    public init(rule: RuleID, title: String, message: String, exercises: [Exercise], dueAt: Date, catchUp: Bool, snoozeCount: Int) {
        self.rule = rule
        self.title = title
        self.message = message
        self.exercises = exercises
        self.dueAt = dueAt
        self.catchUp = catchUp
        self.snoozeCount = snoozeCount
        self.offered = Self.offer(exercises)
    }

    static func offer(_ exercises: [Exercise]) -> [OfferedExercise] {
        exercises.map { OfferedExercise(id: $0.id, name: $0.name, dose: $0.dose.text) }
    }
}

/// A reminder as shown: one or more merged rule items.
public struct Reminder: Sendable, Hashable, Codable, Identifiable {
    public var id: ReminderID
    public var items: [ReminderItem]
    public var shownAt: Date
    public var expiresAt: Date
    /// Snooze is offered (nil when the snooze limit is reached).
    public var snoozeLength: Duration?

    public init(id: ReminderID, items: [ReminderItem], shownAt: Date, expiresAt: Date, snoozeLength: Duration?) {
        self.id = id
        self.items = items
        self.shownAt = shownAt
        self.expiresAt = expiresAt
        self.snoozeLength = snoozeLength
    }

    /// "Sit break", or "Sit break + Press-ups" when merged.
    public var title: String {
        items.map(\.title).joined(separator: " + ")
    }

    public var isCatchUp: Bool { items.contains { $0.catchUp } }
}

public enum WithdrawReason: String, Sendable, Hashable, Codable {
    case answered, expired, naturalBreak, reload, paused, away, postponed, dropped
    /// Exercise is on hold after a red flag.
    case redFlag = "red-flag"
}

/// What happened, as the daemon tells its observers: the D-Bus API, the
/// plugins (`ObserverPlugin.observe`; they are shown, withdrawn and
/// recorded), check-ins, tests. One type for all of them.
public enum ServiceEvent: Sendable, Hashable {
    case shown(Reminder)
    case withdrawn(ReminderID, WithdrawReason)
    /// Every outcome as the history records it (shown, done, snoozed, skipped, dismissed, ...).
    case recorded(Outcome)
    case reloaded(ok: Bool, diagnostics: [String])
    case statusChanged(String)
}

/// What the core asks the edges to do.
public enum Effect: Sendable, Hashable {
    /// Ask the gates about a new reminder before it is shown; their answer
    /// comes back as `Event.reviewed`. Nothing is on screen or recorded as
    /// shown until they let it proceed (only from an engine made `gated`).
    case review(Reminder)
    /// Show a reminder, or update the one with the same id in place.
    case show(Reminder)
    /// Take a reminder off the screen.
    case withdraw(ReminderID, WithdrawReason)
    /// Record an outcome in the history.
    case record(Outcome)
}

/// The result of handling one event.
public struct Step: Sendable {
    public var effects: [Effect]
    /// When the core next needs a `.timer` event (wall clock); nil: never
    /// on its own.
    public var nextDeadline: Date?

    public init(effects: [Effect], nextDeadline: Date?) {
        self.effects = effects
        self.nextDeadline = nextDeadline
    }
}
