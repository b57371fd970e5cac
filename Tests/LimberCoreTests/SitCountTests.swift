import Testing
@testable import LimberCore

/// The sit break's counter on its own: stretches banked, a new working
/// window starting afresh, a break resetting, what is left of `after`.
@Suite struct SitCountTests {
    @Test func stretchesAddUpWithinOneWindowAndANewWindowStartsAfresh() {
        var c = SitCount()
        c.starting(in: "2026-11-23 09:00-17:00")
        c.enter("2026-11-23 09:00-17:00")
        c.bank(from: .seconds(100), to: .seconds(700))            // 10 min
        #expect(c.counted(at: .seconds(1000), since: nil) == .seconds(600))
        #expect(c.counted(at: .seconds(1000), since: .seconds(800)) == .seconds(800))
        #expect(c.left(of: .minutes(50), at: .seconds(1000), since: .seconds(800)) == .seconds(3000 - 800))
        // Back in the same window (after lunch outside working hours): the count goes on.
        c.starting(in: "2026-11-23 09:00-17:00")
        #expect(c.banked == .seconds(600))
        // The next working day: from nothing.
        c.starting(in: "2026-11-24 09:00-17:00")
        c.enter("2026-11-24 09:00-17:00")
        #expect(c.banked == .zero)
        #expect(c.window == "2026-11-24 09:00-17:00")
        // Outside working hours the window is kept.
        c.enter(nil)
        #expect(c.window == "2026-11-24 09:00-17:00")
    }

    @Test func aBreakResetsAndTimeNeverCountsBackwards() {
        var c = SitCount(banked: .minutes(20))
        c.bank(from: .seconds(500), to: .seconds(400))            // a stretch "ending" before it began
        #expect(c.banked == .minutes(20))
        #expect(c.counted(at: .seconds(100), since: .seconds(200)) == .minutes(20))
        c.reset()
        #expect(c.banked == .zero)
    }
}
