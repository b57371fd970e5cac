import Foundation
import Logging
import LimberCore
import LimberConfig
import LimberHistory

/// What a gate (a plugin) decides about a reminder about to be shown.
public enum GateDecision: Sendable, Hashable {
    case proceed
    case postpone(Duration, reason: String)
    case drop(reason: String)
}

/// Reviews reminders before they are shown. `decide` must be called once,
/// possibly later (the service holds the reminder until then).
public protocol ReminderGate: AnyObject {
    func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void)
}

/// What the service tells its observers (the D-Bus API, plugins, tests).
public enum ServiceEvent: Sendable {
    case shown(Reminder)
    case withdrawn(ReminderID, WithdrawReason)
    case recorded(Outcome)
    case reloaded(ok: Bool, diagnostics: [String])
    case statusChanged(String)
}

/// The result of a reload.
public struct ReloadReport: Sendable {
    public var ok: Bool
    /// `file:line:column: message` for each problem.
    public var diagnostics: [String]
}

/// The reminder service: the core, fed by events, its effects carried out
/// by the presenter, the history and the state file. Owned by the loop
/// thread; it never blocks on the outside world.
public final class ReminderService {
    public private(set) var engine: Engine
    public private(set) var pluginSettings: [String: ConfigTable]
    public let loader: ConfigLoader
    public var presenter: ReminderPresenter {
        didSet { presenter.onAnswer = { [weak self] id, answer in self?.send(.answer(id, answer)) } }
    }
    public var gate: ReminderGate?
    public var history: HistoryStore?
    public let stateStore: StateStore?
    public let clock: () -> Moment
    public private(set) var lastReloadErrors: [String] = []
    /// Set by the loop: when the core next needs a timer event.
    public var onDeadline: ((Date?) -> Void)?
    /// Extra checks a reload must pass before it is swapped in (the plugin
    /// layer validates `[plugins.ID]` tables): `file:line:column: message`s.
    public var reloadValidators: [(LoadResult) -> [String]] = []
    /// Extra parts of the status line ("idle source: logind").
    public var statusExtras: [() -> String?] = []
    private var observers: [(ServiceEvent) -> Void] = []
    private var held: ReminderID?
    private var heldRecords: [Outcome] = []
    private var lastStatus = ""
    private let log: Logger

    public init(configuration: Configuration, plugins: [String: ConfigTable] = [:], loader: ConfigLoader,
                presenter: ReminderPresenter, stateStore: StateStore?, history: HistoryStore?,
                timeZone: TimeZone, clock: @escaping () -> Moment, logger: Logger) {
        self.loader = loader
        self.presenter = presenter
        self.stateStore = stateStore
        self.history = history
        self.clock = clock
        self.log = logger
        self.pluginSettings = plugins
        var saved: EngineState?
        if let store = stateStore {
            do { saved = try store.load() } catch {
                logger.warning("state file unreadable, starting afresh", metadata: ["path": "\(store.path)", "error": "\(error)"])
            }
        }
        engine = Engine(configuration: configuration, state: saved, timeZone: timeZone, now: clock())
        presenter.onAnswer = { [weak self] id, answer in self?.send(.answer(id, answer)) }
    }

    public func observe(_ observer: @escaping (ServiceEvent) -> Void) {
        observers.append(observer)
    }

    private func notify(_ e: ServiceEvent) {
        for o in observers { o(e) }
    }

    /// Feeds one event to the core and carries out what it says.
    public func send(_ event: Event) {
        let now = clock()
        if case .answer(let id, _) = event, let h = held, id == nil || id == h {
            return  // not on screen yet: a gate is still deciding
        }
        let step = engine.handle(event, at: now)
        apply(step.effects)
        persist(after: event, effects: step.effects)
        onDeadline?(step.nextDeadline)
        updateStatus(now)
    }

    /// Starts: shows what is due and arms the first timer.
    public func start() {
        send(.timer)
    }

    public func status() -> EngineStatus { engine.status(at: clock()) }

    public var statusLine: String { line(clock()) }

    private func line(_ now: Moment) -> String {
        var line = engine.status(at: now).line(now: now.wall)
        for extra in statusExtras { if let e = extra(), !e.isEmpty { line += "; " + e } }
        return line
    }

    // MARK: Reload

    /// Reload as a transaction: everything new is parsed and validated, then
    /// swapped in; on any error the running configuration stays.
    @discardableResult
    public func reload() -> ReloadReport {
        let result = loader.loadAll()
        var messages = result.diagnostics.filter(\.isError).map(\.description)
        if result.configuration != nil, !result.hasErrors {
            for validate in reloadValidators { messages += validate(result) }
        }
        guard let config = result.configuration, !result.hasErrors, messages.isEmpty else {
            lastReloadErrors = messages
            for m in messages { log.error("reload rejected: \(m)") }
            log.error("reload failed; keeping the running configuration", metadata: ["errors": "\(messages.count)"])
            notify(.reloaded(ok: false, diagnostics: messages))
            updateStatus(clock(), force: true)
            return ReloadReport(ok: false, diagnostics: messages)
        }
        lastReloadErrors = []
        pluginSettings = result.plugins
        send(.reload(config))
        log.info("reloaded", metadata: ["programs": "\(config.programs.map(\.id).joined(separator: ","))"])
        notify(.reloaded(ok: true, diagnostics: []))
        return ReloadReport(ok: true, diagnostics: [])
    }

    // MARK: Effects

    private func apply(_ effects: [Effect]) {
        var records: [Outcome] = []
        for effect in effects {
            switch effect {
            case .show(let r):
                let isNew = !(engine.state.showing?.id == r.id && lastShownID == r.id)
                if isNew, let gate {
                    held = r.id
                    heldRecords = []
                    let id = r.id
                    gate.review(r) { [weak self] decision in self?.decided(id, decision) }
                    continue
                }
                present(r)
            case .withdraw(let id, let reason):
                if held == id { held = nil; heldRecords = []; continue }
                presenter.withdraw(id, reason: reason)
                notify(.withdrawn(id, reason))
            case .record(let o):
                if o.kind == .shown, held == o.reminder { heldRecords.append(o); continue }
                records.append(o)
            }
        }
        write(records)
    }

    private var lastShownID: ReminderID?

    private func present(_ r: Reminder) {
        lastShownID = r.id
        presenter.show(r, programs: engine.configuration.programs)
        notify(.shown(r))
        log.info("reminder shown: \(r.title)", metadata: [
            "reminder": "\(r.id)", "rules": "\(r.items.map(\.rule.description).joined(separator: ","))",
        ])
    }

    private func decided(_ id: ReminderID, _ decision: GateDecision) {
        guard held == id else { return }
        held = nil
        switch decision {
        case .proceed:
            if let r = engine.state.showing, r.id == id {
                present(r)
                write(heldRecords)
            }
            heldRecords = []
        case .postpone(let d, let reason):
            heldRecords = []
            log.info("reminder postponed: \(reason)", metadata: ["reminder": "\(id)", "for": "\(DurationText.format(d))"])
            send(.postpone(id, by: d, reason: reason))
        case .drop(let reason):
            heldRecords = []
            log.info("reminder dropped: \(reason)", metadata: ["reminder": "\(id)"])
            send(.drop(id, reason: reason))
        }
    }

    private func write(_ records: [Outcome]) {
        guard !records.isEmpty else { return }
        for o in records { notify(.recorded(o)) }
        guard let history else { return }
        switch history.recordOrHold(records) {
        case .saved(_, let flushed):
            if flushed > 0 { log.notice("history written again; \(flushed) held outcome(s) saved") }
        case .held(let n, let dropped, let error):
            log.error("history not written (\(error)); holding \(n) outcome(s) in memory, \(dropped) given up")
        }
    }

    // MARK: State and status

    private func persist(after event: Event, effects: [Effect]) {
        guard let store = stateStore else { return }
        if case .timer = event, effects.isEmpty { return }
        do { try store.save(engine.state) } catch {
            log.error("could not save state", metadata: ["path": "\(store.path)", "error": "\(error)"])
        }
    }

    private func updateStatus(_ now: Moment, force: Bool = false) {
        var line = line(now)
        if !lastReloadErrors.isEmpty {
            line += "; reload failed: " + (lastReloadErrors.first ?? "")
        }
        if line != lastStatus || force {
            lastStatus = line
            notify(.statusChanged(line))
        }
    }
}
