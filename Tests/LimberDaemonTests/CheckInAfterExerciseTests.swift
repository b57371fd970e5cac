import Foundation
import Logging
import Testing
import Systemd
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory
import LimberNotifications

/// `checkin_after_exercise`: after Done, the pain question against
/// python3-dbusmock's notification_daemon on a private bus, through a real
/// ReminderService and a real SQLite history.
@Suite(.serialized) struct CheckInAfterExerciseTests {
    /// The rig, a service on a hand clock with the setting as given, a history, and the follow-up wired.
    final class World {
        let rig: NotificationRig
        let mock: NotificationMock
        let clock = NotificationTestClock()
        let dir: String
        let history: HistoryStore
        let service: ReminderService
        let followUp: CheckInAfterExercise

        init(enabled: Bool = true, expiresAfter: Duration = .minutes(2)) throws {
            rig = try NotificationRig()
            mock = try rig.startMock()
            dir = try shortTemporaryDirectory("limber-ci")
            history = try HistoryStore.open(at: dir + "/state/history.sqlite").store
            var config = notificationTestConfiguration()
            config.settings.checkInAfterExercise = enabled
            let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
            service = ReminderService(configuration: config, loader: loader, presenter: rig.presenter,
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { [clock] in clock.now }, logger: rig.capture.logger)
            let prompt = CheckInPrompt(client: rig.client, loop: rig.loop, logger: rig.capture.logger, expiresAfter: expiresAfter)
            followUp = CheckInAfterExercise(service: service, prompt: prompt, logger: rig.capture.logger)
            try rig.connectAndWaitForCapabilities()
            service.start()
        }

        var prompt: CheckInPrompt { followUp.prompt }

        /// Shows the 30-minute reminder and answers it from its notification.
        func answerReminder(_ action: String) throws -> ReminderID {
            clock.advance(.minutes(30))
            service.send(.timer)
            let shown = try #require(service.engine.state.showing)
            try rig.run(until: "the reminder on the server") { rig.presenter.notificationID(for: shown.id) != nil }
            try mock.emit("ActionInvoked", [.uint32(rig.presenter.notificationID(for: shown.id)!), .string(action)])
            try rig.run(until: "the answer to reach the service") { service.engine.state.showing == nil }
            return shown.id
        }

        func questions() throws -> [MockCall] {
            try mock.notifies(summary: CheckInPrompt.question)
        }

        func stop() {
            rig.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func doneAsksAndAnAnswerIsSavedAsACheckInFromTheNotification() throws {
        let w = try World()
        defer { w.stop() }
        let reminder = try w.answerReminder("done")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        let q = try #require(try w.questions().first?.arguments)
        #expect(q[0].stringValue == "limber")
        #expect(q[5].stringArrayValue == ["pain-0-3", "0–3", "pain-4-6", "4–6", "pain-7-10", "7–10", "red-flag", "Warning signs"])
        let hints = try #require(q[6].stringKeyedDict)
        #expect(hints["category"]?.stringValue == "x-limber.checkin")
        #expect(hints["transient"]?.boolValue == true)
        #expect(hints["resident"] == nil)
        #expect(q[7].int64Value == 120_000, "the server is asked to expire it after 2 minutes")
        #expect(w.prompt.askingAbout == reminder)

        let nid = try #require(w.prompt.notificationID)
        try w.mock.emit("ActionInvoked", [.uint32(nid), .string("pain-4-6")])
        try w.rig.run(until: "the check-in saved") { try !w.history.checkIns().isEmpty }
        let c = try #require(try w.history.checkIns().first?.checkIn)
        #expect(c.pain == 5)
        #expect(c.source == .notification)
        #expect(c.afterReminder == reminder)
        #expect(c.reach == nil && c.redFlags.isEmpty)
        #expect(w.prompt.askingAbout == nil)
        // Not a reminder: outcomes are the reminder's own, the day's count is unchanged.
        #expect(try w.history.outcomes().map(\.outcome.kind) == [.shown, .done])
        #expect(w.service.engine.state.today.done == 1)
        #expect(w.service.engine.state.showing == nil)
        // A moderate answer brings no advice notification.
        try w.rig.run(until: "the answered question closed") { try w.mock.closed(nid) }
        #expect(try w.mock.calls("Notify").filter { $0.arguments[3].stringValue != CheckInPrompt.question && $0.arguments[3].stringValue != "Move" }.isEmpty)
        #expect(!w.rig.capture.entries.contains { $0.message.hasPrefix("check-in advice") })
    }

    /// The question hears the server only (through the one notification
    /// client): another connection sending ActionInvoked with its id is
    /// not an answer. (The prompt once had its own matches without that check.)
    @Test func anAnswerFromAnotherConnectionIsIgnored() throws {
        let w = try World()
        defer { w.stop() }
        _ = try w.answerReminder("done")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        let nid = try #require(w.prompt.notificationID)
        try w.rig.control.emitSignal(path: NotificationClient.objectPath, interface: NotificationClient.interface,
                                     member: "ActionInvoked", arguments: [.uint32(nid), .string("pain-0-3")])
        try w.rig.control.flush()
        try w.mock.emit("ActionInvoked", [.uint32(nid), .string("pain-7-10")])
        try w.rig.run(until: "the check-in saved") { try !w.history.checkIns().isEmpty }
        #expect(try w.history.checkIns().map(\.checkIn.pain) == [8], "only the server's answer counts")
    }

    @Test func aHighAnswerLogsTheAdviceAndShowsItInAFollowUp() throws {
        let w = try World()
        defer { w.stop() }
        let reminder = try w.answerReminder("done")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        try w.mock.emit("ActionInvoked", [.uint32(w.prompt.notificationID!), .string("pain-7-10")])
        try w.rig.run(until: "the advice notification") {
            try w.mock.calls("Notify").contains { $0.arguments[3].stringValue == "About your pain" }
        }
        let advice = try #require(try w.mock.calls("Notify").first { $0.arguments[3].stringValue == "About your pain" }?.arguments)
        #expect(advice[4].stringValue == CheckInAfterExercise.highPainAdvice)
        #expect(advice[5].stringArrayValue == [], "advice only, no buttons")
        let c = try #require(try w.history.checkIns().first?.checkIn)
        #expect(c.pain == 8 && c.afterReminder == reminder && c.source == .notification)
        let warnings = w.rig.warnings().filter { $0.hasPrefix("check-in advice: ") }
        #expect(warnings == ["check-in advice: " + CheckInAfterExercise.highPainAdvice])
    }

    @Test func anUnansweredQuestionGoesAwayByItselfAndRecordsNothing() throws {
        let w = try World(expiresAfter: .milliseconds(300))
        defer { w.stop() }
        _ = try w.answerReminder("done")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        let nid = try #require(w.prompt.notificationID)
        #expect(try w.questions().first?.arguments[7].int64Value == 300)
        try w.rig.run(until: "the question closed when it expired") {
            try w.mock.closed(nid)
        }
        #expect(w.prompt.askingAbout == nil)
        #expect(try w.history.checkIns().isEmpty)
        // A late button press on it is ignored.
        try w.mock.emit("ActionInvoked", [.uint32(nid), .string("pain-0-3")])
        for _ in 0..<5 { _ = try w.rig.loop.runOnce(timeout: .milliseconds(50)) }  // let it arrive
        #expect(try w.history.checkIns().isEmpty)
        // The reminder flow goes on: the next reminder comes as usual.
        w.clock.advance(.minutes(30))
        w.service.send(.timer)
        #expect(w.service.engine.state.showing != nil)
    }

    @Test func dismissingTheQuestionRecordsNothing() throws {
        let w = try World()
        defer { w.stop() }
        _ = try w.answerReminder("done")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        try w.mock.emit("NotificationClosed", [.uint32(w.prompt.notificationID!), .uint32(2)])
        try w.rig.run(until: "the question forgotten") { w.prompt.askingAbout == nil }
        #expect(try w.history.checkIns().isEmpty)
        #expect(try w.history.outcomes().map(\.outcome.kind) == [.shown, .done], "a closed question is no dismissed reminder")
    }

    @Test func nothingIsAskedAfterSkipOrWhenTheSettingIsOff() throws {
        do {
            let w = try World()
            defer { w.stop() }
            _ = try w.answerReminder("skip")
            #expect(w.prompt.askingAbout == nil)
        }
        let w = try World(enabled: false)
        defer { w.stop() }
        _ = try w.answerReminder("done")
        #expect(w.prompt.askingAbout == nil)
        try w.rig.run(until: "the answered reminder closed") { try !w.mock.calls("CloseNotification").isEmpty }
        #expect(try w.questions().isEmpty)
    }

    @Test func warningSignsTurnTheQuestionIntoTheRedFlagChoiceAndAChoiceStopsExercise() throws {
        let w = try World()
        defer { w.stop() }
        _ = try w.answerReminder("done")
        try w.rig.run(until: "the question on the server") { w.prompt.notificationID != nil }
        let nid = try #require(w.prompt.notificationID)
        let body = try #require(try w.questions().first?.arguments[4].stringValue)
        #expect(body.contains("press Warning signs"))
        try w.mock.emit("ActionInvoked", [.uint32(nid), .string(CheckInPrompt.redFlagKey)])
        try w.rig.run(until: "the red-flag choice on the server") {
            try w.mock.calls("Notify").contains { $0.arguments[3].stringValue == CheckInPrompt.redFlagQuestion }
        }
        let choice = try #require(try w.mock.notifies(summary: CheckInPrompt.redFlagQuestion).first?.arguments)
        #expect(choice[1].uint32Value == nid, "it replaces the question")
        #expect(choice[5].stringArrayValue == ["red-flag:bladder-bowel", "Bladder or bowel", "red-flag:saddle-numbness", "Saddle numbness",
                                               "red-flag:foot-drop", "Foot drop", "red-flag:progressive-weakness", "Weaker leg"])
        let choiceBody = try #require(choice[4].stringValue)
        #expect(choiceBody.contains("numbness in the saddle area (groin, buttocks, inner thighs): go to an emergency department now."))
        #expect(choiceBody.contains("foot drop (cannot lift the toes when walking): get urgent care today"))
        #expect(try #require(choice[6].stringKeyedDict)["urgency"]?.unwrapped == .byte(2))
        #expect(choice[7] == .int32(0), "a safety question does not expire")
        #expect(w.service.engine.state.redFlagHold == nil, "the button alone stops nothing")
        try w.rig.run(until: "the choice's id") { w.prompt.notificationID == nid && w.prompt.askingAbout != nil }

        try w.mock.emit("ActionInvoked", [.uint32(nid), .string("red-flag:saddle-numbness")])
        try w.rig.run(until: "exercise stopped") { w.service.engine.state.redFlagHold != nil }
        #expect(w.service.engine.state.redFlagHold?.flags == ["saddle-numbness"])
        #expect(w.prompt.askingAbout == nil)
        let events = try w.history.redFlagEvents()
        #expect(events.map(\.kind) == [.raised])
        #expect(events.first?.flags == [.saddleNumbness])
        #expect(events.first?.source == "notification")
        try w.rig.run(until: "the choice closed") {
            try w.mock.closed(nid)
        }
    }

}
