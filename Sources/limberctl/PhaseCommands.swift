import LimberCore
import ArgumentParser
import Systemd

/// `limberctl programs phase ID [PHASE | --settled | --not-yet]` and
/// `limberctl programs start ID [--on DATE]`.
struct ProgramsPhase: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase", abstract: tr("Show where a program's phases stand and why; move it to PHASE (a new flare: the first)."))
    @OptionGroup var output: JSONFlag
    @Argument(help: ArgumentHelp(tr("The program's id."), valueName: "ID"), completion: Complete.programs) var id: String
    @Argument(help: ArgumentHelp(tr("Move the program to this phase."), valueName: "PHASE"), completion: Complete.phases) var phase: String?
    @Flag(name: .long, help: ArgumentHelp(tr("Answer the phase's question Yes (\"Has the flare settled?\")."))) var settled = false
    @Flag(name: .long, help: ArgumentHelp(tr("Answer the phase's question Not yet (asked again in a few days)."))) var notYet = false

    func validate() throws {
        if [phase != nil, settled, notYet].filter({ $0 }).count > 1 {
            throw ValidationError(tr("give one of PHASE, --settled or --not-yet"))
        }
    }

    func execute() throws(CLIError) {
        let client = try DaemonClient()
        let d: VarDict
        if let phase {
            d = try client.dict(.setProgramPhase, [.string(id), .string(phase)])
        } else if settled || notYet {
            d = try client.dict(.answerPhaseQuestion, [.string(id), .bool(settled)])
        } else {
            d = try client.dict(.programPhase, [.string(id)])
        }
        PhaseView(d: d).print(json: output.json)
    }
}

struct ProgramsStart: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: tr("Set the day a program started (today unless --on); its phases count from it."))
    @OptionGroup var output: JSONFlag
    @Argument(help: ArgumentHelp(tr("The program's id."), valueName: "ID"), completion: Complete.programs) var id: String
    @Option(name: .long, help: ArgumentHelp(tr("The day it started."), valueName: "YYYY-MM-DD"), completion: Complete.days) var on: String?

    func execute() throws(CLIError) {
        let d = try DaemonClient().dict(.startProgram, [.string(id), .string(on ?? "")])
        PhaseView(d: d).print(json: output.json)
    }
}

struct PhaseView {
    let d: VarDict

    func print(json: Bool) {
        if json {
            Terminal.line(JSON.object([
                ("schema", .int(1)), ("program", .string(d.string("program"))), ("phase", .string(d.string("phase"))),
                ("phase_name", .string(d.string("phase_name"))), ("line", .string(d.string("line"))),
                ("day", .int(d.int("day"))), ("days", d.int("days") > 0 ? .int(d.int("days")) : .null),
                ("since", .string(d.string("since"))), ("started", .optional(d.string("started"))),
                ("reason", .string(d.string("reason"))), ("waiting", .optional(d.string("waiting"))),
                ("next", .optional(d.string("next"))), ("question", .optional(d.string("question"))),
                ("offer", d.string("offer_phase").isEmpty ? .null : .object([
                    ("phase", .string(d.string("offer_phase"))), ("reason", .string(d.string("offer_reason"))),
                ])),
                ("phases", .strings(d.strings("phases"))),
            ]).text)
            return
        }
        Terminal.line("\(Terminal.bold(d.string("program"))): \(d.string("line"))")
        // Labels padded to the longest in the user's language.
        let labels = [trMark("why:"), trMark("started:"), trMark("next:"), trMark("phases:")].map { tr($0) }
        let w = labels.map(\.count).max() ?? 8
        func label(_ i: Int) -> String { "  " + labels[i] + String(repeating: " ", count: w + 1 - labels[i].count) }
        Terminal.line(label(0) + d.string("reason"))
        if !d.string("started").isEmpty { Terminal.line(label(1) + d.string("started")) }
        if !d.string("waiting").isEmpty { Terminal.line(label(2) + d.string("waiting")) }
        if !d.string("question").isEmpty {
            Terminal.line("  " + Terminal.bold(d.string("question")) + "  limberctl programs phase \(d.string("program")) --settled | --not-yet")  // l10n: not ui (a command)
        }
        if !d.string("offer_phase").isEmpty {
            Terminal.line(Terminal.yellow("  \(d.string("offer_reason")):") + " "
                          + tr("go back to the gentler phase with {command}", ["command": "limberctl programs phase \(d.string("program")) \(d.string("offer_phase"))"]))  // l10n: not ui (a command)
        }
        Terminal.line(Terminal.dim(label(3) + d.strings("phases").joined(separator: " → ")))
    }
}
