import Foundation
import Testing
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory

/// The pure accumulator: presence events and the time between them become
/// active and break seconds per local day, on a hand clock.
@Suite struct ActivityAccumulatorTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-23 08:00:00 UTC.
    static let morning = Moment(wall: Date(timeIntervalSince1970: 1_795_392_000 + 8 * 3600), uptime: .seconds(1000))

    func totals(_ a: ActivityAccumulator) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: a.pending.map { ($0.key.description, [$0.value.activeSeconds, $0.value.breakSeconds]) })
    }

    @Test func timeBetweenPresenceChangesIsActiveOrBreak() {
        var now = Self.morning
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(50)
        let c1 = a.observe(.idle(since: nil), at: now); #expect(c1, "going idle is a presence change")
        now = now + .minutes(10)
        let c2 = a.observe(.active, at: now); #expect(c2)
        now = now + .minutes(30)
        let c3 = a.observe(.timer, at: now); #expect(!c3, "a timer changes nothing")
        #expect(totals(a) == ["2026-11-23": [80 * 60, 10 * 60]])
    }

    @Test func idleSinceMovesTheTimeSinceInputStoppedToTheBreak() {
        var now = Self.morning
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(60)
        // logind says input stopped 5 minutes before it reported idle.
        a.observe(.idle(since: now.uptime - .minutes(5)), at: now)
        now = now + .minutes(5)
        a.observe(.active, at: now)
        #expect(totals(a) == ["2026-11-23": [55 * 60, 10 * 60]])
    }

    @Test func idleSinceNeverReachesBackBeforeWhatWasAlreadyCounted() {
        var now = Self.morning
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(10)
        a.advance(to: now)
        _ = a.take()
        now = now + .minutes(10)
        a.observe(.idle(since: Self.morning.uptime), at: now)
        #expect(totals(a) == ["2026-11-23": [0, 10 * 60]], "only the 10 minutes not yet taken move to the break")
    }

    @Test func lockedAsleepAndIdleOverlapAndAllCountAsBreak() {
        var now = Self.morning
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(10)
        let c4 = a.observe(.locked, at: now); #expect(c4)
        now = now + .minutes(5)
        let c5 = a.observe(.idle(since: nil), at: now); #expect(!c5, "still away")
        now = now + .minutes(5)
        let c6 = a.observe(.sleeping, at: now); #expect(!c6)
        now = now + .hours(1)  // suspended: uptime (boottime) counts it
        let c7 = a.observe(.woke, at: now); #expect(!c7)
        let c8 = a.observe(.active, at: now + .seconds(1)); #expect(!c8, "locked still")
        now = now + .minutes(1)
        let c9 = a.observe(.unlocked, at: now); #expect(c9)
        now = now + .minutes(4)
        a.advance(to: now)
        #expect(totals(a) == ["2026-11-23": [14 * 60, 71 * 60]])
        #expect(!a.isAway)
    }

    @Test func aStretchOverMidnightIsSplitBetweenTheDays() {
        // 23:30 UTC, active until 00:45.
        var now = Moment(wall: Date(timeIntervalSince1970: 1_795_392_000 + 23 * 3600 + 1800), uptime: .seconds(5000))
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(75)
        a.observe(.locked, at: now)
        now = now + .hours(24)
        a.advance(to: now)
        let days = a.take()
        #expect(days.map(\.day.description) == ["2026-11-23", "2026-11-24", "2026-11-25"])
        #expect(days.map(\.totals.activeSeconds) == [1800.0, 2700.0, 0.0])
        let breaks: [Double] = [0, Double((24 * 60 - 45) * 60), 2700]
        #expect(days.map(\.totals.breakSeconds) == breaks)
        #expect(a.pending.isEmpty)
    }

    @Test func daysAreLocalAndFollowATimeZoneChange() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 22:30 UTC is 23:30 in Berlin (CET, +1).
        var now = Moment(wall: Date(timeIntervalSince1970: 1_795_392_000 + 22 * 3600 + 1800), uptime: .seconds(5000))
        var a = ActivityAccumulator(start: now, timeZone: berlin)
        now = now + .minutes(60)
        a.observe(.timeZoneChanged(Self.utc), at: now)  // 23:30 UTC now
        now = now + .minutes(60)
        a.advance(to: now)
        // 30 min before Berlin's midnight, 30 after; then 30 before UTC's, 30 after.
        #expect(totals(a) == ["2026-11-23": [3600, 0], "2026-11-24": [3600, 0]])
    }

    @Test func aWallClockJumpDoesNotCountAsTime() {
        var now = Self.morning
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(20)
        now.wall = now.wall.addingTimeInterval(3 * 3600)  // the clock was set forward; uptime was not
        a.observe(.idle(since: nil), at: now)
        #expect(a.pendingSeconds == 20 * 60)
    }

    @Test func whatCouldNotBeWrittenIsPutBackAndAddedTo() {
        var now = Self.morning
        var a = ActivityAccumulator(start: now, timeZone: Self.utc)
        now = now + .minutes(10)
        a.advance(to: now)
        let taken = a.take()
        now = now + .minutes(5)
        a.advance(to: now)
        a.putBack(taken)
        #expect(totals(a) == ["2026-11-23": [15 * 60, 0]])
    }

    @Test func aDaemonStartedWhileLockedStartsAway() {
        var presence = Presence()
        presence.locked = true
        var now = Self.morning
        var a = ActivityAccumulator(start: now, presence: presence, timeZone: Self.utc)
        now = now + .minutes(3)
        let c10 = a.observe(.unlocked, at: now); #expect(c10)
        #expect(totals(a) == ["2026-11-23": [0, 180]])
    }
}
