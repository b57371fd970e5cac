import Foundation

/// A calendar day in the user's time zone: "2025-03-14". Stats, streaks and
/// the activity table count in these.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day on which `date` falls in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let c = Day.calendar(timeZone).dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// Parses "YYYY-MM-DD"; nil for anything else or an impossible date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
        // Reject 2025-02-30 and the like: it must survive a round trip.
        let utc = TimeZone(identifier: "UTC")!
        guard Day(start(in: utc), in: utc) == self else { return nil }
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Midnight at the start of this day in `timeZone` (or the first instant
    /// of the day where midnight does not exist).
    public func start(in timeZone: TimeZone) -> Date {
        let cal = Day.calendar(timeZone)
        let comps = DateComponents(year: year, month: month, day: day)
        return cal.date(from: comps).map { cal.startOfDay(for: $0) } ?? Date(timeIntervalSince1970: 0)
    }

    /// The day `n` days later (earlier for negative n).
    public func adding(days n: Int) -> Day {
        // Noon UTC keeps daylight-saving changes out of day arithmetic.
        let utc = TimeZone(identifier: "UTC")!
        let noon = start(in: utc).addingTimeInterval(12 * 3600 + Double(n) * 86_400)
        return Day(noon, in: utc)
    }

    /// Whole days from `self` to `other` (positive when other is later).
    public func days(to other: Day) -> Int {
        let utc = TimeZone(identifier: "UTC")!
        return Int(((other.start(in: utc).timeIntervalSince(start(in: utc))) / 86_400).rounded())
    }

    /// Short weekday name ("Mon") of this day.
    public var weekdayShort: String {
        let utc = TimeZone(identifier: "UTC")!
        let wd = Day.calendar(utc).component(.weekday, from: start(in: utc))
        return Day.weekdayNames[(wd - 1) % 7]
    }

    /// Short weekday names, Sunday first (English; `tr(name)` translates one).
    public static let weekdayNames = [
        trMark("Sun"), trMark("Mon"), trMark("Tue"), trMark("Wed"), trMark("Thu"), trMark("Fri"), trMark("Sat"),
    ]

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a YYYY-MM-DD day: \(s)")
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal
    }
}
