import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory
import LimberNotifications

/// A presenter that remembers what it was asked to do.
final class RecordingPresenter: ReminderPresenter {
    var onAnswer: ((ReminderID, Answer) -> Void)?
    var shown: [Reminder] = []
    var withdrawn: [(ReminderID, WithdrawReason)] = []
    var onShow: ((Reminder) -> Void)?
    func show(_ reminder: Reminder, programs: [Program]) {
        onShow?(reminder)
        shown.append(reminder)
    }
    func withdraw(_ id: ReminderID, reason: WithdrawReason) { withdrawn.append((id, reason)) }
}

/// A clock the test moves by hand.
final class HandClock: @unchecked Sendable {
    var now = Moment(wall: Date(timeIntervalSince1970: 1_795_000_000), uptime: .seconds(100))
    func advance(_ d: Duration) { now = now + d }
}

func tempDirectory() -> String {
    let path = NSTemporaryDirectory() + "limber-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The repository's root, found from this file.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

@Suite struct ServiceTests {
    static func program() -> Configuration {
        let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing, dose: Dose(duration: .minutes(3)))
        let rule = ReminderRule(id: "every", title: "Move", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
        return Configuration(programs: [Program(id: "p", name: "P", exercises: [walk], reminders: [rule])],
                             settings: Settings(workingHours: DayWindow("00:00-24:00")!))
    }

    func makeService(_ clock: HandClock, dir: String, history: HistoryStore? = nil,
                     gate: ReminderGate? = nil) -> (ReminderService, RecordingPresenter) {
        let presenter = RecordingPresenter()
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let service = ReminderService(configuration: Self.program(), loader: loader, presenter: presenter, gate: gate,
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: Logger(label: "test"))
        return (service, presenter)
    }

    @Test func effectsReachThePresenterTheHistoryAndTheStateFile() throws {
        let dir = tempDirectory()
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        let (service, presenter) = makeService(clock, dir: dir, history: history)
        service.start()
        #expect(service.nextDeadline == clock.now.wall.addingTimeInterval(1800))
        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(presenter.shown.count == 1)
        presenter.onAnswer?(presenter.shown[0].id, .done)
        #expect(presenter.withdrawn.map(\.1) == [.answered])
        #expect(try history.outcomes().map(\.outcome.kind) == [.shown, .done])
        #expect(FileManager.default.fileExists(atPath: dir + "/state/state.json"))
    }

    /// The step's records go to the history writer before the presenter is
    /// asked to show anything (without a loop the writer works in place, so
    /// the row is already in the file here; with one, it commits while the
    /// Notify is on its way, and state.json follows the records).
    @Test func theShownRowIsWrittenBeforeTheReminderGoesOut() throws {
        let dir = tempDirectory()
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        let (service, presenter) = makeService(clock, dir: dir, history: history)
        var rowsAtShow: [[OutcomeKind]] = []
        presenter.onShow = { r in
            let (reader, _) = try! HistoryStore.open(at: dir + "/state/history.sqlite")
            rowsAtShow.append(try! reader.outcomes().filter { $0.outcome.reminder == r.id }.map(\.outcome.kind))
        }
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(presenter.shown.count == 1)
        #expect(rowsAtShow == [[.shown]])
    }

    /// Killed after the history got an answer but before the state file
    /// did: the restarted service carries the answer out once and writes no
    /// second ending (reliability-restarts found this window under load).
    @Test func aRestartCatchesUpWithAnAnswerTheStateFileMissed() throws {
        let dir = tempDirectory()
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        let (first, presenter) = makeService(clock, dir: dir, history: history)
        first.start()
        clock.advance(.minutes(30))
        first.send(.timer)
        let r = try #require(presenter.shown.first)
        let shown = try #require(try history.outcomes().first { $0.outcome.reminder == r.id }?.outcome)
        // What the killed limberd wrote to the history, and never to state.json.
        var done = shown
        done.kind = .done
        done.at = clock.now.wall
        _ = try history.record(done)

        clock.advance(.minutes(1))
        let (second, presenter2) = makeService(clock, dir: dir, history: history)
        var recorded: [Outcome] = []
        second.observe { if case .recorded(let o) = $0 { recorded.append(o) } }
        second.start()
        #expect(second.engine.onScreen == nil)
        #expect(presenter2.withdrawn.map(\.0) == [r.id])
        let kinds = try history.outcomes().filter { $0.outcome.reminder == r.id }.map(\.outcome.kind)
        #expect(kinds == [.shown, .done], "the store skips the replayed ending")
        #expect(!recorded.contains { $0.reminder == r.id }, "the replayed ending is not announced again")
        // And it stays so: a third start finds nothing to catch up with.
        let (third, presenter3) = makeService(clock, dir: dir, history: history)
        third.start()
        #expect(third.engine.onScreen == nil)
        #expect(presenter3.withdrawn.isEmpty)
        #expect(try history.outcomes().filter { $0.outcome.reminder == r.id }.count == 2)
    }

    /// Killed after the history got a reminder's rows but before the state
    /// file got its next id: the restarted service does not give that id
    /// to a second reminder.
    @Test func aRestartNeverReusesAReminderIDTheHistoryHolds() throws {
        let dir = tempDirectory()
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite")
        _ = try history.record(Outcome(reminder: 99, rule: RuleID(program: "p", rule: "every"), kind: .shown,
                                       exercises: [], at: clock.now.wall, dueAt: clock.now.wall))
        let (service, presenter) = makeService(clock, dir: dir, history: history)
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(presenter.shown.map(\.id) == [100])
    }

    @Test func aBadReloadKeepsTheRunningConfiguration() throws {
        let dir = tempDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/config/programs", withIntermediateDirectories: true)
        try "programs = [\"p\"]\nworking_hours = \"25:00-26:00\"\n".write(toFile: dir + "/config/limber.toml", atomically: true, encoding: .utf8)
        let clock = HandClock()
        let (service, _) = makeService(clock, dir: dir)
        var events: [ServiceEvent] = []
        service.observe { events.append($0) }
        service.start()
        let report = service.reload()
        #expect(!report.ok)
        #expect(report.diagnostics.contains { $0.hasPrefix(dir + "/config/limber.toml:2:") })
        #expect(service.engine.configuration == Self.program())
        #expect(service.statusLine.contains("next: Move"))
        #expect(events.contains { if case .reloaded(ok: false, _) = $0 { true } else { false } })
    }

    @Test func aGateCanHoldAndPostpone() throws {
        final class Gate: ReminderGate {
            var pending: ((GateDecision) -> Void)?
            func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void) { pending = decide }
        }
        let dir = tempDirectory()
        let clock = HandClock()
        let gate = Gate()
        let (service, presenter) = makeService(clock, dir: dir, gate: gate)
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(presenter.shown.isEmpty)
        #expect(gate.pending != nil)
        gate.pending?(.postpone(.minutes(10), reason: "in a call"))
        #expect(presenter.shown.isEmpty)
        clock.advance(.minutes(10))
        service.send(.timer)
        gate.pending?(.proceed)
        #expect(presenter.shown.count == 1)
    }

    /// A rule falling due while a gate reviews the reminder joins it: the
    /// gate is asked once, and every item's `shown` is recorded on proceed.
    @Test func aReminderUpdatedWhileHeldIsReviewedOnceAndLosesNoRecord() throws {
        final class Gate: ReminderGate {
            var reviews = 0
            var pending: ((GateDecision) -> Void)?
            func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void) { reviews += 1; pending = decide }
        }
        let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing)
        let a = ReminderRule(id: "a", title: "A", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
        let b = ReminderRule(id: "b", title: "B", cadence: .interval(every: .minutes(40)), pool: ExercisePool(exercises: ["walk"]))
        let config = Configuration(programs: [Program(id: "p", name: "P", exercises: [walk], reminders: [a, b])],
                                   settings: Settings(workingHours: DayWindow("00:00-24:00")!, coalesceWindow: .minutes(5)))
        let dir = tempDirectory()
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/history.sqlite")
        let presenter = RecordingPresenter()
        let gate = Gate()
        let service = ReminderService(configuration: config, loader: ConfigLoader(searchPath: SearchPath(directories: [dir])),
                                      presenter: presenter, gate: gate, stateStore: nil, history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: Logger(label: "test"))
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)            // A is due: held for review
        clock.advance(.minutes(10))
        service.send(.timer)            // B is due: merged into the held reminder
        #expect(gate.reviews == 1)
        gate.pending?(.proceed)
        #expect(presenter.shown.count == 1)
        #expect(presenter.shown.first?.items.map(\.rule.rule) == ["a", "b"])
        #expect(try history.outcomes().filter { $0.outcome.kind == .shown }.map(\.outcome.rule.rule).sorted() == ["a", "b"])
    }

    @Test func stateSurvivesARestartOfTheService() throws {
        let dir = tempDirectory()
        let clock = HandClock()
        do {
            let (service, presenter) = makeService(clock, dir: dir)
            service.start()
            clock.advance(.minutes(30))
            service.send(.timer)
            presenter.onAnswer?(presenter.shown[0].id, .snooze(.minutes(20)))
        }
        let (service, _) = makeService(clock, dir: dir)
        service.start()
        #expect(service.nextDeadline == clock.now.wall.addingTimeInterval(1200))
    }
}
