import Foundation
import Testing
import Systemd
@testable import LimberCore
@testable import LimberDaemon

/// No server, a hung server, a server that leaves, a bus that goes away:
/// reminders go to the fallback at once, the outage is logged once, and the
/// next server gets the reminder that is up.
@Suite struct NotificationFallbackTests {
    @Test func noServerFallsBackAndTheNextServerGetsTheReminderThatIsUp() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        rig.connect()
        try rig.run(until: "no server found") { rig.presenter.serverState == .down }
        rig.presenter.show(NotificationFixture.reminder(id: 1), programs: [])
        #expect(rig.fallback.shown.map(\.id) == [1], "shown in the fallback at once, not after a call")
        rig.presenter.show(NotificationFixture.reminder(id: 2), programs: [])
        try rig.run(until: "the server probes answered") { rig.presenter.callsInFlight == 0 }
        #expect(rig.fallback.shown.map(\.id) == [1, 2])
        #expect(rig.warnings().count == 1, "one warning per outage: \(rig.warnings())")
        rig.presenter.withdraw(1, reason: .expired)
        #expect(rig.fallback.withdrawn.map(\.0) == [1])

        // A server appears: the reminder still up is shown there.
        let mock = try rig.startMock()
        try rig.run(until: "reminder 2 re-shown on the new server") { rig.presenter.notificationID(for: 2) != nil }
        #expect(rig.presenter.serverState == .up)
        #expect(try mock.calls("Notify").map { $0.arguments[1].uint32Value } == [0])
        #expect(rig.notices().filter { $0.contains("available again") }.count == 1)
        // And the next reminder goes there, not to the fallback.
        try rig.showOnServer(NotificationFixture.reminder(id: 3))
        #expect(rig.fallback.shown.map(\.id) == [1, 2])
        #expect(rig.warnings().count == 1)
    }

    @Test func aHungServerTimesOutToTheFallbackWithoutBlockingTheLoop() throws {
        let rig = try NotificationRig(callTimeout: .seconds(1), lateReplyTimeout: .seconds(3))
        defer { rig.stop() }
        _ = try rig.startHungServer()
        rig.connect()
        rig.presenter.show(NotificationFixture.reminder(), programs: [])
        #expect(rig.presenter.callsInFlight >= 1, "asked the server and returned")
        // The loop keeps serving other sources while the server says nothing.
        var ticked = false
        let tick = try rig.loop.after(.milliseconds(20)) { ticked = true }
        try rig.run(until: "a timer while the call is pending") { ticked }
        _ = tick
        #expect(rig.presenter.callsInFlight >= 1)
        #expect(rig.fallback.shown.isEmpty)
        try rig.run(until: "the call to time out into the fallback", timeout: .seconds(10)) { !rig.fallback.shown.isEmpty }
        #expect(rig.presenter.serverState == .down)
        #expect(rig.fallback.shown.map(\.id) == [7])
        // The next reminder goes to the fallback at once.
        rig.presenter.show(NotificationFixture.reminder(id: 8), programs: [])
        #expect(rig.fallback.shown.map(\.id) == [7, 8])
        try rig.run(until: "every probe timed out", timeout: .seconds(10)) { rig.presenter.callsInFlight == 0 }
        #expect(rig.warnings().count == 1, "\(rig.warnings())")
        #expect(rig.warnings().first?.contains("no reply in time") == true)
    }

    @Test func aServerThatLeavesHandsTheReminderToTheFallbackAndBack() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let first = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        try rig.showOnServer(NotificationFixture.reminder())
        first.stop()
        try rig.run(until: "the fallback after the server left") { !rig.fallback.shown.isEmpty }
        #expect(rig.presenter.serverState == .down)
        #expect(rig.presenter.notificationID(for: 7) == nil)
        let second = try rig.startMock()
        try rig.run(until: "the reminder on the new server") { rig.presenter.notificationID(for: 7) != nil }
        let notify = try second.calls("Notify")
        #expect(notify.count == 1)
        #expect(notify.first?.arguments[1].uint32Value == 0, "a new server knows none of the old ids")
        #expect(rig.warnings().count == 1)
        // Its buttons answer.
        try second.emit("ActionInvoked", [.uint32(rig.presenter.notificationID(for: 7)!), .string("done")])
        try rig.run(until: "the answer from the new server") { !rig.answers.isEmpty }
        #expect(rig.answers.map(\.1) == [.done])
        // Withdrawn: both places let go.
        rig.presenter.withdraw(7, reason: .answered)
        #expect(rig.fallback.withdrawn.map(\.0) == [7])
    }

    @Test func theBusGoingAwayFallsBackAndTheReconnectionSubscribesAgain() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        _ = try rig.startMock()
        try rig.connectAndWaitForCapabilities()
        try rig.showOnServer(NotificationFixture.reminder())
        rig.bus.stop()  // the bus daemon goes away (and the mock with its connection)
        try rig.run(until: "the fallback after the bus left") { !rig.fallback.shown.isEmpty }
        #expect(rig.presenter.serverState == .down)
        try rig.bus.start()
        try rig.reconnectControl()
        let mock = try rig.startMock()
        // BusSupervisor reconnects after its 1 s backoff; the presenter
        // subscribes again and shows the reminder that is still up.
        try rig.run(until: "the reminder on the server after the reconnection", timeout: .seconds(20)) {
            rig.presenter.notificationID(for: 7) != nil
        }
        let nid = try #require(rig.presenter.notificationID(for: 7))
        try mock.emit("ActionInvoked", [.uint32(nid), .string("skip")])
        try rig.run(until: "the answer on the new connection") { !rig.answers.isEmpty }
        #expect(rig.answers.map(\.1) == [.skip])
    }
}
