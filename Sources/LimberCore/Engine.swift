// The engine: its state, the events it takes and what it reads back.
// Its transitions live beside it, one concern a file: Engine+Presence.swift
// (away, back, natural breaks, sit-break counting), Engine+Answers.swift
// (answers, the gate review, pausing), Engine+Due.swift (time, the pass
// that shows what is due, building reminders), Engine+Phases.swift.
import Foundation

/// The reminder core: `(state, event, now) -> (state, effects, next deadline)`.
///
/// It reads no clock, opens no file and knows nothing of D-Bus. The loop
/// feeds it events with the time they happened and arms one timer for the
/// deadline it returns. See docs/architecture.md for the rules it keeps.
///
/// Rules are kept in arrays and addressed by index (`state.ruleIDs`,
/// `state.ruleStates`, `definitions`), so an event costs one pass of plain
/// array reads, and calendar work only for what is due.
public struct Engine: Sendable {
    public private(set) var configuration: Configuration
    public internal(set) var state: EngineState
    public private(set) var calendar: LocalCalendar
    /// The rules' definitions and programs, in the order of `state.ruleIDs`.
    var definitions: [ReminderRule] = []
    var programOf: [Int] = []
    /// Each rule's own cadence, before per-phase values (Engine+Phases.swift).
    var baseCadence: [Cadence] = []
    /// Each program's phase in force (same order as configuration.programs).
    var currentPhase: [String?] = []
    var index: [RuleID: Int] = [:]
    /// Indices of the sit-break rules (presence changes touch only these).
    var sitBreaks: [Int] = []
    /// Each program's exercises by id, with their "program/exercise" keys
    /// (same order as configuration.programs).
    var exercisesByID: [[String: Rotation.Keyed]] = []

    /// The shortest time a reminder stays up whatever the settings say
    /// (a sped-up demo keeps it up long enough in real time to answer).
    public var minimumStaysUp: Duration = .zero

    /// Whether a new reminder goes to the gates first: a `review` effect,
    /// shown (and recorded as shown) only when `Event.reviewed` lets it
    /// proceed. The daemon's engine is gated; the core's tests mostly not.
    public let gated: Bool

    public init(configuration: Configuration, state: EngineState? = nil, timeZone: TimeZone, now: Moment, gated: Bool = false) {
        self.configuration = configuration
        self.gated = gated
        self.calendar = LocalCalendar(timeZone: timeZone)
        self.state = state ?? EngineState(timeZone: timeZone)
        self.state.timeZoneID = timeZone.identifier
        if let shown = self.state.showing, shown.items.isEmpty { self.state.showing = nil }
        install(configuration, now: now)
        // A review open when the last process ended went with it: that
        // reminder was never on screen, so its rules fall due again now.
        if let shown = self.state.showing, self.state.reviewing == shown.id {
            for item in shown.items { if let i = index[item.rule] { self.state.ruleStates[i].stage = .scheduled } }
            self.state.showing = nil
        }
        self.state.reviewing = nil
    }

    public var settings: Settings { configuration.settings }

    // MARK: Events

    public mutating func handle(_ event: Event, at now: Moment) -> Step {
        var fx: [Effect] = []
        rollDay(now)
        // What ran out before this event happened is over first (after a
        // clock jump, once its stay has been moved to the new clock).
        if case .clockChanged = event { rebaseShowing(now) }
        if let shown = state.showing, now.wall >= shown.expiresAt { expire(now, &fx) }
        switch event {
        case .timer:
            break
        case .active:
            setPresence(now, &fx) { $0.idle = false }
        case .idle(let since):
            let start = since.map { Moment(wall: now.wall(atUptime: min($0, now.uptime)), uptime: min($0, now.uptime)) } ?? now
            setPresence(now, &fx, awayStart: start) { $0.idle = true }
        case .locked:
            setPresence(now, &fx) { $0.locked = true }
        case .unlocked:
            setPresence(now, &fx) { $0.locked = false }
        case .sleeping:
            setPresence(now, &fx) { $0.asleep = true }
        case .woke:
            setPresence(now, &fx) { $0.asleep = false }
        case .clockChanged:
            // Calendar dues are instants and stay; elapsed-time anchors keep
            // their uptime. Intervals are re-derived from those anchors.
            rebase(now)
            for i in definitions.indices {
                switch definitions[i].cadence {
                case .interval, .every(_, _, false): break
                default: continue
                }
                state.ruleStates[i].due = nil
                reschedule(i, now)
            }
        case .timeZoneChanged(let tz):
            calendar = LocalCalendar(timeZone: tz)
            state.timeZoneID = tz.identifier
            rescheduleAll(now)
        case .answer(let id, let answer):
            self.answer(id, answer, now, &fx)
        case .reload(let config):
            reload(config, now, &fx)
        case .pause(let until):
            pause(until: until ?? .distantFuture, now, &fx)
        case .resume:
            state.pausedUntil = nil
        case .redFlag(let flags):
            holdForRedFlag(flags, now, &fx)
        case .redFlagCleared:
            state.redFlagHold = nil
        case .moved:
            takeBreak(now, &fx, note: "moved", moved: true) { _ in true }
        case .trigger(let id):
            if let i = index[id], !state.ruleStates[i].showing {
                fire([i], now, &fx, triggered: true)
            }
        case .reviewed(let id, let decision):
            reviewed(id, decision, now, &fx)
        case .startProgram, .setPhase, .confirmPhase, .checkIn:
            handlePhaseEvent(event, now)
        }
        let deadline = process(now, &fx)
        return Step(effects: fx, nextDeadline: deadline)
    }

    // MARK: Reading

    /// When a rule is next due, as things stand (nil: showing, waiting for
    /// the user to be back, or not counting).
    public func nextDue(_ id: RuleID, at now: Moment) -> Date? {
        guard let i = index[id] else { return nil }
        return effectiveDue(i, now)
    }

    public var ruleIDs: [RuleID] { state.ruleIDs }

    /// Makes sure new reminders get ids above `id` (the highest the history
    /// holds): the state file, written after the history, can be one step
    /// behind it after a crash, and an id must never name two reminders.
    public mutating func reserveReminderIDs(through id: ReminderID) {
        if id >= state.nextReminderID { state.nextReminderID = id + 1 }
    }

    /// The reminder on screen (nil while the gates still review it).
    public var onScreen: Reminder? {
        guard let shown = state.showing, shown.id != state.reviewing else { return nil }
        return shown
    }

    /// The reminder the gates are reviewing (not on screen yet), if any.
    public var underReview: Reminder? {
        guard let shown = state.showing, shown.id == state.reviewing else { return nil }
        return shown
    }

    public func rule(_ id: RuleID) -> ReminderRule? { index[id].map { definitions[$0] } }

    /// One rule's state, by id.
    public func ruleState(_ id: RuleID) -> RuleState? { index[id].map { state.ruleStates[$0] } }

    /// The current phase of a program.
    public func phase(of programID: String, at now: Moment) -> Phase? {
        guard let program = configuration.program(programID) else { return nil }
        return phase(of: program, at: now)
    }

    func phase(of program: Program, at now: Moment) -> Phase? {
        phaseStatus(of: program, on: now.wall)?.phase
    }

    public func isActive(_ id: RuleID, at now: Moment) -> Bool {
        guard let i = index[id] else { return false }
        var phases = PhaseCache()
        return isActive(i, now, &phases)
    }

    public func status(at now: Moment) -> EngineStatus {
        var phases = PhaseCache()
        var next: (Int, Date)?
        for i in definitions.indices {
            guard let d = effectiveDue(i, now), next == nil || d < next!.1, isActive(i, now, &phases) else { continue }
            next = (i, d)
        }
        let today = state.today.day == calendar.dayKey(now.wall) ? state.today : DayTally()
        return EngineStatus(
            nextRule: next.map { state.ruleIDs[$0.0] }, nextTitle: next.map { definitions[$0.0].title }, nextAt: next?.1,
            showing: onScreen, pausedUntil: state.pausedUntil, away: state.presence.isAway,
            shownToday: today.shown, doneToday: today.done, redFlag: state.redFlagHold)
    }

    // MARK: Configuration

    private mutating func install(_ config: Configuration, now: Moment) {
        configuration = config
        var old: [RuleID: RuleState] = [:]
        for (id, rs) in zip(state.ruleIDs, state.ruleStates) where old[id] == nil { old[id] = rs }
        var ids: [RuleID] = [], states: [RuleState] = []
        definitions = []
        baseCadence = []
        currentPhase = []
        programOf = []
        index = [:]
        sitBreaks = []
        exercisesByID = config.programs.map { p in
            Dictionary(p.exercises.map { ($0.id, Rotation.Keyed(exercise: $0, key: p.id + "/" + $0.id)) },
                       uniquingKeysWith: { a, _ in a })
        }
        for (p, program) in config.programs.enumerated() {
            if state.programStarted[program.id] == nil {
                state.programStarted[program.id] = calendar.startOfDay(now.wall)
            }
            for rule in program.reminders {
                let id = RuleID(program: program.id, rule: rule.id)
                guard index[id] == nil else { continue }
                index[id] = ids.count
                if case .sitBreak = rule.cadence { sitBreaks.append(ids.count) }
                ids.append(id)
                definitions.append(rule)
                baseCadence.append(rule.cadence)
                programOf.append(p)
                var rs = old[id] ?? RuleState()
                if old[id] == nil { rs.since = now }
                states.append(rs)
            }
        }
        state.ruleIDs = ids
        state.ruleStates = states
        if let shown = state.showing {
            state.showing?.items = shown.items.filter { index[$0.rule] != nil }
        }
        refreshPhases(now)
        for i in definitions.indices { reschedule(i, now) }
        syncCounting(now)
    }

    private mutating func reload(_ config: Configuration, _ now: Moment, _ fx: inout [Effect]) {
        var oldCadence: [RuleID: Cadence] = [:]
        for (id, rule) in zip(state.ruleIDs, definitions) { oldCadence[id] = rule.cadence }
        let showingBefore = state.showing
        install(config, now: now)
        // Keep schedules of rules whose cadence did not change.
        for i in definitions.indices {
            if let old = oldCadence[state.ruleIDs[i]], old != definitions[i].cadence {
                state.ruleStates[i].due = nil
                reschedule(i, now)
            }
        }
        if let before = showingBefore, let after = state.showing {
            if after.items.isEmpty {
                _ = endCurrent(.reload, &fx)
            } else if after.items.count != before.items.count, onScreen != nil {
                fx.append(.show(after))
            }
        }
    }
}

/// What `systemctl --user status` and `limberctl status` say.
public struct EngineStatus: Sendable, Hashable {
    public var nextRule: RuleID?
    public var nextTitle: String?
    public var nextAt: Date?
    public var showing: Reminder?
    public var pausedUntil: Date?
    public var away: Bool
    public var shownToday: Int
    public var doneToday: Int
    /// Exercise on hold after a red flag.
    public var redFlag: RedFlagHold? = nil

    /// "next: Sit break in 12 min; 3 of 8 done today", in the user's language.
    public func line(now: Date) -> String {
        var parts: [String] = []
        if redFlag != nil { parts.append("RED FLAG: exercise reminders stopped, get care") }
        if let p = pausedUntil {
            parts.append(p == .distantFuture ? tr("paused")
                : tr("paused for {duration}", ["duration": DurationText.spoken(.seconds(Int64(p.timeIntervalSince(now))))]))
        } else if let s = showing {
            parts.append(tr("showing: {title}", ["title": s.title]))
        } else if let t = nextTitle, let at = nextAt {
            let left = max(0, at.timeIntervalSince(now))
            parts.append(tr("next: {title} in {duration}", ["title": t, "duration": DurationText.spoken(.seconds(Int64(left.rounded(.up))))]))
        } else if away {
            parts.append(tr("waiting for you to be back"))
        } else {
            parts.append(tr("nothing scheduled"))
        }
        // Not "0 of 0 done today": before the first reminder, say so.
        parts.append(shownToday == 0 ? tr("no reminders yet today")
                     : trn("{done} of {shown} done today", "{done} of {shown} done today", shownToday,
                           ["done": String(doneToday), "shown": String(shownToday)]))
        return parts.joined(separator: "; ")
    }
}
