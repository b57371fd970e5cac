import Foundation
import LimberAPI
import Testing
import Systemd
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory
import LimberNotifications

/// "Has the flare settled?" as a notification with Yes / Not yet, against
/// python3-dbusmock's notification server on a private bus, through a real
/// ReminderService and a real SQLite history: asked once the phase has had
/// its days, Not yet waits its days, Yes moves the program on and the move
/// is in the history.
@Suite(.serialized) struct PhaseQuestionNotificationTests {
    static let question = "Has the flare settled?"

    /// One program: a walk every 30 minutes; Flare (7 days, ends by
    /// confirmation, asked again after 3), Recovery (7 days), Maintenance.
    static func configuration() -> Configuration {
        let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing, dose: Dose(duration: .minutes(3)))
        let rule = ReminderRule(id: "every", title: "Move", cadence: .interval(every: .minutes(30)), pool: ExercisePool(exercises: ["walk"]))
        let bend = ReminderRule(id: "bend", title: "Bending stretch", cadence: .interval(every: .hours(3)), pool: ExercisePool(exercises: ["walk"]),
                                phases: ["recovery"])
        let phases = [
            Phase(id: "acute", name: "Flare", days: 7, advance: .confirm(question: question, askEveryDays: 3)),
            Phase(id: "recovery", name: "Recovery", days: 7, summary: "Add the bending stretches."),
            Phase(id: "maintenance", name: "Maintenance", days: nil),
        ]
        return Configuration(programs: [Program(id: "back", name: "Back program", exercises: [walk], reminders: [rule, bend], phases: phases)],
                             settings: Settings(workingHours: DayWindow("00:00-24:00")!))
    }

    final class World {
        let rig: NotificationRig
        let mock: NotificationMock
        let clock = NotificationTestClock()
        let dir: String
        let history: HistoryStore
        let service: ReminderService
        let prompt: PhaseQuestionPrompt

        init() throws {
            rig = try NotificationRig()
            mock = try rig.startMock()
            dir = try shortTemporaryDirectory("limber-pq")
            history = try HistoryStore.open(at: dir + "/state/history.sqlite").store
            let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
            service = ReminderService(configuration: PhaseQuestionNotificationTests.configuration(), loader: loader, presenter: rig.presenter,
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { [clock] in clock.now }, logger: rig.capture.logger)
            prompt = PhaseQuestionPrompt(service: service, client: rig.client, logger: rig.capture.logger)
            try rig.connectAndWaitForCapabilities()
            service.start()
        }

        func questions() throws -> [MockCall] {
            try mock.notifies(summary: PhaseQuestionNotificationTests.question)
        }

        var phase: String? { service.engine.phaseStatus(of: "back", on: clock.now.wall)?.phase.id }

        /// Half an hour on: the walk reminder is shown (the person is at the machine).
        func showReminder() throws {
            clock.advance(.minutes(30))
            service.send(.timer)
            let shown = try #require(service.engine.state.showing)
            try rig.run(until: "the reminder on the server") { rig.presenter.notificationID(for: shown.id) != nil }
            service.send(.answer(shown.id, .done))
        }

        func stop() {
            rig.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func askedAfterThePhasesDaysNotYetWaitsAndYesMovesOnInTheHistory() throws {
        let w = try World()
        defer { w.stop() }
        try w.showReminder()
        #expect(w.prompt.askingAbout == nil, "day 1 of the flare: no question")

        // The program started 8 days ago: the flare has had its 7 days.
        w.service.sendPhaseEvent(.startProgram("back", on: w.clock.now.wall - 8 * 86_400), source: "cli")
        #expect(w.prompt.askingAbout == "back")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        let q = try #require(try w.questions().first?.arguments)
        #expect(q[0].stringValue == "limber")
        #expect(q[4].stringValue == "Back program: Flare, day 9.\nYes: move on to Recovery, which adds Bending stretch.\nNot yet: stay in Flare; asked again in 3 days.")
        #expect(q[5].stringArrayValue == [PhaseQuestionPrompt.yesKey, "Yes", PhaseQuestionPrompt.notYetKey, "Not yet"])
        #expect(try #require(q[6].stringKeyedDict)["category"]?.stringValue == PhaseQuestionPrompt.category)
        #expect(q[7] == .int32(0), "it stays until answered")

        // Not yet: the program stays; the question goes and waits 3 days.
        let first = try #require(w.prompt.notificationID)
        try w.mock.emit("ActionInvoked", [.uint32(first), .string(PhaseQuestionPrompt.notYetKey)])
        try w.rig.run(until: "Not yet reached the core") { w.service.engine.state.phaseAsked?["back"] != nil }
        #expect(w.phase == "acute")
        try w.rig.run(until: "the question closed") {
            try w.mock.closed(first)
        }
        w.clock.advance(.seconds(86_400 * 2))
        try w.showReminder()
        #expect(w.prompt.askingAbout == nil, "two days after Not yet: not asked")
        #expect(try w.history.phaseMoves().isEmpty)

        // Three days after Not yet, a reminder shown asks again; Yes moves on.
        w.clock.advance(.seconds(86_400))
        try w.showReminder()
        #expect(w.prompt.askingAbout == "back")
        try w.rig.run(until: "the question again") { w.prompt.notificationID != nil && w.prompt.notificationID != first }
        let second = try #require(w.prompt.notificationID)
        try w.mock.emit("ActionInvoked", [.uint32(second), .string(PhaseQuestionPrompt.yesKey)])
        try w.rig.run(until: "Yes moved the program on") { w.phase == "recovery" }
        let moves = try w.history.phaseMoves()
        #expect(moves.count == 1)
        #expect(moves.first?.program == "back")
        #expect(moves.first?.from == "acute")
        #expect(moves.first?.to == "recovery")
        #expect(moves.first?.source == "notification")
        #expect(moves.first?.reason.hasPrefix("you answered Yes to \"Has the flare settled?\"") == true)
        #expect(w.prompt.askingAbout == nil)
        #expect(try w.questions().count == 2)
    }

    @Test func anAnswerFromLimberctlClosesTheQuestionAndItsStaleYesMovesNothing() throws {
        let w = try World()
        defer { w.stop() }
        w.service.sendPhaseEvent(.startProgram("back", on: w.clock.now.wall - 8 * 86_400), source: "cli")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        let nid = try #require(w.prompt.notificationID)

        // Answered Yes in the terminal: the question on screen is closed.
        w.service.sendPhaseEvent(.confirmPhase(program: "back", settled: true), source: "cli")
        #expect(w.phase == "recovery")
        #expect(w.prompt.askingAbout == nil)
        try w.rig.run(until: "the question closed") {
            try w.mock.closed(nid)
        }
        // Its Yes pressed late (a server that kept it): no second move.
        try w.mock.emit("ActionInvoked", [.uint32(nid), .string(PhaseQuestionPrompt.yesKey)])
        try w.showReminder()
        #expect(w.phase == "recovery")
        let moves = try w.history.phaseMoves()
        #expect(moves.map(\.to) == ["recovery"])
        #expect(moves.first?.source == "cli")
    }

    @Test func aMoveByThePersonIsRecordedWithItsReason() throws {
        let w = try World()
        defer { w.stop() }
        w.service.sendPhaseEvent(.setPhase(program: "back", phase: "maintenance", reason: "moved by you"), source: "cli")
        w.service.sendPhaseEvent(.setPhase(program: "back", phase: "acute", reason: "a new flare"), source: "cli")
        let moves = try w.history.phaseMoves()
        #expect(moves.map { "\($0.from)→\($0.to): \($0.reason) (\($0.source))" }
                == ["acute→maintenance: moved by you (cli)", "maintenance→acute: a new flare (cli)"])
    }

    /// The shipped sciatica program's question, as a person reads it.
    @Test func theShippedProgramsQuestionSaysWhatYesAdds() throws {
        let p = try #require(try NotificationBodyGoldenTests.shippedPrograms().first { $0.id == "sciatica-relief" })
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let calendar = LocalCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let s = try #require(p.phaseStatus(started: start, mark: nil, on: start + 7 * 86_400, calendar: calendar))
        #expect(s.waiting != nil)
        #expect(PhaseQuestionPrompt.body(p, s) == """
            Sciatica relief: Flare: the first week, day 8.
            Yes: move on to Recovery, which adds Nerve glides, Strength snack, Gentle stretches.
            Not yet: stay in Flare: the first week; asked again in 3 days.
            """)
    }

}

/// The limberd binary, end to end: the shipped sciatica program's flare
/// question reaches the notification server, its Yes moves the program on,
/// and the move is in the history file.
@Suite struct PhaseQuestionDaemonTests {
    @Test func limberdAsksTheFlareQuestionAndRecordsTheYes() throws {
        let rig = try LimberdOnNotificationMock()
        defer { rig.stop() }
        try rig.startLimberd(environment: ["TZ": "UTC"])
        try rig.waitForLimberd(owning: LimberBus.name)
        let (loop, control, mock, home) = (rig.loop, rig.control, rig.mock, rig.home)
        func api(_ member: String, _ args: [BusValue]) throws -> [String: BusValue] {
            try control.call(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                             member: member, arguments: args, timeout: .seconds(20)).first?.stringKeyedDict ?? [:]
        }

        // The program started ten days ago: the flare's 7 days are over.
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        let started = try api("StartProgram", [.string("sciatica-relief"), .string(f.string(from: Date() - 10 * 86_400))])
        #expect(started["phase"]?.stringValue == "acute")
        #expect(started["question"]?.stringValue == "Has the flare settled?")
        let phases = try control.call(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                                      member: "Status", timeout: .seconds(20)).first?.stringKeyedDict?["phases"]?.stringArrayValue
        #expect(phases?.first?.hasSuffix("; Has the flare settled? limberctl programs phase sciatica-relief --settled | --not-yet") == true,
                "\(phases ?? [])")
        let question = try rig.waitForNotify("limberd's flare question") { $0.arguments[3].stringValue == "Has the flare settled?" }
        #expect(question.arguments[5].stringArrayValue == [PhaseQuestionPrompt.yesKey, "Yes", PhaseQuestionPrompt.notYetKey, "Not yet"])
        // The mock numbers new notifications 1, 2, 3...: the question's id.
        let calls = try rig.notifies()
        let at = try #require(calls.firstIndex { $0.arguments[3].stringValue == "Has the flare settled?" })
        let nid = UInt32(calls[...at].filter { $0.arguments[1].uint32Value == 0 }.count)
        try mock.emit("ActionInvoked", [.uint32(nid), .string(PhaseQuestionPrompt.yesKey)])
        var phase: [String: BusValue] = [:]
        try runLoop(loop, until: "the program in Recovery", timeout: .seconds(60), pace: .milliseconds(200)) {
            phase = try api("ProgramPhase", [.string("sciatica-relief")])
            return phase["phase"]?.stringValue == "recovery"
        }
        #expect(phase["reason"]?.stringValue?.hasPrefix("you answered Yes to \"Has the flare settled?\"") == true)
        // limberd's history writer commits it off the loop: wait for the row.
        let (history, _) = try HistoryStore.open(at: home + "/state/limber/history.sqlite")
        var moves: [PhaseMove] = []
        try runLoop(loop, until: "the phase_move row", timeout: .seconds(60), pace: .milliseconds(200)) {
            moves = try history.phaseMoves()
            return !moves.isEmpty
        }
        #expect(moves.map { "\($0.program) \($0.from)→\($0.to) \($0.source)" } == ["sciatica-relief acute→recovery notification"])
    }
}

/// A real notification server: dunst on Xvfb shows the flare question with
/// its two buttons, and Yes from dunst's own action menu moves the program.
@Suite struct PhaseQuestionDunstTests {
    @Test func dunstOffersYesAndNotYetAndYesMovesTheProgramOn() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let dunst = try rig.startDunst()
        let dir = try shortTemporaryDirectory("limber-pqd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = NotificationTestClock()
        let history = try HistoryStore.open(at: dir + "/state/history.sqlite").store
        let service = ReminderService(configuration: PhaseQuestionNotificationTests.configuration(),
                                      loader: ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"])), presenter: rig.presenter,
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: rig.capture.logger)
        let prompt = PhaseQuestionPrompt(service: service, client: rig.client, logger: rig.capture.logger)
        try rig.connectAndWaitForCapabilities()
        service.start()
        service.sendPhaseEvent(.startProgram("back", on: clock.now.wall - 8 * 86_400), source: "cli")
        try rig.run(until: "dunst took the question") { prompt.notificationID != nil }
        try rig.run(until: "dunst displays it", pace: .milliseconds(50)) { try dunst.ctl("count", "displayed") == "1" }

        try dunst.pick(PhaseQuestionPrompt.yesKey)
        try dunst.ctl("context")
        try rig.run(until: "Yes from dunst to move the program") {
            service.engine.phaseStatus(of: "back", on: clock.now.wall)?.phase.id == "recovery"
        }
        #expect(dunst.offered.contains("#Yes (Has the flare settled?)"), "dunst offered: \(dunst.offered)")
        #expect(dunst.offered.contains("#Not yet (Has the flare settled?)"))
        #expect(try history.phaseMoves().map(\.source) == ["notification"])
        try rig.run(until: "the answered question closed", pace: .milliseconds(50)) { try dunst.ctl("count", "displayed") == "0" }
    }
}
