import Logging
import LimberCore
import Systemd

/// The red-flag notification: critical urgency, resident, never expiring,
/// sent through the daemon's one `NotificationClient`. Its one button
/// ("It has been seen to: resume exercise") clears the hold. Closed any
/// other way while the hold lasts, it comes back; with no server, the
/// advice goes to the log at critical level.
public final class RedFlagNotifier: RedFlagAlerting, NotificationListener {
    public let client: NotificationClient
    public var onRedFlagCleared: (() -> Void)?
    private let log: Logger
    private var alert: RedFlagAlert?
    private var id: UInt32?
    private var inFlight: PendingCall?

    public init(client: NotificationClient, logger: Logger) {
        self.client = client
        self.log = logger
        client.addListener(self)
    }

    /// The server's id of the notification, while it is up.
    public var notificationID: UInt32? { id }

    public func showRedFlag(_ alert: RedFlagAlert) {
        if self.alert == alert, id != nil || inFlight != nil { return }
        self.alert = alert
        if let old = id {
            id = nil
            client.close(old)
        }
        sync()
    }

    public func withdrawRedFlag() {
        alert = nil
        inFlight?.cancel()
        inFlight = nil
        if let nid = id {
            id = nil
            client.close(nid)
        }
    }

    private func sync() {
        guard let alert, id == nil, inFlight == nil else { return }
        guard client.isConnected, client.serverState != .down else {
            log.critical("\(alert.text)")
            return
        }
        if client.isAskingCapabilities { return }  // the answer syncs again
        let caps = client.capabilities ?? .assumed
        var body = alert.body
        var actions: [String] = []
        if caps.actions {
            actions = [RedFlagAlert.clearActionKey, RedFlagAlert.clearActionLabel]
        } else {
            body += "\n" + tr("When it has been seen to: limberctl resume --red-flag-cleared")
        }
        let hints: [String: BusValue] = [
            "urgency": .byte(2), "category": .string("x-limber.red-flag"),
            "desktop-entry": .string(NotificationRequest.desktopEntry), "resident": .bool(true),
        ]
        let args: [BusValue] = [
            .string(NotificationRequest.appName), .uint32(0), .string("dialog-warning"), .string(alert.summary),
            .string(caps.bodyMarkup ? ReminderText.escape(body) : body), .strings(actions), .vardict(hints), .int32(0),
        ]
        do {
            inFlight = try client.notify(args) { [weak self] result in
                guard let self else { return }
                self.inFlight = nil
                switch result {
                case .success(let nid):
                    if self.alert == alert { self.id = nid } else { self.client.close(nid) }
                case .failure(let error):
                    self.log.critical("red-flag notification not shown (\(NotificationClient.describe(error))): \(alert.text)")
                }
            }
        } catch {
            log.critical("red-flag notification not shown (\(error)): \(alert.text)")
        }
    }

    // MARK: NotificationListener

    public func notificationServerChanged(idsVoid: Bool) {
        if idsVoid {
            inFlight?.cancel()
            inFlight = nil
            id = nil
        }
        sync()
    }

    public func notificationActionInvoked(_ nid: UInt32, key: String) {
        guard nid == id, key == RedFlagAlert.clearActionKey else { return }
        onRedFlagCleared?()
    }

    public func notificationClosed(_ nid: UInt32, reason: UInt32) {
        guard nid == id else { return }
        id = nil
        // Closed without the answer while the hold lasts: it comes back.
        if alert != nil { sync() }
    }
}
