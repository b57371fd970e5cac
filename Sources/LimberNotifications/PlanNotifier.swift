import Foundation
import LimberCore
import Logging
import Systemd

/// Shows "Today's plan" (the tray's menu entry) as a quiet notification; a
/// second request replaces the first. With no server, the plan goes to the
/// journal.
public final class PlanNotifier {
    private let notification: NotificationQuestion<String>
    private let log: Logger

    public init(client: NotificationClient, logger: Logger) {
        notification = NotificationQuestion(client: client, logger: logger)
        self.log = logger
    }

    /// The server's id of the plan on screen, if any.
    public var notificationID: UInt32? { notification.notificationID }

    /// Shows the plan: its title and its lines (plain text: escaped here).
    public func show(summary: String, body: String) {
        let text = summary + "\n" + body
        guard notification.serverAnswers else {
            log.notice("\(text)")
            return
        }
        let content = NotificationContent(summary: summary, body: body, icon: "x-office-calendar", urgency: 0,
                                          category: "x-limber.plan", transient: true, expireTimeout: -1)
        notification.show(text, content, onEnd: { [weak self] text, how in
            if case .failed(let error) = how {
                self?.log.notice("today's plan not shown (\(NotificationClient.describe(error))): \(text)")
            }
        })
    }
}
