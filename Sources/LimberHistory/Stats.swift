import Foundation
import LimberCore

/// Which days `limberctl stats` looks at. Days are calendar days in the
/// user's time zone and always end with today (the day `now` falls on).
public enum StatsPeriod: Sendable, Hashable {
    /// Today and the 6 days before it.
    case week
    /// Today and the 29 days before it.
    case month
    /// From this day through today.
    case since(Day)

    /// The first and last day for `now` in `timeZone`.
    public func days(now: Date, timeZone: TimeZone) -> (from: Day, through: Day) {
        let today = Day(now, in: timeZone)
        switch self {
        case .week: return (today.adding(days: -6), today)
        case .month: return (today.adding(days: -29), today)
        case .since(let d): return (d, today)
        }
    }

    public var name: String {
        switch self {
        case .week: "week"
        case .month: "month"
        case .since: "since"
        }
    }
}

/// Counts of occurrences and what became of them.
///
/// An *occurrence* is one rule falling due once: all outcome rows with the
/// same rule and `dueAt` (a reminder shown, snoozed, shown again, done is one
/// occurrence). Its *resolution* is the last row of kind done, skipped,
/// dismissed, expired or missed; with none (only shown/snoozed so far) it is
/// *open*. It belongs to the day (in the user's time zone) of its first row.
///
/// `done + skipped + dismissed + expired + missed + open == occurrences`.
public struct OccurrenceCounts: Sendable, Hashable, Codable {
    public var occurrences = 0
    /// Occurrences that reached the user: any row other than `missed`.
    public var shown = 0
    public var done = 0
    public var skipped = 0
    public var dismissed = 0
    public var expired = 0
    /// Fell due while away and were never shown (catch-up "skip").
    public var missed = 0
    /// Still showing or snoozed at `now`.
    public var open = 0
    /// Snooze presses (rows of kind snoozed), not occurrences.
    public var snoozes = 0
    /// Occurrences shown late as a catch-up.
    public var catchUps = 0

    public init() {}

    /// done / shown: how often a reminder that reached the user was acted on.
    /// Missed occurrences (the user was away) do not count against it.
    /// nil when nothing was shown.
    public var adherence: Double? { shown == 0 ? nil : Double(done) / Double(shown) }

    mutating func add(_ o: Occurrence) {
        occurrences += 1
        if o.shown { shown += 1 }
        switch o.resolution {
        case .done: done += 1
        case .skipped: skipped += 1
        case .dismissed: dismissed += 1
        case .expired: expired += 1
        case .missed: missed += 1
        default: open += 1
        }
        snoozes += o.snoozes
        if o.catchUp { catchUps += 1 }
    }

    private enum CodingKeys: String, CodingKey {
        case occurrences, shown, done, skipped, dismissed, expired, missed, open, snoozes, catchUps, adherence
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        occurrences = try c.decode(Int.self, forKey: .occurrences)
        shown = try c.decode(Int.self, forKey: .shown)
        done = try c.decode(Int.self, forKey: .done)
        skipped = try c.decode(Int.self, forKey: .skipped)
        dismissed = try c.decode(Int.self, forKey: .dismissed)
        expired = try c.decode(Int.self, forKey: .expired)
        missed = try c.decode(Int.self, forKey: .missed)
        open = try c.decode(Int.self, forKey: .open)
        snoozes = try c.decode(Int.self, forKey: .snoozes)
        catchUps = try c.decode(Int.self, forKey: .catchUps)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(occurrences, forKey: .occurrences)
        try c.encode(shown, forKey: .shown)
        try c.encode(done, forKey: .done)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(dismissed, forKey: .dismissed)
        try c.encode(expired, forKey: .expired)
        try c.encode(missed, forKey: .missed)
        try c.encode(open, forKey: .open)
        try c.encode(snoozes, forKey: .snoozes)
        try c.encode(catchUps, forKey: .catchUps)
        // Always present; null when nothing was shown.
        if let a = adherence { try c.encode(a, forKey: .adherence) } else { try c.encodeNil(forKey: .adherence) }
    }
}

/// One occurrence, folded from its rows.
struct Occurrence {
    var rule: RuleID
    var dueAt: Date
    var firstAt: Date
    var day: Day
    var shown = false
    var resolution: OutcomeKind?
    var resolvedAt: Date?
    var snoozes = 0
    var catchUp = false
    /// The exercises of the resolving row, else of the last row that offered any.
    var exercises: [OfferedExercise] = []

    /// Groups rows into occurrences (rows in any order).
    static func fold(_ rows: [StoredOutcome], timeZone: TimeZone) -> [Occurrence] {
        struct Key: Hashable { var rule: RuleID; var dueAt: Date }
        let sorted = rows.sorted { ($0.outcome.at, $0.id) < ($1.outcome.at, $1.id) }
        var index: [Key: Int] = [:]
        var result: [Occurrence] = []
        for row in sorted {
            let o = row.outcome
            let key = Key(rule: o.rule, dueAt: o.dueAt)
            let i: Int
            if let existing = index[key] {
                i = existing
            } else {
                i = result.count
                index[key] = i
                result.append(Occurrence(rule: o.rule, dueAt: o.dueAt, firstAt: o.at, day: Day(o.at, in: timeZone)))
            }
            if o.kind != .missed && o.kind != .postponed { result[i].shown = true }
            if o.catchUp { result[i].catchUp = true }
            switch o.kind {
            case .snoozed:
                result[i].snoozes += 1
            case .done, .skipped, .dismissed, .expired, .missed:
                result[i].resolution = o.kind
                result[i].resolvedAt = o.at
            case .shown, .postponed:
                break
            }
            let resolving = o.kind != .shown && o.kind != .snoozed && o.kind != .postponed
            if !o.exercises.isEmpty, resolving || result[i].resolution == nil {
                result[i].exercises = o.exercises
            }
        }
        return result
    }
}

/// One rule's counts.
public struct RuleStats: Sendable, Hashable, Codable {
    /// "program/rule".
    public var rule: String
    public var program: String
    public var counts: OccurrenceCounts
}

/// One exercise's counts: offered in shown occurrences, done in done ones.
public struct ExerciseStats: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var offered: Int
    public var done: Int
    /// done / offered; nil when never offered.
    public var adherence: Double?

    public init(id: String, name: String, offered: Int, done: Int) {
        self.id = id
        self.name = name
        self.offered = offered
        self.done = done
        self.adherence = offered == 0 ? nil : Double(done) / Double(offered)
    }

    private enum CodingKeys: String, CodingKey { case id, name, offered, done, adherence }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(offered, forKey: .offered)
        try c.encode(done, forKey: .done)
        if let a = adherence { try c.encode(a, forKey: .adherence) } else { try c.encodeNil(forKey: .adherence) }
    }
}

/// Days in a row with at least one occurrence done.
public struct Streaks: Sendable, Hashable, Codable {
    /// Ending today, or yesterday when nothing is done yet today (the day is
    /// not over). 0 when neither had one.
    public var current: Int
    /// The longest run in all the history given, up to today.
    public var best: Int
    /// The last day of the best run (the latest if several tie).
    public var bestEnded: Day?
}

/// One day of the series.
public struct DayStats: Sendable, Hashable, Codable {
    public var day: Day
    public var counts: OccurrenceCounts
    /// Active time recorded that day; nil when none was recorded.
    public var activeSeconds: Double?
    public var breakSeconds: Double?
}

/// Active time against breaks over the period (days with a record only).
public struct ActivityTotals: Sendable, Hashable, Codable {
    public var days: Int
    public var activeSeconds: Double
    public var breakSeconds: Double
    /// break / (active + break); nil when both are 0.
    public var breakShare: Double?

    private enum CodingKeys: String, CodingKey { case days, activeSeconds, breakSeconds, breakShare }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(days, forKey: .days)
        try c.encode(activeSeconds, forKey: .activeSeconds)
        try c.encode(breakSeconds, forKey: .breakSeconds)
        if let s = breakShare { try c.encode(s, forKey: .breakShare) } else { try c.encodeNil(forKey: .breakShare) }
    }
}

/// `limberctl stats`: adherence per rule and exercise, streaks, a daily
/// series and activity for a period. Computed by a pure function of the
/// rows, `now` and the time zone. The JSON shape is documented in
/// docs/history.md and versioned by `schema`.
public struct Stats: Sendable, Hashable, Codable {
    public struct Period: Sendable, Hashable, Codable {
        /// "week", "month" or "since".
        public var kind: String
        public var from: Day
        public var through: Day
        /// The time zone's identifier, e.g. "Europe/Berlin".
        public var timeZone: String
        public var now: Date
    }

    /// The shape's version: 2 (1 had camelCase keys, pretty-printed).
    public var schema: Int
    public var period: Period
    public var totals: OccurrenceCounts
    /// Sorted by rule ("program/rule").
    public var rules: [RuleStats]
    /// Sorted by done (most first), then id.
    public var exercises: [ExerciseStats]
    public var streaks: Streaks
    /// Every day of the period, oldest first, including empty ones.
    public var days: [DayStats]
    /// nil when no activity was recorded in the period.
    public var activity: ActivityTotals?

    /// Computes the stats.
    ///
    /// - Parameters:
    ///   - outcomes: outcome rows; the period's occurrences are taken from
    ///     them, and streaks from all of them up to today (pass the whole
    ///     history for an honest best streak).
    ///   - activity: activity days (any range; the period's are used).
    public static func compute(outcomes: [StoredOutcome], activity: [ActivityDay] = [], period: StatsPeriod,
                               now: Date, timeZone: TimeZone) -> Stats {
        let (from, through) = period.days(now: now, timeZone: timeZone)
        let all = Occurrence.fold(outcomes, timeZone: timeZone)
        let inPeriod = all.filter { $0.day >= from && $0.day <= through }

        var totals = OccurrenceCounts()
        var perRule: [RuleID: OccurrenceCounts] = [:]
        var perDay: [Day: OccurrenceCounts] = [:]
        var offered: [String: Int] = [:]
        var done: [String: Int] = [:]
        var names: [String: String] = [:]
        for o in inPeriod {
            totals.add(o)
            perRule[o.rule, default: OccurrenceCounts()].add(o)
            perDay[o.day, default: OccurrenceCounts()].add(o)
            guard o.shown else { continue }
            for id in Set(o.exercises.map(\.id)) {
                offered[id, default: 0] += 1
                if o.resolution == .done { done[id, default: 0] += 1 }
            }
            for e in o.exercises { names[e.id] = e.name }
        }

        let rules = perRule.keys.sorted().map { RuleStats(rule: $0.description, program: $0.program, counts: perRule[$0]!) }
        let exercises = offered.keys.map { ExerciseStats(id: $0, name: names[$0] ?? $0, offered: offered[$0]!, done: done[$0] ?? 0) }
            .sorted { ($1.done, $0.id) < ($0.done, $1.id) }

        let activityByDay = Dictionary(activity.map { ($0.day, $0) }, uniquingKeysWith: { a, b in
            ActivityDay(day: a.day, activeSeconds: a.activeSeconds + b.activeSeconds, breakSeconds: a.breakSeconds + b.breakSeconds)
        })
        var days: [DayStats] = []
        var d = from
        var act = ActivityTotals(days: 0, activeSeconds: 0, breakSeconds: 0, breakShare: nil)
        while d <= through {
            let a = activityByDay[d]
            if let a {
                act.days += 1
                act.activeSeconds += a.activeSeconds
                act.breakSeconds += a.breakSeconds
            }
            days.append(DayStats(day: d, counts: perDay[d] ?? OccurrenceCounts(), activeSeconds: a?.activeSeconds, breakSeconds: a?.breakSeconds))
            d = d.adding(days: 1)
        }
        let sum = act.activeSeconds + act.breakSeconds
        act.breakShare = sum > 0 ? act.breakSeconds / sum : nil

        let doneDays = Set(all.filter { $0.resolution == .done && $0.day <= through }.map(\.day))
        return Stats(
            schema: 2,
            period: Period(kind: period.name, from: from, through: through, timeZone: timeZone.identifier, now: now),
            totals: totals, rules: rules, exercises: exercises,
            streaks: streaks(doneDays: doneDays, today: through),
            days: days, activity: act.days > 0 ? act : nil)
    }

    static func streaks(doneDays: Set<Day>, today: Day) -> Streaks {
        var current = 0
        var d = doneDays.contains(today) ? today : today.adding(days: -1)
        while doneDays.contains(d) {
            current += 1
            d = d.adding(days: -1)
        }
        var best = 0
        var bestEnded: Day? = nil
        var run = 0
        var previous: Day? = nil
        for day in doneDays.sorted() {
            run = (previous.map { $0.adding(days: 1) == day } ?? false) ? run + 1 : 1
            if run >= best {
                best = run
                bestEnded = day
            }
            previous = day
        }
        return Streaks(current: current, best: best, bestEnded: bestEnded)
    }

    /// The stable JSON (`limberctl stats --json`): sorted keys, ISO 8601 times.
    public func json() throws -> Data { try HistoryJSON.encoder().encode(self) }
}

/// The JSON conventions of every document the history writes.
public enum HistoryJSON {
    /// limberctl's one JSON convention (docs/api.md): one line, snake_case
    /// keys, a `schema` version in every object at the top.
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .iso8601
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

extension HistoryStore {
    /// Stats for a period, over the whole stored history (for streaks).
    public func stats(_ period: StatsPeriod, now: Date, timeZone: TimeZone) throws(HistoryError) -> Stats {
        let (from, through) = period.days(now: now, timeZone: timeZone)
        let rows = try outcomes(until: through.adding(days: 1).start(in: timeZone))
        let act = try activity(from: from, through: through)
        return Stats.compute(outcomes: rows, activity: act, period: period, now: now, timeZone: timeZone)
    }
}
