/// A wall-clock time of day, minute precision: "12:30".
public struct TimeOfDay: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0 else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// How to write a time of day, for messages.
    public static var hint: String { tr("write a 24-hour time like \"09:30\" or \"9:30\"") }


    /// Parses "HH:MM" or "H:MM" (24-hour clock; "24:00" is the end of the
    /// day), spaces around it ignored. The one grammar for times in files
    /// and over D-Bus (docs/program-format.md, "Values").
    public init?(_ text: String) {
        let parts = text.trimmingWhitespace().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(hour: h, minute: m)
    }

    /// Minutes since midnight.
    public var minuteOfDay: Int { hour * 60 + minute }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minuteOfDay < b.minuteOfDay }
}

/// A daily window of wall-clock time, "09:00-17:30". A window whose end is
/// before its start crosses midnight ("22:00-07:00").
public struct DayWindow: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: TimeOfDay
    public var end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }

    /// Parses "HH:MM-HH:MM".
    public init?(_ text: String) {
        // "09:00-18:00", spaces allowed around the dash.
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let s = TimeOfDay(String(parts[0])), let e = TimeOfDay(String(parts[1])),
              s != e else { return nil }
        self.init(start: s, end: e)
    }

    public static let wholeDay = DayWindow(start: TimeOfDay(hour: 0, minute: 0)!, end: TimeOfDay(hour: 24, minute: 0)!)

    public var crossesMidnight: Bool { end < start }

    /// Whether a minute of the day falls inside the window.
    public func contains(minuteOfDay m: Int) -> Bool {
        if crossesMidnight { return m >= start.minuteOfDay || m < end.minuteOfDay }
        return m >= start.minuteOfDay && m < end.minuteOfDay
    }

    /// Length in minutes.
    public var lengthMinutes: Int {
        crossesMidnight ? (24 * 60 - start.minuteOfDay + end.minuteOfDay) : (end.minuteOfDay - start.minuteOfDay)
    }

    public var description: String { "\(start)-\(end)" }
}

/// Days of the week, in the user's words.
public enum Weekday: Int, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    // Matches Foundation's Calendar weekday numbering (1 = Sunday).
    case sunday = 1, monday, tuesday, wednesday, thursday, friday, saturday

    /// Parses "mon", "Monday", "tue", ...
    public init?(_ text: String) {
        let t = text.trimmingWhitespace().lowercased()
        guard t.count >= 3 else { return nil }
        for d in Weekday.allCases where d.name.hasPrefix(t) || String(d.name.prefix(3)) == t {
            self = d
            return
        }
        return nil
    }

    public var name: String {
        switch self {
        case .sunday: "sunday"
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        }
    }

    public var short: String { String(name.prefix(3)) }
    public var description: String { short }

    public static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    public static let everyDay: Set<Weekday> = Set(Weekday.allCases)

    public static func < (a: Weekday, b: Weekday) -> Bool {
        // Monday-first ordering for display.
        ((a.rawValue + 5) % 7) < ((b.rawValue + 5) % 7)
    }
}

// Times and days as the user's locale writes them (Localization.swift).
extension TimeOfDay {
    /// "14:05" or "2:05 PM".
    public var localized: String { localTime(hour: hour, minute: minute) }
}

extension DayWindow {
    /// "09:00–17:00" or "9:00 AM–5:00 PM".
    public var localized: String { start.localized + "–" + end.localized }
}

extension Weekday {
    /// "Mon", "Mo", "lun", in the user's language.
    public var localizedShort: String {
        switch self {
        case .sunday: tr("Sun")
        case .monday: tr("Mon")
        case .tuesday: tr("Tue")
        case .wednesday: tr("Wed")
        case .thursday: tr("Thu")
        case .friday: tr("Fri")
        case .saturday: tr("Sat")
        }
    }

    /// "Monday", "Montag", "lunes", in the user's language.
    public var localizedName: String {
        switch self {
        case .sunday: tr("Sunday")
        case .monday: tr("Monday")
        case .tuesday: tr("Tuesday")
        case .wednesday: tr("Wednesday")
        case .thursday: tr("Thursday")
        case .friday: tr("Friday")
        case .saturday: tr("Saturday")
        }
    }

    /// "mon, wed, fri" localized; "every day" and "Monday to Friday" in words.
    public static func localizedList(_ days: Set<Weekday>) -> String {
        if days == everyDay { return tr("every day") }
        if days == workdays { return tr("Monday to Friday") }
        return days.sorted().map(\.localizedShort).joined(separator: ", ")
    }
}
