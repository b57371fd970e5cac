/// The user's settings from `limber.toml`.
public struct Settings: Sendable, Hashable, Codable {
    /// Program ids to run (none when empty; limber.toml without the key
    /// means the shipped default program).
    public var enabledPrograms: [String]
    public var workingHours: DayWindow
    public var activeDays: Set<Weekday>
    public var quietHours: [DayWindow]
    /// Default snooze length and how many snoozes in a row are allowed.
    public var snooze: Duration
    public var maxSnoozes: Int
    /// Reminders due within this window of each other are merged into one,
    /// and no two are shown closer together than this.
    public var coalesceWindow: Duration
    /// How long a reminder stays up before it counts as expired.
    public var staysUp: Duration
    /// After the user is back (from idle, lock, sleep), how long to wait
    /// before showing the one catch-up reminder.
    public var catchUpDelay: Duration
    /// Idle this long counts as a natural break unless a rule says otherwise.
    public var naturalBreak: Duration
    /// How long the history keeps outcomes, check-ins and activity.
    public var historyRetention: HistoryRetention
    /// After Done, ask "How is your pain now?" in a short notification.
    public var checkInAfterExercise: Bool

    public init(enabledPrograms: [String] = [], workingHours: DayWindow = DayWindow("08:00-20:00")!,
                activeDays: Set<Weekday> = Weekday.everyDay, quietHours: [DayWindow] = [],
                snooze: Duration = .minutes(10), maxSnoozes: Int = 3, coalesceWindow: Duration = .minutes(5),
                staysUp: Duration = .minutes(15), catchUpDelay: Duration = .minutes(2),
                naturalBreak: Duration = .minutes(5), historyRetention: HistoryRetention = .forever,
                checkInAfterExercise: Bool = false) {
        self.enabledPrograms = enabledPrograms
        self.workingHours = workingHours
        self.activeDays = activeDays
        self.quietHours = quietHours
        self.snooze = snooze
        self.maxSnoozes = maxSnoozes
        self.coalesceWindow = coalesceWindow
        self.staysUp = staysUp
        self.catchUpDelay = catchUpDelay
        self.naturalBreak = naturalBreak
        self.historyRetention = historyRetention
        self.checkInAfterExercise = checkInAfterExercise
    }

    public static let defaultProgram = "sciatica-relief"
}

/// `history_retention`: how long the history keeps what it records.
public enum HistoryRetention: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The default: keep everything.
    case forever
    /// Delete what is older than this many days (at least 1).
    case days(Int)

    /// Reads "forever" or a number of days like "90d"; nil for anything else.
    public init?(_ text: String) {
        let t = text
        if t == "forever" {
            self = .forever
            return
        }
        guard t.count >= 2, t.hasSuffix("d"), t.dropLast().allSatisfy(\.isASCII), t.dropLast().allSatisfy(\.isNumber),
              let n = Int(t.dropLast()), n >= 1 else { return nil }
        self = .days(n)
    }

    /// "forever" or "90d", as written in limber.toml.
    public var description: String {
        switch self {
        case .forever: "forever"
        case .days(let n): "\(n)d"
        }
    }
}

/// Everything the core runs on: the enabled programs and the settings.
/// Built by LimberConfig; swapped whole on reload.
public struct Configuration: Sendable, Hashable {
    public var programs: [Program]
    public var settings: Settings

    public init(programs: [Program], settings: Settings = Settings()) {
        self.programs = programs
        self.settings = settings
    }

    public func program(_ id: String) -> Program? { programs.first { $0.id == id } }

    public func rule(_ id: RuleID) -> ReminderRule? {
        program(id.program)?.reminders.first { $0.id == id.rule }
    }
}
