import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every test that sets environment variables lives under this one
/// serialized suite (nested suites inherit `.serialized`), and restores them.
@Suite("Tests that set environment variables", .serialized)
struct EnvironmentTests {
    /// Sets (or unsets) `name` for the duration of `body`.
    static func with(_ name: String, _ value: String?, _ body: () throws -> Void) rethrows {
        let old = getenv(name).map { String(cString: $0) }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
        defer { if let old { setenv(name, old, 1) } else { unsetenv(name) } }
        try body()
    }
}

extension EnvironmentTests {
@Suite("sd_notify")
struct NotifierTests {
    /// A bound AF_UNIX datagram socket standing in for systemd.
    final class FakeSystemd {
        let path: String
        let fd: Int32

        init() throws {
            path = NSTemporaryDirectory() + "limber-notify-\(UUID().uuidString.prefix(8)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
            }
            let r = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard r == 0 else { throw TestFailure("bind: \(errno)") }
        }

        /// The next datagram, without waiting (sd_notify's sendmsg has queued it already).
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
        }

        deinit {
            close(fd)
            unlink(path)
        }
    }

    func withNotifySocket(_ value: String?, _ body: () throws -> Void) rethrows {
        try EnvironmentTests.with("NOTIFY_SOCKET", value, body)
    }

    @Test func lifecycleDatagramsReachTheSocket() throws {
        let systemd = try FakeSystemd()
        try withNotifySocket(systemd.path) { () throws in
            let notifier = Notifier()
            #expect(Notifier.isAvailable)
            #expect(try notifier.ready(status: "Next break at 10:30"))
            #expect(systemd.receive() == "READY=1\nSTATUS=Next break at 10:30")

            #expect(try notifier.status("Paused\nfor a meeting"))
            #expect(systemd.receive() == "STATUS=Paused for a meeting")

            let before = Clocks.monotonic()
            #expect(try notifier.reloading())
            let reloading = try #require(systemd.receive())
            let lines = reloading.split(separator: "\n")
            #expect(lines.first == "RELOADING=1")
            let usecText = try #require(lines.first { $0.hasPrefix("MONOTONIC_USEC=") }?.dropFirst("MONOTONIC_USEC=".count))
            let usec = try #require(Int64(usecText))
            #expect(Duration.microseconds(usec) >= before - .milliseconds(1))
            #expect(Duration.microseconds(usec) <= Clocks.monotonic())

            #expect(try notifier.watchdog())
            #expect(systemd.receive() == "WATCHDOG=1")
            #expect(try notifier.stopping())
            #expect(systemd.receive() == "STOPPING=1")
            #expect(systemd.receive() == nil)
        }
    }

    @Test func withoutNotifySocketItIsANoOp() throws {
        try withNotifySocket(nil) { () throws in
            #expect(!Notifier.isAvailable)
            #expect(try Notifier().ready() == false)
            #expect(try Notifier().stopping() == false)
        }
    }

    @Test func watchdogIsOffWithoutWatchdogUsec() throws {
        let loop = try EventLoop()
        #expect(try loop.enableWatchdog() == false)
    }
}
}
