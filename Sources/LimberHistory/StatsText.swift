import Foundation
import LimberCore

/// Plain-text rendering of `Stats` for `limberctl stats`: a summary and a
/// bar per day. No terminal library: `color` adds ANSI colors, `unicode`
/// picks block characters over ASCII.
public struct StatsText: Sendable {
    public var width: Int
    public var color: Bool
    public var unicode: Bool

    public init(width: Int = 30, color: Bool = false, unicode: Bool = true) {
        self.width = max(5, width)
        self.color = color
        self.unicode = unicode
    }

    var marks: (done: Character, notDone: Character, missed: Character, open: Character) {
        unicode ? ("█", "▒", "░", "·") : ("#", "x", ".", "-")
    }

    func paint(_ s: String, _ code: String) -> String {
        color && !s.isEmpty ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    /// One line per day: a stacked bar scaled to the busiest day, then
    /// "done/shown". Done, then skipped/dismissed/expired, then missed, then open.
    public func barChart(_ stats: Stats) -> String {
        let peak = max(1, stats.days.map(\.counts.occurrences).max() ?? 0)
        let m = marks
        var lines: [String] = []
        for d in stats.days {
            let c = d.counts
            let segments = [c.done, c.skipped + c.dismissed + c.expired, c.missed, c.open]
            // Scale by cumulative sums so the bar's length is exact.
            var cells: [Int] = []
            var acc = 0, drawn = 0
            for s in segments {
                acc += s
                let end = Int((Double(acc) * Double(width) / Double(peak)).rounded())
                cells.append(end - drawn)
                drawn = end
            }
            let bar = paint(String(repeating: m.done, count: cells[0]), "32")
                + paint(String(repeating: m.notDone, count: cells[1]), "33")
                + paint(String(repeating: m.missed, count: cells[2]), "31")
                + paint(String(repeating: m.open, count: cells[3]), "2")
            let pad = String(repeating: " ", count: width - drawn)
            let label = Self.weekday(d.day) + " \(d.day)"
            var parts: [String] = []
            if c.shown > 0 { parts.append(tr("{done}/{shown} done", ["done": String(c.done), "shown": String(c.shown)])) }
            if c.missed > 0 { parts.append(tr("{n} missed", ["n": String(c.missed)])) }
            let tail = parts.isEmpty ? "" : " " + parts.joined(separator: ", ")
            lines.append("\(label) |\(bar)\(pad)|\(tail)")
        }
        lines.append("  \(m.done) " + tr("done") + "  \(m.notDone) " + tr("skipped/dismissed/expired")
                     + "  \(m.missed) " + tr("missed while away") + "  \(m.open) " + tr("open"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The whole `limberctl stats` page: totals, rules, exercises, streaks,
    /// activity, then the chart.
    public func render(_ stats: Stats) -> String {
        var out = tr("limber stats, {from} to {through} ({period})", [
            "from": "\(stats.period.from)", "through": "\(stats.period.through)", "period": Self.periodName(stats.period.kind),
        ]) + "\n\n"
        let t = stats.totals
        out += tr("Reminders: {due} due, {shown} shown, {done} done ({percent} of shown), {skipped} skipped, {dismissed} dismissed, {expired} expired, {missed} missed while away", [
            "due": String(t.occurrences), "shown": String(t.shown), "done": String(t.done), "percent": Self.percent(t.adherence),
            "skipped": String(t.skipped), "dismissed": String(t.dismissed), "expired": String(t.expired), "missed": String(t.missed),
        ])
            + (t.open > 0 ? ", " + tr("{n} open", ["n": String(t.open)]) : "")
            + "; " + tr("{snoozes} snoozes, {catchups} catch-ups", ["snoozes": String(t.snoozes), "catchups": String(t.catchUps)]) + "\n"
        let streak = trn("{n} day", "{n} days", stats.streaks.current, ["n": String(stats.streaks.current)])
        out += (stats.streaks.bestEnded.map {
            tr("Streak: {days} now, best {best} (to {day})", ["days": streak, "best": String(stats.streaks.best), "day": "\($0)"])
        } ?? tr("Streak: {days} now, best {best}", ["days": streak, "best": String(stats.streaks.best)])) + "\n"
        if stats.activity.map({ $0.activeSeconds <= 0 }) ?? true {
            out += tr("Active time unknown: no idle source recorded it (limberctl plugins; docs/plugins.md says what your desktop needs)") + "\n"
        }
        if let a = stats.activity, a.activeSeconds > 0 {
            let recorded = trn("over {n} day recorded", "over {n} days recorded", a.days, ["n": String(a.days)])
            out += tr("Active {active}, breaks {breaks}", ["active": Self.hours(a.activeSeconds), "breaks": Self.hours(a.breakSeconds)])
                + (a.breakShare.map { " (" + tr("{percent}% of the time on breaks", ["percent": localNumber($0 * 100, fractionDigits: 0)]) + ")" } ?? "")
                + " " + recorded + "\n"
        }
        if !stats.rules.isEmpty {
            out += "\n" + tr("Per reminder:") + "\n"
            let w = stats.rules.map(\.rule.count).max() ?? 0
            for r in stats.rules {
                let c = r.counts
                out += "  " + r.rule.padding(toLength: w, withPad: " ", startingAt: 0)
                    + "  \(Self.percent(c.adherence).leftPad(4))  " + tr("{done}/{shown} done", ["done": String(c.done), "shown": String(c.shown)])
                    + (c.missed > 0 ? ", " + tr("{n} missed", ["n": String(c.missed)]) : "") + "\n"
            }
        }
        if !stats.exercises.isEmpty {
            out += "\n" + tr("Per exercise:") + "\n"
            let w = stats.exercises.map(\.name.count).max() ?? 0
            for e in stats.exercises {
                out += "  " + e.name.padding(toLength: w, withPad: " ", startingAt: 0)
                    + "  " + tr("{done} done of {offered} offered", ["done": String(e.done).leftPad(3), "offered": String(e.offered)]) + "\n"
            }
        }
        out += "\n" + barChart(stats)
        return out
    }

    static func percent(_ v: Double?) -> String {
        guard let v else { return "-" }
        return localNumber(v * 100, fractionDigits: 0) + "%"
    }

    static func hours(_ seconds: Double) -> String {
        let m = Int((seconds / 60).rounded())
        return m >= 60 ? tr("{h} h {m} min", ["h": String(m / 60), "m": String(m % 60)]) : tr("{m} min", ["m": String(m)])
    }

    /// The day's short weekday name in the user's language, padded to the
    /// longest one so the bars start in one column.
    static func weekday(_ day: Day) -> String {
        let width = Day.weekdayNames.map { tr($0).count }.max() ?? 3
        let name = tr(day.weekdayShort)
        return name + String(repeating: " ", count: max(0, width - name.count))
    }

    /// "week", "month" or a day ("2026-03-01": from that day on), as a person reads it.
    static func periodName(_ kind: String) -> String {
        switch kind {
        case "week": return tr("week")
        case "month": return tr("month")
        case "since": return tr("since")
        default: return kind
        }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
