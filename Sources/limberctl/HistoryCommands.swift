import ArgumentParser
import Foundation
import LimberCore
import LimberHistory
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Opens the history read-only beside the daemon (export, report, the
/// forget prompt). The daemon stays the only writer.
func openHistory() throws(CLIError) -> HistoryStore {
    let path = HistoryStore.defaultPath()
    do {
        return try HistoryStore.openForReading(at: path)
    } catch {
        if case .notFound = error { throw CLIError(tr("no history yet ({path} does not exist)", ["path": path]), exit: .history) }
        throw CLIError(error.description, exit: .history)
    }
}

func parseDay(_ text: String) throws(CLIError) -> Day {
    guard let day = Day(text) else { throw CLIError(tr("'{text}' is not a date: write it as YYYY-MM-DD", ["text": text]), exit: .usage) }
    return day
}

struct CheckInCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: tr("Record how your pain is: 0 to 10, how far down the leg, red flags."),
        discussion: tr("Red flags: {flags}. Any of them means: seek urgent care.", ["flags": RedFlag.allCases.map(\.rawValue).joined(separator: ", ")]))

    @OptionGroup var output: JSONFlag
    // .unconditional: `--pain -1` is a value (then refused as out of range),
    // not a missing one followed by an option.
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(tr("Pain from 0 (none) to 10 (worst imaginable)."), valueName: "N"), completion: .list((0...10).map(String.init)))
    var pain: Int
    @Option(name: .long, help: ArgumentHelp(tr("How far down it reaches: {places}.", ["places": LegReach.allCases.map(\.rawValue).joined(separator: ", ")]), valueName: "WHERE"), completion: Complete.legReach)
    var reach: String?
    @Option(name: .customLong("red-flag"), help: ArgumentHelp(tr("A red flag you have (repeat for more)."), valueName: "FLAG"), completion: Complete.redFlags)
    var redFlags: [String] = []
    @Option(name: .long, help: ArgumentHelp(tr("A note in your words."), valueName: "TEXT"))
    var note: String = ""

    func validate() throws {
        guard (0...10).contains(pain) else { throw ValidationError(tr("--pain must be 0 to 10")) }
        if let reach, LegReach(rawValue: reach) == nil {
            throw ValidationError(tr("--reach must be one of {values}", ["values": LegReach.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        for f in redFlags where RedFlag(rawValue: f) == nil {
            throw ValidationError(tr("--red-flag must be one of {values}", ["values": RedFlag.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
    }

    func execute() throws(CLIError) {
        let r = try DaemonClient().dict(.checkIn, [.byte(UInt8(pain)), .string(reach ?? ""), .strings(redFlags), .string(note)])
        if output.json {
            Terminal.line(JSON.object([
                ("schema", .int(1)), ("id", r.int("id") >= 0 ? .int(r.int("id")) : .null), ("urgent", .bool(r.bool("urgent"))),
                ("advice", .strings(r.strings("advice"))), ("red_flags", .strings(r.strings("red_flags"))),
                ("red_flags_in_note", .strings(r.strings("red_flags_in_note"))),
                ("reach_change", .optional(r.string("reach_change"))), ("store_error", .optional(r.string("store_error"))),
            ]).text)
        } else {
            if r.int("id") >= 0 { Terminal.line(tr("check-in saved")) }
            for a in r.strings("advice") { Terminal.line(r.bool("urgent") && a == r.strings("advice").first ? Terminal.red(a) : a) }
        }
        let storeError = r.string("store_error")
        if !storeError.isEmpty { throw CLIError(tr("the check-in was not saved: {error}", ["error": storeError]), exit: .history) }
    }
}

struct StatsCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: tr("Adherence, streaks and a chart per day (default: the last 7 days)."))

    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: ArgumentHelp(tr("The last 7 days."))) var week = false
    @Flag(name: .long, help: ArgumentHelp(tr("The last 30 days."))) var month = false
    @Option(name: .long, help: ArgumentHelp(tr("From this day through today."), valueName: "YYYY-MM-DD"), completion: Complete.days) var since: String?

    func validate() throws {
        if [week, month, since != nil].filter({ $0 }).count > 1 { throw ValidationError(tr("give one of --week, --month, --since")) }
    }

    func execute() throws(CLIError) {
        let period = month ? "month" : since.map { $0 } ?? "week"
        if let since { _ = try parseDay(since) }
        let reply = try DaemonClient().call(.stats, [.string(period)])
        let json = reply.first?.stringValue ?? ""
        if output.json { Terminal.line(json); return }
        do {
            let stats = try HistoryJSON.decoder().decode(Stats.self, from: Data(json.utf8))
            FileHandle.standardOutput.write(Data(Terminal.clean(StatsText(color: Terminal.color).render(stats)).utf8))
        } catch {
            throw CLIError(tr("cannot read the stats limberd sent: {error}", ["error": "\(error)"]), exit: .refused)
        }
    }
}

struct ExportCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: tr("Export the history as CSV or JSON (to stdout, or --output FILE)."))

    @Flag(name: .long, help: ArgumentHelp(tr("CSV (RFC 4180), one row per outcome or check-in."))) var csv = false
    @Flag(name: .long, help: ArgumentHelp(tr("JSON (schema 1, docs/history.md)."))) var json = false
    @Option(name: .long, help: ArgumentHelp(tr("Only from this day on."), valueName: "YYYY-MM-DD"), completion: Complete.days) var since: String?
    @Option(name: [.short, .long], help: ArgumentHelp(tr("Write to this file (- or none: standard output)."), valueName: "FILE"), completion: Complete.anyFile) var output: String?

    func validate() throws {
        if csv == json { throw ValidationError(tr("give one of --csv or --json")) }
    }

    func execute() throws(CLIError) {
        let start = try since.map { (t) throws(CLIError) in try parseDay(t).start(in: .current) }
        let history = try openHistory()
        let data: Data
        do {
            let export = try history.export(since: start, now: Date(), timeZone: .current)
            data = csv ? Data(export.csv().utf8) : try export.json() + Data("\n".utf8)
        } catch {
            throw CLIError(tr("cannot export the history: {error}", ["error": "\(error)"]), exit: .history)
        }
        try write(data, to: output)
    }
}

/// Writes to FILE, or stdout without one or for "-".
func write(_ data: Data, to file: String?) throws(CLIError) {
    guard let file, file != "-" else { FileHandle.standardOutput.write(data); return }
    do { try data.write(to: URL(fileURLWithPath: file), options: .atomic) } catch {
        throw CLIError(tr("cannot write {file}: {error}", ["file": file, "error": error.localizedDescription]), exit: .refused)
    }
}

struct ReportCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: tr("Write a self-contained HTML report (charts, tables, pain trend)."))

    @Option(name: .long, help: ArgumentHelp(tr("The file to write; - for standard output."), valueName: "FILE"), completion: Complete.htmlFiles) var html: String
    @Flag(name: .long, help: ArgumentHelp(tr("The last 7 days (default: 30)."))) var week = false

    func execute() throws(CLIError) {
        let history = try openHistory()
        let page: String
        do { page = try history.htmlReport(period: week ? .week : .month, now: Date(), timeZone: .current) } catch {
            throw CLIError(tr("cannot make the report: {error}", ["error": "\(error)"]), exit: .history)
        }
        try write(Data(page.utf8), to: html)
        if html != "-" { Terminal.line(tr("wrote {file}", ["file": html])) }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: tr("Manage the stored history."), subcommands: [HistoryForget.self])
}

struct HistoryForget: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget", abstract: tr("Delete the whole history (outcomes, check-ins, activity), after asking."))

    @Flag(name: .long, help: ArgumentHelp(tr("Do not ask."))) var yes = false

    func execute() throws(CLIError) {
        if !yes {
            guard isatty(0) == 1 else {
                throw CLIError(tr("history forget deletes everything; not on a terminal, so it needs --yes"), exit: .usage)
            }
            var what = tr("the whole history")
            if let summary = try? openHistory().summary() {
                what = tr("{outcomes}, {checkins} and {days} of activity", [
                    "outcomes": trn("{n} outcome", "{n} outcomes", summary.outcomes, ["n": String(summary.outcomes)]),
                    "checkins": trn("{n} check-in", "{n} check-ins", summary.checkIns, ["n": String(summary.checkIns)]),
                    "days": trn("{n} day", "{n} days", summary.activityDays, ["n": String(summary.activityDays)]),
                ])
                if let first = summary.first, let last = summary.last {
                    what += " " + tr("({first} to {last})", ["first": Clock.short(first, now: Date()), "last": Clock.short(last, now: Date())])
                }
            }
            // The answer stays the word "yes" in every language (as a command's word does).
            FileHandle.standardOutput.write(Data(tr("Delete {what}? This cannot be undone. Type yes to confirm: ", ["what": what]).utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                Terminal.line(tr("nothing deleted"))
                throw CLIError("", exit: .refused)
            }
        }
        let r = try DaemonClient().dict(.forgetHistory)
        let o = Int(r.int("outcomes")), c = Int(r.int("check_ins")), d = Int(r.int("activity_days"))
        Terminal.line(tr("deleted {outcomes}, {checkins}, {days} of activity", [
            "outcomes": trn("{n} outcome", "{n} outcomes", o, ["n": String(o)]),
            "checkins": trn("{n} check-in", "{n} check-ins", c, ["n": String(c)]),
            "days": trn("{n} day", "{n} days", d, ["n": String(d)]),
        ]))
    }
}
