/// Human durations: "45m", "1h30m", "90s", "2h", "1d". Used by program files,
/// limber.toml, limberctl and the D-Bus API alike.
public enum DurationText {
    /// Parses a human duration. Returns nil for anything that is not one
    /// (empty, negative, unknown unit, overflowing).
    public static func parse(_ text: String) -> Duration? {
        let s = text.trimmingWhitespace().lowercased()
        guard !s.isEmpty else { return nil }
        var total: Int64 = 0
        var number: Int64? = nil
        var sawUnit = false
        var chars = Array(s.unicodeScalars)
        // Allow "90" alone to mean seconds? No: a unit is required, so "45" is
        // rejected with a message that says how to write it.
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " { i += 1; continue }
            if let d = c.properties.numericType, d == .decimal, let v = Int64(String(c)) {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(v)
                if o1 || o2 || a > 10_000_000 { return nil }
                number = a
                i += 1
                continue
            }
            guard let n = number else { return nil }
            // unit: read letters
            var unit = ""
            while i < chars.count, chars[i].properties.isAlphabetic {
                unit.unicodeScalars.append(chars[i]); i += 1
            }
            let seconds: Int64
            switch unit {
            case "s", "sec", "secs", "second", "seconds": seconds = 1
            case "m", "min", "mins", "minute", "minutes": seconds = 60
            case "h", "hr", "hrs", "hour", "hours": seconds = 3600
            case "d", "day", "days": seconds = 86_400
            default: return nil
            }
            let (p, o) = n.multipliedReportingOverflow(by: seconds)
            if o { return nil }
            let (t, o2) = total.addingReportingOverflow(p)
            if o2 { return nil }
            total = t
            number = nil
            sawUnit = true
        }
        if number != nil || !sawUnit { return nil }
        // A year is more than any reminder needs; larger values are mistakes.
        guard total <= 366 * 86_400 else { return nil }
        chars.removeAll()
        return .seconds(total)
    }

    /// Formats a duration the way a person writes it: "45m", "1h30m", "90s" → "1m30s".
    public static func format(_ d: Duration) -> String {
        var secs = d.wholeSeconds
        if secs <= 0 { return "0s" }
        var out = ""
        let days = secs / 86_400; secs %= 86_400
        let hours = secs / 3600; secs %= 3600
        let minutes = secs / 60; secs %= 60
        if days > 0 { out += "\(days)d" }
        if hours > 0 { out += "\(hours)h" }
        if minutes > 0 { out += "\(minutes)m" }
        if secs > 0 { out += "\(secs)s" }
        return out
    }

    /// "12 min", "1 h 5 min": for status lines, in the user's language.
    public static func spoken(_ d: Duration) -> String {
        let mins = Int((d.seconds / 60).rounded(.up))
        if mins < 1 { return tr("now") }
        if mins < 60 { return tr("{minutes} min", ["minutes": String(mins)]) }
        let h = mins / 60, m = mins % 60
        return m == 0 ? tr("{hours} h", ["hours": String(h)])
            : tr("{hours} h {minutes} min", ["hours": String(h), "minutes": String(m)])
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
    /// Whole seconds, rounded toward zero.
    public var wholeSeconds: Int64 { components.seconds }

    public static func minutes(_ n: Int) -> Duration { .seconds(Int64(n) * 60) }
    public static func hours(_ n: Int) -> Duration { .seconds(Int64(n) * 3600) }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
