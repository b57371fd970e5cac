import Logging
import LimberCore
import Systemd

/// Shows reminders as desktop notifications (org.freedesktop.Notifications,
/// through the daemon's one `NotificationClient`) and turns their buttons
/// into answers.
///
/// It never blocks the loop: every call is async with a short timeout.
/// With no server (none on the bus, a hung one, the bus gone) reminders go
/// to `fallback` (the terminal in the foreground, the journal under
/// systemd); the client logs the outage once. When a server appears again
/// (its name gets an owner, or a later call succeeds) the reminders still
/// up are shown there again.
///
/// Runs on the loop thread, like the client it uses.
public final class NotificationPresenter: ReminderPresenter, NotificationListener {
    public var onAnswer: ((ReminderID, Answer) -> Void)?
    /// Where reminders go while no server answers.
    public let fallback: ReminderPresenter
    /// The connection to the notification server, shared with the check-in question.
    public let client: NotificationClient

    /// Whether the server is answering, as far as limber knows.
    public var serverState: NotificationClient.ServerState { client.serverState }
    /// The server's answer to GetCapabilities; nil until it came.
    public var capabilities: NotificationCapabilities? { client.capabilities }
    /// Urgency, residency and sound: the `notify` plugin's settings.
    public var options = NotificationRequest.Options()

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
    private var entries: [ReminderID: Entry] = [:]
    /// Show order, so re-showing after an outage keeps it.
    private var order: [ReminderID] = []
    private var byNotification: [UInt32: ReminderID] = [:]
    /// Called with the reminder whose "How to" (or body) was clicked: it
    /// opens the exercise guide and never counts as an answer.
    public var onOpenGuide: ((Reminder) -> Void)?

    public init(client: NotificationClient, fallback: ReminderPresenter, logger: Logger) {
        self.client = client
        self.fallback = fallback
        self.log = logger
        fallback.onAnswer = { [weak self] id, answer in self?.onAnswer?(id, answer) }
        client.addListener(self)
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
            client.close(nid)
        }
        // A Notify still in flight closes what it opens when its reply comes.
        if e.inFallback != nil { fallback.withdraw(id, reason: reason) }
    }

    /// The server's id of the notification showing `reminder`, if any.
    public func notificationID(for reminder: ReminderID) -> UInt32? {
        entries[reminder]?.notificationID
    }

    /// Calls to the server still waiting for a reply (Notify, GetCapabilities).
    public var callsInFlight: Int {
        entries.values.filter { $0.inFlight != nil }.count + client.ownCallsInFlight
    }

    // MARK: NotificationListener

    public func notificationServerChanged(idsVoid: Bool) {
        if idsVoid {
            for e in entries.values {
                e.inFlight?.cancel()
                e.inFlight = nil
                e.notificationID = nil
                e.sent = nil
            }
            byNotification = [:]
        }
        syncAll()
    }

    public func notificationActionInvoked(_ nid: UInt32, key: String) {
        guard let id = byNotification[nid] else { return }
        guard let action = NotificationAction(rawValue: key) else {
            log.debug("unknown notification action \(key) for reminder \(id)")
            return
        }
        if action.opensGuide, let e = entries[id] { onOpenGuide?(e.reminder) }
        if let answer = action.answer { onAnswer?(id, answer) }
    }

    public func notificationClosed(_ nid: UInt32, reason: UInt32) {
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

    // MARK: Showing

    private func syncAll() {
        for id in order {
            if let e = entries[id] { sync(e) }
        }
    }

    /// Brings the server (or the fallback) in line with `e`.
    private func sync(_ e: Entry) {
        guard entries[e.id] === e else { return }
        guard client.isConnected else {
            showInFallback(e)
            return
        }
        if client.serverState == .down { showInFallback(e) }
        // Wait for what is in flight (bounded by the call timeout); its
        // completion syncs again.
        if e.inFlight != nil || client.isAskingCapabilities { return }
        let request = NotificationRequest(reminder: e.reminder, programs: e.programs, capabilities: capabilities ?? .assumed,
                                          options: options)
        if e.notificationID != nil, e.sent == request { return }
        do {
            e.inFlight = try client.notify(request.arguments(replacing: e.notificationID ?? 0)) { [weak self] result in
                guard let self else { return }
                e.inFlight = nil
                switch result {
                case .success(let nid):
                    guard self.entries[e.id] === e else {
                        self.client.close(nid)  // withdrawn while Notify was on its way
                        return
                    }
                    if let old = e.notificationID, old != nid { self.byNotification[old] = nil }
                    e.notificationID = nid
                    e.sent = request
                    self.byNotification[nid] = e.id
                    self.sync(e)  // updated meanwhile?
                case .failure:
                    guard self.entries[e.id] === e else { return }
                    self.showInFallback(e)
                }
            }
        } catch {
            showInFallback(e)
        }
    }

    private func showInFallback(_ e: Entry) {
        guard e.inFallback != e.reminder else { return }
        e.inFallback = e.reminder
        fallback.show(e.reminder, programs: e.programs)
    }
}
