import Foundation
import LimberCore
import LimberHistory
import Logging

/// The critical notification shown while exercise is on hold after a red
/// flag: what was reported, where to go, and how to bring the reminders
/// back. Stays on screen (resident, critical urgency) until cleared.
public struct RedFlagAlert: Sendable, Hashable {
    public var summary: String
    public var body: String

    public static let clearActionKey = "red-flag-cleared"
    public static var clearActionLabel: String { tr("It has been seen to: resume exercise") }

    public init(flags: [RedFlag]) {
        let sorted = Array(Set(flags)).sorted()
        summary = sorted.contains(where: \.isEmergency)
            ? tr("Red flag: go to an emergency department now")
            : tr("Red flag: get urgent care today")
        var lines = sorted.map { "• " + tr("{flag}: {where}.", ["flag": $0.label, "where": $0.whereToGo]) }
        lines.append(tr("Exercise reminders are stopped until you say this has been seen to."))
        body = lines.joined(separator: "\n")
    }

    /// The same as plain advice lines, for a terminal or the journal.
    public var text: String { summary + "\n" + body }
}

/// A presenter that can show the red-flag notification.
public protocol RedFlagAlerting: AnyObject {
    func showRedFlag(_ alert: RedFlagAlert)
    func withdrawRedFlag()
    /// Set by the service: the person chose the notification's "seen to" answer.
    var onRedFlagCleared: (() -> Void)? { get set }
}

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
        a.onRedFlagCleared = { [weak self] in self?.clearRedFlag(source: "notification") }
        a.showRedFlag(RedFlagAlert(flags: hold.flags.compactMap(RedFlag.init(rawValue:))))
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
