import Foundation

/// When a rule next falls due by its calendar. Pure.
enum Schedule {
    struct Next: Equatable {
        var at: Date
        var occurrence: String?
    }

    static func next(_ cadence: Cadence, state rs: RuleState, settings: Settings, calendar: LocalCalendar, now: Moment) -> Next? {
        let anchor = (rs.lastAnswered ?? rs.since ?? now).wall
        switch cadence {
        case .sitBreak:
            return nil  // counted live from active time
        case .interval(let every):
            return interval(every: every, after: anchor, settings: settings, calendar: calendar)
        case .every(let every, let window, let grid):
            let w = window ?? settings.workingHours
            if grid {
                return self.grid(every: every, window: w, after: rs.lastAnswered?.wall ?? rs.lastFired?.wall,
                                 since: (rs.since ?? now).wall, days: settings.activeDays, calendar: calendar)
            }
            var within = settings
            within.workingHours = w
            return interval(every: every, after: anchor, settings: within, calendar: calendar)
        case .window(let count, let window, let minGap):
            return spread(count: count, window: window, minGap: minGap, rs: rs, anchor: anchor,
                          days: settings.activeDays, calendar: calendar)
        case .fixed(let times, let days):
            return fixed(times: times, days: days, after: anchor, lastOccurrence: rs.lastOccurrence, calendar: calendar)
        }
    }

    /// Every `every` inside working hours, counted from the anchor or from
    /// the start of the working window.
    static func interval(every: Duration, after anchor: Date, settings: Settings, calendar: LocalCalendar) -> Next? {
        guard every > .zero else { return nil }
        var from = anchor
        for _ in 0..<16 {
            guard let w = calendar.nextOccurrence(of: settings.workingHours, after: from, days: settings.activeDays) else { return nil }
            let base = max(anchor, w.start)
            let at = base.addingTimeInterval(every.seconds)
            if at <= w.end { return Next(at: at) }
            from = w.end
        }
        return nil
    }

    /// Every `every` on a grid from the window's start (08:00, 10:00, ...,
    /// the end included), the first slot after the last answer (or at or
    /// after `since` before any), however late that answer came.
    static func grid(every: Duration, window: DayWindow, after answered: Date?, since: Date,
                     days: Set<Weekday>, calendar: LocalCalendar) -> Next? {
        guard every >= .seconds(60) else { return nil }
        let step = every.seconds
        var from = answered ?? since.addingTimeInterval(-1)
        for _ in 0..<16 {
            // The occurrence containing `from`, or the next one (checked a
            // second back too, so that the end slot counts as inside).
            let w = calendar.occurrence(of: window, containing: from, days: days)
                ?? calendar.occurrence(of: window, containing: from.addingTimeInterval(-1), days: days)
                ?? calendar.nextOccurrence(of: window, after: from, days: days)
            guard let w else { return nil }
            let k = from < w.start ? 0 : Int((from.timeIntervalSince(w.start) / step).rounded(.down)) + 1
            let at = w.start.addingTimeInterval(Double(k) * step)
            if at <= w.end { return Next(at: at) }
            from = w.end.addingTimeInterval(1)
        }
        return nil
    }

    /// `count` times in a daily window: the remaining ones spread evenly over
    /// what is left of it, never closer than `minGap`.
    static func spread(count: Int, window: DayWindow, minGap: Duration, rs: RuleState, anchor: Date,
                       days: Set<Weekday>, calendar: LocalCalendar) -> Next? {
        guard count > 0 else { return nil }
        var from = anchor
        for _ in 0..<16 {
            guard let w = calendar.nextOccurrence(of: window, after: from, days: days) else { return nil }
            let day = calendar.dayKey(w.start)
            let fired = rs.firedDay == day ? rs.firedCount : 0
            if fired < count {
                let start = max(w.start, anchor)
                let remaining = count - fired
                let span = w.end.timeIntervalSince(start)
                var at = start.addingTimeInterval(span / Double(remaining) / 2)
                if let last = rs.lastFired?.wall, last >= w.start {
                    at = max(at, last.addingTimeInterval(minGap.seconds))
                }
                if at < w.end { return Next(at: at) }
            }
            from = w.end
        }
        return nil
    }

    /// The next fixed time after the anchor, on the chosen days, that has
    /// not fired yet (a clock set back does not fire one twice).
    static func fixed(times: [TimeOfDay], days: Set<Weekday>, after anchor: Date, lastOccurrence: String?,
                      calendar: LocalCalendar) -> Next? {
        let sorted = times.sorted()
        guard !sorted.isEmpty, !days.isEmpty else { return nil }
        for offset in 0...8 {
            let day = calendar.startOfDay(anchor, addingDays: offset)
            guard days.contains(calendar.weekday(day)) else { continue }
            for t in sorted {
                let at = calendar.date(on: day, at: t)
                let key = calendar.occurrenceKey(day: day, at: t)
                if at > anchor, key > (lastOccurrence ?? "") {
                    return Next(at: at, occurrence: key)
                }
            }
        }
        return nil
    }
}

/// Which exercises a reminder offers.
enum Rotation {
    /// An exercise with its "program/exercise" key (for last-done times).
    struct Keyed: Sendable {
        var exercise: Exercise
        var key: String
    }

    /// A fixed pool gives its list; a rotating one gives `pick` exercises,
    /// least recently done first, avoiding ones done today where the pool
    /// allows, then least recently offered, then pool order.
    static func pick(_ pool: ExercisePool, exercises: [String: Keyed],
                     lastDone: [String: Date], lastOffered: [String: Date],
                     calendar: LocalCalendar, now: Date) -> [Keyed] {
        switch pool.order {
        case .fixed:
            var out: [Keyed] = []
            for id in pool.exercises where out.count < pool.pick {
                if let e = exercises[id] { out.append(e) }
            }
            return out
        case .rotate:
            let all = pool.exercises.compactMap { exercises[$0] }
            let today = calendar.startOfDay(now)
            // Each exercise's sort key, computed once.
            let ranked = all.enumerated().map { offset, e -> (Bool, Date, Date, Int, Keyed) in
                let done = lastDone[e.key] ?? .distantPast
                return (done >= today, done, lastOffered[e.key] ?? .distantPast, offset, e)
            }.sorted { a, b in
                if a.0 != b.0 { return !a.0 }
                if a.1 != b.1 { return a.1 < b.1 }
                if a.2 != b.2 { return a.2 < b.2 }
                return a.3 < b.3
            }
            return ranked.prefix(max(pool.pick, 0)).map(\.4)
        }
    }
}
