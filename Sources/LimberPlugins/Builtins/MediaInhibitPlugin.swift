// media-inhibit: reminders wait while something holds an idle inhibitor.
import Foundation
import LimberCore
import Systemd

/// While something blocks idle through logind (a video player, a
/// presentation, a screen share: `Inhibit("idle", ..., "block")`),
/// reminders are postponed, re-checked every `recheck`, for at most
/// `max_wait` per occurrence; then they are shown anyway. Asks logind at
/// review time (`ListInhibitors`, else the manager's `BlockInhibited`
/// property, which sends no change signal): nothing is polled while no
/// reminder is due.
public final class MediaInhibitPlugin: BuiltinPlugin, GatePlugin {
    public static let manifest = PluginManifest(
        id: "media-inhibit", name: "Wait during video and presentations",
        description: "Postpones reminders while an application holds a logind idle inhibitor (video playback, a presentation, a screen share), up to a bound.",
        version: "1.0",
        settings: [
            SettingSpec("recheck", .duration(.minutes(2)), help: "How long to postpone each time.", minimum: 1, maximum: 3600),
            SettingSpec("max_wait", .duration(.hours(1)), help: "Show the reminder anyway after waiting this long.", minimum: 1, maximum: 86_400),
            SettingSpec("ignore", .strings([]), help: "Inhibitor owners (the 'who') to ignore, e.g. [\"gnome-session\"]."),
        ],
        needs: [.busName(.system, Login1.name)], gateTimeLimit: .seconds(2))

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    private var bus: Bus?
    private var calls: [PendingCall] = []
    /// When each held occurrence (rule and due time) was first postponed.
    private var waitingSince: [String: Date] = [:]

    public init() {}

    public func start(_ context: PluginContext) throws {
        guard let bus = context.bus(.system) else { throw PluginError("no system bus") }
        self.context = context
        self.bus = bus
    }

    public func stop() {
        for c in calls { c.cancel() }
        calls.removeAll()
        context = nil
        bus = nil
    }

    public func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws {
        guard let bus else { verdict(.proceed); return }
        calls.removeAll { !$0.isPending }
        calls.append(try bus.callAsync(destination: Login1.name, path: Login1.path, interface: Login1.manager,
                                       member: "ListInhibitors", timeout: .milliseconds(1500)) { [weak self] r in
            guard let self else { verdict(.proceed); return }
            switch r {
            case .success(let v):
                let holders = (v.first?.arrayValue ?? []).compactMap { e -> (who: String, why: String)? in
                    guard let f = e.structValue, f.count >= 4, let what = f[0].stringValue, let mode = f[3].stringValue,
                          what.split(separator: ":").contains("idle"), mode == "block" else { return nil }
                    return (f[1].stringValue ?? "?", f[2].stringValue ?? "")
                }
                let ignored = Set(self.context?.settings.strings("ignore") ?? [])
                let relevant = holders.filter { !ignored.contains($0.who) }
                verdict(self.decide(reminder, holders: relevant.map { $0.why.isEmpty ? $0.who : "\($0.who) (\($0.why))" }))
            case .failure:
                self.readBlockInhibited(reminder, verdict)
            }
        })
    }

    private func readBlockInhibited(_ reminder: Reminder, _ verdict: @escaping (GateDecision) -> Void) {
        guard let bus else { verdict(.proceed); return }
        do {
            calls.append(try bus.callAsync(destination: Login1.name, path: Login1.path, interface: Login1.properties,
                                           member: "Get", arguments: [.string(Login1.manager), .string("BlockInhibited")],
                                           timeout: .milliseconds(400)) { [weak self] r in
                guard let self, case .success(let v) = r, let text = v.first?.stringValue else { verdict(.proceed); return }
                let idle = text.split(separator: ":").contains("idle")
                verdict(self.decide(reminder, holders: idle ? ["an application"] : []))
            })
        } catch {
            verdict(.proceed)
        }
    }

    func decide(_ reminder: Reminder, holders: [String]) -> GateDecision {
        let now = context?.now().wall ?? Date()
        let keys = reminder.items.map { "\($0.rule)@\($0.dueAt.timeIntervalSince1970)" }
        // Forget occurrences that are long gone.
        waitingSince = waitingSince.filter { now.timeIntervalSince($0.value) < 2 * 86_400 }
        guard !holders.isEmpty else {
            for k in keys { waitingSince[k] = nil }
            context?.setDetail(.empty)
            return .proceed
        }
        let maxWait = context?.settings.duration("max_wait") ?? .hours(1)
        let recheck = context?.settings.duration("recheck") ?? .minutes(2)
        let since = keys.compactMap { waitingSince[$0] }.min() ?? now
        for k in keys where waitingSince[k] == nil { waitingSince[k] = since }
        let waited = Duration.seconds(now.timeIntervalSince(since))
        context?.setDetail(.text(trMark("idle inhibited by {holders}"), ["holders": holders.joined(separator: ", ")]))
        if waited >= maxWait {
            context?.log(.notice, "showing the reminder after waiting \(DurationText.format(waited)) for \(holders.joined(separator: ", "))")
            for k in keys { waitingSince[k] = nil }
            return .proceed
        }
        let left = maxWait - waited
        return .postpone(min(recheck, left), reason: "idle inhibited by " + holders.joined(separator: ", "))
    }
}
