// sd-bus: a D-Bus connection driven by the EventLoop.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// A D-Bus connection.
///
/// Not `Sendable`: sd-bus is single-threaded, one thread owns a connection
/// (the loop thread, once attached). Handlers run on that thread.
///
/// Lifetimes: match and export handles (`BusSlot`, `ExportedObject`) live as
/// long as the caller keeps them; dropping one removes the match or object
/// before its handler goes away. Async calls are kept by the bus until their
/// reply (or timeout) arrives; `PendingCall.cancel()` drops one early, and
/// deinit cancels all outstanding calls without calling their completions.
public final class Bus {
    /// The sd_bus (one reference, ours).
    let bus: OpaquePointer
    private var pendingCalls: [ObjectIdentifier: PendingCall] = [:]

    /// Which well-known bus to open.
    public enum Kind: Sendable {
        /// The user's session bus (`sd_bus_open_user`; honours DBUS_SESSION_BUS_ADDRESS).
        case user
        /// The system bus (`sd_bus_open_system`; honours DBUS_SYSTEM_BUS_ADDRESS).
        case system
    }

    private init(taking bus: OpaquePointer) {
        self.bus = bus
        // The daemon decides what a lost connection means (reconnect with
        // backoff), so do not exit the event loop on disconnect.
        _ = sd_bus_set_exit_on_disconnect(bus, 0)
    }

    /// Opens a new connection to the user or system bus.
    public convenience init(_ kind: Kind, description: String? = nil) throws {
        var b: OpaquePointer?
        switch kind {
        case .user: try check(sd_bus_open_user(&b), "sd_bus_open_user")
        case .system: try check(sd_bus_open_system(&b), "sd_bus_open_system")
        }
        self.init(taking: b!)
        if let description {
            _ = description.withCString { sd_bus_set_description(bus, $0) }
        }
    }

    /// Opens a bus-client connection to an explicit address such as
    /// `unix:path=/tmp/x/bus` (tests; private buses).
    public convenience init(address: String) throws {
        var b: OpaquePointer?
        try check(sd_bus_new(&b), "sd_bus_new")
        do {
            try check(address.withCString { sd_bus_set_address(b, $0) }, "sd_bus_set_address \(address)")
            try check(sd_bus_set_bus_client(b, 1), "sd_bus_set_bus_client")
            try check(sd_bus_start(b), "sd_bus_start \(address)")
        } catch {
            sd_bus_unref(b)
            throw error
        }
        self.init(taking: b!)
    }

    deinit {
        for call in Array(pendingCalls.values) { call.cancel() }
        _ = sd_bus_detach_event(bus)
        sd_bus_flush_close_unref(bus)
    }

    /// Lets `loop` drive this connection (`sd_bus_attach_event`). Needed for
    /// async calls, matches and exported objects. Synchronous `call` does not
    /// need it. When the loop exits, sd-bus flushes and closes the attached
    /// connection (close-on-exit), so queued replies and signals go out.
    public func attach(to loop: EventLoop) throws {
        try check(sd_bus_attach_event(bus, loop.event, 0), "sd_bus_attach_event")
    }

    /// Detaches from the loop it was attached to (if any).
    public func detach() {
        _ = sd_bus_detach_event(bus)
    }

    /// Whether the connection is (still) open.
    public var isOpen: Bool { sd_bus_is_open(bus) > 0 }

    /// Our unique name on the bus, e.g. ":1.42". Waits for the Hello reply
    /// if it has not arrived yet.
    public func uniqueName() throws -> String {
        var p: UnsafePointer<CChar>?
        try check(sd_bus_get_unique_name(bus, &p), "sd_bus_get_unique_name")
        return p.map { String(cString: $0) } ?? ""
    }

    /// The bus daemon's instance id (the server GUID it sent when the
    /// connection was made), as 32 hex digits: a restarted bus has another.
    public func busID() throws -> String {
        var id = sd_id128_t()
        try check(sd_bus_get_bus_id(bus, &id), "sd_bus_get_bus_id")
        let digits = Array("0123456789abcdef")
        return withUnsafeBytes(of: id.bytes) { raw in String(raw.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }) }
    }

    /// Writes out queued messages now (blocking until they are sent).
    public func flush() throws {
        try check(sd_bus_flush(bus), "sd_bus_flush")
    }

    /// Closes the connection; handlers see `onDisconnect` only while processing.
    public func close() {
        sd_bus_close(bus)
    }

    // MARK: Names

    /// Takes a well-known name (synchronously). Throws EEXIST when another
    /// connection owns it (and `queue` is false), EALREADY if we own it.
    public func requestName(_ name: String, replaceExisting: Bool = false, allowReplacement: Bool = false, queue: Bool = false) throws {
        var flags: UInt64 = 0
        if replaceExisting { flags |= UInt64(SD_BUS_NAME_REPLACE_EXISTING) }
        if allowReplacement { flags |= UInt64(SD_BUS_NAME_ALLOW_REPLACEMENT) }
        if queue { flags |= UInt64(SD_BUS_NAME_QUEUE) }
        try check(name.withCString { sd_bus_request_name(bus, $0, flags) }, "sd_bus_request_name \(name)")
    }

    /// What the bus answered to a name request (RequestName's reply).
    public enum NameRequestResult: Sendable, Equatable {
        /// We own the name now.
        case primaryOwner
        /// Another connection owns it; we wait in its queue.
        case inQueue
        /// Another connection owns it (and we asked not to queue).
        case exists
        /// We owned it already.
        case alreadyOwner
    }

    /// Asks for a well-known name without waiting: `completion` runs on the
    /// loop thread with the bus daemon's answer (or the call's error), so a
    /// slow bus daemon never blocks the loop. Needs `attach(to:)`.
    @discardableResult
    public func requestNameAsync(
        _ name: String, replaceExisting: Bool = false, allowReplacement: Bool = false, queue: Bool = false,
        timeout: Duration = .seconds(25), completion: @escaping (Result<NameRequestResult, SystemdError>) -> Void
    ) throws -> PendingCall {
        var flags: UInt32 = 0
        if replaceExisting { flags |= 0x2 }   // DBUS_NAME_FLAG_REPLACE_EXISTING
        if allowReplacement { flags |= 0x1 }  // DBUS_NAME_FLAG_ALLOW_REPLACEMENT
        if !queue { flags |= 0x4 }            // DBUS_NAME_FLAG_DO_NOT_QUEUE
        return try callAsync(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                             interface: "org.freedesktop.DBus", member: "RequestName",
                             arguments: [.string(name), .uint32(flags)], timeout: timeout) { result in
            completion(result.flatMap { values in
                switch values.first {
                case .uint32(1)?: .success(.primaryOwner)
                case .uint32(2)?: .success(.inQueue)
                case .uint32(3)?: .success(.exists)
                case .uint32(4)?: .success(.alreadyOwner)
                default: .failure(SystemdError(errno: EBADMSG, operation: "RequestName \(name): unexpected reply \(values)"))
                }
            })
        }
    }

    /// Gives a well-known name up (synchronously).
    public func releaseName(_ name: String) throws {
        try check(name.withCString { sd_bus_release_name(bus, $0) }, "sd_bus_release_name \(name)")
    }

    // MARK: Calls

    private func newMethodCall(
        destination: String?, path: String, interface: String?, member: String, arguments: [BusValue]
    ) throws -> OpaquePointer {
        var m: OpaquePointer?
        let r = withOptionalCString(destination) { d in
            path.withCString { p in
                withOptionalCString(interface) { i in
                    member.withCString { sd_bus_message_new_method_call(bus, &m, d, p, i, $0) }
                }
            }
        }
        try check(r, "sd_bus_message_new_method_call \(describe(destination, path, interface, member))")
        do {
            try appendValues(arguments, to: m!)
        } catch {
            sd_bus_message_unref(m)
            throw error
        }
        return m!
    }

    /// A blocking method call for the CLI (does not need the loop; blocks the
    /// calling thread up to `timeout`). Errors carry the D-Bus error name.
    public func call(
        destination: String, path: String, interface: String, member: String,
        arguments: [BusValue] = [], timeout: Duration = .seconds(25)
    ) throws -> [BusValue] {
        let m = try newMethodCall(destination: destination, path: path, interface: interface, member: member, arguments: arguments)
        defer { sd_bus_message_unref(m) }
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer?
        let r = sd_bus_call(bus, m, max(1, microseconds(of: timeout)), &error, &reply)
        defer { sd_bus_message_unref(reply) }
        _ = try withUnsafePointer(to: &error) { e in
            try check(r, "call \(describe(destination, path, interface, member))", busError: e)
        }
        guard let reply else { return [] }
        return try BusMessage(reading: reply).arguments
    }

    /// An asynchronous method call (`sd_bus_call_async`): returns at once;
    /// `completion` runs on the loop thread with the reply body or an error
    /// (NoReply/ETIMEDOUT after `timeout`, ServiceUnknown, the callee's error,
    /// Disconnected). Cancelled calls never complete.
    @discardableResult
    public func callAsync(
        destination: String, path: String, interface: String, member: String,
        arguments: [BusValue] = [], timeout: Duration = .seconds(25),
        completion: @escaping (Result<[BusValue], SystemdError>) -> Void
    ) throws -> PendingCall {
        let what = "call \(describe(destination, path, interface, member))"
        let m = try newMethodCall(destination: destination, path: path, interface: interface, member: member, arguments: arguments)
        defer { sd_bus_message_unref(m) }
        let pending = PendingCall(owner: self, what: what, completion: completion)
        var slot: OpaquePointer?
        try check(
            sd_bus_call_async(bus, &slot, m, { reply, userdata, _ in
                guard let reply, let userdata else { return 0 }
                let me = Unmanaged<PendingCall>.fromOpaque(userdata).takeUnretainedValue()
                withExtendedLifetime(me) { me.complete(with: reply) }
                return 0
            }, Unmanaged.passUnretained(pending).toOpaque(), max(1, microseconds(of: timeout))),
            "sd_bus_call_async \(what)")
        pending.slot = slot
        pendingCalls[ObjectIdentifier(pending)] = pending
        return pending
    }

    fileprivate func forget(_ call: PendingCall) {
        pendingCalls.removeValue(forKey: ObjectIdentifier(call))
    }

    /// Number of async calls still waiting for a reply.
    public var pendingCallCount: Int { pendingCalls.count }

    // MARK: Signals and matches

    /// Calls `handler` for every message matching a D-Bus match rule, e.g.
    /// `"type='signal',interface='org.freedesktop.Notifications',member='ActionInvoked'"`.
    /// The match is installed synchronously: signals sent after this returns are seen.
    public func addMatch(_ rule: String, handler: @escaping (BusMessage) -> Void) throws -> BusSlot {
        let slot = BusSlot(handler: handler)
        var s: OpaquePointer?
        try check(
            rule.withCString { sd_bus_add_match(bus, &s, $0, BusSlot.messageHandler, Unmanaged.passUnretained(slot).toOpaque()) },
            "sd_bus_add_match \(rule)")
        slot.slot = s
        return slot
    }

    /// Calls `handler` for signals matching the given fields (nil: any).
    public func matchSignal(
        sender: String? = nil, path: String? = nil, interface: String? = nil, member: String? = nil,
        handler: @escaping (BusMessage) -> Void
    ) throws -> BusSlot {
        try addMatch(Self.signalRule(sender: sender, path: path, interface: interface, member: member), handler: handler)
    }

    static func signalRule(sender: String?, path: String?, interface: String?, member: String?, arg0: String? = nil) -> String {
        var parts = ["type='signal'"]
        if let sender { parts.append("sender='\(sender)'") }
        if let path { parts.append("path='\(path)'") }
        if let interface { parts.append("interface='\(interface)'") }
        if let member { parts.append("member='\(member)'") }
        if let arg0 { parts.append("arg0='\(arg0)'") }
        return parts.joined(separator: ",")
    }

    /// Sends a signal.
    public func emitSignal(path: String, interface: String, member: String, arguments: [BusValue] = []) throws {
        try Self.emitSignal(on: bus, path: path, interface: interface, member: member, arguments: arguments)
    }

    static func emitSignal(on bus: OpaquePointer, path: String, interface: String, member: String, arguments: [BusValue]) throws {
        var m: OpaquePointer?
        try check(
            path.withCString { p in interface.withCString { i in member.withCString { sd_bus_message_new_signal(bus, &m, p, i, $0) } } },
            "sd_bus_message_new_signal \(interface).\(member)")
        defer { sd_bus_message_unref(m) }
        try appendValues(arguments, to: m!)
        try check(sd_bus_send(bus, m, nil), "sd_bus_send signal \(interface).\(member)")
    }

    /// Calls `handler` once when the connection is lost (the bus daemon went
    /// away, or `close()`): sd-bus synthesises org.freedesktop.DBus.Local
    /// Disconnected while the loop processes the bus. The daemon then drops
    /// this Bus and reconnects with backoff.
    public func onDisconnect(_ handler: @escaping () -> Void) throws -> BusSlot {
        try addMatch(
            Self.signalRule(sender: "org.freedesktop.DBus.Local", path: "/org/freedesktop/DBus/Local",
                            interface: "org.freedesktop.DBus.Local", member: "Disconnected")
        ) { _ in handler() }
    }

    /// Follows who owns `name`: `handler(owner)` runs once with the current
    /// owner (nil: nobody; from an async GetNameOwner), then on every
    /// NameOwnerChanged for it (a service appearing or going away).
    public func watchNameOwner(_ name: String, handler: @escaping (_ owner: String?) -> Void) throws -> BusSlot {
        let slot = try addMatch(
            Self.signalRule(sender: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                            interface: "org.freedesktop.DBus", member: "NameOwnerChanged", arg0: name)
        ) { message in
            guard message.arguments.count == 3, let owner = message.arguments[2].stringValue else { return }
            handler(owner.isEmpty ? nil : owner)
        }
        slot.companion = try callAsync(
            destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
            member: "GetNameOwner", arguments: [.string(name)], timeout: .seconds(10)
        ) { [weak slot] result in
            guard slot != nil else { return }
            switch result {
            case .success(let values): handler(values.first?.stringValue)
            case .failure(let error) where error.busErrorName == BusErrorName.nameHasNoOwner: handler(nil)
            case .failure: break
            }
        }
        return slot
    }

    // MARK: Objects

    /// Exports an object at `path` (`sd_bus_add_object` with a Swift
    /// dispatcher). `interfaceXML` holds the `<interface>` elements of the
    /// object's own interfaces for Introspect; the standard Peer,
    /// Introspectable and Properties interfaces are added. Register methods
    /// and properties on the returned object; drop it to unexport.
    ///
    /// `onReplyFailed` hears of every reply (success or error) that could not
    /// be sent, e.g. because the connection closed while an async method was
    /// still working: the caller then waits for its timeout, so say why.
    public func exportObject(path: String, interfaceXML: String,
                             onReplyFailed: ((_ member: String, SystemdError) -> Void)? = nil) throws -> ExportedObject {
        let object = ExportedObject(bus: bus, path: path, interfaceXML: interfaceXML, onReplyFailed: onReplyFailed)
        var s: OpaquePointer?
        try check(
            path.withCString {
                sd_bus_add_object(bus, &s, $0, { m, userdata, _ in
                    guard let m, let userdata else { return 0 }
                    let me = Unmanaged<ExportedObject>.fromOpaque(userdata).takeUnretainedValue()
                    return withExtendedLifetime(me) { me.dispatch(m) }
                }, Unmanaged.passUnretained(object).toOpaque())
            },
            "sd_bus_add_object \(path)")
        object.slot = s
        return object
    }
}

/// An async call in flight. Kept by its `Bus` until the reply arrives.
public final class PendingCall {
    fileprivate weak var owner: Bus?
    fileprivate var slot: OpaquePointer?
    private let what: String
    private var completion: ((Result<[BusValue], SystemdError>) -> Void)?

    fileprivate init(owner: Bus, what: String, completion: @escaping (Result<[BusValue], SystemdError>) -> Void) {
        self.owner = owner
        self.what = what
        self.completion = completion
    }

    deinit {
        sd_bus_slot_unref(slot)
    }

    /// Whether the reply is still outstanding.
    public var isPending: Bool { completion != nil }

    /// Stops waiting: the completion will not run.
    public func cancel() {
        completion = nil
        slot = sd_bus_slot_unref(slot)
        owner?.forget(self)
    }

    fileprivate func complete(with reply: OpaquePointer) {
        guard let completion else { return }
        self.completion = nil
        owner?.forget(self)
        let result: Result<[BusValue], SystemdError>
        if sd_bus_message_is_method_error(reply, nil) > 0, let error = sd_bus_message_get_error(reply) {
            let errnoValue = sd_bus_error_get_errno(error)
            result = .failure(SystemdError(
                errno: errnoValue > 0 ? errnoValue : EIO, operation: what,
                busErrorName: error.pointee.name.map { String(cString: $0) },
                busErrorMessage: error.pointee.message.map { String(cString: $0) }))
        } else {
            do {
                result = .success(try BusMessage(reading: reply).arguments)
            } catch {
                result = .failure(error)
            }
        }
        completion(result)
    }
}

/// A match (or other bus slot). Dropping it, or `cancel()`, removes it.
public final class BusSlot {
    fileprivate var slot: OpaquePointer?
    private let handler: (BusMessage) -> Void
    /// Something that lives and dies with the slot (e.g. the initial GetNameOwner call).
    fileprivate var companion: PendingCall?

    fileprivate init(handler: @escaping (BusMessage) -> Void) {
        self.handler = handler
    }

    deinit {
        companion?.cancel()
        sd_bus_slot_unref(slot)
    }

    /// Removes the match now; the handler will not run again.
    public func cancel() {
        companion?.cancel()
        companion = nil
        slot = sd_bus_slot_unref(slot)
    }

    fileprivate static let messageHandler: sd_bus_message_handler_t = { m, userdata, _ in
        guard let m, let userdata else { return 0 }
        let me = Unmanaged<BusSlot>.fromOpaque(userdata).takeUnretainedValue()
        withExtendedLifetime(me) {
            guard me.slot != nil, let message = try? BusMessage(reading: m) else { return }
            me.handler(message)
        }
        return 0
    }
}

func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    if let s { return s.withCString { body($0) } }
    return body(nil)
}

func describe(_ destination: String?, _ path: String, _ interface: String?, _ member: String) -> String {
    "\(destination ?? "-") \(path) \(interface.map { $0 + "." } ?? "")\(member)"
}
