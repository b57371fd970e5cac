import Testing
import Foundation
import PropertyBased
@testable import LimberCore

/// The one grammar for durations and times (docs/program-format.md,
/// "Values"), the same for files and D-Bus (both call `DurationText.parse`
/// and `TimeOfDay.init`).
@Suite struct GrammarPropertyTests {
    @Test func naturalFormsAreAccepted() {
        let cases: [(String, Int64)] = [
            ("45m", 2700), ("1h30m", 5400), ("1 h 30 min", 5400), ("2 hours", 7200), ("15 sec", 15),
            ("5M", 300), (" 5m", 300), ("1.5h", 5400), ("0.5m", 30), ("90 minutes", 5400), ("1d", 86_400),
            ("1 day 2 hrs", 93_600), ("2H30M", 9000),
        ]
        for (text, seconds) in cases {
            #expect(DurationText.parse(text) == .seconds(seconds), "\(text)")
        }
    }

    @Test func mistakesAreRefusedWithTheReason() {
        let cases: [(String, String)] = [
            ("45", "has no unit"), ("1h1h", "given twice"), ("30m1h", "larger units come first"),
            ("", "empty"), ("-5m", "negative"), ("5x", "'x' is not a unit"), ("0.3s", "whole number of seconds"),
            ("400d", "longer than a year"), ("1h30", "has no unit"), ("h", "does not start with a number"),
        ]
        for (text, why) in cases {
            #expect(DurationText.parse(text) == nil, "\(text)")
            #expect(DurationText.reason(text)?.contains(why) == true, "\(text): \(DurationText.reason(text) ?? "nil")")
        }
        #expect(DurationText.hint.contains("\"1h30m\""))
    }

    @Test func timesOfDay() {
        #expect(TimeOfDay("9:30") == TimeOfDay(hour: 9, minute: 30))
        #expect(TimeOfDay(" 09:30 ") == TimeOfDay(hour: 9, minute: 30))
        for bad in ["9.30", "9am", "+9:30", "09:3", "25:00", "9:60", "930", "-1:00"] {
            #expect(TimeOfDay(bad) == nil, "\(bad)")
        }
        #expect(DayWindow("08:00 - 20:00") == DayWindow("08:00-20:00"))
    }

    /// Whatever a duration is, its formatted text reads back as itself, in
    /// any case and with spaces between the parts.
    @Test func formatParsesBack() async {
        await propertyCheck(count: 500, input: Gen.int(in: 1...(366 * 86_400))) { seconds in
            let d = Duration.seconds(Int64(seconds))
            let text = DurationText.format(d)
            #expect(DurationText.parse(text) == d, "\(text)")
            #expect(DurationText.parse(text.uppercased()) == d, "\(text)")
            let spaced = text.replacingOccurrences(of: "d", with: " d ").replacingOccurrences(of: "h", with: " h ")
                .replacingOccurrences(of: "m", with: " m ").replacingOccurrences(of: "s", with: " s ")
            #expect(DurationText.parse(spaced) == d, "\(spaced)")
        }
    }

    /// Every string of the grammar's own letters either parses, or has a
    /// reason; never both, never neither.
    @Test func parseAndReasonAgree() async {
        let alphabet = Array("0123456789.hmsdHMSD in")
        await propertyCheck(count: 2000, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SplitMix(state: UInt64(seed))
            let length = Int(rng.next() % 9)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let parsed = DurationText.parse(text)
            let why = DurationText.reason(text)
            #expect((parsed == nil) != (why == nil), "\(text)")
            if let parsed { #expect(parsed > .zero || parsed == .zero) }
        }
    }

    @Test func everyTimeOfDayReadsBack() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...(24 * 60 - 1))) { m in
            let t = TimeOfDay(hour: m / 60, minute: m % 60)!
            #expect(TimeOfDay(t.description) == t)
            #expect(TimeOfDay("\(t.hour):" + t.description.suffix(2)) == t)
        }
    }
}

/// A demo (limberd --time-scale without --state-dir) keeps a reminder up at
/// least a minute of real time: the daemon sets the engine's floor.
@Suite struct MinimumStaysUpTests {
    @Test func theFloorOutlastsTheSettings() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak(after: 45)]), start: "2026-11-23 09:00")
        sim.engine.minimumStaysUp = .seconds(60 * 600)
        sim.advance(to: "2026-11-23 09:46")
        let shown = sim.showing
        #expect(shown != nil)
        #expect(shown.map { $0.expiresAt.timeIntervalSince($0.shownAt) } == 36_000)
    }
}
