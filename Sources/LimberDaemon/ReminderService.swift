import Foundation
import Logging
import LimberCore
import LimberNotifications
import LimberConfig
import LimberHistory
import Systemd

/// Reviews reminders before they are shown. `decide` must be called once,
/// possibly later: the core keeps the reminder under review until its
/// answer arrives as `Event.reviewed`.
public protocol ReminderGate: AnyObject {
    func review(_ reminder: Reminder, decide: @escaping (GateDecision) -> Void)
}

/// The result of a reload.
public struct ReloadReport: Sendable {
    public var ok: Bool
    /// `file:line:column: message` for each problem.
    public var diagnostics: [String]
}

/// The reminder service: the core, fed by events, its effects carried out
/// by the gate, the presenter, the history and the state file. Owned by the
/// loop thread; it never blocks on the outside world.
///
/// Everything it works with comes through its initializer (DESIGN.md:
/// construct, don't assign): the daemon builds the plugin host first and
/// hands in its gate, status sources and reload validators.
public final class ReminderService {
    public private(set) var engine: Engine
    public private(set) var pluginSettings: [String: ConfigTable]
    /// The exec plugin manifests of the configuration in use, and the
    /// plugin files skipped or unreadable when it was loaded.
    public private(set) var pluginManifests: [PluginManifestFile] = []
    public private(set) var pluginProblems: [Diagnostic] = []
    public let loader: ConfigLoader
    public let presenter: ReminderPresenter
    /// Reviews each new reminder before it is shown; nil: all proceed.
    public let gate: ReminderGate?
    /// Shows the red-flag notification (RedFlagAlert.swift); nil: the journal.
    public let redFlagAlerts: RedFlagAlerting?
    /// The history's one writer (HistoryWriter.swift): every outcome,
    /// check-in, read and the state file go through it, off the loop.
    public let history: HistoryWriter?
    /// Active time against breaks, written to the history (Activity/).
    public let activity: ActivityRecorder
    /// Called (on the history writer's queue) after retention was applied.
    public var onRetentionApplied: (@Sendable (PruneResult) -> Void)?
    public let stateStore: StateStore?
    public let clock: () -> Moment
    public private(set) var lastReloadErrors: [String] = []
    /// When the core next needs a timer event (nil: not on its own).
    public private(set) var nextDeadline: Date?
    /// Extra checks a reload must pass before it is swapped in (the plugin
    /// layer validates `[plugins.ID]` tables): `file:line:column: message`s.
    public let reloadValidators: [(LoadResult) -> [String]]
    /// Extra parts of the status line ("idle source: logind").
    public let statusSources: [() -> String?]
    /// The loop timer armed for `nextDeadline` (nil without a loop).
    private var timer: EventTimer?
    private let timeBase: TimeBase
    private var observers: [(ServiceEvent) -> Void] = []
    /// Told after a phase event was carried out (PhaseMoves.swift).
    var phaseObservers: [() -> Void] = []
    private var lastStatus = ""
    /// Set while outcomes are held in memory because the history refuses
    /// writes: logged once per outage, shown in the status line.
    private var historyOutage: HistoryError?
    /// Outcomes the history holds in memory, as its last answer said (the
    /// loop never asks the store: a write in progress holds its lock).
    private var historyHeld = 0
    /// Endings of the reminder on screen at start that the history
    /// already holds (see catchUpWithHistory): written again, the store
    /// skips them (HistoryStore: an item ends once); they are not
    /// announced again either.
    private var endedBeforeStart: [Outcome] = []
    /// Waiting for the reminder under review to be decided (whenReviewsSettle).
    private var settleWaiters: [() -> Void] = []
    private let log: Logger

    /// - Parameters:
    ///   - loop: where the service arms its one timer for the core's next
    ///     deadline (nil: nothing is armed; tests read `nextDeadline`).
    ///   - timeBase: the daemon's (possibly sped-up) clock, to turn a
    ///     deadline into a real delay.
    public init(configuration: Configuration, plugins: [String: ConfigTable] = [:], loader: ConfigLoader,
                presenter: ReminderPresenter, gate: ReminderGate? = nil, redFlagAlerts: RedFlagAlerting? = nil, statusSources: [() -> String?] = [],
                reloadValidators: [(LoadResult) -> [String]] = [], stateStore: StateStore?, history: HistoryStore?,
                timeZone: TimeZone, clock: @escaping () -> Moment, loop: EventLoop? = nil,
                timeBase: TimeBase = TimeBase(start: (Date(), .zero)),
                logger: Logger) {
        self.loader = loader
        self.presenter = presenter
        self.gate = gate
        self.redFlagAlerts = redFlagAlerts
        self.statusSources = statusSources
        self.reloadValidators = reloadValidators
        self.stateStore = stateStore
        let writer = history.map { HistoryWriter(store: $0, loop: loop, logger: logger) }
        self.history = writer
        self.clock = clock
        self.timeBase = timeBase
        self.log = logger
        self.pluginSettings = plugins
        var saved: EngineState?
        if let store = stateStore {
            do { saved = try store.load() } catch {
                logger.warning("state file unreadable, starting afresh", metadata: ["path": "\(store.path)", "error": "\(error)"])
            }
        }
        let start = clock()
        engine = Engine(configuration: configuration, state: saved, timeZone: timeZone, now: start, gated: true)
        activity = ActivityRecorder(start: start, presence: engine.state.presence,
                                    timeZone: TimeZone(identifier: engine.state.timeZoneID) ?? timeZone,
                                    history: writer, logger: logger)
        presenter.onAnswer = { [weak self] id, answer in self?.send(.answer(id, answer)) }
        if let loop {
            do {
                timer = try loop.makeTimer(clock: .boottime, accuracy: .milliseconds(timeBase.isScaled ? 1 : 250)) { [weak self] in
                    self?.send(.timer)
                }
            } catch {
                logger.error("no timer for reminders: \(error)")
            }
        }
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
        if historyOutage != nil, let history {
            history.run({ $0.flushHeld() }) { [weak self] in self?.noteHistoryWrite($0) }
        }
        let step = engine.handle(event, at: now)
        // The step's records and state go to the writer first: it commits
        // while the notification is being sent (a crash right after a
        // reminder reaches the screen finds its "shown" row in most cases).
        let records = step.effects.compactMap { effect -> Outcome? in
            if case .record(let o) = effect { return o } else { return nil }
        }
        let changed: Bool
        if case .timer = event, step.effects.isEmpty { changed = false } else { changed = true }
        write(records, state: changed ? engine.state : nil)
        let reviews = apply(step.effects)
        for o in records where !wasEndedBeforeStart(o) { notify(.recorded(o)) }
        arm(step.nextDeadline, now)
        updateStatus(now)
        // Asked once the step is carried out, so an answer given at once is a
        // step of its own, after this one's records.
        for r in reviews { review(r) }
        if engine.underReview == nil, !settleWaiters.isEmpty {
            let waiters = settleWaiters
            settleWaiters = []
            for w in waiters { w() }
        }
    }

    /// Calls `done` once no reminder is under review (at once when none
    /// is): after the step that carried out the gates' answer, so its
    /// records (`shown`, `postponed`, `missed`) are with the history
    /// writer. The gates answer within their time limit (PluginHost).
    public func whenReviewsSettle(_ done: @escaping () -> Void) {
        guard engine.underReview != nil else { return done() }
        settleWaiters.append(done)
    }

    /// Arms the loop timer for the core's next deadline.
    private func arm(_ deadline: Date?, _ now: Moment) {
        nextDeadline = deadline
        guard let timer else { return }
        guard let deadline else { timer.cancel(); return }
        do { try timer.arm(after: timeBase.realDelay(until: deadline, from: now)) } catch {
            log.error("could not arm the timer: \(error)")
        }
    }

    /// Hands a reminder about to be shown to the gate; without one it
    /// proceeds.
    private func review(_ r: Reminder) {
        let id = r.id
        guard let gate else {
            send(.reviewed(id, .proceed))
            return
        }
        gate.review(r) { [weak self] decision in
            guard let self else { return }
            switch decision {
            case .proceed: break
            case .postpone(let d, let reason):
                self.log.info("reminder postponed: \(reason)", metadata: ["reminder": "\(id)", "for": "\(DurationText.format(d))"])
            case .drop(let reason):
                self.log.info("reminder dropped: \(reason)", metadata: ["reminder": "\(id)"])
            }
            self.send(.reviewed(id, decision))
        }
    }

    /// The shortest time a reminder stays up (a sped-up run keeps it up a
    /// minute of real time).
    public func setMinimumStaysUp(_ d: Duration) {
        engine.minimumStaysUp = d
    }

    /// Starts: shows what is due and arms the first timer.
    public func start() {
        catchUpWithHistory()
        send(.timer)
        // What the last run left on screen, if still up: taken over where
        // the presenter can (the notification replaced, its buttons ours).
        if let shown = engine.state.showing, shown.id != engine.state.reviewing, !shown.items.isEmpty {
            presenter.resume(shown, programs: engine.configuration.programs)
        }
        showRedFlagAlert()
        applyRetention(after: "start")
    }

    /// The history is written before the state file (both on the writer,
    /// in that order), so a kill between the two leaves the state one step
    /// behind: its next reminder id may be one the history already used,
    /// or it still shows a reminder whose ending the history already has.
    /// New ids start above the history's; that ending is carried out here,
    /// once. The store keeps the first ending of an item and skips the
    /// replayed one; the service does not announce it twice. At start,
    /// before the writer has work, so the store is read in place.
    private func catchUpWithHistory() {
        guard let history else { return }
        do { engine.reserveReminderIDs(through: try history.store.lastReminderID()) } catch {
            log.warning("could not read the history's last reminder id: \(error)")
        }
        guard let r = engine.onScreen else { return }
        let rows: [Outcome]
        do {
            rows = try history.store.outcomes(since: r.shownAt.addingTimeInterval(-86_400))
                .map(\.outcome).filter { $0.reminder == r.id }
        } catch {
            log.warning("could not read the history to check the reminder on screen: \(error)")
            return
        }
        guard let end = rows.first(where: { $0.kind != .shown }) else { return }
        let answer: Answer?
        switch end.kind {
        case .done: answer = .done
        case .snoozed: answer = .snooze(end.snooze)
        case .skipped: answer = .skip
        case .dismissed: answer = .dismissed
        case .shown, .expired, .missed, .postponed: answer = nil  // the core ends it itself, at its time
        }
        log.notice("the reminder on screen had ended before limberd stopped; carrying that out",
                   metadata: ["reminder": "\(r.id)", "outcome": "\(end.kind.rawValue)"])
        // Kept for the rest of the run: the core may end the reminder later
        // than the old limberd did (a sped-up clock starts again), and ids
        // are never reused, so these match nothing else.
        endedBeforeStart = rows.filter { $0.kind != .shown }
        if let answer { send(.answer(r.id, answer)) } else { send(.timer) }
    }

    /// Whether this ending was recorded (and announced) before a restart
    /// (see catchUpWithHistory).
    private func wasEndedBeforeStart(_ o: Outcome) -> Bool {
        endedBeforeStart.contains { $0.reminder == o.reminder && $0.rule == o.rule && $0.kind == o.kind }
    }

    /// Writes what is still only in memory (activity counted since the
    /// last write, held outcomes) and waits for the writer. At stop.
    public func stop() {
        activity.flush(at: clock())
        guard let history else { return }
        if historyHeld > 0 { history.run({ $0.flushHeld() }) { [weak self] in self?.noteHistoryWrite($0) } }
        if !history.drain() {
            log.error("the history writer is still busy (the database locked or the disk slow); what it had not written is lost")
        }
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
    /// "forever"), on the history writer, and logs how much went.
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
        history.run { history in
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

    /// The one status line: sd_notify STATUS=, the StatusLine property,
    /// `limberctl status` (see StatusLine).
    public var statusLine: String { line(clock()) }

    private func line(_ now: Moment) -> String {
        StatusLine.text(engine.status(at: now), now: now.wall, history: historyStatus,
                        sources: statusSources.map { $0() }, reloadErrors: lastReloadErrors)
    }

    // MARK: Reload

    /// Reload as a transaction: everything new is parsed and validated, then
    /// swapped in; on any error the running configuration stays.
    @discardableResult
    public func reload() -> ReloadReport {
        let result = loader.loadAll()
        for w in result.warnings { log.warning("\(w.description)") }
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
        pluginManifests = result.pluginManifests
        pluginProblems = result.pluginDiagnostics
        send(.reload(config))
        log.info("reloaded", metadata: ["programs": "\(config.programs.map(\.id).joined(separator: ","))"])
        notify(.reloaded(ok: true, diagnostics: []))
        applyRetention(after: "reload")
        return ReloadReport(ok: true, diagnostics: [])
    }

    // MARK: Effects

    /// Carries out a step's effects; returns the reminders to review.
    private func apply(_ effects: [Effect]) -> [Reminder] {
        var reviews: [Reminder] = []
        for effect in effects {
            switch effect {
            case .review(let r):
                reviews.append(r)
            case .show(let r):
                presenter.show(r, programs: engine.configuration.programs)
                notify(.shown(r))
                log.info("reminder shown: \(r.title)", metadata: [
                    "reminder": "\(r.id)", "rules": "\(r.items.map(\.rule.description).joined(separator: ","))",
                ])
            case .withdraw(let id, let reason):
                presenter.withdraw(id, reason: reason)
                notify(.withdrawn(id, reason))
            case .record:
                break   // written by `write`, before the step's effects
            }
        }
        return reviews
    }

    /// A step's outcomes (one transaction) and its state file, as one
    /// job of the history writer: the state is written and synced beside
    /// its file, the outcomes committed, then the state renamed into place.
    /// So state.json is never ahead of the history and lags it only for a
    /// rename (a SIGKILL between the two would replay one step: a reminder
    /// ended twice). The answer comes back as a step of its own (the status
    /// line says when writes fail). Without a history the state is saved
    /// here, on the loop.
    private func write(_ records: [Outcome], state: EngineState?) {
        let stateStore = state == nil ? nil : self.stateStore
        guard let history else {
            if let stateStore, let state { saveState(stateStore, state) }
            return
        }
        guard !records.isEmpty || stateStore != nil else { return }
        history.run({ store -> (RecordResult?, String?) in
            var stateError: String?
            var prepared: StateStore.Prepared?
            if let stateStore, let state {
                do { prepared = try stateStore.prepare(state) } catch { stateError = "\(error)" }
            }
            let result = records.isEmpty ? nil : store.recordOrHold(records)
            do { try prepared?.commit() } catch { stateError = "\(error)" }
            return (result, stateError)
        }) { [weak self] result, stateError in
            guard let self else { return }
            if let stateError, let stateStore {
                self.log.error("could not save state", metadata: ["path": "\(stateStore.path)", "error": "\(stateError)"])
                history.reportProblem("the state file was not saved (\(stateError))")
            }
            guard let result else { return }
            self.noteHistoryWrite(result)
            if case .held = result { history.reportProblem(self.historyStatus ?? tr("history: not yet written")) }
            self.updateStatus(self.clock())
        }
    }

    /// Logs the change from written to held (once per outage) and back.
    private func noteHistoryWrite(_ result: RecordResult) {
        switch result {
        case .saved(_, let flushed):
            historyHeld = 0
            if historyOutage != nil || flushed > 0 {
                historyOutage = nil
                log.notice("history written again; \(flushed) held outcome(s) saved")
            }
        case .held(let n, let dropped, let error):
            historyHeld = n
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
        guard history != nil else { return nil }
        let held = historyHeld
        let error = historyOutage ?? activity.writeError
        guard held > 0 || error != nil else { return nil }
        let why = error?.isDiskFull == true ? tr("disk full") : tr("cannot write")
        if held == 0 { return tr("history: activity not yet written ({why})", ["why": why]) }
        return trn("history: {n} outcome not yet written ({why})", "history: {n} outcomes not yet written ({why})",
                   held, ["n": String(held), "why": why])
    }

    // MARK: State and status

    private func saveState(_ store: StateStore, _ state: EngineState) {
        do { try store.save(state) } catch {
            log.error("could not save state", metadata: ["path": "\(store.path)", "error": "\(error)"])
        }
    }

    private func updateStatus(_ now: Moment, force: Bool = false) {
        let line = line(now)
        if line != lastStatus || force {
            lastStatus = line
            notify(.statusChanged(line))
        }
    }
}
