import Logging
import LimberCore
import LimberHistory
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
/// answer. Its "Warning signs" button turns it into the red-flag choice
/// (bladder or bowel, saddle numbness, foot drop, a weakening leg): a
/// choice there stops exercise as `limberctl checkin --red-flag` does. It sends through the daemon's one `NotificationClient`, beside
/// the reminder presenter (servers send ActionInvoked only to the
/// connection that called Notify), and answers only to its own
/// notification ids, so it never touches the reminders: it is not a
/// reminder, records no outcome, and goes away by itself after
/// `expiresAfter` (the server is asked to expire it, and limber closes it
/// then in case the server keeps it).
///
/// Runs on the loop thread; every call is async with a short timeout.
public final class CheckInPrompt: NotificationListener {
    public static let category = "x-limber.checkin"
    public static var question: String { tr("How is your pain now?") }
    public static var redFlagQuestion: String { tr("Which warning sign?") }
    /// The button that turns the question into the red-flag choice.
    public static let redFlagKey = "red-flag"
    static let flagKeyPrefix = "red-flag:"

    /// The red-flag choice's buttons, the emergencies first.
    public static func flagActions() -> [String] {
        RedFlag.allCases.flatMap { [flagKeyPrefix + $0.rawValue, $0.shortLabel] }
    }

    /// The user pressed a band for the question asked after `ReminderID`.
    public var onAnswer: ((ReminderID, PainBand) -> Void)?
    /// The user chose a red flag in the question asked after `ReminderID`.
    public var onRedFlag: ((ReminderID, RedFlag) -> Void)?
    public let expiresAfter: Duration
    public let client: NotificationClient

    private let loop: EventLoop
    private let log: Logger
    private var expiry: EventTimer?

    /// The question on screen (or on its way there).
    private struct Question {
        var reminder: ReminderID
        var notificationID: UInt32?
        var call: PendingCall?
        /// Showing the red-flag choice instead of the pain bands.
        var choosingFlag = false
    }

    private var current: Question?

    public init(client: NotificationClient, loop: EventLoop, logger: Logger, expiresAfter: Duration = .minutes(2)) {
        self.client = client
        self.loop = loop
        self.log = logger
        self.expiresAfter = expiresAfter
        client.addListener(self)
    }

    /// The reminder the question on screen is about, if one is.
    public var askingAbout: ReminderID? { current?.reminder }

    /// The server's id of the question, once Notify answered.
    public var notificationID: UInt32? { current?.notificationID }

    // MARK: NotificationListener

    public func notificationServerChanged(idsVoid: Bool) {
        if idsVoid { end() }
    }

    // MARK: Asking

    /// Asks "How is your pain now?" after `reminder` was done. Replaces a
    /// question still up; asking twice about one reminder (a merged reminder
    /// records one done per rule) asks once. Nothing without a server that
    /// shows buttons.
    public func ask(after reminder: ReminderID) {
        guard current?.reminder != reminder else { return }
        guard client.isConnected else {
            log.debug("no check-in question after reminder \(reminder): no session bus")
            return
        }
        let caps = client.capabilities ?? .assumed
        guard caps.actions else {
            log.debug("no check-in question after reminder \(reminder): the notification server shows no buttons")
            return
        }
        let replacing = current?.notificationID ?? 0
        current?.call?.cancel()
        var actions: [String] = []
        for band in PainBand.allCases { actions += [band.actionKey, band.label] }
        actions += [Self.redFlagKey, tr("Warning signs")]
        let body = tr("0 is none, 10 the worst. Press a number to log it, or let this go. `limberctl checkin` records where it reaches too.")
            + "\n" + tr("Numbness in the saddle area, bladder or bowel changes, a foot that drags or a leg getting weaker: press Warning signs.")
        let hints: [String: BusValue] = [
            "urgency": .byte(0),
            "category": .string(Self.category),
            "desktop-entry": .string(NotificationRequest.desktopEntry),
            "transient": .bool(true),
        ]
        let milliseconds = Int32(clamping: expiresAfter.components.seconds * 1000 + expiresAfter.components.attoseconds / 1_000_000_000_000_000)
        current = Question(reminder: reminder, notificationID: replacing == 0 ? nil : replacing, call: nil)
        do {
            current?.call = try client.notify(
                [.string(NotificationRequest.appName), .uint32(replacing), .string(NotificationRequest.appIcon),
                 .string(Self.question), .string(body), .strings(actions), .vardict(hints), .int32(milliseconds)]
            ) { [weak self] result in
                guard let self, self.current?.reminder == reminder else {
                    if case .success(let nid) = result { self?.client.close(nid) }
                    return
                }
                self.current?.call = nil
                switch result {
                case .success(let nid):
                    self.current?.notificationID = nid
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
        guard client.isConnected, !advice.isEmpty else { return }
        let caps = client.capabilities ?? .assumed
        guard caps.names.contains("body") else { return }
        let hints: [String: BusValue] = [
            "urgency": .byte(1),
            "category": .string(Self.category),
            "desktop-entry": .string(NotificationRequest.desktopEntry),
        ]
        do {
            try client.notify(
                [.string(NotificationRequest.appName), .uint32(0), .string("dialog-information"), .string(summary),
                 .string(advice.joined(separator: "\n\n")), .strings([]), .vardict(hints), .int32(-1)]
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
        if let nid = q.notificationID { client.close(nid) }
        end()
    }

    /// Forgets the question (answered, closed, expired or the bus gone).
    private func end() {
        current?.call?.cancel()
        current = nil
        expiry?.cancel()
    }

    // MARK: Signals

    public func notificationActionInvoked(_ nid: UInt32, key: String) {
        guard let q = current, q.notificationID == nid else { return }
        if key == Self.redFlagKey, !q.choosingFlag {
            askWhichFlag(replacing: nid)
            return
        }
        if q.choosingFlag, key.hasPrefix(Self.flagKeyPrefix), let flag = RedFlag(rawValue: String(key.dropFirst(Self.flagKeyPrefix.count))) {
            end()
            client.close(nid)
            onRedFlag?(q.reminder, flag)
            return
        }
        guard !q.choosingFlag, let band = PainBand(rawValue: key) else { return }  // "default": a click on the body answers nothing
        end()
        client.close(nid)  // a server that keeps notifications after a button
        onAnswer?(q.reminder, band)
    }

    /// Replaces the question with the red-flag choice: critical, and left
    /// up until it is answered or dismissed (no expiry for a safety question).
    private func askWhichFlag(replacing nid: UInt32) {
        guard var q = current else { return }
        expiry?.cancel()
        q.choosingFlag = true
        let caps = client.capabilities ?? .assumed
        var lines = RedFlag.allCases.map { "• \($0.label): \($0.whereToGo)." }
        lines.append(tr("Press the one you have: exercise reminders stop until you say it has been seen to."))
        let body = lines.joined(separator: "\n")
        let hints: [String: BusValue] = [
            "urgency": .byte(2),
            "category": .string(Self.category),
            "desktop-entry": .string(NotificationRequest.desktopEntry),
        ]
        current = q
        let reminder = q.reminder
        do {
            current?.call = try client.notify(
                [.string(NotificationRequest.appName), .uint32(nid), .string("dialog-warning"), .string(Self.redFlagQuestion),
                 .string(caps.bodyMarkup ? ReminderText.escape(body) : body), .strings(Self.flagActions()), .vardict(hints), .int32(0)]
            ) { [weak self] result in
                guard let self, self.current?.reminder == reminder else { return }
                self.current?.call = nil
                switch result {
                case .success(let id): self.current?.notificationID = id
                case .failure(let error):
                    self.log.warning("red-flag choice not shown: \(error)")
                    self.end()
                }
            }
        } catch {
            log.warning("red-flag choice not shown: \(error)")
            end()
        }
    }

    public func notificationClosed(_ nid: UInt32, reason: UInt32) {
        guard let q = current, q.notificationID == nid else { return }
        // Dismissed or expired by the server: no check-in.
        log.debug("check-in question after reminder \(q.reminder) closed without an answer")
        end()
    }
}
