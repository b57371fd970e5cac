// Shared test helpers: a private dbus-daemon per test, bounded loop runs.
import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A private session dbus-daemon in its own temp dir, killed by PID in `stop()`.
final class PrivateBusDaemon {
    let directory: URL
    let address: String
    private let process: Process

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("limber-bus-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A minimal config: no service activation, so a missing name is ServiceUnknown.
        let config = directory.appendingPathComponent("bus.conf")
        try """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>session</type>
          <listen>unix:path=\(directory.path)/bus</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow send_destination="*" eavesdrop="true"/>
            <allow eavesdrop="true"/>
            <allow own="*"/>
          </policy>
        </busconfig>
        """.write(to: config, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        process.arguments = ["--config-file=\(config.path)", "--nofork", "--print-address=1"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice  // "Failed to set fd limit" noise when not privileged
        try process.run()
        // Wait for the address line (dbus-daemon prints it once it listens).
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("unix:") else {
            kill(process.processIdentifier, SIGKILL)
            throw TestFailure("dbus-daemon did not print its address: \(text)")
        }
        address = String(line)
    }

    var pid: Int32 { process.processIdentifier }

    /// Kills the daemon by PID and removes its directory. SIGKILL: the test
    /// runner's worker threads block most signals and a spawned child
    /// inherits that mask, so SIGTERM would stay pending.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

extension EventLoop {
    /// Runs iterations until `condition` holds or `timeout` passes (no sleeps:
    /// each iteration waits for events, bounded by the time left).
    @discardableResult
    func run(until condition: () -> Bool, timeout: Duration = .seconds(10)) throws -> Bool {
        let deadline = Clocks.monotonic() + timeout
        while !condition() {
            let left = deadline - Clocks.monotonic()
            if left <= .zero { return false }
            guard try runOnce(timeout: left) else { return condition() }
        }
        return true
    }
}

/// A bus with a loop attached, for one side of a test.
struct Peer {
    let loop: EventLoop
    let bus: Bus
}

let testInterfaceXML = """
 <interface name="org.limber.Test1">
  <method name="Echo"><arg type="v" direction="in"/><arg type="v" direction="out"/></method>
  <method name="EchoAll"/>
  <method name="Fail"/>
  <method name="Later"><arg type="s" direction="in"/><arg type="s" direction="out"/></method>
  <signal name="Poked"><arg type="s"/><arg type="u"/></signal>
  <property name="Status" type="s" access="readwrite"/>
  <property name="Count" type="u" access="read"/>
 </interface>
"""
