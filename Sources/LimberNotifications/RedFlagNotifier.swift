import Logging
import LimberCore
import Systemd

/// The red-flag notification: critical urgency, resident, never expiring,
/// sent through the daemon's one `NotificationClient`. Its one button
/// ("It has been seen to: resume exercise") clears the hold. Closed any
/// other way while the hold lasts, it comes back; with no server, the
/// advice goes to the log at critical level.
public final class RedFlagNotifier: RedFlagAlerting, NotificationListener {
    public var client: NotificationClient { notification.client }
    private let log: Logger
    /// The alert to show while the hold lasts, and what its answer does.
    private var alert: RedFlagAlert?
    private var cleared: () -> Void = {}
    private let notification: NotificationQuestion<RedFlagAlert>

    public init(client: NotificationClient, logger: Logger) {
        notification = NotificationQuestion(client: client, logger: logger)
        self.log = logger
        client.addListener(self)  // after the notification: it forgets a void id first
    }

    /// The server's id of the notification, while it is up.
    public var notificationID: UInt32? { notification.notificationID }

    public func showRedFlag(_ alert: RedFlagAlert, cleared: @escaping () -> Void) {
        self.cleared = cleared
        if self.alert == alert, notification.isShown { return }
        self.alert = alert
        notification.close()
        sync()
    }

    public func withdrawRedFlag() {
        alert = nil
        cleared = {}
        notification.close()
    }

    private func sync() {
        guard let alert, !notification.isShown else { return }
        guard notification.serverAnswers else {
            log.critical("\(alert.text)")
            return
        }
        if client.isAskingCapabilities { return }  // the answer syncs again
        var body = alert.body
        var actions: [String] = []
        if notification.capabilities.actions {
            actions = [RedFlagAlert.clearActionKey, RedFlagAlert.clearActionLabel]
        } else {
            body += "\n" + tr("When it has been seen to: limberctl resume --red-flag-cleared")
        }
        let content = NotificationContent(summary: alert.summary, body: body, icon: "dialog-warning", actions: actions, urgency: 2,
                                          category: "x-limber.red-flag", resident: true)
        notification.show(alert, content, onAction: { [weak self] _, key in
            if key == RedFlagAlert.clearActionKey { self?.cleared() }
        }, onEnd: { [weak self] alert, how in
            guard let self else { return }
            switch how {
            case .failed(let error):
                self.log.critical("red-flag notification not shown (\(NotificationClient.describe(error))): \(alert.text)")
            case .closed, .expired:
                self.sync()  // closed without the answer while the hold lasts: it comes back
            case .serverChanged:
                break  // notificationServerChanged syncs
            }
        })
    }

    // MARK: NotificationListener

    public func notificationServerChanged(idsVoid: Bool) {
        sync()
    }
}
