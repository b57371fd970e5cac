import Foundation
import LimberCore

/// `limberd --explain PROGRAM [--date YYYY-MM-DD] [--phase PHASE]`: the
/// phase in force that day (from the start date in the state, or the named
/// phase) and why, each reminder in words with that day's times, the quiet
/// hours and days off that apply, and the file and line each value came from.
public enum Explain {
    /// Prints the explanation. `state` is limber's saved state (the start
    /// dates and phase marks), `uptime` the boot clock now (limberd reads both).
    public static func run(programID: String, date: Date? = nil, phase: String? = nil, state: EngineState?,
                           uptime: Duration, loader: ConfigLoader = ConfigLoader(),
                           timeZone: TimeZone = .current, now: Date = Date()) throws {
        print(SafeText.terminal(try text(programID: programID, loader: loader, timeZone: timeZone, now: now, uptime: uptime,
                                         date: date, phase: phase, state: state)), terminator: "")
    }

    public static func text(programID: String, loader: ConfigLoader, timeZone: TimeZone, now: Date,
                            uptime: Duration, date: Date? = nil, phase phaseID: String? = nil, state: EngineState? = nil) throws -> String {
        guard let file = loader.programFile(id: programID) else {
            let known = loader.availablePrograms().map(\.id).joined(separator: ", ")
            throw ExplainError(tr("no program '{id}' on the search path (known: {known})",
                                  ["id": programID, "known": known.isEmpty ? tr("none") : known]))
        }
        var diagnostics: [Diagnostic] = []
        let settings = loader.loadSettings()
        diagnostics += settings.diagnostics
        let loaded = loader.loadProgram(file: file, id: programID, dropIns: loader.dropIns(for: "programs/\(programID).toml"),
                                        settings: settings.settings.settings)
        diagnostics += loaded.diagnostics
        guard let program = loaded.program, !diagnostics.contains(where: \.isError) else {
            throw ExplainError(diagnostics.filter(\.isError).map(\.description).joined(separator: "\n"))
        }
        if let phaseID, program.phaseIndex(phaseID) == nil {
            let ids = program.phases.map(\.id)
            var m = tr("program '{program}' has no phase '{phase}'", ["program": programID, "phase": phaseID])
            if let g = ids.min(by: { distance($0, phaseID) < distance($1, phaseID) }), distance(g, phaseID) <= 3 {
                m += "; " + tr("did you mean '{id}'?", ["id": g])
            }
            throw ExplainError(m + " (" + (ids.isEmpty ? tr("it has no phases") : tr("phases: {list}", ["list": ids.joined(separator: ", ")])) + ")")
        }
        let s = settings.settings.settings
        let calendar = LocalCalendar(timeZone: timeZone)
        let today = calendar.startOfDay(now)
        let day = date.map { calendar.startOfDay($0) } ?? today
        // The moment to replay from: now for today, the day's start otherwise.
        let from = day == today ? now : day
        let moment = Moment(wall: from, uptime: uptime)
        func hm(_ d: Date) -> String {
            let m = calendar.minuteOfDay(d)
            return localTime(hour: m / 60, minute: m % 60)
        }
        let merged = loader.mergedProgram(id: programID)
        let settingsTable = loader.mergedSettings().table
        func origin(_ v: ConfigValue?) -> String {
            guard let v else { return "default" }
            return "\((v.location.file as NSString).lastPathComponent):\(v.location.line)"
        }

        var out = tr("{name} ({id}, version {version})", ["name": program.name, "id": program.id, "version": program.version]) + "\n"
        if !program.summary.isEmpty { out += wrap(program.summary, indent: "  ") }
        out += "  " + tr("from {file}", ["file": file]) + "\n"
        for extra in (merged?.files ?? []).dropFirst() { out += "  " + tr("drop-in {file}", ["file": extra]) + "\n" }

        // The phase in force that day, and why.
        let started = state?.programStarted[program.id] ?? today
        let startedWhy = state?.programStarted[program.id] != nil
            ? tr("started {date}, the start date in limber's state", ["date": calendar.dayKey(started)])
            : tr("not started yet: counted from today, {date}", ["date": calendar.dayKey(started)])
        var mark = state?.phaseMarks?[program.id]
        if let phaseID { mark = PhaseMark(phase: phaseID, since: day, reason: "--phase \(phaseID)") }
        let weekday = calendar.weekday(day).localizedName
        out += "\n\(weekday) \(calendar.dayKey(day))"
        var status: PhaseStatus?
        if !program.phases.isEmpty {
            status = program.phaseStatus(started: started, mark: mark, on: day, calendar: calendar)
            if let st = status {
                let why = st.reason.hasPrefix("the program started") ? startedWhy : st.reason + "; " + startedWhy  // l10n: not ui (compares the core's reason)
                out += ": \(st.line) (\(why))\n"
                if !st.phase.summary.isEmpty { out += wrap(st.phase.summary, indent: "  ") }
                if let w = st.waiting { out += "  \(w)\n" }
            }
            var names: [String] = []
            for p in program.phases {
                var name = p.name
                if let d = p.days { name += " (\(d) days" + (p.advance == .days ? ")" : ", then \(advanceWords(p.advance)))") }
                if p.id == status?.phase.id { name += " ← " + tr("this day") }
                names.append(name)
            }
            out += "  " + tr("phases: {list}", ["list": names.joined(separator: ", ")]) + "\n"
        } else {
            out += "\n"
        }

        // The settings that apply that day.
        let active = s.activeDays.contains(calendar.weekday(day))
        out += "\n" + tr("Settings: working hours {hours} ({from}), active days {days} ({daysFrom}), quiet hours {quiet} ({quietFrom})",
                         ["hours": s.workingHours.localized, "from": origin(settingsTable["working_hours"]),
                          "days": Weekday.localizedList(s.activeDays), "daysFrom": origin(settingsTable["active_days"]),
                          "quiet": s.quietHours.isEmpty ? tr("none") : s.quietHours.map(\.localized).joined(separator: ", "),
                          "quietFrom": origin(settingsTable["quiet_hours"])]) + "\n"
        if !active { out += "  " + tr("{day} is a day off: only fixed-time reminders run.", ["day": weekday]) + "\n" }

        out += "\n" + tr("Reminders (working hours {hours}, {days}):",
                         ["hours": s.workingHours.localized, "days": Weekday.localizedList(s.activeDays)]) + "\n"
        let end = calendar.startOfDay(day, addingDays: 1)
        let forecasts = Forecast.explain(program, settings: s, timeZone: timeZone, now: moment, programStarted: started,
                                         phaseMark: mark, until: end)
        let rules = merged?.table["reminders"]?.table
        for (rule, f) in zip(program.reminders, forecasts) {
            let shown = program.cadence(of: rule, inPhase: status?.phase.id)
            var r = rule
            r.cadence = shown
            out += "  \(f.title) [\(rule.id)]\n"
            out += wrap(Forecast.words(r, settings: s), indent: "    ")
            if let table = rules?[rule.id]?.table {
                var byFile: [String: [String]] = [:]
                var order: [String] = []
                for (key, v) in table.entriesInOrder {
                    let o = (v.location.file as NSString).lastPathComponent
                    if byFile[o] == nil { order.append(o) }
                    let line = v.table == nil ? "\(key) (line \(v.location.line))" : key + " (" + (v.table?.entriesInOrder.map {
                        "\($0.key) \((($0.value.location.file as NSString).lastPathComponent)):\($0.value.location.line)"
                    }.joined(separator: ", ") ?? "") + ")"
                    byFile[o, default: []].append(line)
                }
                out += "    " + tr("from") + " " + order.map { "\($0): " + byFile[$0]!.joined(separator: ", ") }.joined(separator: "; ") + "\n"
            }
            let runs = rule.phases.isEmpty || status.map { rule.phases.contains($0.phase.id) } ?? true
            if !runs {
                out += "    " + tr("not in phase {phase}", ["phase": status?.phase.name ?? ""]) + "\n"
            } else {
                let times = f.times.filter { $0 >= day && $0 < end }.map(hm).joined(separator: ", ")
                switch (day == today, times.isEmpty) {
                case (true, true): out += "    " + tr("today: no more times") + "\n"
                case (true, false): out += "    " + tr("today: {times}", ["times": times]) + "\n"
                case (false, true): out += "    " + tr("that day: no times") + "\n"
                case (false, false): out += "    " + tr("that day: {times}", ["times": times]) + "\n"
                }
            }
        }
        if !program.redFlags.isEmpty {
            out += "\n" + tr("Seek urgent care if:") + "\n" + program.redFlags.map { "  • \($0)\n" }.joined()
        }
        if !program.disclaimer.isEmpty { out += "\n" + wrap(program.disclaimer, indent: "") }
        return out
    }

    static func advanceWords(_ a: PhaseAdvance) -> String {
        switch a {
        case .days: tr("after its days")
        case .confirm(let q, _): tr("once you answer Yes to \"{question}\"", ["question": q])
        case .checkIns(let rule): tr("once check-ins show {rule}", ["rule": rule.words])
        }
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var prev = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }

    static func wrap(_ text: String, indent: String, width: Int = 78) -> String {
        var out = ""
        var line = indent
        for word in text.split(whereSeparator: \.isWhitespace) {
            if line.count + word.count + 1 > width, line != indent {
                out += line + "\n"
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        if line != indent { out += line + "\n" }
        return out
    }
}

public struct ExplainError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
