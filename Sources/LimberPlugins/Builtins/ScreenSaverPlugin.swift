// screensaver: lock and unlock from org.freedesktop.ScreenSaver.
import Foundation
import LimberCore
import Systemd

/// Follows `org.freedesktop.ScreenSaver` on the session bus (KDE, Xfce's
/// xfce4-screensaver, MATE, Cinnamon, light-locker): `ActiveChanged(b)`
/// reports locked / unlocked, and `GetActive` says whether the screen is
/// locked already when limber starts. Besides logind's LockedHint, which
/// these desktops do not always set; the core ignores a second "locked"
/// while already locked.
public final class ScreenSaverPlugin: BuiltinPlugin, ActivitySourcePlugin {
    static let busName = "org.freedesktop.ScreenSaver"
    static let path = "/org/freedesktop/ScreenSaver"
    static let interface = "org.freedesktop.ScreenSaver"

    public static let manifest = PluginManifest(
        id: "screensaver", name: "Screen lock (org.freedesktop.ScreenSaver)",
        description: "Lock and unlock from org.freedesktop.ScreenSaver's ActiveChanged on the session bus (KDE, Xfce, MATE, Cinnamon), besides logind's LockedHint. Time locked counts as a break.",
        version: "1.0",
        needs: [.busName(.user, busName)])

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    private var slot: BusSlot?
    private var call: PendingCall?
    private var active: Bool?

    public init() {}

    public func start(_ context: PluginContext) throws {
        guard let bus = context.bus(.user) else { throw PluginError("no session bus") }
        self.context = context
        // KDE sends it from /ScreenSaver too: match any path of the interface.
        slot = try bus.matchSignal(sender: Self.busName, interface: Self.interface, member: "ActiveChanged") { [weak self] m in
            if let on = m.arguments.first?.boolValue { self?.changed(on) }
        }
        call = try bus.callAsync(destination: Self.busName, path: Self.path, interface: Self.interface, member: "GetActive",
                                 timeout: .seconds(5)) { [weak self] r in
            guard let self, let context = self.context else { return }
            switch r {
            case .success(let v):
                if let on = v.first?.boolValue, self.active == nil { self.changed(on) }
            case .failure(let e):
                context.log(.notice, "GetActive failed; following ActiveChanged only", fields: ["error": "\(e)"])
            }
        }
        context.setDetail(.text(trMark("following {signal}"), ["signal": "ActiveChanged"]))
    }

    private func changed(_ on: Bool) {
        guard let context, on != active else { return }
        let first = active == nil
        active = on
        context.setDetail(on ? .text(trMark("screen locked")) : .text(trMark("screen unlocked")))
        // Unlocked at start is no news.
        if first && !on { return }
        context.emit(on ? .locked : .unlocked)
    }

    public func stop() {
        call?.cancel()
        call = nil
        slot = nil
        context = nil
    }
}
