// What the tray shows and what its menu does, as the daemon provides it.
import Foundation

/// The tray's picture of limber at one moment.
public struct TraySnapshot: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// A reminder ahead, counting down.
        case counting
        /// A reminder on screen.
        case due
        case paused
        /// A red flag was reported: exercise stops (the icon says so).
        case redFlag = "red-flag"
        /// Away from the desk, or nothing scheduled.
        case idle
    }

    public var state: State
    /// "Next: Sit break in 12 min".
    public var next: String
    /// "3 done today".
    public var doneToday: String
    /// The reminder on screen, if any (its answers go in the menu).
    public var showing: UInt64?
    public var canSnooze: Bool
    public var paused: Bool

    public init(state: State, next: String, doneToday: String, showing: UInt64? = nil, canSnooze: Bool = false,
                paused: Bool = false) {
        self.state = state
        self.next = next
        self.doneToday = doneToday
        self.showing = showing
        self.canSnooze = canSnooze
        self.paused = paused
    }
}

/// A menu entry's effect.
public enum TrayAction: Sendable, Hashable {
    case done, snooze, skip
    case breakNow, moved
    case pause(Duration)
    case pauseUntilTomorrow
    case resume
    /// Shows the reminders still to come today (a notification).
    case todaysPlan
    /// Opens the history report (limberctl report --html) in the browser.
    case statistics
    /// Opens the exercise guide of the reminder on screen, or of the next one.
    case guide
}

/// The daemon's side of the tray (LimberDaemon's TrayBridge).
public protocol TrayBackend: AnyObject {
    func snapshot() -> TraySnapshot
    func perform(_ action: TrayAction)
    /// `changed` runs (on the loop) whenever the snapshot may have changed.
    func onChange(_ changed: @escaping () -> Void)
}
