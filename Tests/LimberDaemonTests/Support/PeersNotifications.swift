// Real peers for the notification tests: a private dbus-daemon, the
// python3-dbusmock notification_daemon, a server that never answers, and
// Xvfb + dunst. Each test starts its own and stops them by PID.
// Waits are bounded loops over the test's sd-event loop, never sleeps.
import Foundation
import Logging
import Systemd
import DesktopPeers
@testable import LimberDaemon
import LimberNotifications

/// A peer could not be started (a missing binary names its Debian package),
/// or a bounded wait ran out.
struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Fails (never skips) when a peer binary is missing.
func requirePeer(_ path: String, package: String) throws {
    guard FileManager.default.isExecutableFile(atPath: path) || FileManager.default.fileExists(atPath: path) else {
        throw PeerError("\(path) is missing: install the Debian package \(package) (apt-get install -y \(package))")
    }
}

/// Runs `loop` until `condition` holds, at most `timeout`. Each turn waits
/// for the loop's next event (a bus message, a timer), capped at `pace` for
/// conditions that change outside the loop (another process's state).
func runLoop(_ loop: EventLoop, until what: String, timeout: Duration = .seconds(15), pace: Duration = .milliseconds(100),
             _ condition: () throws -> Bool) throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while try !condition() {
        let left = deadline - clock.now
        guard left > .zero else { throw PeerError("timed out after \(timeout) waiting for \(what)") }
        try loop.runOnce(timeout: min(left, pace))
    }
}

/// A short private directory (unix socket paths are limited to 108 bytes).
func shortTemporaryDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
        throw PeerError("mkdtemp /tmp/\(prefix): \(String(cString: strerror(errno)))")
    }
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A child process, stopped by its PID (SIGTERM, then SIGKILL after 5 s).
final class PeerProcess: @unchecked Sendable {
    let name: String
    let process = Process()
    private let stdoutPipe = Pipe()
    private let exited = DispatchSemaphore(value: 0)
    private var stopped = false
    let logPath: String

    init(_ name: String, executable: String, arguments: [String], environment: [String: String],
         logPath: String, pipeStdout: Bool = false) throws {
        self.name = name
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipeStdout ? stdoutPipe : log
        process.standardError = log
        process.terminationHandler = { [exited] _ in exited.signal() }
        try runWithDefaultSignalMask(process)
        try? log.close()
    }

    var pid: Int32 { process.processIdentifier }

    /// The first line the process writes to stdout (nil: it exited first).
    func firstLine() -> String? {
        let fd = stdoutPipe.fileHandleForReading.fileDescriptor
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning { kill(pid, SIGTERM) }
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(pid, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }

    deinit { stop() }
}

/// Starts `process` with no signals blocked. A child inherits the
/// spawning thread's mask, Foundation's Process does not reset it, and the
/// test runner's threads block nearly everything: a peer would then ignore
/// SIGTERM.
func runWithDefaultSignalMask(_ process: Process) throws {
    var empty = sigset_t()
    var old = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &old)
    defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
    try process.run()
}

/// The environment for peers: ours without any desktop session, plus `extra`.
func peerEnvironment(_ extra: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for key in ["DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS"] { env[key] = nil }
    // The shipped programs from this checkout (limberd never looks near its binary).
    if env["LIMBER_DATA_DIR"] == nil { env["LIMBER_DATA_DIR"] = checkoutConfigDirectory }
    env.merge(extra) { $1 }
    return env
}

/// The checkout's `config/`: the data directory tests run limberd with.
let checkoutConfigDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config").path

/// A private session bus: `dbus-daemon --nofork --print-address` on
/// DIR/bus, with a config that has no service directories, so a missing
/// server is ServiceUnknown (never an activated dunst on someone's display).
final class PrivateSessionBus {
    let directory: String
    let socketPath: String
    private(set) var address = ""
    private var daemon: PeerProcess?

    init() throws {
        try requirePeer("/usr/bin/dbus-daemon", package: "dbus-daemon")
        directory = try shortTemporaryDirectory("limber-nt")
        socketPath = directory + "/bus"
        let config = """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>session</type>
          <listen>unix:path=\(socketPath)</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow send_destination="*" eavesdrop="true"/>
            <allow eavesdrop="true"/>
            <allow own="*"/>
          </policy>
        </busconfig>
        """
        try config.write(toFile: directory + "/bus.conf", atomically: true, encoding: .utf8)
        try start()
    }

    /// Starts the daemon (again, after `stop()`: same socket path).
    func start() throws {
        unlink(socketPath)
        let d = try PeerProcess("dbus-daemon", executable: "/usr/bin/dbus-daemon",
                                arguments: ["--config-file=\(directory)/bus.conf", "--print-address=1", "--nofork"],
                                environment: peerEnvironment([:]), logPath: directory + "/dbus-daemon.log", pipeStdout: true)
        guard let line = d.firstLine(), line.hasPrefix("unix:") else {
            d.stop()
            throw PeerError("dbus-daemon did not start: \(d.log)")
        }
        // Without the printed guid: a restarted daemon on the same path has
        // a new one, and clients reconnect by path (as to $XDG_RUNTIME_DIR/bus).
        address = "unix:path=" + socketPath
        daemon = d
    }

    var pid: Int32? { daemon?.pid }

    /// A new client connection (the test's own, or the presenter's).
    func connect() throws -> Bus { try Bus(address: address) }

    /// A supervisor that connects to this bus (not the user's).
    func supervisor(loop: EventLoop, logger: Logger) -> BusSupervisor {
        BusSupervisor(.user, loop: loop, logger: logger, opener: { [address] in try Bus(address: address) })
    }

    func stop() {
        daemon?.stop()
        daemon = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Waits on `loop` until `name` has an owner on `control`'s bus; returns it.
@discardableResult
func waitForOwner(of name: String, control: Bus, loop: EventLoop, peer: PeerProcess,
                  timeout: Duration = .seconds(15)) throws -> String {
    var owner: String?
    let slot = try control.watchNameOwner(name) { owner = $0 }
    defer { slot.cancel() }
    try runLoop(loop, until: "\(peer.name) to own \(name)", timeout: timeout) {
        if owner == nil, !peer.process.isRunning { throw PeerError("\(peer.name) exited: \(peer.log)") }
        return owner != nil
    }
    return owner!
}

/// One call the mock recorded.
struct MockCall {
    var method: String
    var arguments: [BusValue]
}

/// python3-dbusmock's notification_daemon template on a private bus.
final class NotificationMock {
    static let python = "/usr/bin/python3"
    let process: PeerProcess
    /// The test's own connection, for GetCalls and EmitSignal.
    let control: Bus
    private(set) var owner = ""

    init(on bus: PrivateSessionBus, capabilities: [String], loop: EventLoop, control: Bus) throws {
        try requirePeer(Self.python, package: "python3")
        try requirePeer("/usr/lib/python3/dist-packages/dbusmock/templates/notification_daemon.py", package: "python3-dbusmock")
        self.control = control
        let parameters = "{\"capabilities\": \"\(capabilities.joined(separator: " "))\"}"
        process = try PeerProcess(
            "dbusmock notification_daemon", executable: Self.python,
            arguments: ["-m", "dbusmock", "--session", "--template", "notification_daemon", "--parameters", parameters,
                        "-l", bus.directory + "/notify-calls.log"],
            environment: peerEnvironment(["DBUS_SESSION_BUS_ADDRESS": bus.address]),
            logPath: bus.directory + "/notify-mock.\(UUID().uuidString.prefix(8)).log")
        owner = try waitForOwner(of: NotificationClient.busName, control: control, loop: loop, peer: process)
    }

    private func mock(_ member: String, _ arguments: [BusValue] = []) throws -> [BusValue] {
        try control.call(destination: NotificationClient.busName, path: NotificationClient.objectPath,
                         interface: "org.freedesktop.DBus.Mock", member: member, arguments: arguments, timeout: .seconds(10))
    }

    /// Every call so far (GetCalls), oldest first; `method` filters.
    func calls(_ method: String? = nil) throws -> [MockCall] {
        let list = try mock("GetCalls").first?.arrayValue ?? []
        return list.compactMap { entry in
            guard let fields = entry.structValue, fields.count == 3, let name = fields[1].stringValue,
                  let args = fields[2].arrayValue else { return nil }
            return MockCall(method: name, arguments: args.map(\.unwrapped))
        }.filter { method == nil || $0.method == method }
    }

    /// The Notify calls so far whose summary is `summary`, oldest first.
    func notifies(summary: String) throws -> [MockCall] {
        try calls("Notify").filter { $0.arguments[3].stringValue == summary }
    }

    /// Whether the client called CloseNotification for `id` yet.
    func closed(_ id: UInt32?) throws -> Bool {
        try calls("CloseNotification").contains { $0.arguments.first?.uint32Value == id }
    }

    /// Sends a signal from the server's object, as the server would.
    func emit(_ member: String, _ arguments: [BusValue]) throws {
        _ = try mock("EmitSignal", [
            .string(NotificationClient.interface), .string(member), .string(arguments.busSignature),
            .array(elementSignature: "v", arguments.map(BusValue.variant)),
        ])
    }

    func stop() { process.stop() }
}

/// A server that owns org.freedesktop.Notifications and never answers
/// (python3-dbus without a main loop: calls pile up unread).
final class HungNotificationServer {
    let process: PeerProcess

    init(on bus: PrivateSessionBus, loop: EventLoop, control: Bus) throws {
        try requirePeer("/usr/lib/python3/dist-packages/dbus/__init__.py", package: "python3-dbus")
        let script = """
        import dbus, signal
        bus = dbus.bus.BusConnection('\(bus.address)')
        bus.request_name('\(NotificationClient.busName)')
        signal.pause()
        """
        process = try PeerProcess("hung notification server", executable: NotificationMock.python, arguments: ["-c", script],
                                  environment: peerEnvironment([:]), logPath: bus.directory + "/hung.log")
        try waitForOwner(of: NotificationClient.busName, control: control, loop: loop, peer: process)
    }

    func stop() { process.stop() }
}

/// A real notification server: Xvfb on a free display, dunst on the
/// private bus. Named actions are picked through `dunstctl context` with a
/// scripted dmenu that prints the offered line whose key is in `pick`.
final class DunstServer {
    let xvfb: PeerProcess
    let dunst: PeerProcess
    let display: String
    let directory: String
    let busAddress: String

    init(on bus: PrivateSessionBus, loop: EventLoop, control: Bus) throws {
        try requirePeer("/usr/bin/Xvfb", package: "xvfb")
        try requirePeer("/usr/bin/dunst", package: "dunst")
        try requirePeer("/usr/bin/dunstctl", package: "dunst")
        try requirePeer("/usr/bin/dbus-send", package: "dbus-bin")  // dunstctl calls it
        directory = bus.directory
        busAddress = bus.address
        // -displayfd: Xvfb picks a free display and writes its number once it
        // accepts connections (free-number search and readiness in one).
        xvfb = try PeerProcess("Xvfb", executable: "/usr/bin/Xvfb",
                               arguments: ["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
                               environment: peerEnvironment([:]), logPath: directory + "/xvfb.log", pipeStdout: true)
        guard let number = xvfb.firstLine(), !number.isEmpty, number.allSatisfy(\.isNumber) else {
            xvfb.stop()
            throw PeerError("Xvfb did not report a display: \(xvfb.log)")
        }
        display = ":" + number
        let picker = directory + "/dmenu"
        try writeExecutable("""
        #!/bin/sh
        # dunst offers lines like "#Done (Move) [3,done]"; print the wanted key's.
        want=$(cat '\(directory)/pick')
        tee -a '\(directory)/offered' | grep -m1 ",$want]$"
        exit 0
        """, to: picker)
        try "".write(toFile: directory + "/pick", atomically: true, encoding: .utf8)
        try """
        [global]
            dmenu = \(picker)
            browser = /bin/true
            notification_limit = 0
            idle_threshold = 0
            history_length = 100
            sticky_history = yes
        [urgency_normal]
            timeout = 0
        """.write(toFile: directory + "/dunstrc", atomically: true, encoding: .utf8)
        do {
            dunst = try PeerProcess("dunst", executable: "/usr/bin/dunst", arguments: ["-config", directory + "/dunstrc"],
                                    environment: peerEnvironment(["DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": bus.address]),
                                    logPath: directory + "/dunst.log")
            try waitForOwner(of: NotificationClient.busName, control: control, loop: loop, peer: dunst)
        } catch {
            xvfb.stop()
            throw error
        }
    }

    /// Which action key the scripted dmenu picks at the next `dunstctl context`.
    func pick(_ key: String) throws {
        try key.write(toFile: directory + "/pick", atomically: true, encoding: .utf8)
    }

    /// What dunst offered the picker so far.
    var offered: String { (try? String(contentsOfFile: directory + "/offered", encoding: .utf8)) ?? "" }

    /// Runs dunstctl against this dunst; returns its output.
    @discardableResult
    func ctl(_ arguments: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/dunstctl")
        p.arguments = arguments
        p.environment = peerEnvironment(["DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": busAddress])
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try runWithDefaultSignalMask(p)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw PeerError("dunstctl \(arguments.joined(separator: " ")) failed (\(p.terminationStatus)): \(text)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// dunst first (it needs the display and the bus), then Xvfb.
    func stop() {
        dunst.stop()
        xvfb.stop()
    }
}

/// Keeps what a Logger logs, for "logged once" assertions.
final class NotifyLogCapture: @unchecked Sendable {
    struct Entry {
        var level: Logger.Level
        var message: String
    }

    private let lock = NSLock()
    private var stored: [Entry] = []

    var entries: [Entry] { lock.withLock { stored } }

    func append(_ e: Entry) { lock.withLock { stored.append(e) } }

    var logger: Logger {
        Logger(label: "notify-test") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: NotifyLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.append(Entry(level: event.level, message: event.message.description))
        }
    }
}
