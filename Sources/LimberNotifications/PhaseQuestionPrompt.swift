import Foundation
import Logging
import LimberCore
import Systemd

/// A phase that ends by confirmation asks its question ("Has the flare
/// settled?") as a notification with Yes / Not yet, once the phase has had
/// its days, and again every `ask_every` days after Not yet
/// (docs/program-format.md, "Phases"). Yes moves the program on, Not yet
/// keeps it; both go through `sendPhaseEvent`, so a move is recorded in
/// the history with the source "notification".
///
/// It asks while the person is at the machine: when a reminder is shown,
/// after a phase event, at start and after a reload. A question closed
/// without an answer is not asked again that day. One question at a time;
/// a question no longer due (answered with limberctl, the phase moved) is
/// closed. Nothing without a server that shows buttons (`limberctl
/// programs phase` shows the question there). Runs on the loop thread.
public final class PhaseQuestionPrompt: NotificationListener {
    public static let category = "x-limber.phase"
    public static let yesKey = "phase-yes"
    public static let notYetKey = "phase-not-yet"

    public var client: NotificationClient { question.client }
    private weak var service: PromptHost?
    private let log: Logger

    private struct Asked {
        var program: String
        /// The phase the question is about: an answer to it counts only
        /// while the program is still in it.
        var phase: String
    }

    private let question: NotificationQuestion<Asked>
    /// Program id → the day (YYYY-MM-DD) a question was closed unanswered.
    private var closedOn: [String: String] = [:]

    public init(service: PromptHost, client: NotificationClient, logger: Logger) {
        self.service = service
        question = NotificationQuestion(client: client, logger: logger)
        self.log = logger
        client.addListener(self)  // after the question: it forgets a void id first
        service.observe { [weak self] event in
            switch event {
            case .shown, .reloaded: self?.refresh()
            default: break
            }
        }
        service.observePhases { [weak self] in self?.refresh() }
    }

    /// The program asked about, while a question is up (or on its way).
    public var askingAbout: String? { question.subject?.program }
    /// The server's id of the question, once Notify answered.
    public var notificationID: UInt32? { question.notificationID }

    /// Closes a question no longer due, and asks one that is due.
    public func refresh() {
        guard let service else { return }
        let now = service.clock()
        if let c = question.subject {
            if isDue(c.program, phase: c.phase, service, now) { return }
            question.close()
        }
        guard question.serverAnswers, !client.isAskingCapabilities, question.capabilities.actions else { return }
        let today = service.engine.calendar.dayKey(now.wall)
        for program in service.engine.configuration.programs where closedOn[program.id] != today {
            guard let s = service.engine.phaseStatus(of: program.id, on: now.wall),
                  isDue(program.id, phase: s.phase.id, service, now) else { continue }
            ask(program, s)
            return
        }
    }

    private func isDue(_ program: String, phase: String, _ service: PromptHost, _ now: Moment) -> Bool {
        service.engine.state.redFlagHold == nil
            && service.engine.phaseStatus(of: program, on: now.wall)?.phase.id == phase
            && service.engine.phaseQuestion(of: program, at: now) != nil
    }

    /// The question's body: where the program is and what each answer does.
    public static func body(_ program: Program, _ s: PhaseStatus) -> String {
        var every = 3
        if case .confirm(_, let e) = s.phase.advance { every = e }
        var lines = [tr("{program}: {phase}, day {day}.", ["program": program.name, "phase": s.phase.name, "day": String(s.day)])]
        if let next = s.next {
            // What Yes changes, in the reminders' own words (the phase's
            // summary is for the guide: too long for a notification).
            let adds = program.reminders.filter { $0.phases.contains(next.id) && !$0.phases.contains(s.phase.id) }.map(\.title)
            lines.append(adds.isEmpty ? tr("Yes: move on to {next}.", ["next": next.name])
                         : tr("Yes: move on to {next}, which adds {reminders}.", ["next": next.name, "reminders": adds.joined(separator: ", ")]))
        }
        lines.append(tr("Not yet: stay in {phase}; asked again in {n} days.", ["phase": s.phase.name, "n": String(every)]))
        return lines.joined(separator: "\n")
    }

    private func ask(_ program: Program, _ s: PhaseStatus) {
        guard case .confirm(let title, _) = s.phase.advance else { return }
        let content = NotificationContent(summary: title, body: Self.body(program, s), icon: "dialog-question",
                                          actions: [Self.yesKey, tr("Yes"), Self.notYetKey, tr("Not yet")], category: Self.category)
        guard question.show(Asked(program: program.id, phase: s.phase.id), content,
                            onAction: { [weak self] in self?.answered($0, key: $1) },
                            onEnd: { [weak self] in self?.ended($0, $1) }) else { return }
        log.info("asked \"\(title)\" for \(program.id) (\(s.line))")
    }

    // MARK: Answers

    private func answered(_ c: Asked, key: String) {
        guard key == Self.yesKey || key == Self.notYetKey else { return }
        question.close()  // a server that keeps notifications after a button
        guard let service else { return }
        // Only while the program is still in the phase asked about: a stale
        // Yes must not move it on twice.
        guard service.engine.phaseStatus(of: c.program, on: service.clock().wall)?.phase.id == c.phase else {
            log.info("phase question for \(c.program) answered after the phase moved; nothing changed")
            return
        }
        service.sendPhaseEvent(.confirmPhase(program: c.program, settled: key == Self.yesKey), source: "notification")
    }

    private func ended(_ c: Asked, _ how: NotificationQuestion<Asked>.End) {
        switch how {
        case .closed:
            // Dismissed or expired without an answer: not again today.
            guard let service else { return }
            closedOn[c.program] = service.engine.calendar.dayKey(service.clock().wall)
        case .failed(let error): log.debug("phase question not shown: \(error)")
        case .expired, .serverChanged: break
        }
    }

    // MARK: NotificationListener

    /// The question forgot a void id already (it listens first): ask again.
    public func notificationServerChanged(idsVoid: Bool) {
        refresh()
    }
}
