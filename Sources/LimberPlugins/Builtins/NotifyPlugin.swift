// notify: freedesktop notifications, the sink that shows reminders.
import Foundation
import LimberCore

/// What the `notify` plugin's settings configure: the daemon's
/// notification presenter (LimberDaemon/Notifications), handed in through
/// `BuiltinEnvironment`.
public protocol NotificationBackend: AnyObject {
    func configure(_ settings: PluginSettings)
}

/// The registry's entry for desktop notifications (org.freedesktop.Notifications
/// on the session bus). The daemon's notification presenter is the sink
/// that shows every reminder; this plugin carries its manifest and settings
/// and hands them to it (it has no show or withdraw of its own).
public final class NotifyPlugin: BuiltinPlugin {
    public static let manifest = PluginManifest(
        id: "notify", name: "Desktop notifications",
        description: "Shows reminders as freedesktop notifications with Done, Snooze and Skip actions, and withdraws them.",
        version: "1.0",
        settings: [
            SettingSpec("urgency", .string("normal"), help: "Notification urgency.", allowed: ["low", "normal", "critical"]),
            SettingSpec("resident", .bool(true), help: "Keep the notification after an action is clicked (servers that support it)."),
            SettingSpec("sound", .bool(false), help: "Ask the server to play the message sound."),
        ],
        needs: [.bus(.user)])

    public var manifest: PluginManifest { Self.manifest }

    private weak var backend: NotificationBackend?
    private var context: PluginContext?

    public init(backend: NotificationBackend?) { self.backend = backend }

    public func start(_ context: PluginContext) throws {
        self.context = context
        if let backend {
            backend.configure(context.settings)
            context.setDetail(.verbatim("org.freedesktop.Notifications"))
        } else {
            context.setDetail(.text(trMark("shown by the daemon's presenter")))
        }
    }

    public func stop() { context = nil }
}
