import Foundation
import LimberCore

/// limberd's Status, as limberctl prints it: human lines, one short text
/// for status bars, and the documented JSON (docs/api.md, schema 1).
struct StatusView {
    let d: VarDict

    var now: Date { d.date("now") ?? Date() }
    var state: String { d.string("state") }
    var pausedUntil: Date? { d.date("paused_until") }
    var nextAt: Date? { d.date("next_at") }

    /// What a status bar shows: "Sit break in 12m", "Sit break", "paused until 14:30".
    var text: String {
        switch state {
        case "red-flag": return tr("RED FLAG: exercise stopped")
        case "paused": return pausedUntil.map { tr("paused until {time}", ["time": Clock.short($0, now: now)]) } ?? tr("paused")
        case "showing": return d.string("showing_title")
        case "scheduled":
            guard let at = nextAt else { return d.string("next_title") }
            return tr("{title} in {duration}", ["title": d.string("next_title"), "duration": Clock.left(at, now: now)])
        case "away": return tr("away")
        case "": return tr("off")
        default: return tr("idle")
        }
    }

    var tooltip: String { d.string("status_line") }

    /// Progress to the next sit break (0...100), when a program has one.
    var sitBreakProgress: Int? { d.values["sit_break_progress"].map { _ in Int(d.int("sit_break_progress")) } }

    /// The bar's class: counting (a reminder ahead), due (one on screen),
    /// paused, away, idle (nothing scheduled), red-flag; "off" without limberd.
    var barClass: String {
        if d.bool("red_flag") { return "red-flag" }
        switch state {
        case "scheduled": return "counting"
        case "showing": return "due"
        case "": return "off"
        default: return state
        }
    }

    var json: JSON {
        var next: JSON = .null
        if let at = nextAt {
            next = .object([
                ("rule", .string(d.string("next_rule"))), ("title", .string(d.string("next_title"))),
                ("at", .time(at)), ("time", .string(Clock.hhmm(at))),
                ("in_seconds", .int(max(0, Int64(at.timeIntervalSince(now).rounded(.up))))),
            ])
        }
        var showing: JSON = .null
        if d.int("showing_id") != 0 {
            showing = .object([
                ("id", .int(d.int("showing_id"))), ("title", .string(d.string("showing_title"))),
                ("rules", .strings(d.strings("showing_rules"))),
                ("since", .time(d.date("showing_since"))), ("expires", .time(d.date("showing_expires"))),
                ("snooze", .optional(d.string("snooze"))),
            ])
        }
        var fields: [(String, JSON)] = [
            ("schema", .int(1)),
            // waybar reads these two as Pango markup ("Stand & stretch"
            // broke the module): escaped. status_line and next.title are raw.
            ("text", .string(SafeText.pango(text))),
            ("tooltip", .string(SafeText.pango(tooltip))),
            ("class", .string(barClass)),
            ("alt", .string(state)),
            ("state", .string(state)),
        ]
        // waybar's {percentage} and format-icons; absent without a sit break.
        if let p = sitBreakProgress { fields.append(("percentage", .int(Int64(p)))) }
        return .object(fields + [
            ("status_line", .string(d.string("status_line"))),
            ("paused", .bool(d.bool("paused"))),
            ("paused_until", .time(pausedUntil)),
            ("next", next),
            ("showing", showing),
            ("done_today", .int(d.int("done_today"))),
            ("shown_today", .int(d.int("shown_today"))),
            ("programs", .strings(d.strings("programs"))),
            ("config_errors", .strings(d.strings("config_errors"))),
            ("red_flag", .bool(d.bool("red_flag"))),
            ("red_flags", .strings(d.strings("red_flags"))),
            ("red_flag_since", .time(d.date("red_flag_since"))),
            ("now", .time(now)),
            ("version", .string(d.string("version"))),
        ])
    }

    /// The JSON a status bar gets when limberd cannot be reached.
    static func offJSON(_ message: String) -> JSON {
        .object([
            ("schema", .int(1)), ("text", .string(SafeText.pango(tr("off")))), ("tooltip", .string(SafeText.pango(message))),
            ("class", .string("off")), ("alt", .string("off")), ("state", .string("off")),
        ])
    }

    var humanLines: [String] {
        var lines: [String] = []
        let stateWord: String = switch state {
        case "red-flag": Terminal.bold(Terminal.red(tr("RED FLAG")))
        case "paused": Terminal.yellow(tr("paused"))
        case "showing": Terminal.bold(Terminal.cyan(tr("showing")))
        case "scheduled": Terminal.green(tr("running"))
        case "away": tr("away")
        case "": tr("off")
        default: tr("idle")
        }
        lines.append("\(Terminal.bold("limberd")) \(stateWord): \(d.string("status_line"))")
        // Labels padded to the longest in the user's language.
        let labels = [tr("paused:"), tr("showing:"), tr("next:"), tr("today:"), tr("programs:"), tr("phase:")]
        let width = labels.map(\.count).max() ?? 0
        func row(_ label: String, _ value: String) -> String {
            "  " + label + String(repeating: " ", count: max(1, width - label.count + 1)) + value
        }
        if d.bool("red_flag") {
            let flags = d.strings("red_flags").joined(separator: ", ")
            let first = d.date("red_flag_since").map {
                tr("red flag: {flags} since {time}: exercise reminders are stopped.", ["flags": flags, "time": Clock.short($0, now: now)])
            } ?? tr("red flag: {flags}: exercise reminders are stopped.", ["flags": flags])
            lines.append(Terminal.red("  " + first))
            lines.append(Terminal.red("  " + tr("Get care now (see limberctl checkin's advice). When it has been seen to:")))
            lines.append(Terminal.red("  limberctl resume --red-flag-cleared"))  // l10n: not ui (a command)
        }
        if state == "paused" {
            lines.append(row(labels[0], pausedUntil.map { tr("until {time}", ["time": Clock.short($0, now: now)]) }
                             ?? tr("until limberctl resume")))
        }
        if d.int("showing_id") != 0 {
            let snooze = d.string("snooze")
            lines.append(row(labels[1], d.string("showing_title") + " ("
                             + tr("reminder {id}", ["id": String(d.int("showing_id"))]) + "; "
                             + (snooze.isEmpty ? tr("no more snoozes") : tr("snooze {duration}", ["duration": snooze])) + ")"))
        }
        if state == "paused", nextAt != nil {
            // Nothing comes while paused: no countdown that will not happen.
            lines.append(row(labels[2], tr("{title}, when the pause ends ({rule})", [
                "title": d.string("next_title"), "rule": d.string("next_rule")])))
        } else if let at = nextAt {
            lines.append(row(labels[2], tr("{title} at {time} (in {duration}; {rule})", [
                "title": d.string("next_title"), "time": Clock.short(at, now: now),
                "duration": Clock.left(at, now: now), "rule": d.string("next_rule")])))
        }
        lines.append(row(labels[3], d.int("shown_today") == 0 ? tr("no reminders yet")
                         : tr("{done} done of {shown} shown", ["done": String(d.int("done_today")), "shown": String(d.int("shown_today"))])))
        let programs = d.strings("programs")
        lines.append(row(labels[4], programs.isEmpty ? tr("none") : programs.joined(separator: ", ")))
        for phase in d.strings("phases") { lines.append(row(labels[5], phase)) }
        for e in d.strings("config_errors") {
            lines.append(Terminal.red("  " + tr("config error:") + " ") + e)
        }
        return lines
    }
}
