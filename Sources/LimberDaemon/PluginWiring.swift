// The adapter between the daemon and the plugin host: settings from
// limber.toml, exec manifests from disk, buses, the gate, activity,
// observers and the presenter.
import Foundation
import Logging
import LimberConfig
import LimberCore
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
    private var registeredExternal: Set<String> = []

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
    public func validateReload(_ result: LoadResult) -> [String] {
        Self.validate(result.plugins, manifests: host.manifests).diagnostics.map(\.description)
    }

    /// What `ListPlugins` and `limberctl plugins` show.
    public func statusRows() -> [PluginStatusRow] {
        statuses().map {
            PluginStatusRow(id: $0.id, state: $0.state.rawValue, kind: $0.external ? "exec" : "built-in",
                            detail: $0.detail + ($0.isIdleSource ? " (idle source)" : ""))
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
        discoverExecPlugins()
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

    /// "idle source: logind", for the daemon's status.
    public var idleSourceLine: String { host.idleSourceLine }

    // MARK: Service events

    private func serviceEvent(_ event: ServiceEvent) {
        switch event {
        case .shown(let r): host.observe(.shown(r))
        case .withdrawn(let id, let reason): host.observe(.withdrawn(id, reason))
        case .recorded(let o): host.observe(.outcome(o))
        case .reloaded(ok: true, _):
            discoverExecPlugins()
            if let service { applySettings(service.pluginSettings, initial: false) }
        case .reloaded, .statusChanged: break
        }
    }

    // MARK: Settings

    /// Validates every `[plugins.ID]` table and hands the result to the host
    /// (which restarts the plugins whose settings changed). Problems are
    /// logged as `file:line:column: message` and shown in the status.
    @discardableResult
    public func applySettings(_ tables: [String: ConfigTable], initial: Bool) -> [Diagnostic] {
        let (configs, rejected, diagnostics) = Self.validate(tables, manifests: host.manifests)
        for d in diagnostics { log.error("\(d.description)") }
        let restarted = host.configure(configs, rejected: rejected)
        if !initial, !restarted.isEmpty { log.info("plugins restarted after reload: \(restarted.joined(separator: ", "))") }
        return diagnostics
    }

    /// Checks `[plugins.ID]` tables against manifests: unknown plugins,
    /// unknown settings and wrong types are errors at their file:line:column.
    public static func validate(_ tables: [String: ConfigTable], manifests: [PluginManifest])
        -> (configs: [String: PluginConfig], rejected: [String: [SettingProblem]], diagnostics: [Diagnostic])
    {
        var configs: [String: PluginConfig] = [:]
        var rejected: [String: [SettingProblem]] = [:]
        var diagnostics: [Diagnostic] = []
        for id in tables.keys.sorted() {
            let table = tables[id]!
            guard let manifest = manifests.first(where: { $0.id == id }) else {
                let at = table.entriesInOrder.first?.value.keyLocation
                let known = manifests.map(\.id).joined(separator: ", ")
                let guess = Suggestion.closest(to: id, in: manifests.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.append(Diagnostic(at ?? SourceLocation(file: "limber.toml"),
                                              "unknown plugin '\(id)' in [plugins.\(id)]\(guess) (known: \(known))"))
                continue
            }
            switch PluginSettingsValidator.validate(table.entriesInOrder.map { ($0.key, raw($0.value)) }, manifest: manifest) {
            case .valid(let c): configs[id] = c
            case .invalid(let problems):
                rejected[id] = problems
                diagnostics += problems.map(diagnostic)
            }
        }
        return (configs, rejected, diagnostics)
    }

    static func raw(_ v: ConfigValue) -> RawSetting {
        let value: RawSetting.Value
        switch v.kind {
        case .string(let s): value = .string(s)
        case .integer(let i): value = .integer(i)
        case .float(let d): value = .float(d)
        case .bool(let b): value = .bool(b)
        case .array(let a): value = .array(a.map(raw))
        case .table, .dateTime: value = .other(v.typeName)
        }
        return RawSetting(value, location: v.location.description, keyLocation: v.keyLocation.description)
    }

    static func diagnostic(_ p: SettingProblem) -> Diagnostic {
        // "file:line:column" back into a location (the file may hold ':').
        let parts = p.location.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) {
            return Diagnostic(file: parts.dropLast(2).joined(separator: ":"), line: line, column: column, message: p.message)
        }
        return Diagnostic(file: p.location, line: 1, column: 1, message: p.message)
    }

    // MARK: Exec plugins

    /// Reads `*.toml` manifests from the plugin directories (the user's
    /// first: an id found there hides the same id further down) and
    /// registers the new ones. Bad manifests are logged with file:line:column.
    @discardableResult
    public func discoverExecPlugins() -> [Diagnostic] {
        var seen: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for dir in pluginDirectories {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
            for name in names {
                switch ExecManifestReader.read(path: dir + "/" + name) {
                case .failure(let ds):
                    diagnostics += ds
                    for d in ds { log.error("\(d.description)") }
                case .success(let m):
                    guard !seen.contains(m.id) else { continue }
                    seen.insert(m.id)
                    guard !registeredExternal.contains(m.id) else { continue }
                    if host.manifest(m.id) != nil {
                        let d = Diagnostic(SourceLocation(file: m.manifestPath), "plugin id '\(m.id)' is already taken by a built-in plugin")
                        diagnostics.append(d)
                        log.error("\(d.description)")
                        continue
                    }
                    if host.register(PluginRegistry.external(m)) {
                        registeredExternal.insert(m.id)
                        log.info("exec plugin found: \(m.id) (\(m.manifestPath))")
                    }
                }
            }
        }
        return diagnostics
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
}

/// Reads an exec plugin's TOML manifest.
public enum ExecManifestReader {
    public enum Read: Sendable {
        case success(ExecManifest)
        case failure([Diagnostic])
    }

    static let keys = ["id", "name", "description", "version", "exec", "capabilities", "timeout",
                       "handshake_timeout", "idle_priority", "enabled", "settings"]

    public static func read(path: String) -> Read {
        switch TOMLDocument.load(path: path) {
        case .failure(let d): return .failure([d])
        case .success(let doc): return parse(doc)
        }
    }

    public static func parse(_ doc: TOMLDocument) -> Read {
        var ds: [Diagnostic] = []
        let root = doc.root
        let dir = (doc.file as NSString).deletingLastPathComponent
        for (k, v) in root.entriesInOrder where !keys.contains(k) {
            ds.append(Diagnostic(v.keyLocation, "unknown key '\(k)' in a plugin manifest (known: \(keys.joined(separator: ", ")))"))
        }
        func string(_ key: String, required: Bool = false) -> String? {
            guard let v = root[key] else {
                if required { ds.append(Diagnostic(doc.location, "a plugin manifest needs '\(key)'")) }
                return nil
            }
            guard let s = v.string else { ds.append(Diagnostic(v.location, "'\(key)' must be a string, not \(v.typeName)")); return nil }
            return s
        }
        func duration(_ key: String, _ fallback: Duration) -> Duration {
            guard let v = root[key] else { return fallback }
            guard let s = v.string, let d = DurationText.parse(s), d > .zero, d <= .minutes(10) else {
                ds.append(Diagnostic(v.location, "'\(key)' must be a duration like \"2s\" (at most 10m)"))
                return fallback
            }
            return d
        }
        let stem = ((doc.file as NSString).lastPathComponent as NSString).deletingPathExtension
        let id = string("id") ?? stem
        if id.isEmpty || !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" }) || !id.allSatisfy(\.isASCII) {
            ds.append(Diagnostic(root["id"]?.location ?? doc.location, "'\(id)' is not a valid plugin id: use lower-case letters, digits, '-' and '_'"))
        }
        let name = string("name") ?? id
        var argv: [String] = []
        if let v = root["exec"] {
            if let a = v.array, !a.isEmpty, a.allSatisfy({ $0.string != nil }) {
                argv = a.compactMap(\.string)
            } else {
                ds.append(Diagnostic(v.location, "'exec' must be a non-empty array of strings: the program and its arguments, e.g. [\"gate.sh\"] (no shell)"))
            }
        } else {
            ds.append(Diagnostic(doc.location, "a plugin manifest needs 'exec' = [\"program\", \"arg\", ...]"))
        }
        var executable = ""
        if let first = argv.first {
            executable = first.hasPrefix("/") ? first : (dir + "/" + first)
            if !FileManager.default.isExecutableFile(atPath: executable) {
                ds.append(Diagnostic(root["exec"]!.location, "'\(first)' is not an executable file (looked for \(executable))"))
            }
        }
        var caps: Set<PluginCapability> = []
        if let v = root["capabilities"] {
            for e in v.array ?? [] {
                if let s = e.string, let c = PluginCapability(rawValue: s), [.gate, .observer, .activity].contains(c) {
                    caps.insert(c)
                } else {
                    ds.append(Diagnostic(e.location, "capabilities are \"gate\", \"observer\" and \"activity\""))
                }
            }
            if v.array == nil { ds.append(Diagnostic(v.location, "'capabilities' must be an array like [\"gate\"]")) }
        }
        if caps.isEmpty, root["capabilities"] != nil || ds.isEmpty {
            ds.append(Diagnostic(root["capabilities"]?.location ?? doc.location, "a plugin manifest needs 'capabilities', some of \"gate\", \"observer\", \"activity\""))
        }
        var priority = 5
        if let v = root["idle_priority"] {
            if let i = v.integer, (0...100).contains(i) { priority = i } else { ds.append(Diagnostic(v.location, "'idle_priority' must be an integer from 0 to 100")) }
        }
        var enabled = true
        if let v = root["enabled"] {
            if let b = v.bool { enabled = b } else { ds.append(Diagnostic(v.location, "'enabled' must be a boolean")) }
        }
        var specs: [SettingSpec] = []
        if let v = root["settings"] {
            if let t = v.table {
                for (key, sv) in t.entriesInOrder {
                    if let spec = setting(key, sv, &ds) { specs.append(spec) }
                }
            } else {
                ds.append(Diagnostic(v.location, "'settings' must be a table of [settings.NAME] tables"))
            }
        }
        let manifest = ExecManifest(
            id: id, name: name, description: string("description") ?? "", version: string("version") ?? "0",
            executable: executable, arguments: Array(argv.dropFirst()), directory: dir, manifestPath: doc.file,
            capabilities: caps, settings: specs, gateTimeLimit: duration("timeout", .seconds(2)),
            handshakeTimeout: duration("handshake_timeout", .seconds(5)), idlePriority: priority, enabledByDefault: enabled)
        return ds.isEmpty ? .success(manifest) : .failure(ds)
    }

    private static func setting(_ key: String, _ v: ConfigValue, _ ds: inout [Diagnostic]) -> SettingSpec? {
        guard let t = v.table else {
            ds.append(Diagnostic(v.location, "setting '\(key)' must be a table with 'type' and 'default'"))
            return nil
        }
        for (k, e) in t.entriesInOrder where !["type", "default", "help"].contains(k) {
            ds.append(Diagnostic(e.keyLocation, "unknown key '\(k)' in setting '\(key)' (known: type, default, help)"))
        }
        guard let typeValue = t["type"], let typeName = typeValue.string, let type = SettingType(rawValue: typeName) else {
            ds.append(Diagnostic(t["type"]?.location ?? v.location,
                                 "setting '\(key)' needs 'type', one of \(SettingType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))"))
            return nil
        }
        let placeholder: SettingValue = switch type {
        case .bool: .bool(false)
        case .integer: .integer(0)
        case .number: .number(0)
        case .string: .string("")
        case .duration: .duration(.seconds(1))
        case .strings: .strings([])
        }
        let help = t["help"]?.string ?? ""
        guard let d = t["default"] else {
            ds.append(Diagnostic(v.location, "setting '\(key)' needs a 'default'"))
            return nil
        }
        switch PluginSettingsValidator.convert(PluginWiring.raw(d), spec: SettingSpec(key, placeholder, help: help)) {
        case .success(let value): return SettingSpec(key, value, help: help)
        case .failure(let p):
            ds.append(PluginWiring.diagnostic(p))
            return nil
        }
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
