import Foundation
import Testing
import Systemd
import LimberNotifications

/// The shared machinery of limber's own notifications (the check-in, the
/// phase question, the offers, the red-flag alert, the plan) against
/// python3-dbusmock's notification server: what each prompt's tests rely
/// on, checked once on its own.
@Suite(.serialized) struct NotificationQuestionTests {
    /// Every ending seen, in order.
    final class Log {
        var actions: [(String, String)] = []
        var ends: [(String, String)] = []
    }

    private func show(_ q: NotificationQuestion<String>, _ subject: String, _ content: NotificationContent, _ log: Log,
                      expiresAfter: Duration? = nil) {
        q.show(subject, content, expiresAfter: expiresAfter, onAction: { log.actions.append(($0, $1)) }, onEnd: { s, how in
            let word: String = switch how {
            case .closed(let reason): "closed \(reason)"
            case .expired: "expired"
            case .failed: "failed"
            case .serverChanged: "server changed"
            }
            log.ends.append((s, word))
        })
    }

    private func content(_ body: String = "a < b & c") -> NotificationContent {
        NotificationContent(summary: "Q?", body: body, icon: "dialog-question", actions: ["yes", "Yes"], urgency: 2,
                            category: "x-limber.test", transient: true)
    }

    @Test func itHandsBackItsSubjectReplacesInPlaceAndForgetsWhatTheServerCloses() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let q = NotificationQuestion<String>(client: rig.client, logger: rig.capture.logger)
        let log = Log()

        show(q, "first", content(), log)
        #expect(q.subject == "first")
        try rig.run(until: "the first id") { q.notificationID != nil }
        let nid = try #require(q.notificationID)
        let sent = try #require(try mock.calls("Notify").last?.arguments)
        #expect(sent[1] == .uint32(0))
        #expect(sent[4].stringValue == "a &lt; b &amp; c", "escaped for a server that reads markup")
        #expect(sent[5].stringArrayValue == ["yes", "Yes"])
        let hints = try #require(sent[6].stringKeyedDict)
        #expect(hints["urgency"]?.unwrapped == .byte(2))
        #expect(hints["category"]?.stringValue == "x-limber.test")
        #expect(hints["transient"]?.boolValue == true)
        #expect(hints["resident"] == nil)
        #expect(sent[7] == .int32(0))

        // A button of another notification is not its own.
        try mock.emit("ActionInvoked", [.uint32(nid + 1000), .string("yes")])
        try mock.emit("ActionInvoked", [.uint32(nid), .string("yes")])
        try rig.run(until: "the button handed over") { !log.actions.isEmpty }
        #expect(log.actions.map(\.0) == ["first"] && log.actions.map(\.1) == ["yes"])
        #expect(q.isShown, "a button ends it only when the owner closes it")

        // A second show replaces the first in place, about its own subject.
        show(q, "second", content("plain"), log)
        #expect(q.subject == "second")
        try rig.run(until: "the replacement sent") { try mock.calls("Notify").count == 2 }
        #expect(try mock.calls("Notify").last?.arguments[1] == .uint32(nid))
        try rig.run(until: "the replacement answered") { q.notificationID != nil }
        #expect(log.ends.isEmpty, "replacing is not an ending")

        // Dismissed by the user: forgotten, and the owner told once.
        let second = try #require(q.notificationID)
        try mock.emit("NotificationClosed", [.uint32(second), .uint32(2)])
        try rig.run(until: "the ending") { !log.ends.isEmpty }
        #expect(log.ends.map(\.0) == ["second"] && log.ends.map(\.1) == ["closed 2"])
        #expect(!q.isShown && q.subject == nil && q.notificationID == nil)
    }

    @Test func itExpiresClosesOnRequestAndForgetsAVoidId() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let q = NotificationQuestion<String>(client: rig.client, loop: rig.loop, logger: rig.capture.logger)
        let log = Log()

        // Asked to expire: the server is told, and limber closes it then.
        // (Two seconds: the rig's call timeout, so the id is in first.)
        show(q, "brief", content(), log, expiresAfter: .seconds(2))
        try rig.run(until: "the id") { q.notificationID != nil }
        let nid = try #require(q.notificationID)
        #expect(try mock.calls("Notify").last?.arguments[7] == .int32(2000))
        try rig.run(until: "expired") { !log.ends.isEmpty }
        #expect(log.ends.map(\.1) == ["expired"])
        try rig.run(until: "closed on expiry") {
            try mock.closed(nid)
        }

        // Closed by its owner: the server is asked, and no ending is reported.
        show(q, "closed", content(), log)
        try rig.run(until: "the id") { q.notificationID != nil }
        let closed = try #require(q.notificationID)
        q.close()
        #expect(!q.isShown)
        try rig.run(until: "CloseNotification") {
            try mock.closed(closed)
        }

        // The server goes away: the id means nothing any more.
        show(q, "gone", content(), log)
        try rig.run(until: "the id") { q.notificationID != nil }
        mock.stop()
        try rig.run(until: "the server gone") { log.ends.count == 2 }
        #expect(log.ends.last.map { [$0.0, $0.1] } == ["gone", "server changed"])
        #expect(!q.isShown)
    }
}
