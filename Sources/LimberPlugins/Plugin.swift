// The plugin protocol: a manifest, and only the hooks a plugin needs.
import Foundation
import LimberCore
import Systemd

/// What a plugin can do. A built-in plugin's capabilities are the plugin
/// protocols it conforms to (`ActivitySourcePlugin`, `GatePlugin`, ...;
/// `of(_:)`), never a second list; an exec plugin declares them in its
/// manifest file.
public enum PluginCapability: String, Sendable, Hashable, Codable, CaseIterable {
    /// Emits idle, active, locked, unlocked, sleeping, woke.
    case activity
    /// Reviews a reminder before it is shown: proceed, postpone or drop.
    case gate
    /// Sees what happened: shown, withdrawn, outcomes.
    case observer
    /// Carries out effects: show, withdraw.
    case sink
    /// Reshapes a reminder before the sinks show it (a gentler message).
    case shaper

    /// The capabilities of a plugin type: the protocols it conforms to.
    public static func of(_ type: any LimberPlugin.Type) -> Set<PluginCapability> {
        var c: Set<PluginCapability> = []
        if type is any ActivitySourcePlugin.Type { c.insert(.activity) }
        if type is any GatePlugin.Type { c.insert(.gate) }
        if type is any ObserverPlugin.Type { c.insert(.observer) }
        if type is any SinkPlugin.Type { c.insert(.sink) }
        if type is any ShaperPlugin.Type { c.insert(.shaper) }
        return c
    }
}

/// Something a plugin needs before it can start. The host starts a plugin
/// only when all its needs are met, stops it when one goes away, and shows
/// it as `absent` meanwhile.
public enum PluginNeed: Sendable, Hashable, CustomStringConvertible {
    /// A connection to the bus.
    case bus(Bus.Kind)
    /// A well-known name owned on the bus (watched: the plugin starts when
    /// it appears and stops when it goes).
    case busName(Bus.Kind, String)
    /// A variable set (not empty) in limberd's environment: `DISPLAY`,
    /// `WAYLAND_DISPLAY`. Read when the host starts or reconfigures plugins
    /// (`systemctl --user import-environment` then `limberctl reload`).
    case environment(String)

    public var description: String {
        switch self {
        case .bus(let k): k == .system ? "system bus" : "session bus"
        case .busName(let k, let n): n + (k == .system ? " on the system bus" : " on the session bus")
        case .environment(let name): "$\(name) (no such session)"
        }
    }

    /// `description` in the user's language, for `limberctl plugins`.
    public var label: String {
        switch self {
        case .bus(let k): k == .system ? tr("system bus") : tr("session bus")
        case .busName(let k, let n): k == .system ? tr("{name} on the system bus", ["name": n]) : tr("{name} on the session bus", ["name": n])
        case .environment(let name): tr("${name} (no such session)", ["name": name])
        }
    }

    /// The bus this need is about (nil: not a bus).
    public var busKind: Bus.Kind? {
        switch self {
        case .bus(let k), .busName(let k, _): k
        case .environment: nil
        }
    }
}

/// Who a plugin is, what it can do, its settings and needs.
public struct PluginManifest: Sendable, Hashable {
    /// The id used in limber.toml: `[plugins.ID]`.
    public var id: String
    public var name: String
    public var description: String
    public var version: String
    /// What it can do. Built-ins leave it empty: `PluginEntry` fills it in
    /// from the plugin's protocols (`PluginCapability.of`).
    public var capabilities: Set<PluginCapability>
    /// Typed settings with defaults; anything else in `[plugins.ID]` is an error.
    public var settings: [SettingSpec]
    public var needs: [PluginNeed]
    /// Runs unless `[plugins.ID] enabled = false`.
    public var enabledByDefault: Bool
    /// For activity sources that report idle/active: higher wins when several
    /// are present (gnome-idle 20, logind 10, exec plugins 5).
    public var idlePriority: Int?
    /// How long a gate may take to answer before it counts as proceed (and
    /// as an overrun).
    public var gateTimeLimit: Duration

    public init(id: String, name: String, description: String, version: String = "1.0",
                capabilities: Set<PluginCapability> = [], settings: [SettingSpec] = [], needs: [PluginNeed] = [],
                enabledByDefault: Bool = true, idlePriority: Int? = nil, gateTimeLimit: Duration = .seconds(2)) {
        self.id = id
        self.name = name
        self.description = description
        self.version = version
        self.capabilities = capabilities
        self.settings = settings
        self.needs = needs
        self.enabledByDefault = enabledByDefault
        self.idlePriority = idlePriority
        self.gateTimeLimit = gateTimeLimit
    }

    public func setting(_ key: String) -> SettingSpec? { settings.first { $0.key == key } }
}

/// What an activity source reports.
public enum ActivityEvent: Sendable, Hashable, CustomStringConvertible {
    /// Input stopped; `since` is the CLOCK_BOOTTIME uptime when it stopped, if known.
    case idle(since: Duration?)
    case active
    case locked
    case unlocked
    /// The machine is about to suspend / has resumed.
    case sleeping
    case woke

    /// Idle and active are arbitrated between sources (the best one present
    /// wins); lock and sleep pass through from whoever reports them.
    public var isIdleKind: Bool {
        switch self {
        case .idle, .active: true
        default: false
        }
    }

    /// The core's event.
    public var event: Event {
        switch self {
        case .idle(let since): .idle(since: since)
        case .active: .active
        case .locked: .locked
        case .unlocked: .unlocked
        case .sleeping: .sleeping
        case .woke: .woke
        }
    }

    public var description: String {
        switch self {
        case .idle: "idle"
        case .active: "active"
        case .locked: "locked"
        case .unlocked: "unlocked"
        case .sleeping: "sleeping"
        case .woke: "woke"
        }
    }
}

/// The base of every plugin: a manifest, start and stop. `start` runs on
/// the loop thread and must not block: bus calls are async, processes are
/// watched through the loop. Throwing marks the plugin failed.
public protocol LimberPlugin: AnyObject {
    var manifest: PluginManifest { get }
    func start(_ context: PluginContext) throws
    /// Lets go of everything started (matches, timers, processes). Must not throw.
    func stop()
}

/// A plugin built into limberd: its manifest is known before it is made
/// (PluginRegistry), and its capabilities are its protocols.
public protocol BuiltinPlugin: LimberPlugin {
    static var manifest: PluginManifest { get }
}

/// Emits activity through `PluginContext.emit`. The protocol is a marker:
/// a source starts listening in `start`.
public protocol ActivitySourcePlugin: LimberPlugin {}

/// Reviews a reminder before it is shown. Call `verdict` once, now or later
/// (within the manifest's `gateTimeLimit`; later answers are ignored).
public protocol GatePlugin: LimberPlugin {
    func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws
}

/// Sees what happened.
public protocol ObserverPlugin: LimberPlugin {
    /// `.shown`, `.withdrawn` and `.recorded` (the host passes no others).
    func observe(_ observation: ServiceEvent) throws
}

/// Carries out effects.
public protocol SinkPlugin: LimberPlugin {
    func show(_ reminder: Reminder) throws
    func withdraw(_ id: ReminderID, reason: WithdrawReason) throws
}

/// Rewrites a reminder before sinks show it (same id; items, messages, doses).
public protocol ShaperPlugin: LimberPlugin {
    func shape(_ reminder: Reminder) throws -> Reminder
}

/// A log line from a plugin or the host, with structured fields (they
/// become journal fields: `outcome` → `LIMBER_OUTCOME=`).
public struct PluginLogEntry: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, Comparable {
        case debug, info, notice, warning, error

        private var rank: Int {
            switch self {
            case .debug: 0
            case .info: 1
            case .notice: 2
            case .warning: 3
            case .error: 4
            }
        }

        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    public var level: Level
    public var plugin: String
    public var message: String
    public var fields: [String: String]

    public init(level: Level, plugin: String, message: String, fields: [String: String] = [:]) {
        self.level = level
        self.plugin = plugin
        self.message = message
        self.fields = fields
    }
}

/// What a plugin gets from the host while it runs. Valid between `start`
/// and `stop`; after `stop`, emitting does nothing.
public final class PluginContext {
    public let id: String
    public let settings: PluginSettings
    public let loop: EventLoop
    private weak var host: PluginHost?
    private let buses: [Bus.Kind: Bus]
    var isLive = true

    init(id: String, settings: PluginSettings, loop: EventLoop, host: PluginHost, buses: [Bus.Kind: Bus]) {
        self.id = id
        self.settings = settings
        self.loop = loop
        self.host = host
        self.buses = buses
    }

    /// The bus connection named in the manifest's needs (present while the plugin runs).
    public func bus(_ kind: Bus.Kind) -> Bus? { buses[kind] }

    /// A variable of limberd's environment (`DISPLAY`), as the host reads it.
    public func environment(_ name: String) -> String? { host?.environment(name) }

    /// The time now, as the daemon's clock reads it.
    public func now() -> Moment { host?.clock() ?? Moment(wall: Date(), uptime: Clocks.now().boottime) }

    /// Reports activity (activity sources).
    public func emit(_ event: ActivityEvent) {
        guard isLive else { return }
        host?.activity(event, from: id)
    }

    /// Says whether this source can report idle right now (e.g. logind found
    /// the session; Mutter answered). The host picks the best one available.
    public func setIdleSourceAvailable(_ available: Bool) {
        guard isLive else { return }
        host?.setIdleAvailable(id, available)
    }

    /// Status detail shown by `limberctl plugins` ("session c2", "video call
    /// running"): `.text(trMark("session {session}"), ["session": id])`.
    public func setDetail(_ detail: PluginText) {
        guard isLive else { return }
        host?.setDetail(id, detail)
    }

    /// Something went wrong outside a hook (an async call failed, a child
    /// died). `recoverable`: the plugin handles it itself (restarting a
    /// child) and calls `recovered()` when it runs again; otherwise the host
    /// stops it and marks it failed.
    public func fail(_ reason: PluginText, recoverable: Bool = false) {
        guard isLive else { return }
        host?.pluginFailed(id, reason: reason, recoverable: recoverable)
    }

    /// Started but not ready (an exec plugin waiting for its handshake):
    /// skipped by the hooks until `recovered()`.
    public func starting(_ detail: PluginText) {
        guard isLive else { return }
        host?.pluginStarting(id, detail: detail)
    }

    /// Running (again): after `starting`, or a recoverable failure.
    public func recovered(_ detail: PluginText = .empty) {
        guard isLive else { return }
        host?.pluginRecovered(id, detail: detail)
    }

    public func log(_ level: PluginLogEntry.Level, _ message: String, fields: [String: String] = [:]) {
        host?.log(PluginLogEntry(level: level, plugin: id, message: message, fields: fields))
    }
}
