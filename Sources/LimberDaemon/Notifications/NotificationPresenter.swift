import Logging
import LimberCore
import Systemd

/// Shows reminders as desktop notifications (org.freedesktop.Notifications
/// on the user's session bus) and turns their buttons into answers.
///
/// One connection (the `BusSupervisor`'s) calls Notify, holds the signal
/// matches and watches the server's name: servers send ActionInvoked and
/// NotificationClosed only to the connection that called Notify.
///
/// It never blocks the loop: every call is async with a short timeout.
/// With no server (none on the bus, a hung one, the bus gone) reminders go
/// to `fallback` (the terminal in the foreground, the journal under
/// systemd), logged once per outage; when a server appears again (its name
/// gets an owner, or a later call succeeds) the reminders still up are
/// shown there again.
///
/// Runs on the loop thread, like the bus it uses.
public final class NotificationPresenter: ReminderPresenter, RedFlagAlerting {
    public static let busName = "org.freedesktop.Notifications"
    public static let objectPath = "/org/freedesktop/Notifications"
    public static let interface = "org.freedesktop.Notifications"

    public var onAnswer: ((ReminderID, Answer) -> Void)?
    /// Where reminders go while no server answers.
    public let fallback: ReminderPresenter
    /// The bound on every call to the server.
    public let callTimeout: Duration

    /// Whether the server is answering, as far as limber knows.
    public enum ServerState: Sendable, Hashable {
        /// Not asked yet (or a new server that has not answered yet).
        case unknown
        case up
        /// No server, a hung one, or no bus: reminders go to the fallback.
        case down
    }

    public private(set) var serverState: ServerState = .unknown
    /// The server's answer to GetCapabilities; nil until it came.
    public private(set) var capabilities: NotificationCapabilities?
    /// Called after `serverState` changes (tests, status).
    public var onServerStateChange: ((ServerState) -> Void)?
    /// Urgency, residency and sound: the `notify` plugin's settings.
    public var options = NotificationRequest.Options()

    private enum Owner: Equatable {
        case unknown
        case none
        case some(String)
    }

    /// One reminder that is up, and where it is shown.
    private final class Entry {
        let id: ReminderID
        var reminder: Reminder
        var programs: [Program]
        /// The server's id for it, once Notify answered.
        var notificationID: UInt32?
        /// What the server was last asked to show under that id.
        var sent: NotificationRequest?
        /// A Notify waiting for its reply; its completion syncs again.
        var inFlight: PendingCall?
        /// The version the fallback was given, if any.
        var inFallback: Reminder?

        init(_ reminder: Reminder, programs: [Program]) {
            id = reminder.id
            self.reminder = reminder
            self.programs = programs
        }
    }

    private let log: Logger
    private var bus: Bus?
    /// Bumped on every (re)connection and disconnection: replies and
    /// signals from an older connection are ignored.
    private var generation = 0
    private var slots: [BusSlot] = []
    private var owner: Owner = .unknown
    private var capabilitiesCall: PendingCall?
    private var entries: [ReminderID: Entry] = [:]
    /// Show order, so re-showing after an outage keeps it.
    private var order: [ReminderID] = []
    private var byNotification: [UInt32: ReminderID] = [:]
    private var outage = false
    /// The red-flag notification while exercise is on hold, and its id.
    private var redFlag: (alert: RedFlagAlert, id: UInt32?)?
    public var onRedFlagCleared: (() -> Void)?
    /// Called with the reminder whose "How to" (or body) was clicked.
    public var onOpenGuide: ((Reminder) -> Void)?

    /// Uses `bus`'s connection whenever it is up: subscribes on each
    /// (re)connection, falls back while it is down.
    public convenience init(bus: BusSupervisor, fallback: ReminderPresenter, logger: Logger,
                            callTimeout: Duration = .seconds(2)) {
        self.init(fallback: fallback, logger: logger, callTimeout: callTimeout)
        bus.onConnect { [weak self] in self?.connected($0) }
        bus.onDisconnect { [weak self] in self?.disconnected() }
    }

    /// Without a supervisor: call `connected(_:)` and `disconnected()` yourself.
    public init(fallback: ReminderPresenter, logger: Logger, callTimeout: Duration = .seconds(2)) {
        self.fallback = fallback
        self.log = logger
        self.callTimeout = callTimeout
        fallback.onAnswer = { [weak self] id, answer in self?.onAnswer?(id, answer) }
    }

    // MARK: ReminderPresenter

    public func show(_ reminder: Reminder, programs: [Program]) {
        let entry: Entry
        if let e = entries[reminder.id] {
            entry = e
            entry.reminder = reminder
            entry.programs = programs
        } else {
            entry = Entry(reminder, programs: programs)
            entries[reminder.id] = entry
            order.append(reminder.id)
        }
        sync(entry)
    }

    public func withdraw(_ id: ReminderID, reason: WithdrawReason) {
        guard let e = entries.removeValue(forKey: id) else { return }
        order.removeAll { $0 == id }
        if let nid = e.notificationID {
            byNotification[nid] = nil
            close(nid)
        }
        // A Notify still in flight closes what it opens when its reply comes.
        if e.inFallback != nil { fallback.withdraw(id, reason: reason) }
    }

    /// The server's id of the notification showing `reminder`, if any.
    public func notificationID(for reminder: ReminderID) -> UInt32? {
        entries[reminder]?.notificationID
    }

    /// Whether `reminder` was handed to the fallback presenter.
    public func isInFallback(_ reminder: ReminderID) -> Bool {
        entries[reminder]?.inFallback != nil
    }

    /// Calls to the server still waiting for a reply (Notify, GetCapabilities).
    public var callsInFlight: Int {
        entries.values.filter { $0.inFlight != nil }.count + (capabilitiesCall == nil ? 0 : 1)
    }

    // MARK: The connection

    /// A (new) connection to the session bus: subscribe, follow the
    /// server's name, ask what it can do, then show what is up.
    public func connected(_ bus: Bus) {
        dropConnection()
        generation += 1
        self.bus = bus
        let gen = generation
        do {
            slots.append(try bus.matchSignal(path: Self.objectPath, interface: Self.interface, member: "ActionInvoked") {
                [weak self] m in
                guard let self, gen == self.generation else { return }
                self.actionInvoked(m)
            })
            slots.append(try bus.matchSignal(path: Self.objectPath, interface: Self.interface, member: "NotificationClosed") {
                [weak self] m in
                guard let self, gen == self.generation else { return }
                self.notificationClosed(m)
            })
            slots.append(try bus.watchNameOwner(Self.busName) { [weak self] owner in
                guard let self, gen == self.generation else { return }
                self.ownerChanged(owner)
            })
        } catch {
            log.error("cannot follow the notification server: \(error)")
        }
        fetchCapabilities()
        syncAll()
    }

    /// The connection is gone: forget what lived on it, fall back.
    public func disconnected() {
        guard bus != nil else { return }
        dropConnection()
        generation += 1
        markDown("the session bus connection was lost")
        syncAll()
    }

    private func dropConnection() {
        for s in slots { s.cancel() }
        slots = []
        capabilitiesCall?.cancel()
        capabilitiesCall = nil
        capabilities = nil
        for e in entries.values {
            e.inFlight?.cancel()
            e.inFlight = nil
            e.notificationID = nil
            e.sent = nil
        }
        byNotification = [:]
        redFlag?.id = nil
        owner = .unknown
        bus = nil
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
            syncAll()
        case (_, nil):
            // Gone: its notifications went with it.
            forgetNotifications()
            markDown("the notification server left the bus")
            syncAll()
        case (.some, .some):
            // Another server took over: it knows none of our ids.
            forgetNotifications()
            newServer()
        case (.none, .some):
            newServer()
        case (.unknown, .some):
            break  // the first answer about a server limber already asked
        }
    }

    /// A server appeared: ask what it can do, then show what is up there.
    private func newServer() {
        if serverState == .down { setState(.unknown) }
        fetchCapabilities()
        syncAll()
    }

    private func forgetNotifications() {
        redFlag?.id = nil
        for e in entries.values {
            e.notificationID = nil
            e.sent = nil
        }
        byNotification = [:]
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
                    let caps = NotificationCapabilities(values.first?.stringArrayValue ?? [])
                    self.capabilities = caps
                    self.markUp()
                case .failure(let error) where error.busErrorName == BusErrorName.unknownMethod:
                    self.capabilities = .assumed  // a server that answers, without GetCapabilities
                    self.markUp()
                case .failure(let error):
                    self.markDown(Self.describe(error))
                }
                self.syncAll()
            }
        } catch {
            markDown(Self.describe(error))
        }
    }

    // MARK: Showing

    private func syncAll() {
        for id in order {
            if let e = entries[id] { sync(e) }
        }
        syncRedFlag()
    }

    // MARK: The red-flag notification

    public func showRedFlag(_ alert: RedFlagAlert) {
        if redFlag?.alert == alert, redFlag?.id != nil { return }
        redFlag = (alert, redFlag?.id)
        syncRedFlag()
    }

    /// The server's id of the red-flag notification, if it is up.
    public var redFlagNotificationID: UInt32? { redFlag?.id }

    public func withdrawRedFlag() {
        guard let r = redFlag else { return }
        redFlag = nil
        if let nid = r.id { close(nid) }
    }

    /// Critical urgency, resident, never expiring; its one button clears the hold.
    private func syncRedFlag() {
        guard let r = redFlag, r.id == nil else { return }
        guard let bus, serverState != .down else {
            log.critical("\(r.alert.text)")
            return
        }
        let caps = capabilities ?? .assumed
        var body = r.alert.body
        var actions: [String] = []
        if caps.actions {
            actions = [RedFlagAlert.clearActionKey, RedFlagAlert.clearActionLabel]
        } else {
            body += "\nWhen it has been seen to: limberctl resume --red-flag-cleared"
        }
        let hints: [String: BusValue] = [
            "urgency": .byte(2), "category": .string("x-limber.red-flag"),
            "desktop-entry": .string(NotificationRequest.desktopEntry), "resident": .bool(true),
        ]
        let args: [BusValue] = [
            .string(NotificationRequest.appName), .uint32(0), .string("dialog-warning"), .string(r.alert.summary),
            .string(caps.bodyMarkup ? ReminderText.escape(body) : body), .strings(actions), .vardict(hints), .int32(0),
        ]
        let gen = generation
        do {
            try bus.callAsync(destination: Self.busName, path: Self.objectPath, interface: Self.interface, member: "Notify",
                              arguments: args, timeout: callTimeout) { [weak self] result in
                guard let self, gen == self.generation else { return }
                switch result {
                case .success(let values):
                    guard let nid = values.first?.uint32Value else { return }
                    if self.redFlag?.alert == r.alert { self.redFlag?.id = nid } else { self.close(nid) }
                case .failure(let error):
                    self.log.critical("red-flag notification not shown (\(Self.describe(error))): \(r.alert.text)")
                }
            }
        } catch {
            log.critical("red-flag notification not shown (\(error)): \(r.alert.text)")
        }
    }

    /// Brings the server (or the fallback) in line with `e`.
    private func sync(_ e: Entry) {
        guard entries[e.id] === e else { return }
        guard let bus else {
            showInFallback(e)
            return
        }
        if serverState == .down { showInFallback(e) }
        // Wait for what is in flight (bounded by callTimeout); its
        // completion syncs again.
        if e.inFlight != nil || capabilitiesCall != nil { return }
        let request = NotificationRequest(reminder: e.reminder, programs: e.programs, capabilities: capabilities ?? .assumed,
                                          options: options)
        if e.notificationID != nil, e.sent == request { return }
        let gen = generation
        do {
            e.inFlight = try bus.callAsync(
                destination: Self.busName, path: Self.objectPath, interface: Self.interface, member: "Notify",
                arguments: request.arguments(replacing: e.notificationID ?? 0), timeout: callTimeout
            ) { [weak self] result in
                guard let self, gen == self.generation else { return }
                e.inFlight = nil
                switch result {
                case .success(let values):
                    guard let nid = values.first?.uint32Value else {
                        self.log.error("Notify answered without an id: \(values)")
                        return
                    }
                    self.markUp()
                    guard self.entries[e.id] === e else {
                        self.close(nid)  // withdrawn while Notify was on its way
                        return
                    }
                    if let old = e.notificationID, old != nid { self.byNotification[old] = nil }
                    e.notificationID = nid
                    e.sent = request
                    self.byNotification[nid] = e.id
                    self.sync(e)  // updated meanwhile?
                case .failure(let error):
                    guard self.entries[e.id] === e else { return }
                    self.markDown(Self.describe(error))
                    self.showInFallback(e)
                }
            }
        } catch {
            markDown(Self.describe(error))
            showInFallback(e)
        }
    }

    private func showInFallback(_ e: Entry) {
        guard e.inFallback != e.reminder else { return }
        e.inFallback = e.reminder
        fallback.show(e.reminder, programs: e.programs)
    }

    private func close(_ nid: UInt32) {
        guard let bus else { return }
        do {
            try bus.callAsync(
                destination: Self.busName, path: Self.objectPath, interface: Self.interface, member: "CloseNotification",
                arguments: [.uint32(nid)], timeout: callTimeout
            ) { [weak self] result in
                if case .failure(let error) = result {
                    self?.log.debug("CloseNotification \(nid): \(error)")
                }
            }
        } catch {
            log.debug("CloseNotification \(nid): \(error)")
        }
    }

    // MARK: Signals

    private func fromServer(_ m: BusMessage) -> Bool {
        if case .some(let name) = owner { return m.sender == name }
        return true  // owner not known yet: the notification id decides
    }

    private func actionInvoked(_ m: BusMessage) {
        guard m.arguments.count >= 2, let nid = m.arguments[0].uint32Value, let key = m.arguments[1].stringValue,
              fromServer(m) else { return }
        if let r = redFlag, r.id == nid {
            if key == RedFlagAlert.clearActionKey { onRedFlagCleared?() }
            return
        }
        guard let id = byNotification[nid] else { return }
        guard let action = NotificationAction(rawValue: key) else {
            log.debug("unknown notification action \(key) for reminder \(id)")
            return
        }
        if action.opensGuide, let e = entries[id] { onOpenGuide?(e.reminder) }
        if let answer = action.answer { onAnswer?(id, answer) }
    }

    private func notificationClosed(_ m: BusMessage) {
        guard m.arguments.count >= 2, let nid = m.arguments[0].uint32Value, let reason = m.arguments[1].uint32Value,
              fromServer(m) else { return }
        if let r = redFlag, r.id == nid {
            // Closed without the answer: it comes back, the hold stays.
            redFlag?.id = nil
            if reason != 3 { syncRedFlag() }
            return
        }
        guard let id = byNotification[nid] else { return }
        byNotification[nid] = nil
        if let e = entries[id] {
            e.notificationID = nil
            e.sent = nil
        }
        // 1: expired by the server, 3: closed by a call, 4: other. The core
        // decides when a reminder ends; only the user's dismissal answers.
        if reason == 2 { onAnswer?(id, .dismissed) }
    }

    // MARK: Server state

    private func markUp() {
        if outage {
            outage = false
            log.notice("notification server available again; reminders are shown there")
        }
        setState(.up)
    }

    private func markDown(_ why: String) {
        if !outage {
            outage = true
            log.warning("no notification server answers (\(why)); reminders go to the \(fallbackName) until one does")
        }
        setState(.down)
    }

    private func setState(_ s: ServerState) {
        guard s != serverState else { return }
        serverState = s
        onServerStateChange?(s)
    }

    private var fallbackName: String {
        switch fallback {
        case is TerminalPresenter: "terminal"
        case is JournalPresenter: "journal"
        default: "fallback"
        }
    }

    private static func describe(_ error: Error) -> String {
        guard let e = error as? SystemdError else { return "\(error)" }
        if e.isServiceUnknown { return "not on the bus" }
        if e.isTimeout { return "no reply in time" }
        if e.isDisconnected { return "bus disconnected" }
        return e.busErrorName ?? e.description
    }
}
