import Testing
@testable import LimberCore

@Suite struct DurationTextTests {
    @Test func parsesHumanDurations() {
        #expect(DurationText.parse("45m") == .minutes(45))
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("90s") == .seconds(90))
        #expect(DurationText.parse(" 2h ") == .hours(2))
        #expect(DurationText.parse("1d") == .seconds(86_400))
    }

    @Test func rejectsNonsense() {
        for bad in ["", "45", "-5m", "m", "5x", "99999999999999999999h", "400d", "1h30", "1h1h"] {
            #expect(DurationText.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func formatsRoundTrip() {
        #expect(DurationText.format(.seconds(5400)) == "1h30m")
        #expect(DurationText.format(.seconds(90)) == "1m30s")
        #expect(DurationText.parse(DurationText.format(.seconds(3725))) == .seconds(3725))
    }

    @Test func timesAndWindows() {
        #expect(TimeOfDay("12:30")?.minuteOfDay == 750)
        #expect(TimeOfDay("25:00") == nil)
        #expect(TimeOfDay("12:3") == nil)
        let w = DayWindow("22:00-07:00")!
        #expect(w.crossesMidnight)
        #expect(w.contains(minuteOfDay: 23 * 60))
        #expect(!w.contains(minuteOfDay: 12 * 60))
        #expect(Weekday("Mon") == .monday)
        #expect(Weekday("sunday") == .sunday)
        #expect(Weekday("xx") == nil)
    }
}
