import Foundation
import Logging
import Testing
import Systemd
@testable import LimberCore
@testable import LimberDaemon
import LimberNotifications

/// No notification is left dead on screen (issue 12, item 6): a restarted
/// limberd replaces or closes what the last one showed, a Notify answered
/// after the fallback took over is adopted or closed, and a server that
/// closes a notification after "How to" does not record a dismissal.
@Suite struct NotificationLifetimeTests {
    /// The next limberd's presenter on the same bus: a new connection.
    final class NextRun {
        let supervisor: BusSupervisor
        let client: NotificationClient
        let presenter: NotificationPresenter
        var answers: [(ReminderID, Answer)] = []

        init(_ rig: NotificationRig, store: NotificationIDStore) {
            supervisor = rig.bus.supervisor(loop: rig.loop, logger: rig.capture.logger)
            client = NotificationClient(bus: supervisor, whileDown: "reminders go to the fallback", logger: rig.capture.logger)
            presenter = NotificationPresenter(client: client, fallback: FallbackRecorder(), idStore: store, logger: rig.capture.logger)
            presenter.onAnswer = { [unowned self] id, answer in self.answers.append((id, answer)) }
            supervisor.connect()
        }
    }

    @Test func aRestartReplacesTheNotificationLeftOnScreenAndClosesTheOneWhoseReminderEnded() throws {
        let dir = try shortTemporaryDirectory("limber-ids")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = NotificationIDStore(directory: dir)
        let rig = try NotificationRig(idStore: store)
        defer { rig.stop() }
        let mock = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        let kept = try rig.showOnServer(NotificationFixture.reminder(id: 7))
        let ended = try rig.showOnServer(NotificationFixture.reminder(id: 9))
        #expect(store.load()?.shown == [7: kept, 9: ended])
        var st = stat()
        #expect(lstat(store.path, &st) == 0 && st.st_mode & 0o777 == 0o600, "notifications.json is the user's alone")

        // limberd dies with both on screen; the next run finds reminder 7
        // still up (9 ended meanwhile) and resumes it.
        let next = NextRun(rig, store: store)
        next.presenter.resume(NotificationFixture.reminder(id: 7), programs: [])
        next.presenter.resume(NotificationFixture.reminder(id: 8), programs: [])  // not in the store: no second copy
        try rig.run(until: "the notification left on screen is replaced in place") {
            try mock.calls("Notify").contains { $0.arguments[1].uint32Value == kept }
        }
        try rig.run(until: "and its reply taken") { next.presenter.callsInFlight == 0 }
        #expect(next.presenter.notificationID(for: 7) == kept)
        try rig.run(until: "the one whose reminder ended is closed") {
            try mock.closed(ended)
        }
        let notify = try mock.calls("Notify").map { $0.arguments[1].uint32Value }
        #expect(notify == [0, 0, kept], "replaced in place, never a second notification: \(notify)")
        #expect(next.presenter.notificationID(for: 8) == nil)
        #expect(store.load()?.shown == [7: kept])

        // Its buttons answer the new run.
        try mock.emit("ActionInvoked", [.uint32(kept), .string("done")])
        try rig.run(until: "Done reaches the new run") { !next.answers.isEmpty }
        #expect(next.answers.map(\.0) == [7])
        #expect(next.answers.map(\.1) == [.done])
        next.presenter.withdraw(7, reason: .answered)
        try rig.run(until: "nothing left to remember") { store.load() == nil }
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    @Test func idsOfAnotherServerAreNeitherReplacedNorClosed() throws {
        let dir = try shortTemporaryDirectory("limber-ids")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = NotificationIDStore(directory: dir)
        // Left by a run on another bus (or a server since replaced).
        try store.save(.init(server: "0123456789abcdef0123456789abcdef :1.99", shown: [7: 5, 9: 6]))
        let rig = try NotificationRig(idStore: store)
        defer { rig.stop() }
        let mock = try rig.startMock()
        rig.connect()
        rig.presenter.resume(NotificationFixture.reminder(id: 7), programs: [])
        try rig.run(until: "reminder 7 shown") { rig.presenter.notificationID(for: 7) != nil }
        #expect(try mock.calls("Notify").map { $0.arguments[1].uint32Value } == [0], "a new notification, not another app's id")
        #expect(try mock.calls("CloseNotification").isEmpty)
        let nid = try #require(rig.presenter.notificationID(for: 7))
        try rig.run(until: "the store names this server") { store.load()?.shown == [7: nid] && store.load()?.server != nil }
        #expect(store.load()?.server != "0123456789abcdef0123456789abcdef :1.99")
    }

    @Test func aStoreThatIsALinkIsNotRead() throws {
        let dir = try shortTemporaryDirectory("limber-ids")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = NotificationIDStore(directory: dir)
        let elsewhere = dir + "/elsewhere.json"
        try #"{"server":"x :1.1","shown":{"7":3}}"#.write(toFile: elsewhere, atomically: true, encoding: .utf8)
        #expect(symlink(elsewhere, store.path) == 0)
        #expect(store.load() == nil)
        #expect(!PrivateFilesProbe.isLink(store.path), "moved aside")
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8).contains("1.1"), "the link's target untouched")
    }

    @Test func aLateReplyIsAdoptedAndALateReplyForAWithdrawnReminderClosedAtOnce() throws {
        let rig = try NotificationRig(callTimeout: .seconds(1))
        defer { rig.stop() }
        let server = try rig.startSlowServer()
        try rig.connectAndWaitForCapabilities()
        rig.presenter.show(NotificationFixture.reminder(id: 7), programs: [])
        try rig.run(until: "the server has the Notify", pace: .milliseconds(50)) { server.calls.contains { $0.hasPrefix("Notify 1 ") } }
        try rig.run(until: "the fallback, no reply in time", timeout: .seconds(20)) { !rig.fallback.shown.isEmpty }
        #expect(rig.presenter.notificationID(for: 7) == nil)
        #expect(rig.presenter.serverState == .down)

        let nid = try server.release()
        try rig.run(until: "the late reply adopted") { rig.presenter.notificationID(for: 7) == nid }
        #expect(rig.presenter.serverState == .up)
        #expect(rig.notices().contains { $0.contains("reminder 7 is shown by the notification server now") })

        // Withdrawn while its Notify waits: the late notification is closed at once.
        rig.presenter.show(NotificationFixture.reminder(id: 8), programs: [])
        try rig.run(until: "the server has the second Notify", pace: .milliseconds(50)) {
            server.calls.contains { $0.hasPrefix("Notify 2 ") }
        }
        rig.presenter.withdraw(8, reason: .expired)
        let late = try server.release()
        try rig.run(until: "the late notification closed", pace: .milliseconds(50)) {
            server.calls.contains("CloseNotification \(late)")
        }
        #expect(!server.calls.contains("CloseNotification \(nid)"), "the adopted one stays")
        #expect(rig.presenter.notificationID(for: 7) == nid)
        #expect(rig.answers.isEmpty)
    }

    @Test func aServerThatClosesANotificationAfterHowToRecordsNoDismissal() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        // No persistence: limber does not ask for resident, and the server
        // closes the notification after any action, saying "dismissed".
        let mock = try rig.startMock(capabilities: ["actions", "body"])
        try rig.connectAndWaitForCapabilities()
        var guides: [ReminderID] = []
        rig.guide.open = { reminder, _ in guides.append(reminder.id) }
        let first = try rig.showOnServer(NotificationFixture.reminder(id: 7))
        let hints = try #require(try mock.calls("Notify").first?.arguments[6].stringKeyedDict)
        #expect(hints["resident"] == nil, "resident is not asked of a server without persistence")
        try mock.emit("ActionInvoked", [.uint32(first), .string("howto")])
        try mock.emit("NotificationClosed", [.uint32(first), .uint32(2)])
        try rig.run(until: "shown again") {
            (rig.presenter.notificationID(for: 7) ?? first) != first
        }
        #expect(guides == [7])
        #expect(rig.answers.isEmpty, "How to is not an answer, nor is the close that follows it: \(rig.answers)")
        // A dismissal of its own is still one.
        let second = try #require(rig.presenter.notificationID(for: 7))
        try mock.emit("NotificationClosed", [.uint32(second), .uint32(2)])
        try rig.run(until: "the dismissal") { !rig.answers.isEmpty }
        #expect(rig.answers.map(\.1) == [.dismissed])
    }
}

/// lstat, for the link checks.
enum PrivateFilesProbe {
    static func isLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK
    }
}
