import Foundation
import LimberCore

/// Where reminders appear: a desktop notification, the terminal, the
/// journal. A presenter tells the service when the user answers.
public protocol ReminderPresenter: AnyObject {
    /// Shows a reminder, or updates the one with the same id in place.
    func show(_ reminder: Reminder, programs: [Program])
    /// Takes a reminder away.
    func withdraw(_ id: ReminderID, reason: WithdrawReason)
    /// Set by the service: the user answered.
    var onAnswer: ((ReminderID, Answer) -> Void)? { get set }
    /// At start: the reminder that was on screen when the last limberd
    /// stopped (still up). A presenter that can take over what it showed
    /// then (a notification, replaced in place) shows it; others do nothing.
    func resume(_ reminder: Reminder, programs: [Program])
}

extension ReminderPresenter {
    public func resume(_ reminder: Reminder, programs: [Program]) {}
}

/// Prints reminders to a terminal (the foreground fallback when no
/// notification service is reachable), and reads one-letter answers from
/// standard input when it is a terminal: d(one), s(nooze), k (skip).
public final class TerminalPresenter: ReminderPresenter {
    public var onAnswer: ((ReminderID, Answer) -> Void)?
    private let timeZone: TimeZone
    private let clock: () -> Date
    private var current: ReminderID?
    private let acceptsInput: Bool
    /// Whether limberctl can reach limberd (the session bus is connected):
    /// only then does the foreground mode suggest it.
    private let limberctlReaches: () -> Bool

    public init(timeZone: TimeZone, acceptsInput: Bool, limberctlReaches: @escaping () -> Bool = { true },
                clock: @escaping () -> Date) {
        self.timeZone = timeZone
        self.clock = clock
        self.acceptsInput = acceptsInput
        self.limberctlReaches = limberctlReaches
    }

    public func show(_ reminder: Reminder, programs: [Program]) {
        current = reminder.id
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.hour, .minute], from: clock())
        let time = localTime(hour: c.hour ?? 0, minute: c.minute ?? 0)
        var out = "\n[\(time)] \(reminder.title)  (" + tr("reminder {id}", ["id": "\(reminder.id)"]) + ")\n"
        for line in ReminderText.body(reminder, programs: programs).split(separator: "\n", omittingEmptySubsequences: false) {
            out += "  \(line)\n"
        }
        var answers = [tr("Done"), tr("Skip")]
        if let s = reminder.snoozeLength { answers.insert(tr("Snooze {duration}", ["duration": DurationText.readable(s)]), at: 1) }
        out += "  " + tr("Answers: {answers}", ["answers": answers.joined(separator: " · ")])
        out += "  — " + (acceptsInput ? tr("type d, s or k and Enter")
            : limberctlReaches() ? ReminderText.cliHint(reminder)
            : tr("no terminal input and no session bus: it cannot be answered here, and goes away by itself")) + "\n"
        emit(out)
    }

    public func withdraw(_ id: ReminderID, reason: WithdrawReason) {
        if current == id { current = nil }
        if reason != .answered { emit("  (" + tr("reminder {id} {reason}", ["id": "\(id)", "reason": reason.words]) + ")\n") }
    }

    /// Says what became of an answered reminder, one line per rule: "done:
    /// Time to get up", "snoozed until 14:45: Press-ups" (with the day when
    /// it is another: a snooze past the rule's hours comes back then).
    public func echo(_ outcome: Outcome, title: String) {
        guard outcome.reminder != 0 else { return }
        let line: String
        switch outcome.kind {
        case .done where outcome.note == nil: line = tr("done: {title}", ["title": title])
        case .skipped where outcome.note == nil: line = tr("skipped: {title}", ["title": title])
        case .skipped: line = tr("skipped (no more snoozes): {title}", ["title": title])
        case .dismissed: line = tr("dismissed: {title}", ["title": title])
        case .snoozed where outcome.note != "paused":
            let until = outcome.at.addingTimeInterval(outcome.snooze?.seconds ?? 0)
            let when = format(until, from: outcome.at)
            line = outcome.note == "past its hours"  // l10n: not ui (a history note)
                ? tr("snoozed until {time}, the next time it may come: {title}", ["time": when, "title": title])
                : tr("snoozed until {time}: {title}", ["time": when, "title": title])
        default: return
        }
        emit("  \(line)\n")
    }

    /// "14:45" on the same day as `from`, else "Tue 08:00".
    private func format(_ d: Date, from: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.hour, .minute, .weekday], from: d)
        let time = localTime(hour: c.hour ?? 0, minute: c.minute ?? 0)
        if cal.isDate(d, inSameDayAs: from) { return time }
        return (Weekday(rawValue: c.weekday ?? 2) ?? .monday).localizedShort + " " + time
    }

    /// A line typed on standard input.
    public func input(_ line: String) {
        guard let id = current else { return }
        switch line.trimmingCharacters(in: .whitespaces).lowercased() {
        case "d", "done": onAnswer?(id, .done)
        case "s", "snooze": onAnswer?(id, .snooze(nil))
        case "k", "skip": onAnswer?(id, .skip)
        default: emit("  (" + tr("type d for done, s for snooze, k for skip") + ")\n")
        }
    }

    /// Everything the foreground mode prints is made safe for the terminal.
    private func emit(_ s: String) {
        FileHandle.standardOutput.write(Data(SafeText.terminal(s).utf8))
    }
}

extension WithdrawReason {
    /// Why a reminder went away, in the user's words: "(reminder 3 expired)".
    var words: String {
        switch self {
        case .answered: tr("answered")
        case .expired: tr("expired")
        case .naturalBreak: tr("ended by a natural break")
        case .reload: tr("withdrawn by a reload")
        case .paused: tr("withdrawn: paused")
        case .away: tr("withdrawn: you were away")
        case .postponed: tr("postponed")
        case .dropped: tr("dropped")
        case .redFlag: tr("withdrawn: exercise stopped after a red flag")
        }
    }
}
