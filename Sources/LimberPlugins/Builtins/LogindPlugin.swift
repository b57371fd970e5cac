// logind: idle, lock and sleep from org.freedesktop.login1 on the system bus.
import Foundation
import LimberCore
import Systemd

enum Login1 {
    static let name = "org.freedesktop.login1"
    static let path = "/org/freedesktop/login1"
    static let manager = "org.freedesktop.login1.Manager"
    static let session = "org.freedesktop.login1.Session"
    static let properties = "org.freedesktop.DBus.Properties"
}

/// Follows the user's logind session: `IdleHint` (with
/// `IdleSinceHintMonotonic`), `LockedHint` through PropertiesChanged on the
/// session object, and `PrepareForSleep` on the manager. Holds a "sleep"
/// delay inhibitor so that the core hears of a suspend before it happens;
/// it lets go at PrepareForSleep(true) and takes a new one after resume.
/// Time suspended or locked counts as a natural break in the core; nothing
/// pops up right after a resume unless the catch-up policy asks for it.
public final class LogindPlugin: BuiltinPlugin, ActivitySourcePlugin {
    public static let manifest = PluginManifest(
        id: "logind", name: "logind idle, lock and sleep",
        description: "Idle, lock and suspend from systemd-logind (org.freedesktop.login1 on the system bus). The portable floor for idle detection: desktops that do not set IdleHint still report lock and sleep.",
        version: "1.0",
        settings: [
            SettingSpec("session", .string("auto"), help: "The logind session to follow: \"auto\" (the caller's, or the user's display session) or a session id."),
            SettingSpec("idle", .bool(true), help: "Report IdleHint as idle/active."),
            SettingSpec("lock", .bool(true), help: "Report LockedHint as locked/unlocked."),
            SettingSpec("sleep", .bool(true), help: "Report suspend and resume (PrepareForSleep), holding a delay inhibitor."),
        ],
        needs: [.busName(.system, Login1.name)], idlePriority: 10)

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    private var bus: Bus?
    private var slots: [BusSlot] = []
    private var calls: [PendingCall] = []
    private var sessionPath: String?
    private var idle: Bool?
    private var locked: Bool?
    private var inhibitor: Int32 = -1
    private var stopped = false

    public init() {}

    deinit { releaseInhibitor() }

    public func start(_ context: PluginContext) throws {
        guard let bus = context.bus(.system) else { throw PluginError("no system bus") }
        self.context = context
        self.bus = bus
        let s = context.settings
        if s.bool("sleep") ?? true {
            slots.append(try bus.matchSignal(sender: Login1.name, path: Login1.path, interface: Login1.manager,
                                             member: "PrepareForSleep") { [weak self] m in
                if let going = m.arguments.first?.boolValue { self?.prepareForSleep(going) }
            })
            takeInhibitor()
        }
        if (s.bool("idle") ?? true) || (s.bool("lock") ?? true) {
            let session = s.string("session") ?? "auto"
            try keep(bus.callAsync(destination: Login1.name, path: Login1.path, interface: Login1.manager,
                                   member: "GetSession", arguments: [.string(session)], timeout: .seconds(10)) { [weak self] r in
                switch r {
                case .success(let v):
                    guard let path = v.first?.stringValue else { return }
                    self?.follow(sessionPath: path)
                case .failure(let e):
                    self?.context?.setDetail(.text(trMark("no logind session '{session}': {error}; idle and lock not reported"),
                                                   ["session": session, "error": e.busErrorMessage ?? e.description]))
                    self?.context?.log(.warning, "no logind session '\(session)'; idle and lock are not reported", fields: ["error": "\(e)"])
                }
            })
        }
    }

    public func stop() {
        stopped = true
        for c in calls { c.cancel() }
        calls.removeAll()
        slots.removeAll()
        releaseInhibitor()
        context = nil
        bus = nil
    }

    private func keep(_ call: PendingCall) {
        calls.removeAll { !$0.isPending }
        calls.append(call)
    }

    private func follow(sessionPath path: String) {
        guard let bus, let context else { return }
        sessionPath = path
        do {
            slots.append(try bus.matchSignal(sender: Login1.name, path: path, interface: Login1.properties,
                                             member: "PropertiesChanged") { [weak self] m in
                guard m.arguments.count >= 2, m.arguments[0].stringValue == Login1.session,
                      let changed = m.arguments[1].stringKeyedDict else { return }
                self?.sessionChanged(changed)
            })
        } catch {
            context.fail(.text(trMark("cannot watch {path}: {error}"), ["path": path, "error": "\(error)"]))
            return
        }
        context.setDetail(.text(trMark("session {session}"), ["session": path.split(separator: "/").last.map(String.init) ?? path]))
        if context.settings.bool("idle") ?? true { context.setIdleSourceAvailable(true) }
        do {
            try keep(bus.callAsync(destination: Login1.name, path: path, interface: Login1.properties, member: "GetAll",
                                   arguments: [.string(Login1.session)], timeout: .seconds(10)) { [weak self] r in
                if case .success(let v) = r, let all = v.first?.stringKeyedDict { self?.sessionChanged(all) }
            })
        } catch {
            context.log(.warning, "cannot read the session's properties: \(error)")
        }
    }

    private func sessionChanged(_ props: [String: BusValue]) {
        guard let context, !stopped else { return }
        let s = context.settings
        if s.bool("lock") ?? true, let l = props["LockedHint"]?.boolValue, l != locked {
            let first = locked == nil
            locked = l
            if !(first && !l) { context.emit(l ? .locked : .unlocked) }
        }
        if s.bool("idle") ?? true, let i = props["IdleHint"]?.boolValue, i != idle {
            let first = idle == nil
            idle = i
            if i {
                var since: Duration?
                if let usec = props["IdleSinceHintMonotonic"]?.int64Value, usec > 0 {
                    let elapsed = Clocks.monotonic() - .microseconds(usec)
                    if elapsed >= .zero { since = context.now().uptime - elapsed }
                }
                context.emit(.idle(since: since))
            } else if !first {
                context.emit(.active)
            }
        }
    }

    private func prepareForSleep(_ going: Bool) {
        guard let context, !stopped else { return }
        if going {
            context.emit(.sleeping)
            releaseInhibitor()
        } else {
            context.emit(.woke)
            takeInhibitor()
        }
    }

    private func takeInhibitor() {
        guard let bus, inhibitor < 0 else { return }
        do {
            try keep(bus.callAsync(destination: Login1.name, path: Login1.path, interface: Login1.manager, member: "Inhibit",
                                   arguments: [.string("sleep"), .string("limber"),
                                               .string("Counting the suspend as a break"), .string("delay")],
                                   timeout: .seconds(10)) { [weak self] r in
                switch r {
                case .success(let v):
                    guard case .unixFD(let fd)? = v.first else { return }
                    guard let self, !self.stopped, self.inhibitor < 0 else { close(fd); return }
                    self.inhibitor = fd
                case .failure(let e):
                    self?.context?.log(.warning, "no sleep delay inhibitor; suspend is still seen, maybe late", fields: ["error": "\(e)"])
                }
            })
        } catch {
            context?.log(.warning, "cannot ask for a sleep delay inhibitor: \(error)")
        }
    }

    private func releaseInhibitor() {
        if inhibitor >= 0 {
            close(inhibitor)
            inhibitor = -1
        }
    }
}

/// An error a plugin throws with a message.
public struct PluginError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
