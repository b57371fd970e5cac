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
        try requirePeer(Self.limberdPath, package: "limberd (run swift build first)")
        let loop = try EventLoop()
        let bus = try PrivateSessionBus()
        defer { bus.stop() }
        let control = try bus.connect()
        try control.attach(to: loop)
        let mock = try NotificationMock(on: bus, capabilities: NotificationRig.fullCapabilities, loop: loop, control: control)
        defer { mock.stop() }
        let home = bus.directory + "/home"
        try FileManager.default.createDirectory(atPath: home + "/config", withIntermediateDirectories: true)
        // The shipped programs (config/ of this checkout), 600 times faster:
        // the first reminder comes after a few seconds.
        let limberd = try PeerProcess(
            "limberd", executable: Self.limberdPath, arguments: ["--foreground", "--time-scale", "600"],
            environment: peerEnvironment([
                "DBUS_SESSION_BUS_ADDRESS": bus.address, "HOME": home,
                "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
            ]),
            logPath: bus.directory + "/limberd.log")
        defer { limberd.stop() }

        try runLoop(loop, until: "limberd's first Notify", timeout: .seconds(60), pace: .milliseconds(200)) {
            if !limberd.process.isRunning { throw PeerError("limberd exited: \(limberd.log)") }
            return try !mock.calls("Notify").isEmpty
        }
        let notify = try #require(try mock.calls("Notify").first?.arguments)
        #expect(notify[0].stringValue == "limber")
        #expect(notify[5].stringArrayValue?.contains("done") == true)
        #expect(notify[6].stringKeyedDict?["desktop-entry"]?.stringValue == "limber")
        #expect(!limberd.log.contains("no notification server"), "\(limberd.log)")
        let nid: UInt32 = 1  // the mock's first id
        try mock.emit("ActionInvoked", [.uint32(nid), .string("done")])
        try runLoop(loop, until: "limberd to close the answered notification", timeout: .seconds(20), pace: .milliseconds(100)) {
            try mock.calls("CloseNotification").contains { $0.arguments.first?.uint32Value == nid }
        }
    }
}
