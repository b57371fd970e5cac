import Foundation
import Logging
import Systemd
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
import LimberNotifications

/// One test's world: a loop, a private session bus, the test's own control
/// connection on it, and a NotificationPresenter connected through a
/// BusSupervisor with a recording fallback.
final class NotificationRig {
    static let fullCapabilities = ["actions", "body", "body-markup", "persistence"]

    let loop: EventLoop
    let bus: PrivateSessionBus
    private(set) var control: Bus
    let capture = NotifyLogCapture()
    let fallback = FallbackRecorder()
    private(set) var supervisor: BusSupervisor
    /// The one notification client, shared by the presenter and a check-in prompt.
    let client: NotificationClient
    let presenter: NotificationPresenter
    var answers: [(ReminderID, Answer)] = []
    /// What "How to" (or a click on the body) does: a test sets it.
    final class GuideHook { var open: (Reminder, [Program]) -> Void = { _, _ in } }
    let guide = GuideHook()
    private var peers: [() -> Void] = []

    init(callTimeout: Duration = .seconds(2), lateReplyTimeout: Duration = .seconds(25), idStore: NotificationIDStore? = nil) throws {
        loop = try EventLoop()
        bus = try PrivateSessionBus()
        control = try bus.connect()
        try control.attach(to: loop)
        supervisor = bus.supervisor(loop: loop, logger: capture.logger)
        client = NotificationClient(bus: supervisor, whileDown: "reminders go to the fallback", logger: capture.logger,
                                    callTimeout: callTimeout, lateReplyTimeout: lateReplyTimeout)
        presenter = NotificationPresenter(client: client, fallback: fallback, idStore: idStore,
                                          openGuide: { [guide] in guide.open($0, $1) }, logger: capture.logger)
        presenter.onAnswer = { [unowned self] id, answer in self.answers.append((id, answer)) }
    }

    /// Connects the presenter (as `Daemon.run()` does).
    func connect() {
        supervisor.connect()
    }

    /// A new control connection (after the bus was restarted).
    func reconnectControl() throws {
        control = try bus.connect()
        try control.attach(to: loop)
    }

    func startMock(capabilities: [String] = NotificationRig.fullCapabilities) throws -> NotificationMock {
        let mock = try NotificationMock(on: bus, capabilities: capabilities, loop: loop, control: control)
        peers.append { mock.stop() }
        return mock
    }

    func startHungServer() throws -> HungNotificationServer {
        let server = try HungNotificationServer(on: bus, loop: loop, control: control)
        peers.append { server.stop() }
        return server
    }

    func startSlowServer() throws -> SlowNotificationServer {
        let server = try SlowNotificationServer(on: bus, loop: loop, control: control)
        peers.append { server.stop() }
        return server
    }

    func startDunst() throws -> DunstServer {
        let dunst = try DunstServer(on: bus, loop: loop, control: control)
        peers.append { dunst.stop() }
        return dunst
    }

    func run(until what: String, timeout: Duration = .seconds(15), pace: Duration = .milliseconds(100),
             _ condition: () throws -> Bool) throws {
        try runLoop(loop, until: what, timeout: timeout, pace: pace, condition)
    }

    /// Connected, and the server's capabilities are in.
    func connectAndWaitForCapabilities() throws {
        connect()
        try run(until: "GetCapabilities answered") { presenter.capabilities != nil }
    }

    /// Shows `r` and waits until the server gave it an id.
    @discardableResult
    func showOnServer(_ r: Reminder) throws -> UInt32 {
        presenter.show(r, programs: [])
        try run(until: "Notify for reminder \(r.id) answered") { presenter.notificationID(for: r.id) != nil }
        return presenter.notificationID(for: r.id)!
    }

    func warnings() -> [String] { capture.entries.filter { $0.level == .warning }.map(\.message) }
    func notices() -> [String] { capture.entries.filter { $0.level == .notice }.map(\.message) }

    /// Peers first (dunst before the bus), then the bus.
    func stop() {
        for stop in peers.reversed() { stop() }
        peers = []
        bus.stop()
    }

    deinit { stop() }
}

/// The fallback presenter of the tests: remembers what it was given.
final class FallbackRecorder: ReminderPresenter {
    var onAnswer: ((ReminderID, Answer) -> Void)?
    var shown: [Reminder] = []
    var withdrawn: [(ReminderID, WithdrawReason)] = []
    func show(_ reminder: Reminder, programs: [Program]) { shown.append(reminder) }
    func withdraw(_ id: ReminderID, reason: WithdrawReason) { withdrawn.append((id, reason)) }
}

/// One program, one rule: "Move", walk 3 min, every 30 min, all day.
func notificationTestConfiguration() -> Configuration {
    let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing, dose: Dose(duration: .minutes(3)))
    let rule = ReminderRule(id: "every", title: "Move", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
    return Configuration(programs: [Program(id: "p", name: "P", exercises: [walk], reminders: [rule])],
                         settings: Settings(workingHours: DayWindow("00:00-24:00")!))
}

/// A ReminderService on the test's hand clock that shows through `presenter`.
func notificationTestService(presenter: ReminderPresenter, clock: NotificationTestClock, dir: String) -> ReminderService {
    let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
    return ReminderService(configuration: notificationTestConfiguration(), loader: loader, presenter: presenter,
                           stateStore: StateStore(directory: dir + "/state"), history: nil,
                           timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: Logger(label: "test"))
}

/// A clock the test moves by hand.
final class NotificationTestClock {
    var now = Moment(wall: Date(timeIntervalSince1970: 1_795_000_000), uptime: .seconds(100))
    func advance(_ d: Duration) { now = now + d }
}
