import LimberCore
import LimberHistory

/// What the questions and offers after a reminder (the check-in, the
/// phase question, the worsening offer) need from the reminder service:
/// its engine, its clock, its events, and where their answers go.
/// LimberDaemon's `ReminderService` is the one host; the prompts are given
/// it in their initializer and hold it weakly.
public protocol PromptHost: AnyObject {
    /// The core as it is now (configuration, state, phases).
    var engine: Engine { get }
    var clock: () -> Moment { get }
    /// Calls `observer` with everything the service does.
    func observe(_ observer: @escaping (ServiceEvent) -> Void)
    /// Calls `observer` after every phase event (a move, a check-in).
    func observePhases(_ observer: @escaping () -> Void)
    /// Sends a phase event to the core; `source` is recorded with any move.
    func sendPhaseEvent(_ event: Event, source: String)
    /// A red flag: every exercise reminder stops at once.
    func raiseRedFlag(_ flags: [RedFlag], source: String)
    /// Saves a check-in in the history (off the loop) and calls `done` on
    /// the loop with the history's answer; nil when there is no history.
    func saveCheckIn(_ checkIn: CheckIn, then done: @escaping (CheckInResponse?) -> Void)
}
