// x11-idle and wayland-idle: idle straight from the display server, for
// desktops that set no logind IdleHint (KDE, Xfce, i3, sway, Hyprland, ...).
import CDesktop
import Foundation
import LimberCore
import Systemd

/// Idle from X11: the SYNC extension's IDLETIME counter with alarms (the
/// way KIdleTime does it), so the server tells limberd when input stopped
/// for `idle_after` and when it starts again; nothing polls. libxcb is
/// loaded only when the session has a `DISPLAY`. Not used in a Wayland
/// session (XWayland sees only X clients' input): wayland-idle is.
public final class X11IdlePlugin: BuiltinPlugin, ActivitySourcePlugin {
    public static let manifest = PluginManifest(
        id: "x11-idle", name: "X11 idle (SYNC IDLETIME)",
        description: "Idle and activity from the X server's SYNC IDLETIME counter (alarms, no polling), for X11 desktops that set no logind IdleHint: Xfce, MATE, Cinnamon, i3, KDE on X11. Needs $DISPLAY and libxcb-sync1.",
        version: "1.0",
        settings: [
            SettingSpec("idle_after", .duration(.minutes(1)), help: "No input for this long reports idle (the core backdates the start).",
                        minimum: 1, maximum: 3600),
        ],
        needs: [.environment("DISPLAY")], idlePriority: 15)

    public var manifest: PluginManifest { Self.manifest }
    private var handle: OpaquePointer?
    private var watch: DisplayIdleReporter?

    public init() {}

    public func start(_ context: PluginContext) throws {
        if let wayland = context.environment("WAYLAND_DISPLAY"), !wayland.isEmpty {
            context.setDetail(.text(trMark("not used in a Wayland session (X11 sees only XWayland's input); wayland-idle is")))
            return
        }
        let threshold = context.settings.duration("idle_after") ?? .minutes(1)
        let display = context.environment("DISPLAY") ?? ""
        var err = [CChar](repeating: 0, count: 256)
        guard let h = limber_x11_idle_open(display, UInt32(threshold.seconds * 1000), &err, err.count) else {
            throw PluginError(cText(err))
        }
        handle = h
        let reporter = DisplayIdleReporter(context: context, threshold: threshold)
        watch = reporter
        reporter.source = try context.loop.watch(fd: limber_x11_idle_fd(h)) { [weak self] _ in self?.dispatch() }
        context.setIdleSourceAvailable(true)
        context.setDetail(.text(trMark("display {display}, idle after {duration}"),
                                 ["display": display, "duration": DurationText.format(threshold)]))
        dispatch()
    }

    private func dispatch() {
        guard let handle, let watch else { return }
        var idleMs: UInt64 = 0
        let bits = limber_x11_idle_dispatch(handle, &idleMs)
        watch.report(bits, idleFor: .milliseconds(Int64(clamping: idleMs)))
        if bits & LIMBER_IDLE_CLOSED != 0 {
            stop()
        }
    }

    public func stop() {
        watch?.close()
        watch = nil
        if let handle { limber_x11_idle_close(handle) }
        handle = nil
    }
}

/// Idle from a Wayland compositor: ext-idle-notify-v1, else
/// org_kde_kwin_idle (Debian 12's sway 1.7, older KWin). The compositor
/// sends idle after `idle_after` without input and resumed at the next
/// input; nothing polls. libwayland-client is loaded only when the
/// session has a `WAYLAND_DISPLAY`.
public final class WaylandIdlePlugin: BuiltinPlugin, ActivitySourcePlugin {
    public static let manifest = PluginManifest(
        id: "wayland-idle", name: "Wayland idle (ext-idle-notify, KDE idle)",
        description: "Idle and activity from the Wayland compositor (ext-idle-notify-v1: KDE Plasma, sway 1.8+, Hyprland, labwc, river, niri; else org_kde_kwin_idle: older KWin, sway 1.7). Needs $WAYLAND_DISPLAY and libwayland-client0.",
        version: "1.0",
        settings: [
            SettingSpec("idle_after", .duration(.minutes(1)), help: "No input for this long reports idle (the core backdates the start).",
                        minimum: 1, maximum: 3600),
        ],
        needs: [.environment("WAYLAND_DISPLAY")], idlePriority: 18)

    public var manifest: PluginManifest { Self.manifest }
    private var handle: OpaquePointer?
    private var watch: DisplayIdleReporter?

    public init() {}

    public func start(_ context: PluginContext) throws {
        let threshold = context.settings.duration("idle_after") ?? .minutes(1)
        let display = context.environment("WAYLAND_DISPLAY") ?? ""
        var err = [CChar](repeating: 0, count: 256)
        var proto: UnsafePointer<CChar>?
        guard let h = limber_wl_idle_open(display, UInt32(threshold.seconds * 1000), &proto, &err, err.count) else {
            throw PluginError(cText(err))
        }
        handle = h
        let reporter = DisplayIdleReporter(context: context, threshold: threshold)
        watch = reporter
        reporter.source = try context.loop.watch(fd: limber_wl_idle_fd(h)) { [weak self] _ in self?.dispatch() }
        context.setIdleSourceAvailable(true)
        let name = proto.map { String(cString: $0) } ?? "?"
        context.setDetail(.text(trMark("{display} via {protocol}, idle after {duration}"),
                                 ["display": display, "protocol": name, "duration": DurationText.format(threshold)]))
        dispatch()
    }

    private func dispatch() {
        guard let handle, let watch else { return }
        let bits = limber_wl_idle_dispatch(handle)
        watch.report(bits, idleFor: watch.threshold)
        if bits & LIMBER_IDLE_CLOSED != 0 {
            stop()
        }
    }

    public func stop() {
        watch?.close()
        watch = nil
        if let handle { limber_wl_idle_close(handle) }
        handle = nil
    }
}

/// Turns a display's idle bits into activity events (once per change).
final class DisplayIdleReporter {
    let context: PluginContext
    let threshold: Duration
    var source: EventSource?
    private var idle = false

    init(context: PluginContext, threshold: Duration) {
        self.context = context
        self.threshold = threshold
    }

    func report(_ bits: Int32, idleFor: Duration) {
        if bits & LIMBER_IDLE_BECAME_IDLE != 0, !idle {
            idle = true
            context.emit(.idle(since: context.now().uptime - idleFor))
        }
        if bits & LIMBER_IDLE_BECAME_ACTIVE != 0, idle {
            idle = false
            context.emit(.active)
        }
        if bits & LIMBER_IDLE_CLOSED != 0 {
            context.setIdleSourceAvailable(false)
            context.fail(.text(trMark("the display server closed the connection")), recoverable: false)
        }
    }

    func close() {
        source?.cancel()
        source = nil
    }
}

/// A C message buffer as text (up to its terminating NUL).
func cText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
