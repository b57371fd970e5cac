import Foundation
import LimberCore
import LimberHistory
import LimberNotifications
import Logging

/// A red flag holds every exercise reminder until the person says it has
/// been seen to; the notification (LimberNotifications' RedFlagNotifier)
/// shows it, the history records it.
extension ReminderService {
    private static let redFlagLog = Logger(label: "limberd.red-flag")

    /// What shows the red-flag notification (the daemon's RedFlagNotifier).
    private var alerting: RedFlagAlerting? { redFlagAlerts }

    /// A red flag was reported (limberctl checkin, the API): every exercise
    /// reminder stops at once, the critical notification goes up, and the
    /// history records it.
    public func raiseRedFlag(_ flags: [RedFlag], source: String) {
        guard !flags.isEmpty else { return }
        let now = clock()
        send(.redFlag(flags.map(\.rawValue)))
        Self.redFlagLog.critical("red flag reported: \(flags.map(\.rawValue).joined(separator: ", ")); exercise reminders stopped")
        recordRedFlag(RedFlagEvent(at: now.wall, kind: .raised, flags: flags, source: source))
        showRedFlagAlert()
    }

    /// The person says the red flag has been seen to: reminders come back.
    /// Returns false when no red flag was holding them.
    @discardableResult
    public func clearRedFlag(source: String) -> Bool {
        guard let hold = engine.state.redFlagHold else { return false }
        let flags = hold.flags.compactMap(RedFlag.init(rawValue:))
        send(.redFlagCleared)
        alerting?.withdrawRedFlag()
        Self.redFlagLog.notice("red flag cleared (\(source)); exercise reminders resume")
        recordRedFlag(RedFlagEvent(at: clock().wall, kind: .cleared, flags: flags, source: source))
        return true
    }

    /// Shows the notification for the hold in the state (after a restart too).
    public func showRedFlagAlert() {
        guard let hold = engine.state.redFlagHold else { return }
        guard let a = alerting else {
            Self.redFlagLog.critical("\(RedFlagAlert(flags: hold.flags.compactMap(RedFlag.init(rawValue:))).text)")
            return
        }
        a.showRedFlag(RedFlagAlert(flags: hold.flags.compactMap(RedFlag.init(rawValue:)))) { [weak self] in
            self?.clearRedFlag(source: "notification")
        }
    }

    private func recordRedFlag(_ e: RedFlagEvent) {
        history?.run({ store -> String? in
            do { try store.record(e) } catch {
                Self.redFlagLog.error("red flag not written to the history: \(error)")
                return "the red flag was not written to the history (\(error))"
            }
            return nil
        }) { [weak history] problem in
            if let problem { history?.reportProblem(problem) }
        }
    }
}
