import Logging
import LimberCore
import Systemd

/// What one of limber's own notifications says (a reminder is a
/// `NotificationRequest`): its texts, its buttons and the hints limber sets.
public struct NotificationContent: Sendable, Hashable {
    public var summary: String
    /// Plain text: escaped where the server reads markup.
    public var body: String
    /// A freedesktop icon name.
    public var icon: String
    /// Flat [key, label, key, label, ...]; empty: no buttons.
    public var actions: [String]
    /// 0 low, 1 normal, 2 critical.
    public var urgency: UInt8
    /// The spec's `x-vendor.class` form: "x-limber.checkin".
    public var category: String
    /// Left out of the server's history (a question of the moment).
    public var transient: Bool
    /// Kept on screen after a button or a click.
    public var resident: Bool
    /// The server's expire timeout in milliseconds: 0 never, -1 its default.
    public var expireTimeout: Int32

    public init(summary: String, body: String, icon: String, actions: [String] = [], urgency: UInt8 = 1, category: String,
                transient: Bool = false, resident: Bool = false, expireTimeout: Int32 = 0) {
        self.summary = summary
        self.body = body
        self.icon = icon
        self.actions = actions
        self.urgency = urgency
        self.category = category
        self.transient = transient
        self.resident = resident
        self.expireTimeout = expireTimeout
    }

    /// The Notify arguments (susssasa{sv}i); `replacing` is the server's id
    /// of the notification this one updates (0: a new one).
    public func arguments(replacing id: UInt32, markup: Bool) -> [BusValue] {
        var hints: [String: BusValue] = [
            "urgency": .byte(urgency),
            "category": .string(category),
            "desktop-entry": .string(NotificationRequest.desktopEntry),
        ]
        if transient { hints["transient"] = .bool(true) }
        if resident { hints["resident"] = .bool(true) }
        return [
            .string(NotificationRequest.appName), .uint32(id), .string(icon), .string(summary),
            .string(markup ? ReminderText.escape(body) : body), .strings(actions), .vardict(hints), .int32(expireTimeout),
        ]
    }
}

/// One notification of limber's own that is not a reminder (a question,
/// an offer, the red-flag alert, today's plan), kept on screen through the
/// daemon's one `NotificationClient`: it posts it (replacing in place what
/// it shows), takes the server's id, hands each button of that id to its
/// owner, closes it after `expiresAfter`, and forgets it when the server
/// closes it or the ids go void. A reply for what it no longer shows
/// (replaced, ended meanwhile) closes that notification.
///
/// What it shows is about a `Subject` (the reminder a check-in follows,
/// the program a phase question is for...), handed back with every button
/// and ending, so the owner holds no second copy of it. Each prompt is
/// then its texts and its decisions. Runs on the loop thread.
public final class NotificationQuestion<Subject>: NotificationListener {
    /// How it went away, other than by `close()` or a new `show`.
    public enum End {
        /// The server closed it (1 expired, 2 dismissed, 3 closed by a call, 4 other).
        case closed(reason: UInt32)
        /// `expiresAfter` passed without an answer (limber closed it).
        case expired
        /// Not shown: no connection, or the server refused or did not answer.
        case failed(Error)
        /// A new connection or server: its id means nothing any more.
        case serverChanged
    }

    public let client: NotificationClient
    private let loop: EventLoop?
    private let log: Logger

    private struct Shown {
        var subject: Subject
        var notificationID: UInt32?
        var call: PendingCall?
        var onAction: (Subject, String) -> Void
        var onEnd: (Subject, End) -> Void
    }

    private var shown: Shown?
    /// Bumped by every `show`: a reply for an earlier one is stale.
    private var generation = 0
    private var expiry: EventTimer?

    /// `loop` (default: the client's) runs the expiry timer. Listens to
    /// `client` from here on: make it before an owner that listens too, so
    /// it has forgotten a void id before the owner hears of the change.
    public init(client: NotificationClient, loop: EventLoop? = nil, logger: Logger) {
        self.client = client
        self.loop = loop ?? client.loop
        self.log = logger
        client.addListener(self)
    }

    /// What is on screen (or on its way there) is about, if anything is.
    public var subject: Subject? { shown?.subject }
    /// The server's id of it, once Notify answered.
    public var notificationID: UInt32? { shown?.notificationID }
    public var isShown: Bool { shown != nil }
    /// The server's answer to GetCapabilities, or what is assumed.
    public var capabilities: NotificationCapabilities { client.capabilities ?? .assumed }
    /// Whether a server may show it (connected, not known to be down).
    public var serverAnswers: Bool { client.isConnected && client.serverState != .down }

    /// Shows `content` about `subject`, in place of what this shows now.
    /// `onAction` gets each button pressed on it (call `close()` there for
    /// an answer that ends it); `onEnd` gets any other ending, once. With
    /// `expiresAfter`, the server is asked to expire it then, and limber
    /// closes it then in case the server keeps it. Returns false when it
    /// could not be sent (`onEnd` has had `.failed`).
    @discardableResult
    public func show(_ subject: Subject, _ content: NotificationContent, expiresAfter: Duration? = nil,
                     onAction: @escaping (Subject, String) -> Void = { _, _ in },
                     onEnd: @escaping (Subject, End) -> Void = { _, _ in }) -> Bool {
        shown?.call?.cancel()
        expiry?.cancel()
        generation += 1
        let mine = generation
        var content = content
        if let expiresAfter {
            let c = expiresAfter.components
            content.expireTimeout = Int32(clamping: c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000)
        }
        let replacing = shown?.notificationID
        shown = Shown(subject: subject, notificationID: replacing, call: nil, onAction: onAction, onEnd: onEnd)
        do {
            let call = try client.notify(content.arguments(replacing: replacing ?? 0, markup: capabilities.bodyMarkup)) {
                [weak self] result in
                guard let self else { return }
                guard mine == self.generation, self.shown != nil else {
                    if case .success(let nid) = result { self.client.close(nid) }  // replaced or ended meanwhile
                    return
                }
                self.shown?.call = nil
                switch result {
                case .success(let nid): self.shown?.notificationID = nid
                case .failure(let error): self.end(.failed(error))
                }
            }
            shown?.call = call
        } catch {
            end(.failed(error))
            return false
        }
        if let expiresAfter { armExpiry(expiresAfter) }
        return true
    }

    /// Closes it (answered, or no longer wanted); `onEnd` is not called.
    public func close() {
        guard let s = forget() else { return }
        if let nid = s.notificationID { client.close(nid) }
    }

    private func forget() -> Shown? {
        guard let s = shown else { return nil }
        s.call?.cancel()
        shown = nil
        expiry?.cancel()
        return s
    }

    private func end(_ how: End) {
        guard let s = forget() else { return }
        s.onEnd(s.subject, how)
    }

    private func armExpiry(_ after: Duration) {
        do {
            guard let loop else { return }
            if expiry == nil {
                expiry = try loop.makeTimer(clock: .monotonic, accuracy: .milliseconds(250)) { [weak self] in self?.expired() }
            }
            try expiry?.arm(after: after)
        } catch {
            log.debug("no expiry timer for a notification: \(error)")
        }
    }

    private func expired() {
        guard let s = shown else { return }
        if let nid = s.notificationID { client.close(nid) }
        end(.expired)
    }

    // MARK: NotificationListener

    public func notificationServerChanged(idsVoid: Bool) {
        if idsVoid { end(.serverChanged) }
    }

    public func notificationActionInvoked(_ nid: UInt32, key: String) {
        guard let s = shown, s.notificationID == nid else { return }
        s.onAction(s.subject, key)
    }

    public func notificationClosed(_ nid: UInt32, reason: UInt32) {
        guard shown?.notificationID == nid else { return }
        end(.closed(reason: reason))
    }
}
