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

    /// The restart catch-up (ReminderService.catchUpWithHistory): the
    /// killed run's Done reached the file, state.json still shows the
    /// reminder; the new run replays the answer and writes it again, on
    /// the daemon's path (recordOrHold), in a file closed and reopened as
    /// a restart does. The store keeps the one row; the new run's next
    /// reminder gets an id above it and records as usual.
    @Test func aReplayedAnswerAfterARestartIsNotWrittenAgain() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        do {
            let killed = try HistoryStore.open(at: path).store
            try killed.record([outcome(.shown, at: t(hour: 9), reminder: 7), outcome(.shown, sitBreak, at: t(hour: 9), reminder: 7)])
            try killed.record([outcome(.done, at: t(hour: 9, minute: 2), reminder: 7),
                               outcome(.done, sitBreak, at: t(hour: 9, minute: 2), reminder: 7)])
            try killed.close()
        }
        let store = try HistoryStore.open(at: path).store
        #expect(try store.lastReminderID() == 7)
        guard case .saved(let ids, _) = store.recordOrHold([outcome(.done, at: t(hour: 9, minute: 5), reminder: 7),
                                                             outcome(.done, sitBreak, at: t(hour: 9, minute: 5), reminder: 7)]) else {
            Issue.record("the replayed answer was not taken")
            return
        }
        let rows = try store.outcomes()
        #expect(ids == rows.filter { $0.outcome.kind == .done }.map(\.id), "the first ending's row ids")
        #expect(rows.map(\.outcome.kind) == [.shown, .shown, .done, .done])
        #expect(rows.filter { $0.outcome.kind == .done }.map(\.outcome.at) == [t(hour: 9, minute: 2), t(hour: 9, minute: 2)])
        // The next reminder of the new run.
        _ = store.recordOrHold([outcome(.shown, at: t(hour: 10), reminder: 8), outcome(.skipped, at: t(hour: 10, minute: 1), reminder: 8)])
        #expect(try store.outcomes().map(\.outcome.kind) == [.shown, .shown, .done, .done, .shown, .skipped])
        #expect(try store.lastReminderID() == 8)
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
