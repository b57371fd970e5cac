import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory

/// With the disk full the daemon keeps running and says so: the status
/// line counts the outcomes held in memory, the journal says it once per
/// outage, and both clear when a write succeeds again.
@Suite struct HistoryDiskFullStatusTests {
    @Test func heldOutcomesShowInTheStatusUntilTheyAreWritten() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite", options: .init(maxPageCount: 40))
        let filled = fillHistory(history, before: clock.now.wall)
        #expect(filled > 0)
        let capture = NotifyLogCapture()
        let presenter = RecordingPresenter()
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let service = ReminderService(configuration: ServiceTests.program(), loader: loader, presenter: presenter,
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: capture.logger)
        var statuses: [String] = []
        service.observe { if case .statusChanged(let s) = $0 { statuses.append(s) } }
        service.start()
        #expect(!service.statusLine.contains("history:"))

        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(presenter.shown.count == 1, "the reminder is shown all the same")
        #expect(service.statusLine.contains("history: 1 outcome not yet written (disk full)"), "\(service.statusLine)")
        presenter.onAnswer?(presenter.shown[0].id, .done)
        #expect(service.engine.state.today.done == 1)
        #expect(service.statusLine.contains("history: 2 outcomes not yet written (disk full)"), "\(service.statusLine)")
        #expect(statuses.last?.contains("history: 2 outcomes not yet written (disk full)") == true, "sd_notify STATUS= follows")
        #expect(history.heldCount == 2)
        let errors = capture.entries.filter { $0.level == .error && $0.message.hasPrefix("history not written") }
        #expect(errors.count == 1, "the journal hears it once per outage: \(errors.map(\.message))")
        #expect(errors.first?.message.contains("disk full") == true)

        // Room again: the next wake-up writes the held outcomes first.
        try history.prune(olderThan: clock.now.wall.addingTimeInterval(-86_400), timeZone: TimeZone(identifier: "UTC")!)
        clock.advance(.minutes(1))
        service.send(.timer)
        #expect(history.heldCount == 0)
        #expect(try history.outcomes().map(\.outcome.kind) == [.shown, .done])
        #expect(!service.statusLine.contains("history:"), "\(service.statusLine)")
        #expect(statuses.last?.contains("history:") == false)
        #expect(capture.entries.contains { $0.level == .notice && $0.message == "history written again; 2 held outcome(s) saved" })

        // A second outage is told again.
        _ = fillHistory(history, before: clock.now.wall)
        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(service.statusLine.contains("history: 1 outcome not yet written (disk full)"), "\(service.statusLine)")
        #expect(capture.entries.filter { $0.level == .error && $0.message.hasPrefix("history not written") }.count == 2)
    }
}
