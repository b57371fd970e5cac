import Foundation
import Synchronization

/// Wall-clock arithmetic in one time zone. A value: the time zone is an
/// input of the core (it changes with a `.timeZoneChanged` event), never read
/// from the system here.
public struct LocalCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar
    /// Foundation's calendar arithmetic costs microseconds a call; the
    /// engine asks the same few questions (this day's start, 09:00 today)
    /// for every rule. Answers are memoised per day: exact, since they
    /// depend only on the time zone, which a LocalCalendar never changes.
    private let memo = DayMemo()

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        c.firstWeekday = 2
        self.calendar = c
    }

    /// The day (its start and the next day's start) holding `date`.
    private func day(_ date: Date) -> DayMemo.Day {
        if let d = memo.day(containing: date) { return d }
        let interval = calendar.dateInterval(of: .day, for: date)
            ?? DateInterval(start: calendar.startOfDay(for: date), duration: 86_400)
        let comps = calendar.dateComponents([.year, .month, .day, .weekday], from: interval.start)
        let key = Self.pad4(comps.year ?? 0) + "-" + Self.pad2(comps.month ?? 0) + "-" + Self.pad2(comps.day ?? 0)
        let d = DayMemo.Day(start: interval.start, end: interval.end, key: key,
                            weekday: Weekday(rawValue: comps.weekday ?? 2) ?? .monday)
        memo.insert(d)
        return d
    }

    public func startOfDay(_ date: Date) -> Date { day(date).start }

    /// The start of the day `n` days after the one holding `date`.
    public func startOfDay(_ date: Date, addingDays n: Int) -> Date {
        var d = day(date)
        if abs(n) > 31 {
            // Far: let Foundation step (noon avoids DST edges), then snap.
            let noon = calendar.date(byAdding: .hour, value: 12, to: d.start) ?? d.start
            return startOfDay(calendar.date(byAdding: .day, value: n, to: noon) ?? noon)
        }
        for _ in 0..<max(n, 0) { d = day(d.end) }
        for _ in 0..<max(-n, 0) { d = day(d.start.addingTimeInterval(-1)) }
        return d.start
    }

    public func weekday(_ date: Date) -> Weekday { day(date).weekday }

    /// "2026-11-21": a local calendar day, for per-day counters.
    public func dayKey(_ date: Date) -> String { day(date).key }

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
        if let known = memo.time(start, time.minuteOfDay) { return known }
        let d = computeDate(start: start, at: time)
        memo.insertTime(start, time.minuteOfDay, d)
        return d
    }

    private func computeDate(start: Date, at time: TimeOfDay) -> Date {
        let day = start
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

/// LocalCalendar's memo: recent days, and times of day on them. Bounded,
/// locked (an Engine value may be copied across threads).
final class DayMemo: Sendable {
    struct Day: Sendable {
        var start: Date
        var end: Date
        var key: String
        var weekday: Weekday
    }

    private struct Store {
        var days: [Day] = []
        var times: [TimeKey: Date] = [:]
    }

    private struct TimeKey: Hashable {
        var day: Date
        var minute: Int
    }

    private let store = Mutex(Store())
    private static let maxDays = 16
    private static let maxTimes = 1024

    func day(containing date: Date) -> Day? {
        store.withLock { s in s.days.first { $0.start <= date && date < $0.end } }
    }

    func insert(_ day: Day) {
        store.withLock { s in
            if s.days.count >= Self.maxDays { s.days.removeFirst() }
            s.days.append(day)
        }
    }

    func time(_ day: Date, _ minute: Int) -> Date? {
        store.withLock { $0.times[TimeKey(day: day, minute: minute)] }
    }

    func insertTime(_ day: Date, _ minute: Int, _ date: Date) {
        store.withLock { s in
            if s.times.count >= Self.maxTimes { s.times.removeAll(keepingCapacity: true) }
            s.times[TimeKey(day: day, minute: minute)] = date
        }
    }
}
