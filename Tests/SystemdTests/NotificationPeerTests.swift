import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's real use: Notify(susssasa{sv}i) to a notification server and
/// ActionInvoked back, against python3-dbusmock's notification_daemon template.
@Suite("Notification server peer (python3-dbusmock)")
struct NotificationPeerTests {
    static let mockAvailable = FileManager.default.fileExists(
        atPath: "/usr/lib/python3/dist-packages/dbusmock/templates/notification_daemon.py")

    @Test(.enabled(if: mockAvailable, "needs python3-dbusmock"))
    func notifyWithHintsThenActionInvokedReachesTheMatch() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let loop = try EventLoop()
        let bus = try Bus(address: daemon.address)
        try bus.attach(to: loop)

        // Wait (on the bus, not the clock) for the mock server to take its name.
        var owner: String?
        let watch = try bus.watchNameOwner("org.freedesktop.Notifications") { owner = $0 }
        let mock = Process()
        mock.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        mock.arguments = ["-m", "dbusmock", "--template", "notification_daemon"]
        mock.environment = ["DBUS_SESSION_BUS_ADDRESS": daemon.address, "PATH": "/usr/bin:/bin"]
        mock.standardOutput = FileHandle.nullDevice
        mock.standardError = FileHandle.nullDevice
        try mock.run()
        defer {
            kill(mock.processIdentifier, SIGKILL)  // by PID; SIGKILL since the runner's threads block SIGTERM
            mock.waitUntilExit()
        }
        #expect(try loop.run(until: { owner != nil }, timeout: .seconds(20)))
        let server = try #require(owner)

        // Subscribe, send and listen on ONE connection.
        var actions: [(id: UInt32, key: String)] = []
        let actionMatch = try bus.matchSignal(
            path: "/org/freedesktop/Notifications", interface: "org.freedesktop.Notifications", member: "ActionInvoked"
        ) { message in
            if let id = message.arguments.first?.uint32Value, let key = message.arguments.last?.stringValue {
                actions.append((id, key))
            }
        }

        var reply: Result<[BusValue], SystemdError>?
        try bus.callAsync(
            destination: "org.freedesktop.Notifications", path: "/org/freedesktop/Notifications",
            interface: "org.freedesktop.Notifications", member: "Notify",
            arguments: [
                .string("limber"), .uint32(0), .string("limber"), .string("Time to move"),
                .string("Neck rolls, 30 s"),
                .strings(["default", "Done", "snooze", "Snooze 5 min"]),
                .vardict(["urgency": .byte(1), "category": .string("reminder"), "resident": .bool(true),
                          "desktop-entry": .string("limber")]),
                .int32(-1),
            ],
            timeout: .seconds(5)
        ) { reply = $0 }
        #expect(try loop.run(until: { reply != nil }))
        let id = try #require(try reply?.get().first?.uint32Value)
        #expect(id > 0)

        // What did the server receive? GetCalls → a(tsav): (time, method, args).
        let calls = try bus.call(destination: server, path: "/org/freedesktop/Notifications",
                                 interface: "org.freedesktop.DBus.Mock", member: "GetCalls", timeout: .seconds(5))
        let notify = try #require(calls.first?.arrayValue?.compactMap(\.structValue).first { $0[1].stringValue == "Notify" })
        let arguments = try #require(notify[2].arrayValue).map(\.unwrapped)
        #expect(arguments.count == 8)
        #expect(arguments[3].stringValue == "Time to move")
        #expect(arguments[5].stringArrayValue == ["default", "Done", "snooze", "Snooze 5 min"])
        let hints = try #require(arguments[6].stringKeyedDict)
        #expect(hints["urgency"]?.unwrapped == .byte(1))
        #expect(hints["resident"]?.boolValue == true)

        // The user clicks "Snooze": the mock emits ActionInvoked(u, s).
        _ = try bus.call(destination: server, path: "/org/freedesktop/Notifications",
                         interface: "org.freedesktop.DBus.Mock", member: "EmitSignal",
                         arguments: [.string("org.freedesktop.Notifications"), .string("ActionInvoked"), .string("us"),
                                     .array(elementSignature: "v", [.variant(.uint32(id)), .variant(.string("snooze"))])],
                         timeout: .seconds(5))
        #expect(try loop.run(until: { !actions.isEmpty }))
        #expect(actions.first?.id == id)
        #expect(actions.first?.key == "snooze")
        withExtendedLifetime((watch, actionMatch)) {}
    }
}
