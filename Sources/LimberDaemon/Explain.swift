import Foundation
import LimberCore
import LimberConfig
import Systemd

public enum LimberVersion {
    public static let string = "0.1.0"
}

/// `limberd --explain PROGRAM`: each reminder rule in words and its next
/// times today.
public enum Explain {
    public static func run(programID: String, loader: ConfigLoader = ConfigLoader(), timeZone: TimeZone = .current,
                           now: Date = Date()) throws {
        print(try text(programID: programID, loader: loader, timeZone: timeZone, now: now), terminator: "")
    }

    public static func text(programID: String, loader: ConfigLoader, timeZone: TimeZone, now: Date) throws -> String {
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
        let s = settings.settings.settings
        let moment = Moment(wall: now, uptime: Clocks.now().boottime)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        func hm(_ d: Date) -> String {
            let c = cal.dateComponents([.hour, .minute], from: d)
            return localTime(hour: c.hour ?? 0, minute: c.minute ?? 0)
        }
        var out = tr("{name} ({id}, version {version})", ["name": program.name, "id": program.id, "version": program.version]) + "\n"
        if !program.summary.isEmpty { out += wrap(program.summary, indent: "  ") }
        out += "  " + tr("from {file}", ["file": file]) + "\n"
        if !program.phases.isEmpty {
            let current = program.phase(daysSinceStart: 0)
            var names: [String] = []
            for p in program.phases {
                var name = p.name
                if let d = p.days { name += " (" + trn("{n} day", "{n} days", d, ["n": String(d)]) + ")" }
                if p.id == current?.id { name += " ← " + tr("first") }
                names.append(name)
            }
            out += "  " + tr("phases: {list}", ["list": names.joined(separator: ", ")]) + "\n"
        }
        out += "\n" + tr("Reminders (working hours {hours}, {days}):", ["hours": s.workingHours.localized, "days": Weekday.localizedList(s.activeDays)]) + "\n"
        for f in Forecast.explain(program, settings: s, timeZone: timeZone, now: moment) {
            out += "  \(f.title) [\(f.rule.rule)]\n"
            out += wrap(f.words, indent: "    ")
            if !f.activeNow {
                out += "    " + tr("not in the current phase") + "\n"
            } else if f.times.isEmpty {
                out += "    " + tr("today: no more times") + "\n"
            } else {
                out += "    " + tr("today: {times}", ["times": f.times.map(hm).joined(separator: ", ")]) + "\n"
            }
        }
        if !program.redFlags.isEmpty {
            out += "\n" + tr("Seek urgent care if:") + "\n" + program.redFlags.map { "  • \($0)\n" }.joined()
        }
        if !program.disclaimer.isEmpty { out += "\n" + wrap(program.disclaimer, indent: "") }
        return out
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
