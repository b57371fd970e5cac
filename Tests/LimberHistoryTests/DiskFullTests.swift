import Foundation
import Testing
@testable import LimberHistory

/// With the disk full (SQLite's max_page_count stands in for it), writes fail
/// with `.diskFull`, nothing half-written stays, and `recordOrHold` keeps the
/// outcomes in memory until a write succeeds again.
@Suite struct DiskFullTests {
    static let note = String(repeating: "n", count: 500)

    /// Writes until the database says it is full; returns how many were written.
    func fillUp(_ store: HistoryStore, note: String = Self.note) -> Int {
        var n = 0
        while n < 100_000 {
            do {
                try store.record(outcome(.done, at: t(minute: n), reminder: UInt64(n), note: note))
                n += 1
            } catch {
                #expect(error.isDiskFull, "expected disk full, got \(error)")
                return n
            }
        }
        Issue.record("never filled up")
        return n
    }

    @Test func aFullDiskThrowsATypedErrorAndLeavesNoHalfTransaction() throws {
        let dir = TempDir()
        let store = try freshStore(dir, options: .init(maxPageCount: 40))
        let written = fillUp(store)
        #expect(written > 0)
        let batch = (0..<50).map { outcome(.shown, at: t(day: 1, minute: $0), note: Self.note) }
        #expect(throws: HistoryError.self) { try store.record(batch) }
        #expect(try store.outcomes().count == written)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func outcomesAreHeldWhileFullAndWrittenOnceThereIsRoom() throws {
        let dir = TempDir()
        let store = try freshStore(dir, options: .init(maxPageCount: 40, holdLimit: 3))
        // Full for large rows, then for rows the size of the held ones: how
        // much room the large rows leave depends on the schema's own pages.
        let written = fillUp(store) + fillUp(store, note: "fill 0")

        // The daemon keeps going: each outcome is held, and it is told so.
        for i in 0..<5 {
            let result = store.recordOrHold([outcome(.done, at: t(day: 2, minute: i), note: "held \(i)")])
            guard case .held(let held, let dropped, let error) = result else {
                Issue.record("expected held, got \(result)")
                return
            }
            #expect(held == min(i + 1, 3))
            #expect(dropped == max(0, i + 1 - 3))
            #expect(error.isDiskFull)
            #expect(error.description.contains("disk full"))
        }
        #expect(store.heldCount == 3)

        // Room again (old history pruned): the held outcomes go in first.
        try store.prune(olderThan: t(day: 1), timeZone: utc)
        let result = store.recordOrHold([outcome(.done, at: t(day: 2, minute: 9), note: "new")])
        guard case .saved(let ids, let flushed) = result else {
            Issue.record("expected saved, got \(result)")
            return
        }
        #expect(flushed == 3)
        #expect(ids.count == 1)
        #expect(store.heldCount == 0)
        #expect(try store.outcomes().map(\.outcome.note) == ["held 2", "held 3", "held 4", "new"])
        #expect(written > 0)
    }

    @Test func checkInAdviceStandsEvenWhenTheDiskIsFull() throws {
        let dir = TempDir()
        let store = try freshStore(dir, options: .init(maxPageCount: 40))
        _ = fillUp(store)
        let response = store.checkIn(CheckIn(at: t(day: 1), pain: 6, reach: .calf, redFlags: [.footDrop],
                                             note: String(repeating: "z", count: 20_000)))
        #expect(response.id == nil)
        #expect(response.storeError?.contains("disk full") == true)
        #expect(response.urgent)
        #expect(response.advice.first?.contains("urgent") == true)
    }
}
