import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

let login1Path = "/org/freedesktop/login1"
let login1Manager = "org.freedesktop.login1.Manager"
let sessionPath = "/org/freedesktop/login1/session/c1"

/// A private "system" bus with python3-dbusmock's logind template and one session, c1.
final class MockLogind {
    let bus: PrivateBus
    let mock: DBusMock

    init() throws {
        bus = try PrivateBus()
        mock = try DBusMock(template: "logind", name: "org.freedesktop.login1", on: bus, system: true)
        try mock.call(login1Path, mockInterface, "AddSession",
                      [.string("c1"), .string("seat0"), .uint32(1000), .string("user"), .bool(true)])
    }

    func setSession(_ props: [String: BusValue]) throws {
        try mock.call(sessionPath, mockInterface, "UpdateProperties", [.string("org.freedesktop.login1.Session"), .vardict(props)])
    }

    func prepareForSleep(_ going: Bool) throws {
        try mock.call(login1Path, mockInterface, "EmitSignal",
                      [.string(login1Manager), .string("PrepareForSleep"), .string("b"),
                       .array(elementSignature: "v", [.variant(.bool(going))])])
    }

    /// (what, who, why, mode) of each inhibitor logind holds.
    func inhibitors() throws -> [[String]] {
        let v = try mock.call(login1Path, login1Manager, "ListInhibitors")
        return (v.first?.arrayValue ?? []).map { ($0.structValue ?? []).prefix(4).map { $0.stringValue ?? "" } }
    }

    func stop() {
        mock.stop()
        bus.stop()
    }
}

@Suite(.serialized) struct LogindPluginTests {
    @Test func idleLockAndSleepComeFromLogindWithADelayInhibitor() throws {
        let logind = try MockLogind()
        defer { logind.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { LogindPlugin() })], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        host.configure(["logind": PluginConfig(enabled: true, settings: PluginSettings(["session": .string("c1"), "idle": .bool(true),
                                                                                         "lock": .bool(true), "sleep": .bool(true)]))])
        host.start()
        let bus = try Bus(address: logind.bus.address)
        try bus.attach(to: loop)
        host.busConnected(bus, kind: .system)

        #expect(spin(loop) { host.idleSource == "logind" })
        #expect(host.status("logind")?.state == .running)
        #expect(host.status("logind")?.detail == "session c1")
        // A sleep delay inhibitor is held.
        #expect(spin(loop) { (try? logind.inhibitors().contains { $0 == ["sleep", "limber", "Counting the suspend as a break", "delay"] }) == true })

        // IdleHint with IdleSinceHintMonotonic 90 s ago: idle, backdated.
        let ninetySecondsAgo = Clocks.monotonic() - .seconds(90)
        try logind.setSession(["IdleHint": .bool(true), "IdleSinceHintMonotonic": .uint64(UInt64(ninetySecondsAgo.seconds * 1_000_000))])
        #expect(spin(loop) { rec.activity.count == 1 })
        guard case .idle(let since?)? = rec.activity.first?.event else {
            Issue.record("expected idle with a start, got \(rec.activity)")
            return
        }
        let expected = realClock().uptime - .seconds(90)
        #expect(abs((since - expected).seconds) < 3)
        try logind.setSession(["IdleHint": .bool(false)])
        #expect(spin(loop) { rec.activity.count == 2 })
        try logind.setSession(["LockedHint": .bool(true)])
        #expect(spin(loop) { rec.activity.count == 3 })
        try logind.setSession(["LockedHint": .bool(false)])
        #expect(spin(loop) { rec.activity.count == 4 })
        #expect(rec.activity.dropFirst().map(\.event) == [.active, .locked, .unlocked])

        // Suspend: sleeping, and the delay inhibitor is let go so the machine can sleep.
        try logind.prepareForSleep(true)
        #expect(spin(loop) { rec.activity.last?.event == .sleeping })
        #expect(spin(loop) { (try? logind.inhibitors().isEmpty) == true })
        // Resume: woke, and a new inhibitor for the next suspend.
        try logind.prepareForSleep(false)
        #expect(spin(loop) { rec.activity.last?.event == .woke })
        #expect(spin(loop) { (try? logind.inhibitors().count) == 1 })
        #expect(rec.activity.allSatisfy { $0.from == "logind" })
    }

    @Test func anUnknownSessionStillReportsSleepButIsNoIdleSource() throws {
        let logind = try MockLogind()
        defer { logind.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { LogindPlugin() })], clock: realClock)
        let rec = Recorder()
        rec.attach(host)
        // The mock's GetSession answers any id with a path; a session object that is not there never changes.
        var settings = PluginSettings.defaults(LogindPlugin.manifest)
        settings.values["session"] = .string("c1")
        settings.values["idle"] = .bool(false)
        host.configure(["logind": PluginConfig(enabled: true, settings: settings)])
        host.start()
        let bus = try Bus(address: logind.bus.address)
        try bus.attach(to: loop)
        host.busConnected(bus, kind: .system)
        #expect(spin(loop) { host.status("logind")?.detail == "session c1" })
        #expect(host.idleSource == nil)
        try logind.setSession(["IdleHint": .bool(true)])
        try logind.prepareForSleep(true)
        #expect(spin(loop) { rec.activity.count == 1 })
        #expect(rec.activity.map(\.event) == [.sleeping])
    }

    @Test func logindGoingAwayStopsThePluginAndItComesBackWithTheName() throws {
        let bus = try PrivateBus()
        defer { bus.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { LogindPlugin() })], clock: realClock)
        host.start()
        let conn = try Bus(address: bus.address)
        try conn.attach(to: loop)
        host.busConnected(conn, kind: .system)
        #expect(spin(loop) { host.status("logind")?.detail == "waiting for org.freedesktop.login1 on the system bus" })
        #expect(host.status("logind")?.state == .absent)
        let mock = try DBusMock(template: "logind", name: "org.freedesktop.login1", on: bus, system: true)
        #expect(spin(loop) { host.status("logind")?.state == .running })
        mock.stop()
        #expect(spin(loop) { host.status("logind")?.state == .absent })
        host.busLost(.system)
        #expect(host.status("logind")?.detail == "waiting for system bus")
    }
}

/// A clock the test moves.
final class HandClock {
    var now = realClock()
    func advance(_ d: Duration) { now = now + d }
}

@Suite(.serialized) struct MediaInhibitPluginTests {
    @Test func remindersWaitWhileSomethingBlocksIdleUpToTheBound() throws {
        let logind = try MockLogind()
        defer { logind.stop() }
        let loop = try EventLoop()
        let clock = HandClock()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { MediaInhibitPlugin() })],
                              clock: { clock.now })
        let rec = Recorder()
        rec.attach(host)
        host.start()
        let bus = try Bus(address: logind.bus.address)
        try bus.attach(to: loop)
        host.busConnected(bus, kind: .system)
        #expect(spin(loop) { host.status("media-inhibit")?.state == .running })
        #expect(decide(host, loop) == .proceed)

        // A video player blocks idle.
        let held = try logind.mock.call(login1Path, login1Manager, "Inhibit",
                                        [.string("idle"), .string("Videos"), .string("Playing a film"), .string("block")])
        guard case .unixFD(let fd)? = held.first else { Issue.record("no inhibitor fd"); return }
        #expect(decide(host, loop) == .postpone(.minutes(2), reason: "media-inhibit: idle inhibited by Videos (Playing a film)"))
        #expect(host.status("media-inhibit")?.detail == "idle inhibited by Videos (Playing a film)")
        // The same occurrence, 59 minutes on: one more short wait, then shown anyway.
        clock.advance(.minutes(59))
        #expect(decide(host, loop) == .postpone(.minutes(1), reason: "media-inhibit: idle inhibited by Videos (Playing a film)"))
        clock.advance(.minutes(1))
        #expect(decide(host, loop) == .proceed)
        #expect(rec.logged("media-inhibit", containing: "showing the reminder after waiting 1h"))

        // The film ends: reminders go on at once.
        let other = reminder(id: 2, rule: "p/stretch")
        #expect(decide(host, loop, other) != .proceed)
        close(fd)
        #expect(spin(loop) { (try? logind.inhibitors().isEmpty) == true })
        #expect(decide(host, loop, other) == .proceed)
    }

    @Test func delayInhibitorsAndOtherKindsDoNotHoldReminders() throws {
        let logind = try MockLogind()
        defer { logind.stop() }
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { MediaInhibitPlugin() })],
                              clock: realClock)
        host.start()
        let bus = try Bus(address: logind.bus.address)
        try bus.attach(to: loop)
        host.busConnected(bus, kind: .system)
        #expect(spin(loop) { host.status("media-inhibit")?.state == .running })
        let a = try logind.mock.call(login1Path, login1Manager, "Inhibit", [.string("sleep"), .string("x"), .string("y"), .string("delay")])
        let b = try logind.mock.call(login1Path, login1Manager, "Inhibit", [.string("idle"), .string("z"), .string("w"), .string("delay")])
        #expect(decide(host, loop) == .proceed)
        for v in a + b { if case .unixFD(let fd) = v { close(fd) } }
    }
}
