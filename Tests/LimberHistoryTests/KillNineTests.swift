import Foundation
import GRDB
import Testing
@testable import LimberHistory

/// A writer process killed with SIGKILL mid-stream loses no committed
/// outcome and leaves no half-written transaction.
@Suite struct KillNineTests {
    static var writerPath: String {
        ProcessInfo.processInfo.environment["LIMBER_HISTORY_WRITER"]
            ?? (buildProductsDirectory() as NSString).appendingPathComponent("limber-history-writer")
    }

    /// Runs the writer until `commits` transactions are reported, kills it,
    /// returns the ids it reported.
    func runAndKill(path: String, after commits: Int) throws -> [Int64] {
        let writer = Self.writerPath
        try #require(FileManager.default.isExecutableFile(atPath: writer),
                     "the writer helper is missing at \(writer): build the package's limber-history-writer target")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = [path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }

        let reader = LineReader(fd: out.fileHandleForReading.fileDescriptor)
        let deadline = ContinuousClock.now + .seconds(120)
        #expect(try reader.next(before: deadline) == "ready")
        var ids: [Int64] = []
        var seen = 0
        while seen < commits {
            guard let line = try reader.next(before: deadline) else {
                Issue.record("the writer exited early after \(seen) commits")
                break
            }
            guard line.hasPrefix("committed ") else { continue }
            ids += line.dropFirst("committed ".count).split(separator: " ").compactMap { Int64($0) }
            seen += 1
        }
        // Kill at once: the writer is in its next transaction by now.
        #expect(kill(process.processIdentifier, SIGKILL) == 0)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        // Lines written before the kill but not read yet are commits too.
        while let line = try reader.next(before: deadline) {
            if line.hasPrefix("committed ") {
                ids += line.dropFirst("committed ".count).split(separator: " ").compactMap { Int64($0) }
            }
        }
        return ids
    }

    @Test func killedWriterLosesNoCommittedOutcome() throws {
        let dir = TempDir()
        let path = dir.file("history.sqlite")
        var reported: [Int64] = []
        // Three runs on the same file: each one recovers the last one's WAL.
        for commits in [40, 150, 97] {
            reported += try runAndKill(path: path, after: commits)
        }

        let (store, report) = try HistoryStore.open(at: path, now: t())
        #expect(report.movedAside == nil)
        #expect(try store.integrityCheck() == ["ok"])
        let rows = try store.outcomes()
        let stored = Set(rows.map(\.id))
        let missing = reported.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "committed ids missing after kill -9: \(missing.prefix(10))")
        #expect(rows.count >= reported.count)
        print("kill -9 test: \(reported.count) outcomes reported committed, \(rows.count) stored")
        // At most each run's one in-flight batch (≤ 3 rows) was committed unreported.
        #expect(rows.count - reported.count <= 3 * 3)
        // No torn transactions: every batch ("writer i.k") is whole.
        var batches: [String: Set<Int>] = [:]
        for r in rows {
            let parts = (r.outcome.note ?? "").dropFirst("writer ".count).split(separator: ".")
            batches["\(r.outcome.at.timeIntervalSince1970 - Double(Int(parts[1])!)) \(parts[0])", default: []].insert(Int(parts[1])!)
        }
        for (key, ks) in batches {
            let i = Int(key.split(separator: " ")[1])!
            #expect(ks == Set(0...(i % 3)), "batch \(key) is torn: \(ks.sorted())")
        }
    }
}
