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
/// choice there stops exercise as `limberctl checkin --red-flag` does. It
/// shows through a `NotificationQuestion` on the daemon's one
/// `NotificationClient`, beside the reminder presenter (servers send
/// ActionInvoked only to the connection that called Notify), so it never
/// touches the reminders: it is not a reminder, records no outcome, and
/// goes away by itself after `expiresAfter` (the server is asked to expire
/// it, and limber closes it then in case the server keeps it).
///
/// Runs on the loop thread; every call is async with a short timeout.
public final class CheckInPrompt {
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

    public let expiresAfter: Duration
    public var client: NotificationClient { question.client }
    private let log: Logger

    /// The question on screen (or on its way there), and what its answers do.
    private struct Asked {
        var reminder: ReminderID
        /// Showing the red-flag choice instead of the pain bands.
        var choosingFlag = false
        var answered: (PainBand) -> Void
        var redFlag: (RedFlag) -> Void
    }

    private let question: NotificationQuestion<Asked>

    public init(client: NotificationClient, loop: EventLoop, logger: Logger, expiresAfter: Duration = .minutes(2)) {
        question = NotificationQuestion(client: client, loop: loop, logger: logger)
        self.log = logger
        self.expiresAfter = expiresAfter
    }

    /// The reminder the question on screen is about, if one is.
    public var askingAbout: ReminderID? { question.subject?.reminder }

    /// The server's id of the question, once Notify answered.
    public var notificationID: UInt32? { question.notificationID }

    // MARK: Asking

    /// Asks "How is your pain now?" after `reminder` was done: a band
    /// pressed goes to `answered`, a warning sign chosen to `redFlag`.
    /// Replaces a question still up; asking twice about one reminder (a
    /// merged reminder records one done per rule) asks once. Nothing
    /// without a server that shows buttons.
    public func ask(after reminder: ReminderID, answered: @escaping (PainBand) -> Void,
                    redFlag: @escaping (RedFlag) -> Void) {
        guard askingAbout != reminder else { return }
        guard client.isConnected else {
            log.debug("no check-in question after reminder \(reminder): no session bus")
            return
        }
        guard question.capabilities.actions else {
            log.debug("no check-in question after reminder \(reminder): the notification server shows no buttons")
            return
        }
        var actions: [String] = []
        for band in PainBand.allCases { actions += [band.actionKey, band.label] }
        actions += [Self.redFlagKey, tr("Warning signs")]
        let body = tr("0 is none, 10 the worst. Press a number to log it, or let this go. `limberctl checkin` records where it reaches too.")
            + "\n" + tr("Numbness in the saddle area, bladder or bowel changes, a foot that drags or a leg getting weaker: press Warning signs.")
        question.show(Asked(reminder: reminder, answered: answered, redFlag: redFlag),
                      NotificationContent(summary: Self.question, body: body, icon: NotificationRequest.appIcon, actions: actions,
                                          urgency: 0, category: Self.category, transient: true),
                      expiresAfter: expiresAfter, onAction: { [weak self] in self?.pressed($1, on: $0) },
                      onEnd: { [weak self] in self?.ended($0, $1) })
    }

    /// Shows advice after an answer (a separate notification, left to the
    /// server's own timeout). Only where the server shows body text.
    public func tell(_ summary: String, advice: [String]) {
        guard client.isConnected, !advice.isEmpty, question.capabilities.names.contains("body") else { return }
        let content = NotificationContent(summary: summary, body: advice.joined(separator: "\n\n"), icon: "dialog-information",
                                          category: Self.category, expireTimeout: -1)
        do {
            try client.notify(content.arguments(replacing: 0, markup: question.capabilities.bodyMarkup)) { [weak self] result in
                if case .failure(let error) = result { self?.log.debug("check-in advice not shown: \(error)") }
            }
        } catch {
            log.debug("check-in advice not shown: \(error)")
        }
    }

    // MARK: Answers

    private func pressed(_ key: String, on q: Asked) {
        if key == Self.redFlagKey, !q.choosingFlag {
            askWhichFlag(q)
            return
        }
        if q.choosingFlag, key.hasPrefix(Self.flagKeyPrefix), let flag = RedFlag(rawValue: String(key.dropFirst(Self.flagKeyPrefix.count))) {
            question.close()
            q.redFlag(flag)
            return
        }
        guard !q.choosingFlag, let band = PainBand(rawValue: key) else { return }  // "default": a click on the body answers nothing
        question.close()  // a server that keeps notifications after a button
        q.answered(band)
    }

    /// Replaces the question with the red-flag choice: critical, and left
    /// up until it is answered or dismissed (no expiry for a safety question).
    private func askWhichFlag(_ q: Asked) {
        var lines = RedFlag.allCases.map { "• \($0.label): \($0.whereToGo)." }
        lines.append(tr("Press the one you have: exercise reminders stop until you say it has been seen to."))
        var choosing = q
        choosing.choosingFlag = true
        question.show(choosing, NotificationContent(summary: Self.redFlagQuestion, body: lines.joined(separator: "\n"),
                                                    icon: "dialog-warning", actions: Self.flagActions(), urgency: 2,
                                                    category: Self.category),
                      onAction: { [weak self] in self?.pressed($1, on: $0) }, onEnd: { [weak self] in self?.ended($0, $1) })
    }

    private func ended(_ q: Asked, _ how: NotificationQuestion<Asked>.End) {
        switch how {
        case .expired: log.debug("check-in question after reminder \(q.reminder) went unanswered")
        // Dismissed or expired by the server: no check-in.
        case .closed: log.debug("check-in question after reminder \(q.reminder) closed without an answer")
        case .failed(let error) where q.choosingFlag: log.warning("red-flag choice not shown: \(error)")
        case .failed(let error): log.debug("check-in question not shown: \(error)")
        case .serverChanged: break
        }
    }
}
