import Foundation
import LimberCore
import LimberHistory

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
    /// Shows `alert` until withdrawn; `cleared` runs when the person
    /// chooses its "seen to" answer.
    func showRedFlag(_ alert: RedFlagAlert, cleared: @escaping () -> Void)
    func withdrawRedFlag()
}
