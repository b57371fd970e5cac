import Foundation
import LimberCore
import LimberHistory
import Logging

/// Phase events (a move by the person, the answer to a phase's question,
/// a check-in, a new start day) go through here: the core carries them out
/// and every program whose phase moved gets a `phase_move` row in the
/// history (docs/history.md), with who moved it.
extension ReminderService {
    private static let phaseLog = Logger(label: "limberd.phase")

    /// Sends a phase event to the core and records the moves it made.
    /// `source`: "cli" (limberctl, the API), "notification" (the phase
    /// question's answer) or "check-ins".
    public func sendPhaseEvent(_ event: Event, source: String) {
        let wall = clock().wall
        let programs = engine.configuration.programs.filter { !$0.phases.isEmpty }
        let before = programs.map { p in
            (phase: engine.phaseStatus(of: p.id, on: wall)?.phase.id ?? "", mark: engine.state.phaseMarks?[p.id])
        }
        send(event)
        let now = clock().wall
        for (program, was) in zip(programs, before) {
            guard let status = engine.phaseStatus(of: program.id, on: now) else { continue }
            let mark = engine.state.phaseMarks?[program.id]
            let marked = mark != nil && mark != was.mark
            guard marked || status.phase.id != was.phase else { continue }
            let move = PhaseMove(at: now, program: program.id, from: was.phase, to: status.phase.id,
                                 reason: marked ? mark!.reason : status.reason, source: source)
            Self.phaseLog.notice("\(program.id): phase \(was.phase.isEmpty ? "?" : was.phase) → \(move.to) (\(move.reason))")
            history?.run({ store -> String? in
                do { try store.record(move) } catch {
                    Self.phaseLog.error("phase move not written to the history: \(error)")
                    return "the phase move was not written to the history (\(error))"
                }
                return nil
            }) { [weak history] problem in
                if let problem { history?.reportProblem(problem) }
            }
        }
        for o in phaseObservers { o() }
    }

    /// Registers `observer`, called after every phase event.
    public func observePhases(_ observer: @escaping () -> Void) {
        phaseObservers.append(observer)
    }
}
