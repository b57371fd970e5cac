import ArgumentParser
import Systemd

/// `limberctl programs phase ID [PHASE | --settled | --not-yet]` and
/// `limberctl programs start ID [--on DATE]`.
struct ProgramsPhase: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase", abstract: "Show where a program's phases stand and why; move it to PHASE (a new flare: the first).")
    @OptionGroup var output: JSONFlag
    @Argument(help: ArgumentHelp("The program's id.", valueName: "ID"), completion: Complete.programs) var id: String
    @Argument(help: ArgumentHelp("Move the program to this phase.", valueName: "PHASE"), completion: Complete.phases) var phase: String?
    @Flag(name: .long, help: "Answer the phase's question Yes (\"Has the flare settled?\").") var settled = false
    @Flag(name: .long, help: "Answer the phase's question Not yet (asked again in a few days).") var notYet = false

    func validate() throws {
        if [phase != nil, settled, notYet].filter({ $0 }).count > 1 {
            throw ValidationError("give one of PHASE, --settled or --not-yet")
        }
    }

    func execute() throws(CLIError) {
        let client = try DaemonClient()
        let d: VarDict
        if let phase {
            d = try client.dict("SetProgramPhase", [.string(id), .string(phase)])
        } else if settled || notYet {
            d = try client.dict("AnswerPhaseQuestion", [.string(id), .bool(settled)])
        } else {
            d = try client.dict("ProgramPhase", [.string(id)])
        }
        PhaseView(d: d).print(json: output.json)
    }
}

struct ProgramsStart: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Set the day a program started (today unless --on); its phases count from it.")
    @OptionGroup var output: JSONFlag
    @Argument(help: ArgumentHelp("The program's id.", valueName: "ID"), completion: Complete.programs) var id: String
    @Option(name: .long, help: ArgumentHelp("The day it started.", valueName: "YYYY-MM-DD"), completion: Complete.days) var on: String?

    func execute() throws(CLIError) {
        let d = try DaemonClient().dict("StartProgram", [.string(id), .string(on ?? "")])
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
        Terminal.line("  why:     \(d.string("reason"))")
        if !d.string("started").isEmpty { Terminal.line("  started: \(d.string("started"))") }
        if !d.string("waiting").isEmpty { Terminal.line("  next:    \(d.string("waiting"))") }
        if !d.string("question").isEmpty {
            Terminal.line("  " + Terminal.bold(d.string("question")) + "  limberctl programs phase \(d.string("program")) --settled | --not-yet")
        }
        if !d.string("offer_phase").isEmpty {
            Terminal.line(Terminal.yellow("  \(d.string("offer_reason")):") + " go back to the gentler phase with "
                          + "limberctl programs phase \(d.string("program")) \(d.string("offer_phase"))")
        }
        Terminal.line(Terminal.dim("  phases:  " + d.strings("phases").joined(separator: " → ")))
    }
}
