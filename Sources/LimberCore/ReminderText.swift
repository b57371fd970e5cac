import Foundation

/// How a reminder reads as text, shared by the presenters (notification,
/// terminal, journal) and the API's ReminderShown signal.
///
/// A notification is read at a glance, often by someone in pain, so the
/// body stays short: at most `maxLines` lines. Each exercise gets its name
/// and dose, and under it its cue (the part people get wrong); the reminder
/// gets one stop line, its most important caution, not one per exercise.
/// What does not fit becomes "+N more"; a long list (the strength routine)
/// is summarised in one line, and the guide has the rest.
public enum ReminderText {
    /// The most body lines a notification shows (the answer hint for a
    /// server without buttons comes on top).
    public static let maxLines = 6
    /// An item with more exercises than this is summarised in one line.
    public static let listLimit = 3

    public static func body(_ r: Reminder, programs: [Program], markup: Bool = false) -> String {
        lines(r, markup: markup).joined(separator: "\n")
    }

    static func lines(_ r: Reminder, markup: Bool) -> [String] {
        func esc(_ s: String) -> String { markup ? escape(s) : s }
        func bold(_ s: String) -> String { markup ? "<b>" + escape(s) + "</b>" : s }
        var head: [String] = []
        // The summary already names every merged item; a merged reminder's
        // messages would crowd out the exercises.
        if r.items.count == 1, let m = r.items.first?.message, !m.isEmpty { head.append(esc(m)) }

        // Each block is what one exercise (or one summarised list) needs.
        var blocks: [[String]] = []
        var names: [String] = []
        var seen: Set<String> = []
        for item in r.items {
            let fresh = item.exercises.filter { seen.insert($0.id).inserted }
            if fresh.count > listLimit {
                let first = fresh.prefix(listLimit).map(\.name).joined(separator: ", ")
                blocks.append([
                    "• " + bold(trn("{n} exercise", "{n} exercises", fresh.count, ["n": String(fresh.count)]))
                        + esc(": " + tr("{first} and {n} more", ["first": first, "n": String(fresh.count - listLimit)])),
                    "  " + esc(tr("each one's steps and cue are in the guide (How to)")),
                ])
                names.append(trn("{n} exercise", "{n} exercises", fresh.count, ["n": String(fresh.count)]))
                continue
            }
            for e in fresh {
                let dose = e.dose.text
                var block = ["• " + bold(e.name) + (dose.isEmpty ? "" : esc(" — " + dose))]
                if !e.cue.isEmpty { block.append("  " + esc(e.cue)) }
                blocks.append(block)
                names.append(e.name)
            }
        }
        let stop = stopLine(r).map { [esc($0)] } ?? []

        var out = head
        var budget = maxLines - out.count - stop.count
        var shown = 0
        for (i, block) in blocks.enumerated() {
            let restAfter = blocks.count - i - 1
            let need = block.count + (restAfter > 0 ? 1 : 0)  // keep room for "+N more"
            if need <= budget || (restAfter == 0 && block.count <= budget) {
                out += block
                budget -= block.count
                shown += 1
            } else if shown == 0 && budget >= 2 {
                out.append(block[0])  // at least the first exercise's name and dose
                budget -= 1
                shown += 1
            } else {
                break
            }
        }
        if shown < blocks.count {
            let rest = names[shown...]
            out.append(esc(tr("+{n} more: {names}", ["n": String(rest.count), "names": rest.joined(separator: ", ")])))
        }
        out += stop
        if r.isCatchUp, !out.isEmpty { out[0] += markup ? " <i>" + escape(tr("(catching up)")) + "</i>" : " " + tr("(catching up)") }
        return out
    }

    /// The reminder's most important caution, as a sentence: a `stop_if`
    /// that names urgent care in the program's own file (foot drop on a
    /// walk) before any other, else the first `stop_if` of its first
    /// exercise that has one. Decided on `StopForm`, not on the words of
    /// the language shown.
    public static func stopLine(_ r: Reminder) -> String? {
        let rules = r.items.flatMap(\.exercises).flatMap { e in e.stopIf.indices.map { (e, $0) } }
        let urgent = rules.first { e, i in e.stopForms.indices.contains(i) && e.stopForms[i].urgent }
        let first = r.items.flatMap(\.exercises).first { !$0.stopIf.isEmpty }.map { ($0, 0) }
        return (urgent ?? first).map { e, i in stopSentence(e, i) }
    }

    /// The exercise's stop rules as sentences, in order.
    public static func stopLines(_ e: Exercise) -> [String] {
        e.stopIf.indices.map { stopSentence(e, $0) }
    }

    /// Entry `i` of the exercise's `stop_if` as a sentence, in the form its
    /// program's own file gave it (a translated clause is completed
    /// whatever its first letter: German nouns and "Sie" are capitals).
    public static func stopSentence(_ e: Exercise, _ i: Int) -> String {
        let sentence = e.stopForms.indices.contains(i) ? e.stopForms[i].sentence : StopForm(original: e.stopIf[i]).sentence
        return stopSentence(e.stopIf[i], sentence: sentence)
    }

    /// "Stop if pain spreads further down your leg." A clause is completed;
    /// a sentence is kept as it is. Without `sentence`, the text is taken
    /// as written in the program's own file (a capital letter begins a
    /// sentence): for translated text, use `stopSentence(_:_:)`.
    public static func stopSentence(_ clause: String, sentence: Bool? = nil) -> String {
        if sentence ?? StopForm(original: clause).sentence { return clause }
        return tr("Stop if {condition}", ["condition": clause]) + (clause.hasSuffix(".") ? "" : ".")
    }

    /// How to answer with limberctl, for servers without actions.
    public static func cliHint(_ r: Reminder) -> String {
        // Commands are typed as they are, in any language.
        let snooze = r.snoozeLength.map { ["limberctl snooze " + DurationText.format($0)] } ?? []  // l10n: not ui
        let commands = ["limberctl done"] + snooze + ["limberctl skip"]  // l10n: not ui
        return tr("Answer with: {commands}", ["commands": commands.joined(separator: " | ")])
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
