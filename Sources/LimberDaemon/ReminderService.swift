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
    public var history: HistoryStore? {
        didSet { activity.history = history }
    }
    /// Active time against breaks, written to the history (Activity/).
    public let activity: ActivityRecorder
    /// Where slow history work (retention) runs: a background queue, so the
    /// loop never waits for it. Tests run it in place.
    public var runInBackground: (@escaping @Sendable () -> Void) -> Void = { work in
        DispatchQueue.global(qos: .utility).async(execute: work)
    }
    /// Called (on the background queue) after retention was applied.
    public var onRetentionApplied: (@Sendable (PruneResult) -> Void)?
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
    /// Set while outcomes are held in memory because the history refuses
    /// writes: logged once per outage, shown in the status line.
    private var historyOutage: HistoryError?
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
        let start = clock()
        engine = Engine(configuration: configuration, state: saved, timeZone: timeZone, now: start)
        activity = ActivityRecorder(start: start, presence: engine.state.presence,
                                    timeZone: TimeZone(identifier: engine.state.timeZoneID) ?? timeZone,
                                    history: history, logger: logger)
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
        activity.observe(event, at: now)
        // Writes failed before: try the held outcomes again on this wake-up.
        if historyOutage != nil, let history { noteHistoryWrite(history.flushHeld()) }
        if case .answer(let id, _) = event, let h = held, id == nil || id == h {
            return  // not on screen yet: a gate is still deciding
        }
        let step = engine.handle(event, at: now)
        apply(step.effects)
        persist(after: event, effects: step.effects)
        onDeadline?(step.nextDeadline)
        updateStatus(now)
    }

    /// The shortest time a reminder stays up (a sped-up run keeps it up a
    /// minute of real time).
    public func setMinimumStaysUp(_ d: Duration) {
        engine.minimumStaysUp = d
    }

    /// Starts: shows what is due and arms the first timer.
    public func start() {
        send(.timer)
        applyRetention(after: "start")
    }

    /// Writes what is still only in memory (activity counted since the
    /// last write, held outcomes). At stop.
    public func stop() {
        activity.flush(at: clock())
        if let history, history.heldCount > 0 { noteHistoryWrite(history.flushHeld()) }
    }

    /// Once a day, just after local midnight: the day's activity is
    /// written and the retention applied.
    public func dailyHousekeeping() {
        activity.flush(at: clock())
        applyRetention(after: "daily")
        updateStatus(clock())
    }

    /// The time zone days are counted in.
    public var timeZone: TimeZone { TimeZone(identifier: engine.state.timeZoneID) ?? .current }

    // MARK: History retention

    /// Deletes what is older than `history_retention` (nothing for
    /// "forever"), on the background queue, and logs how much went.
    public func applyRetention(after why: String) {
        guard let history else { return }
        let retention = engine.configuration.settings.historyRetention
        guard case .days(let n) = retention else {
            log.debug("history retention: forever (\(why)); nothing pruned")
            return
        }
        let now = clock().wall
        let zone = timeZone
        let log = self.log
        let done = onRetentionApplied
        runInBackground {
            do {
                let r = try history.applyRetention(.days(n), now: now, timeZone: zone)
                log.info("history retention \(n)d (\(why)): pruned \(r.outcomes) outcome(s), \(r.checkIns) check-in(s) and \(r.activityDays) day(s) of activity", metadata: [
                    "cutoff": "\(Retention.days(n).cutoff(now: now).map { "\($0)" } ?? "")",
                ])
                done?(r)
            } catch {
                log.error("history retention \(n)d (\(why)) failed: \(error)")
            }
        }
    }

    public func status() -> EngineStatus { engine.status(at: clock()) }

    public var statusLine: String { line(clock()) }

    private func line(_ now: Moment) -> String {
        var line = engine.status(at: now).line(now: now.wall)
        if let h = historyStatus { line += "; " + h }
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
        applyRetention(after: "reload")
        return ReloadReport(ok: true, diagnostics: [])
    }

    // MARK: Effects

    private func apply(_ effects: [Effect]) {
        var records: [Outcome] = []
        for effect in effects {
            switch effect {
            case .show(let r):
                // An update of a reminder still under review stays held (its
                // records keep piling up; proceed shows the latest state).
                if r.id == held { continue }
                if r.id != lastShownID, let gate {
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
        noteHistoryWrite(history.recordOrHold(records))
    }

    /// Logs the change from written to held (once per outage) and back.
    private func noteHistoryWrite(_ result: RecordResult) {
        switch result {
        case .saved(_, let flushed):
            if historyOutage != nil || flushed > 0 {
                historyOutage = nil
                log.notice("history written again; \(flushed) held outcome(s) saved")
            }
        case .held(let n, let dropped, let error):
            if historyOutage == nil {
                log.error("history not written (\(error)); holding outcomes in memory until a write succeeds; the daemon goes on")
            } else {
                log.debug("history still not written; holding \(n) outcome(s), \(dropped) given up")
            }
            historyOutage = error
        }
    }

    /// "history: 3 outcomes not yet written (disk full)" while writes fail.
    public var historyStatus: String? {
        guard let history else { return nil }
        let held = history.heldCount
        let error = historyOutage ?? activity.writeError
        guard held > 0 || error != nil else { return nil }
        let why = error.map { $0.isDiskFull ? "disk full" : "cannot write" } ?? "cannot write"
        if held == 0 { return "history: activity not yet written (\(why))" }
        return "history: \(held) outcome\(held == 1 ? "" : "s") not yet written (\(why))"
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
