// Errors from libsystemd, and the one helper every libsystemd call goes through.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// A failed libsystemd call: which operation, the errno, and for D-Bus the
/// error name and message (e.g. `org.freedesktop.DBus.Error.ServiceUnknown`).
public struct SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The positive errno value (`ETIMEDOUT`, `EHOSTUNREACH`, ...).
    public let errno: Int32
    /// What was being done, e.g. `"sd_bus_call org.freedesktop.Notifications.Notify"`.
    public let operation: String
    /// The D-Bus error name when the failure came from the bus.
    public let busErrorName: String?
    /// The D-Bus error message when the failure came from the bus.
    public let busErrorMessage: String?

    public init(errno: Int32, operation: String, busErrorName: String? = nil, busErrorMessage: String? = nil) {
        self.errno = errno
        self.operation = operation
        self.busErrorName = busErrorName
        self.busErrorMessage = busErrorMessage
    }

    /// `strerror` text for `errno`.
    public var errnoDescription: String {
        String(cString: strerror(errno))
    }

    public var description: String {
        var text = "\(operation) failed: \(errnoDescription) (errno \(errno))"
        if let name = busErrorName {
            text += ": \(name)"
            if let message = busErrorMessage, !message.isEmpty { text += ": \(message)" }
        }
        return text
    }

    /// True when the bus said nobody owns the destination name.
    public var isServiceUnknown: Bool { busErrorName == BusErrorName.serviceUnknown }
    /// True when a call timed out (no reply within the timeout).
    public var isTimeout: Bool { busErrorName == BusErrorName.noReply || errno == ETIMEDOUT }
    /// True when the connection is gone.
    public var isDisconnected: Bool {
        errno == ENOTCONN || errno == ECONNRESET || busErrorName == BusErrorName.disconnected
    }
}

/// Well-known D-Bus error names.
public enum BusErrorName {
    public static let failed = "org.freedesktop.DBus.Error.Failed"
    public static let serviceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown"
    public static let nameHasNoOwner = "org.freedesktop.DBus.Error.NameHasNoOwner"
    public static let noReply = "org.freedesktop.DBus.Error.NoReply"
    public static let disconnected = "org.freedesktop.DBus.Error.Disconnected"
    public static let unknownMethod = "org.freedesktop.DBus.Error.UnknownMethod"
    public static let unknownInterface = "org.freedesktop.DBus.Error.UnknownInterface"
    public static let unknownProperty = "org.freedesktop.DBus.Error.UnknownProperty"
    public static let propertyReadOnly = "org.freedesktop.DBus.Error.PropertyReadOnly"
    public static let invalidArgs = "org.freedesktop.DBus.Error.InvalidArgs"
    public static let accessDenied = "org.freedesktop.DBus.Error.AccessDenied"
}

/// The one gate for libsystemd return values: a negative `r` becomes a
/// `SystemdError` naming `what`; with `busError` set (as `sd_bus_call` fills
/// it), the D-Bus error name and message are carried too. Non-negative values
/// pass through.
@discardableResult
func check(
    _ r: Int32,
    _ what: @autoclosure () -> String,
    busError: UnsafePointer<sd_bus_error>? = nil
) throws(SystemdError) -> Int32 {
    if r >= 0 { return r }
    var name: String?
    var message: String?
    if let busError, sd_bus_error_is_set(busError) != 0 {
        name = busError.pointee.name.map { String(cString: $0) }
        message = busError.pointee.message.map { String(cString: $0) }
    }
    throw SystemdError(errno: -r, operation: what(), busErrorName: name, busErrorMessage: message)
}
