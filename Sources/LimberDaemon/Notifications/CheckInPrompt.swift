import Logging
import LimberCore
import Systemd

/// The answers of the check-in question, one button each. Three bands, so
/// every common server shows them all (GNOME Shell shows at most three
/// buttons); each is recorded as its middle, rounded.
public enum PainBand: String, Sendable, Hashable, CaseIterable {
    case low = "pain-0-3"
    case moderate = "pain-4-6"
    case severe = "pain-7-10"

    /// The action key sent in Notify and received in ActionInvoked.
    public var actionKey: String { rawValue }

    /// The button's label.
    public var label: String {
        switch self {
        case .low: "0–3"
        case .moderate: "4–6"
        case .severe: "7–10"
        }
    }

    /// The pain recorded for it (0–10).
    public var pain: Int {
        switch self {
        case .low: 2
        case .moderate: 5
        case .severe: 8
        }
    }

    /// High enough to answer with advice.
    public var isHigh: Bool { self == .severe }
}

/// The short "How is your pain now?" notification after an exercise
/// (`checkin_after_exercise = true`), and the advice that may follow an
/// answer. It lives beside `NotificationPresenter` on the same connection
/// (servers send ActionInvoked only to the connection that called Notify)
/// and answers only to its own notification ids, so it never touches the
/// reminders: it is not a reminder, records no outcome, and goes away by
/// itself after `expiresAfter` (the server is asked to expire it, and
/// limber closes it then in case the server keeps it).
///
/// Runs on the loop thread; every call is async with a short timeout.
public final class CheckInPrompt {
    public static let category = "x-limber.checkin"
    public static var question: String { tr("How is your pain now?") }

    /// The user pressed a band for the question asked after `ReminderID`.
    public var onAnswer: ((ReminderID, PainBand) -> Void)?
    public let expiresAfter: Duration
    public let callTimeout: Duration

    private let loop: EventLoop
    private let log: Logger
    private let capabilities: () -> NotificationCapabilities?
    private var bus: Bus?
    private var generation = 0
    private var slots: [BusSlot] = []
    private var expiry: EventTimer?

    /// The question on screen (or on its way there).
    private struct Question {
        var reminder: ReminderID
        var notificationID: UInt32?
        var call: PendingCall?
    }

    private var current: Question?

    /// Uses `bus`'s connection whenever it is up. `capabilities` is what the
    /// server said it can do (the presenter asks it).
    public convenience init(bus: BusSupervisor, loop: EventLoop, logger: Logger,
                            capabilities: @escaping () -> NotificationCapabilities?,
                            expiresAfter: Duration = .minutes(2), callTimeout: Duration = .seconds(2)) {
        self.init(loop: loop, logger: logger, capabilities: capabilities, expiresAfter: expiresAfter, callTimeout: callTimeout)
        bus.onConnect { [weak self] in self?.connected($0) }
        bus.onDisconnect { [weak self] in self?.disconnected() }
    }

    /// Without a supervisor: call `connected(_:)` and `disconnected()` yourself.
    public init(loop: EventLoop, logger: Logger, capabilities: @escaping () -> NotificationCapabilities?,
                expiresAfter: Duration = .minutes(2), callTimeout: Duration = .seconds(2)) {
        self.loop = loop
        self.log = logger
        self.capabilities = capabilities
        self.expiresAfter = expiresAfter
        self.callTimeout = callTimeout
    }

    /// The reminder the question on screen is about, if one is.
    public var askingAbout: ReminderID? { current?.reminder }

    /// The server's id of the question, once Notify answered.
    public var notificationID: UInt32? { current?.notificationID }

    // MARK: The connection

    public func connected(_ bus: Bus) {
        dropConnection()
        generation += 1
        self.bus = bus
        let gen = generation
        do {
            slots.append(try bus.matchSignal(path: NotificationPresenter.objectPath, interface: NotificationPresenter.interface,
                                             member: "ActionInvoked") { [weak self] m in
                guard let self, gen == self.generation else { return }
                self.actionInvoked(m)
            })
            slots.append(try bus.matchSignal(path: NotificationPresenter.objectPath, interface: NotificationPresenter.interface,
                                             member: "NotificationClosed") { [weak self] m in
                guard let self, gen == self.generation else { return }
                self.notificationClosed(m)
            })
        } catch {
            log.error("check-in question: cannot follow the notification server: \(error)")
        }
    }

    public func disconnected() {
        dropConnection()
        generation += 1
    }

    private func dropConnection() {
        for s in slots { s.cancel() }
        slots = []
        end()
        bus = nil
    }

    // MARK: Asking

    /// Asks "How is your pain now?" after `reminder` was done. Replaces a
    /// question still up; asking twice about one reminder (a merged reminder
    /// records one done per rule) asks once. Nothing without a server that
    /// shows buttons.
    public func ask(after reminder: ReminderID) {
        guard current?.reminder != reminder else { return }
        guard let bus else {
            log.debug("no check-in question after reminder \(reminder): no session bus")
            return
        }
        let caps = capabilities() ?? .assumed
        guard caps.actions else {
            log.debug("no check-in question after reminder \(reminder): the notification server shows no buttons")
            return
        }
        let replacing = current?.notificationID ?? 0
        current?.call?.cancel()
        var actions: [String] = []
        for band in PainBand.allCases { actions += [band.actionKey, band.label] }
        let body = tr("0 is none, 10 the worst. Press a number to log it, or let this go. `limberctl checkin` records where it reaches too.")
        let hints: [String: BusValue] = [
            "urgency": .byte(0),
            "category": .string(Self.category),
            "desktop-entry": .string(NotificationRequest.desktopEntry),
            "transient": .bool(true),
        ]
        let milliseconds = Int32(clamping: expiresAfter.components.seconds * 1000 + expiresAfter.components.attoseconds / 1_000_000_000_000_000)
        let gen = generation
        current = Question(reminder: reminder, notificationID: replacing == 0 ? nil : replacing, call: nil)
        do {
            current?.call = try bus.callAsync(
                destination: NotificationPresenter.busName, path: NotificationPresenter.objectPath,
                interface: NotificationPresenter.interface, member: "Notify",
                arguments: [.string(NotificationRequest.appName), .uint32(replacing), .string(NotificationRequest.appIcon),
                            .string(Self.question), .string(body), .strings(actions), .vardict(hints), .int32(milliseconds)],
                timeout: callTimeout
            ) { [weak self] result in
                guard let self, gen == self.generation, self.current?.reminder == reminder else {
                    if case .success(let v) = result, let nid = v.first?.uint32Value { self?.close(nid) }
                    return
                }
                self.current?.call = nil
                switch result {
                case .success(let values):
                    self.current?.notificationID = values.first?.uint32Value
                case .failure(let error):
                    self.log.debug("check-in question not shown: \(error)")
                    self.end()
                }
            }
        } catch {
            log.debug("check-in question not shown: \(error)")
            current = nil
            return
        }
        armExpiry()
    }

    /// Shows advice after an answer (a separate notification, left to the
    /// server's own timeout). Only where the server shows body text.
    public func tell(_ summary: String, advice: [String]) {
        guard let bus, !advice.isEmpty else { return }
        let caps = capabilities() ?? .assumed
        guard caps.names.contains("body") else { return }
        let hints: [String: BusValue] = [
            "urgency": .byte(1),
            "category": .string(Self.category),
            "desktop-entry": .string(NotificationRequest.desktopEntry),
        ]
        do {
            try bus.callAsync(
                destination: NotificationPresenter.busName, path: NotificationPresenter.objectPath,
                interface: NotificationPresenter.interface, member: "Notify",
                arguments: [.string(NotificationRequest.appName), .uint32(0), .string("dialog-information"), .string(summary),
                            .string(advice.joined(separator: "\n\n")), .strings([]), .vardict(hints), .int32(-1)],
                timeout: callTimeout
            ) { [weak self] result in
                if case .failure(let error) = result { self?.log.debug("check-in advice not shown: \(error)") }
            }
        } catch {
            log.debug("check-in advice not shown: \(error)")
        }
    }

    // MARK: Ending

    private func armExpiry() {
        do {
            if expiry == nil {
                expiry = try loop.makeTimer(clock: .monotonic, accuracy: .milliseconds(250)) { [weak self] in self?.expired() }
            }
            try expiry?.arm(after: expiresAfter)
        } catch {
            log.debug("check-in question: no expiry timer: \(error)")
        }
    }

    private func expired() {
        guard let q = current else { return }
        log.debug("check-in question after reminder \(q.reminder) went unanswered")
        if let nid = q.notificationID { close(nid) }
        end()
    }

    /// Forgets the question (answered, closed, expired or the bus gone).
    private func end() {
        current?.call?.cancel()
        current = nil
        expiry?.cancel()
    }

    private func close(_ nid: UInt32) {
        guard let bus else { return }
        do {
            try bus.callAsync(
                destination: NotificationPresenter.busName, path: NotificationPresenter.objectPath,
                interface: NotificationPresenter.interface, member: "CloseNotification",
                arguments: [.uint32(nid)], timeout: callTimeout
            ) { _ in }
        } catch {
            log.debug("CloseNotification \(nid): \(error)")
        }
    }

    // MARK: Signals

    private func actionInvoked(_ m: BusMessage) {
        guard m.arguments.count >= 2, let nid = m.arguments[0].uint32Value, let key = m.arguments[1].stringValue,
              let q = current, q.notificationID == nid else { return }
        guard let band = PainBand(rawValue: key) else { return }  // "default": a click on the body answers nothing
        end()
        close(nid)  // a server that keeps notifications after a button
        onAnswer?(q.reminder, band)
    }

    private func notificationClosed(_ m: BusMessage) {
        guard m.arguments.count >= 1, let nid = m.arguments[0].uint32Value, let q = current, q.notificationID == nid else { return }
        // Dismissed or expired by the server: no check-in.
        log.debug("check-in question after reminder \(q.reminder) closed without an answer")
        end()
    }
}
