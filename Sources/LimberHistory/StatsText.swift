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
            let label = "\(d.day.weekdayShort) \(d.day)"
            var parts: [String] = []
            if c.shown > 0 { parts.append("\(c.done)/\(c.shown) done") }
            if c.missed > 0 { parts.append("\(c.missed) missed") }
            let tail = parts.isEmpty ? "" : " " + parts.joined(separator: ", ")
            lines.append("\(label) |\(bar)\(pad)|\(tail)")
        }
        lines.append("  \(m.done) done  \(m.notDone) skipped/dismissed/expired  \(m.missed) missed while away  \(m.open) open")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The whole `limberctl stats` page: totals, rules, exercises, streaks,
    /// activity, then the chart.
    public func render(_ stats: Stats) -> String {
        var out = "limber stats, \(stats.period.from) to \(stats.period.through) (\(stats.period.kind))\n\n"
        let t = stats.totals
        out += "Reminders: \(t.occurrences) due, \(t.shown) shown, \(t.done) done (\(Self.percent(t.adherence)) of shown), "
            + "\(t.skipped) skipped, \(t.dismissed) dismissed, \(t.expired) expired, \(t.missed) missed while away"
            + (t.open > 0 ? ", \(t.open) open" : "") + "; \(t.snoozes) snoozes, \(t.catchUps) catch-ups\n"
        out += "Streak: \(stats.streaks.current) day\(stats.streaks.current == 1 ? "" : "s") now, best \(stats.streaks.best)"
            + (stats.streaks.bestEnded.map { " (to \($0))" } ?? "") + "\n"
        if stats.activity.map({ $0.activeSeconds <= 0 }) ?? true {
            out += "Active time unknown: no idle source recorded it (limberctl plugins; docs/plugins.md says what your desktop needs)\n"
        }
        if let a = stats.activity, a.activeSeconds > 0 {
            out += "Active \(Self.hours(a.activeSeconds)), breaks \(Self.hours(a.breakSeconds))"
                + (a.breakShare.map { " (" + tr("{percent}% of the time on breaks", ["percent": localNumber($0 * 100, fractionDigits: 0)]) + ")" } ?? "")
                + " over \(a.days) day\(a.days == 1 ? "" : "s") recorded\n"
        }
        if !stats.rules.isEmpty {
            out += "\nPer reminder:\n"
            let w = stats.rules.map(\.rule.count).max() ?? 0
            for r in stats.rules {
                let c = r.counts
                out += "  " + r.rule.padding(toLength: w, withPad: " ", startingAt: 0)
                    + "  \(Self.percent(c.adherence).leftPad(4))  \(c.done)/\(c.shown) done"
                    + (c.missed > 0 ? ", \(c.missed) missed" : "") + "\n"
            }
        }
        if !stats.exercises.isEmpty {
            out += "\nPer exercise:\n"
            let w = stats.exercises.map(\.name.count).max() ?? 0
            for e in stats.exercises {
                out += "  " + e.name.padding(toLength: w, withPad: " ", startingAt: 0)
                    + "  \(String(e.done).leftPad(3)) done of \(e.offered) offered\n"
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
        return m >= 60 ? "\(m / 60) h \(m % 60) min" : "\(m) min"
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
