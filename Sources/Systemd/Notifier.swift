// sd_notify: tell systemd we are ready, reloading, stopping, alive.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Service notifications to systemd (`sd_notify`). Every call is a no-op
/// (returning false) when NOTIFY_SOCKET is unset, i.e. not run by systemd as
/// Type=notify. Stateless and `Sendable`: usable from any thread.
public struct Notifier: Sendable {
    public init() {}

    /// Sends `KEY=VALUE` lines in order as one datagram. Returns false when
    /// there is no notify socket; throws when sending failed.
    @discardableResult
    public func send(_ fields: [(key: String, value: String)]) throws -> Bool {
        let text = fields.map { "\($0.key)=\($0.value.replacingNewlines())" }.joined(separator: "\n")
        return try check(text.withCString { sd_notify(0, $0) }, "sd_notify") > 0
    }

    /// READY=1, with an optional STATUS= line.
    @discardableResult
    public func ready(status: String? = nil) throws -> Bool {
        var fields: [(key: String, value: String)] = [("READY", "1")]
        if let status { fields.append(("STATUS", status)) }
        return try send(fields)
    }

    /// STATUS=: a one-line status shown by `systemctl status`.
    @discardableResult
    public func status(_ text: String) throws -> Bool {
        try send([("STATUS", text)])
    }

    /// RELOADING=1 with MONOTONIC_USEC= (CLOCK_MONOTONIC now, µs), as
    /// systemd expects for reload; send `ready()` when the reload is done.
    @discardableResult
    public func reloading(status: String? = nil) throws -> Bool {
        var fields: [(key: String, value: String)] = [
            ("RELOADING", "1"),
            ("MONOTONIC_USEC", String(limber_clock_usec(CLOCK_MONOTONIC))),
        ]
        if let status { fields.append(("STATUS", status)) }
        return try send(fields)
    }

    /// STOPPING=1.
    @discardableResult
    public func stopping(status: String? = nil) throws -> Bool {
        var fields: [(key: String, value: String)] = [("STOPPING", "1")]
        if let status { fields.append(("STATUS", status)) }
        return try send(fields)
    }

    /// WATCHDOG=1 (`EventLoop.enableWatchdog()` sends these by itself).
    @discardableResult
    public func watchdog() throws -> Bool {
        try send([("WATCHDOG", "1")])
    }

    /// Whether NOTIFY_SOCKET is set (we run under systemd as Type=notify).
    public static var isAvailable: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }
}

extension String {
    /// One notify line per field: newlines inside a value would start a new field.
    fileprivate func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
