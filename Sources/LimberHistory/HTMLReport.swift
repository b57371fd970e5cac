import Foundation
import LimberCore

/// `limberctl report --html FILE`: one self-contained page (no scripts, no
/// external resources) with inline SVG charts of daily adherence and the
/// pain trend, summary tables, and the disclaimer.
public enum HTMLReport {
    public static var disclaimer: String {
        tr("This page is a log of movement reminders and self-reported pain kept by limber. It is not a diagnosis and not medical advice. Seek urgent care for loss of bladder or bowel control, numbness in the saddle area, foot drop, or leg weakness that is getting worse.")
    }

    /// Red flags first, with their dates: what a clinician must see before
    /// anything else. Empty when none was reported in the period.
    /// A flag chosen in the check-in notification has no check-in row (no
    /// pain was given): its `red_flag_event` is listed instead.
    static func redFlagSection(_ checkIns: [StoredCheckIn], events: [RedFlagEvent] = [], format f: DateFormatter) -> String {
        var rows: [(at: Date, text: String)] = checkIns.map(\.checkIn).filter { !$0.redFlags.isEmpty }.map { c in
            (c.at, c.redFlags.map(\.label).joined(separator: "; ") + " (" + tr("pain {pain}/10", ["pain": String(c.pain)]) + ")")
        }
        for e in events where e.kind == .raised && e.source == "notification" && !e.flags.isEmpty {
            rows.append((e.at, e.flags.map(\.label).joined(separator: "; ") + " (" + tr("chosen in the check-in notification") + ")"))
        }
        guard !rows.isEmpty else { return "" }
        var h = "<h2 class=\"flag\" id=\"red-flags\">" + esc(tr("Red flags reported")) + "</h2>\n<ul class=\"flag\">\n"  // l10n: not ui
        for r in rows.sorted(by: { $0.at < $1.at }) {
            h += "<li>\(esc(f.string(from: r.at))): \(esc(r.text))</li>\n"
        }
        return h + "</ul>\n"
    }

    /// The page for `stats` (its period sets the charts' range), the pain
    /// `trend`, and the period's `checkIns`.
    public static func render(stats: Stats, trend: PainTrend, checkIns: [StoredCheckIn], redFlagEvents: [RedFlagEvent] = [],
                              generatedAt: Date, timeZone: TimeZone, title: String? = nil) -> String {
        let title = title ?? tr("limber: movement and pain report")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        f.dateFormat = "yyyy-MM-dd HH:mm"  // l10n: not ui
        let t = stats.totals
        let lang = Localizer.current.htmlLanguage
        let period = tr("{from} to {through} ({zone}), generated {time}.", [
            "from": "\(stats.period.from)", "through": "\(stats.period.through)", "zone": stats.period.timeZone,
            "time": f.string(from: generatedAt),
        ])
        let summary = tr("{done} of {shown} reminders shown were done ({percent}); {missed} fell due while away.", [
            "done": String(t.done), "shown": String(t.shown), "percent": StatsText.percent(t.adherence), "missed": String(t.missed),
        ])
        let streak = tr("Streak: {days} now, best {best}", [
            "days": trn("{n} day", "{n} days", stats.streaks.current, ["n": String(stats.streaks.current)]), "best": String(stats.streaks.best),
        ]) + "."
        var h = """
            <!DOCTYPE html>
            <html lang="\(esc(lang))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title))</title>
            <style>
            body { font: 15px/1.45 system-ui, sans-serif; color: #222; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
            h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
            table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .2rem .6rem; border-bottom: 1px solid #ddd; text-align: right; }
            th:first-child, td:first-child, td.text { text-align: left; }
            .chart { display: block; max-width: 100%; height: auto; background: #fafafa; border: 1px solid #eee; }
            .note { color: #555; } .flag { color: #b00020; font-weight: bold; }
            .disclaimer { margin-top: 2rem; padding: .8rem 1rem; background: #fff4e5; border-left: 4px solid #f9a825; }
            .legend span { margin-right: 1rem; } .sw { display: inline-block; width: .8em; height: .8em; margin-right: .3em; }
            </style>
            </head>
            <body>
            <h1>\(esc(title))</h1>
            <p class="note">\(esc(period))</p>
            <p class="disclaimer">\(esc(disclaimer))</p>
            \(redFlagSection(checkIns, events: redFlagEvents, format: f))
            <h2>\(esc(tr("Reminders per day")))</h2>
            <p>\(esc(summary))
            \(esc(streak))</p>

            """
        h += adherenceChart(stats)
        h += """
            <p class="legend"><span><i class="sw" style="background:\(colors.done)"></i>\(esc(tr("done")))</span><span><i class="sw" style="background:\(colors.notDone)"></i>\(esc(tr("skipped, dismissed or expired")))</span><span><i class="sw" style="background:\(colors.missed)"></i>\(esc(tr("missed while away")))</span><span><i class="sw" style="background:\(colors.open)"></i>\(esc(tr("open")))</span></p>

            <h2>\(esc(tr("Pain and how far down the leg it reaches")))</h2>
            <p>\(esc(trendSentence(trend)))</p>

            """
        h += painChart(checkIns: checkIns.map(\.checkIn), from: stats.period.from.start(in: timeZone),
                       through: max(generatedAt, stats.period.through.adding(days: 1).start(in: timeZone)), timeZone: timeZone)
        h += "\n<h2>" + esc(tr("Per reminder")) + "</h2>\n<table id=\"rules\">\n"  // l10n: not ui
            + headerRow([tr("Reminder"), tr("Due"), tr("Shown"), tr("Done"), tr("Adherence"), tr("Skipped"), tr("Dismissed"),
                         tr("Expired"), tr("Missed"), tr("Snoozes")])
        for r in stats.rules {
            let c = r.counts
            h += "<tr><td>\(esc(r.rule))</td><td>\(c.occurrences)</td><td>\(c.shown)</td><td>\(c.done)</td><td>\(esc(StatsText.percent(c.adherence)))</td><td>\(c.skipped)</td><td>\(c.dismissed)</td><td>\(c.expired)</td><td>\(c.missed)</td><td>\(c.snoozes)</td></tr>\n"
        }
        h += "</table>\n<h2>" + esc(tr("Per exercise")) + "</h2>\n<table id=\"exercises\">\n"  // l10n: not ui
            + headerRow([tr("Exercise"), tr("Offered"), tr("Done"), tr("Share done")])
        for e in stats.exercises {
            h += "<tr><td>\(esc(e.name))</td><td>\(e.offered)</td><td>\(e.done)</td><td>\(esc(StatsText.percent(e.adherence)))</td></tr>\n"
        }
        h += "</table>\n"
        if let a = stats.activity {
            h += "<h2>" + esc(tr("Active time and breaks")) + "</h2>\n<p>"
                + esc(tr("Active {active}, breaks {breaks}", ["active": StatsText.hours(a.activeSeconds), "breaks": StatsText.hours(a.breakSeconds)]))
                + (a.breakShare.map { esc(" (" + tr("{percent}% of the time on breaks", ["percent": localNumber($0 * 100, fractionDigits: 0)]) + ")") } ?? "")
                + " " + esc(trn("over {n} day recorded", "over {n} days recorded", a.days, ["n": String(a.days)])) + ".</p>\n"
        }
        h += "<h2>" + esc(tr("Check-ins")) + "</h2>\n<table id=\"checkins\">\n"  // l10n: not ui
            + headerRow([tr("Time"), tr("Pain"), tr("Reach"), tr("Red flags"), tr("Note")])
        for s in checkIns {
            let c = s.checkIn
            let flags = Array(Set(c.redFlags)).sorted().map(\.label).joined(separator: "; ")
            h += "<tr><td>\(esc(f.string(from: c.at)))</td><td>\(c.pain)</td><td class=\"text\">\(esc(c.reach?.label ?? "-"))</td>"  // l10n: not ui
                + "<td class=\"text flag\">\(esc(flags))</td><td class=\"text\">\(esc(c.note))</td></tr>\n"  // l10n: not ui
        }
        h += "</table>\n</body>\n</html>\n"
        return h
    }

    /// A table's header row, each heading escaped.
    static func headerRow(_ headings: [String]) -> String {
        "<tr>" + headings.map { "<th>" + esc($0) + "</th>" }.joined() + "</tr>\n"
    }

    static let colors = (done: "#2e7d32", notDone: "#f9a825", missed: "#9e9e9e", open: "#90caf9", pain: "#c62828", reach: "#1565c0")

    static func trendSentence(_ t: PainTrend) -> String {
        var s: String
        switch t.reach {
        case .centralizing: s = tr("Over the last {n} days the pain is centralizing.", ["n": String(t.days)])
        case .peripheralizing: s = tr("Over the last {n} days the pain is peripheralizing.", ["n": String(t.days)])
        case .stable: s = tr("Over the last {n} days the reach of the pain is stable.", ["n": String(t.days)])
        case .notEnoughData:
            s = tr("Not enough check-ins in the last {n} days to tell a trend (at least {min} over more than a day).",
                   ["n": String(t.days), "min": String(PainTrend.minimumPoints)])
        }
        if let change = t.painChange {
            s += " " + tr("Pain changed by {change} points over that time", ["change": (change > 0 ? "+" : "") + localNumber(change, fractionDigits: 1)])
            s += t.meanPain.map { " (" + tr("average {pain} of 10", ["pain": localNumber($0, fractionDigits: 1)]) + ")." } ?? "."
        }
        for a in t.advice where !s.contains(a) { s += " " + a }
        return s
    }

    static func adherenceChart(_ stats: Stats) -> String {
        let w = 720.0, h = 240.0, left = 40.0, right = 10.0, top = 14.0, bottom = 40.0
        let plotW = w - left - right, plotH = h - top - bottom
        let n = max(1, stats.days.count)
        let most = max(1, stats.days.map(\.counts.occurrences).max() ?? 0)
        let step = niceStep(most)
        // The axis ends on a tick at or above the busiest day.
        let peak = (most + step - 1) / step * step
        let slot = plotW / Double(n)
        let barW = max(1, slot * 0.7)
        var s = "<svg id=\"adherence-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(esc(tr("Reminders per day: done, not done, missed")))\">\n"  // l10n: not ui
        s += "<title>" + esc(tr("Reminders per day")) + "</title>\n"
        var tick = 0
        while tick <= peak {
            let y = top + plotH - Double(tick) / Double(peak) * plotH
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(w - right))\" y2=\"\(fmt(y))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(tick)</text>\n"
            tick += step
        }
        let labelEvery = max(1, Int((Double(n) / 10).rounded(.up)))
        for (i, d) in stats.days.enumerated() {
            let c = d.counts
            let x = left + Double(i) * slot + (slot - barW) / 2
            var y = top + plotH
            let notDone = c.skipped + c.dismissed + c.expired
            let segments = [
                (c.done, colors.done, "done", tr("{n} done", ["n": String(c.done)])),  // l10n: not ui
                (notDone, colors.notDone, "not done", tr("{n} not done", ["n": String(notDone)])),  // l10n: not ui
                (c.missed, colors.missed, "missed", tr("{n} missed", ["n": String(c.missed)])),  // l10n: not ui
                (c.open, colors.open, "open", tr("{n} open", ["n": String(c.open)])),  // l10n: not ui
            ]
            for (value, color, what, title) in segments where value > 0 {
                let bh = Double(value) / Double(peak) * plotH
                y -= bh
                s += "<rect class=\"bar \(what.replacingOccurrences(of: " ", with: "-"))\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(barW))\" height=\"\(fmt(bh))\" fill=\"\(color)\">"  // l10n: not ui
                s += "<title>\(d.day): " + esc(title) + "</title></rect>"
            }
            if i % labelEvery == 0 {
                let label = String(d.day.description.dropFirst(5))
                s += "<text x=\"\(fmt(x + barW / 2))\" y=\"\(fmt(h - bottom + 16))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(label)</text>"
            }
            s += "\n"
        }
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(w - right))\" y2=\"\(fmt(top + plotH))\" stroke=\"#888\"/>\n"
        if stats.totals.occurrences == 0 {
            s += "<text x=\"\(fmt(w / 2))\" y=\"\(fmt(h / 2))\" text-anchor=\"middle\" fill=\"#888\">" + esc(tr("No reminders in this period")) + "</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    static func painChart(checkIns: [CheckIn], from: Date, through: Date, timeZone: TimeZone) -> String {
        let w = 720.0, h = 320.0, left = 70.0, right = 10.0
        let painTop = 14.0, painH = 140.0, reachTop = 190.0, reachH = 100.0
        let plotW = w - left - right
        let span = max(1, through.timeIntervalSince(from))
        let pts = checkIns.filter { $0.at >= from && $0.at <= through }.sorted { $0.at < $1.at }
        func x(_ d: Date) -> Double { left + d.timeIntervalSince(from) / span * plotW }
        func painY(_ p: Int) -> Double { painTop + painH - Double(p) / 10 * painH }
        // Back at the top, foot at the bottom: up the chart is up the leg, toward the spine.
        func reachY(_ rank: Int) -> Double { reachTop + Double(rank) / 6 * reachH }

        var s = "<svg id=\"pain-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(esc(tr("Pain 0 to 10 and how far down the leg it reaches")))\">\n"  // l10n: not ui
        s += "<title>" + esc(tr("Pain and reach")) + "</title>\n"
        for p in stride(from: 0, through: 10, by: 2) {
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(painY(p)))\" x2=\"\(fmt(w - right))\" y2=\"\(fmt(painY(p)))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(painY(p) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(p)</text>\n"
        }
        s += "<text x=\"4\" y=\"\(fmt(painTop + 10))\" font-size=\"11\" fill=\"\(colors.pain)\">" + esc(tr("pain")) + "</text>\n"
        s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(reachY(0) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">" + esc(tr("none")) + "</text>\n"
        for r in LegReach.allCases {
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(reachY(r.rank)))\" x2=\"\(fmt(w - right))\" y2=\"\(fmt(reachY(r.rank)))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(reachY(r.rank) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(esc(r.label))</text>\n"
        }
        if pts.isEmpty {
            s += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(painTop + painH / 2))\" text-anchor=\"middle\" fill=\"#888\">" + esc(tr("No check-ins in this period")) + "</text>\n"
        } else {
            let painLine = pts.map { "\(fmt(x($0.at))),\(fmt(painY($0.pain)))" }.joined(separator: " ")
            s += "<polyline class=\"pain-line\" points=\"\(painLine)\" fill=\"none\" stroke=\"\(colors.pain)\" stroke-width=\"2\"/>\n"  // l10n: not ui
            for c in pts {
                s += "<circle class=\"pain-point\" cx=\"\(fmt(x(c.at)))\" cy=\"\(fmt(painY(c.pain)))\" r=\"3.5\" fill=\"\(colors.pain)\"><title>" + esc(tr("pain {pain}", ["pain": String(c.pain)])) + "</title></circle>"  // l10n: not ui
            }
            s += "\n"
            let reachPts = pts.compactMap { c in c.reachRank.map { (c.at, $0) } }
            if !reachPts.isEmpty {
                let reachLine = reachPts.map { "\(fmt(x($0.0))),\(fmt(reachY($0.1)))" }.joined(separator: " ")
                s += "<polyline class=\"reach-line\" points=\"\(reachLine)\" fill=\"none\" stroke=\"\(colors.reach)\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n"  // l10n: not ui
                for (at, rank) in reachPts {
                    s += "<circle class=\"reach-point\" cx=\"\(fmt(x(at)))\" cy=\"\(fmt(reachY(rank)))\" r=\"4\" fill=\"\(colors.reach)\"/>"  // l10n: not ui
                }
                s += "\n"
            }
            for c in pts where !c.redFlags.isEmpty {
                s += "<text class=\"red-flag\" x=\"\(fmt(x(c.at)))\" y=\"\(fmt(painY(c.pain) - 8))\" font-size=\"14\" text-anchor=\"middle\" fill=\"#b00020\">!</text>"  // l10n: not ui
            }
        }
        s += "<text x=\"\(fmt(left))\" y=\"\(fmt(h - 6))\" font-size=\"11\" fill=\"#555\">\(esc(Day(from, in: timeZone).description))</text>"
        s += "<text x=\"\(fmt(w - right))\" y=\"\(fmt(h - 6))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(esc(Day(through.addingTimeInterval(-1), in: timeZone).description))</text>\n"
        s += "</svg>\n"
        return s
    }

    static func niceStep(_ peak: Int) -> Int {
        for s in [1, 2, 5, 10, 20, 50, 100] where peak / s <= 6 { return s }
        return max(1, peak / 5)
    }

    /// SVG coordinates: always a decimal point, never the locale's separator.
    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    /// HTML-escapes text for element content and attribute values.
    public static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

extension HistoryStore {
    /// The report page for `period` up to `now`.
    public func htmlReport(period: StatsPeriod = .month, now: Date, timeZone: TimeZone) throws(HistoryError) -> String {
        let s = try stats(period, now: now, timeZone: timeZone)
        let trend = try painTrend(now: now)
        let since = s.period.from.start(in: timeZone), until = now.addingTimeInterval(0.001)
        let ins = try checkIns(since: since, until: until)
        let events = try redFlagEvents(since: since, until: until)
        return HTMLReport.render(stats: s, trend: trend, checkIns: ins, redFlagEvents: events, generatedAt: now, timeZone: timeZone)
    }
}
