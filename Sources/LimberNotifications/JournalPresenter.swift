import Logging
import LimberCore

/// The fallback under systemd when no notification server answers: each
/// reminder's full text goes to the journal (as a notice), with how to
/// answer it with limberctl. Answers come through the D-Bus API, not here.
public final class JournalPresenter: ReminderPresenter {
    public var onAnswer: ((ReminderID, Answer) -> Void)?
    private let log: Logger

    public init(logger: Logger) {
        self.log = logger
    }

    public func show(_ reminder: Reminder, programs: [Program]) {
        let body = ReminderText.body(reminder, programs: programs)
        log.notice("\(reminder.title)\n\(body)\n\(ReminderText.cliHint(reminder))", metadata: [
            "reminder": "\(reminder.id)", "presenter": "journal",
        ])
    }

    public func withdraw(_ id: ReminderID, reason: WithdrawReason) {
        if reason != .answered { log.info("reminder \(id) withdrawn (\(reason.rawValue))", metadata: ["reminder": "\(id)"]) }
    }
}
