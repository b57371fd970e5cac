import Foundation
import LimberCore
@testable import LimberHistory

/// A deterministic month of history, March 2025 in UTC, "now" on day 29
/// (2025-03-30) at 18:00. The expected numbers in StatsTests follow from
/// this pattern by hand, not from the code under test:
///
/// - 10 days before March (Feb 19-28): one press-ups done a day (streaks only).
/// - Days d = 0...29, March 1 + d. Days 6, 13, 20, 27 the user is away: all
///   six occurrences are recorded `missed`.
/// - Other days, press-ups at 9, 11, 13, 15 h and sit-break at 10, 14 h:
///   - 9 h: shown, done (day 8: a catch-up)
///   - 11 h: shown, snoozed, shown, done
///   - 13 h (offers press-up and bridge): shown, then skipped on even days, done on odd
///   - 15 h: shown, then expired when d % 5 == 0, dismissed when d % 5 == 1, else done
///   - sit-break 10 h (walk): shown, done; 14 h: shown, dismissed
/// - Today (day 29) 17:30: a press-ups occurrence shown and snoozed: open.
/// - Activity on every day present: 6 h active, 30 min of breaks; plus Feb 20.
enum MonthGenerator {
    static let now = t(day: 29, hour: 18)
    static let awayDays: Set<Int> = [6, 13, 20, 27]

    static func outcomes() -> [Outcome] {
        var out: [Outcome] = []
        var reminder: ReminderID = 100
        func occurrence(_ rule: RuleID, day d: Int, hour: Int, minute: Int = 0, exercises: [OfferedExercise],
                        _ kinds: [OutcomeKind], catchUp: Bool = false) {
            reminder += 1
            let due = t(day: d, hour: hour, minute: minute)
            for (i, k) in kinds.enumerated() {
                out.append(Outcome(reminder: reminder, rule: rule, kind: k, exercises: k == .missed ? [] : exercises,
                                   at: due.addingTimeInterval(Double(i * 60)), dueAt: due, catchUp: catchUp,
                                   snooze: k == .snoozed ? .seconds(600) : nil))
            }
        }
        for d in -10 ... -1 {
            occurrence(pressUps, day: d, hour: 9, exercises: [pressUp], [.shown, .done])
        }
        for d in 0...29 {
            if awayDays.contains(d) {
                for h in [9, 11, 13, 15] { occurrence(pressUps, day: d, hour: h, exercises: [pressUp], [.missed]) }
                for h in [10, 14] { occurrence(sitBreak, day: d, hour: h, exercises: [walk], [.missed]) }
                continue
            }
            occurrence(pressUps, day: d, hour: 9, exercises: [pressUp], [.shown, .done], catchUp: d == 8)
            occurrence(sitBreak, day: d, hour: 10, exercises: [walk], [.shown, .done])
            occurrence(pressUps, day: d, hour: 11, exercises: [pressUp], [.shown, .snoozed, .shown, .done])
            occurrence(pressUps, day: d, hour: 13, exercises: [pressUp, bridge], [.shown, d % 2 == 0 ? .skipped : .done])
            occurrence(sitBreak, day: d, hour: 14, exercises: [walk], [.shown, .dismissed])
            let last: OutcomeKind = d % 5 == 0 ? .expired : d % 5 == 1 ? .dismissed : .done
            occurrence(pressUps, day: d, hour: 15, exercises: [pressUp], [.shown, last])
        }
        occurrence(pressUps, day: 29, hour: 17, minute: 30, exercises: [pressUp], [.shown, .snoozed])
        return out
    }

    static func activity() -> [ActivityDay] {
        var a = [ActivityDay(day: Day(year: 2025, month: 2, day: 20), activeSeconds: 999, breakSeconds: 999)]
        for d in 0...29 where !awayDays.contains(d) {
            a.append(ActivityDay(day: Day(year: 2025, month: 3, day: 1).adding(days: d), activeSeconds: 21_600, breakSeconds: 1_800))
        }
        return a
    }

    /// A store holding the month.
    static func store(in dir: TempDir) throws -> HistoryStore {
        let store = try freshStore(dir)
        try store.record(outcomes())
        for a in activity() { try store.addActivity(on: a.day, activeSeconds: a.activeSeconds, breakSeconds: a.breakSeconds) }
        return store
    }
}
