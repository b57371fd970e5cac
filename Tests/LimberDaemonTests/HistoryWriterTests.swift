import Foundation
import Testing
@testable import LimberCore
@testable import LimberDaemon
import LimberHistory
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// The history off the loop (HistoryWriter.swift): a real limberd whose
/// history database another process holds locked. Its writer waits (up to
/// its 30 s busy timeout); reminders, answers, `Status` and the watchdog
/// go on; once the lock goes, the outcomes reach the disk, in order.
///
/// With the writes on the loop, the first TriggerNow would not be answered
/// before the busy timeout (the call's 20 s timeout runs out first).
@Suite(.serialized) struct HistoryWriterTests {
    /// Holds SQLite's write lock on `path` (a second process, like a
    /// backup tool or a slow disk would) until `release()`.
    final class WriteLockHolder {
        let process = Process()
        private let input = Pipe()

        init(path: String) throws {
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
                db.execute('BEGIN IMMEDIATE')
                print('locked', flush=True)
                sys.stdin.readline()
                db.execute('COMMIT')
                """, path]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            // One line once the lock is held; EOF if python3 failed.
            var seen = Data()
            while !seen.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            guard String(decoding: seen, as: UTF8.self).hasPrefix("locked") else {
                throw LimberWorld.WorldError("could not lock \(path)")
            }
        }

        func release() {
            input.fileHandleForWriting.write(Data("\n".utf8))
            process.waitUntilExit()
        }
    }

    /// A NOTIFY_SOCKET of the test's own: what limberd tells "systemd".
    final class NotifySocket {
        let path: String
        let fd: Int32

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, b) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
            }
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard fd >= 0, ok == 0 else { throw LimberWorld.WorldError("cannot bind \(path)") }
        }

        deinit { close(fd) }

        /// The next datagram, waiting for it at most until `deadline`.
        func receive(until deadline: ContinuousClock.Instant) -> String? {
            while true {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return nil }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ms = Int32(min(left.components.seconds * 1000 + 1, 60_000))
                guard poll(&p, 1, ms) > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { return String(decoding: buffer[..<n], as: UTF8.self) }
            }
        }

        /// Waits for `count` datagrams with the line `line`; false when the
        /// deadline passes first.
        func wait(for line: String, count: Int = 1, timeout: Duration = .seconds(30)) -> Bool {
            let deadline = ContinuousClock.now + timeout
            var seen = 0
            while seen < count {
                guard let m = receive(until: deadline) else { return false }
                if m.split(separator: "\n").contains(Substring(line)) { seen += 1 }
            }
            return true
        }

        /// Drops what is queued.
        func drain() {
            while receive(until: ContinuousClock.now + .milliseconds(1)) != nil {}
        }
    }

    @Test func aLockedHistoryDelaysNoReminderStatusOrWatchdog() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let notify = try NotifySocket(path: world.root + "/notify.sock")
        // A ping every half second while the loop turns.
        try world.startDaemon(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        #expect(notify.wait(for: "READY=1"), "limberd told the notify socket it is ready")
        let signals = try SignalRecorder(world)
        let path = world.root + "/state/limber/history.sqlite"
        let reader = try HistoryStore.openForReading(at: path)
        let before = try reader.outcomes().count

        let lock = try WriteLockHolder(path: path)
        var released = false
        defer { if !released { lock.release() } }

        // A reminder, its answer and the next reminder, all while the
        // writer waits for the lock. (The calls' replies wait for their
        // rows: AcknowledgedOnDiskTests.)
        let calls = [try AcknowledgedOnDiskTests.PendingReply(signals.bus, "TriggerNow", [.string("drill/move")])]
        #expect(signals.wait(for: "ReminderShown", timeout: .seconds(30)) { $0.arguments[1] == .string("Move") } != nil)
        let more = [try AcknowledgedOnDiskTests.PendingReply(signals.bus, "Done", [.uint64(0)])]
        #expect(signals.wait(for: "ReminderAnswered", timeout: .seconds(30)) != nil)
        let last = [try AcknowledgedOnDiskTests.PendingReply(signals.bus, "TriggerNow", [.string("drill/stretch")])]
        #expect(signals.wait(for: "ReminderShown", timeout: .seconds(30)) { $0.arguments[1] == .string("Stretch") } != nil)
        defer { withExtendedLifetime(calls + more + last) {} }
        // limberctl status answers, and says nothing of held outcomes: the
        // writer has not given up, it is waiting.
        let status = try world.ctl("status")
        #expect(status.code == 0, "\(status.err)")
        #expect(status.out.contains("Stretch"), "\(status.out)")
        #expect(!status.out.contains("not yet written"), "\(status.out)")
        // The watchdog is fed all along.
        notify.drain()
        #expect(notify.wait(for: "WATCHDOG=1", count: 2), "watchdog pings while the history is locked")
        // Nothing of it is on disk yet: the writer really was held.
        #expect(try reader.outcomes().count == before, "no outcome written while the lock is held")

        lock.release()
        released = true
        // Then everything arrives, in the order it happened.
        let deadline = ContinuousClock.now + .seconds(60)
        var rows = try reader.outcomes()
        while rows.count < before + 3, ContinuousClock.now < deadline {
            _ = signals.wait(for: "no such signal", timeout: .milliseconds(200))  // pumps; a bounded poll
            rows = try reader.outcomes()
        }
        let new = rows.sorted { $0.id < $1.id }.dropFirst(before)
        #expect(new.map(\.outcome.kind) == [.shown, .done, .shown])
        #expect(new.map(\.outcome.rule.rule) == ["move", "move", "stretch"])
        #expect(!world.daemonOutput.contains("history not written"), "the writer waited instead of giving up")
    }
}
