import Foundation
import LimberAPI
import Testing
import LimberDaemon
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Where the built limberd and limberctl are: beside the test bundle.
enum BuiltProducts {
    static let directory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // xctest bundles on Linux are plain executables in the products dir.
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("limberd").path) { return dir.path }
        return repositoryRoot + "/.build/debug"
    }()
    static var limberd: String { directory + "/limberd" }
    /// limberctl is a symlink to limberd (one executable, two names); made
    /// here too when the build dir has none yet (scripts/test makes it).
    static let limberctl: String = {
        let link = directory + "/limberctl"
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != "limberd" {
            try? FileManager.default.removeItem(atPath: link)
            try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "limberd")
        }
        return link
    }()
}

/// Output collected from a child process while it runs, for `watch`.
final class LineCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var text = ""

    func append(_ data: Data) {
        condition.lock()
        text += String(decoding: data, as: UTF8.self)
        condition.broadcast()
        condition.unlock()
    }

    var lines: [String] {
        condition.lock()
        defer { condition.unlock() }
        return text.split(separator: "\n").map(String.init)
    }

    /// Waits (bounded) until a line satisfies `match`; returns it.
    func waitForLine(after count: Int = 0, timeout: TimeInterval = 15, _ match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            let all = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            let complete = text.hasSuffix("\n") ? all : Array(all.dropLast())
            if let line = complete.dropFirst(count).first(where: match) { return line }
            if !condition.wait(until: deadline) { return nil }
        }
    }
}

/// The result of running limberctl.
struct CommandResult {
    var code: Int32
    var out: String
    var err: String
    /// stdout parsed as one JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] ?? [:]
    }
}

/// A world for one end-to-end test: a private session bus (dbus-daemon with
/// its own config, optionally able to activate limberd), a home with a
/// limber.toml and a test program, a limberd on that bus, and limberctl.
/// Everything is stopped by PID and removed in `stop()`.
final class LimberWorld {
    let root: String
    let address: String
    let environment: [String: String]
    private let busProcess: Process
    private(set) var daemon: Process?
    private var daemonLog: String { root + "/limberd.log" }

    static let program = """
        schema = 1
        id = "drill"
        name = "Drill"
        version = "1"
        summary = "A test program."
        disclaimer = "Not medical advice."
        red_flags = ["Numbness."]

        [exercises.walk]
        name = "Walk"
        category = "cardio"
        position = "standing"
        duration = "2m"
        steps = ["Walk."]

        [exercises.reach]
        name = "Reach up"
        category = "stretch"
        position = "standing"
        reps = 5
        steps = ["Reach."]

        [reminders.move]
        cadence = "interval"
        every = "30m"
        title = "Move"
        exercises = ["walk"]

        [reminders.stretch]
        cadence = "interval"
        every = "2h"
        title = "Stretch"
        exercises = ["reach"]
        max_snoozes = 1

        """

    /// Installed, not enabled.
    static let spare = """
        schema = 1
        id = "spare"
        name = "Spare"
        disclaimer = "Not medical advice."

        [exercises.sway]
        name = "Sway"
        category = "stretch"
        position = "standing"
        reps = 3
        steps = ["Sway."]

        [reminders.sway]
        cadence = "interval"
        every = "1h"
        title = "Sway"
        exercises = ["sway"]

        """

    static let settings = """
        programs = ["drill"]
        working_hours = "00:00-24:00"
        active_days = "daily"
        coalesce_window = "1m"

        """

    /// A fixed-offset zone (Etc/GMT±N) in which it is `hour`:xx now, so
    /// that a test's "later today" does not depend on when it runs.
    static func zone(whereItIs hour: Int, now: Date = Date()) -> (id: String, zone: TimeZone) {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var offset = ((hour - utc.component(.hour, from: now)) % 24 + 24) % 24
        if offset > 14 { offset -= 24 }
        // Etc/GMT-5 is UTC+5 (POSIX signs).
        let id = offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-\(offset)" : "Etc/GMT+\(-offset)"
        return (id, TimeZone(identifier: id)!)
    }

    /// The world's time zone (its TZ): one where it is about 10:00 when the
    /// world is made, so a test is hours away from midnight, the day's
    /// rollover and the end of working hours, whenever it runs.
    let timeZone: TimeZone

    /// - Parameter activatable: the bus gets a service directory with an
    ///   org.limber.Limber1.service whose Exec= is the built limberd.
    init(activatable: Bool = false, settings: String = LimberWorld.settings) throws {
        let (zoneID, zone) = Self.zone(whereItIs: 10)
        timeZone = zone
        root = NSTemporaryDirectory() + "limber-api-" + UUID().uuidString.prefix(8)
        let fm = FileManager.default
        for d in ["home", "config/limber/programs", "state", "etc", "run", "services"] {
            try fm.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try Self.program.write(toFile: root + "/config/limber/programs/drill.toml", atomically: true, encoding: .utf8)
        try Self.spare.write(toFile: root + "/config/limber/programs/spare.toml", atomically: true, encoding: .utf8)
        try settings.write(toFile: root + "/config/limber/limber.toml", atomically: true, encoding: .utf8)
        let busPath = root + "/bus"
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path=\(busPath)</listen>
              <servicedir>\(root)/services</servicedir>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """
        try config.write(toFile: root + "/bus.conf", atomically: true, encoding: .utf8)
        if activatable {
            let service = """
                [D-BUS Service]
                Name=org.limber.Limber1
                Exec=\(BuiltProducts.limberd)
                SystemdService=limberd.service

                """
            try service.write(toFile: root + "/services/org.limber.Limber1.service", atomically: true, encoding: .utf8)
        }
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": root + "/home",
            "XDG_CONFIG_HOME": root + "/config",
            "XDG_CONFIG_DIRS": root + "/etc",
            "XDG_STATE_HOME": root + "/state",
            "XDG_RUNTIME_DIR": root + "/run",
            "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(root)/no-system-bus",
            "TZ": zoneID,
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
            "LIMBER_DATA_DIR": checkoutConfigDirectory,
        ]
        // dbus-daemon passes its environment to what it activates.
        let bus = Process()
        bus.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        bus.arguments = ["--config-file=\(root)/bus.conf", "--nofork", "--print-address=1"]
        bus.environment = env
        let pipe = Pipe()
        bus.standardOutput = pipe
        bus.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try bus.run()
        busProcess = bus
        // The address line says the bus is listening.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        address = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        environment = env
        guard !address.isEmpty else {
            stop()
            throw WorldError("dbus-daemon did not start")
        }
    }

    struct WorldError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Starts limberd on the bus and waits for its name.
    func startDaemon(arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltProducts.limberd)
        p.arguments = arguments
        p.environment = environment.merging(extra) { _, new in new }
        _ = FileManager.default.createFile(atPath: daemonLog, contents: nil)
        let log = FileHandle(forWritingAtPath: daemonLog)
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        daemon = p
        guard waitForName(present: true) else {
            throw WorldError("limberd did not take \(LimberBus.name): \(daemonOutput)"
                             + (p.isRunning ? "" : " (exited with status \(p.terminationStatus))"))
        }
    }

    var daemonOutput: String { (try? String(contentsOfFile: daemonLog, encoding: .utf8)) ?? "" }

    /// Waits for org.limber.Limber1 to appear (or go away), following
    /// NameOwnerChanged on an event loop; bounded by `timeout`.
    func waitForName(present: Bool, timeout: Duration = .seconds(20)) -> Bool {
        guard let loop = try? EventLoop(), let bus = try? Bus(address: address), (try? bus.attach(to: loop)) != nil else { return false }
        var seen: Bool? = nil
        let slot = try? bus.watchNameOwner(LimberBus.name) { owner in seen = owner != nil }
        let deadline = ContinuousClock.now + timeout
        while seen != present, ContinuousClock.now < deadline {
            if let d = daemon, !d.isRunning, present { return false }
            _ = try? loop.runOnce(timeout: .milliseconds(200))
        }
        withExtendedLifetime(slot) {}
        return seen == present
    }

    /// A client connection of the test's own.
    func connect() throws -> Bus { try Bus(address: address) }

    /// Calls a method of org.limber.Limber1.
    func call(_ member: String, _ arguments: [BusValue] = []) throws -> [BusValue] {
        try connect().call(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                           member: member, arguments: arguments, timeout: .seconds(20))
    }

    /// The D-Bus error name a call fails with (nil: it succeeded).
    func callError(_ member: String, _ arguments: [BusValue] = []) -> (name: String?, message: String?) {
        do {
            _ = try call(member, arguments)
            return (nil, nil)
        } catch let e as SystemdError {
            return (e.busErrorName, e.busErrorMessage)
        } catch {
            return ("?", "\(error)")
        }
    }

    /// Status as a dictionary, without the ever-moving `now` and status line.
    func status() throws -> [String: BusValue] {
        var d = try call("Status").first?.stringKeyedDict ?? [:]
        d["now"] = nil
        d["status_line"] = nil
        return d
    }

    /// Runs limberctl with the world's environment.
    @discardableResult
    func ctl(_ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil) throws -> CommandResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltProducts.limberctl)
        p.arguments = arguments
        p.environment = environment.merging(extra) { $1 }
        let id = UUID().uuidString.prefix(8)
        let outPath = root + "/ctl-\(id).out", errPath = root + "/ctl-\(id).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        if let stdin {
            let inPath = root + "/ctl-\(id).in"
            try stdin.write(toFile: inPath, atomically: true, encoding: .utf8)
            p.standardInput = FileHandle(forReadingAtPath: inPath)
        } else {
            p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try p.run()
        p.waitUntilExit()
        return CommandResult(code: p.terminationStatus,
                             out: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             err: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    func ctl(_ arguments: String...) throws -> CommandResult { try ctl(arguments) }

    /// Starts limberctl (for `watch`) with its stdout collected.
    func spawnCtl(_ arguments: [String]) throws -> (Process, LineCollector) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltProducts.limberctl)
        p.arguments = arguments
        p.environment = environment
        let pipe = Pipe()
        let lines = LineCollector()
        pipe.fileHandleForReading.readabilityHandler = { h in
            let data = h.availableData
            if data.isEmpty { h.readabilityHandler = nil } else { lines.append(data) }
        }
        p.standardOutput = pipe
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        return (p, lines)
    }

    /// The pid of whoever owns org.limber.Limber1.
    func daemonPID() throws -> UInt32? {
        let owner = try connect().call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
                                       member: "GetConnectionUnixProcessID", arguments: [.string(LimberBus.name)])
        return owner.first?.uint32Value
    }

    /// Stops limberd (SIGTERM, by PID), then the bus, and removes the files.
    func stop() {
        if let d = daemon {
            if d.isRunning {
                kill(d.processIdentifier, SIGTERM)
                d.waitUntilExit()
            }
        } else if let pid = try? daemonPID(), pid > 0 {
            // Started by D-Bus activation: a child of dbus-daemon, not ours.
            kill(pid_t(pid), SIGTERM)
            _ = waitForName(present: false)
        }
        if busProcess.isRunning {
            // SIGKILL: children of the test runner inherit a signal mask
            // that blocks SIGTERM, and dbus-daemon has no signalfd for it.
            kill(busProcess.processIdentifier, SIGKILL)
            busProcess.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Records the daemon's signals (its own and PropertiesChanged) on a
/// connection with its own event loop; `wait` pumps it until a signal
/// matches or the deadline passes.
final class SignalRecorder {
    let loop: EventLoop
    let bus: Bus
    private(set) var messages: [BusMessage] = []
    private var slot: BusSlot?

    init(_ world: LimberWorld) throws {
        loop = try EventLoop()
        bus = try world.connect()
        try bus.attach(to: loop)
        slot = try bus.matchSignal(path: LimberBus.path) { [unowned self] m in messages.append(m) }
    }

    /// The first recorded signal (from `index` on) with this member that
    /// satisfies `match`.
    func wait(for member: String, timeout: Duration = .seconds(10), _ match: (BusMessage) -> Bool = { _ in true }) -> BusMessage? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let m = messages.first(where: { $0.member == member && match($0) }) { return m }
            if ContinuousClock.now >= deadline { return nil }
            _ = try? loop.runOnce(timeout: .milliseconds(100))
        }
    }

    /// A PropertiesChanged of org.limber.Limber1 that carries `name`
    /// satisfying `match`; returns the new value.
    func waitForProperty(_ name: String, timeout: Duration = .seconds(10), _ match: (BusValue) -> Bool) -> BusValue? {
        var found: BusValue?
        _ = wait(for: "PropertiesChanged", timeout: timeout) { m in
            guard m.arguments.first?.stringValue == LimberBus.interface,
                  let v = m.arguments[1].stringKeyedDict?[name]?.unwrapped, match(v) else { return false }
            found = v
            return true
        }
        return found
    }

    func clear() { messages = [] }
}

extension Dictionary where Key == String, Value == BusValue {
    func u64(_ key: String) -> UInt64? { if case .uint64(let v)? = self[key]?.unwrapped { return v }; return nil }
    func str(_ key: String) -> String? { self[key]?.unwrapped.stringValue }
    func flag(_ key: String) -> Bool? { self[key]?.unwrapped.boolValue }
    func strs(_ key: String) -> [String]? { self[key]?.unwrapped.stringArrayValue }
}
