import Foundation
import Logging
import Synchronization
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory
import Systemd

/// `history_retention` applied by the daemon: at start, after a reload and
/// once a day, with a journal line saying how much went.
@Suite struct HistoryRetentionTests {
    static let utc = TimeZone(identifier: "UTC")!

    func configuration(_ retention: HistoryRetention) -> Configuration {
        var c = ServiceTests.program()
        c.settings.historyRetention = retention
        return c
    }

    func makeService(_ clock: HandClock, dir: String, history: HistoryStore, retention: HistoryRetention,
                     capture: NotifyLogCapture) -> ReminderService {
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let s = ReminderService(configuration: configuration(retention), loader: loader, presenter: RecordingPresenter(),
                                stateStore: StateStore(directory: dir + "/state"), history: history,
                                timeZone: Self.utc, clock: { clock.now },
                                logger: capture.logger)
        return s
    }

    /// One outcome, one check-in and one day of activity `daysAgo` days before `now`.
    func seed(_ history: HistoryStore, now: Date, daysAgo: [Int]) throws {
        for d in daysAgo {
            let at = now.addingTimeInterval(-Double(d) * 86_400)
            try history.record(Outcome(reminder: UInt64(d), rule: RuleID(program: "p", rule: "every"), kind: .done,
                                       exercises: [], at: at, dueAt: at))
            _ = history.checkIn(CheckIn(at: at, pain: 3))
            try history.addActivity(on: Day(at, in: Self.utc), activeSeconds: 60, breakSeconds: 10)
        }
    }

    func infos(_ capture: NotifyLogCapture) -> [String] {
        capture.entries.filter { $0.level == .info && $0.message.hasPrefix("history retention") }.map(\.message)
    }

    @Test func startPrunesWhatIsOlderThanTheRetention() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        try seed(history, now: clock.now.wall, daysAgo: [400, 120, 10])
        let capture = NotifyLogCapture()
        let service = makeService(clock, dir: dir, history: history, retention: .days(90), capture: capture)
        service.start()
        let summary = try history.summary()
        #expect(summary.outcomes == 1 && summary.checkIns == 1 && summary.activityDays == 1)
        #expect(infos(capture) == ["history retention 90d (start): pruned 2 outcome(s), 2 check-in(s) and 2 day(s) of activity"])
    }

    @Test func foreverKeepsEverything() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        try seed(history, now: clock.now.wall, daysAgo: [4000, 10])
        let capture = NotifyLogCapture()
        let service = makeService(clock, dir: dir, history: history, retention: .forever, capture: capture)
        service.start()
        service.dailyHousekeeping()
        #expect(try history.summary().outcomes == 2)
        #expect(infos(capture).isEmpty)
    }

    @Test func aReloadThatShortensTheRetentionPrunesAtOnce() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/config", withIntermediateDirectories: true)
        try "programs = []\nhistory_retention = \"30d\"\n".write(toFile: dir + "/config/limber.toml", atomically: true, encoding: .utf8)
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        try seed(history, now: clock.now.wall, daysAgo: [45, 10])
        let capture = NotifyLogCapture()
        let service = makeService(clock, dir: dir, history: history, retention: .forever, capture: capture)
        service.start()
        #expect(try history.summary().outcomes == 2)
        #expect(service.reload().ok)
        #expect(service.engine.configuration.settings.historyRetention == .days(30))
        #expect(try history.summary().outcomes == 1)
        #expect(infos(capture) == ["history retention 30d (reload): pruned 1 outcome(s), 1 check-in(s) and 1 day(s) of activity"])
    }

    @Test func theDailyRunPrunesWhatHasAgedSince() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        try seed(history, now: clock.now.wall, daysAgo: [89])
        let capture = NotifyLogCapture()
        let service = makeService(clock, dir: dir, history: history, retention: .days(90), capture: capture)
        service.start()
        #expect(try history.summary().outcomes == 1)
        clock.advance(.hours(48))
        service.dailyHousekeeping()
        #expect(try history.summary().outcomes == 0)
        #expect(infos(capture).last == "history retention 90d (daily): pruned 1 outcome(s), 1 check-in(s) and 1 day(s) of activity")
    }

    @Test func retentionRunsOnTheHistoryWriterOffTheLoop() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        try seed(history, now: clock.now.wall, daysAgo: [400])
        let capture = NotifyLogCapture()
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let loop = try EventLoop()
        let service = ReminderService(configuration: configuration(.days(7)), loader: loader, presenter: RecordingPresenter(),
                                      stateStore: nil, history: history, timeZone: Self.utc, clock: { clock.now },
                                      loop: loop, logger: capture.logger)
        let done = DispatchSemaphore(value: 0)
        let loopThread = UInt(pthread_self())   // the test runs the loop's side
        let prunedOn = Mutex<UInt?>(nil)
        service.onRetentionApplied = { r in
            #expect(r.outcomes == 1)
            prunedOn.withLock { $0 = UInt(pthread_self()) }
            done.signal()
        }
        service.start()
        #expect(done.wait(timeout: .now() + 60) == .success, "the prune on the writer finished")
        #expect(prunedOn.withLock { $0 } != loopThread, "not on the loop's thread")
        #expect(try history.summary().outcomes == 0)
    }

    @Test func theDailyTimerIsForJustAfterTheNextLocalMidnight() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 2026-03-28 22:00 UTC = 23:00 CET; the night DST starts.
        let evening = Date(timeIntervalSince1970: 1_774_735_200)
        #expect(Daemon.nextHousekeeping(after: evening, timeZone: berlin) == Date(timeIntervalSince1970: 1_774_735_200 + 3600 + 300))
        // Just after a run (00:05:01 CET): tomorrow's, 23 hours on (the DST day is short).
        let justAfter = Date(timeIntervalSince1970: 1_774_735_200 + 3600 + 301)
        #expect(Daemon.nextHousekeeping(after: justAfter, timeZone: berlin) == Date(timeIntervalSince1970: 1_774_735_200 + 3600 + 300 + 23 * 3600))
        let utcNoon = Date(timeIntervalSince1970: 1_795_392_000 + 12 * 3600)
        #expect(Daemon.nextHousekeeping(after: utcNoon, timeZone: Self.utc) == Date(timeIntervalSince1970: 1_795_392_000 + 86_400 + 300))
    }
}
