import Foundation

/// The reminder core: `(state, event, now) -> (state, effects, next deadline)`.
///
/// It reads no clock, opens no file and knows nothing of D-Bus. The loop
/// feeds it events with the time they happened and arms one timer for the
/// deadline it returns. See docs/architecture.md for the rules it keeps.
public struct Engine: Sendable {
    public private(set) var configuration: Configuration
    public private(set) var state: EngineState
    public private(set) var calendar: LocalCalendar
    /// Rules in a stable order, with their definitions.
    private var order: [RuleID] = []
    private var definitions: [RuleID: ReminderRule] = [:]

    public init(configuration: Configuration, state: EngineState? = nil, timeZone: TimeZone, now: Moment) {
        self.configuration = configuration
        self.calendar = LocalCalendar(timeZone: timeZone)
        self.state = state ?? EngineState(timeZone: timeZone)
        self.state.timeZoneID = timeZone.identifier
        if let shown = self.state.showing, shown.items.isEmpty { self.state.showing = nil }
        install(configuration, now: now)
    }

    public var settings: Settings { configuration.settings }

    // MARK: Events

    public mutating func handle(_ event: Event, at now: Moment) -> Step {
        var fx: [Effect] = []
        rollDay(now)
        // What ran out before this event happened is over first.
        if let shown = state.showing, now.wall >= shown.expiresAt { expire(shown, now, &fx) }
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
            for id in order {
                guard case .interval = definitions[id]?.cadence else { continue }
                state.rules[id]?.due = nil
                reschedule(id, now)
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
        case .trigger(let id):
            if definitions[id] != nil, state.rules[id]?.showing != true {
                fire([id], now, &fx, triggered: true)
            }
        case .postpone(let id, let by, let reason):
            postpone(id, by: by, reason: reason, now, &fx)
        case .drop(let id, let reason):
            drop(id, reason: reason, now, &fx)
        }
        let deadline = process(now, &fx)
        return Step(effects: fx, nextDeadline: deadline)
    }

    // MARK: Reading

    /// When a rule is next due, as things stand (nil: showing, waiting for
    /// the user to be back, or not counting).
    public func nextDue(_ id: RuleID, at now: Moment) -> Date? {
        guard let rs = state.rules[id], let rule = definitions[id] else { return nil }
        return effectiveDue(rule, rs, now)
    }

    public var ruleIDs: [RuleID] { order }

    public func rule(_ id: RuleID) -> ReminderRule? { definitions[id] }

    /// The current phase of a program.
    public func phase(of programID: String, at now: Moment) -> Phase? {
        guard let program = configuration.program(programID) else { return nil }
        let start = state.programStarted[programID] ?? now.wall
        return program.phase(daysSinceStart: calendar.daysBetween(start, now.wall))
    }

    public func isActive(_ id: RuleID, at now: Moment) -> Bool {
        guard let rule = definitions[id] else { return false }
        if rule.phases.isEmpty { return true }
        guard let p = phase(of: id.program, at: now) else { return true }
        return rule.phases.contains(p.id)
    }

    public func status(at now: Moment) -> EngineStatus {
        var next: (RuleID, Date)?
        for id in order where isActive(id, at: now) {
            guard let d = nextDue(id, at: now) else { continue }
            if next == nil || d < next!.1 { next = (id, d) }
        }
        let today = state.today.day == calendar.dayKey(now.wall) ? state.today : DayTally()
        return EngineStatus(
            nextRule: next?.0, nextTitle: next.flatMap { definitions[$0.0]?.title }, nextAt: next?.1,
            showing: state.showing, pausedUntil: state.pausedUntil, away: state.presence.isAway,
            shownToday: today.shown, doneToday: today.done)
    }

    // MARK: Configuration

    private mutating func install(_ config: Configuration, now: Moment) {
        configuration = config
        order = []
        definitions = [:]
        for program in config.programs {
            if state.programStarted[program.id] == nil {
                state.programStarted[program.id] = calendar.startOfDay(now.wall)
            }
            for rule in program.reminders {
                let id = RuleID(program: program.id, rule: rule.id)
                order.append(id)
                definitions[id] = rule
            }
        }
        // Forget rules that are gone; start new ones.
        for id in state.rules.keys where definitions[id] == nil { state.rules[id] = nil }
        for id in order where state.rules[id] == nil {
            var rs = RuleState()
            rs.lastAnswered = nil
            rs.since = now
            state.rules[id] = rs
        }
        if let shown = state.showing {
            state.showing?.items = shown.items.filter { definitions[$0.rule] != nil }
        }
        for id in order { reschedule(id, now) }
        syncCounting(now)
    }

    private mutating func reload(_ config: Configuration, _ now: Moment, _ fx: inout [Effect]) {
        let oldDefinitions = definitions
        let showingBefore = state.showing
        install(config, now: now)
        // Keep schedules of rules whose cadence did not change.
        for id in order {
            if let old = oldDefinitions[id], let new = definitions[id], old.cadence != new.cadence {
                state.rules[id]?.due = nil
                reschedule(id, now)
            }
        }
        if let before = showingBefore {
            if let after = state.showing, after.items.isEmpty {
                state.showing = nil
                fx.append(.withdraw(before.id, .reload))
            } else if let after = state.showing, after.items.count != before.items.count {
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
        for id in order {
            guard case .sitBreak = definitions[id]?.cadence, var rs = state.rules[id], let cs = rs.countingSince else { continue }
            rs.banked += max(.zero, start.uptime - cs)
            rs.countingSince = nil
            state.rules[id] = rs
        }
    }

    private mutating func cameBack(_ now: Moment, _ fx: inout [Effect]) {
        let away = state.presence.awaySince.map { now.uptime - $0.uptime } ?? .zero
        state.presence.awaySince = nil
        state.presence.returnedAt = now.wall
        var tookBreak: Set<RuleID> = []
        for id in order {
            guard case .sitBreak(_, let naturalBreak) = definitions[id]?.cadence, var rs = state.rules[id] else { continue }
            if away >= naturalBreak {
                rs.banked = .zero
                if rs.showing { tookBreak.insert(id) }
                // A natural break also answers a snooze of the sit break.
                if rs.snoozedUntil != nil {
                    rs.snoozedUntil = nil
                    rs.snoozeCount = 0
                }
                if rs.pendingSince != nil {
                    rs.pendingSince = nil
                    rs.catchUpAt = nil
                }
            }
            state.rules[id] = rs
        }
        // A sit break on screen that the user took by walking away is done.
        if !tookBreak.isEmpty, var shown = state.showing {
            for item in shown.items where tookBreak.contains(item.rule) {
                fx.append(.record(Outcome(reminder: shown.id, rule: item.rule, kind: .done, exercises: item.offered,
                                          at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp, note: "natural break")))
                state.today.done += 1
                conclude(item.rule, now)
            }
            shown.items.removeAll { tookBreak.contains($0.rule) }
            if shown.items.isEmpty {
                state.showing = nil
                fx.append(.withdraw(shown.id, .naturalBreak))
            } else {
                state.showing = shown
                fx.append(.show(shown))
            }
        }
    }

    /// Sit breaks count active time inside working hours only; a new
    /// working window starts a fresh count.
    private mutating func syncCounting(_ now: Moment) {
        let window = calendar.occurrence(of: settings.workingHours, containing: now.wall, days: settings.activeDays)
        let windowKey = window.map { calendar.dayKey($0.start) + " " + settings.workingHours.description }
        for id in order {
            guard case .sitBreak = definitions[id]?.cadence, var rs = state.rules[id] else { continue }
            let shouldCount = window != nil && !state.presence.isAway && !rs.showing && rs.snoozedUntil == nil
                && rs.pendingSince == nil
            if shouldCount, rs.countingSince == nil {
                if rs.countWindow != windowKey { rs.banked = .zero }
                rs.countingSince = now.uptime
            } else if !shouldCount, let cs = rs.countingSince {
                rs.banked += max(.zero, now.uptime - cs)
                rs.countingSince = nil
            }
            if windowKey != nil { rs.countWindow = windowKey }
            state.rules[id] = rs
        }
    }

    // MARK: Answers

    private mutating func answer(_ id: ReminderID?, _ answer: Answer, _ now: Moment, _ fx: inout [Effect]) {
        guard let shown = state.showing, id == nil || id == shown.id else { return }
        state.showing = nil
        fx.append(.withdraw(shown.id, .answered))
        let limitReached = shown.items.contains { item in
            item.snoozeCount >= (definitions[item.rule]?.maxSnoozes ?? settings.maxSnoozes)
        }
        for item in shown.items {
            func record(_ kind: OutcomeKind, snooze: Duration? = nil, note: String? = nil) {
                fx.append(.record(Outcome(reminder: shown.id, rule: item.rule, kind: kind, exercises: item.offered,
                                          at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp, snooze: snooze, note: note)))
            }
            switch answer {
            case .done:
                record(.done)
                state.today.done += 1
                state.rules[item.rule]?.lastDone = now.wall
                for e in item.exercises { state.exerciseLastDone[item.rule.program + "/" + e.id] = now.wall }
                conclude(item.rule, now)
            case .skip:
                record(.skipped)
                conclude(item.rule, now)
            case .dismissed:
                record(.dismissed)
                conclude(item.rule, now)
            case .snooze(let asked):
                if limitReached {
                    record(.skipped, note: "snooze limit reached")
                    conclude(item.rule, now)
                    continue
                }
                let length = max(asked ?? shown.snoozeLength ?? settings.snooze, settings.coalesceWindow)
                record(.snoozed, snooze: length)
                var rs = state.rules[item.rule] ?? RuleState()
                rs.showing = false
                rs.snoozeCount += 1
                rs.snoozedUntil = now + length
                rs.snoozeDueAt = item.dueAt
                state.rules[item.rule] = rs
            }
        }
    }

    /// A rule's reminder is over (answered, expired, missed): schedule the next.
    private mutating func conclude(_ id: RuleID, _ now: Moment) {
        guard var rs = state.rules[id] else { return }
        rs.showing = false
        rs.snoozeCount = 0
        rs.snoozedUntil = nil
        rs.snoozeDueAt = nil
        rs.pendingSince = nil
        rs.catchUpAt = nil
        rs.lastAnswered = now
        // A fixed occurrence is used up once it fell due (not by an early trigger).
        if let occurrence = rs.dueOccurrence, let d = rs.due, d <= now.wall {
            rs.lastOccurrence = max(rs.lastOccurrence ?? "", occurrence)
        }
        rs.due = nil
        rs.dueOccurrence = nil
        if case .sitBreak = definitions[id]?.cadence {
            rs.banked = .zero
            rs.countingSince = nil
        }
        state.rules[id] = rs
        reschedule(id, now)
    }

    private mutating func postpone(_ id: ReminderID, by: Duration, reason: String, _ now: Moment, _ fx: inout [Effect]) {
        guard let shown = state.showing, shown.id == id else { return }
        state.showing = nil
        fx.append(.withdraw(id, .postponed))
        let length = max(by, .seconds(1))
        for item in shown.items {
            fx.append(.record(Outcome(reminder: id, rule: item.rule, kind: .postponed, exercises: item.offered,
                                      at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp, snooze: length, note: reason)))
            var rs = state.rules[item.rule] ?? RuleState()
            rs.showing = false
            rs.snoozedUntil = now + length
            rs.snoozeDueAt = item.dueAt
            state.rules[item.rule] = rs
        }
    }

    private mutating func drop(_ id: ReminderID, reason: String, _ now: Moment, _ fx: inout [Effect]) {
        guard let shown = state.showing, shown.id == id else { return }
        state.showing = nil
        fx.append(.withdraw(id, .dropped))
        for item in shown.items {
            fx.append(.record(Outcome(reminder: id, rule: item.rule, kind: .missed, exercises: item.offered,
                                      at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp, note: reason)))
            conclude(item.rule, now)
        }
    }

    private mutating func pause(until: Date, _ now: Moment, _ fx: inout [Effect]) {
        state.pausedUntil = until
        guard let shown = state.showing else { return }
        state.showing = nil
        fx.append(.withdraw(shown.id, .paused))
        for item in shown.items {
            // Put off by the user: it comes back (as a catch-up) after the pause.
            fx.append(.record(Outcome(reminder: shown.id, rule: item.rule, kind: .snoozed, exercises: item.offered,
                                      at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp,
                                      snooze: until == .distantFuture ? nil : .seconds(Int64(until.timeIntervalSince(now.wall))),
                                      note: "paused")))
            state.rules[item.rule]?.showing = false
            state.rules[item.rule]?.pendingSince = item.dueAt
            state.rules[item.rule]?.catchUpAt = nil
        }
    }

    // MARK: Time

    private mutating func rollDay(_ now: Moment) {
        let key = calendar.dayKey(now.wall)
        if state.today.day != key {
            state.today = DayTally()
            state.today.day = key
        }
    }

    /// The wall clock was set: moments keep their uptime, their wall time
    /// follows it.
    private mutating func rebase(_ now: Moment) {
        func fix(_ m: Moment?) -> Moment? { m.map { Moment(wall: now.wall(atUptime: $0.uptime), uptime: $0.uptime) } }
        for id in order {
            guard var rs = state.rules[id] else { continue }
            rs.snoozedUntil = fix(rs.snoozedUntil)
            rs.lastAnswered = fix(rs.lastAnswered)
            rs.lastFired = fix(rs.lastFired)
            rs.since = fix(rs.since)
            state.rules[id] = rs
        }
        state.lastShownAt = fix(state.lastShownAt)
        state.presence.awaySince = fix(state.presence.awaySince)
    }

    private mutating func rescheduleAll(_ now: Moment) {
        for id in order {
            state.rules[id]?.due = nil
            state.rules[id]?.dueOccurrence = nil
            reschedule(id, now)
        }
    }

    private mutating func reschedule(_ id: RuleID, _ now: Moment) {
        guard let rule = definitions[id], var rs = state.rules[id], !rs.showing, rs.due == nil else { return }
        let next = Schedule.next(rule.cadence, state: rs, settings: settings, calendar: calendar, now: now)
        rs.due = next?.at
        rs.dueOccurrence = next?.occurrence
        state.rules[id] = rs
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

    /// When a rule may be shown: inside its hours.
    private func allowed(_ rule: ReminderRule, _ now: Moment) -> Bool {
        switch rule.cadence {
        case .fixed:
            return true
        case .window(_, let window, _):
            return calendar.occurrence(of: window, containing: now.wall, days: settings.activeDays) != nil
        case .sitBreak, .interval:
            return calendar.occurrence(of: settings.workingHours, containing: now.wall, days: settings.activeDays) != nil
        }
    }

    func effectiveDue(_ rule: ReminderRule, _ rs: RuleState, _ now: Moment) -> Date? {
        if rs.showing { return nil }
        if let s = rs.snoozedUntil { return s.wall }
        if rs.pendingSince != nil { return rs.catchUpAt }
        if case .sitBreak(let after, _) = rule.cadence {
            guard let cs = rs.countingSince else { return nil }
            let left = after - rs.banked - (now.uptime - cs)
            return now.wall.addingTimeInterval(left.seconds)
        }
        return rs.due
    }

    /// Shows what is due, holds what must wait, and returns the next deadline.
    private mutating func process(_ now: Moment, _ fx: inout [Effect]) -> Date? {
        var wake: [Date] = []
        if let shown = state.showing, now.wall >= shown.expiresAt {
            expire(shown, now, &fx)
        }
        if let p = state.pausedUntil, p <= now.wall { state.pausedUntil = nil }
        syncCounting(now)
        if order.contains(where: { if case .sitBreak = definitions[$0]?.cadence { true } else { false } }) {
            if let w = calendar.nextOccurrence(of: settings.workingHours, after: now.wall, days: settings.activeDays) {
                wake.append(w.start > now.wall ? w.start : w.end)
            }
        }
        let blocked = block(now)
        switch blocked {
        case .paused(let until): if until != .distantFuture { wake.append(until) }
        case .quiet(let end): wake.append(end)
        case .away, nil: break
        }
        if blocked == nil {
            // Due while the user was away (asleep: no timer ran): a catch-up.
            if let back = state.presence.returnedAt {
                for id in order {
                    guard let rule = definitions[id], let rs = state.rules[id], rs.pendingSince == nil,
                          let d = effectiveDue(rule, rs, now), d < back else { continue }
                    if case .sitBreak = rule.cadence { continue }
                    makePending(id, now, &fx)
                }
            }
            scheduleCatchUps(now)
        }

        var due: [RuleID] = []
        for id in order {
            guard let rule = definitions[id], let rs = state.rules[id], let d = effectiveDue(rule, rs, now), d <= now.wall else { continue }
            if !isActive(id, at: now) {
                conclude(id, now)   // not in this phase: quietly move on
                continue
            }
            if !allowed(rule, now) {
                missed(id, rule, rs, now, &fx, note: "outside its hours")
                continue
            }
            due.append(id)
        }
        if !due.isEmpty {
            if blocked != nil {
                for id in due { makePending(id, now, &fx) }
            } else if state.showing != nil {
                merge(due, now, &fx)
            } else if let last = state.lastShownAt, last.wall.addingTimeInterval(settings.coalesceWindow.seconds) > now.wall,
                      last.wall <= now.wall {
                wake.append(last.wall.addingTimeInterval(settings.coalesceWindow.seconds))
            } else if let s = snoozeComing(within: settings.coalesceWindow, now) {
                wake.append(s)
            } else {
                fire(due + comingSoon(within: settings.coalesceWindow, excluding: Set(due), now), now, &fx)
            }
        }
        if let shown = state.showing { wake.append(shown.expiresAt) }
        if let r = state.presence.returnedAt {
            let end = r.addingTimeInterval(settings.catchUpDelay.seconds)
            if end > now.wall { wake.append(end) }
        }
        if blocked == nil || blocked.map({ if case .away = $0 { false } else { true } }) == true {
            // Future dues (while away, nothing is shown until the user is back).
            for id in order {
                guard let rule = definitions[id], let rs = state.rules[id], let d = effectiveDue(rule, rs, now), d > now.wall else { continue }
                wake.append(d)
            }
        } else {
            // Away: only calendar rules can fall due (to become pending).
            for id in order {
                guard let rule = definitions[id], let rs = state.rules[id], rs.pendingSince == nil,
                      let d = effectiveDue(rule, rs, now), d > now.wall else { continue }
                wake.append(d)
            }
        }
        return wake.min()
    }

    /// A snoozed reminder coming back within the window: others wait for it,
    /// so the snooze stays exact and the two are shown as one.
    private func snoozeComing(within window: Duration, _ now: Moment) -> Date? {
        let limit = now.wall.addingTimeInterval(window.seconds)
        var best: Date?
        for id in order {
            guard let s = state.rules[id]?.snoozedUntil?.wall, s > now.wall, s <= limit else { continue }
            if let d = definitions[id], !allowed(d, Moment(wall: s, uptime: now.uptime)) { continue }
            best = min(best ?? s, s)
        }
        return best
    }

    private func comingSoon(within window: Duration, excluding: Set<RuleID>, _ now: Moment) -> [RuleID] {
        let limit = now.wall.addingTimeInterval(window.seconds)
        var out: [RuleID] = []
        for id in order where !excluding.contains(id) {
            guard let rule = definitions[id], let rs = state.rules[id], rs.snoozedUntil == nil,
                  let d = effectiveDue(rule, rs, now), d <= limit, isActive(id, at: now), allowed(rule, now) else { continue }
            out.append(id)
        }
        return out
    }

    private mutating func scheduleCatchUps(_ now: Moment) {
        var at = now.wall
        if let r = state.presence.returnedAt {
            let end = r.addingTimeInterval(settings.catchUpDelay.seconds)
            if end > at { at = end }
        }
        for id in order {
            guard var rs = state.rules[id], rs.pendingSince != nil, rs.catchUpAt == nil else { continue }
            rs.catchUpAt = at
            state.rules[id] = rs
        }
    }

    private mutating func makePending(_ id: RuleID, _ now: Moment, _ fx: inout [Effect]) {
        guard let rule = definitions[id], var rs = state.rules[id] else { return }
        let dueAt = rs.snoozeDueAt ?? effectiveDue(rule, rs, now) ?? now.wall
        if rule.catchUp == .skip {
            missed(id, rule, rs, now, &fx, note: "fell due while away")
            return
        }
        rs.pendingSince = rs.pendingSince ?? dueAt
        rs.catchUpAt = nil
        rs.snoozedUntil = nil
        rs.countingSince = nil
        state.rules[id] = rs
    }

    private mutating func missed(_ id: RuleID, _ rule: ReminderRule, _ rs: RuleState, _ now: Moment, _ fx: inout [Effect], note: String) {
        let dueAt = rs.pendingSince ?? rs.snoozeDueAt ?? effectiveDue(rule, rs, now) ?? now.wall
        fx.append(.record(Outcome(reminder: 0, rule: id, kind: .missed, exercises: [], at: now.wall, dueAt: dueAt, note: note)))
        conclude(id, now)
    }

    private mutating func expire(_ shown: Reminder, _ now: Moment, _ fx: inout [Effect]) {
        state.showing = nil
        fx.append(.withdraw(shown.id, .expired))
        for item in shown.items {
            fx.append(.record(Outcome(reminder: shown.id, rule: item.rule, kind: .expired, exercises: item.offered,
                                      at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp)))
            conclude(item.rule, now)
        }
    }

    // MARK: Showing

    private mutating func item(for id: RuleID, _ now: Moment) -> ReminderItem? {
        guard let rule = definitions[id], let program = configuration.program(id.program), var rs = state.rules[id] else { return nil }
        let dueAt = rs.pendingSince ?? rs.snoozeDueAt ?? effectiveDue(rule, rs, now) ?? now.wall
        let exercises = Rotation.pick(rule.pool, program: program, lastDone: state.exerciseLastDone,
                                      lastOffered: state.exerciseLastOffered, calendar: calendar, now: now.wall)
        for e in exercises { state.exerciseLastOffered[id.program + "/" + e.id] = now.wall }
        let item = ReminderItem(rule: id, title: rule.title, message: rule.message, exercises: exercises,
                                dueAt: dueAt, catchUp: rs.pendingSince != nil, snoozeCount: rs.snoozeCount)
        if let banked = rs.countingSince.map({ rs.banked + (now.uptime - $0) }) { rs.banked = banked }
        rs.countingSince = nil
        rs.showing = true
        rs.pendingSince = nil
        rs.catchUpAt = nil
        rs.snoozedUntil = nil
        rs.lastFired = now
        if case .window = rule.cadence {
            let day = calendar.dayKey(now.wall)
            if rs.firedDay != day { rs.firedDay = day; rs.firedCount = 0 }
            rs.firedCount += 1
        }
        state.rules[id] = rs
        return item
    }

    private func snoozeOffer(_ items: [ReminderItem]) -> Duration? {
        var length: Duration?
        for item in items {
            let rule = definitions[item.rule]
            if item.snoozeCount >= (rule?.maxSnoozes ?? settings.maxSnoozes) { return nil }
            let l = max(rule?.snooze ?? settings.snooze, settings.coalesceWindow)
            length = min(length ?? l, l)
        }
        return length
    }

    private func staysUp(_ items: [ReminderItem]) -> Duration {
        items.map { definitions[$0.rule]?.staysUp ?? settings.staysUp }.max() ?? settings.staysUp
    }

    private mutating func fire(_ ids: [RuleID], _ now: Moment, _ fx: inout [Effect], triggered: Bool = false) {
        if state.showing != nil {
            merge(ids, now, &fx)
            return
        }
        var items: [ReminderItem] = []
        for id in ids { if let i = item(for: id, now) { items.append(i) } }
        guard !items.isEmpty else { return }
        let reminder = Reminder(id: state.nextReminderID, items: items, shownAt: now.wall,
                                expiresAt: now.wall.addingTimeInterval(staysUp(items).seconds),
                                snoozeLength: snoozeOffer(items))
        state.nextReminderID += 1
        state.showing = reminder
        if !triggered { state.lastShownAt = now }
        state.today.shown += items.count
        fx.append(.show(reminder))
        for i in items {
            fx.append(.record(Outcome(reminder: reminder.id, rule: i.rule, kind: .shown, exercises: i.offered,
                                      at: now.wall, dueAt: i.dueAt, catchUp: i.catchUp)))
        }
    }

    private mutating func merge(_ ids: [RuleID], _ now: Moment, _ fx: inout [Effect]) {
        guard var shown = state.showing else { return }
        var added: [ReminderItem] = []
        for id in ids where !shown.items.contains(where: { $0.rule == id }) {
            if let i = item(for: id, now) { added.append(i) }
        }
        guard !added.isEmpty else { return }
        shown.items += added
        shown.expiresAt = max(shown.expiresAt, now.wall.addingTimeInterval(staysUp(added).seconds))
        shown.snoozeLength = snoozeOffer(shown.items)
        state.showing = shown
        state.today.shown += added.count
        fx.append(.show(shown))
        for i in added {
            fx.append(.record(Outcome(reminder: shown.id, rule: i.rule, kind: .shown, exercises: i.offered,
                                      at: now.wall, dueAt: i.dueAt, catchUp: i.catchUp)))
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

    /// "next: Sit break in 12 min; 3 of 8 done today".
    public func line(now: Date) -> String {
        var parts: [String] = []
        if let p = pausedUntil {
            parts.append(p == .distantFuture ? "paused" : "paused for \(DurationText.spoken(.seconds(Int64(p.timeIntervalSince(now)))))")
        } else if let s = showing {
            parts.append("showing: \(s.title)")
        } else if let t = nextTitle, let at = nextAt {
            let left = max(0, at.timeIntervalSince(now))
            parts.append("next: \(t) in \(DurationText.spoken(.seconds(Int64(left.rounded(.up)))))")
        } else if away {
            parts.append("waiting for you to be back")
        } else {
            parts.append("nothing scheduled")
        }
        parts.append("\(doneToday) of \(shownToday) done today")
        return parts.joined(separator: "; ")
    }
}
