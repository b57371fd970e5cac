import Foundation
import LimberCore
import Logging
import Systemd

/// Shows "Today's plan" (the tray's menu entry) as a quiet notification; a
/// second request replaces the first. With no server, the plan goes to the
/// journal.
public final class PlanNotifier: NotificationListener {
    private let client: NotificationClient
    private let log: Logger
    private var id: UInt32?
    private var inFlight: PendingCall?

    public init(client: NotificationClient, logger: Logger) {
        self.client = client
        self.log = logger
        client.addListener(self)
    }

    /// The server's id of the plan on screen, if any.
    public var notificationID: UInt32? { id }

    /// Shows the plan: its title and its lines (plain text: escaped here).
    public func show(summary: String, body: String) {
        let text = summary + "\n" + body
        guard client.isConnected, client.serverState != .down else {
            log.notice("\(text)")
            return
        }
        inFlight?.cancel()
        let markup = (client.capabilities ?? .assumed).bodyMarkup
        let body = markup ? ReminderText.escape(body) : body
        let hints: [String: BusValue] = [
            "urgency": .byte(0), "category": .string("x-limber.plan"),
            "desktop-entry": .string(NotificationRequest.desktopEntry), "transient": .bool(true),
        ]
        let args: [BusValue] = [
            .string(NotificationRequest.appName), .uint32(id ?? 0), .string("x-office-calendar"), .string(summary),
            .string(body), .strings([]), .vardict(hints), .int32(-1),
        ]
        do {
            inFlight = try client.notify(args) { [weak self] result in
                guard let self else { return }
                self.inFlight = nil
                switch result {
                case .success(let nid): self.id = nid
                case .failure(let error):
                    self.log.notice("today's plan not shown (\(NotificationClient.describe(error))): \(text)")
                }
            }
        } catch {
            log.notice("today's plan not shown (\(error)): \(text)")
        }
    }

    // MARK: NotificationListener

    public func notificationServerChanged(idsVoid: Bool) {
        guard idsVoid else { return }
        inFlight?.cancel()
        inFlight = nil
        id = nil
    }

    public func notificationActionInvoked(_ nid: UInt32, key: String) {}

    public func notificationClosed(_ nid: UInt32, reason: UInt32) {
        if nid == id { id = nil }
    }
}
