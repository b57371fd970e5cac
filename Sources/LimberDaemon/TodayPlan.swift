// "Today's plan", as the tray's menu shows it: what is still to come today.
import Foundation
import LimberCore

/// The reminders still to come today with their times, soonest first, and
/// today's count, from the engine as it stands (each rule's next time: a
/// pause or a red flag holding them back says so instead).
public struct TodayPlan: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var at: Date
        /// "14:32" in the user's locale.
        public var time: String
        public var title: String
    }

    public var summary: String
    public var notes: [String]
    public var entries: [Entry]
    public var done: String

    public init(engine: Engine, now: Moment) {
        let calendar = engine.calendar
        let endOfDay = calendar.startOfDay(now.wall, addingDays: 1)
        let status = engine.status(at: now)
        func time(_ d: Date) -> String {
            let m = calendar.minuteOfDay(d)
            return localTime(hour: m / 60, minute: m % 60)
        }
        summary = tr("Today's plan")
        notes = []
        var from = now.wall
        if status.redFlag != nil {
            notes.append(tr("Exercise reminders are stopped after a red flag: get care first."))
            from = endOfDay
        } else if let until = status.pausedUntil, until > now.wall {
            notes.append(until >= endOfDay ? tr("Paused for the rest of today.") : tr("Paused until {time}.", ["time": time(until)]))
            from = until
        }
        if let shown = engine.onScreen { notes.append(tr("Now: {title}", ["title": shown.title])) }
        entries = engine.ruleIDs.compactMap { id -> Entry? in
            guard let rule = engine.rule(id), let at = engine.nextDue(id, at: now), at >= from, at < endOfDay else { return nil }
            return Entry(at: at, time: time(at), title: rule.title)
        }.sorted { ($0.at, $0.title) < ($1.at, $1.title) }
        done = status.doneToday == 0 ? tr("Nothing done yet today.")
            : trn("{count} reminder done today.", "{count} reminders done today.", status.doneToday,
                  ["count": String(status.doneToday)])
    }

    /// The lines under the summary: notes, one line per reminder to come
    /// ("14:32  Sit break"), then the count. Plain text: the sink escapes it.
    public var lines: [String] {
        var out = notes
        if entries.isEmpty {
            if notes.isEmpty { out.append(tr("Nothing more is due today.")) }
        } else {
            out += entries.map { "\($0.time)  \(SafeText.terminal($0.title, layout: false))" }
        }
        out.append(done)
        return out
    }

    public var body: String { lines.joined(separator: "\n") }
    public var text: String { summary + "\n" + body }
}
