import LimberCore
import LimberHistory
import LimberNotifications

/// The service is what the prompts after a reminder ask and answer to.
extension ReminderService: PromptHost {
    public func saveCheckIn(_ checkIn: CheckIn, then done: @escaping (CheckInResponse?) -> Void) {
        guard let history else { return done(nil) }
        history.run({ $0.checkIn(checkIn) }, then: done)
    }
}
