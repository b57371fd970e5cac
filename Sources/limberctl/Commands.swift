import ArgumentParser
import Foundation
import LimberConfig
import LimberCore
import LimberPlugins
import Systemd

/// A limberctl command: `execute` throws `CLIError` for a message and an
/// exit code; `run` turns that into both.
protocol ClientCommand: ParsableCommand {
    func execute() throws(CLIError)
}

extension ClientCommand {
    func run() throws {
        do {
            try execute()
        } catch {
            if !error.message.isEmpty { Terminal.error(error.message) }
            throw ExitCode(error.exit.rawValue)
        }
    }
}

struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(tr("Print JSON (the stable shape in limberctl(1) and docs/api.md).")))
    var json = false
}

// MARK: status, next

struct StatusCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: tr("Show what limberd is doing: the next reminder, the one showing, today's count."))

    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: ArgumentHelp(tr("Print only the short text for a status bar (tmux, polybar).")))
    var short = false

    func execute() throws(CLIError) {
        let view: StatusView
        do {
            view = StatusView(d: try DaemonClient().dict(.status))
        } catch where error.exit == .unreachable && (output.json || short) {
            // What watch --status prints while limberd is away: a status bar
            // gets its "off" object (or text), and the exit code still says 3.
            Terminal.line(output.json ? StatusView.offJSON(error.message).text : tr("off"))
            throw error
        }
        if output.json { Terminal.line(view.json.text) }
        else if short { Terminal.line(SafeText.terminal(view.text, layout: false)) }
        else { view.humanLines.forEach(Terminal.line) }
    }
}

struct NextCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: tr("List the reminders of the enabled programs with their next times."))

    @OptionGroup var output: JSONFlag

    func execute() throws(CLIError) {
        let client = try DaemonClient()
        let now = StatusView(d: try client.dict(.status)).now
        var rows = try client.dicts(.listReminders)
        rows.sort { a, b in
            switch (a.date("next_at"), b.date("next_at")) {
            case let (x?, y?): x < y
            case (_?, nil): true
            case (nil, _?): false
            default: a.string("rule") < b.string("rule")
            }
        }
        if output.json {
            Terminal.line(JSON.object([
                ("schema", .int(1)), ("now", .time(now)),
                ("reminders", .array(rows.map { r in
                    .object([
                        ("rule", .string(r.string("rule"))), ("program", .string(r.string("program"))),
                        ("title", .string(r.string("title"))), ("kind", .string(r.string("kind"))),
                        ("schedule", .string(r.string("schedule"))), ("active", .bool(r.bool("active"))),
                        ("showing", .bool(r.bool("showing"))),
                        ("next_at", .time(r.date("next_at"))), ("next_time", r.date("next_at").map { .string(Clock.hhmm($0)) } ?? .null),
                        ("snoozed_until", .time(r.date("snoozed_until"))), ("snooze_count", .int(r.int("snooze_count"))),
                        ("last_done", .time(r.date("last_done"))),
                    ])
                })),
            ]).text)
            return
        }
        if rows.isEmpty { Terminal.line(tr("no reminders: no program is enabled (limberctl programs)")); return }
        let width = rows.map { $0.string("rule").count }.max() ?? 0
        // The first column as wide as its longest entry in the user's language
        // (never cut: a German "in 1 Std. 5 Min." is longer than "in 1h5m").
        let whens: [(text: String, paint: (String) -> String)] = rows.map { r in
            if r.bool("showing") { return (tr("showing now"), Terminal.cyan) }
            // A rule of another phase has times, but none will be shown now.
            if !r.bool("active") { return (tr("not in this phase"), Terminal.dim) }
            if let at = r.date("next_at") {
                return (Clock.short(at, now: now) + "  " + tr("in {duration}", ["duration": Clock.left(at, now: now)]), { $0 })
            }
            return (tr("waiting"), Terminal.dim)
        }
        let whenWidth = max(18, whens.map(\.text.count).max() ?? 0)
        for (r, w) in zip(rows, whens) {
            let when = w.paint(w.text.padding(toLength: whenWidth, withPad: " ", startingAt: 0))
            let rule = r.string("rule").padding(toLength: width, withPad: " ", startingAt: 0)
            Terminal.line("\(when)  \(rule)  \(Terminal.bold(r.string("title")))  \(Terminal.dim(r.string("schedule")))")
        }
    }
}

// MARK: answers

/// A duration from the command line, checked before limberd is asked (so a
/// bad one exits 2 whether limberd runs or not; limberd checks the range).
func checkDuration(_ text: String?) throws(CLIError) {
    guard let text else { return }
    guard let d = DurationText.parse(text), d > .zero else {
        throw CLIError(tr("'{text}' is not a duration: write it like 10m, 1h30m or 90s", ["text": text]), exit: .usage)
    }
}

/// A time of day (HH:MM) from the command line, checked before limberd is asked.
func checkTimeOfDay(_ text: String?) throws(CLIError) {
    guard let text else { return }
    guard let t = TimeOfDay(text), t.hour < 24 else {
        throw CLIError(tr("'{text}' is not a time of day: write it as HH:MM, like 14:30", ["text": text]), exit: .usage)
    }
}

/// A reminder id from the command line (nil: the one showing).
func reminderID(_ text: String?) throws(CLIError) -> UInt64 {
    guard let text else { return 0 }
    guard let id = UInt64(text), id > 0 else {
        throw CLIError(tr("'{text}' is not a reminder id (a number, as limberctl status shows)", ["text": text]), exit: .usage)
    }
    return id
}

struct DoneCommand: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: tr("Answer the reminder showing: done."))
    @Argument(help: ArgumentHelp(tr("The reminder's id (default: the one showing)."), valueName: "REMINDER"), completion: Complete.reminderIDs)
    var reminder: String?

    func execute() throws(CLIError) {
        let id = try reminderID(reminder)
        _ = try DaemonClient().call(.done, [.uint64(id)])
    }
}

struct SkipCommand: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "skip", abstract: tr("Answer the reminder showing: skip it."))
    @Argument(help: ArgumentHelp(tr("The reminder's id (default: the one showing)."), valueName: "REMINDER"), completion: Complete.reminderIDs)
    var reminder: String?

    func execute() throws(CLIError) {
        let id = try reminderID(reminder)
        _ = try DaemonClient().call(.skip, [.uint64(id)])
    }
}

struct SnoozeCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: tr("Snooze the reminder showing (for its own snooze length, or DURATION)."))
    @Argument(help: ArgumentHelp(tr("How long, like 10m or 1h30m (default: the reminder's snooze)."), valueName: "DURATION"), completion: Complete.snoozeLengths)
    var duration: String?
    @Option(name: .long, help: ArgumentHelp(tr("The reminder's id (default: the one showing)."), valueName: "REMINDER"), completion: Complete.reminderIDs)
    var reminder: String?

    func execute() throws(CLIError) {
        try checkDuration(duration)
        let id = try reminderID(reminder)
        let reply = try DaemonClient().call(.snooze, [.uint64(id), .string(duration ?? "")])
        if case .uint64(let seconds)? = reply.first, seconds > 0 {
            let until = Date(timeIntervalSince1970: TimeInterval(seconds)), now = Date()
            // Past the rule's hours, limberd brings it back at the next time
            // it may come: say so rather than print a surprising time.
            let later = duration.flatMap(DurationText.parse).map { until.timeIntervalSince(now) > $0.seconds + 60 } ?? false
            Terminal.line(later ? tr("snoozed until {time}, the next time it may come", ["time": Clock.short(until, now: now)])
                                : tr("snoozed until {time}", ["time": Clock.short(until, now: now)]))
        }
    }
}

struct TriggerCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger", abstract: tr("Show a reminder now, whatever its schedule."))
    @Argument(help: ArgumentHelp(tr("The reminder rule, program/rule (limberctl next lists them)."), valueName: "REMINDER"), completion: Complete.rules)
    var rule: String

    func execute() throws(CLIError) {
        let reply = try DaemonClient().call(.triggerNow, [.string(rule)])
        if case .uint64(let id)? = reply.first, id > 0 { Terminal.line(tr("showing reminder {id}", ["id": String(id)])) }
    }
}

struct BreakCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "break", abstract: tr("Take a break now: show the next reminder due at once."))

    func execute() throws(CLIError) {
        let reply = try DaemonClient().call(.breakNow)
        if case .uint64(let id)? = reply.first, id > 0 { Terminal.line(tr("showing reminder {id}", ["id": String(id)])) }
    }
}

struct MovedCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "moved",
        abstract: tr("Say you just took a break: sit breaks start counting again."),
        discussion: tr("For a walk limberd could not see (no idle source, or the screen stayed on). The history records it as a break done."))

    func execute() throws(CLIError) {
        _ = try DaemonClient().call(.moved)
        Terminal.line(tr("sit breaks start again from now"))
    }
}

// MARK: pause, resume

struct PauseCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: tr("Pause reminders: for DURATION, until a time, or until resumed."))
    @Argument(help: ArgumentHelp(tr("How long, like 30m or 2h (at most 7d)."), valueName: "DURATION"), completion: Complete.pauseLengths)
    var duration: String?
    @Option(name: .long, help: ArgumentHelp(tr("Pause until this time of day."), valueName: "HH:MM"), completion: Complete.times)
    var until: String?

    func validate() throws {
        if duration != nil && until != nil { throw ValidationError(tr("give a DURATION or --until HH:MM, not both")) }
    }

    func execute() throws(CLIError) {
        try checkDuration(duration)
        try checkTimeOfDay(until)
        let client = try DaemonClient()
        let reply = if let until { try client.call(.pauseUntil, [.string(until)]) } else { try client.call(.pause, [.string(duration ?? "")]) }
        if case .uint64(let t)? = reply.first, t > 0 {
            Terminal.line(tr("paused until {time}", ["time": Clock.short(Date(timeIntervalSince1970: TimeInterval(t)), now: Date())]))
        } else {
            Terminal.line(tr("paused until limberctl resume"))
        }
    }
}

struct ResumeCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: tr("Resume reminders after a pause (or, with --red-flag-cleared, after a red flag)."),
        discussion: tr("After a red flag, exercise reminders stay stopped until you say it has been seen to: limberctl resume --red-flag-cleared."))
    @Flag(name: .customLong("red-flag-cleared"), help: ArgumentHelp(tr("The red flag you reported has been seen to: exercise reminders come back.")))
    var redFlagCleared = false

    func execute() throws(CLIError) {
        let client = try DaemonClient()
        if redFlagCleared {
            let reply = try client.call(.clearRedFlag)
            Terminal.line(reply.first == .bool(true) ? tr("red flag cleared: exercise reminders resume") : tr("no red flag was holding reminders"))
            return
        }
        _ = try client.call(.resume)
        if StatusView(d: try client.dict(.status)).state == "red-flag" {
            Terminal.line(Terminal.red(tr("exercise reminders stay stopped after the red flag you reported; when it has been seen to: limberctl resume --red-flag-cleared")))
        }
    }
}

// MARK: reload, check

struct ReloadCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: tr("Reload programs and settings; waits until done."),
        discussion: tr("On errors limberd keeps its running configuration, this prints them (file:line:column: message) and exits with 4. The unit's ExecReload= runs this."))

    func execute() throws(CLIError) {
        do {
            _ = try DaemonClient().call(.reload, timeout: .seconds(90))
            Terminal.line(tr("reloaded"))
        } catch where error.exit == .configInvalid {
            // The first line says what happened; the rest are file:line:column lines.
            let lines = error.message.split(separator: "\n", omittingEmptySubsequences: false)
            Terminal.error(String(lines.first ?? ""))
            for l in lines.dropFirst() { Terminal.toStderr(l + "\n") }
            throw CLIError(tr("reload rejected"), exit: .configInvalid).silenced
        }
    }
}

extension CLIError {
    /// Exits with the code but prints nothing more (already said).
    var silenced: CLIError { CLIError("", exit: exit) }
}

struct CheckCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: tr("Check programs and settings (as limberd --check does), without the daemon."),
        discussion: tr("With no PATH, everything on the search path. Exits with 4 when there are errors."))

    @OptionGroup var output: JSONFlag
    @Argument(help: ArgumentHelp(tr("Program files, limber.toml files or directories."), valueName: "PATH"), completion: Complete.configFiles)
    var paths: [String] = []

    func execute() throws(CLIError) {
        let report = ConfigCheck.run(paths: paths, builtinSchemas: PluginRegistry.builtinSchemas)
        if output.json {
            Terminal.line(JSON.object([
                ("schema", .int(1)), ("ok", .bool(!report.hasErrors)),
                ("diagnostics", .array(report.diagnostics.map { d in
                    .object([("file", .string(d.file)), ("line", .int(Int64(d.line))), ("column", .int(Int64(d.column))),
                             ("severity", .string(d.severity.rawValue)), ("message", .string(d.message))])
                })),
                ("programs", .strings(report.lines)),
                ("files", .strings(report.files)),
            ]).text)
        } else {
            for d in report.diagnostics {
                let text = d.description
                Terminal.toStderr((d.isError ? Terminal.red(text) : Terminal.yellow(text)) + "\n")
            }
            report.lines.forEach(Terminal.line)
        }
        if report.hasErrors { throw CLIError("", exit: .configInvalid) }
    }
}

// MARK: programs

struct ProgramsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programs", abstract: tr("List, show, enable and disable programs; see and move their phases."),
        subcommands: [ProgramsList.self, ProgramsShow.self, ProgramsEnable.self, ProgramsDisable.self,
                      ProgramsPhase.self, ProgramsStart.self],
        defaultSubcommand: ProgramsList.self)
}

struct ProgramsList: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: tr("List the installed programs."))
    @OptionGroup var output: JSONFlag

    func execute() throws(CLIError) {
        let rows = try DaemonClient().dicts(.listPrograms)
        if output.json {
            Terminal.line(JSON.object([("schema", .int(1)), ("programs", .array(rows.map { r in
                .object([
                    ("id", .string(r.string("id"))), ("name", .string(r.string("name"))),
                    ("summary", .string(r.string("summary"))), ("version", .string(r.string("version"))),
                    ("enabled", .bool(r.bool("enabled"))), ("file", .string(r.string("file"))),
                    ("reminders", .int(r.int("reminders"))), ("exercises", .int(r.int("exercises"))),
                    ("error", .optional(r.string("error"))),
                ])
            }))]).text)
            return
        }
        if rows.isEmpty { Terminal.line(tr("no programs installed")); return }
        let width = rows.map { $0.string("id").count }.max() ?? 0
        for r in rows {
            let mark = r.bool("enabled") ? Terminal.green("●") : Terminal.dim("○")
            let id = r.string("id").padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "\(mark) \(Terminal.bold(id))  \(r.string("name"))"
            if r.string("error").isEmpty {
                line += Terminal.dim("  (" + trn("{n} reminder", "{n} reminders", Int(r.int("reminders")), ["n": String(r.int("reminders"))])
                                     + ", " + trn("{n} exercise", "{n} exercises", Int(r.int("exercises")), ["n": String(r.int("exercises"))]) + ")")
            } else {
                line += "  " + Terminal.red(tr("has errors:") + " ") + r.string("error")
            }
            Terminal.line(line)
        }
    }
}

struct ProgramsShow: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: tr("Show one program: its reminders, exercises and phases."))
    @OptionGroup var output: JSONFlag
    @Argument(help: ArgumentHelp(tr("The program's id."), valueName: "ID"), completion: Complete.programs) var id: String

    func execute() throws(CLIError) {
        let p = try DaemonClient().dict(.describeProgram, [.string(id)])
        let phases = p.structs("phases").map { s in (s[0].stringValue ?? "", s[1].stringValue ?? "", s[2].int64Value ?? 0) }
        let exercises = p.structs("exercises").map { s in (s[0].stringValue ?? "", s[1].stringValue ?? "", s[2].stringValue ?? "") }
        let reminders = p.structs("reminders").map { s in (s[0].stringValue ?? "", s[1].stringValue ?? "", s[2].stringValue ?? "") }
        if output.json {
            let localProgram = installedPrograms().first { $0.id == p.string("id") }
            Terminal.line(JSON.object([
                ("schema", .int(1)),
                ("id", .string(p.string("id"))), ("name", .string(p.string("name"))), ("summary", .string(p.string("summary"))),
                ("version", .string(p.string("version"))), ("enabled", .bool(p.bool("enabled"))), ("file", .string(p.string("file"))),
                ("disclaimer", .string(p.string("disclaimer"))), ("sources", .strings(p.strings("sources"))),
                ("red_flags", .strings(p.strings("red_flags"))), ("current_phase", .optional(p.string("current_phase"))),
                ("phases", .array(phases.map { .object([("id", .string($0.0)), ("name", .string($0.1)), ("days", $0.2 > 0 ? .int($0.2) : .null)]) })),
                ("reminders", .array(reminders.map { .object([("rule", .string($0.0)), ("title", .string($0.1)), ("schedule", .string($0.2))]) })),
                ("exercises", .array(exercises.map { e in
                    let x = localProgram?.exercise(e.0)
                    return .object([("id", .string(e.0)), ("name", .string(e.1)), ("dose", .string(e.2)),
                                    ("cue", .string(x?.cue ?? "")), ("steps", .strings(x?.steps ?? [])),
                                    ("cautions", .strings(x?.cautions ?? [])), ("stop_if", .strings(x?.stopIf ?? []))])
                })),
            ]).text)
            return
        }
        Terminal.line("\(Terminal.bold(p.string("name"))) (\(p.string("id")), v\(p.string("version")))" + (p.bool("enabled") ? Terminal.green(" " + tr("enabled")) : Terminal.dim(" " + tr("not enabled"))))
        if !p.string("summary").isEmpty { Terminal.line(p.string("summary")) }
        Terminal.line(Terminal.dim(p.string("file")))
        if !phases.isEmpty {
            Terminal.line("\n" + Terminal.bold(tr("Phases")) + (p.string("current_phase").isEmpty ? "" : " (" + tr("now: {phase}", ["phase": p.string("current_phase")]) + ")"))
            for ph in phases { Terminal.line("  \(ph.0)  \(ph.1)" + (ph.2 > 0 ? " (" + trn("{n} day", "{n} days", Int(ph.2), ["n": String(ph.2)]) + ")" : "")) }
        }
        Terminal.line("\n" + Terminal.bold(tr("Reminders")))
        for r in reminders { Terminal.line("  \(r.0)  \(r.1): \(r.2)") }
        Terminal.line("\n" + Terminal.bold(tr("Exercises")))
        // How to do each: steps, cue and cautions, from the program's files.
        let local = installedPrograms().first { $0.id == p.string("id") }
        for e in exercises {
            Terminal.line("  \(Terminal.bold(e.1))" + (e.2.isEmpty ? "" : " — \(e.2)") + Terminal.dim("  (\(e.0))"))
            guard let x = local?.exercise(e.0) else { continue }
            if !x.cue.isEmpty { Terminal.line("    " + Terminal.cyan(x.cue)) }
            for (n, step) in x.steps.enumerated() { Terminal.line("    \(n + 1). \(step)") }
            for c in x.cautions { Terminal.line("    " + Terminal.yellow("! ") + c) }
            for s in ReminderText.stopLines(x) { Terminal.line("    " + Terminal.red(s)) }
        }
        if local != nil { Terminal.line(Terminal.dim("  " + tr("pictures and phases: limberctl guide {program}", ["program": p.string("id")]))) }
        let flags = p.strings("red_flags")
        if !flags.isEmpty {
            Terminal.line("\n" + Terminal.red(tr("Stop and seek care if:")))
            for f in flags { Terminal.line("  • \(f)") }
        }
        if !p.string("disclaimer").isEmpty { Terminal.line("\n" + Terminal.dim(p.string("disclaimer"))) }
    }
}

struct ProgramsEnable: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: tr("Enable a program (written to limber.toml.d/50-limberctl.toml, then reloaded)."))
    @Argument(help: ArgumentHelp(tr("The program's id."), valueName: "ID"), completion: Complete.programs) var id: String

    func execute() throws(CLIError) {
        let reply = try DaemonClient().call(.enableProgram, [.string(id)])
        Terminal.line(tr("enabled programs: {list}", ["list": (reply.first?.stringArrayValue ?? []).joined(separator: ", ")]))
    }
}

struct ProgramsDisable: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: tr("Disable a program (written to limber.toml.d/50-limberctl.toml, then reloaded)."))
    @Argument(help: ArgumentHelp(tr("The program's id."), valueName: "ID"), completion: Complete.programs) var id: String

    func execute() throws(CLIError) {
        let reply = try DaemonClient().call(.disableProgram, [.string(id)])
        let list = reply.first?.stringArrayValue ?? []
        Terminal.line(tr("enabled programs: {list}", ["list": list.isEmpty ? tr("none") : list.joined(separator: ", ")]))
    }
}

// MARK: plugins

struct PluginsCommand: ClientCommand {
    static let configuration = CommandConfiguration(commandName: "plugins", abstract: tr("List limberd's plugins and their state."))
    @OptionGroup var output: JSONFlag

    func execute() throws(CLIError) {
        let rows = try DaemonClient().dicts(.describePlugins)
        let idleSource = rows.first { $0.strings("roles").contains("idle-source") }?.string("id")
        if output.json {
            Terminal.line(JSON.object([("schema", .int(1)), ("idle_source", idleSource.map { .string($0) } ?? .null),
                                       ("plugins", .array(rows.map { r in
                .object([("id", .string(r.string("id"))), ("state", .string(r.string("state"))),
                         ("kind", .string(r.string("kind"))), ("roles", .strings(r.strings("roles"))),
                         ("detail", .string(r.string("detail")))])
            }))]).text)
            return
        }
        if rows.isEmpty { Terminal.line(tr("no plugins")); return }
        for r in rows {
            let (id, stateID, detail) = (r.string("id"), r.string("state"), r.string("detail"))
            let word = Self.stateWords[stateID].map { tr($0) } ?? stateID
            let state = stateID == "failed" ? Terminal.red(word) : stateID == "running" ? Terminal.green(word) : Terminal.dim(word)
            let kind = Self.kindWords[r.string("kind")].map { tr($0) } ?? r.string("kind")
            var line = "\(Terminal.bold(id))  \(state)  \(Terminal.dim(kind))"
            if r.strings("roles").contains("idle-source") { line += "  " + tr("(idle source)") }
            Terminal.line(line + (detail.isEmpty ? "" : "  \(detail)"))
        }
        if let idleSource {
            Terminal.line(tr("idle source: {source}", ["source": idleSource]))
        } else {
            Terminal.line(Terminal.yellow(tr("idle source: none: active time is unknown"))
                          + " (" + tr("sit breaks follow the clock; docs/plugins.md says what your desktop needs") + ")")
        }
    }

    /// A plugin's state and kind as the reply names them, in words.
    static let stateWords = [
        "running": trMark("running"), "starting": trMark("starting"), "failed": trMark("failed"),
        "disabled": trMark("disabled"), "absent": trMark("absent"), "skipped": trMark("skipped"),
    ]
    static let kindWords = ["built-in": trMark("built-in"), "exec": trMark("exec")]
}
