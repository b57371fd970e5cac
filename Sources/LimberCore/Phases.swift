import Foundation

/// How a phase ends (docs/program-format.md, "Phases"): after its days, or
/// only once the person confirms it, or once their check-ins say so.
public enum PhaseAdvance: Sendable, Hashable, Codable {
    /// After the phase's days (the calendar alone).
    case days
    /// After the phase's days, once the person answers Yes to `question`;
    /// asked again every `askEvery` days while the answer is Not yet.
    case confirm(question: String, askEveryDays: Int)
    /// After the phase's days, once the check-ins meet the rule.
    case checkIns(CheckInRule)

    public var kindName: String {
        switch self {
        case .days: "days"
        case .confirm: "confirm"
        case .checkIns: "check-ins"
        }
    }
}

/// "Pain at most 3 on three of the last four check-ins, and not spreading
/// down the leg."
public struct CheckInRule: Sendable, Hashable, Codable {
    public var maxPain: Int
    public var atLeast: Int
    public var ofLast: Int
    /// The pain must not reach further down the leg than in the check-in
    /// before (no peripheralisation) in any of the last `ofLast`.
    public var notSpreading: Bool

    public init(maxPain: Int = 3, atLeast: Int = 3, ofLast: Int = 4, notSpreading: Bool = true) {
        self.maxPain = maxPain
        self.atLeast = atLeast
        self.ofLast = ofLast
        self.notSpreading = notSpreading
    }

    /// "pain at most 3 on 3 of the last 4 check-ins, not spreading down the leg".
    public var words: String {
        let n = ["max": String(maxPain), "n": String(atLeast), "of": String(ofLast)]
        return notSpreading
            ? tr("pain at most {max} on {n} of the last {of} check-ins, not spreading down the leg", ["max": n["max"]!, "n": n["n"]!, "of": n["of"]!])
            : tr("pain at most {max} on {n} of the last {of} check-ins", ["max": n["max"]!, "n": n["n"]!, "of": n["of"]!])
    }

    /// Whether the check-ins (oldest first) meet the rule.
    public func isMet(by notes: [CheckInNote]) -> Bool {
        let last = notes.suffix(ofLast)
        guard last.count >= min(ofLast, atLeast), last.filter({ $0.pain <= maxPain }).count >= atLeast else { return false }
        if notSpreading {
            let list = Array(last)
            for (a, b) in zip(list, list.dropFirst()) where b.reach > max(a.reach, 1) { return false }
        }
        return true
    }
}

/// A check-in as the core sees it: pain 0-10 and how far down the leg it
/// reaches (0 none, 1 back ... 6 foot; see LimberHistory.LegReach).
public struct CheckInNote: Sendable, Hashable, Codable {
    public var at: Date
    public var pain: Int
    public var reach: Int

    public init(at: Date, pain: Int, reach: Int) {
        self.at = at
        self.pain = pain
        self.reach = reach
    }
}

/// Where a program's phases stand, set by a person or a confirmation:
/// `phase` since the start of the day `since`, and why. The calendar goes on
/// from there for phases that end after their days.
public struct PhaseMark: Sendable, Hashable, Codable {
    public var phase: String
    public var since: Date
    public var reason: String

    public init(phase: String, since: Date, reason: String) {
        self.phase = phase
        self.since = since
        self.reason = reason
    }
}

/// An offer to go back to a gentler phase after worsening check-ins.
public struct PhaseOffer: Sendable, Hashable, Codable {
    public var phase: String
    public var reason: String
    public var at: Date

    public init(phase: String, reason: String, at: Date) {
        self.phase = phase
        self.reason = reason
        self.at = at
    }
}

/// The phase in force on a day, and why.
public struct PhaseStatus: Sendable, Hashable {
    public var phase: Phase
    public var index: Int
    /// The first day of the phase (start of day).
    public var since: Date
    /// 1 on the phase's first day.
    public var day: Int
    /// Why it is this phase: "started 2026-03-02", "after 14 days of Flare", "moved by you".
    public var reason: String
    /// The phase has had its days and waits for a confirmation or check-ins.
    public var waiting: String?
    /// The next phase, if any.
    public var next: Phase?

    /// "Recovery, day 12 of 35" or "Maintenance, day 3".
    public var line: String {
        if let days = phase.days {
            return tr("{phase}, day {day} of {days}", ["phase": phase.name, "day": String(day), "days": String(days)])
        }
        return tr("{phase}, day {day}", ["phase": phase.name, "day": String(day)])
    }
}

extension Program {
    public func phaseIndex(_ id: String) -> Int? { phases.firstIndex { $0.id == id } }

    /// The phase in force on `day`, from the program's start day and the
    /// last mark (a move by the person, a confirmation, check-ins).
    public func phaseStatus(started: Date, mark: PhaseMark?, on day: Date, calendar: LocalCalendar) -> PhaseStatus? {
        guard !phases.isEmpty else { return nil }
        var index = mark.flatMap { phaseIndex($0.phase) } ?? 0
        var since = calendar.startOfDay(mark.flatMap { phaseIndex($0.phase) != nil ? $0.since : nil } ?? started)
        var reason = mark.flatMap { phaseIndex($0.phase) != nil ? $0.reason : nil }
            ?? tr("the program started on {day}", ["day": calendar.dayKey(started)])
        let today = calendar.startOfDay(day)
        var waiting: String?
        while index < phases.count - 1, let length = phases[index].days {
            let elapsed = calendar.daysBetween(since, today)
            guard elapsed >= length else { break }
            switch phases[index].advance {
            case .days:
                reason = tr("after {n} days of {phase}", ["n": String(length), "phase": phases[index].name])
                since = calendar.startOfDay(since, addingDays: length)
                index += 1
                continue
            case .confirm(let question, _):
                waiting = tr("waiting for you to answer \"{question}\"", ["question": question])
            case .checkIns(let rule):
                waiting = tr("waiting for check-ins with {rule}", ["rule": rule.words])
            }
            break
        }
        let d = max(0, calendar.daysBetween(since, today)) + 1
        return PhaseStatus(phase: phases[index], index: index, since: since, day: d, reason: reason, waiting: waiting,
                           next: index + 1 < phases.count ? phases[index + 1] : nil)
    }
}
