import Foundation
import Logging
import Systemd

/// Hears what the notification server does with the notifications a
/// `NotificationClient` user sent. Each listener picks out its own ids.
public protocol NotificationListener: AnyObject {
    /// The connection or the server changed (connected, lost, a server
    /// appeared, left or was replaced, its capabilities came in, it stopped
    /// or started answering). With `idsVoid`, the notification ids handed
    /// out before mean nothing any more (and replies still on their way
    /// will not come).
    func notificationServerChanged(idsVoid: Bool)
    func notificationActionInvoked(_ id: UInt32, key: String)
    func notificationClosed(_ id: UInt32, reason: UInt32)
}

extension NotificationListener {
    /// A listener that only follows the server (it shows through a
    /// `NotificationQuestion`, which hears its own ids).
    public func notificationActionInvoked(_ id: UInt32, key: String) {}
    public func notificationClosed(_ id: UInt32, reason: UInt32) {}
}

/// The one client of org.freedesktop.Notifications on the user's session
/// bus: the connection (through the `BusSupervisor`, reconnected with it),
/// the ActionInvoked and NotificationClosed matches, who owns the server's
/// name, its capabilities and whether it answers. The reminder presenter
/// and the check-in question both send through it: servers send their
/// signals only to the connection that called Notify, so there is one.
///
/// It never blocks the loop: every call is async with `callTimeout`,
/// except Notify: its users fall back after `callTimeout`, but its reply is
/// awaited up to `lateReplyTimeout`, so a slow server's notification is
/// adopted or closed instead of left on screen with buttons that answer
/// nobody. Replies and signals from an earlier connection are dropped.
/// Runs on the loop thread.
public final class NotificationClient {
    public static let busName = "org.freedesktop.Notifications"
    public static let objectPath = "/org/freedesktop/Notifications"
    public static let interface = "org.freedesktop.Notifications"

    /// Whether the server is answering, as far as limber knows.
    public enum ServerState: Sendable, Hashable {
        /// Not asked yet (or a new server that has not answered yet).
        case unknown
        case up
        /// No server, a hung one, or no bus.
        case down
    }

    public let callTimeout: Duration
    /// How long a Notify reply is still taken after `callTimeout` passed
    /// (sd-bus's default method call timeout).
    public let lateReplyTimeout: Duration
    /// The loop (for the slow-reply timer); nil: Notify gives up after `callTimeout`.
    public let loop: EventLoop?
    public private(set) var serverState: ServerState = .unknown
    /// The server's answer to GetCapabilities; nil until it came.
    public private(set) var capabilities: NotificationCapabilities?
    /// What users of the client do while no server answers, for the log
    /// ("reminders go to the journal").
    private let whileDown: String

    private enum Owner: Equatable {
        case unknown
        case none
        case some(String)
    }

    private let log: Logger
    private var bus: Bus?
    /// Bumped on every (re)connection and disconnection.
    private var generation = 0
    private var slots: [BusSlot] = []
    private var owner: Owner = .unknown
    private var capabilitiesCall: PendingCall?
    private var listeners: [Weak] = []
    private var outage = false
    private var busID: String?

    private struct Weak { weak var listener: NotificationListener? }

    /// Follows `bus`: on each (re)connection it subscribes and asks what
    /// the server can do; on loss it tells its listeners.
    public convenience init(bus: BusSupervisor, whileDown: String, logger: Logger, callTimeout: Duration = .seconds(2),
                            lateReplyTimeout: Duration = .seconds(25)) {
        self.init(whileDown: whileDown, logger: logger, callTimeout: callTimeout, loop: bus.loop,
                  lateReplyTimeout: lateReplyTimeout)
        bus.onConnect { [weak self] in self?.connected($0) }
        bus.onDisconnect { [weak self] in self?.disconnected() }
    }

    /// Without a supervisor: call `connected(_:)` and `disconnected()` yourself.
    public init(whileDown: String = "fallback", logger: Logger, callTimeout: Duration = .seconds(2), loop: EventLoop? = nil,
                lateReplyTimeout: Duration = .seconds(25)) {
        self.whileDown = whileDown
        self.log = logger
        self.callTimeout = callTimeout
        self.loop = loop
        self.lateReplyTimeout = loop == nil ? callTimeout : max(callTimeout, lateReplyTimeout)
    }

    /// Adds a listener (held weakly). Users add themselves in their
    /// initializer. Listeners are told in the order they were added.
    public func addListener(_ listener: NotificationListener) {
        listeners.removeAll { $0.listener == nil }
        listeners.append(Weak(listener: listener))
    }

    /// Whether a connection is up.
    public var isConnected: Bool { bus != nil }
    /// Who the server is: the bus instance and the server's unique name on
    /// it. Notification ids mean something only to that server. Nil while
    /// not known (no connection, no server, or its name not looked up yet).
    public var serverKey: String? {
        guard case .some(let name) = owner, let id = busID else { return nil }
        return id + " " + name
    }
    /// Whether the server's name has been looked up on this connection.
    public var ownerKnown: Bool { owner != .unknown }
    /// Whether GetCapabilities is still on its way (users wait for it
    /// before their first Notify, so the request fits the server).
    public var isAskingCapabilities: Bool { capabilitiesCall != nil }
    /// Calls to the server still waiting for a reply that this client
    /// makes itself (GetCapabilities).
    public var ownCallsInFlight: Int { capabilitiesCall == nil ? 0 : 1 }

    // MARK: The connection

    /// A (new) connection to the session bus: subscribe, follow the
    /// server's name, ask what it can do.
    public func connected(_ bus: Bus) {
        dropConnection()
        generation += 1
        self.bus = bus
        busID = try? bus.busID()
        let gen = generation
        do {
            slots.append(try bus.matchSignal(path: Self.objectPath, interface: Self.interface, member: "ActionInvoked") {
                [weak self] m in
                guard let self, gen == self.generation, self.fromServer(m), m.arguments.count >= 2,
                      let nid = m.arguments[0].uint32Value, let key = m.arguments[1].stringValue else { return }
                for l in self.listeners { l.listener?.notificationActionInvoked(nid, key: key) }
            })
            slots.append(try bus.matchSignal(path: Self.objectPath, interface: Self.interface, member: "NotificationClosed") {
                [weak self] m in
                guard let self, gen == self.generation, self.fromServer(m), m.arguments.count >= 2,
                      let nid = m.arguments[0].uint32Value, let reason = m.arguments[1].uint32Value else { return }
                for l in self.listeners { l.listener?.notificationClosed(nid, reason: reason) }
            })
            slots.append(try bus.watchNameOwner(Self.busName) { [weak self] owner in
                guard let self, gen == self.generation else { return }
                self.ownerChanged(owner)
            })
        } catch {
            log.error("cannot follow the notification server: \(error)")
        }
        fetchCapabilities()
        changed(idsVoid: true)
    }

    /// The connection is gone: forget what lived on it.
    public func disconnected() {
        guard bus != nil else { return }
        dropConnection()
        generation += 1
        markDown("the session bus connection was lost")
        changed(idsVoid: true)
    }

    private func dropConnection() {
        for s in slots { s.cancel() }
        slots = []
        capabilitiesCall?.cancel()
        capabilitiesCall = nil
        capabilities = nil
        owner = .unknown
        bus = nil
        busID = nil
    }

    private func changed(idsVoid: Bool) {
        for l in listeners { l.listener?.notificationServerChanged(idsVoid: idsVoid) }
    }

    private func ownerChanged(_ new: String?) {
        let previous = owner
        owner = new.map(Owner.some) ?? Owner.none
        guard owner != previous else { return }
        switch (previous, new) {
        case (.unknown, nil):
            // Nobody owns the name yet. The GetCapabilities sent on connect
            // decides: it fails (ServiceUnknown), or it starts a server the
            // bus can activate (dunst's package installs a .service file).
            if capabilitiesCall == nil, serverState != .up { markDown("no notification server on the bus") }
            changed(idsVoid: false)
        case (_, nil):
            // Gone: its notifications went with it.
            markDown("the notification server left the bus")
            changed(idsVoid: true)
        case (.some, .some):
            // Another server took over: it knows none of our ids.
            newServer(idsVoid: true)
        case (.none, .some):
            newServer(idsVoid: false)
        case (.unknown, .some):
            changed(idsVoid: false)  // the first answer about a server limber already asked: who it is
        }
    }

    /// A server appeared: ask what it can do.
    private func newServer(idsVoid: Bool) {
        if serverState == .down { serverState = .unknown }
        fetchCapabilities()
        changed(idsVoid: idsVoid)
    }

    private func fetchCapabilities() {
        guard let bus else { return }
        capabilitiesCall?.cancel()
        capabilitiesCall = nil
        let gen = generation
        do {
            capabilitiesCall = try bus.callAsync(
                destination: Self.busName, path: Self.objectPath, interface: Self.interface, member: "GetCapabilities",
                timeout: callTimeout
            ) { [weak self] result in
                guard let self, gen == self.generation else { return }
                self.capabilitiesCall = nil
                switch result {
                case .success(let values):
                    self.capabilities = NotificationCapabilities(values.first?.stringArrayValue ?? [])
                    self.markUp()
                case .failure(let error) where error.busErrorName == BusErrorName.unknownMethod:
                    self.capabilities = .assumed  // a server that answers, without GetCapabilities
                    self.markUp()
                case .failure(let error):
                    self.markDown(Self.describe(error))
                }
                self.changed(idsVoid: false)
            }
        } catch {
            markDown(Self.describe(error))
        }
    }

    // MARK: Calls

    /// Sends Notify with `arguments` (susssasa{sv}i). `completion` gets the
    /// server's id, or the error (the server is then marked down), on the
    /// loop thread; never for a reply from an earlier connection. When no
    /// reply came within `callTimeout`, the server is marked down and
    /// `slow` runs (the caller falls back); the reply is still taken until
    /// `lateReplyTimeout` (a late one marks the server up again). Throws
    /// when there is no connection or the call cannot be sent.
    @discardableResult
    public func notify(_ arguments: [BusValue], slow: (() -> Void)? = nil,
                       completion: @escaping (Result<UInt32, Error>) -> Void) throws -> PendingCall {
        guard let bus else { throw SystemdError(errno: ENOTCONN, operation: "Notify: no session bus") }
        let gen = generation
        var slowTimer: EventTimer?
        do {
            let call = try bus.callAsync(
                destination: Self.busName, path: Self.objectPath, interface: Self.interface, member: "Notify",
                arguments: arguments, timeout: lateReplyTimeout
            ) { [weak self] result in
                slowTimer?.cancel()
                slowTimer = nil
                guard let self, gen == self.generation else { return }
                switch result {
                case .success(let values):
                    guard let nid = values.first?.uint32Value else {
                        self.log.error("Notify answered without an id: \(values)")
                        completion(.failure(SystemdError(errno: EBADMSG, operation: "Notify: no id in the reply")))
                        return
                    }
                    self.markUp()
                    completion(.success(nid))
                case .failure(let error):
                    self.markDown(Self.describe(error))
                    completion(.failure(error))
                }
            }
            if let loop, lateReplyTimeout > callTimeout {
                slowTimer = try? loop.after(callTimeout, accuracy: .milliseconds(50)) { [weak self, weak call] in
                    slowTimer = nil
                    guard let self, let call, call.isPending, gen == self.generation else { return }
                    self.markDown("no reply in time")
                    slow?()
                }
            }
            return call
        } catch {
            markDown(Self.describe(error))
            throw error
        }
    }

    /// Asks the server to close a notification (errors only logged).
    public func close(_ nid: UInt32) {
        guard let bus else { return }
        do {
            try bus.callAsync(
                destination: Self.busName, path: Self.objectPath, interface: Self.interface, member: "CloseNotification",
                arguments: [.uint32(nid)], timeout: callTimeout
            ) { [weak self] result in
                if case .failure(let error) = result { self?.log.debug("CloseNotification \(nid): \(error)") }
            }
        } catch {
            log.debug("CloseNotification \(nid): \(error)")
        }
    }

    // MARK: Server state

    private func fromServer(_ m: BusMessage) -> Bool {
        if case .some(let name) = owner { return m.sender == name }
        return true  // owner not known yet: the notification id decides
    }

    private func markUp() {
        if outage {
            outage = false
            log.notice("notification server available again; reminders are shown there")
        }
        serverState = .up
    }

    private func markDown(_ why: String) {
        if !outage {
            outage = true
            log.warning("no notification server answers (\(why)); \(whileDown) until one does")
        }
        serverState = .down
    }

    static func describe(_ error: Error) -> String {
        guard let e = error as? SystemdError else { return "\(error)" }
        if e.isServiceUnknown { return "not on the bus" }
        if e.isTimeout { return "no reply in time" }
        if e.isDisconnected { return "bus disconnected" }
        return e.busErrorName ?? e.description
    }
}
