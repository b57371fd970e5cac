// Over 600 lines, on purpose for now: it is one state machine's
// transitions (events, the pass that shows what is due, showing, answers,
// the gate review), read together. Concerns that stand alone already live
// beside it (Engine+Phases.swift, RedFlagHold.swift); five engineers changed
// it at once this session, so a further split waits for a quiet moment.
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
    private var index: [RuleID: Int] = [:]
    /// Indices of the sit-break rules (presence changes touch only these).
    private var sitBreaks: [Int] = []
    /// Each program's exercises by id, with their "program/exercise" keys
    /// (same order as configuration.programs).
    private var exercisesByID: [[String: Rotation.Keyed]] = []

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

    private func phase(of program: Program, at now: Moment) -> Phase? {
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

    // MARK: Presence

    private mutating func setPresence(_ now: Moment, _ fx: inout [Effect], awayStart: Moment? = nil,
                                      _ change: (inout Presence) -> Void) {
        let wasAway = state.presence.isAway
        change(&state.presence)
        let isAway = state.presence.isAway
        if !wasAway && isAway {
            wentAway(at: awayStart ?? now)
        } else if wasAway && !isAway {
            cameBack(now, &fx)
        }
    }

    private mutating func wentAway(at start: Moment) {
        state.presence.awaySince = start
        for i in sitBreaks {
            guard case .counting(let cs) = state.ruleStates[i].stage else { continue }
            state.ruleStates[i].banked += max(.zero, start.uptime - cs)
            state.ruleStates[i].stage = .scheduled
        }
    }

    /// The sit breaks whose `natural_break` `counts` start again: snoozes
    /// and pending catch-ups are answered, and one on screen is done (with
    /// `note`). `moved` also records a done for the ones not on screen.
    private mutating func takeBreak(_ now: Moment, _ fx: inout [Effect], note: String, moved: Bool = false,
                                    counts: (Duration) -> Bool) {
        var tookBreak: Set<RuleID> = []
        for i in sitBreaks {
            guard case .sitBreak(_, let naturalBreak) = definitions[i].cadence, counts(naturalBreak) else { continue }
            var rs = state.ruleStates[i]
            rs.banked = .zero
            if case .counting = rs.stage { rs.stage = .counting(since: now.uptime) }
            if rs.stage.isOnReminder {
                tookBreak.insert(state.ruleIDs[i])
            } else if moved {
                fx.append(.record(Outcome(reminder: 0, rule: state.ruleIDs[i], kind: .done, exercises: [], at: now.wall,
                                          dueAt: effectiveDue(i, now) ?? now.wall, note: note)))
            }
            // A natural break also answers a snooze or a pending sit break.
            switch rs.stage {
            case .snoozed:
                rs.stage = .scheduled
                rs.snoozeCount = 0
            case .pending, .catchingUp:
                rs.stage = .scheduled
            default:
                break
            }
            state.ruleStates[i] = rs
        }
        // A sit break on screen that the user took by walking away is done.
        if !tookBreak.isEmpty, var shown = state.showing {
            for item in shown.items where tookBreak.contains(item.rule) {
                fx.append(outcome(item, of: shown.id, .done, now, note: note))
                state.today.done += 1
                if let i = index[item.rule] { conclude(i, now) }
            }
            shown.items.removeAll { tookBreak.contains($0.rule) }
            state.showing = shown
            if shown.items.isEmpty {
                _ = endCurrent(.naturalBreak, &fx)
            } else if onScreen != nil {
                fx.append(.show(shown))
            }
        }
    }

    private mutating func cameBack(_ now: Moment, _ fx: inout [Effect]) {
        let away = state.presence.awaySince.map { now.uptime - $0.uptime } ?? .zero
        state.presence.awaySince = nil
        state.presence.returnedAt = now.wall
        takeBreak(now, &fx, note: "natural break") { naturalBreak in away >= naturalBreak }
        // What fell due while the user was away (asleep: no timer ran)
        // becomes one catch-up.
        for i in definitions.indices {
            if case .sitBreak = definitions[i].cadence { continue }
            guard state.ruleStates[i].stage.pendingSince == nil, let d = effectiveDue(i, now), d < now.wall else { continue }
            makePending(i, now, &fx)
        }
    }

    /// Sit breaks count active time inside working hours only; a new
    /// working window starts a fresh count.
    private mutating func syncCounting(_ now: Moment) {
        guard !sitBreaks.isEmpty else { return }
        let window = calendar.occurrence(of: settings.workingHours, containing: now.wall, days: settings.activeDays)
        let windowKey = window.map { calendar.dayKey($0.start) + " " + settings.workingHours.description }
        let away = state.presence.isAway
        for i in sitBreaks {
            // In place, field by field: most events change nothing here.
            let counting: Duration?
            let free: Bool
            switch state.ruleStates[i].stage {
            case .counting(let since): counting = since; free = true
            case .scheduled: counting = nil; free = true
            default: counting = nil; free = false   // on a reminder, snoozed, pending
            }
            let shouldCount = window != nil && !away && free
            if shouldCount, counting == nil {
                if state.ruleStates[i].countWindow != windowKey { state.ruleStates[i].banked = .zero }
                state.ruleStates[i].stage = .counting(since: now.uptime)
            } else if !shouldCount, let cs = counting {
                state.ruleStates[i].banked += max(.zero, now.uptime - cs)
                state.ruleStates[i].stage = .scheduled
            }
            if let windowKey, state.ruleStates[i].countWindow != windowKey { state.ruleStates[i].countWindow = windowKey }
        }
    }

    // MARK: Answers

    private mutating func answer(_ id: ReminderID?, _ answer: Answer, _ now: Moment, _ fx: inout [Effect]) {
        // Not on screen yet (the gates are still reviewing it): nothing to answer.
        guard let shown = onScreen, id == nil || id == shown.id else { return }
        _ = endCurrent(.answered, &fx)
        let limitReached = shown.items.contains { item in
            item.snoozeCount >= (rule(item.rule)?.maxSnoozes ?? settings.maxSnoozes)
        }
        var walked = false
        for item in shown.items {
            guard let i = index[item.rule] else { continue }
            func record(_ kind: OutcomeKind, snooze: Duration? = nil, note: String? = nil) {
                fx.append(outcome(item, of: shown.id, kind, now, snooze: snooze, note: note))
            }
            switch answer {
            case .done:
                record(.done)
                state.today.done += 1
                state.ruleStates[i].lastDone = now.wall
                for e in item.exercises { state.exerciseLastDone[item.rule.program + "/" + e.id] = now.wall }
                conclude(i, now)
                if countsAsBreak(i, item) { walked = true }
            case .skip:
                record(.skipped)
                conclude(i, now)
            case .dismissed:
                record(.dismissed)
                conclude(i, now)
            case .snooze(let asked):
                if limitReached {
                    record(.skipped, note: "snooze limit reached")
                    conclude(i, now)
                    continue
                }
                // A snooze that would end outside the rule's hours comes
                // back at the next time it may be shown (the reply and the
                // record say when), not silently missed.
                let wanted = max(asked ?? shown.snoozeLength ?? settings.snooze, settings.coalesceWindow)
                let length = snoozeLength(i, wanted, now)
                record(.snoozed, snooze: length, note: length != wanted ? "past its hours" : nil)
                state.ruleStates[i].snoozeCount += 1
                state.ruleStates[i].stage = .snoozed(until: now + length, dueAt: item.dueAt)
            }
        }
        // A walk done (or a reminder marked counts_as_break) is a break:
        // every sit break starts counting again.
        if walked { takeBreak(now, &fx, note: "walk") { _ in true } }
    }

    /// Whether Done on this item counts as a break for the sit breaks:
    /// the rule says so (`counts_as_break`), or by default, when it offered
    /// a walk (an exercise of category cardio). A sit break itself is not.
    private func countsAsBreak(_ i: Int, _ item: ReminderItem) -> Bool {
        if case .sitBreak = definitions[i].cadence { return false }
        return definitions[i].countsAsBreak ?? item.exercises.contains { $0.category == .cardio }
    }

    /// How long a snooze of `asked` really lasts: to the next time rule `i`
    /// may be shown when `asked` would end outside its hours.
    private func snoozeLength(_ i: Int, _ asked: Duration, _ now: Moment) -> Duration {
        let end = now.wall.addingTimeInterval(asked.seconds)
        var hours = Hours()
        guard !allowed(i, end, &hours), let next = nextAllowed(i, after: end) else { return asked }
        return .milliseconds(Int64((next.timeIntervalSince(now.wall) * 1000).rounded(.up)))
    }

    /// The first time at or after `date` when rule `i` may be shown.
    private func nextAllowed(_ i: Int, after date: Date) -> Date? {
        let window: DayWindow
        switch definitions[i].cadence {
        case .fixed: return date
        case .window(_, let w, _): window = w
        case .every(_, let w?, _): window = w
        case .every(_, nil, _), .sitBreak, .interval: window = settings.workingHours
        }
        guard let occ = calendar.nextOccurrence(of: window, after: date, days: settings.activeDays) else { return nil }
        return max(occ.start, date)
    }

    /// `conclude` by id, for the engine's extensions in other files.
    mutating func concludeRule(_ id: RuleID, _ now: Moment) {
        if let i = index[id] { conclude(i, now) }
    }

    /// A rule's reminder is over (answered, expired, missed): schedule the next.
    private mutating func conclude(_ i: Int, _ now: Moment) {
        var rs = state.ruleStates[i]
        rs.stage = .scheduled
        rs.snoozeCount = 0
        rs.lastAnswered = now
        // A fixed occurrence is used up once it fell due (not by an early trigger).
        if let occurrence = rs.dueOccurrence, let d = rs.due, d <= now.wall {
            rs.lastOccurrence = max(rs.lastOccurrence ?? "", occurrence)
        }
        rs.due = nil
        rs.dueOccurrence = nil
        if case .sitBreak = definitions[i].cadence { rs.banked = .zero }
        state.ruleStates[i] = rs
        reschedule(i, now)
    }

    /// The gates answered the review of the current reminder.
    private mutating func reviewed(_ id: ReminderID, _ decision: GateDecision, _ now: Moment, _ fx: inout [Effect]) {
        guard let shown = underReview, shown.id == id else { return }
        switch decision {
        case .proceed:
            state.reviewing = nil
            for item in shown.items { if let i = index[item.rule] { state.ruleStates[i].stage = .showing } }
            reveal(shown, now, &fx)
        case .postpone(let by, let reason):
            _ = endCurrent(.postponed, &fx)
            let length = max(by, .seconds(1))
            for item in shown.items {
                fx.append(outcome(item, of: id, .postponed, now, snooze: length, note: reason))
                guard let i = index[item.rule] else { continue }
                state.ruleStates[i].stage = .snoozed(until: now + length, dueAt: item.dueAt)
            }
        case .drop(let reason):
            _ = endCurrent(.dropped, &fx)
            for item in shown.items {
                fx.append(outcome(item, of: id, .missed, now, note: reason))
                if let i = index[item.rule] { conclude(i, now) }
            }
        }
    }

    /// Ends the current reminder: withdrawn from the screen for `reason` if
    /// it was on it (one under review never was). Returns it, and whether
    /// the user had seen it.
    private mutating func endCurrent(_ reason: WithdrawReason, _ fx: inout [Effect]) -> (reminder: Reminder, seen: Bool)? {
        guard let shown = state.showing else { return nil }
        let seen = state.reviewing != shown.id
        state.showing = nil
        state.reviewing = nil
        if seen { fx.append(.withdraw(shown.id, reason)) }
        return (shown, seen)
    }

    /// One item's outcome as the history records it.
    private func outcome(_ item: ReminderItem, of id: ReminderID, _ kind: OutcomeKind, _ now: Moment,
                         snooze: Duration? = nil, note: String? = nil) -> Effect {
        .record(Outcome(reminder: id, rule: item.rule, kind: kind, exercises: item.offered, at: now.wall,
                        dueAt: item.dueAt, catchUp: item.catchUp, snooze: snooze, note: note))
    }

    private mutating func pause(until: Date, _ now: Moment, _ fx: inout [Effect]) {
        state.pausedUntil = until
        guard let (shown, seen) = endCurrent(.paused, &fx) else { return }
        for item in shown.items {
            // Put off by the user: it comes back (as a catch-up) after the pause.
            if seen {
                fx.append(outcome(item, of: shown.id, .snoozed, now,
                                  snooze: until == .distantFuture ? nil : .seconds(Int64(until.timeIntervalSince(now.wall))),
                                  note: "paused"))
            }
            guard let i = index[item.rule] else { continue }
            state.ruleStates[i].stage = .pending(since: item.dueAt)
        }
    }

    // MARK: Time

    private mutating func rollDay(_ now: Moment) {
        let key = calendar.dayKey(now.wall)
        if state.today.day != key {
            state.today = DayTally()
            state.today.day = key
            refreshPhases(now)
        }
    }

    /// The wall clock was set: moments keep their uptime, their wall time
    /// follows it.
    /// The reminder on screen stays up for its real time across a clock
    /// jump: its times move with the clock (by how far the clock moved since
    /// it was shown, from the uptime then and now).
    private mutating func rebaseShowing(_ now: Moment) {
        guard var shown = state.showing, let rule = shown.items.first?.rule,
              let i = state.ruleIDs.firstIndex(of: rule), let fired = state.ruleStates[i].lastFired else { return }
        let jump = now.wall(atUptime: fired.uptime).timeIntervalSince(fired.wall)
        guard jump != 0 else { return }
        shown.shownAt = shown.shownAt.addingTimeInterval(jump)
        shown.expiresAt = shown.expiresAt.addingTimeInterval(jump)
        state.showing = shown
    }

    private mutating func rebase(_ now: Moment) {
        func fix(_ m: Moment?) -> Moment? { m.map { Moment(wall: now.wall(atUptime: $0.uptime), uptime: $0.uptime) } }
        for i in state.ruleStates.indices {
            var rs = state.ruleStates[i]
            if case .snoozed(let until, let dueAt) = rs.stage, let moved = fix(until) { rs.stage = .snoozed(until: moved, dueAt: dueAt) }
            rs.lastAnswered = fix(rs.lastAnswered)
            rs.lastFired = fix(rs.lastFired)
            rs.since = fix(rs.since)
            state.ruleStates[i] = rs
        }
        state.lastShownAt = fix(state.lastShownAt)
        state.presence.awaySince = fix(state.presence.awaySince)
    }

    private mutating func rescheduleAll(_ now: Moment) {
        for i in definitions.indices {
            state.ruleStates[i].due = nil
            state.ruleStates[i].dueOccurrence = nil
            reschedule(i, now)
        }
    }

    mutating func reschedule(_ i: Int, _ now: Moment) {
        guard !state.ruleStates[i].stage.isOnReminder, state.ruleStates[i].due == nil else { return }
        let next = Schedule.next(definitions[i].cadence, state: state.ruleStates[i], settings: settings,
                                 calendar: calendar, now: now)
        state.ruleStates[i].due = next?.at
        state.ruleStates[i].dueOccurrence = next?.occurrence
    }

    // MARK: The pass that shows what is due

    private enum Block { case paused(Date), quiet(Date), away }

    private func block(_ now: Moment) -> Block? {
        if let p = state.pausedUntil, p > now.wall { return .paused(p) }
        for q in settings.quietHours {
            if let occ = calendar.occurrence(of: q, containing: now.wall) { return .quiet(occ.end) }
        }
        if state.presence.isAway { return .away }
        return nil
    }

    /// Calendar answers for one pass, computed once each.
    private struct Hours {
        var working: Bool?
        var windows: [DayWindow: Bool] = [:]
    }

    /// Phases for one pass, per program index.
    private struct PhaseCache {
        var byProgram: [Int: String?] = [:]
    }

    private func isActive(_ i: Int, _ now: Moment, _ cache: inout PhaseCache) -> Bool {
        let rule = definitions[i]
        if heldByRedFlag(rule) { return false }
        if rule.phases.isEmpty { return true }
        let p = programOf[i]
        let current: String?
        if let cached = cache.byProgram[p] {
            current = cached
        } else {
            // The phase in force, kept by refreshPhases (each new day and
            // each phase event).
            current = p < currentPhase.count ? currentPhase[p] : phase(of: configuration.programs[p], at: now)?.id
            cache.byProgram[p] = current
        }
        guard let current else { return true }
        return rule.phases.contains(current)
    }

    /// When a rule may be shown: inside its hours.
    private func allowed(_ i: Int, _ wall: Date, _ hours: inout Hours) -> Bool {
        switch definitions[i].cadence {
        case .fixed:
            return true
        case .window(_, let window, _):
            if let known = hours.windows[window] { return known }
            let open = calendar.occurrence(of: window, containing: wall, days: settings.activeDays) != nil
            hours.windows[window] = open
            return open
        case .every(_, let window?, _):
            // The window's end is an allowed time too (a grid's last slot).
            return calendar.occurrence(of: window, containing: wall, days: settings.activeDays) != nil
                || calendar.occurrence(of: window, containing: wall.addingTimeInterval(-1), days: settings.activeDays) != nil
        case .every(_, nil, _):
            return calendar.occurrence(of: settings.workingHours, containing: wall, days: settings.activeDays) != nil
                || calendar.occurrence(of: settings.workingHours, containing: wall.addingTimeInterval(-1), days: settings.activeDays) != nil
        case .sitBreak, .interval:
            if let known = hours.working { return known }
            let open = calendar.occurrence(of: settings.workingHours, containing: wall, days: settings.activeDays) != nil
            hours.working = open
            return open
        }
    }

    func effectiveDue(_ i: Int, _ now: Moment) -> Date? {
        // Field by field: copying a whole RuleState (with its strings) per
        // rule per event is what an event would otherwise cost.
        switch state.ruleStates[i].stage {
        case .reviewing, .showing, .pending: return nil
        case .snoozed(let until, _): return until.wall
        case .catchingUp(_, let at): return at
        case .counting(let cs):
            guard case .sitBreak(let after, _) = definitions[i].cadence else { return state.ruleStates[i].due }
            let left = after - state.ruleStates[i].banked - (now.uptime - cs)
            return now.wall.addingTimeInterval(left.seconds)
        case .scheduled:
            if case .sitBreak = definitions[i].cadence { return nil }   // not counting
            return state.ruleStates[i].due
        }
    }

    /// Shows what is due, holds what must wait, and returns the next deadline.
    private mutating func process(_ now: Moment, _ fx: inout [Effect]) -> Date? {
        var wake: Date?
        func wakeAt(_ d: Date) { if wake == nil || d < wake! { wake = d } }
        if let shown = state.showing, now.wall >= shown.expiresAt {
            expire(now, &fx)
        }
        if let p = state.pausedUntil, p <= now.wall { state.pausedUntil = nil }
        syncCounting(now)
        if !sitBreaks.isEmpty,
           let w = calendar.nextOccurrence(of: settings.workingHours, after: now.wall, days: settings.activeDays) {
            wakeAt(w.start > now.wall ? w.start : w.end)
        }
        let blocked = block(now)
        switch blocked {
        case .paused(let until): if until != .distantFuture { wakeAt(until) }
        case .quiet(let end): wakeAt(end)
        case .away, nil: break
        }
        let catchUpAt: Date = {
            guard let r = state.presence.returnedAt else { return now.wall }
            return max(now.wall, r.addingTimeInterval(settings.catchUpDelay.seconds))
        }()
        let window = settings.coalesceWindow.seconds
        let soonLimit = now.wall.addingTimeInterval(window)
        var hours = Hours()
        var phases = PhaseCache()

        // One pass: what is due now, what comes soon, what comes next. (While
        // away, the next only matters to make calendar rules pending; pending
        // ones wait for the user.)
        let away: Bool = { if case .away = blocked { true } else { false } }()
        var due: [Int] = []
        var soon: [Int] = []
        var snoozeSoon: Date?
        var next: Date?
        for i in definitions.indices {
            if blocked == nil, case .pending(let since) = state.ruleStates[i].stage {
                state.ruleStates[i].stage = .catchingUp(since: since, at: catchUpAt)
            }
            guard let d = effectiveDue(i, now) else { continue }
            if d <= now.wall {
                due.append(i)
                continue
            }
            if !(away && state.ruleStates[i].stage.pendingSince != nil), next == nil || d < next! { next = d }
            if d <= soonLimit {
                if case .snoozed = state.ruleStates[i].stage {
                    var then = Hours()
                    if snoozeSoon == nil || d < snoozeSoon!, allowed(i, d, &then) { snoozeSoon = d }
                } else {
                    soon.append(i)
                }
            }
        }
        var ready: [Int] = []
        for i in due {
            if !isActive(i, now, &phases) {
                conclude(i, now)   // not in this phase: quietly move on
            } else if !allowed(i, now.wall, &hours) {
                missed(i, now, &fx, note: "outside its hours")
            } else {
                ready.append(i)
            }
        }
        if !ready.isEmpty {
            if blocked != nil {
                for i in ready { makePending(i, now, &fx) }
            } else if state.showing != nil {
                merge(ready, now, &fx)
            } else if let last = state.lastShownAt, last.wall <= now.wall,
                      last.wall.addingTimeInterval(window) > now.wall {
                wakeAt(last.wall.addingTimeInterval(window))
            } else if let s = snoozeSoon {
                // A snoozed reminder comes back within the window: the others
                // wait for it, so the snooze stays exact and both show as one.
                wakeAt(s)
            } else {
                let pulled = soon.filter { isActive($0, now, &phases) && allowed($0, now.wall, &hours) }
                fire(ready + pulled, now, &fx)
            }
        }
        if let shown = state.showing { wakeAt(shown.expiresAt) }
        if let r = state.presence.returnedAt {
            let end = r.addingTimeInterval(settings.catchUpDelay.seconds)
            if end > now.wall { wakeAt(end) }
        }
        // Something was due: what came next may have changed (shown,
        // rescheduled), so look again.
        if !due.isEmpty {
            next = nil
            for i in definitions.indices {
                if away, state.ruleStates[i].stage.pendingSince != nil { continue }
                guard let d = effectiveDue(i, now), d > now.wall, next == nil || d < next! else { continue }
                next = d
            }
        }
        if let next { wakeAt(next) }
        return wake
    }

    private mutating func makePending(_ i: Int, _ now: Moment, _ fx: inout [Effect]) {
        let stage = state.ruleStates[i].stage
        let dueAt = stage.heldDueAt ?? effectiveDue(i, now) ?? now.wall
        if definitions[i].catchUp == .skip {
            missed(i, now, &fx, note: "fell due while away")
            return
        }
        // A count in progress stops without banking: the break is owed.
        state.ruleStates[i].stage = .pending(since: stage.pendingSince ?? dueAt)
    }

    private mutating func missed(_ i: Int, _ now: Moment, _ fx: inout [Effect], note: String) {
        let dueAt = state.ruleStates[i].stage.heldDueAt ?? effectiveDue(i, now) ?? now.wall
        fx.append(.record(Outcome(reminder: 0, rule: state.ruleIDs[i], kind: .missed, exercises: [], at: now.wall,
                                  dueAt: dueAt, note: note)))
        conclude(i, now)
    }

    private mutating func expire(_ now: Moment, _ fx: inout [Effect]) {
        guard let (shown, seen) = endCurrent(.expired, &fx) else { return }
        for item in shown.items {
            // One the gates never answered for was not seen: missed, not expired.
            fx.append(seen ? outcome(item, of: shown.id, .expired, now)
                           : outcome(item, of: shown.id, .missed, now, note: "not shown: the gates did not answer"))
            if let i = index[item.rule] { conclude(i, now) }
        }
    }

    // MARK: Showing

    /// Rule `i`'s part of a reminder; the rule's stage becomes `stage`
    /// (reviewing, or showing).
    private mutating func item(for i: Int, _ now: Moment, _ stage: RuleStage) -> ReminderItem {
        // Fields are read in place: copying a whole rule, program or rule
        // state per item is most of what showing many at once would cost.
        let id = state.ruleIDs[i]
        let before = state.ruleStates[i].stage
        let dueAt = before.heldDueAt ?? effectiveDue(i, now) ?? now.wall
        let picked = Rotation.pick(definitions[i].pool, exercises: exercisesByID[programOf[i]],
                                   lastDone: state.exerciseLastDone, lastOffered: state.exerciseLastOffered,
                                   calendar: calendar, now: now.wall)
        for e in picked { state.exerciseLastOffered[e.key] = now.wall }
        let exercises = picked.map(\.exercise)
        let item = ReminderItem(rule: id, title: definitions[i].title, message: definitions[i].message, exercises: exercises,
                                dueAt: dueAt, catchUp: before.pendingSince != nil,
                                snoozeCount: state.ruleStates[i].snoozeCount)
        if case .counting(let cs) = before { state.ruleStates[i].banked += now.uptime - cs }
        state.ruleStates[i].stage = stage
        state.ruleStates[i].lastFired = now
        // A fixed occurrence that has fallen due is used up once it is
        // shown: were the clock set back before the answer, it must not come
        // again (conclude alone would not see it as due any more).
        if let occurrence = state.ruleStates[i].dueOccurrence, let d = state.ruleStates[i].due, d <= now.wall {
            state.ruleStates[i].lastOccurrence = max(state.ruleStates[i].lastOccurrence ?? "", occurrence)
        }
        if case .window = definitions[i].cadence {
            let day = calendar.dayKey(now.wall)
            if state.ruleStates[i].firedDay != day {
                state.ruleStates[i].firedDay = day
                state.ruleStates[i].firedCount = 0
            }
            state.ruleStates[i].firedCount += 1
        }
        return item
    }

    private func snoozeOffer(_ items: [ReminderItem]) -> Duration? {
        var length: Duration?
        for item in items {
            let rule = self.rule(item.rule)
            if item.snoozeCount >= (rule?.maxSnoozes ?? settings.maxSnoozes) { return nil }
            let l = max(rule?.snooze ?? settings.snooze, settings.coalesceWindow)
            length = min(length ?? l, l)
        }
        return length
    }

    private func staysUp(_ items: [ReminderItem]) -> Duration {
        max(items.map { rule($0.rule)?.staysUp ?? settings.staysUp }.max() ?? settings.staysUp, minimumStaysUp)
    }

    private mutating func fire(_ rules: [Int], _ now: Moment, _ fx: inout [Effect], triggered: Bool = false) {
        if state.showing != nil {
            merge(rules, now, &fx)
            return
        }
        let items = rules.map { item(for: $0, now, gated ? .reviewing : .showing) }
        guard !items.isEmpty else { return }
        let reminder = Reminder(id: state.nextReminderID, items: items, shownAt: now.wall,
                                expiresAt: now.wall.addingTimeInterval(staysUp(items).seconds),
                                snoozeLength: snoozeOffer(items))
        state.nextReminderID += 1
        state.showing = reminder
        if !triggered { state.lastShownAt = now }
        if gated {
            state.reviewing = reminder.id
            fx.append(.review(reminder))
        } else {
            reveal(reminder, now, &fx)
        }
    }

    /// Puts a new reminder on screen and records each item as shown.
    private mutating func reveal(_ reminder: Reminder, _ now: Moment, _ fx: inout [Effect]) {
        state.today.shown += reminder.items.count
        fx.append(.show(reminder))
        for item in reminder.items { fx.append(outcome(item, of: reminder.id, .shown, now)) }
    }

    private mutating func merge(_ rules: [Int], _ now: Moment, _ fx: inout [Effect]) {
        guard var shown = state.showing else { return }
        let present = Set(shown.items.map(\.rule))
        let stage: RuleStage = state.reviewing == shown.id ? .reviewing : .showing
        let added = rules.filter { !present.contains(state.ruleIDs[$0]) }.map { item(for: $0, now, stage) }
        guard !added.isEmpty else { return }
        shown.items += added
        shown.expiresAt = max(shown.expiresAt, now.wall.addingTimeInterval(staysUp(added).seconds))
        shown.snoozeLength = snoozeOffer(shown.items)
        state.showing = shown
        // Under review: the review goes on; proceed shows (and records) it whole.
        if state.reviewing == shown.id { return }
        state.today.shown += added.count
        fx.append(.show(shown))
        for item in added { fx.append(outcome(item, of: shown.id, .shown, now)) }
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
