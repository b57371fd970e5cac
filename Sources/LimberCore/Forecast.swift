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
        switch rule.cadence {
        case .sitBreak(let after, let nb):
            text = "after \(DurationText.spoken(after)) of continuous activity (being away \(DurationText.spoken(nb)) resets it), within working hours \(settings.workingHours)"
        case .interval(let every):
            text = "every \(DurationText.spoken(every)) within working hours \(settings.workingHours)"
        case .every(let every, let window, let grid):
            let w = window ?? settings.workingHours
            text = grid ? "every \(DurationText.spoken(every)) on the clock from \(w.start) to \(w.end)"
                : "every \(DurationText.spoken(every)) after the last answer, between \(w.start) and \(w.end)"
        case .window(let count, let window, let gap):
            text = "\(count) time\(count == 1 ? "" : "s") between \(window.start) and \(window.end), spread out, at least \(DurationText.spoken(gap)) apart"
        case .fixed(let times, let days):
            let dayText = days == Weekday.everyDay ? "every day" : days == Weekday.workdays ? "Monday to Friday"
                : days.sorted().map(\.short).joined(separator: ", ")
            text = "at " + times.sorted().map(\.description).joined(separator: ", ") + " " + (dayText == "every day" || dayText == "Monday to Friday" ? dayText : "on " + dayText)
        }
        let pool = rule.pool
        if pool.order == .rotate {
            text += "; \(pool.pick) of \(pool.exercises.count) exercises in rotation"
        } else if !pool.exercises.isEmpty {
            text += "; " + pool.exercises.joined(separator: ", ")
        }
        if !rule.phases.isEmpty { text += "; in phase " + rule.phases.joined(separator: ", ") }
        return text
    }
}
