import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory

/// Activity through a real ReminderService into a real SQLite history:
/// written on presence changes, after 15 minutes piled up, at stop, and
/// kept in memory while the disk is full.
@Suite struct ActivityRecordingTests {
    func makeService(_ clock: HandClock, dir: String, history: HistoryStore?, logger: Logger = Logger(label: "test")) -> ReminderService {
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        return ReminderService(configuration: ServiceTests.program(), loader: loader, presenter: RecordingPresenter(),
                               stateStore: StateStore(directory: dir + "/state"), history: history,
                               timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: logger)
    }

    func stored(_ history: HistoryStore) throws -> [Double] {
        let rows = try history.activity()
        return [rows.reduce(0) { $0 + $1.activeSeconds }, rows.reduce(0) { $0 + $1.breakSeconds }]
    }

    @Test func eachPresenceChangeIsWrittenAtOnce() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        let service = makeService(clock, dir: dir, history: history)
        service.start()
        clock.advance(.minutes(12))
        service.send(.idle(since: nil))
        #expect(try stored(history) == [720, 0], "the active stretch is on disk as the user goes idle")
        clock.advance(.minutes(6))
        service.send(.active)
        #expect(try stored(history) == [720, 360])
        clock.advance(.minutes(3))
        service.send(.locked)
        clock.advance(.minutes(2))
        service.send(.unlocked)
        #expect(try stored(history) == [900, 480])
        let day = Day(clock.now.wall, in: TimeZone(identifier: "UTC")!)
        #expect(try history.activity().map(\.day) == [day])
    }

    @Test func aLongActiveStretchIsWrittenEveryFifteenMinutesOnWakeUpsTheLoopHasAnyway() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        let service = makeService(clock, dir: dir, history: history)
        service.start()
        clock.advance(.minutes(10))
        service.send(.timer)
        #expect(try stored(history) == [0, 0], "10 minutes: not yet")
        clock.advance(.minutes(5))
        service.send(.timer)
        #expect(try stored(history) == [900, 0], "15 minutes: written, so a crash loses less than that")
    }

    @Test func stopWritesWhatIsLeftAndStatsShowIt() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        let service = makeService(clock, dir: dir, history: history)
        service.start()
        clock.advance(.minutes(40))
        service.send(.idle(since: clock.now.uptime - .minutes(5)))
        clock.advance(.minutes(7))
        service.stop()
        #expect(try stored(history) == [35 * 60, 12 * 60])
        let stats = try history.stats(.week, now: clock.now.wall, timeZone: TimeZone(identifier: "UTC")!)
        let a = try #require(stats.activity)
        #expect(a.activeSeconds == 35 * 60 && a.breakSeconds == 12 * 60)
        let text = StatsText(color: false).render(stats)
        #expect(text.contains("breaks"), "\(text)")
    }

    @Test func withTheDiskFullActivityIsKeptInMemoryAndWrittenLater() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite", options: .init(maxPageCount: 40))
        let filled = fillHistory(history, before: clock.now.wall)
        #expect(filled > 0)
        let capture = NotifyLogCapture()
        let service = makeService(clock, dir: dir, history: history, logger: capture.logger)
        service.start()
        clock.advance(.minutes(10))
        service.send(.locked)
        clock.advance(.minutes(5))
        service.send(.unlocked)
        #expect(try history.activity(from: Day(clock.now.wall, in: TimeZone(identifier: "UTC")!)).isEmpty)
        #expect(service.activity.writeError?.isDiskFull == true)
        #expect(service.activity.accumulator.pendingSeconds == 15 * 60)
        let errors = capture.entries.filter { $0.level == .error && $0.message.contains("activity not written") }
        #expect(errors.count == 1, "once per outage")
        #expect(service.statusLine.contains("history: activity not yet written (disk full)"), "\(service.statusLine)")

        try history.prune(olderThan: clock.now.wall, timeZone: TimeZone(identifier: "UTC")!)
        clock.advance(.minutes(1))
        service.send(.locked)
        #expect(try stored(history) == [11 * 60, 5 * 60])
        #expect(service.activity.writeError == nil)
        #expect(capture.entries.contains { $0.level == .notice && $0.message.contains("activity written again") })
        #expect(!service.statusLine.contains("history:"))
    }
}

/// Writes large outcomes before `before` until the history is full;
/// returns how many fit.
func fillHistory(_ history: HistoryStore, before: Date) -> Int {
    let note = String(repeating: "n", count: 500)
    var n = 0
    while n < 100_000 {
        let at = before.addingTimeInterval(-86_400 * 400 + Double(n))
        let o = Outcome(reminder: UInt64(n + 1_000_000), rule: RuleID(program: "old", rule: "r"), kind: .done,
                        exercises: [], at: at, dueAt: at, note: note)
        do { try history.record(o) } catch { break }
        n += 1
    }
    // Then small rows into what room is left, so even a small write fails.
    for d in 0..<10_000 {
        let day = Day(before.addingTimeInterval(-86_400 * Double(500 + d)), in: TimeZone(identifier: "UTC")!)
        do { try history.addActivity(on: day, activeSeconds: 1, breakSeconds: 1) } catch { break }
    }
    return n
}
