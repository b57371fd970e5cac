import ArgumentParser
import Foundation
import LimberCore
import Systemd

/// `limberctl today`: every reminder still to come today with its time,
/// phase and exercises, and what became of the day's reminders so far.
struct TodayCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "today", abstract: tr("The plan for today: what is still to come, and what was done, skipped or missed so far."))

    @OptionGroup var output: JSONFlag

    func execute() throws(CLIError) {
        let d = try DaemonClient().dict(.today)
        let now = d.date("now") ?? Date()
        let upcoming = d.dicts("upcoming")
        let soFar = d.dicts("so_far")
        if output.json {
            Terminal.line(JSON.object([
                ("schema", .int(1)), ("day", .string(d.string("day"))), ("now", .time(now)),
                ("showing", d.int("showing_id") == 0 ? .null : .object([
                    ("id", .int(d.int("showing_id"))), ("title", .string(d.string("showing_title"))),
                ])),
                ("upcoming", .array(upcoming.map { u in
                    .object([
                        ("at", .time(u.date("at"))), ("time", u.date("at").map { .string(Clock.hhmm($0)) } ?? .null),
                        ("rule", .string(u.string("rule"))), ("title", .string(u.string("title"))),
                        ("phase", .optional(u.string("phase"))), ("exercises", .strings(u.strings("exercises"))),
                        ("catch_up", .bool(u.bool("catch_up"))),
                    ])
                })),
                ("so_far", .array(soFar.map { o in
                    .object([
                        ("at", .time(o.date("at"))), ("time", o.date("at").map { .string(Clock.hhmm($0)) } ?? .null),
                        ("rule", .string(o.string("rule"))), ("title", .string(o.string("title"))),
                        ("outcome", .string(o.string("outcome"))), ("note", .optional(o.string("note"))),
                    ])
                })),
                ("history", .bool(d.bool("history"))),
            ]).text)
            return
        }
        humanLines(d, now: now, upcoming: upcoming, soFar: soFar).forEach(Terminal.line)
    }

    func humanLines(_ d: VarDict, now: Date, upcoming: [VarDict], soFar: [VarDict]) -> [String] {
        var lines: [String] = []
        if d.int("showing_id") != 0 {
            lines.append(Terminal.cyan(tr("showing now: {title}", ["title": d.string("showing_title")])))
        }
        lines.append(Terminal.bold(tr("Still to come today")))
        if upcoming.isEmpty {
            lines.append("  " + tr("nothing more today"))
        }
        for u in upcoming {
            let time = u.date("at").map { Clock.local($0) } ?? ""
            var line = "  " + time + "  " + Terminal.bold(u.string("title"))
            let phase = u.string("phase_name")
            if !phase.isEmpty { line += "  " + Terminal.dim("(" + phase + ")") }
            if u.bool("catch_up") { line += "  " + Terminal.dim(tr("owed from earlier")) }
            lines.append(line)
            let exercises = u.strings("exercises")
            if !exercises.isEmpty { lines.append("         " + exercises.joined(separator: ", ")) }
        }
        lines.append(Terminal.bold(tr("So far today")))
        if !d.bool("history") {
            lines.append("  " + tr("the history is not available (see journalctl --user -u limberd)"))
        } else if soFar.isEmpty {
            lines.append("  " + tr("nothing yet"))
        }
        for o in soFar {
            let time = o.date("at").map { Clock.local($0) } ?? ""
            let word = Self.outcomeWord(o.string("outcome"))
            lines.append("  " + time + "  " + word.padding(toLength: Self.wordWidth, withPad: " ", startingAt: 0)
                         + "  " + o.string("title"))
        }
        return lines
    }

    static var wordWidth: Int {
        ["done", "snoozed", "skipped", "dismissed", "expired", "missed", "postponed", "paused"].map { outcomeWord($0).count }.max() ?? 9
    }

    /// An outcome in the user's words.
    static func outcomeWord(_ outcome: String) -> String {
        switch outcome {
        case "done": tr("done")
        case "snoozed": tr("snoozed")
        case "skipped": tr("skipped")
        case "dismissed": tr("dismissed")
        case "expired": tr("expired")
        case "missed": tr("missed")
        case "postponed": tr("postponed")
        case "paused": tr("paused")
        default: outcome
        }
    }
}
