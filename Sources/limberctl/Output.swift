import Foundation
import LimberCore

#if canImport(Glibc)
import Glibc
#endif

/// A JSON value with keys in the order given (limberctl's documented
/// shapes keep a stable order), printed on one line.
indirect enum JSON {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func time(_ d: Date?) -> JSON { d.map { .int(Int64($0.timeIntervalSince1970.rounded())) } ?? .null }
    static func strings(_ s: [String]) -> JSON { .array(s.map(JSON.string)) }
    static func optional(_ s: String) -> JSON { s.isEmpty ? .null : .string(s) }

    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): Self.quote(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += "," }
                Self.quote(k, into: &out)
                out += ":"
                v.write(to: &out)
            }
            out += "}"
        }
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || (0x7f...0x9f).contains(u.value) || SafeText.isControl(u) {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

/// Terminal output: color only on a terminal, never with NO_COLOR set
/// (https://no-color.org) or TERM=dumb.
enum Terminal {
    static let color: Bool = {
        let env = ProcessInfo.processInfo.environment
        if let n = env["NO_COLOR"], !n.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(1) == 1
    }()

    static func paint(_ s: String, _ code: String) -> String { color ? "\u{1b}[\(code)m\(s)\u{1b}[0m" : s }
    static func bold(_ s: String) -> String { paint(s, "1") }
    static func dim(_ s: String) -> String { paint(s, "2") }
    static func red(_ s: String) -> String { paint(s, "1;31") }
    static func green(_ s: String) -> String { paint(s, "32") }
    static func yellow(_ s: String) -> String { paint(s, "33") }
    static func cyan(_ s: String) -> String { paint(s, "36") }

    /// Prints a line and flushes (stdout is buffered when it is a pipe).
    /// Every line limberctl prints goes through `clean`.
    static func line(_ s: String) {
        FileHandle.standardOutput.write(Data((clean(s) + "\n").utf8))
    }

    static func error(_ s: String) {
        FileHandle.standardError.write(Data(("limberctl: " + clean(s) + "\n").utf8))
    }

    /// Writes to stderr as it is, but clean.
    static func toStderr(_ s: String) {
        FileHandle.standardError.write(Data(clean(s).utf8))
    }

    /// Text from programs, notes and the daemon made safe for a terminal
    /// (SafeText.terminal: no escape sequence, no C1, no bidi override).
    /// With colour on, the colour codes `paint` makes (CSI n m, nothing
    /// else) are kept; anything else starting with ESC loses its ESC.
    static func clean(_ s: String) -> String {
        guard color, s.unicodeScalars.contains("\u{1b}") else { return SafeText.terminal(s) }
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let u = scalars[i]
            if u == "\u{1b}", i + 2 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j < scalars.count, j - i < 8, scalars[j] == ";" || ("0"..."9").contains(scalars[j]) { j += 1 }
                if j < scalars.count, j > i + 2, scalars[j] == "m" {
                    out.append(contentsOf: scalars[i...j])
                    i = j + 1
                    continue
                }
            }
            if u == "\n" || u == "\t" || !SafeText.isControl(u) { out.append(u) }
            i += 1
        }
        return String(out)
    }
}

/// Times as people read them, in the user's locale.
enum Clock {
    /// "14:32" (local time): for JSON and machine-read fields, never localized.
    static func hhmm(_ d: Date) -> String {
        let c = Calendar.current.dateComponents([.hour, .minute], from: d)
        return Localizer.time24(c.hour ?? 0, c.minute ?? 0)
    }

    /// "14:32" or "2:32 PM" (the user's locale).
    static func local(_ d: Date) -> String {
        let c = Calendar.current.dateComponents([.hour, .minute], from: d)
        return localTime(hour: c.hour ?? 0, minute: c.minute ?? 0)
    }

    /// "14:32" today (relative to `now`), else "Tue 14:32", else "2026-11-21 14:32".
    static func short(_ d: Date, now: Date) -> String {
        let cal = Calendar.current
        if cal.isDate(d, inSameDayAs: now) { return local(d) }
        if abs(d.timeIntervalSince(now)) < 6 * 86_400 {
            let wd = Weekday(rawValue: cal.component(.weekday, from: d)) ?? .monday
            return wd.localizedShort + " " + local(d)
        }
        let c = cal.dateComponents([.year, .month, .day], from: d)
        let ymd = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        return ymd + " " + local(d)
    }

    /// "12m", "1h5m", "<1m", "now": how long until `d`.
    static func left(_ d: Date, now: Date) -> String {
        let secs = Int64(d.timeIntervalSince(now).rounded(.up))
        if secs <= 0 { return tr("now") }
        if secs < 60 { return "<" + tr("{minutes} min", ["minutes": "1"]) }
        let minutes = (secs + 59) / 60
        return DurationText.spoken(.seconds(minutes * 60))
    }
}
