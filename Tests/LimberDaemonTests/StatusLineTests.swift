import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon

/// One builder makes the status line; sd_notify, the StatusLine property
/// and limberctl all read it (the reload failure was once added in three
/// places, twice over in some of them).
@Suite struct StatusLineTests {
    @Test func aFailedReloadIsSaidOnceEverywhere() throws {
        let dir = tempDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/config/programs", withIntermediateDirectories: true)
        try "programs = [\"p\"]\nworking_hours = \"25:00-26:00\"\n".write(toFile: dir + "/config/limber.toml", atomically: true, encoding: .utf8)
        let clock = HandClock()
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let service = ReminderService(configuration: ServiceTests.program(), loader: loader, presenter: RecordingPresenter(),
                                      statusSources: [{ "idle source: test" }, { nil }], stateStore: nil, history: nil,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: Logger(label: "test"))
        var announced: [String] = []
        service.observe { if case .statusChanged(let line) = $0 { announced.append(line) } }
        let api = ControlAPI(service: service, reload: { service.reload() }, loop: nil, configDirectory: dir + "/config",
                             logger: Logger(label: "test"))
        service.start()
        service.reload()
        let line = service.statusLine
        #expect(line.components(separatedBy: "reload failed").count == 2, "\(line)")
        #expect(line.contains("; idle source: test"))
        #expect(line.hasPrefix("next: Move"))
        #expect(api.currentProperties()["StatusLine"] == .string(line))
        #expect(announced.last == line)
    }

    @Test func thePartsInOrder() {
        let status = EngineStatus(nextRule: nil, nextTitle: "Move", nextAt: Date(timeIntervalSince1970: 600), showing: nil,
                                  pausedUntil: nil, away: false, shownToday: 2, doneToday: 1)
        let line = StatusLine.text(status, now: Date(timeIntervalSince1970: 0), history: "history: 1 outcome not yet written (disk full)",
                                   sources: ["idle source: logind", "", nil], reloadErrors: ["a.toml:1:1: bad", "b.toml:2:2: worse"])
        #expect(line == "next: Move in 10 min; 1 of 2 done today; history: 1 outcome not yet written (disk full); "
                + "idle source: logind; reload failed: a.toml:1:1: bad")
    }
}
