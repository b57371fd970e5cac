import Foundation
import Testing
@testable import LimberHistory
import LimberCore

@Suite struct DefaultPathAndDayTests {
    @Test func theDatabaseLivesInTheXDGStateDirectory() {
        #expect(HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/limber/history.sqlite")
        #expect(HistoryStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/limber/history.sqlite")
        // A relative XDG path is invalid by the spec and ignored.
        #expect(HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]) == "/h/.local/state/limber/history.sqlite")
    }

    @Test func daysParseAndCountAcrossMonthsAndDaylightSaving() {
        #expect(Day("2025-02-28")?.adding(days: 1) == Day("2025-03-01"))
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2025-02-29") == nil)
        #expect(Day("2025-3-1") == nil)
        #expect(Day("2025-03-01")!.days(to: Day("2025-04-01")!) == 31)
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // The night the clocks go forward: the day still starts at midnight.
        let start = Day("2025-03-30")!.start(in: berlin)
        #expect(Day(start, in: berlin).description == "2025-03-30")
        #expect(Day(start.addingTimeInterval(23 * 3600 - 1), in: berlin).description == "2025-03-30")
        #expect(Day("2025-03-24")?.weekdayShort == "Mon")
    }
}
