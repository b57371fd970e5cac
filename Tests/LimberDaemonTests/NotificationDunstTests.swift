import Foundation
import Testing
import Systemd
@testable import LimberCore
@testable import LimberDaemon

/// A real notification server: dunst on Xvfb, on a private bus.
@Suite struct NotificationDunstTests {
    @Test func dunstShowsTheReminderAndItsDoneButtonReachesTheService() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let dunst = try rig.startDunst()
        try rig.connectAndWaitForCapabilities()
        #expect(rig.presenter.capabilities?.actions == true)

        let clock = NotificationTestClock()
        let dir = try shortTemporaryDirectory("limber-svc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = notificationTestService(presenter: rig.presenter, clock: clock, dir: dir)
        var recorded: [OutcomeKind] = []
        service.observe { if case .recorded(let o) = $0 { recorded.append(o.kind) } }
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        let shown = try #require(service.engine.state.showing)
        try rig.run(until: "dunst took the notification") { rig.presenter.notificationID(for: shown.id) != nil }
        try rig.run(until: "dunst displays it", pace: .milliseconds(50)) { try dunst.ctl("count", "displayed") == "1" }

        // Done through dunst's own action menu (dunstctl context runs our dmenu).
        try dunst.pick("done")
        try dunst.ctl("context")
        try rig.run(until: "Done from dunst to reach the service") { service.engine.state.showing == nil }
        #expect(recorded == [.shown, .done])
        #expect(dunst.offered.contains("#Done (Move)"), "dunst offered: \(dunst.offered)")
        #expect(dunst.offered.contains("#Snooze 10 min (Move)"))
        #expect(dunst.offered.contains("#Skip (Move)"))

        // The answer withdrew the reminder: limber closed the notification,
        // and dunst's history shows what was on screen.
        try rig.run(until: "dunst closed it", pace: .milliseconds(50)) { try dunst.ctl("count", "displayed") == "0" }
        let history = try dunst.ctl("history")
        #expect(history.contains("\"Move\""), "history: \(history)")
        #expect(history.contains("Walk — 3 min"))
        #expect(history.contains("\"limber\""))
    }

    @Test func aClickOnTheBodyAnswersNothing() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let dunst = try rig.startDunst()
        try rig.connectAndWaitForCapabilities()
        let nid = try rig.showOnServer(NotificationFixture.reminder())
        try rig.run(until: "dunst displays it", pace: .milliseconds(50)) { try dunst.ctl("count", "displayed") == "1" }
        try dunst.ctl("action", "0")  // dunst invokes "default" on the newest notification
        // Then a real answer through the menu: it must be the first answer.
        try dunst.pick("skip")
        try dunst.ctl("context")
        try rig.run(until: "the skip from dunst") { !rig.answers.isEmpty }
        #expect(rig.answers.map(\.1) == [.skip])
        #expect(rig.answers.map(\.0) == [7])
        #expect(nid > 0)
    }
}
