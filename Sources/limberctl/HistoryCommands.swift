import ArgumentParser
import Foundation
import LimberCore
import LimberDaemon
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
        if case .notFound = error { throw CLIError("no history yet (\(path) does not exist)", exit: .history) }
        throw CLIError(error.description, exit: .history)
    }
}

func parseDay(_ text: String) throws(CLIError) -> Day {
    guard let day = Day(text) else { throw CLIError("'\(text)' is not a date: write it as YYYY-MM-DD", exit: .usage) }
    return day
}

struct CheckInCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: "Record how your pain is: 0 to 10, how far down the leg, red flags.",
        discussion: "Red flags: \(RedFlag.allCases.map(\.rawValue).joined(separator: ", ")). Any of them means: seek urgent care.")

    @OptionGroup var output: JSONFlag
    // .unconditional: `--pain -1` is a value (then refused as out of range),
    // not a missing one followed by an option.
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Pain from 0 (none) to 10 (worst imaginable).", valueName: "N"), completion: .list((0...10).map(String.init)))
    var pain: Int
    @Option(name: .long, help: ArgumentHelp("How far down it reaches: \(LegReach.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "WHERE"), completion: Complete.legReach)
    var reach: String?
    @Option(name: .customLong("red-flag"), help: ArgumentHelp("A red flag you have (repeat for more).", valueName: "FLAG"), completion: Complete.redFlags)
    var redFlags: [String] = []
    @Option(name: .long, help: ArgumentHelp("A note in your words.", valueName: "TEXT"))
    var note: String = ""

    func validate() throws {
        guard (0...10).contains(pain) else { throw ValidationError("--pain must be 0 to 10") }
        if let reach, LegReach(rawValue: reach) == nil {
            throw ValidationError("--reach must be one of \(LegReach.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for f in redFlags where RedFlag(rawValue: f) == nil {
            throw ValidationError("--red-flag must be one of \(RedFlag.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func execute() throws(CLIError) {
        let r = try DaemonClient().dict("CheckIn", [.byte(UInt8(pain)), .string(reach ?? ""), .strings(redFlags), .string(note)])
        if output.json {
            Terminal.line(JSON.object([
                ("schema", .int(1)), ("id", r.int("id") >= 0 ? .int(r.int("id")) : .null), ("urgent", .bool(r.bool("urgent"))),
                ("advice", .strings(r.strings("advice"))), ("red_flags", .strings(r.strings("red_flags"))),
                ("red_flags_in_note", .strings(r.strings("red_flags_in_note"))),
                ("reach_change", .optional(r.string("reach_change"))), ("store_error", .optional(r.string("store_error"))),
            ]).text)
        } else {
            if r.int("id") >= 0 { Terminal.line("check-in saved") }
            for a in r.strings("advice") { Terminal.line(r.bool("urgent") && a == r.strings("advice").first ? Terminal.red(a) : a) }
        }
        let storeError = r.string("store_error")
        if !storeError.isEmpty { throw CLIError("the check-in was not saved: \(storeError)", exit: .history) }
    }
}

struct StatsCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Adherence, streaks and a chart per day (default: the last 7 days).")

    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "The last 7 days.") var week = false
    @Flag(name: .long, help: "The last 30 days.") var month = false
    @Option(name: .long, help: ArgumentHelp("From this day through today.", valueName: "YYYY-MM-DD"), completion: Complete.days) var since: String?

    func validate() throws {
        if [week, month, since != nil].filter({ $0 }).count > 1 { throw ValidationError("give one of --week, --month, --since") }
    }

    func execute() throws(CLIError) {
        let period = month ? "month" : since.map { $0 } ?? "week"
        if let since { _ = try parseDay(since) }
        let reply = try DaemonClient().call("Stats", [.string(period)])
        let json = reply.first?.stringValue ?? ""
        if output.json { Terminal.line(json); return }
        do {
            let stats = try HistoryJSON.decoder().decode(Stats.self, from: Data(json.utf8))
            FileHandle.standardOutput.write(Data(Terminal.clean(StatsText(color: Terminal.color).render(stats)).utf8))
        } catch {
            throw CLIError("cannot read the stats limberd sent: \(error)", exit: .refused)
        }
    }
}

struct ExportCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the history as CSV or JSON (to stdout, or --output FILE).")

    @Flag(name: .long, help: "CSV (RFC 4180), one row per outcome or check-in.") var csv = false
    @Flag(name: .long, help: "JSON (schema 1, docs/history.md).") var json = false
    @Option(name: .long, help: ArgumentHelp("Only from this day on.", valueName: "YYYY-MM-DD"), completion: Complete.days) var since: String?
    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file (- or none: standard output).", valueName: "FILE"), completion: Complete.anyFile) var output: String?

    func validate() throws {
        if csv == json { throw ValidationError("give one of --csv or --json") }
    }

    func execute() throws(CLIError) {
        let start = try since.map { (t) throws(CLIError) in try parseDay(t).start(in: .current) }
        let history = try openHistory()
        let data: Data
        do {
            let export = try history.export(since: start, now: Date(), timeZone: .current)
            data = csv ? Data(export.csv().utf8) : try export.json() + Data("\n".utf8)
        } catch {
            throw CLIError("cannot export the history: \(error)", exit: .history)
        }
        try write(data, to: output)
    }
}

/// "1 day", "2 days", "0 days".
func count<N: BinaryInteger>(_ n: N, _ noun: String) -> String {
    "\(n) \(noun)" + (n == 1 ? "" : "s")
}

/// Writes to FILE, or stdout without one or for "-".
func write(_ data: Data, to file: String?) throws(CLIError) {
    guard let file, file != "-" else { FileHandle.standardOutput.write(data); return }
    do { try data.write(to: URL(fileURLWithPath: file), options: .atomic) } catch {
        throw CLIError("cannot write \(file): \(error.localizedDescription)", exit: .refused)
    }
}

struct ReportCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a self-contained HTML report (charts, tables, pain trend).")

    @Option(name: .long, help: ArgumentHelp("The file to write; - for standard output.", valueName: "FILE"), completion: Complete.htmlFiles) var html: String
    @Flag(name: .long, help: "The last 7 days (default: 30).") var week = false

    func execute() throws(CLIError) {
        let history = try openHistory()
        let page: String
        do { page = try history.htmlReport(period: week ? .week : .month, now: Date(), timeZone: .current) } catch {
            throw CLIError("cannot make the report: \(error)", exit: .history)
        }
        try write(Data(page.utf8), to: html)
        if html != "-" { Terminal.line("wrote \(html)") }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Manage the stored history.", subcommands: [HistoryForget.self])
}

struct HistoryForget: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget", abstract: "Delete the whole history (outcomes, check-ins, activity), after asking.")

    @Flag(name: .long, help: "Do not ask.") var yes = false

    func execute() throws(CLIError) {
        if !yes {
            guard isatty(0) == 1 else {
                throw CLIError("history forget deletes everything; not on a terminal, so it needs --yes", exit: .usage)
            }
            var what = "the whole history"
            if let summary = try? openHistory().summary() {
                what = "\(count(summary.outcomes, "outcome")), \(count(summary.checkIns, "check-in")) and \(count(summary.activityDays, "day")) of activity"
                if let first = summary.first, let last = summary.last {
                    what += " (\(Clock.short(first, now: Date())) to \(Clock.short(last, now: Date())))"
                }
            }
            FileHandle.standardOutput.write(Data("Delete \(what)? This cannot be undone. Type yes to confirm: ".utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                Terminal.line("nothing deleted")
                throw CLIError("", exit: .refused)
            }
        }
        let r = try DaemonClient().dict("ForgetHistory")
        Terminal.line("deleted \(count(r.int("outcomes"), "outcome")), \(count(r.int("check_ins"), "check-in")), \(count(r.int("activity_days"), "day")) of activity")
    }
}
