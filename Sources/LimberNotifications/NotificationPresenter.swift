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
/// Which notification shows which reminder is kept in `idStore`, so that a
/// restarted limberd replaces what the last one left on screen (`resume`)
/// or closes it. A Notify answered after the fallback took over is
/// adopted (the reminder is on screen after all) or, its reminder gone,
/// closed at once.
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
        /// The notification on which "How to" (or the body) was clicked: a
        /// server that does not keep it (no persistence, or not resident)
        /// closes it as if dismissed, which answers nothing.
        var guideOpenedOn: UInt32?
        /// The notification the last run left for it, until replaced.
        var leftByLastRun: UInt32?

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
    /// Where the notification ids are kept across restarts (nil: not kept).
    private let idStore: NotificationIDStore?
    /// What the last limberd left on screen, until the server is known.
    private var restored: NotificationIDStore.Saved?
    /// What `idStore` holds now.
    private var stored: NotificationIDStore.Saved?

    /// The picture file of an exercise, for servers that show images.
    private let picture: (String) -> String?
    /// Called with the reminder whose "How to" (or body) was clicked, and
    /// the programs it was shown with: it opens the exercise guide and
    /// never counts as an answer.
    private let openGuide: (Reminder, [Program]) -> Void

    public init(client: NotificationClient, fallback: ReminderPresenter, idStore: NotificationIDStore? = nil,
                picture: @escaping (String) -> String? = { _ in nil },
                openGuide: @escaping (Reminder, [Program]) -> Void = { _, _ in }, logger: Logger) {
        self.client = client
        self.picture = picture
        self.openGuide = openGuide
        self.fallback = fallback
        self.log = logger
        self.idStore = idStore
        restored = idStore?.load(logger: logger)
        stored = restored
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
            persist()
        }
        // A Notify still in flight closes what it opens when its reply comes.
        if e.inFallback != nil { fallback.withdraw(id, reason: reason) }
    }

    /// A reminder that was on screen when the last limberd stopped: shown
    /// again only where the notification it had is known (it is replaced
    /// in place, and its buttons answer this limberd); otherwise it waits
    /// for its next update, as a second copy would be worse.
    public func resume(_ reminder: Reminder, programs: [Program]) {
        guard restored?.shown[reminder.id] != nil else { return }
        show(reminder, programs: programs)
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
        adoptRestored()
        syncAll()
    }

    /// Once the server is known: the notifications the last limberd left on
    /// it are taken over (a reminder still up replaces its own) or closed.
    /// Ids of another server mean nothing here and are forgotten.
    private func adoptRestored() {
        guard let saved = restored, let server = client.serverKey else { return }
        restored = nil
        guard saved.server == server else {
            log.info("the notification server changed since the last run; its notifications went with it")
            persist()
            return
        }
        for (rid, nid) in saved.shown.sorted(by: { $0.key < $1.key }) {
            if let e = entries[rid], e.notificationID == nil, byNotification[nid] == nil {
                e.notificationID = nid
                e.sent = nil  // sync replaces it: its buttons then answer this limberd
                e.leftByLastRun = nid
                byNotification[nid] = rid
                log.info("reminder \(rid): replacing notification \(nid) left by the last run")
            } else {
                client.close(nid)
                log.info("reminder \(rid) is no longer up: closing notification \(nid) left by the last run")
            }
        }
        persist()
    }

    /// Writes which notification shows which reminder, when that changed.
    private func persist() {
        guard let idStore, restored == nil else { return }
        var now: NotificationIDStore.Saved?
        if let server = client.serverKey, !byNotification.isEmpty {
            now = .init(server: server, shown: Dictionary(byNotification.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a }))
        }
        guard now != stored else { return }
        do {
            try idStore.save(now)
            stored = now
        } catch {
            log.warning("\(idStore.path): not saved (\(error)); a restart may leave a notification on screen")
        }
    }

    public func notificationActionInvoked(_ nid: UInt32, key: String) {
        guard let id = byNotification[nid] else { return }
        guard let action = NotificationAction(rawValue: key) else {
            log.debug("unknown notification action \(key) for reminder \(id)")
            return
        }
        if action.opensGuide, let e = entries[id] {
            e.guideOpenedOn = nid
            openGuide(e.reminder, e.programs)
        }
        if let answer = action.answer { onAnswer?(id, answer) }
    }

    public func notificationClosed(_ nid: UInt32, reason: UInt32) {
        guard let id = byNotification[nid] else { return }
        byNotification[nid] = nil
        persist()
        var guideClick = false
        if let e = entries[id] {
            e.notificationID = nil
            e.sent = nil
            guideClick = e.guideOpenedOn == nid
            e.guideOpenedOn = nil
        }
        // A server without persistence (or a notification not resident)
        // closes it after "How to" or a click on the body, and reports that
        // as the user's dismissal: not an answer. The reminder is still up,
        // so it is shown again.
        if guideClick, reason == 2, let e = entries[id] {
            log.info("reminder \(id): the server closed notification \(nid) after opening the guide; showing it again")
            sync(e)
            return
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
        // What the last limberd left on this server is sorted out first, so
        // its notification is replaced rather than shown twice.
        if restored != nil, client.serverState != .down, !client.ownerKnown { return }
        let request = NotificationRequest(reminder: e.reminder, programs: e.programs, capabilities: capabilities ?? .assumed,
                                          options: options, picture: picture)
        if e.notificationID != nil, e.sent == request { return }
        do {
            e.inFlight = try client.notify(request.arguments(replacing: e.notificationID ?? 0), slow: { [weak self] in
                // No reply in time: the fallback shows it meanwhile; a late
                // reply is still adopted (or closed) below.
                guard let self, self.entries[e.id] === e else { return }
                self.showInFallback(e)
            }) { [weak self] result in
                guard let self else { return }
                e.inFlight = nil
                switch result {
                case .success(let nid):
                    guard self.entries[e.id] === e else {
                        self.client.close(nid)  // withdrawn while Notify was on its way (or a late reply)
                        self.log.info("closing notification \(nid): its reminder \(e.id) was withdrawn before the server answered")
                        return
                    }
                    if e.inFallback != nil, e.notificationID == nil {
                        // The server answered after all (late, or back after an
                        // outage): the reminder is on screen there now too.
                        self.log.notice("reminder \(e.id) is shown by the notification server now (notification \(nid))")
                    }
                    if let left = e.leftByLastRun {
                        e.leftByLastRun = nil
                        self.log.info("reminder \(e.id): notification \(left) left by the last run replaced (now \(nid)); its buttons answer this run")
                    }
                    if let old = e.notificationID, old != nid { self.byNotification[old] = nil }
                    e.notificationID = nid
                    e.sent = request
                    self.byNotification[nid] = e.id
                    self.persist()
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
