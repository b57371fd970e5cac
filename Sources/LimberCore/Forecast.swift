import Foundation

/// What a program will do: each rule in words and its next times. Pure: it
/// replays the rule alone through the engine with a user who is at the desk
/// and answers Done at once.
public enum Forecast {
    public struct RuleForecast: Sendable, Hashable {
        public var rule: RuleID
        public var title: String
        public var words: String
        public var times: [Date]
        public var activeNow: Bool
    }

    public static func explain(_ program: Program, settings: Settings, timeZone: TimeZone, now: Moment,
                               programStarted: Date? = nil, phaseMark: PhaseMark? = nil,
                               until end: Date? = nil) -> [RuleForecast] {
        let calendar = LocalCalendar(timeZone: timeZone)
        let limit = end ?? calendar.startOfDay(now.wall, addingDays: 1)
        return program.reminders.map { rule in
            var alone = program
            alone.reminders = [rule]
            var state = EngineState(timeZone: timeZone)
            if let s = programStarted { state.programStarted[program.id] = s }
            if let m = phaseMark { state.phaseMarks = [program.id: m] }
            var engine = Engine(configuration: Configuration(programs: [alone], settings: settings), state: state,
                                timeZone: timeZone, now: now)
            let id = RuleID(program: program.id, rule: rule.id)
            var t = now
            var times: [Date] = []
            var step = engine.handle(.timer, at: t)
            var guardCount = 0
            while guardCount < 500 {
                guardCount += 1
                for case .show(let r) in step.effects where !times.contains(r.shownAt) { times.append(r.shownAt) }
                if engine.state.showing != nil {
                    step = engine.handle(.answer(nil, .done), at: t)
                    continue
                }
                guard let d = step.nextDeadline, d < limit else { break }
                let delta = max(d.timeIntervalSince(t.wall), 0.001)
                t = t + .milliseconds(Int64((delta * 1000).rounded(.up)))
                step = engine.handle(.timer, at: t)
            }
            return RuleForecast(rule: id, title: rule.title, words: words(rule, settings: settings),
                                times: times.filter { $0 < limit }, activeNow: engine.isActive(id, at: now))
        }
    }

    /// A rule in words: "after 45 min of sitting (a 5 min break resets it)".
    public static func words(_ rule: ReminderRule, settings: Settings) -> String {
        var text: String
        let hours = settings.workingHours.localized
        switch rule.cadence {
        case .sitBreak(let after, let nb):
            text = tr("after {active} of continuous activity (being away {away} resets it), within working hours {hours}",
                      ["active": DurationText.spoken(after), "away": DurationText.spoken(nb), "hours": hours])
        case .interval(let every):
            text = tr("every {duration} within working hours {hours}", ["duration": DurationText.spoken(every), "hours": hours])
        case .every(let every, let window, let grid):
            let w = window ?? settings.workingHours
            text = grid ? tr("every {duration} on the clock from {start} to {end}",
                             ["duration": DurationText.spoken(every), "start": w.start.localized, "end": w.end.localized])
                : tr("every {duration} after the last answer, between {start} and {end}",
                     ["duration": DurationText.spoken(every), "start": w.start.localized, "end": w.end.localized])
        case .window(let count, let window, let gap):
            text = trn("{count} time between {start} and {end}, spread out, at least {gap} apart",
                       "{count} times between {start} and {end}, spread out, at least {gap} apart", count,
                       ["count": String(count), "start": window.start.localized, "end": window.end.localized,
                        "gap": DurationText.spoken(gap)])
        case .fixed(let times, let days):
            let at = times.sorted().map(\.localized).joined(separator: ", ")
            text = days == Weekday.everyDay || days == Weekday.workdays
                ? tr("at {times} {days}", ["times": at, "days": Weekday.localizedList(days)])
                : tr("at {times} on {days}", ["times": at, "days": Weekday.localizedList(days)])
        }
        let pool = rule.pool
        if pool.order == .rotate {
            text += "; " + tr("{pick} of {count} exercises in rotation", ["pick": String(pool.pick), "count": String(pool.exercises.count)])
        } else if !pool.exercises.isEmpty {
            text += "; " + pool.exercises.joined(separator: ", ")
        }
        if !rule.phases.isEmpty { text += "; " + tr("in phase {phases}", ["phases": rule.phases.joined(separator: ", ")]) }
        return text
    }
}
