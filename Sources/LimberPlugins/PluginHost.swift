// The host: starts plugins when their needs are met, calls their hooks,
// and isolates them: a plugin that throws or overruns is marked failed
// and skipped; reminders go on.
import Foundation
import LimberCore
import Systemd

public final class PluginHost {
    public struct Options: Sendable {
        /// A synchronous hook (start, observe, shape, show) that takes longer
        /// than this counts as an overrun.
        public var hookBudget: Duration = .milliseconds(250)
        /// Overruns in a row (slow hooks, gates answering late) before a
        /// plugin is marked failed.
        public var overrunLimit = 3
        public init() {}
    }

    public let loop: EventLoop
    let clock: () -> Moment
    public var options: Options
    /// Activity that passed arbitration, for the core.
    public var onActivity: ((ActivityEvent, _ from: String) -> Void)?
    /// Log lines from the host and the plugins.
    public var onLog: ((PluginLogEntry) -> Void)?
    /// Called when a status changes (state, detail, the idle source).
    public var onStatusChange: (() -> Void)?

    private var slots: [Slot] = []
    private var buses: [Bus.Kind: Bus] = [:]
    private var started = false
    private var lastIdleSource: String?

    /// Reads limberd's environment (for `.environment` needs); tests pass their own.
    let environment: (String) -> String?

    public init(loop: EventLoop, entries: [PluginEntry], clock: @escaping () -> Moment, options: Options = Options(),
                environment: @escaping (String) -> String? = { ProcessInfo.processInfo.environment[$0] }) {
        self.loop = loop
        self.clock = clock
        self.environment = environment
        self.options = options
        for e in entries { register(e) }
    }

    deinit {
        for s in slots { s.instance?.stop() }
    }

    // MARK: Registration and configuration

    /// Adds a plugin (the built-ins from the registry, exec plugins found on
    /// disk). A second entry with the same id is refused (the first wins).
    @discardableResult
    public func register(_ entry: PluginEntry, config: PluginConfig? = nil) -> Bool {
        guard slot(entry.manifest.id) == nil else {
            log(.warning, "host", "plugin '\(entry.manifest.id)' is already registered; ignoring the second one")
            return false
        }
        let s = Slot(entry: entry)
        s.config = config ?? PluginConfig(enabled: entry.manifest.enabledByDefault, settings: .defaults(entry.manifest))
        s.state = s.config.enabled ? .absent : .disabled
        slots.append(s)
        if started { reconcile(s) }
        return true
    }

    public var manifests: [PluginManifest] { slots.map(\.entry.manifest) }

    /// Every registered plugin, in order.
    public var entries: [PluginEntry] { slots.map(\.entry) }

    /// Makes the external plugins exactly `entries`: one no longer there is
    /// stopped and removed, one whose manifest or definition changed is
    /// stopped and replaced (its configuration kept), a new one is added
    /// (and started, once the host runs). New and replaced ones start with
    /// their entry in `configs` if there is one. Built-ins are not touched.
    @discardableResult
    public func setExternal(_ entries: [PluginEntry], configs: [String: PluginConfig] = [:])
        -> (added: [String], removed: [String], replaced: [String])
    {
        var added: [String] = [], removed: [String] = [], replaced: [String] = []
        let wanted = Dictionary(entries.map { ($0.manifest.id, $0) }, uniquingKeysWith: { a, _ in a })
        for s in slots where s.entry.external && wanted[s.entry.manifest.id] == nil {
            stopInstance(s)
            removed.append(s.entry.manifest.id)
        }
        slots.removeAll { $0.entry.external && wanted[$0.entry.manifest.id] == nil }
        for e in entries {
            let id = e.manifest.id
            guard let index = slots.firstIndex(where: { $0.entry.manifest.id == id }) else {
                if register(e, config: configs[id]) { added.append(id) }
                continue
            }
            let old = slots[index]
            guard old.entry.external, old.entry.manifest != e.manifest || old.entry.definition != e.definition else { continue }
            stopInstance(old)
            let s = Slot(entry: e)
            s.config = configs[id] ?? PluginConfig(enabled: e.manifest.enabledByDefault, settings: .defaults(e.manifest))
            s.state = s.config.enabled ? .absent : .disabled
            slots[index] = s
            replaced.append(id)
            if started { reconcile(s) }
        }
        if !(added.isEmpty && removed.isEmpty && replaced.isEmpty) { statusChanged() }
        return (added, removed, replaced)
    }

    public func manifest(_ id: String) -> PluginManifest? { slot(id)?.entry.manifest }

    /// Applies configurations (missing ids: defaults). Plugins whose config
    /// changed restart; failed ones get another chance. `rejected` holds the
    /// plugins whose `[plugins.ID]` table had errors: a running one keeps its
    /// old settings (and says so), one not yet started is marked failed.
    /// Returns the ids restarted.
    @discardableResult
    public func configure(_ configs: [String: PluginConfig], rejected: [String: [String]] = [:]) -> [String] {
        var restarted: [String] = []
        for s in slots {
            let id = s.entry.manifest.id
            if let problems = rejected[id], !problems.isEmpty {
                let text = problems.joined(separator: "; ")
                if s.instance != nil {
                    s.rejection = .text(trMark("new settings rejected, running on the previous ones: {problems}"), ["problems": text])
                } else {
                    s.rejection = nil
                    markFailed(s, .text(trMark("settings rejected: {problems}"), ["problems": text]))
                }
                continue
            }
            s.rejection = nil
            let new = configs[id] ?? PluginConfig(enabled: s.entry.manifest.enabledByDefault, settings: .defaults(s.entry.manifest))
            let changed = new != s.config
            let retry = s.state == .failed
            s.config = new
            guard started, changed || retry else { continue }
            if s.instance != nil || s.state == .failed {
                stopInstance(s)
                s.state = .absent
                restarted.append(id)
            }
            s.overruns = 0
            reconcile(s)
        }
        if !restarted.isEmpty { log(.info, "host", "restarted plugins: \(restarted.joined(separator: ", "))") }
        statusChanged()
        return restarted
    }

    /// Starts every enabled plugin whose needs are met.
    public func start() {
        started = true
        for s in slots { reconcile(s) }
        statusChanged()
    }

    /// Stops every plugin.
    public func stop() {
        started = false
        for s in slots {
            stopInstance(s)
            s.nameWatches.removeAll()
            s.namesPresent.removeAll()
            if s.state != .disabled { s.state = .absent }
        }
        statusChanged()
    }

    /// A bus connection is up (first time or again).
    public func busConnected(_ bus: Bus, kind: Bus.Kind) {
        buses[kind] = bus
        guard started else { return }
        for s in slots where s.entry.manifest.needs.contains(where: { $0.busKind == kind }) {
            s.nameWatches.removeAll()
            s.namesPresent.removeAll()
            reconcile(s)
        }
        statusChanged()
    }

    /// A bus connection is gone: plugins that need it stop until it is back.
    public func busLost(_ kind: Bus.Kind) {
        buses[kind] = nil
        for s in slots where s.entry.manifest.needs.contains(where: { $0.busKind == kind }) {
            s.nameWatches.removeAll()
            s.namesPresent.removeAll()
            stopInstance(s)
            reconcile(s)
        }
        statusChanged()
    }

    // MARK: Status

    public func statuses() -> [PluginStatus] {
        let idle = idleSource
        return slots.map { s in
            let m = s.entry.manifest
            let detail = ([s.detail] + (s.rejection.map { [$0] } ?? [])).filter { !$0.isEmpty }
                .map(\.localized).joined(separator: "; ")
            return PluginStatus(id: m.id, name: m.name, version: m.version, enabled: s.config.enabled, state: s.state,
                                detail: detail, capabilities: m.capabilities.map(\.rawValue).sorted(),
                                external: s.entry.external, isIdleSource: m.id == idle)
        }
    }

    public func status(_ id: String) -> PluginStatus? { statuses().first { $0.id == id } }

    /// The idle source in use: the running source with the highest priority
    /// that says it can report idle now (nil: none; the core then counts
    /// active time from the clock alone).
    public var idleSource: String? {
        var best: Slot?
        for s in slots where s.state == .running && s.idleAvailable {
            let p = s.entry.manifest.idlePriority ?? 0
            if best == nil || p > (best!.entry.manifest.idlePriority ?? 0) { best = s }
        }
        return best?.entry.manifest.id
    }

    /// "idle source: gnome-idle", for the daemon's status; without one, the
    /// status says active time is unknown (docs/plugins.md: what to install).
    public var idleSourceLine: String {
        idleSource.map { tr("idle source: {plugin}", ["plugin": $0]) } ?? tr("idle source: none (active time unknown)")
    }

    // MARK: Hooks

    /// Asks every running gate about `reminder`, in parallel, each within its
    /// time limit. A drop wins (the first in registry order), else the
    /// longest postpone, else proceed. A gate that throws is marked failed;
    /// one that does not answer in time counts as proceed and as an overrun.
    /// `decide` runs once, always from a later loop iteration.
    public func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void) {
        let gates = slots.filter { $0.state == .running && $0.has(.gate) && $0.instance is GatePlugin }
        let review = Review(count: gates.count) { [weak self] verdicts in
            let verdict = Self.combine(verdicts)
            if case .proceed = verdict {} else { self?.log(.info, "host", "reminder \(reminder.id) \(Self.describe(verdict))") }
            do { try self?.loop.defer { decide(verdict) } } catch { decide(verdict) }
        }
        if gates.isEmpty { review.finishIfDone(); return }
        for (index, s) in gates.enumerated() {
            guard let gate = s.instance as? GatePlugin else { continue }
            let id = s.entry.manifest.id
            let limit = s.entry.manifest.gateTimeLimit
            var answered = false
            let timer = try? loop.after(limit) { [weak self, weak s] in
                guard !answered else { return }
                answered = true
                if let self, let s { self.overran(s, "gate did not answer within \(DurationText.format(limit)); counted as proceed") }
                review.answer(index, id, .proceed)
            }
            let generation = s.generation
            let t0 = Clocks.monotonic()
            do {
                try gate.review(reminder) { [weak self, weak s] verdict in
                    guard !answered else {
                        self?.log(.notice, id, "gate answered too late; ignored")
                        return
                    }
                    answered = true
                    timer?.cancel()
                    if let s, s.generation == generation { s.overruns = 0 }
                    review.answer(index, id, verdict)
                }
                checkBudget(s, hook: "review", since: t0)
            } catch {
                if !answered {
                    answered = true
                    timer?.cancel()
                    review.answer(index, id, .proceed)
                }
                markFailed(s, .text(trMark("gate threw: {error}"), ["error": "\(error)"]))
            }
            if let timer, !answered { review.keep(timer) }
        }
    }

    static func combine(_ verdicts: [(String, GateDecision)]) -> GateDecision {
        for (id, v) in verdicts {
            if case .drop(let reason) = v { return .drop(reason: "\(id): \(reason)") }
        }
        var best: (Duration, String)?
        for (id, v) in verdicts {
            if case .postpone(let d, let reason) = v, best == nil || d > best!.0 { best = (d, "\(id): \(reason)") }
        }
        if let best { return .postpone(best.0, reason: best.1) }
        return .proceed
    }

    static func describe(_ v: GateDecision) -> String {
        switch v {
        case .proceed: "proceeds"
        case .postpone(let d, let r): "postponed by \(DurationText.format(d)): \(r)"
        case .drop(let r): "dropped: \(r)"
        }
    }

    /// Tells every running observer.
    public func observe(_ observation: ServiceEvent) {
        for s in slots where s.state == .running && s.has(.observer) {
            guard let o = s.instance as? ObserverPlugin else { continue }
            invoke(s, hook: "observe") { try o.observe(observation) }
        }
    }

    /// Passes a reminder through every running shaper, in registry order. A
    /// shaper that throws is marked failed and its change is not used.
    public func shape(_ reminder: Reminder) -> Reminder {
        var r = reminder
        for s in slots where s.state == .running && s.has(.shaper) {
            guard let shaper = s.instance as? ShaperPlugin else { continue }
            var out: Reminder?
            invoke(s, hook: "shape") { out = try shaper.shape(r) }
            if let out, out.id == r.id { r = out }
        }
        return r
    }

    /// Every running sink shows the reminder.
    public func show(_ reminder: Reminder) {
        for s in slots where s.state == .running && s.has(.sink) {
            guard let sink = s.instance as? SinkPlugin else { continue }
            invoke(s, hook: "show") { try sink.show(reminder) }
        }
    }

    public func withdraw(_ id: ReminderID, reason: WithdrawReason) {
        for s in slots where s.state == .running && s.has(.sink) {
            guard let sink = s.instance as? SinkPlugin else { continue }
            invoke(s, hook: "withdraw") { try sink.withdraw(id, reason: reason) }
        }
    }

    /// Whether a plugin is running (for tests and the wiring).
    public func instance(_ id: String) -> LimberPlugin? { slot(id)?.instance }

    // MARK: From contexts

    func activity(_ event: ActivityEvent, from id: String) {
        if event.isIdleKind {
            guard id == idleSource else {
                log(.debug, id, "\(event) ignored: the idle source in use is \(idleSource ?? "none")")
                return
            }
        }
        log(.debug, id, "activity: \(event)")
        onActivity?(event, id)
    }

    func setIdleAvailable(_ id: String, _ available: Bool) {
        guard let s = slot(id), s.idleAvailable != available else { return }
        s.idleAvailable = available
        statusChanged()
    }

    func setDetail(_ id: String, _ detail: PluginText) {
        guard let s = slot(id), s.detail != detail else { return }
        s.detail = detail
        statusChanged()
    }

    func pluginFailed(_ id: String, reason: PluginText, recoverable: Bool) {
        guard let s = slot(id) else { return }
        if recoverable {
            log(.warning, id, "plugin failed: \(reason.english)")
            s.state = .failed
            s.detail = reason
            statusChanged()
        } else {
            markFailed(s, reason)
        }
    }

    func pluginStarting(_ id: String, detail: PluginText) {
        guard let s = slot(id), s.instance != nil else { return }
        s.state = .starting
        s.detail = detail
        statusChanged()
    }

    func pluginRecovered(_ id: String, detail: PluginText) {
        guard let s = slot(id), s.instance != nil else { return }
        if s.state != .running { log(.notice, id, "plugin running" + (detail.isEmpty ? "" : ": " + detail.english)) }
        s.state = .running
        s.detail = detail
        s.overruns = 0
        statusChanged()
    }

    func log(_ entry: PluginLogEntry) {
        onLog?(entry)
    }

    func log(_ level: PluginLogEntry.Level, _ plugin: String, _ message: String, fields: [String: String] = [:]) {
        onLog?(PluginLogEntry(level: level, plugin: plugin, message: message, fields: fields))
    }

    // MARK: Lifecycle of one plugin

    private func slot(_ id: String) -> Slot? { slots.first { $0.entry.manifest.id == id } }

    /// Starts or stops `s` to match its config and needs.
    private func reconcile(_ s: Slot) {
        guard started else { return }
        let m = s.entry.manifest
        guard s.config.enabled else {
            stopInstance(s)
            s.state = .disabled
            s.detail = .empty
            s.nameWatches.removeAll()
            return
        }
        if s.state == .failed && s.instance == nil { return }
        // Needs: buses connected, names owned (watched).
        var missing: [String] = []
        for need in m.needs {
            if case .environment(let name) = need {
                if (environment(name) ?? "").isEmpty { missing.append(need.label) }
                continue
            }
            guard let kind = need.busKind, let bus = buses[kind] else {
                let name = PluginNeed.bus(need.busKind ?? .user).label
                if !missing.contains(name) { missing.append(name) }
                continue
            }
            if case .busName(let kind, let name) = need {
                if s.nameWatches[name] == nil {
                    s.nameWatches[name] = try? bus.watchNameOwner(name) { [weak self, weak s] owner in
                        guard let self, let s else { return }
                        let present = owner != nil
                        if s.namesPresent[name] == present { return }
                        s.namesPresent[name] = present
                        self.log(.info, m.id, "\(name) \(present ? "appeared" : "went away") on the \(kind == .system ? "system" : "session") bus")
                        if !present, s.instance != nil {
                            self.stopInstance(s)
                            s.state = .absent
                        }
                        self.reconcile(s)
                        self.statusChanged()
                    }
                }
                if s.namesPresent[name] != true { missing.append(need.label) }
            }
        }
        if !missing.isEmpty {
            if s.instance != nil { stopInstance(s) }
            s.state = .absent
            s.detail = .text(trMark("waiting for {what}"), ["what": missing.joined(separator: ", ")])
            return
        }
        guard s.instance == nil else { return }
        startInstance(s)
    }

    private func startInstance(_ s: Slot) {
        let m = s.entry.manifest
        let instance = s.entry.make()
        var ctxBuses: [Bus.Kind: Bus] = [:]
        for need in m.needs {
            if let kind = need.busKind { ctxBuses[kind] = buses[kind] }
        }
        let context = PluginContext(id: m.id, settings: s.config.settings, loop: loop, host: self, buses: ctxBuses)
        s.generation += 1
        s.instance = instance
        s.context = context
        s.state = .running
        s.detail = .empty
        s.idleAvailable = false
        let t0 = Clocks.monotonic()
        do {
            try instance.start(context)
            // An exec plugin may have reported failure or "starting" from start.
            if s.instance === instance, s.state == .running || s.state == .starting {
                log(.info, m.id, "plugin started", fields: ["plugin_version": m.version])
            }
            checkBudget(s, hook: "start", since: t0)
        } catch {
            markFailed(s, .text(trMark("start failed: {error}"), ["error": "\(error)"]))
        }
    }

    private func stopInstance(_ s: Slot) {
        guard let instance = s.instance else { return }
        s.context?.isLive = false
        s.context = nil
        s.instance = nil
        s.idleAvailable = false
        instance.stop()
    }

    /// Marks `s` failed: stopped, logged, skipped until a reload.
    private func markFailed(_ s: Slot, _ reason: PluginText) {
        log(.error, s.entry.manifest.id, "plugin failed and is skipped: \(reason.english)")
        stopInstance(s)
        s.state = .failed
        s.detail = reason
        statusChanged()
    }

    private func overran(_ s: Slot, _ what: String) {
        s.overruns += 1
        log(.warning, s.entry.manifest.id, "\(what) (overrun \(s.overruns) of \(options.overrunLimit))")
        if s.overruns >= options.overrunLimit, s.instance != nil {
            markFailed(s, .text(trMark("overran its time {count} times in a row: {what}"), ["count": String(s.overruns), "what": what]))
        }
    }

    private func checkBudget(_ s: Slot, hook: String, since t0: Duration) {
        let took = Clocks.monotonic() - t0
        if took > options.hookBudget {
            overran(s, "\(hook) took \(Int(took.seconds * 1000)) ms (budget \(Int(options.hookBudget.seconds * 1000)) ms)")
        }
    }

    private func invoke(_ s: Slot, hook: String, _ body: () throws -> Void) {
        let t0 = Clocks.monotonic()
        do {
            try body()
            checkBudget(s, hook: hook, since: t0)
        } catch {
            markFailed(s, .text(trMark("{hook} threw: {error}"), ["hook": hook, "error": "\(error)"]))
        }
    }

    private func statusChanged() {
        let idle = idleSource
        if idle != lastIdleSource {
            lastIdleSource = idle
            log(.info, "host", "idle source: " + (idle ?? "none (active time unknown)"))
        }
        onStatusChange?()
    }
}

/// One registered plugin and how it is doing.
private final class Slot {
    let entry: PluginEntry
    var config = PluginConfig(enabled: false, settings: PluginSettings())
    var instance: LimberPlugin?
    var context: PluginContext?
    var state: PluginState = .absent
    var detail = PluginText.empty
    var rejection: PluginText?
    var overruns = 0
    var idleAvailable = false
    var generation = 0
    var nameWatches: [String: BusSlot] = [:]
    var namesPresent: [String: Bool] = [:]

    init(entry: PluginEntry) {
        self.entry = entry
    }

    func has(_ c: PluginCapability) -> Bool { entry.manifest.capabilities.contains(c) }
}

/// One reminder under review: collects the gates' verdicts.
private final class Review {
    private var verdicts: [(String, GateDecision)?]
    private var remaining: Int
    private var done: (([(String, GateDecision)]) -> Void)?
    private var timers: [EventTimer] = []

    init(count: Int, done: @escaping ([(String, GateDecision)]) -> Void) {
        verdicts = Array(repeating: nil, count: count)
        remaining = count
        self.done = done
    }

    func keep(_ timer: EventTimer) { timers.append(timer) }

    func answer(_ index: Int, _ id: String, _ verdict: GateDecision) {
        guard verdicts[index] == nil else { return }
        verdicts[index] = (id, verdict)
        remaining -= 1
        finishIfDone()
    }

    func finishIfDone() {
        guard remaining == 0, let done else { return }
        self.done = nil
        for t in timers { t.cancel() }
        timers.removeAll()
        done(verdicts.compactMap { $0 })
    }
}
