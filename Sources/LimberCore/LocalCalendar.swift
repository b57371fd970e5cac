import Foundation

/// Wall-clock arithmetic in one time zone. A value: the time zone is an
/// input of the core (it changes with a `.timeZoneChanged` event), never read
/// from the system here.
public struct LocalCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        c.firstWeekday = 2
        self.calendar = c
    }

    public func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// The start of the day `n` days after the one holding `date`.
    public func startOfDay(_ date: Date, addingDays n: Int) -> Date {
        let start = calendar.startOfDay(for: date)
        guard n != 0 else { return start }
        // Noon avoids DST edges when stepping days.
        let noon = calendar.date(byAdding: .hour, value: 12, to: start) ?? start
        let moved = calendar.date(byAdding: .day, value: n, to: noon) ?? noon
        return calendar.startOfDay(for: moved)
    }

    public func weekday(_ date: Date) -> Weekday {
        Weekday(rawValue: calendar.component(.weekday, from: date)) ?? .monday
    }

    /// "2026-11-21": a local calendar day, for per-day counters.
    public func dayKey(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return Self.pad4(c.year ?? 0) + "-" + Self.pad2(c.month ?? 0) + "-" + Self.pad2(c.day ?? 0)
    }

    /// "2026-11-21 12:30": one occurrence of a fixed time.
    public func occurrenceKey(day: Date, at time: TimeOfDay) -> String {
        dayKey(day) + " " + time.description
    }

    /// Whole calendar days from the day of `from` to the day of `to`.
    public func daysBetween(_ from: Date, _ to: Date) -> Int {
        let a = startOfDay(from), b = startOfDay(to)
        return calendar.dateComponents([.day], from: a, to: b).day ?? 0
    }

    /// The instant of a wall-clock time on the day holding `day`. A time that
    /// does not exist (the hour skipped when DST starts) moves to the next
    /// valid instant; a time that happens twice (DST ends) is the first.
    public func date(on day: Date, at time: TimeOfDay) -> Date {
        let start = startOfDay(day)
        if time.hour == 24 { return startOfDay(day, addingDays: 1) }
        var comps = calendar.dateComponents([.year, .month, .day], from: start)
        comps.hour = time.hour
        comps.minute = time.minute
        comps.second = 0
        if let d = calendar.date(from: comps), calendar.component(.hour, from: d) == time.hour,
           calendar.component(.minute, from: d) == time.minute {
            // Ambiguous times: Foundation may pick either; take the earlier.
            let earlier = d.addingTimeInterval(-3600)
            if calendar.component(.hour, from: earlier) == time.hour,
               calendar.component(.minute, from: earlier) == time.minute,
               calendar.isDate(earlier, inSameDayAs: d) {
                return earlier
            }
            return d
        }
        // Skipped time: the next valid instant after the gap.
        return calendar.nextDate(after: start, matching: DateComponents(hour: time.hour, minute: time.minute),
                                 matchingPolicy: .nextTime) ?? start
    }

    /// The minute of the day (local) of an instant.
    public func minuteOfDay(_ date: Date) -> Int {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return (c.hour ?? 0) * 60 + (c.minute ?? 0)
    }

    /// The window occurrence (start, end) that holds `date`, if any.
    /// `days` filters by the weekday on which the window starts.
    public func occurrence(of window: DayWindow, containing date: Date, days: Set<Weekday> = Weekday.everyDay) -> (start: Date, end: Date)? {
        for offset in [-1, 0] {
            let day = startOfDay(date, addingDays: offset)
            guard days.contains(weekday(day)) else { continue }
            let s = self.date(on: day, at: window.start)
            let e = window.crossesMidnight ? self.date(on: startOfDay(day, addingDays: 1), at: window.end)
                                           : self.date(on: day, at: window.end)
            if s <= date && date < e { return (s, e) }
        }
        return nil
    }

    /// The first window occurrence that ends after `date` (it may hold
    /// `date`), looking ahead up to two weeks.
    public func nextOccurrence(of window: DayWindow, after date: Date, days: Set<Weekday> = Weekday.everyDay) -> (start: Date, end: Date)? {
        if let now = occurrence(of: window, containing: date, days: days) { return now }
        for offset in 0...14 {
            let day = startOfDay(date, addingDays: offset)
            guard days.contains(weekday(day)) else { continue }
            let s = self.date(on: day, at: window.start)
            let e = window.crossesMidnight ? self.date(on: startOfDay(day, addingDays: 1), at: window.end)
                                           : self.date(on: day, at: window.end)
            if s > date { return (s, e) }
        }
        return nil
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func pad4(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
