import Foundation

/// Phases that follow the person, not only the calendar: the phase in force
/// from the start day and the last mark, per-phase values, moves, the
/// phase question and check-ins (docs/program-format.md, "Phases").
extension Engine {
    /// The phase in force for a program on the day of `date`.
    public func phaseStatus(of programID: String, on date: Date) -> PhaseStatus? {
        guard let program = configuration.program(programID) else { return nil }
        return phaseStatus(of: program, on: date)
    }

    func phaseStatus(of program: Program, on date: Date) -> PhaseStatus? {
        guard !program.phases.isEmpty else { return nil }
        let start = state.programStarted[program.id] ?? calendar.startOfDay(date)
        var status = program.phaseStatus(started: start, mark: state.phaseMarks?[program.id], on: date, calendar: calendar)
        if let s = status, case .confirm(_, let every) = s.phase.advance, s.waiting != nil,
           let asked = state.phaseAsked?[program.id], calendar.daysBetween(asked, date) < every {
            status?.waiting = (s.waiting ?? "") + " " + tr("(asked {day}; again in {n} days)", ["day": calendar.dayKey(asked), "n": String(every - calendar.daysBetween(asked, date))])
        }
        return status
    }

    /// The phase question due now for a program: the phase has had its days,
    /// it ends by confirmation, and it was not answered "Not yet" in the
    /// last few days.
    public func phaseQuestion(of programID: String, at now: Moment) -> String? {
        guard let program = configuration.program(programID),
              let s = phaseStatus(of: program, on: now.wall), s.waiting != nil,
              case .confirm(let question, let every) = s.phase.advance else { return nil }
        if let asked = state.phaseAsked?[programID], calendar.daysBetween(asked, now.wall) < every { return nil }
        return question
    }

    /// An offer to go back to a gentler phase after worsening check-ins.
    public func phaseOffer(of programID: String) -> PhaseOffer? { state.phaseOffers?[programID] }

    mutating func handlePhaseEvent(_ event: Event, _ now: Moment) {
        switch event {
        case .startProgram(let id, let on):
            guard configuration.program(id) != nil else { return }
            state.programStarted[id] = calendar.startOfDay(on)
            state.phaseMarks?[id] = nil
            state.phaseAsked?[id] = nil
            state.phaseOffers?[id] = nil
        case .setPhase(let id, let phase, let reason):
            guard let program = configuration.program(id), program.phaseIndex(phase) != nil else { return }
            mark(id, phase: phase, reason: reason, now)
        case .confirmPhase(let id, let settled):
            guard let program = configuration.program(id), let s = phaseStatus(of: program, on: now.wall) else { return }
            if settled, let next = s.next {
                let question: String
                if case .confirm(let q, _) = s.phase.advance { question = q } else { question = tr("the phase question") }
                mark(id, phase: next.id, reason: tr("you answered Yes to \"{question}\" on {day}", ["question": question, "day": calendar.dayKey(now.wall)]), now)
            } else if !settled {
                var asked = state.phaseAsked ?? [:]
                asked[id] = calendar.startOfDay(now.wall)
                state.phaseAsked = asked
            }
        case .checkIn(let pain, let reach):
            var notes = state.checkIns ?? []
            notes.append(CheckInNote(at: now.wall, pain: pain, reach: reach))
            if notes.count > 12 { notes.removeFirst(notes.count - 12) }
            state.checkIns = notes
            checkInsChanged(notes, now)
        default:
            return
        }
        refreshPhases(now)
    }

    private mutating func mark(_ id: String, phase: String, reason: String, _ now: Moment) {
        var marks = state.phaseMarks ?? [:]
        marks[id] = PhaseMark(phase: phase, since: calendar.startOfDay(now.wall), reason: reason)
        state.phaseMarks = marks
        state.phaseAsked?[id] = nil
        state.phaseOffers?[id] = nil
    }

    /// Check-ins move a phase on when they meet its rule, and offer to go
    /// back to the gentler phase when they get worse (pain up by 2 or
    /// more, or reaching further down the leg).
    private mutating func checkInsChanged(_ notes: [CheckInNote], _ now: Moment) {
        for program in configuration.programs {
            guard let s = phaseStatus(of: program, on: now.wall) else { continue }
            if s.waiting != nil, case .checkIns(let rule) = s.phase.advance, rule.isMet(by: notes), let next = s.next {
                mark(program.id, phase: next.id, reason: tr("check-ins: {rule} ({day})", ["rule": rule.words, "day": calendar.dayKey(now.wall)]), now)
                continue
            }
            guard s.index > 0, notes.count >= 2 else { continue }
            let a = notes[notes.count - 2], b = notes[notes.count - 1]
            let rose = b.pain >= a.pain + 2, further = b.reach > max(a.reach, 1)
            let pains = ["from": String(a.pain), "to": String(b.pain)]
            let why: String
            switch (rose, further) {
            case (true, true): why = tr("pain rose from {from} to {to} and the pain reaches further down the leg", ["from": pains["from"]!, "to": pains["to"]!])
            case (true, false): why = tr("pain rose from {from} to {to}", ["from": pains["from"]!, "to": pains["to"]!])
            case (false, true): why = tr("the pain reaches further down the leg")
            case (false, false): continue
            }
            var offers = state.phaseOffers ?? [:]
            offers[program.id] = PhaseOffer(phase: program.phases[s.index - 1].id,
                                            reason: why, at: now.wall)
            state.phaseOffers = offers
        }
    }

    /// Works out each program's phase in force and, where it changed, the
    /// rules' per-phase cadences (a changed one is rescheduled).
    mutating func refreshPhases(_ now: Moment) {
        let programs = configuration.programs
        if currentPhase.count != programs.count { currentPhase = Array(repeating: nil, count: programs.count) }
        var changed: [Bool] = Array(repeating: false, count: programs.count)
        for (p, program) in programs.enumerated() where !program.phases.isEmpty {
            let phase = phaseStatus(of: program, on: now.wall)?.phase.id
            if phase != currentPhase[p] {
                currentPhase[p] = phase
                changed[p] = true
            }
        }
        for i in definitions.indices where !definitions[i].phaseCadences.isEmpty {
            let p = programOf[i]
            let cadence = currentPhase[p].flatMap { definitions[i].phaseCadences[$0] } ?? baseCadence[i]
            guard changed[p] || cadence != definitions[i].cadence, cadence != definitions[i].cadence else { continue }
            definitions[i].cadence = cadence
            if !state.ruleStates[i].showing {
                state.ruleStates[i].due = nil
                state.ruleStates[i].dueOccurrence = nil
                reschedule(i, now)
            }
        }
    }
}
