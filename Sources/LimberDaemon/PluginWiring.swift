// The adapter between the daemon and the plugin host: settings from
// limber.toml, exec manifests from disk, buses, the gate, activity,
// observers and the presenter.
import Foundation
import Logging
import LimberConfig
import LimberCore
import LimberNotifications
import LimberPlugins
import Systemd

/// Owns the plugin host for a running daemon. The daemon builds it first
/// and hands what the service needs from it into the service's initializer:
/// the gate (this object), the status source (`idleSourceLine`), the reload
/// validator (`validateReload`) and the presenter wrapped by `presenter(_:)`.
/// `start` then connects the host to the service and the buses.
public final class PluginWiring: ReminderGate {
    public let host: PluginHost
    /// Where exec plugin manifests are looked for, highest priority first.
    public let pluginDirectories: [String]
    private let log: Logger
    private weak var service: ReminderService?

    public init(loop: EventLoop, clock: @escaping () -> Moment, pluginDirectories: [String],
                builtins: [PluginEntry] = PluginRegistry.builtins(), logger: Logger) {
        self.log = logger
        self.pluginDirectories = pluginDirectories
        host = PluginHost(loop: loop, entries: builtins, clock: clock)
        host.onLog = { [log = logger] entry in Self.write(entry, to: log) }
    }

    /// `presenter` with the plugins in front: shapers reshape what it
    /// shows, sinks get it too.
    public func presenter(_ inner: ReminderPresenter) -> ReminderPresenter {
        PluginPresenter(inner: inner, host: host)
    }

    /// A reload with bad plugin settings is rejected whole, like any other
    /// error: `file:line:column: message`s.
    /// They are checked against the plugins the reload would have (the
    /// built-ins and the manifests it found).
    public func validateReload(_ result: LoadResult) -> [String] {
        let schemas = builtinSchemas + result.pluginManifests.map(\.schema)
        return PluginSettingsReader.check(result.plugins, schemas: schemas).diagnostics.map(\.description)
    }

    /// What `ListPlugins` and `limberctl plugins` show: every plugin, then
    /// each plugin file that was skipped (not trusted) or could not be
    /// read, with where and why.
    public func statusRows() -> [PluginStatusRow] {
        statuses().map {
            PluginStatusRow(id: $0.id, state: $0.state.rawValue, kind: $0.external ? "exec" : "built-in",
                            detail: $0.detail, roles: $0.isIdleSource ? [PluginStatusRow.idleSourceRole] : [])
        } + manifestProblems.map { d in
            let stem = ((d.file as NSString).lastPathComponent as NSString).deletingPathExtension
            return PluginStatusRow(id: stem, state: d.message.hasPrefix("skipped: ") ? "skipped" : "failed", kind: "exec",
                                   detail: d.description)
        }
    }

    /// Connects the host to the service (activity in, its events out) and
    /// two bus supervisors, then starts it. Before the service starts, so
    /// the first reminder is gated. Never throws: a plugin problem is
    /// logged and shown in the plugin's status.
    public func start(service: ReminderService, userBus: BusSupervisor?, systemBus: BusSupervisor?) {
        self.service = service
        host.onActivity = { [weak service] event, _ in service?.send(event.event) }
        // Active time is counted only while some source can say when the
        // person is away; until the plugins start, it is not known.
        service.activity.setIdleKnown(false, at: service.clock(), countingSoFar: false)
        host.onStatusChange = { [weak self, weak service] in
            guard let self, let service else { return }
            service.activity.setIdleKnown(self.host.idleSource != nil, at: service.clock())
        }
        service.observe { [weak self] event in self?.serviceEvent(event) }
        let found = service.loader.pluginManifests()
        applyManifests(found.manifests, problems: service.loader.untrustedFiles(config: false) + found.diagnostics,
                       settings: service.pluginSettings)
        applySettings(service.pluginSettings, initial: true)
        host.start()
        for (supervisor, kind) in [(userBus, Bus.Kind.user), (systemBus, Bus.Kind.system)] {
            guard let supervisor else { continue }
            supervisor.onConnect { [weak self] bus in self?.host.busConnected(bus, kind: kind) }
            supervisor.onDisconnect { [weak self] in self?.host.busLost(kind) }
            supervisor.connect()
        }
        log.info("plugins: \(host.statuses().map { "\($0.id)=\($0.state.rawValue)" }.joined(separator: " "))")
    }

    // MARK: ReminderGate

    public func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void) {
        host.review(reminder, decide: decide)
    }

    // MARK: Status

    /// For `limberctl plugins` and the D-Bus API.
    public func statuses() -> [PluginStatus] { host.statuses() }

    /// "idle source: logind", for the daemon's status.
    public var idleSourceLine: String { host.idleSourceLine }

    // MARK: Service events

    private func serviceEvent(_ event: ServiceEvent) {
        switch event {
        case .shown, .withdrawn, .recorded: host.observe(event)
        case .reloaded(ok: true, _):
            if let service {
                applyManifests(service.pluginManifests, problems: service.pluginProblems, settings: service.pluginSettings)
                applySettings(service.pluginSettings, initial: false)
            }
        case .reloaded, .statusChanged: break
        }
    }

    // MARK: Settings

    /// Validates every `[plugins.ID]` table and hands the result to the host
    /// (which restarts the plugins whose settings changed). Problems are
    /// logged as `file:line:column: message` and shown in the status.
    @discardableResult
    public func applySettings(_ tables: [String: ConfigTable], initial: Bool) -> [Diagnostic] {
        let checked = Self.validate(tables, manifests: host.manifests)
        for d in checked.diagnostics { log.error("\(d.description)") }
        let restarted = host.configure(checked.configs, rejected: checked.rejected.mapValues { $0.map(\.description) })
        if !initial, !restarted.isEmpty { log.info("plugins restarted after reload: \(restarted.joined(separator: ", "))") }
        return checked.diagnostics
    }

    /// Checks `[plugins.ID]` tables against manifests: unknown plugins,
    /// unknown settings and wrong types are errors at their file:line:column.
    public static func validate(_ tables: [String: ConfigTable], manifests: [PluginManifest]) -> PluginSettingsReader.Checked {
        PluginSettingsReader.check(tables, schemas: manifests.map(\.settingsSchema))
    }

    private var builtinSchemas: [PluginSettingsSchema] {
        host.entries.filter { !$0.external }.map(\.manifest.settingsSchema)
    }

    // MARK: Exec plugins

    /// Plugin files skipped (untrusted) or unreadable at the last load, for
    /// `limberctl plugins`.
    public private(set) var manifestProblems: [Diagnostic] = []

    /// Makes the exec plugins those of `files` (read from the search path
    /// with the rest of the configuration, LimberConfig): a plugin whose
    /// manifest is gone stops and goes, one whose manifest changed
    /// restarts, a new one starts (on its `[plugins.ID]` settings). Skipped
    /// and bad files are logged at their file:line:column.
    public func applyManifests(_ files: [PluginManifestFile], problems: [Diagnostic], settings: [String: ConfigTable] = [:]) {
        manifestProblems = problems
        for d in problems { d.isError ? log.error("\(d.description)") : log.warning("\(d.description)") }
        var entries: [PluginEntry] = []
        for file in files {
            if let builtin = host.entries.first(where: { !$0.external && $0.manifest.id == file.id }) {
                let d = Diagnostic(SourceLocation(file: file.manifestPath), "plugin id '\(builtin.manifest.id)' is already taken by a built-in plugin")
                manifestProblems.append(d)
                log.error("\(d.description)")
                continue
            }
            entries.append(PluginRegistry.external(ExecManifest(file)))
        }
        // New and edited plugins start on their [plugins.ID] settings at once.
        let configs = PluginSettingsReader.check(settings, schemas: builtinSchemas + entries.map(\.manifest.settingsSchema)).configs
        let change = host.setExternal(entries, configs: configs)
        for id in change.added { log.info("exec plugin found: \(id)") }
        for id in change.removed { log.info("exec plugin removed (its manifest is gone): \(id)") }
        for id in change.replaced { log.info("exec plugin changed (its manifest was edited): \(id)") }
    }

    // MARK: Logging

    static func write(_ entry: PluginLogEntry, to log: Logger) {
        var metadata: Logger.Metadata = ["plugin": .string(entry.plugin)]
        for (k, v) in entry.fields { metadata[k] = .string(v) }
        let level: Logger.Level = switch entry.level {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
        log.log(level: level, "\(entry.plugin): \(entry.message)", metadata: metadata)
    }
}

/// Wraps the daemon's presenter: reminders pass through the shapers
/// (skip-guard's gentler message) and go to plugin sinks too.
final class PluginPresenter: ReminderPresenter {
    let inner: ReminderPresenter
    let host: PluginHost

    init(inner: ReminderPresenter, host: PluginHost) {
        self.inner = inner
        self.host = host
    }

    var onAnswer: ((ReminderID, Answer) -> Void)? {
        get { inner.onAnswer }
        set { inner.onAnswer = newValue }
    }

    func show(_ reminder: Reminder, programs: [Program]) {
        let shaped = host.shape(reminder)
        inner.show(shaped, programs: programs)
        host.show(shaped)
    }

    func withdraw(_ id: ReminderID, reason: WithdrawReason) {
        inner.withdraw(id, reason: reason)
        host.withdraw(id, reason: reason)
    }

    func resume(_ reminder: Reminder, programs: [Program]) {
        inner.resume(host.shape(reminder), programs: programs)
    }
}

extension ExecManifest {
    /// An exec manifest as LimberConfig read it.
    public init(_ f: PluginManifestFile) {
        self.init(id: f.id, name: f.name, description: f.description, version: f.version, executable: f.executable,
                  arguments: f.arguments, directory: f.directory, manifestPath: f.manifestPath,
                  capabilities: Set(f.capabilities.compactMap(PluginCapability.init(rawValue:))), settings: f.settings,
                  gateTimeLimit: f.gateTimeLimit, handshakeTimeout: f.handshakeTimeout, idlePriority: f.idlePriority,
                  enabledByDefault: f.enabledByDefault)
    }
}

/// The `notify` plugin's settings configure the notification presenter,
/// which shows every reminder the service hands it.
extension NotificationPresenter: NotificationBackend {
    public func configure(_ settings: PluginSettings) {
        var options = NotificationRequest.Options()
        switch settings.string("urgency") {
        case "low": options.urgency = 0
        case "critical": options.urgency = 2
        default: options.urgency = 1
        }
        options.resident = settings.bool("resident") ?? true
        options.sound = settings.bool("sound") ?? false
        self.options = options
    }
}
