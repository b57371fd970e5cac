import Foundation
import LimberCore
import Testing
@testable import LimberHistory

@Suite struct StatsTests {
    func counts(_ o: Int, shown: Int, done: Int, skipped: Int = 0, dismissed: Int = 0, expired: Int = 0, missed: Int = 0,
                open: Int = 0, snoozes: Int = 0, catchUps: Int = 0) -> OccurrenceCounts {
        var c = OccurrenceCounts()
        c.occurrences = o; c.shown = shown; c.done = done; c.skipped = skipped; c.dismissed = dismissed
        c.expired = expired; c.missed = missed; c.open = open; c.snoozes = snoozes; c.catchUps = catchUps
        return c
    }

    @Test func aGeneratedMonthGivesTheHandCountedNumbers() throws {
        let dir = TempDir()
        let store = try MonthGenerator.store(in: dir)
        let stats = try store.stats(.month, now: MonthGenerator.now, timeZone: utc)

        #expect(stats.period.from == Day(year: 2025, month: 3, day: 1))
        #expect(stats.period.through == Day(year: 2025, month: 3, day: 30))
        #expect(stats.days.count == 30)
        #expect(stats.totals == counts(181, shown: 157, done: 107, skipped: 13, dismissed: 31, expired: 5, missed: 24,
                                       open: 1, snoozes: 27, catchUps: 1))
        #expect(stats.totals.adherence == 107.0 / 157.0)

        #expect(stats.rules.map(\.rule) == ["sciatica-relief/press-ups", "sciatica-relief/sit-break"])
        #expect(stats.rules[0].counts == counts(121, shown: 105, done: 81, skipped: 13, dismissed: 5, expired: 5, missed: 16,
                                                open: 1, snoozes: 27, catchUps: 1))
        #expect(stats.rules[1].counts == counts(60, shown: 52, done: 26, dismissed: 26, missed: 8))
        #expect(stats.rules[1].counts.adherence == 0.5)

        #expect(stats.exercises == [
            ExerciseStats(id: "prone-press-up", name: "Prone press-up", offered: 105, done: 81),
            ExerciseStats(id: "walk", name: "Walk", offered: 52, done: 26),
            ExerciseStats(id: "glute-bridge", name: "Glute bridge", offered: 26, done: 13),
        ])

        // Feb 19 to Mar 6 is the best run (16 days); today and yesterday the current one.
        #expect(stats.streaks == Streaks(current: 2, best: 16, bestEnded: Day(year: 2025, month: 3, day: 6)))

        // Day 0 (even, d % 5 == 0), day 6 (away), day 29 (today, with the open one).
        #expect(stats.days[0].counts == counts(6, shown: 6, done: 3, skipped: 1, dismissed: 1, expired: 1, snoozes: 1))
        #expect(stats.days[6].counts == counts(6, shown: 0, done: 0, missed: 6))
        #expect(stats.days[6].activeSeconds == nil)
        #expect(stats.days[29].counts == counts(7, shown: 7, done: 5, dismissed: 1, open: 1, snoozes: 2))
        #expect(stats.days[29].activeSeconds == 21_600)

        let a = try #require(stats.activity)
        #expect(a.days == 26)
        #expect(a.activeSeconds == 26 * 21_600)
        #expect(a.breakSeconds == 26 * 1_800)
        #expect(a.breakShare == 46_800.0 / 608_400.0)
    }

    @Test func aWeekIsTodayAndTheSixDaysBefore() throws {
        let stats = Stats.compute(outcomes: stored(MonthGenerator.outcomes()), activity: MonthGenerator.activity(),
                                  period: .week, now: MonthGenerator.now, timeZone: utc)
        #expect(stats.days.map(\.day.description) == (24...30).map { "2025-03-\($0)" })
        #expect(stats.totals.occurrences == 43)
        #expect(stats.totals.done == 25)
        #expect(stats.totals.missed == 6)
        #expect(stats.streaks.current == 2)
    }

    @Test func sinceADayRunsThroughToday() {
        let stats = Stats.compute(outcomes: stored(MonthGenerator.outcomes()), period: .since(Day(year: 2025, month: 3, day: 28)),
                                  now: MonthGenerator.now, timeZone: utc)
        #expect(stats.days.count == 3)
        #expect(stats.period.kind == "since")
        #expect(stats.activity == nil)
    }

    @Test func daysFollowTheUsersTimeZone() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 23:30 UTC on Mar 1 is 00:30 on Mar 2 in Berlin.
        let rows = stored([outcome(.shown, at: t(hour: 23, minute: 30)), outcome(.done, at: t(hour: 23, minute: 31), due: t(hour: 23, minute: 30))])
        let stats = Stats.compute(outcomes: rows, period: .since(Day(year: 2025, month: 3, day: 1)), now: t(day: 2, hour: 12), timeZone: berlin)
        #expect(stats.days.map(\.counts.done) == [0, 1, 0])
        #expect(stats.streaks.current == 1)
        let utcStats = Stats.compute(outcomes: rows, period: .since(Day(year: 2025, month: 3, day: 1)), now: t(day: 2, hour: 12), timeZone: utc)
        #expect(utcStats.days.map(\.counts.done) == [1, 0, 0])
        // Nothing yet today, done the day before yesterday: no current streak.
        #expect(utcStats.streaks.current == 0)
        #expect(utcStats.streaks.best == 1)
    }

    @Test func nothingShownMeansNoAdherenceNotZero() throws {
        let stats = Stats.compute(outcomes: [], period: .week, now: t(), timeZone: utc)
        #expect(stats.totals.adherence == nil)
        #expect(stats.streaks == Streaks(current: 0, best: 0, bestEnded: nil))
        let json = String(decoding: try stats.json(), as: UTF8.self)
        #expect(json.contains("\"adherence\":null"))
    }

    @Test func theJSONShapeIsStable() throws {
        let stats = Stats.compute(outcomes: stored(MonthGenerator.outcomes()), activity: MonthGenerator.activity(),
                                  period: .week, now: MonthGenerator.now, timeZone: utc)
        let data = try stats.json()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["schema", "period", "totals", "rules", "exercises", "streaks", "days", "activity"])
        #expect(object["schema"] as? Int == 2)
        #expect(!String(decoding: data, as: UTF8.self).contains("\n"), "one line")
        let period = try #require(object["period"] as? [String: Any])
        #expect(period["from"] as? String == "2025-03-24")
        #expect(period["now"] as? String == "2025-03-30T18:00:00Z")
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(Set(totals.keys) == ["occurrences", "shown", "done", "skipped", "dismissed", "expired", "missed", "open",
                                     "snoozes", "catch_ups", "adherence"])
        let day = try #require((object["days"] as? [[String: Any]])?.first)
        #expect(Set(day.keys) == ["day", "counts", "active_seconds", "break_seconds"])
        // And it reads back.
        #expect(try HistoryJSON.decoder().decode(Stats.self, from: data) == stats)
    }

    @Test func theTerminalChartScalesToTheBusiestDay() {
        let stats = Stats.compute(outcomes: stored(MonthGenerator.outcomes()), period: .week, now: MonthGenerator.now, timeZone: utc)
        let text = StatsText(width: 14, color: false, unicode: false).barChart(stats)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        // Mar 28 (day 27, away): 6 missed of a peak of 7 → 12 cells.
        #expect(lines[4] == "Fri 2025-03-28 |............  | 6 missed")
        // Mar 30: 5 done, 1 dismissed, 1 open of 7 → 10 + 2 + 0 + 2.
        #expect(lines[6] == "Sun 2025-03-30 |##########xx--| 5/7 done")
        // Mar 24 (day 23): 5 done, 1 dismissed of 6.
        #expect(lines[0] == "Mon 2025-03-24 |##########xx  | 5/6 done")
        #expect(!text.contains("\u{1B}["))
        let colored = StatsText(width: 14, color: true).barChart(stats)
        #expect(colored.contains("\u{1B}[32m██████████\u{1B}[0m"))
        let page = StatsText().render(stats)
        #expect(page.contains("Streak: 2 days now, best 16 (to 2025-03-06)"))
        #expect(page.contains("sciatica-relief/press-ups"))
    }

    func stored(_ outcomes: [Outcome]) -> [StoredOutcome] {
        outcomes.enumerated().map { StoredOutcome(id: Int64($0.offset + 1), outcome: $0.element) }
    }
}
