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
}

/// How a reminder reads as text, shared by the presenters.
public enum ReminderText {
    /// The body: each item's message, each exercise with its dose, and the
    /// first caution of each (the safety line a user must see).
    public static func body(_ r: Reminder, programs: [Program], markup: Bool = false) -> String {
        var lines: [String] = []
        for item in r.items {
            if r.items.count > 1 { lines.append(markup ? "<b>\(escape(item.title))</b>" : item.title + ":") }
            if !item.message.isEmpty { lines.append(markup ? escape(item.message) : item.message) }
            for e in item.exercises {
                let dose = e.dose.text
                let name = markup ? "<b>\(escape(e.name))</b>" : e.name
                lines.append("• " + name + (dose.isEmpty ? "" : " — " + (markup ? escape(dose) : dose)))
                if let stop = e.stopIf.first { lines.append("  Stop if " + (markup ? escape(stop) : stop)) }
            }
            if item.catchUp { lines.append(markup ? "<i>(catching up)</i>" : "(catching up)") }
        }
        return lines.joined(separator: "\n")
    }

    /// How to answer with limberctl, for servers without actions.
    public static func cliHint(_ r: Reminder) -> String {
        var hint = "Answer with: limberctl done"
        if let s = r.snoozeLength { hint += " | limberctl snooze \(DurationText.format(s))" }
        hint += " | limberctl skip"
        return hint
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
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

    public init(timeZone: TimeZone, acceptsInput: Bool, clock: @escaping () -> Date) {
        self.timeZone = timeZone
        self.clock = clock
        self.acceptsInput = acceptsInput
    }

    public func show(_ reminder: Reminder, programs: [Program]) {
        current = reminder.id
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.hour, .minute], from: clock())
        let time = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        var out = "\n[\(time)] \(reminder.title)  (reminder \(reminder.id))\n"
        for line in ReminderText.body(reminder, programs: programs).split(separator: "\n", omittingEmptySubsequences: false) {
            out += "  \(line)\n"
        }
        var answers = ["Done", "Skip"]
        if let s = reminder.snoozeLength { answers.insert("Snooze \(DurationText.format(s))", at: 1) }
        out += "  Answers: " + answers.joined(separator: " · ")
        out += acceptsInput ? "  — type d, s or k and Enter\n" : "  — \(ReminderText.cliHint(reminder))\n"
        emit(out)
    }

    public func withdraw(_ id: ReminderID, reason: WithdrawReason) {
        if current == id { current = nil }
        if reason != .answered { emit("  (reminder \(id) \(reason.rawValue))\n") }
    }

    /// A line typed on standard input.
    public func input(_ line: String) {
        guard let id = current else { return }
        switch line.trimmingCharacters(in: .whitespaces).lowercased() {
        case "d", "done": onAnswer?(id, .done)
        case "s", "snooze": onAnswer?(id, .snooze(nil))
        case "k", "skip": onAnswer?(id, .skip)
        default: emit("  (type d for done, s for snooze, k for skip)\n")
        }
    }

    /// Everything the foreground mode prints is made safe for the terminal.
    private func emit(_ s: String) {
        FileHandle.standardOutput.write(Data(SafeText.terminal(s).utf8))
    }
}
