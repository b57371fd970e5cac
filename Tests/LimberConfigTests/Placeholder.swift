import Testing
@testable import LimberConfig
@Test func placeholder() { #expect(Bool(true)) }
