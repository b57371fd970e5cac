import Foundation
import LimberCore

/// How far down the leg the pain reaches, from the back (most central) to
/// the foot (most peripheral). Pain moving up this list, toward the back,
/// is centralization: the sources' marker of progress. Moving down is
/// peripheralization: stop the movement that did it.
public enum LegReach: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case back, buttock, thigh, knee, calf, foot

    /// 1 (back) to 6 (foot). 0 is reserved for "no pain anywhere".
    public var rank: Int {
        switch self {
        case .back: 1
        case .buttock: 2
        case .thigh: 3
        case .knee: 4
        case .calf: 5
        case .foot: 6
        }
    }

    public static func < (a: LegReach, b: LegReach) -> Bool { a.rank < b.rank }

    /// The body part, in the user's language (the raw value stays the option's word).
    public var label: String {
        switch self {
        case .back: tr("back")
        case .buttock: tr("buttock")
        case .thigh: tr("thigh")
        case .knee: tr("knee")
        case .calf: tr("calf")
        case .foot: tr("foot")
        }
    }
}

/// The warning signs that need urgent care, not exercise.
public enum RedFlag: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case bladderOrBowel = "bladder-bowel"
    case saddleNumbness = "saddle-numbness"
    case footDrop = "foot-drop"
    case progressiveWeakness = "progressive-weakness"

    /// What the user would call it.
    public var label: String {
        switch self {
        case .bladderOrBowel: tr("loss of bladder or bowel control")
        case .saddleNumbness: tr("numbness in the saddle area (groin, buttocks, inner thighs)")
        case .footDrop: tr("foot drop (cannot lift the toes when walking)")
        case .progressiveWeakness: tr("leg weakness that is getting worse")
        }
    }

    /// A button's label for it (the notification's red-flag choice).
    public var shortLabel: String {
        switch self {
        case .bladderOrBowel: tr("Bladder or bowel")
        case .saddleNumbness: tr("Saddle numbness")
        case .footDrop: tr("Foot drop")
        case .progressiveWeakness: tr("Weaker leg")
        }
    }

    /// Words in a free note that suggest this flag. Matching is deliberately
    /// generous: a false alarm costs one paragraph of advice, a miss costs more.
    /// English, German and Spanish at once, whatever the locale: a note is
    /// written in the language its writer thinks in (docs/glossary.md).
    var noteKeywords: [String] {
        switch self {
        case .bladderOrBowel: ["bladder", "bowel", "incontinen", "wet myself", "pee myself",  // l10n: not ui
                               "blase", "darm", "inkontinen", "stuhlgang", "eingenässt", "urinverlust",  // l10n: not ui
                               "vejiga", "intestin", "esfínter", "esfinter", "orina", "me hice pis"]  // l10n: not ui
        case .saddleNumbness: ["saddle", "groin numb", "numb groin", "numbness in my groin",  // l10n: not ui
                               "reithose", "sattel", "leiste taub", "taube leiste", "taubheit im schritt", "genitalbereich taub",  // l10n: not ui
                               "silla de montar", "ingle dormida", "entumecimiento en la ingle", "adormecimiento genital", "perineo"]  // l10n: not ui
        case .footDrop: ["foot drop", "drop foot", "footdrop", "lift my toes", "lift the toes", "lift toes", "foot slaps", "foot slapping",  // l10n: not ui
                         "fußheber", "fussheber", "fallfuß", "fallfuss", "zehen nicht heben", "fuß schlägt", "fuss schlägt",  // l10n: not ui
                         "pie caído", "pie caido", "pie péndulo", "levantar los dedos", "no puedo levantar el pie"]  // l10n: not ui
        case .progressiveWeakness: ["weaker", "getting weak", "leg gave way", "leg gives way", "giving way", "weakness",  // l10n: not ui
                                    "schwäche", "schwächer", "knickt weg", "bein gibt nach", "kraftlos",  // l10n: not ui
                                    "debilidad", "más débil", "mas debil", "pierna falla", "se me dobla la pierna", "fallo la pierna"]  // l10n: not ui
        }
    }

    /// The flags whose words appear in `note`.
    public static func mentioned(in note: String) -> [RedFlag] {
        let text = note.lowercased()
        return allCases.filter { flag in flag.noteKeywords.contains { text.contains($0) } }
    }

    public static func < (a: RedFlag, b: RedFlag) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Loss of bladder or bowel control and saddle numbness can mean the
    /// nerves at the base of the spine are being squeezed: a surgical
    /// emergency. Foot drop and worsening weakness need care the same day.
    public var isEmergency: Bool { self == .bladderOrBowel || self == .saddleNumbness }

    /// Where to go, in plain words.
    public var whereToGo: String {
        isEmergency ? tr("go to an emergency department now") : tr("get urgent care today (an urgent-care clinic or your doctor's same-day service)")
    }

    /// The advice for a set of flags, most urgent first: one line.
    public static func advice(for flags: [RedFlag]) -> String? {
        let sorted = Array(Set(flags)).sorted()
        guard !sorted.isEmpty else { return nil }
        let emergency = sorted.filter(\.isEmergency)
        let urgent = sorted.filter { !$0.isEmergency }
        let list = { (f: [RedFlag]) in f.map(\.label).joined(separator: tr(" and ")) }
        let reported: String
        switch (emergency.isEmpty, urgent.isEmpty) {
        case (false, true):
            reported = tr("RED FLAG: you reported {flags}: go to an emergency department now, do not wait to see whether it settles.",
                          ["flags": list(emergency)])
        case (true, false):
            reported = tr("RED FLAG: you reported {flags}: get urgent care today (an urgent-care clinic or your doctor's same-day service).",
                          ["flags": list(urgent)])
        default:
            reported = tr("RED FLAG: you reported {emergency} and {urgent}: go to an emergency department now, do not wait to see whether it settles.",
                          ["emergency": list(emergency), "urgent": list(urgent)])
        }
        return reported + " " + tr("Exercise reminders are stopped until you say it has been seen to (limberctl resume --red-flag-cleared).")
    }
}

/// Where a check-in came from.
public enum CheckInSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// `limberctl checkin`.
    case cli
    /// The optional question in the notification after an exercise.
    case notification
}

/// One pain check-in.
public struct CheckIn: Sendable, Hashable, Codable {
    public var at: Date
    /// 0 (none) to 10 (worst imaginable).
    public var pain: Int
    /// How far down the leg it reaches; nil when there is no pain or the
    /// user did not say.
    public var reach: LegReach?
    /// Red flags the user ticked.
    public var redFlags: [RedFlag]
    public var note: String
    public var source: CheckInSource
    /// The reminder answered just before, for check-ins after an exercise.
    public var afterReminder: ReminderID?

    public init(at: Date, pain: Int, reach: LegReach? = nil, redFlags: [RedFlag] = [], note: String = "",
                source: CheckInSource = .cli, afterReminder: ReminderID? = nil) {
        self.at = at
        self.pain = pain
        self.reach = reach
        self.redFlags = redFlags
        self.note = note
        self.source = source
        self.afterReminder = afterReminder
    }

    /// The reach as a number for trends: 1 (back) to 6 (foot), 0 for a
    /// check-in with no pain at all, nil when pain is reported without a reach.
    public var reachRank: Int? {
        if let r = reach { return r.rank }
        return pain == 0 ? 0 : nil
    }

    /// Why the history refuses this check-in, if it does.
    public var problem: String? {
        guard (0...10).contains(pain) else { return tr("pain must be 0 to 10, not {pain}", ["pain": String(pain)]) }
        return nil
    }
}

/// A check-in as stored, with its row id.
public struct StoredCheckIn: Sendable, Hashable, Codable {
    public var id: Int64
    public var checkIn: CheckIn

    public init(id: Int64, checkIn: CheckIn) {
        self.id = id
        self.checkIn = checkIn
    }
}

/// Which way the pain moved since the previous check-in.
public enum ReachChange: String, Sendable, Hashable, Codable {
    /// Toward the back: centralizing.
    case up
    /// Further down the leg: peripheralizing.
    case down
    case same
}

/// What `limberctl checkin` (or the notification) shows right after a check-in.
public struct CheckInResponse: Sendable, Hashable, Codable {
    /// The stored row, nil when it could not be saved (see `storeError`).
    public var id: Int64?
    /// Red flags ticked by the user.
    public var redFlags: [RedFlag]
    /// Red flags whose words appear in the note (the user may have written
    /// "no bladder problems": the advice is shown anyway, worded as a question).
    public var redFlagsInNote: [RedFlag]
    /// True when the red-flag advice must be shown first and prominently.
    public var urgent: Bool
    /// Lines to show, most important first.
    public var advice: [String]
    /// Compared with the previous check-in that gave a reach.
    public var reachChange: ReachChange?
    /// Why the check-in was not saved; the advice stands regardless.
    public var storeError: String?

    public init(id: Int64?, redFlags: [RedFlag], redFlagsInNote: [RedFlag], urgent: Bool, advice: [String],
                reachChange: ReachChange?, storeError: String?) {
        self.id = id
        self.redFlags = redFlags
        self.redFlagsInNote = redFlagsInNote
        self.urgent = urgent
        self.advice = advice
        self.reachChange = reachChange
        self.storeError = storeError
    }

    /// For pain of 8 or more, red flag or not.
    public static var severePainAdvice: String {
        tr("That is severe pain. Rest in a position that eases it (lying on your back with your legs up on a chair often helps), leave out any exercise that makes it worse, and contact a clinician today if it does not ease.")
    }

    /// The advice for a check-in, given the previous one with a reach (if
    /// any). Pure: the CLI can show it even when the daemon or database is
    /// unavailable.
    public static func advice(for checkIn: CheckIn, previous: CheckIn? = nil) -> CheckInResponse {
        let ticked = Array(Set(checkIn.redFlags)).sorted()
        let inNote = RedFlag.mentioned(in: checkIn.note).filter { !ticked.contains($0) }
        var advice: [String] = []
        if let line = RedFlag.advice(for: ticked) { advice.append(line) }
        if !inNote.isEmpty {
            advice.append(tr(
                "Your note mentions something that can be a red flag. If you have {flags}, seek care now: {where}.",
                ["flags": inNote.map(\.label).joined(separator: tr(" or ")),
                 "where": inNote.map { "\($0.label): \($0.whereToGo)" }.joined(separator: "; ")]))
        }
        if checkIn.pain >= 8 { advice.append(severePainAdvice) }
        var change: ReachChange? = nil
        if let now = checkIn.reachRank, let before = previous?.reachRank {
            change = now < before ? .up : now > before ? .down : .same
        }
        switch change {
        case .down:
            advice.append(tr(
                "The pain reaches further down the leg than at your last check-in. Stop any movement that sends it further down, and go back to positions that ease it. If press-ups did it, leave them out: knees to chest (lying on your back) is the movement to try instead (limberctl guide knees-to-chest)."))
        case .up:
            advice.append(tr("The pain has moved up toward the back since your last check-in: that is the sign of progress, even if it feels sharper."))
        default:
            break
        }
        return CheckInResponse(id: nil, redFlags: ticked, redFlagsInNote: inNote,
                               urgent: !ticked.isEmpty || !inNote.isEmpty,
                               advice: advice, reachChange: change, storeError: nil)
    }
}
