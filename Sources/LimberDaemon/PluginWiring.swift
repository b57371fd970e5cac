// The adapter between the daemon and the plugin host: settings from
// limber.toml, exec manifests from disk, buses, the gate, activity,
// observers and the presenter.
import Foundation
import Logging
import LimberConfig
import LimberCore
import LimberPlugins
import Systemd

/// Owns the plugin host for a running daemon. Installed once by
/// `Daemon.run()` (before the service starts, so the first reminder is
/// gated); the service keeps it as its gate.
public final class PluginWiring: ReminderGate {
    public let host: PluginHost
    /// Where exec plugin manifests are looked for, highest priority first.
    public let pluginDirectories: [String]
    private let log: Logger
    private weak var service: ReminderService?
    /// Keeps the `notify` plugin's backend alive (the plugin holds it weakly).
    var notifySettings: NotifySettings?

    public init(loop: EventLoop, clock: @escaping () -> Moment, pluginDirectories: [String],
                builtins: [PluginEntry] = PluginRegistry.builtins(), logger: Logger) {
        self.log = logger
        self.pluginDirectories = pluginDirectories
        host = PluginHost(loop: loop, entries: builtins, clock: clock)
        host.onLog = { [log = logger] entry in Self.write(entry, to: log) }
    }

    /// Wires the host into a daemon and starts it: the host becomes the
    /// service's gate, activity goes to the core, observers see the
    /// service's events, sinks and shapers see what the presenter shows,
    /// plugins that need a bus start when it connects. Never throws: a
    /// plugin problem is logged and shown in the plugin's status.
    @discardableResult
    public static func install(on daemon: Daemon) -> PluginWiring {
        let dirs = daemon.options.searchPath.directories.map { $0 + "/plugins" }
        let loader = daemon.service.loader
        let backend = daemon.notifications.map(NotifySettings.init)
        let wiring = PluginWiring(loop: daemon.loop, clock: daemon.service.clock, pluginDirectories: dirs,
                                  builtins: PluginRegistry.builtins(BuiltinEnvironment(notificationBackend: backend)),
                                  logger: Logger(label: "limberd.plugins"))
        wiring.notifySettings = backend
        let manifests = loader.pluginManifests()
        wiring.applyManifests(manifests.manifests, problems: loader.untrustedFiles(config: false) + manifests.diagnostics,
                              settings: daemon.service.pluginSettings)
        wiring.attach(service: daemon.service, userBus: daemon.userBus, systemBus: daemon.systemBus)
        daemon.service.statusExtras.append { [weak wiring] in wiring?.idleSourceLine }
        daemon.api?.pluginStatuses = { [weak wiring] in wiring?.statusRows() ?? [] }
        return wiring
    }

    /// Connects the host to a service and two bus supervisors, then starts it.
    public func attach(service: ReminderService, userBus: BusSupervisor?, systemBus: BusSupervisor?) {
        self.service = service
        service.gate = self
        service.presenter = PluginPresenter(inner: service.presenter, host: host)
        host.onActivity = { [weak service] event, _ in service?.send(event.event) }
        service.observe { [weak self] event in self?.serviceEvent(event) }
        // A reload with bad plugin settings is rejected whole, like any other
        // error; they are checked against the plugins the reload would have.
        service.reloadValidators.append { [weak self] result in
            guard let self else { return [] }
            let schemas = self.builtinSchemas + result.pluginManifests.map(\.schema)
            return PluginSettingsReader.check(result.plugins, schemas: schemas).diagnostics.map(\.description)
        }
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
        host.review(reminder) { verdict in
            switch verdict {
            case .proceed: decide(.proceed)
            case .postpone(let d, let reason): decide(.postpone(d, reason: reason))
            case .drop(let reason): decide(.drop(reason: reason))
            }
        }
    }

    // MARK: Status

    /// For `limberctl plugins` and the D-Bus API.
    public func statuses() -> [PluginStatus] { host.statuses() }

    /// The rows of `limberctl plugins`: every plugin, then each plugin file
    /// that was skipped (not trusted) or could not be read, with where and why.
    public func statusRows() -> [PluginStatusRow] {
        statuses().map {
            PluginStatusRow(id: $0.id, state: $0.state.rawValue, kind: $0.external ? "exec" : "built-in",
                            detail: $0.detail + ($0.isIdleSource ? " (idle source)" : ""))
        } + manifestProblems.map { d in
            let stem = ((d.file as NSString).lastPathComponent as NSString).deletingPathExtension
            return PluginStatusRow(id: stem, state: d.message.hasPrefix("skipped: ") ? "skipped" : "failed", kind: "exec",
                                   detail: d.description)
        }
    }

    /// "idle source: logind", for the daemon's status.
    public var idleSourceLine: String { host.idleSourceLine }

    // MARK: Service events

    private func serviceEvent(_ event: ServiceEvent) {
        switch event {
        case .shown(let r): host.observe(.shown(r))
        case .withdrawn(let id, let reason): host.observe(.withdrawn(id, reason))
        case .recorded(let o): host.observe(.outcome(o))
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
    /// with the rest of the configuration): a plugin whose manifest is gone
    /// stops and goes, one whose manifest changed restarts, a new one
    /// starts. Skipped and bad files are logged at their file:line:column.
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

extension Daemon {
    /// The plugin wiring, once `run()` installed it (it is the service's gate).
    public var plugins: PluginWiring? { service.gate as? PluginWiring }
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

extension PluginManifest {
    /// What LimberConfig checks `[plugins.ID]` against.
    public var settingsSchema: PluginSettingsSchema {
        PluginSettingsSchema(id: id, settings: settings, enabledByDefault: enabledByDefault)
    }
}

/// The `notify` plugin's backend: its settings configure the daemon's
/// notification presenter, which does the showing (the service hands it
/// every reminder; the plugin's own show and withdraw have nothing to add).
final class NotifySettings: NotificationBackend {
    private weak var presenter: NotificationPresenter?

    init(_ presenter: NotificationPresenter) { self.presenter = presenter }

    func configure(_ settings: PluginSettings) {
        var options = NotificationRequest.Options()
        switch settings.string("urgency") {
        case "low": options.urgency = 0
        case "critical": options.urgency = 2
        default: options.urgency = 1
        }
        options.resident = settings.bool("resident") ?? true
        options.sound = settings.bool("sound") ?? false
        presenter?.options = options
    }

    func show(_ reminder: Reminder) {}
    func withdraw(_ id: ReminderID, reason: WithdrawReason) {}
}
