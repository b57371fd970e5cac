import Foundation
import Logging
import LimberCore
import Systemd

/// After a check-in that is worse than the one before (pain up by 2 or
/// more, or reaching further down the leg: the core's own rule), one
/// notification offers what helps: going back to the gentler phase (the
/// core's phase offer, "Back to Flare") and, for a program that has it, the
/// knees-to-chest exercise for people whom press-ups make worse ("Knees to
/// chest: how to" opens the guide at it). Neither button is pressed for
/// the person; `limberctl programs phase` shows the same offer.
/// Runs on the loop thread.
public final class WorseningOffer {
    public static let category = "x-limber.offer"
    public static let backKey = "offer-back"
    public static let kneesKey = "offer-knees-to-chest"
    /// The exercise offered to people whom extension makes worse.
    public static let oppositeDirection = "knees-to-chest"

    public var client: NotificationClient { offer.client }
    private weak var service: PromptHost?
    private let openGuide: (Program, String) -> Void
    private let log: Logger

    private struct Offer {
        var program: String
        var backTo: String?
    }

    private let offer: NotificationQuestion<Offer>
    /// The newest check-in already judged.
    private var judged: Date?

    public init(service: PromptHost, client: NotificationClient, logger: Logger,
                openGuide: @escaping (Program, String) -> Void) {
        self.service = service
        offer = NotificationQuestion(client: client, logger: logger)
        self.log = logger
        self.openGuide = openGuide
        judged = service.engine.state.checkIns?.last?.at
        service.observePhases { [weak self] in self?.checkInsChanged() }
    }

    /// The program offered for, while the offer is up (or on its way).
    public var offeringFor: String? { offer.subject?.program }
    public var notificationID: UInt32? { offer.notificationID }

    /// Why the newest check-in is worse than the one before, or nil.
    public static func worse(_ notes: [CheckInNote]) -> String? {
        guard notes.count >= 2 else { return nil }
        let a = notes[notes.count - 2], b = notes[notes.count - 1]
        var why: [String] = []
        if b.pain >= a.pain + 2 { why.append(tr("Your pain rose from {a} to {b}.", ["a": String(a.pain), "b": String(b.pain)])) }
        if b.reach > max(a.reach, 1) { why.append(tr("The pain reaches further down the leg than at your last check-in.")) }
        return why.isEmpty ? nil : why.joined(separator: " ")
    }

    private func checkInsChanged() {
        guard let service, let notes = service.engine.state.checkIns, let last = notes.last, last.at != judged else { return }
        judged = last.at
        guard let why = Self.worse(notes), service.engine.state.redFlagHold == nil else { return }
        for program in service.engine.configuration.programs {
            let back = service.engine.phaseOffer(of: program.id).flatMap { o in o.at == last.at ? program.phases.first { $0.id == o.phase } : nil }
            let knees = program.exercise(Self.oppositeDirection) != nil
            guard back != nil || knees else { continue }
            show(program, why: why, backTo: back, knees: knees)
            return
        }
    }

    /// The offer's body: why, and what each button does.
    public static func body(why: String, backTo: Phase?, knees: Bool) -> String {
        var lines = [why, tr("Stop any movement that sends the pain further down the leg.")]
        if knees {
            lines.append(tr("If press-ups did it, leave them out: knees to chest, lying on your back, bends the back the other way."))
        }
        if let backTo {
            lines.append(tr("Back to {phase} keeps to its gentler exercises until you move on again.", ["phase": backTo.name]))
        }
        return lines.joined(separator: "\n")
    }

    private func show(_ program: Program, why: String, backTo: Phase?, knees: Bool) {
        guard offer.serverAnswers else {
            log.notice("worse since the last check-in (\(program.id)): \(why)")
            return
        }
        var actions: [String] = []
        if offer.capabilities.actions {
            if let backTo { actions += [Self.backKey, tr("Back to {phase}", ["phase": backTo.name])] }
            if knees { actions += [Self.kneesKey, tr("Knees to chest: how to")] }
        }
        let content = NotificationContent(summary: tr("Worse since your last check-in"),
                                          body: Self.body(why: why, backTo: backTo, knees: knees), icon: "dialog-information",
                                          actions: actions, category: Self.category)
        offer.show(Offer(program: program.id, backTo: backTo?.id), content, onAction: { [weak self] in self?.pressed($1, on: $0) },
                   onEnd: { [weak self] in
                       if case .failed(let error) = $1 { self?.log.debug("worsening offer not shown: \(error)") }
                   })
    }

    private func pressed(_ key: String, on c: Offer) {
        guard let service, let program = service.engine.configuration.program(c.program) else { return }
        switch key {
        case Self.kneesKey:
            // The guide opens; the offer stays up for its other answer.
            openGuide(program, Self.oppositeDirection)
        case Self.backKey:
            guard let phase = c.backTo else { return }
            offer.close()
            let day = service.engine.calendar.dayKey(service.clock().wall)
            service.sendPhaseEvent(.setPhase(program: c.program, phase: phase,
                                             reason: "back to the gentler phase after a worse check-in (you chose it on \(day))"),
                                   source: "notification")
        default:
            break
        }
    }
}
