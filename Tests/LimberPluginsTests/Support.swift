import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

/// Tests/LimberPluginsTests
let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
/// The repository root.
let repositoryRoot = URL(fileURLWithPath: testsDirectory).deletingLastPathComponent().deletingLastPathComponent().path

/// A fresh directory with a short path (unix socket paths are limited to 108 bytes).
func tempDirectory() -> String {
    let path = "/tmp/lp-" + String(UUID().uuidString.prefix(8))
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs the loop until `condition` holds, at most `timeout`. Waits on the
/// loop's events (never sleeps); returns whether the condition came true.
@discardableResult
func spin(_ loop: EventLoop, timeout: Duration = .seconds(10), until condition: () -> Bool) -> Bool {
    let deadline = Clocks.monotonic() + timeout
    while !condition() {
        if Clocks.monotonic() >= deadline { return false }
        _ = try? loop.runOnce(timeout: .milliseconds(50))
    }
    return true
}

func realClock() -> Moment { Moment(wall: Date(), uptime: Clocks.now().boottime) }

/// What the host passed on.
final class Recorder {
    var activity: [(event: ActivityEvent, from: String)] = []
    var logs: [PluginLogEntry] = []
    var statusChanges = 0

    func attach(_ host: PluginHost) {
        host.onActivity = { [weak self] e, id in self?.activity.append((e, id)) }
        host.onLog = { [weak self] e in self?.logs.append(e) }
        host.onStatusChange = { [weak self] in self?.statusChanges += 1 }
    }

    func logged(_ plugin: String, containing text: String) -> Bool {
        logs.contains { $0.plugin == plugin && $0.message.contains(text) }
    }
}

func reminder(id: ReminderID = 1, rule: String = "p/move", dueAt: Date = Date(timeIntervalSince1970: 1_800_000_000),
              allowEasier: Bool = false) -> Reminder {
    let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing, dose: Dose(duration: .minutes(3)),
                        allowEasier: allowEasier)
    let squat = Exercise(id: "squat", name: "Squats", category: .strength, position: .standing, dose: Dose(reps: 10, sets: 2),
                         allowEasier: allowEasier)
    let item = ReminderItem(rule: RuleID(rule)!, title: "Move", message: "Time to move", exercises: [walk, squat],
                            dueAt: dueAt, catchUp: false, snoozeCount: 0)
    return Reminder(id: id, items: [item], shownAt: dueAt, expiresAt: dueAt.addingTimeInterval(900), snoozeLength: .minutes(10))
}

func outcome(_ kind: OutcomeKind, rule: String = "p/move", reminder: ReminderID = 1) -> Outcome {
    Outcome(reminder: reminder, rule: RuleID(rule)!, kind: kind,
            exercises: [OfferedExercise(id: "walk", name: "Walk", dose: "3m")],
            at: Date(timeIntervalSince1970: 1_800_000_100), dueAt: Date(timeIntervalSince1970: 1_800_000_000))
}

/// A private dbus-daemon (used as a session or a "system" bus), ended by PID.
final class PrivateBus {
    let address: String
    let directory: String
    private let process: Process

    init() throws {
        directory = tempDirectory()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        process.arguments = ["--session", "--nofork", "--nopidfile", "--address=unix:path=\(directory)/bus", "--print-address=1"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // dbus-daemon prints its address once it listens: wait for that line.
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        address = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if address.isEmpty { throw PluginError("dbus-daemon did not start") }
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        killAndReap(process)
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }
}

/// A python3-dbusmock process on a private bus, ended by PID.
final class DBusMock {
    private let process: Process
    let name: String
    /// A plain connection for driving the mock (synchronous calls).
    let control: Bus

    init(template: String, name: String, on bus: PrivateBus, system: Bool, parameters: String? = nil) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        var args = ["-m", "dbusmock", system ? "--system" : "--session", "--template", template]
        if let parameters { args += ["-p", parameters] }
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        control = try Bus(address: bus.address)
        // Wait (on the bus, bounded) for the mock to own its name.
        let loop = try EventLoop()
        let watcher = try Bus(address: bus.address)
        try watcher.attach(to: loop)
        var owned = false
        let slot = try watcher.watchNameOwner(name) { owner in if owner != nil { owned = true } }
        let ok = spin(loop, timeout: .seconds(20)) { owned }
        withExtendedLifetime(slot) {}
        if !ok { throw PluginError("dbusmock \(template) did not take \(name)") }
    }

    /// Calls a method on the mock, synchronously.
    @discardableResult
    func call(_ path: String, _ interface: String, _ member: String, _ args: [BusValue] = []) throws -> [BusValue] {
        try control.call(destination: name, path: path, interface: interface, member: member, arguments: args, timeout: .seconds(10))
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        killAndReap(process)
    }

    deinit { stop() }
}

let mockInterface = "org.freedesktop.DBus.Mock"

/// Ends a test peer by PID. SIGKILL: children of the test runner may
/// inherit a mask that blocks SIGTERM. Reaps it unless Foundation did.
func killAndReap(_ process: Process) {
    let pid = process.processIdentifier
    guard pid > 0 else { return }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
}
