// An object exported on the bus, dispatched in Swift (sd_bus_add_object).
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// A method call received by an exported object.
public struct MethodInvocation: Sendable {
    public let sender: String?
    public let path: String
    public let interface: String?
    public let member: String
    public let arguments: [BusValue]
    /// The signature of `arguments`, e.g. "susssasa{sv}i".
    public var signature: String { arguments.busSignature }
}

/// Thrown from a method handler (or property setter) to reply with a D-Bus
/// error, e.g. `BusMethodError(name: "org.limber.Limber1.Error.UnknownProgram", message: "no program 'x'")`.
public struct BusMethodError: Error, Sendable, Hashable {
    public let name: String
    public let message: String
    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    public static func invalidArgs(_ message: String) -> BusMethodError {
        BusMethodError(name: BusErrorName.invalidArgs, message: message)
    }
}

/// The reply to a method answered later (see `ExportedObject.addAsyncMethod`).
/// Answer exactly once; a reply dropped unanswered answers
/// org.freedesktop.DBus.Error.Failed so the caller does not hang.
public final class MethodReply {
    private var call: OpaquePointer?
    private let member: String
    private let onFailed: ((String, SystemdError) -> Void)?

    fileprivate init(call: OpaquePointer, member: String, onFailed: ((String, SystemdError) -> Void)?) {
        self.call = sd_bus_message_ref(call)
        self.member = member
        self.onFailed = onFailed
    }

    deinit {
        if call != nil {
            fail(BusMethodError(name: BusErrorName.failed, message: "the method was not answered"))
        }
    }

    /// Whether a reply has been sent.
    public var isAnswered: Bool { call == nil }

    /// Replies with `values`.
    public func succeed(_ values: [BusValue] = []) {
        guard let call else { return }
        self.call = nil
        defer { sd_bus_message_unref(call) }
        if let error = replySuccess(to: call, values) { onFailed?(member, error) }
    }

    /// Replies with a D-Bus error.
    public func fail(_ error: BusMethodError) {
        guard let call else { return }
        self.call = nil
        defer { sd_bus_message_unref(call) }
        if let e = replyError(to: call, error) { onFailed?(member, e) }
    }
}

/// An object at one path. Methods and properties are registered per interface;
/// Introspect, Properties (Get/GetAll/Set) are answered here, Peer by sd-bus.
/// Dropping it (or `unexport()`) removes the object from the bus.
public final class ExportedObject {
    public let path: String
    public let interfaceXML: String
    private let bus: OpaquePointer
    var slot: OpaquePointer?

    private enum Handler {
        case sync((MethodInvocation) throws -> [BusValue])
        case async((MethodInvocation, MethodReply) -> Void)
    }

    private struct Property {
        let name: String
        let get: () -> BusValue
        let set: ((BusValue) throws -> Void)?
    }

    private var methods: [String: [String: Handler]] = [:]      // interface → member → handler
    private var properties: [String: [Property]] = [:]           // interface → properties in order

    private let onReplyFailed: ((String, SystemdError) -> Void)?

    init(bus: OpaquePointer, path: String, interfaceXML: String, onReplyFailed: ((String, SystemdError) -> Void)? = nil) {
        self.onReplyFailed = onReplyFailed
        self.bus = sd_bus_ref(bus)
        self.path = path
        self.interfaceXML = interfaceXML
    }

    deinit {
        sd_bus_slot_unref(slot)
        sd_bus_unref(bus)
    }

    /// Removes the object from the bus now.
    public func unexport() {
        slot = sd_bus_slot_unref(slot)
    }

    /// Answers `interface.member` with the values `handler` returns; a thrown
    /// `BusMethodError` becomes that D-Bus error, any other error
    /// org.freedesktop.DBus.Error.Failed with its description.
    public func addMethod(interface: String, member: String, handler: @escaping (MethodInvocation) throws -> [BusValue]) {
        methods[interface, default: [:]][member] = .sync(handler)
    }

    /// A method answered later through `MethodReply` (e.g. after a child
    /// process or another async call finished), without blocking the loop.
    public func addAsyncMethod(interface: String, member: String, handler: @escaping (MethodInvocation, MethodReply) -> Void) {
        methods[interface, default: [:]][member] = .async(handler)
    }

    /// A property; `set` nil makes it read-only. `get` must return a value of
    /// the type declared in `interfaceXML`.
    public func addProperty(interface: String, name: String, get: @escaping () -> BusValue, set: ((BusValue) throws -> Void)? = nil) {
        var list = properties[interface, default: []]
        list.removeAll { $0.name == name }
        list.append(Property(name: name, get: get, set: set))
        properties[interface] = list
    }

    /// Emits a signal from this object.
    public func emitSignal(interface: String, member: String, arguments: [BusValue] = []) throws {
        try Bus.emitSignal(on: bus, path: path, interface: interface, member: member, arguments: arguments)
    }

    /// Emits org.freedesktop.DBus.Properties.PropertiesChanged with the
    /// current values of `names` (read from their getters).
    public func emitPropertiesChanged(interface: String, names: [String]) throws {
        let list = properties[interface] ?? []
        var changed: [BusDictEntry] = []
        for name in names {
            guard let property = list.first(where: { $0.name == name }) else {
                throw SystemdError(errno: ENOENT, operation: "PropertiesChanged: no property \(interface).\(name)")
            }
            changed.append(BusDictEntry(key: .string(name), value: .variant(property.get())))
        }
        try emitSignal(
            interface: "org.freedesktop.DBus.Properties", member: "PropertiesChanged",
            arguments: [.string(interface), .dict(keySignature: "s", valueSignature: "v", changed), .strings([])])
    }

    /// The full introspection document of this object.
    public var introspectionXML: String {
        """
        <!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
        <node>
         <interface name="org.freedesktop.DBus.Peer">
          <method name="Ping"/>
          <method name="GetMachineId"><arg type="s" name="machine_uuid" direction="out"/></method>
         </interface>
         <interface name="org.freedesktop.DBus.Introspectable">
          <method name="Introspect"><arg name="xml_data" type="s" direction="out"/></method>
         </interface>
         <interface name="org.freedesktop.DBus.Properties">
          <method name="Get">
           <arg name="interface_name" direction="in" type="s"/>
           <arg name="property_name" direction="in" type="s"/>
           <arg name="value" direction="out" type="v"/>
          </method>
          <method name="GetAll">
           <arg name="interface_name" direction="in" type="s"/>
           <arg name="props" direction="out" type="a{sv}"/>
          </method>
          <method name="Set">
           <arg name="interface_name" direction="in" type="s"/>
           <arg name="property_name" direction="in" type="s"/>
           <arg name="value" direction="in" type="v"/>
          </method>
          <signal name="PropertiesChanged">
           <arg type="s" name="interface_name"/>
           <arg type="a{sv}" name="changed_properties"/>
           <arg type="as" name="invalidated_properties"/>
          </signal>
         </interface>
        \(interfaceXML)
        </node>

        """
    }

    // MARK: Dispatch

    /// Handles one message for our path; returns 1 when answered, 0 to let
    /// sd-bus go on (not a method call).
    func dispatch(_ m: OpaquePointer) -> Int32 {
        guard slot != nil else { return 0 }
        var type: UInt8 = 0
        guard sd_bus_message_get_type(m, &type) >= 0, Int(type) == SD_BUS_MESSAGE_METHOD_CALL else { return 0 }
        let interface = sd_bus_message_get_interface(m).map { String(cString: $0) }
        guard let member = sd_bus_message_get_member(m).map({ String(cString: $0) }) else { return 0 }
        let arguments: [BusValue]
        do {
            try check(sd_bus_message_rewind(m, 1), "sd_bus_message_rewind")
            arguments = try readValues(from: m)
        } catch {
            sent(member, replyError(to: m, .invalidArgs("cannot read arguments: \(error)")))
            return 1
        }
        let invocation = MethodInvocation(
            sender: sd_bus_message_get_sender(m).map { String(cString: $0) },
            path: path, interface: interface, member: member, arguments: arguments)

        switch (interface, member) {
        case ("org.freedesktop.DBus.Introspectable", "Introspect"):
            sent(member, replySuccess(to: m, [.string(introspectionXML)]))
        case ("org.freedesktop.DBus.Properties", "Get"):
            answer(m, member) { try [self.getProperty(invocation)] }
        case ("org.freedesktop.DBus.Properties", "GetAll"):
            answer(m, member) { try [self.getAllProperties(invocation)] }
        case ("org.freedesktop.DBus.Properties", "Set"):
            answer(m, member) { try self.setProperty(invocation); return [] }
        default:
            let handler: Handler?
            if let interface {
                handler = methods[interface]?[member]
                if handler == nil && methods[interface] == nil && properties[interface] == nil {
                    sent(member, replyError(to: m, BusMethodError(name: BusErrorName.unknownInterface, message: "Unknown interface \(interface) at \(path)")))
                    return 1
                }
            } else {
                handler = methods.values.lazy.compactMap { $0[member] }.first
            }
            switch handler {
            case .sync(let body)?:
                answer(m, member) { try body(invocation) }
            case .async(let body)?:
                body(invocation, MethodReply(call: m, member: member, onFailed: onReplyFailed))
            case nil:
                sent(member, replyError(to: m, BusMethodError(
                    name: BusErrorName.unknownMethod,
                    message: "Unknown method \(interface.map { $0 + "." } ?? "")\(member) at \(path)")))
            }
        }
        return 1
    }

    private func answer(_ m: OpaquePointer, _ member: String, _ body: () throws -> [BusValue]) {
        do {
            sent(member, replySuccess(to: m, try body()))
        } catch let error as BusMethodError {
            sent(member, replyError(to: m, error))
        } catch {
            sent(member, replyError(to: m, BusMethodError(name: BusErrorName.failed, message: "\(error)")))
        }
    }

    private func sent(_ member: String, _ failure: SystemdError?) {
        if let failure { onReplyFailed?(member, failure) }
    }

    private func property(_ invocation: MethodInvocation, nameIndex: Int) throws -> (String, Property) {
        guard invocation.arguments.count > nameIndex,
              let interface = invocation.arguments[0].stringValue,
              let name = invocation.arguments[nameIndex].stringValue else {
            throw BusMethodError.invalidArgs("expected interface and property names")
        }
        guard let property = properties[interface]?.first(where: { $0.name == name }) else {
            throw BusMethodError(name: BusErrorName.unknownProperty, message: "Unknown property \(interface).\(name)")
        }
        return (interface, property)
    }

    private func getProperty(_ invocation: MethodInvocation) throws -> BusValue {
        .variant(try property(invocation, nameIndex: 1).1.get())
    }

    private func getAllProperties(_ invocation: MethodInvocation) throws -> BusValue {
        guard let interface = invocation.arguments.first?.stringValue else {
            throw BusMethodError.invalidArgs("expected an interface name")
        }
        // An interface without properties answers an empty dict (as sd-bus does).
        let entries = (properties[interface] ?? []).map {
            BusDictEntry(key: .string($0.name), value: .variant($0.get()))
        }
        return .dict(keySignature: "s", valueSignature: "v", entries)
    }

    private func setProperty(_ invocation: MethodInvocation) throws {
        let (interface, property) = try self.property(invocation, nameIndex: 1)
        guard let set = property.set else {
            throw BusMethodError(name: BusErrorName.propertyReadOnly, message: "Property \(interface).\(property.name) is read-only")
        }
        guard invocation.arguments.count == 3 else { throw BusMethodError.invalidArgs("expected (ssv)") }
        let value = invocation.arguments[2].unwrapped
        guard value.signature == property.get().signature else {
            throw BusMethodError.invalidArgs("Property \(interface).\(property.name) has type \(property.get().signature), got \(value.signature)")
        }
        try set(value)
    }
}

// MARK: Replies

/// Sends a method return; a call flagged NO_REPLY_EXPECTED gets none.
/// Returns why the reply could not be sent, nil when it was.
@discardableResult
func replySuccess(to call: OpaquePointer, _ values: [BusValue]) -> SystemdError? {
    guard sd_bus_message_get_expect_reply(call) > 0 else { return nil }
    var reply: OpaquePointer?
    let r = sd_bus_message_new_method_return(call, &reply)
    guard r >= 0, let reply else { return SystemdError(errno: -r, operation: "sd_bus_message_new_method_return") }
    defer { sd_bus_message_unref(reply) }
    do {
        try appendValues(values, to: reply)
    } catch {
        return replyError(to: call, BusMethodError(name: BusErrorName.failed, message: "cannot build reply: \(error)"))
            ?? error
    }
    let sent = sd_bus_send(nil, reply, nil)
    return sent < 0 ? SystemdError(errno: -sent, operation: "sd_bus_send reply") : nil
}

/// Sends a method error with a D-Bus error name and message. Returns why it
/// could not be sent, nil when it was (or none was expected).
@discardableResult
func replyError(to call: OpaquePointer, _ error: BusMethodError) -> SystemdError? {
    var e = sd_bus_error()
    defer { sd_bus_error_free(&e) }
    // sd_bus_error_set returns the errno mapped from the name (negative) by design.
    _ = error.name.withCString { n in error.message.withCString { sd_bus_error_set(&e, n, $0) } }
    let r = sd_bus_reply_method_error(call, &e)
    return r < 0 ? SystemdError(errno: -r, operation: "sd_bus_reply_method_error \(error.name)") : nil
}
