import Foundation
import Testing
@testable import LimberHistory

@Suite struct CorruptionRecoveryTests {
    func fill(_ path: String, rows: Int) throws {
        let (store, _) = try HistoryStore.open(at: path, now: t())
        try store.record((0..<rows).map { outcome(.done, at: t(minute: $0), reminder: UInt64($0), note: String(repeating: "x", count: 200)) })
        try store.close()
        // Closing folded the WAL into the file: the damage below is all there is.
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
    }

    @Test func garbageOverTheFileIsMovedAsideAndAFreshHistoryStarts() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        try fill(path, rows: 50)
        var garbage = [UInt8](repeating: 0, count: 64 * 1024)
        var rng = SystemRandomNumberGenerator()
        for i in garbage.indices { garbage[i] = UInt8.random(in: 0...255, using: &rng) }
        try Data(garbage).write(to: URL(fileURLWithPath: path))

        let now = t(day: 3, hour: 14, minute: 5, second: 9)
        let (store, report) = try HistoryStore.open(at: path, now: now)
        let moved = try #require(report.movedAside)
        // The database first, then whichever of its -wal/-shm files were there.
        #expect(moved.files.first == path + ".corrupt-20250304T140509Z")
        #expect(moved.files.dropFirst().allSatisfy { $0 == moved.files[0] + "-wal" || $0 == moved.files[0] + "-shm" })
        #expect(report.created)
        #expect(report.messages.first?.contains("moved it aside to \(path).corrupt-20250304T140509Z") == true)
        // The damaged bytes are kept for inspection, untouched.
        #expect(try Data(contentsOf: URL(fileURLWithPath: moved.files[0])) == Data(garbage))
        // The fresh history works.
        #expect(try store.outcomes().isEmpty)
        try store.record(outcome(.done, at: now))
        #expect(try store.outcomes().count == 1)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func damagedPagesInsideAValidFileAreCaughtByTheIntegrityCheck() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        try fill(path, rows: 400)
        // Keep the 100-byte header and page 1 (the schema); smash pages 2 to 5.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4 * 4096))
        try handle.close()

        let (store, report) = try HistoryStore.open(at: path, now: t(day: 1))
        let moved = try #require(report.movedAside)
        #expect(moved.reason.contains("integrity_check") || moved.reason.contains("malformed"))
        #expect(try store.outcomes().isEmpty)
        try store.record(outcome(.done, at: t(day: 1)))
        #expect(try store.outcomes().count == 1)
    }

    @Test func theWALAndSharedMemoryFilesMoveWithIt() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        try Data("this is not a database, just some text long enough".utf8).write(to: URL(fileURLWithPath: path))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + "-wal"))
        try Data([4, 5, 6]).write(to: URL(fileURLWithPath: path + "-shm"))
        let (_, report) = try HistoryStore.open(at: path, now: t())
        let base = path + ".corrupt-20250301T000000Z"
        #expect(report.movedAside?.files == [base, base + "-wal", base + "-shm"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: base + "-wal")) == Data([1, 2, 3]))
    }

    @Test func aSecondCorruptionTheSameSecondGetsItsOwnName() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        for _ in 0..<2 {
            try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
            let (store, _) = try HistoryStore.open(at: path, now: t())
            try store.close()
        }
        #expect(dir.listing().filter { $0.contains(".corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") } == [
            "history.sqlite.corrupt-20250301T000000Z", "history.sqlite.corrupt-20250301T000000Z-1",
        ])
    }
}
