/// Human durations: "45m", "1h30m", "90s", "2h", "1d". Used by program files,
/// limber.toml, limberctl and the D-Bus API alike.
public enum DurationText {
    /// Parses a human duration (see `problem(_:)` for why one is refused).
    /// The one grammar for durations in program files, limber.toml,
    /// limberctl and the D-Bus API (docs/program-format.md, "Values"):
    ///
    /// - one or more parts, each a number and a unit: `45m`, `1h30m`, `1 h 30 min`;
    /// - the number may have a decimal point where it makes whole seconds: `1.5h`, `0.5m`;
    /// - units, in any case: `s` `sec` `secs` `second` `seconds`, `m` `min` `mins`
    ///   `minute` `minutes`, `h` `hr` `hrs` `hour` `hours`, `d` `day` `days`;
    /// - each unit at most once, larger units first (`1h1h` and `30m1h` are refused);
    /// - spaces around the whole and between number, unit and parts are ignored;
    /// - at most 366 days.
    public static func parse(_ text: String) -> Duration? {
        if case .success(let d) = read(text) { return d }
        return nil
    }

    /// Why a text is not a duration ("it has no unit"); nil when it is one.
    /// Messages add `hint`, which shows the right form.
    public static func reason(_ text: String) -> String? {
        if case .failure(let why) = read(text) { return why.message }
        return nil
    }

    /// How to write a duration, for messages.
    public static var hint: String { tr("write a number and a unit, like \"45m\", \"1h30m\", \"1.5h\" or \"90 min\"") }

    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }

    static let units: [(names: [String], seconds: Int64)] = [
        (["d", "day", "days"], 86_400),
        (["h", "hr", "hrs", "hour", "hours"], 3600),
        (["m", "min", "mins", "minute", "minutes"], 60),
        (["s", "sec", "secs", "second", "seconds"], 1),
    ]

    static func read(_ text: String) -> Result<Duration, Problem> {
        func fail(_ why: String) -> Result<Duration, Problem> {
            .failure(Problem(message: why))
        }
        let chars = Array(text.lowercased().unicodeScalars)
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        skipSpaces()
        guard i < chars.count else { return fail(tr("it is empty")) }
        var totalMilli: Int64 = 0
        var lastRank = -1
        while i < chars.count {
            // The number: digits, optionally a decimal point and more digits.
            var whole: Int64 = 0, frac: Int64 = 0, fracDigits = 0, digits = 0
            var sawPoint = false
            while i < chars.count {
                let c = chars[i]
                if c == "." && !sawPoint { sawPoint = true; i += 1; continue }
                guard c.value >= 48 && c.value <= 57 else { break }
                let v = Int64(c.value - 48)
                if sawPoint {
                    if fracDigits < 3 { frac = frac * 10 + v; fracDigits += 1 } else if v != 0 { return fail(tr("too many decimals")) }
                } else {
                    whole = whole * 10 + v
                    if whole > 100_000_000 { return fail(tr("it is far too long")) }
                }
                digits += 1
                i += 1
            }
            if digits == 0 {
                if i < chars.count, chars[i] == "-" { return fail(tr("it is negative")) }
                return fail(lastRank < 0 ? tr("it does not start with a number") : tr("each unit needs a number before it"))
            }
            skipSpaces()
            var unit = ""
            while i < chars.count, chars[i].properties.isAlphabetic { unit.unicodeScalars.append(chars[i]); i += 1 }
            if unit.isEmpty { return fail(i < chars.count ? tr("the number has no unit") : tr("the number at the end has no unit")) }
            guard let rank = units.firstIndex(where: { $0.names.contains(unit) }) else {
                return fail(tr("'{unit}' is not a unit (s, m, h or d)", ["unit": unit]))
            }
            if rank == lastRank { return fail(tr("'{unit}' is given twice", ["unit": unit])) }
            if rank < lastRank { return fail(tr("larger units come first, like \"1h30m\"")) }
            lastRank = rank
            while fracDigits < 3 { frac *= 10; fracDigits += 1 }
            let milli = (whole * 1000 + frac) * units[rank].seconds
            guard milli % 1000 == 0 else { return fail(tr("it is not a whole number of seconds")) }
            totalMilli += milli
            guard totalMilli <= 366 * 86_400 * 1000 else { return fail(tr("it is longer than a year")) }
            skipSpaces()
        }
        return .success(.seconds(totalMilli / 1000))
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

extension DurationText {
    /// A duration as people write it in prose: "30 s", "3 min", "1 min 30 s",
    /// "2 h", "1 h 30 min", "1 day". Used wherever a person reads a dose or a
    /// snooze ("3m" reads as metres).
    public static func readable(_ d: Duration) -> String {
        var secs = d.wholeSeconds
        if secs <= 0 { return tr("{seconds} s", ["seconds": "0"]) }
        let days = secs / 86_400; secs %= 86_400
        let hours = secs / 3600; secs %= 3600
        let minutes = secs / 60; secs %= 60
        var parts: [String] = []
        if days > 0 { parts.append(trn("{n} day", "{n} days", Int(days), ["n": String(days)])) }
        if hours > 0 { parts.append(tr("{hours} h", ["hours": String(hours)])) }
        if minutes > 0 { parts.append(tr("{minutes} min", ["minutes": String(minutes)])) }
        if secs > 0 { parts.append(tr("{seconds} s", ["seconds": String(secs)])) }
        return parts.joined(separator: " ")
    }
}
