// gnome-idle: precise idle from Mutter's IdleMonitor, with watches (no polling).
import Foundation
import LimberCore
import Systemd

/// Idle and active from `org.gnome.Mutter.IdleMonitor` at
/// `/org/gnome/Mutter/IdleMonitor/Core` on the session bus: one idle watch
/// (`AddIdleWatch(idle_after)`, fires each time idle time reaches it) and,
/// while idle, a one-shot `AddUserActiveWatch`. Both arrive as
/// `WatchFired(u)`. Runs only while the name is on the bus; when present it
/// is the preferred idle source (priority 20, above logind).
public final class GnomeIdlePlugin: BuiltinPlugin, ActivitySourcePlugin {
    static let busName = "org.gnome.Mutter.IdleMonitor"
    static let path = "/org/gnome/Mutter/IdleMonitor/Core"
    static let interface = "org.gnome.Mutter.IdleMonitor"

    public static let manifest = PluginManifest(
        id: "gnome-idle", name: "GNOME idle monitor",
        description: "Precise idle and activity from GNOME Shell's org.gnome.Mutter.IdleMonitor (watches, no polling), used instead of logind while that name is on the session bus.",
        version: "1.0",
        settings: [
            SettingSpec("idle_after", .duration(.minutes(1)), help: "No input for this long reports idle (the core backdates the start).",
                        minimum: 1, maximum: 3600),
        ],
        needs: [.busName(.user, busName)], idlePriority: 20)

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    private var bus: Bus?
    private var slot: BusSlot?
    private var calls: [PendingCall] = []
    private var idleWatch: UInt32?
    private var activeWatch: UInt32?
    private var idle = false
    private var threshold: Duration = .minutes(1)

    public init() {}

    public func start(_ context: PluginContext) throws {
        guard let bus = context.bus(.user) else { throw PluginError("no session bus") }
        self.context = context
        self.bus = bus
        threshold = context.settings.duration("idle_after") ?? .minutes(1)
        slot = try bus.matchSignal(path: Self.path, interface: Self.interface, member: "WatchFired") { [weak self] m in
            if let id = m.arguments.first?.uint32Value { self?.fired(id) }
        }
        let ms = UInt64(threshold.seconds * 1000)
        try call("AddIdleWatch", [.uint64(ms)]) { [weak self] r in
            guard let self, let context = self.context else { return }
            switch r {
            case .success(let v):
                self.idleWatch = v.first?.uint32Value
                context.setIdleSourceAvailable(true)
                context.setDetail(.text(trMark("idle after {duration}"), ["duration": DurationText.format(self.threshold)]))
                self.checkNow()
            case .failure(let e):
                context.fail(.text(trMark("{call} failed: {error}"), ["call": "AddIdleWatch", "error": "\(e)"]))
            }
        }
    }

    public func stop() {
        for c in calls { c.cancel() }
        calls.removeAll()
        slot = nil
        // Watches die with our connection anyway; remove them if it stays.
        for w in [idleWatch, activeWatch].compactMap({ $0 }) {
            _ = try? bus?.callAsync(destination: Self.busName, path: Self.path, interface: Self.interface,
                                    member: "RemoveWatch", arguments: [.uint32(w)], timeout: .seconds(5)) { _ in }
        }
        idleWatch = nil
        activeWatch = nil
        context = nil
        bus = nil
    }

    private func call(_ member: String, _ args: [BusValue], _ done: @escaping (Result<[BusValue], SystemdError>) -> Void) throws {
        guard let bus else { return }
        calls.removeAll { !$0.isPending }
        calls.append(try bus.callAsync(destination: Self.busName, path: Self.path, interface: Self.interface,
                                       member: member, arguments: args, timeout: .seconds(5), completion: done))
    }

    /// Already idle when we start?
    private func checkNow() {
        try? call("GetIdletime", []) { [weak self] r in
            guard let self, case .success(let v) = r, let ms = v.first?.int64Value else { return }
            if .milliseconds(ms) >= self.threshold, !self.idle { self.becameIdle(after: .milliseconds(ms)) }
        }
    }

    private func fired(_ id: UInt32) {
        guard let context else { return }
        if id == idleWatch, !idle {
            becameIdle(after: threshold)
        } else if id == activeWatch {
            activeWatch = nil
            guard idle else { return }
            idle = false
            context.emit(.active)
        }
    }

    private func becameIdle(after: Duration) {
        guard let context else { return }
        idle = true
        context.emit(.idle(since: context.now().uptime - after))
        try? call("AddUserActiveWatch", []) { [weak self] r in
            guard let self else { return }
            switch r {
            case .success(let v): self.activeWatch = v.first?.uint32Value
            case .failure(let e): self.context?.fail(.text(trMark("{call} failed: {error}"), ["call": "AddUserActiveWatch", "error": "\(e)"]))
            }
        }
    }
}
