import Testing
@testable import LimberCore
@Test func durationParses() { #expect(DurationText.parse("1h30m") == .seconds(5400)) }
