import Foundation
import LimberCore
import Testing
@testable import LimberHistory

/// limberd killed after the history took an ending but before state.json
/// said so: the restarted limberd ends the same reminder again. The first
/// ending stands (reliability-restarts: "ended 2 times").
@Suite struct EndingOnceTests {
    @Test func aSecondEndingOfAShownItemIsNotRecorded() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        try store.record([outcome(.shown, at: t(hour: 9), reminder: 19), outcome(.shown, sitBreak, at: t(hour: 9), reminder: 19)])
        let first = try store.record([outcome(.expired, at: t(hour: 9, minute: 30), reminder: 19),
                                      outcome(.expired, sitBreak, at: t(hour: 9, minute: 30), reminder: 19)])
        // The restarted run expires it again, and a stray Done comes too.
        let again = try store.record([outcome(.expired, at: t(hour: 9, minute: 31), reminder: 19),
                                      outcome(.expired, sitBreak, at: t(hour: 9, minute: 31), reminder: 19)])
        let late = try store.record(outcome(.done, at: t(hour: 9, minute: 32), reminder: 19))
        #expect(again == first, "the first ending's rows")
        #expect(late == first[0])
        #expect(try store.outcomes().map(\.outcome.kind) == [.shown, .shown, .expired, .expired])
    }

    @Test func theSameIdShownAgainEndsAgain() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        // A fresh state starts its ids at 1 again: a new shown, a new ending.
        try store.record([outcome(.shown, at: t(hour: 9), reminder: 1), outcome(.done, at: t(hour: 9, minute: 5), reminder: 1)])
        try store.record([outcome(.shown, at: t(hour: 11), reminder: 1), outcome(.skipped, at: t(hour: 11, minute: 5), reminder: 1)])
        // Endings of items never shown (missed, or a test's) are all kept.
        try store.record([outcome(.done, at: t(hour: 12), reminder: 5), outcome(.done, at: t(hour: 13), reminder: 5)])
        #expect(try store.outcomes().map(\.outcome.kind) == [.shown, .done, .shown, .skipped, .done, .done])
    }
}
