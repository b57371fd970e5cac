// do-not-disturb: GNOME's show-banners = false, read through the settings portal.
import Foundation
import LimberCore
import Systemd

/// Reads `org.gnome.desktop.notifications show-banners` through
/// `org.freedesktop.portal.Settings` (`Read`, then `SettingChanged`
/// signals) on the session bus. While banners are off (GNOME's do not
/// disturb), reminders are postponed by `recheck`, not lost. Without a
/// portal, or without the key, it lets everything through.
public final class DoNotDisturbPlugin: BuiltinPlugin, GatePlugin {
    static let busName = "org.freedesktop.portal.Desktop"
    static let path = "/org/freedesktop/portal/desktop"
    static let interface = "org.freedesktop.portal.Settings"
    static let namespace = "org.gnome.desktop.notifications"
    static let key = "show-banners"

    public static let manifest = PluginManifest(
        id: "do-not-disturb", name: "Do not disturb",
        description: "Postpones reminders while GNOME's do-not-disturb is on (show-banners = false), read through the desktop portal's Settings interface.",
        version: "1.0",
        settings: [
            SettingSpec("recheck", .duration(.minutes(5)), help: "How long to postpone while do-not-disturb is on.", minimum: 1, maximum: 86_400),
        ],
        needs: [.busName(.user, busName)], gateTimeLimit: .seconds(1))

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    private var slot: BusSlot?
    private var call: PendingCall?
    /// nil: not known (no key, no answer yet).
    public private(set) var bannersShown: Bool?

    public init() {}

    public func start(_ context: PluginContext) throws {
        guard let bus = context.bus(.user) else { throw PluginError("no session bus") }
        self.context = context
        slot = try bus.matchSignal(path: Self.path, interface: Self.interface, member: "SettingChanged") { [weak self] m in
            guard m.arguments.count == 3, m.arguments[0].stringValue == Self.namespace,
                  m.arguments[1].stringValue == Self.key else { return }
            self?.update(m.arguments[2].boolValue)
        }
        call = try bus.callAsync(destination: Self.busName, path: Self.path, interface: Self.interface, member: "Read",
                                 arguments: [.string(Self.namespace), .string(Self.key)], timeout: .seconds(5)) { [weak self] r in
            switch r {
            case .success(let v): self?.update(v.first?.boolValue)
            case .failure(let e):
                self?.context?.setDetail(.text(trMark("show-banners not readable: {error}"), ["error": e.busErrorName ?? e.description]))
            }
        }
    }

    public func stop() {
        call?.cancel()
        slot = nil
        context = nil
    }

    private func update(_ shown: Bool?) {
        guard let shown, shown != bannersShown else { return }
        bannersShown = shown
        context?.setDetail(shown ? .text(trMark("banners shown")) : .text(trMark("do not disturb is on")))
        context?.log(.info, shown ? "do not disturb is off" : "do not disturb is on; reminders wait")
    }

    public func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws {
        if bannersShown == false {
            verdict(.postpone(context?.settings.duration("recheck") ?? .minutes(5), reason: "do not disturb is on"))
        } else {
            verdict(.proceed)
        }
    }
}
