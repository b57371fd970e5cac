/// An exercise program: a clinician's template of exercises and the
/// reminder rules that schedule them. Loaded from `programs/ID.toml`.
public struct Program: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var summary: String
    public var version: String
    public var sources: [String]
    public var disclaimer: String
    public var redFlags: [String]
    public var exercises: [Exercise]
    public var reminders: [ReminderRule]
    public var phases: [Phase]
    /// The file it came from, for messages. Not part of identity.
    public var origin: String

    public init(id: String, name: String, summary: String = "", version: String = "1",
                sources: [String] = [], disclaimer: String = "", redFlags: [String] = [],
                exercises: [Exercise] = [], reminders: [ReminderRule] = [], phases: [Phase] = [],
                origin: String = "") {
        self.id = id
        self.name = name
        self.summary = summary
        self.version = version
        self.sources = sources
        self.disclaimer = disclaimer
        self.redFlags = redFlags
        self.exercises = exercises
        self.reminders = reminders
        self.phases = phases
        self.origin = origin
    }

    public func exercise(_ id: String) -> Exercise? { exercises.first { $0.id == id } }

    /// A rule's cadence in a phase (its per-phase value, or its own).
    public func cadence(of rule: ReminderRule, inPhase phase: String?) -> Cadence {
        phase.flatMap { rule.phaseCadences[$0] } ?? rule.cadence
    }

    /// The phase the program is in `daysSinceStart` days after it was
    /// started, by the calendar alone (see `phaseStatus` for the phase in
    /// force). Phases run in order; the last one lasts for ever.
    public func phase(daysSinceStart: Int) -> Phase? {
        guard !phases.isEmpty else { return nil }
        var day = max(0, daysSinceStart)
        for p in phases {
            guard let len = p.days else { return p }
            if day < len { return p }
            day -= len
        }
        return phases.last
    }
}

public enum ExerciseCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case stretch, strength, nerveGlide = "nerve-glide", extension_ = "extension", cardio, posture
    case restPosition = "rest-position"
    /// Bending forward gently (knees to chest): the opposite direction to extension.
    case flexion
}

public enum BodyPosition: String, Sendable, Hashable, Codable, CaseIterable {
    case standing, sitting, lying, floor
}

/// How much of an exercise to do.
public struct Dose: Sendable, Hashable, Codable {
    public var reps: Int?
    public var sets: Int?
    public var holdSeconds: Int?
    public var duration: Duration?
    public var perSide: Bool

    public init(reps: Int? = nil, sets: Int? = nil, holdSeconds: Int? = nil, duration: Duration? = nil, perSide: Bool = false) {
        self.reps = reps
        self.sets = sets
        self.holdSeconds = holdSeconds
        self.duration = duration
        self.perSide = perSide
    }

    /// "10 reps", "3 sets, hold 20 s", "2 × 10 reps, hold 5 s, each side", "10 min".
    public var text: String {
        var parts: [String] = []
        if let r = reps {
            if let s = sets, s > 1 { parts.append(tr("{sets} × {reps} reps", ["sets": String(s), "reps": String(r)])) } else { parts.append(trn("{n} rep", "{n} reps", r, ["n": String(r)])) }
        } else if let s = sets, s > 1 {
            parts.append(tr("{n} sets", ["n": String(s)]))
        }
        if let h = holdSeconds { parts.append(tr("hold {duration}", ["duration": DurationText.readable(.seconds(h))])) }
        if let d = duration { parts.append(DurationText.readable(d)) }
        var t = parts.joined(separator: ", ")
        if perSide { t += t.isEmpty ? tr("each side") : ", " + tr("each side") }
        return t
    }

    public var isEmpty: Bool { reps == nil && sets == nil && holdSeconds == nil && duration == nil }
}

public struct Exercise: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var category: ExerciseCategory
    public var position: BodyPosition
    public var dose: Dose
    public var steps: [String]
    public var cautions: [String]
    /// Clauses shown after "Stop if " ("pain spreads further down your leg").
    public var stopIf: [String]
    /// Per `stopIf` entry, how the program's own file wrote it: whole
    /// sentence (begins with a capital letter: shown as it is) or clause
    /// (shown after "Stop if "), and whether it names urgent care (shown
    /// first in a reminder). Decided on the original text, so a
    /// translation keeps both whatever its first letter or words.
    public var stopForms: [StopForm]
    /// One line, the part people get wrong ("hips stay on the floor; only
    /// your upper body rises"); shown under the name in every reminder.
    public var cue: String
    /// Whether a plugin (skip-guard) may offer a smaller dose than the
    /// prescribed one. Off unless the program says `allow_easier = true`.
    public var allowEasier: Bool

    public init(id: String, name: String, category: ExerciseCategory, position: BodyPosition,
                dose: Dose = Dose(), steps: [String] = [], cautions: [String] = [], stopIf: [String] = [],
                cue: String = "", allowEasier: Bool = false, stopForms: [StopForm]? = nil) {
        self.id = id
        self.name = name
        self.category = category
        self.position = position
        self.dose = dose
        self.steps = steps
        self.cautions = cautions
        self.stopIf = stopIf
        self.cue = cue
        self.allowEasier = allowEasier
        self.stopForms = stopForms ?? stopIf.map(StopForm.init(original:))
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, category, position, dose, steps, cautions, stopIf, cue, allowEasier, stopForms
    }

    /// State files written before `cue` and `allowEasier` existed still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        category = try c.decode(ExerciseCategory.self, forKey: .category)
        position = try c.decode(BodyPosition.self, forKey: .position)
        dose = try c.decode(Dose.self, forKey: .dose)
        steps = try c.decode([String].self, forKey: .steps)
        cautions = try c.decode([String].self, forKey: .cautions)
        stopIf = try c.decode([String].self, forKey: .stopIf)
        cue = try c.decodeIfPresent(String.self, forKey: .cue) ?? ""
        allowEasier = try c.decodeIfPresent(Bool.self, forKey: .allowEasier) ?? false
        stopForms = try c.decodeIfPresent([StopForm].self, forKey: .stopForms) ?? stopIf.map(StopForm.init(original:))
    }
}

/// How a `stop_if` entry is shown, read from the program's own file
/// (docs/program-format.md, "stop_if").
public struct StopForm: Sendable, Hashable, Codable {
    /// Written as a whole sentence ("Stop at once if your foot drags."),
    /// not as a clause read after "Stop if ".
    public var sentence: Bool
    /// Names urgent care (foot drop: "get urgent care today"): the stop
    /// rule a reminder shows first.
    public var urgent: Bool

    public init(sentence: Bool, urgent: Bool) {
        self.sentence = sentence
        self.urgent = urgent
    }

    /// The form of an entry as the program's own file has it: a sentence
    /// begins with a capital letter; urgent when it names urgent or
    /// emergency care.
    public init(original text: String) {
        sentence = text.first?.isUppercase == true
        urgent = Self.urgentWords.contains { text.lowercased().contains($0) }
    }

    /// Words that make an original entry the urgent one. Only the program's
    /// own file is matched (a companion's translation keeps the form), so
    /// a program written in German or Spanish works too.
    static let urgentWords = ["urgent", "emergency", "notaufnahme", "notfall", "dringend", "sofort ärztlich",  // l10n: not ui
                              "urgencia", "urgente", "de inmediato"]  // l10n: not ui
}

/// A stage of a program: "acute" for a week, then "recovery", then "maintenance".
public struct Phase: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// How many days the phase lasts; nil for the last, open-ended phase.
    public var days: Int?
    public var summary: String
    /// How the phase ends: after its days (the default), or once the
    /// person confirms it, or once their check-ins say so (Phases.swift).
    public var advance: PhaseAdvance

    public init(id: String, name: String, days: Int?, summary: String = "", advance: PhaseAdvance = .days) {
        self.id = id
        self.name = name
        self.days = days
        self.summary = summary
        self.advance = advance
    }
}

/// What to do with occurrences that fell due while the user was away,
/// asleep, paused or in quiet hours.
public enum CatchUp: String, Sendable, Hashable, Codable, CaseIterable {
    /// Show it once when the user is back, merged with any others.
    case once
    /// Record it as missed and wait for the next occurrence.
    case skip
}

/// When a rule falls due.
public enum Cadence: Sendable, Hashable, Codable {
    /// After `after` of continuous activity (active time only). Idle for at
    /// least `naturalBreak` resets the count.
    case sitBreak(after: Duration, naturalBreak: Duration)
    /// Every `every` of the active day (within working hours), counted
    /// from the last answer.
    case interval(every: Duration)
    /// Every `every` within a daily window (nil: working hours): on a grid
    /// from the window's start (08:00, 10:00, ... 20:00, the end included),
    /// or counted from the last answer.
    case every(Duration, window: DayWindow?, grid: Bool)
    /// `count` times within a daily window, spread out, never two closer than `minGap`.
    case window(count: Int, window: DayWindow, minGap: Duration)
    /// At fixed wall-clock times on the chosen weekdays.
    case fixed(times: [TimeOfDay], days: Set<Weekday>)

    /// Whether the rule follows working hours and active days. Fixed-time
    /// rules carry their own days and times; quiet hours still apply.
    public var followsWorkingHours: Bool {
        if case .fixed = self { return false }
        return true
    }

    public var kindName: String {
        switch self {
        case .sitBreak: "sit-break"
        case .interval, .every: "interval"
        case .window: "window"
        case .fixed: "fixed"
        }
    }
}

/// Where a rule's exercises come from.
public struct ExercisePool: Sendable, Hashable, Codable {
    public enum Order: String, Sendable, Hashable, Codable, CaseIterable {
        /// Always the listed exercises, in order.
        case fixed
        /// `pick` of them, least recently done first, no repeat within a day where the pool allows.
        case rotate
    }
    public var exercises: [String]
    public var order: Order
    public var pick: Int

    public init(exercises: [String], order: Order = .fixed, pick: Int? = nil) {
        self.exercises = exercises
        self.order = order
        self.pick = pick ?? (order == .fixed ? exercises.count : 1)
    }
}

/// One reminder rule of a program, with its own cadence.
public struct ReminderRule: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var title: String
    public var message: String
    public var cadence: Cadence
    public var pool: ExercisePool
    /// Phases in which the rule is active; empty means all.
    public var phases: [String]
    public var catchUp: CatchUp
    /// Overrides of the settings' defaults.
    public var snooze: Duration?
    public var maxSnoozes: Int?
    public var staysUp: Duration?
    /// The program says this reminder may go on while exercise is on hold
    /// after a red flag (a plain sit break); every other reminder stops.
    public var safeDuringRedFlag: Bool
    /// Whether Done on it is a break for the sit breaks (they count again
    /// from zero). nil: when it offered a walk (an exercise of category
    /// cardio).
    public var countsAsBreak: Bool?
    /// The cadence in a given phase, where it differs (per-phase values:
    /// `after = { acute = "30m", recovery = "45m" }`); `cadence` otherwise.
    public var phaseCadences: [String: Cadence]

    public init(id: String, title: String, message: String = "", cadence: Cadence, pool: ExercisePool = ExercisePool(exercises: []),
                phases: [String] = [], catchUp: CatchUp = .once, snooze: Duration? = nil,
                maxSnoozes: Int? = nil, staysUp: Duration? = nil, phaseCadences: [String: Cadence] = [:],
                safeDuringRedFlag: Bool = false, countsAsBreak: Bool? = nil) {
        self.phaseCadences = phaseCadences
        self.countsAsBreak = countsAsBreak
        self.id = id
        self.title = title
        self.message = message
        self.cadence = cadence
        self.pool = pool
        self.phases = phases
        self.catchUp = catchUp
        self.snooze = snooze
        self.maxSnoozes = maxSnoozes
        self.staysUp = staysUp
        self.safeDuringRedFlag = safeDuringRedFlag
    }
}

/// A rule's identity across programs: "sciatica-relief/press-ups".
public struct RuleID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var program: String
    public var rule: String

    public init(program: String, rule: String) {
        self.program = program
        self.rule = rule
    }

    /// Parses "program/rule".
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(program: String(parts[0]), rule: String(parts[1]))
    }

    public var description: String { "\(program)/\(rule)" }

    public static func < (a: RuleID, b: RuleID) -> Bool { (a.program, a.rule) < (b.program, b.rule) }
}
