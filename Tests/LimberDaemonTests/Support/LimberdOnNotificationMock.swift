import Foundation
import Systemd
import LimberNotifications

/// The built limberd on a private session bus, against python3-dbusmock's
/// notification server: the rig of the end-to-end notification tests
/// (NotificationDaemonTests, LocalizedOutputTests, LongTextLayoutTests,
/// PhaseQuestionDaemonTests). The mock logs every call it gets;
/// `waitForNotify` reads that log until limberd's notification is in it.
/// `stop()` ends limberd, the mock, then the bus, by PID.
final class LimberdOnNotificationMock {
    let loop: EventLoop
    let bus: PrivateSessionBus
    /// The test's own connection (the mock's GetCalls, limberd's API).
    let control: Bus
    let mock: NotificationMock
    /// limberd's HOME; its settings in `home/config/limber`, its state in
    /// `home/state/limber`.
    let home: String
    private(set) var limberd: PeerProcess?

    /// The bus and the mock; `settings` (limber.toml) when given, else
    /// limberd's defaults with the shipped programs.
    init(settings: String? = nil) throws {
        try requirePeer(NotificationDaemonTests.limberdPath, package: "limberd (run swift build first)")
        loop = try EventLoop()
        bus = try PrivateSessionBus()
        do {
            control = try bus.connect()
            try control.attach(to: loop)
            mock = try NotificationMock(on: bus, capabilities: NotificationRig.fullCapabilities, loop: loop, control: control)
        } catch {
            bus.stop()
            throw error
        }
        home = bus.directory + "/home"
        try FileManager.default.createDirectory(atPath: home + "/config", withIntermediateDirectories: true)
        if let settings {
            try FileManager.default.createDirectory(atPath: home + "/config/limber", withIntermediateDirectories: true)
            try settings.write(toFile: home + "/config/limber/limber.toml", atomically: true, encoding: .utf8)
        }
    }

    /// Writes `programs/ID.toml` into limberd's config.
    func writeProgram(_ id: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: home + "/config/limber/programs", withIntermediateDirectories: true)
        try text.write(toFile: home + "/config/limber/programs/\(id).toml", atomically: true, encoding: .utf8)
    }

    /// Starts limberd (`--foreground` plus `arguments`) with its HOME and
    /// XDG dirs in `home`, on the private bus, with `environment` added.
    @discardableResult
    func startLimberd(arguments: [String] = [], environment: [String: String] = [:]) throws -> PeerProcess {
        let daemon = try PeerProcess(
            "limberd", executable: NotificationDaemonTests.limberdPath, arguments: ["--foreground"] + arguments,
            environment: peerEnvironment([
                "DBUS_SESSION_BUS_ADDRESS": bus.address, "HOME": home,
                "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
            ].merging(environment) { $1 }),
            logPath: bus.directory + "/limberd.log")
        limberd = daemon
        return daemon
    }

    /// The Notify calls in the mock's log so far, oldest first.
    func notifies() throws -> [MockCall] { try mock.calls("Notify") }

    /// Waits (bounded) until the mock's log has a Notify that `match`es;
    /// fails at once when limberd exits.
    @discardableResult
    func waitForNotify(_ what: String = "limberd's first Notify", timeout: Duration = .seconds(60),
                       where match: (MockCall) -> Bool = { _ in true }) throws -> MockCall {
        var found: MockCall?
        try runLoop(loop, until: what, timeout: timeout, pace: .milliseconds(200)) {
            if let d = limberd, !d.process.isRunning { throw PeerError("limberd exited: \(d.log)") }
            found = try notifies().first(where: match)
            return found != nil
        }
        return found!
    }

    /// Waits until limberd owns `name` (its API: LimberBus.name).
    func waitForLimberd(owning name: String, timeout: Duration = .seconds(60)) throws {
        guard let limberd else { throw PeerError("limberd was not started") }
        _ = try waitForOwner(of: name, control: control, loop: loop, peer: limberd, timeout: timeout)
    }

    /// limberd, the mock, then the bus.
    func stop() {
        limberd?.stop()
        limberd = nil
        mock.stop()
        bus.stop()
    }
}
