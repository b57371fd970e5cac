import Foundation
import Testing
import Systemd
import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory
import LimberNotifications

/// A red flag against python3-dbusmock's notification server: every
/// exercise reminder stops at once, a critical resident notification says
/// where to go, and its answer (or limberctl) brings the reminders back.
@Suite(.serialized) struct RedFlagNotificationTests {
    @Test func aRedFlagPausesEveryExerciseReminderAndTheNotificationsAnswerResumesThem() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let clock = NotificationTestClock()
        let dir = try shortTemporaryDirectory("limber-rf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (history, _) = try HistoryStore.open(at: dir + "/history.sqlite")
        let notifier = RedFlagNotifier(client: rig.client, logger: rig.capture.logger)
        let service = ReminderService(configuration: notificationTestConfiguration(),
                                      loader: ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"])),
                                      presenter: rig.presenter, redFlagAlerts: notifier,
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: rig.capture.logger)
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        let shown = try #require(service.engine.state.showing)
        try rig.run(until: "the reminder on the server") { rig.presenter.notificationID(for: shown.id) != nil }
        let reminderNID = try #require(rig.presenter.notificationID(for: shown.id))

        service.raiseRedFlag([.saddleNumbness, .footDrop], source: "cli")
        #expect(service.engine.state.showing == nil)
        try rig.run(until: "the reminder closed") {
            try mock.closed(reminderNID)
        }
        try rig.run(until: "the red-flag notification") { try mock.calls("Notify").count == 2 }
        let alert = try #require(try mock.calls("Notify").last?.arguments)
        #expect(alert[3].stringValue == "Red flag: go to an emergency department now")
        let body = try #require(alert[4].stringValue)
        #expect(body.contains("numbness in the saddle area (groin, buttocks, inner thighs): go to an emergency department now."))
        #expect(body.contains("foot drop (cannot lift the toes when walking): get urgent care today"))
        #expect(alert[5].stringArrayValue == [RedFlagAlert.clearActionKey, RedFlagAlert.clearActionLabel])
        let hints = try #require(alert[6].stringKeyedDict)
        #expect(hints["urgency"]?.unwrapped == .byte(2))
        #expect(hints["resident"]?.unwrapped == .bool(true))
        #expect(alert[7] == .int32(0))
        #expect(service.status().line(now: clock.now.wall).hasPrefix("RED FLAG"))

        // Hours pass: no exercise reminder, and a plain resume does not lift it.
        service.send(.resume)
        for _ in 0..<8 {
            clock.advance(.minutes(30))
            service.send(.timer)
            #expect(service.engine.state.showing == nil)
        }
        #expect(try mock.calls("Notify").count == 2)

        // The notification's answer resumes them, and the history has both.
        try rig.run(until: "the red-flag notification's id") { notifier.notificationID != nil }
        let alertNID = try #require(notifier.notificationID)
        try mock.emit("ActionInvoked", [.uint32(alertNID), .string(RedFlagAlert.clearActionKey)])
        try rig.run(until: "the hold cleared") { service.engine.state.redFlagHold == nil }
        try rig.run(until: "the red-flag notification closed") {
            try mock.closed(alertNID)
        }
        clock.advance(.minutes(30))
        service.send(.timer)
        #expect(service.engine.state.showing != nil, "exercise reminders are back")
        let events = try history.redFlagEvents()
        #expect(events.map(\.kind) == [.raised, .cleared])
        #expect(events.first?.flags == [.saddleNumbness, .footDrop])
        #expect(events.last?.source == "notification")
    }

    @Test func clearingWithoutARedFlagSaysSo() throws {
        let clock = NotificationTestClock()
        let dir = try shortTemporaryDirectory("limber-rf")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = notificationTestService(presenter: FallbackRecorder(), clock: clock, dir: dir)
        service.start()
        #expect(!service.clearRedFlag(source: "cli"))
        service.raiseRedFlag([.bladderOrBowel], source: "cli")
        #expect(service.clearRedFlag(source: "cli"))
    }
}
