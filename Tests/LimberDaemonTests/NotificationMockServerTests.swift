import Foundation
import Testing
import Systemd
@testable import LimberCore
@testable import LimberDaemon

/// The presenter against python3-dbusmock's notification_daemon on a
/// private bus: what it sends, and what the server's signals become.
@Suite struct NotificationMockServerTests {
    @Test func notifyCarriesTheReminderButtonsAndHints() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let r = NotificationFixture.reminder()
        let nid = try rig.showOnServer(r)
        #expect(try mock.calls("GetCapabilities").count == 1)
        let notify = try mock.calls("Notify")
        try #require(notify.count == 1)
        let a = notify[0].arguments
        try #require(a.count == 8)
        #expect(a[0].stringValue == "limber")
        #expect(a[1].uint32Value == 0)
        #expect(a[2].stringValue == "appointment-soon")
        #expect(a[3].stringValue == "Leg break")
        let body = try #require(a[4].stringValue)
        #expect(body.contains("<b>Squats &lt;slow&gt;</b> — 2 × 10 reps"), "body: \(body)")
        #expect(body.contains("Stop if knee pain"))
        #expect(!body.contains("limberctl"), "a server with buttons needs no CLI hint")
        #expect(a[5].stringArrayValue == ["default", "How to", "done", "Done", "snooze", "Snooze 10 min", "skip", "Skip", "howto", "How to"])
        let hints = try #require(a[6].stringKeyedDict)
        #expect(hints["urgency"]?.unwrapped == .byte(1))
        #expect(hints["category"]?.stringValue == "x-limber.reminder")
        #expect(hints["desktop-entry"]?.stringValue == "limber")
        #expect(hints["resident"]?.boolValue == true)
        #expect(a[7].int64Value == 0)
        #expect(nid >= 1)
        #expect(rig.fallback.shown.isEmpty)
        #expect(rig.presenter.serverState == .up)
    }

    @Test func anUpdateReplacesTheNotificationInsteadOfStacking() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let nid = try rig.showOnServer(NotificationFixture.reminder(message: "first"))
        rig.presenter.show(NotificationFixture.reminder(message: "second"), programs: [])
        try rig.run(until: "the update's Notify") { try mock.calls("Notify").count == 2 }
        let update = try mock.calls("Notify")[1].arguments
        #expect(update[1].uint32Value == nid)
        #expect(update[4].stringValue?.contains("second") == true)
        try rig.run(until: "the update answered") { rig.presenter.callsInFlight == 0 }
        #expect(rig.presenter.notificationID(for: 7) == nid)
        // The same reminder again changes nothing: no third Notify.
        rig.presenter.show(NotificationFixture.reminder(message: "second"), programs: [])
        #expect(rig.presenter.callsInFlight == 0)
    }

    @Test func withdrawingClosesTheNotification() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let nid = try rig.showOnServer(NotificationFixture.reminder())
        rig.presenter.withdraw(7, reason: .expired)
        try rig.run(until: "CloseNotification") { try !mock.calls("CloseNotification").isEmpty }
        #expect(try mock.calls("CloseNotification").map { $0.arguments.first?.uint32Value } == [nid])
        #expect(rig.presenter.notificationID(for: 7) == nil)
        #expect(rig.fallback.withdrawn.isEmpty, "the fallback never had it")
    }

    @Test func aReminderWithdrawnBeforeTheServerAnsweredIsClosedWhenItDoes() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        rig.presenter.show(NotificationFixture.reminder(), programs: [])
        #expect(rig.presenter.callsInFlight == 1)
        rig.presenter.withdraw(7, reason: .naturalBreak)
        try rig.run(until: "the late notification closed") { try !mock.calls("CloseNotification").isEmpty }
        #expect(try mock.calls("CloseNotification").first?.arguments.first?.uint32Value == 1)
        #expect(rig.presenter.notificationID(for: 7) == nil)
    }

    @Test func buttonsBecomeAnswersAndOtherNotificationsAreIgnored() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let nid = try rig.showOnServer(NotificationFixture.reminder())
        try mock.emit("ActionInvoked", [.uint32(nid), .string("done")])
        try mock.emit("ActionInvoked", [.uint32(nid), .string("snooze")])
        try mock.emit("ActionInvoked", [.uint32(nid), .string("default")])  // a click on the body: no answer
        try mock.emit("ActionInvoked", [.uint32(nid + 100), .string("done")])  // someone else's notification
        try mock.emit("ActionInvoked", [.uint32(nid), .string("skip")])
        try rig.run(until: "three answers") { rig.answers.count >= 3 }
        #expect(rig.answers.map(\.0) == [7, 7, 7])
        #expect(rig.answers.map(\.1) == [.done, .snooze(nil), .skip])
    }

    @Test func onlyTheUsersDismissalCountsAsAnAnswer() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let expired = try rig.showOnServer(NotificationFixture.reminder(id: 1))
        let closedByCall = try rig.showOnServer(NotificationFixture.reminder(id: 2))
        let dismissed = try rig.showOnServer(NotificationFixture.reminder(id: 3))
        try mock.emit("NotificationClosed", [.uint32(expired), .uint32(1)])
        try mock.emit("NotificationClosed", [.uint32(closedByCall), .uint32(3)])
        try mock.emit("NotificationClosed", [.uint32(dismissed), .uint32(2)])
        try rig.run(until: "the dismissal") { !rig.answers.isEmpty }
        #expect(rig.answers.map(\.0) == [3])
        #expect(rig.answers.map(\.1) == [.dismissed])
        // The server forgot them all; limber forgets their ids too.
        #expect(rig.presenter.notificationID(for: 1) == nil)
        #expect(rig.presenter.notificationID(for: 3) == nil)
    }

    @Test func aServerWithoutButtonsGetsTheCommandLineHint() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock(capabilities: ["body"])
        try rig.connectAndWaitForCapabilities()
        let r = NotificationFixture.reminder()
        try rig.showOnServer(r)
        let a = try #require(try mock.calls("Notify").first?.arguments)
        #expect(a[5].stringArrayValue == [])
        #expect(a[4].stringValue?.hasSuffix(ReminderText.cliHint(r)) == true)
        #expect(a[4].stringValue?.contains("<b>") == false, "no markup without body-markup")
        #expect(a[6].stringKeyedDict?["resident"] == nil)
    }

    /// Through a real ReminderService: the button changes what the daemon
    /// does next.
    @Test func snoozeAndDoneFromTheNotificationDriveTheService() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let clock = NotificationTestClock()
        let dir = try shortTemporaryDirectory("limber-svc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = notificationTestService(presenter: rig.presenter, clock: clock, dir: dir)
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        let shown = try #require(service.engine.state.showing)
        try rig.run(until: "the reminder on the server") { rig.presenter.notificationID(for: shown.id) != nil }
        let nid = try #require(rig.presenter.notificationID(for: shown.id))
        let first = try #require(try mock.calls("Notify").first?.arguments)
        #expect(first[3].stringValue == "Move")
        #expect(first[4].stringValue?.contains("<b>Walk</b> — 3 min") == true, "\(first[4])")
        #expect(first[5].stringArrayValue?.contains("Snooze 10 min") == true)

        try mock.emit("ActionInvoked", [.uint32(nid), .string("snooze")])
        try rig.run(until: "the snooze to reach the service") { service.engine.state.showing == nil }
        #expect(service.nextDeadline == clock.now.wall.addingTimeInterval(600), "next reminder = now + the 10 min snooze")
        try rig.run(until: "the answered notification closed") { try !mock.calls("CloseNotification").isEmpty }
        #expect(try mock.calls("CloseNotification").first?.arguments.first?.uint32Value == nid)

        clock.advance(.minutes(10))
        service.send(.timer)
        let again = try #require(service.engine.state.showing)
        try rig.run(until: "the snoozed reminder back") { rig.presenter.notificationID(for: again.id) != nil }
        let nid2 = try #require(rig.presenter.notificationID(for: again.id))
        try mock.emit("ActionInvoked", [.uint32(nid2), .string("done")])
        try rig.run(until: "done to reach the service") { service.engine.state.showing == nil }
        #expect(service.nextDeadline == clock.now.wall.addingTimeInterval(1800), "done: the next one in the full 30 min")
        #expect(service.engine.state.today.done == 1)
    }
}
