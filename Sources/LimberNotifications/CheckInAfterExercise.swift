import Foundation
import Logging
import LimberCore
import LimberHistory

/// `checkin_after_exercise = true`: after the user answers Done to a
/// reminder, the prompt asks "How is your pain now?"; an answer is saved as
/// a check-in from the notification (with the reminder it followed), and a
/// high one, or one the history answers with advice, puts the advice in the
/// journal and in a follow-up notification.
public final class CheckInAfterExercise {
    public let prompt: CheckInPrompt
    private weak var service: PromptHost?
    private let log: Logger

    /// Said for a high answer, before any advice the history gives.
    public static var highPainAdvice: String {
        tr("Pain of 7 or more after the exercise: stop that exercise for today and go back to positions that ease it. If the pain is severe or getting worse, or you notice numbness, weakness, or changes in bladder or bowel control, seek medical care.")
    }

    public init(service: PromptHost, prompt: CheckInPrompt, logger: Logger) {
        self.service = service
        self.prompt = prompt
        self.log = logger
        service.observe { [weak self] event in self?.serviceEvent(event) }
    }

    private func serviceEvent(_ event: ServiceEvent) {
        // Only the user's Done (a natural break is recorded as done with a
        // note, while the user is away from the machine).
        guard case .recorded(let o) = event, o.kind == .done, o.note == nil,
              service?.engine.configuration.settings.checkInAfterExercise == true else { return }
        let reminder = o.reminder
        prompt.ask(after: reminder, answered: { [weak self] in self?.answered(reminder, $0) },
                   redFlag: { [weak self] in self?.redFlag(reminder, $0) })
    }

    /// A red flag chosen in the question: exercise stops at once, as from
    /// `limberctl checkin --red-flag` (the hold, its notification, the history).
    private func redFlag(_ reminder: ReminderID, _ flag: RedFlag) {
        log.critical("red flag chosen in the check-in after reminder \(reminder): \(flag.rawValue)")  // l10n: not ui (journal)
        service?.raiseRedFlag([flag], source: "notification")
    }

    private func answered(_ reminder: ReminderID, _ band: PainBand) {
        guard let service else { return }
        let checkIn = CheckIn(at: service.clock().wall, pain: band.pain, source: .notification, afterReminder: reminder)
        // Phases that end by check-ins count it; worsening offers to go back.
        service.sendPhaseEvent(.checkIn(pain: band.pain, reach: 0), source: "check-ins")
        // Saved on the history writer; the advice follows when it answers.
        service.saveCheckIn(checkIn) { [weak self] response in
            self?.saved(reminder, band, response ?? CheckInResponse.advice(for: checkIn), noHistory: response == nil)
        }
    }

    private func saved(_ reminder: ReminderID, _ band: PainBand, _ response: CheckInResponse, noHistory: Bool) {
        var message = "check-in after reminder \(reminder): pain \(band.label) (saved as \(band.pain))"  // l10n: not ui (journal)
        if let e = response.storeError { message += "; not saved: \(e)" }  // l10n: not ui (journal)
        if noHistory { message += "; not saved: no history" }  // l10n: not ui (journal)
        log.info("\(message)")
        // The band's own advice for high pain says what the general one does.
        let advice = (band.isHigh ? [Self.highPainAdvice] : []) + response.advice.filter { $0 != CheckInResponse.severePainAdvice }
        guard !advice.isEmpty else { return }
        for line in advice { log.warning("check-in advice: \(line)") }
        prompt.tell(response.urgent ? tr("Seek care now") : tr("About your pain"), advice: advice)
    }
}
