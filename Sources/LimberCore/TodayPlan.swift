// "Today's plan", as the tray's menu shows it: what is still to come today.
import Foundation

/// The reminders still to come today with their times, soonest first, and
/// today's count: the engine's plan (`Engine.plan`, what `limberctl today`
/// lists), with a line for a pause or a red flag holding reminders back.
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
    /// How many more the plan has than `entries` shows.
    public var more: Int
    public var done: String

    /// At most this many entries: a notification is read at a glance.
    public static let shown = 8

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
        if status.redFlag != nil {
            notes.append(tr("Exercise reminders are stopped after a red flag: get care first."))
        }
        if let until = status.pausedUntil, until > now.wall {
            notes.append(until >= endOfDay ? tr("Paused for the rest of today.") : tr("Paused until {time}.", ["time": time(until)]))
        }
        if let shown = engine.onScreen { notes.append(tr("Now: {title}", ["title": SafeText.terminal(shown.title, layout: false)])) }
        let planned = engine.plan(until: endOfDay, at: now).map { Entry(at: $0.at, time: time($0.at), title: $0.title) }
        entries = Array(planned.prefix(Self.shown))
        more = planned.count - entries.count
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
            if more > 0 {
                out.append(trn("… and {count} more (limberctl today)", "… and {count} more (limberctl today)", more,
                               ["count": String(more)]))
            }
        }
        out.append(done)
        return out
    }

    public var body: String { lines.joined(separator: "\n") }
    public var text: String { summary + "\n" + body }
}
