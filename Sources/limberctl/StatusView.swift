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
        case "red-flag": return "RED FLAG: exercise stopped"
        case "paused": return pausedUntil.map { "paused until " + Clock.short($0, now: now) } ?? "paused"
        case "showing": return d.string("showing_title")
        case "scheduled":
            guard let at = nextAt else { return d.string("next_title") }
            return d.string("next_title") + " in " + Clock.left(at, now: now)
        case "away": return "away"
        case "": return "off"
        default: return "idle"
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
            ("schema", .int(1)), ("text", .string("off")), ("tooltip", .string(SafeText.pango(message))),
            ("class", .string("off")), ("alt", .string("off")), ("state", .string("off")),
        ])
    }

    var humanLines: [String] {
        var lines: [String] = []
        let stateWord: String = switch state {
        case "red-flag": Terminal.bold(Terminal.red("RED FLAG"))
        case "paused": Terminal.yellow("paused")
        case "showing": Terminal.bold(Terminal.cyan("showing"))
        case "scheduled": Terminal.green("running")
        default: state
        }
        lines.append("\(Terminal.bold("limberd")) \(stateWord): \(d.string("status_line"))")
        if d.bool("red_flag") {
            let since = d.date("red_flag_since").map { " since " + Clock.short($0, now: now) } ?? ""
            lines.append(Terminal.red("  red flag: \(d.strings("red_flags").joined(separator: ", "))\(since): exercise reminders are stopped."))
            lines.append(Terminal.red("            Get care now (see limberctl checkin's advice). When it has been seen to:"))
            lines.append(Terminal.red("            limberctl resume --red-flag-cleared"))
        }
        if state == "paused" {
            lines.append("  paused:   " + (pausedUntil.map { "until " + Clock.short($0, now: now) } ?? "until limberctl resume"))
        }
        if d.int("showing_id") != 0 {
            var s = "  showing:  \(d.string("showing_title")) (reminder \(d.int("showing_id"))"
            let snooze = d.string("snooze")
            s += snooze.isEmpty ? "; no more snoozes)" : "; snooze \(snooze))"
            lines.append(s)
        }
        if let at = nextAt {
            lines.append("  next:     \(d.string("next_title")) at \(Clock.short(at, now: now)) (in \(Clock.left(at, now: now)); \(d.string("next_rule")))")
        }
        lines.append("  today:    \(d.int("done_today")) done of \(d.int("shown_today")) shown")
        let programs = d.strings("programs")
        lines.append("  programs: " + (programs.isEmpty ? "none" : programs.joined(separator: ", ")))
        for e in d.strings("config_errors") {
            lines.append(Terminal.red("  config error: ") + e)
        }
        return lines
    }
}
