import Foundation
import Testing
import Systemd
@testable import LimberDaemon

/// The limberd binary, end to end: its reminders reach the session bus's
/// notification server and the server's buttons answer them.
@Suite struct NotificationDaemonTests {
    /// The built limberd next to the test bundle (`swift build --build-tests`
    /// builds it).
    static var limberdPath: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/.build/debug/limberd"
    }

    @Test func limberdShowsItsReminderOnTheServerAndTheDoneButtonClosesIt() throws {
        let rig = try LimberdOnNotificationMock()
        defer { rig.stop() }
        // The shipped programs (config/ of this checkout), 600 times faster:
        // the first reminder comes after a few seconds.
        let limberd = try rig.startLimberd(arguments: ["--time-scale", "600"])
        let (loop, mock) = (rig.loop, rig.mock)
        let notify = try rig.waitForNotify().arguments
        #expect(notify[0].stringValue == "limber")
        #expect(notify[5].stringArrayValue?.contains("done") == true)
        #expect(notify[6].stringKeyedDict?["desktop-entry"]?.stringValue == "limber")
        #expect(!limberd.log.contains("no notification server"), "\(limberd.log)")
        let nid: UInt32 = 1  // the mock's first id
        try mock.emit("ActionInvoked", [.uint32(nid), .string("done")])
        try runLoop(loop, until: "limberd to close the answered notification", timeout: .seconds(20), pace: .milliseconds(100)) {
            try mock.closed(nid)
        }
    }
}
