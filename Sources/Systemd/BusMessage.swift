// A received D-Bus message copied out into Swift values.
import CSystemd

/// A received message, read completely: every string copied, every fd dup'ed,
/// so it owns nothing of libsystemd and may outlive the sd_bus_message.
public struct BusMessage: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case methodCall, methodReturn, methodError, signal
    }

    public let kind: Kind
    public let sender: String?
    public let destination: String?
    public let path: String?
    public let interface: String?
    public let member: String?
    /// The body signature, e.g. "ua{sv}".
    public let signature: String
    /// For `.methodError`: the D-Bus error name and message.
    public let errorName: String?
    public let errorMessage: String?
    /// The body.
    public let arguments: [BusValue]

    public init(
        kind: Kind, sender: String? = nil, destination: String? = nil, path: String? = nil,
        interface: String? = nil, member: String? = nil, errorName: String? = nil,
        errorMessage: String? = nil, arguments: [BusValue]
    ) {
        self.kind = kind
        self.sender = sender
        self.destination = destination
        self.path = path
        self.interface = interface
        self.member = member
        self.signature = arguments.busSignature
        self.errorName = errorName
        self.errorMessage = errorMessage
        self.arguments = arguments
    }

    /// Reads `m` from its start; `m` stays owned by the caller.
    init(reading m: OpaquePointer) throws(SystemdError) {
        var type: UInt8 = 0
        try check(sd_bus_message_get_type(m, &type), "sd_bus_message_get_type")
        switch Int(type) {
        case SD_BUS_MESSAGE_METHOD_CALL: kind = .methodCall
        case SD_BUS_MESSAGE_METHOD_RETURN: kind = .methodReturn
        case SD_BUS_MESSAGE_METHOD_ERROR: kind = .methodError
        default: kind = .signal
        }
        sender = sd_bus_message_get_sender(m).map { String(cString: $0) }
        destination = sd_bus_message_get_destination(m).map { String(cString: $0) }
        path = sd_bus_message_get_path(m).map { String(cString: $0) }
        interface = sd_bus_message_get_interface(m).map { String(cString: $0) }
        member = sd_bus_message_get_member(m).map { String(cString: $0) }
        signature = sd_bus_message_get_signature(m, 1).map { String(cString: $0) } ?? ""
        if let error = sd_bus_message_get_error(m) {
            errorName = error.pointee.name.map { String(cString: $0) }
            errorMessage = error.pointee.message.map { String(cString: $0) }
        } else {
            errorName = nil
            errorMessage = nil
        }
        try check(sd_bus_message_rewind(m, 1), "sd_bus_message_rewind")
        arguments = try readValues(from: m)
    }
}
