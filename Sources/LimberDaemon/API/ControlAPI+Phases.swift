import Foundation
import LimberAPI
import LimberCore
import Systemd

/// Where a program's phases stand, and moving them: `limberctl programs
/// phase` and `programs start` (docs/api.md, docs/program-format.md).
extension ControlAPI {
    static let phaseHandlers: [APIHandler] = [
        APIHandler(.programPhase) { api, call in [try api.programPhase(call.arguments[0].stringValue ?? "")] },
        APIHandler(.setProgramPhase) { api, call in
            [try api.setPhase(call.arguments[0].stringValue ?? "", call.arguments[1].stringValue ?? "")]
        },
        APIHandler(.answerPhaseQuestion) { api, call in
            [try api.answerPhaseQuestion(call.arguments[0].stringValue ?? "", settled: call.arguments[1].boolValue ?? false)]
        },
        APIHandler(.startProgram) { api, call in
            [try api.startProgram(call.arguments[0].stringValue ?? "", on: call.arguments[1].stringValue ?? "")]
        },
    ]

    private func requirePhasedProgram(_ id: String) throws -> Program {
        guard let program = service.engine.configuration.program(id) else {
            let known = service.engine.configuration.programs.map(\.id)
            throw BusMethodError.limber(LimberBus.ErrorName.noSuchProgram,
                                        known.isEmpty ? tr("program {id} is not enabled", ["id": Self.quoted(id)])
                                            : tr("program {id} is not enabled (enabled: {list})", ["id": Self.quoted(id), "list": known.joined(separator: ", ")]))
        }
        guard !program.phases.isEmpty else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument, tr("program {id} has no phases", ["id": Self.quoted(id)]))
        }
        return program
    }

    func programPhase(_ id: String) throws -> BusValue {
        let program = try requirePhasedProgram(id)
        let engine = service.engine
        let wall = now.wall
        guard let s = engine.phaseStatus(of: id, on: wall) else { return .vardict([:]) }
        let cal = engine.calendar
        let offer = engine.phaseOffer(of: id)
        return .vardict([
            "program": .string(id),
            "phase": .string(s.phase.id),
            "phase_name": .string(s.phase.name),
            "line": .string(s.line),
            "day": .uint32(UInt32(s.day)),
            "days": .uint32(UInt32(s.phase.days ?? 0)),
            "since": .string(cal.dayKey(s.since)),
            "started": .string(engine.state.programStarted[id].map(cal.dayKey) ?? ""),
            "reason": .string(s.reason),
            "waiting": .string(s.waiting ?? ""),
            "next": .string(s.next?.id ?? ""),
            "question": .string(engine.phaseQuestion(of: id, at: now) ?? ""),
            "offer_phase": .string(offer?.phase ?? ""),
            "offer_reason": .string(offer?.reason ?? ""),
            "phases": .strings(program.phases.map(\.id)),
        ])
    }

    func setPhase(_ id: String, _ phase: String) throws -> BusValue {
        let program = try requirePhasedProgram(id)
        guard program.phaseIndex(phase) != nil else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                        tr("program {id} has no phase {phase} (phases: {list})",
                                           ["id": Self.quoted(id), "phase": Self.quoted(phase), "list": program.phases.map(\.id).joined(separator: ", ")]))
        }
        service.sendPhaseEvent(.setPhase(program: id, phase: phase, reason: tr("moved by you on {day}", ["day": service.engine.calendar.dayKey(now.wall)])), source: "cli")
        return try programPhase(id)
    }

    func answerPhaseQuestion(_ id: String, settled: Bool) throws -> BusValue {
        _ = try requirePhasedProgram(id)
        service.sendPhaseEvent(.confirmPhase(program: id, settled: settled), source: "cli")
        return try programPhase(id)
    }

    func startProgram(_ id: String, on text: String) throws -> BusValue {
        _ = try requirePhasedProgram(id)
        var day = now.wall
        if !text.isEmpty {
            guard let d = Day(text)?.start(in: timeZone) else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument, tr("{text} is not a date: write it like 2026-03-02", ["text": Self.quoted(text)]))
            }
            day = d
        }
        service.sendPhaseEvent(.startProgram(id, on: day), source: "cli")
        return try programPhase(id)
    }

    /// "Back home program: Recovery, day 12 of 35" per enabled program with
    /// phases; with the phase's question and how to answer it while it is
    /// asked (so a desktop without notification buttons shows it too).
    func phaseLines() -> [String] {
        let at = now
        return service.engine.configuration.programs.compactMap { p in
            service.engine.phaseStatus(of: p.id, on: at.wall).map { s in
                let line = tr("{program}: {phase}", ["program": p.name, "phase": s.line])
                guard let q = service.engine.phaseQuestion(of: p.id, at: at) else { return line }
                return tr("{line}; {question} limberctl programs phase {id} --settled | --not-yet",
                          ["line": line, "question": q, "id": p.id])
            }
        }
    }
}
