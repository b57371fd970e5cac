import Foundation

/// Time and the pass that shows what is due: the day rolling over, clock
/// changes, rescheduling, what blocks a reminder, what falls due, and the
/// reminders built from it.
extension Engine {
    // MARK: Time

    mutating func rollDay(_ now: Moment) {
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
    mutating func rebaseShowing(_ now: Moment) {
        guard var shown = state.showing, let rule = shown.items.first?.rule,
              let i = state.ruleIDs.firstIndex(of: rule), let fired = state.ruleStates[i].lastFired else { return }
        let jump = now.wall(atUptime: fired.uptime).timeIntervalSince(fired.wall)
        guard jump != 0 else { return }
        shown.shownAt = shown.shownAt.addingTimeInterval(jump)
        shown.expiresAt = shown.expiresAt.addingTimeInterval(jump)
        state.showing = shown
    }

    mutating func rebase(_ now: Moment) {
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

    mutating func rescheduleAll(_ now: Moment) {
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

    enum Block { case paused(Date), quiet(Date), away }

    func block(_ now: Moment) -> Block? {
        if let p = state.pausedUntil, p > now.wall { return .paused(p) }
        for q in settings.quietHours {
            if let occ = calendar.occurrence(of: q, containing: now.wall) { return .quiet(occ.end) }
        }
        if state.presence.isAway { return .away }
        return nil
    }

    /// Calendar answers for one pass, computed once each.
    struct Hours {
        var working: Bool?
        var windows: [DayWindow: Bool] = [:]
    }

    /// Phases for one pass, per program index.
    struct PhaseCache {
        var byProgram: [Int: String?] = [:]
    }

    func isActive(_ i: Int, _ now: Moment, _ cache: inout PhaseCache) -> Bool {
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
    func allowed(_ i: Int, _ wall: Date, _ hours: inout Hours) -> Bool {
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
            let left = state.ruleStates[i].sitCount.left(of: after, at: now.uptime, since: cs)
            return now.wall.addingTimeInterval(left.seconds)
        case .scheduled:
            if case .sitBreak = definitions[i].cadence { return nil }   // not counting
            return state.ruleStates[i].due
        }
    }

    /// Shows what is due, holds what must wait, and returns the next deadline.
    mutating func process(_ now: Moment, _ fx: inout [Effect]) -> Date? {
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

    mutating func makePending(_ i: Int, _ now: Moment, _ fx: inout [Effect]) {
        let stage = state.ruleStates[i].stage
        let dueAt = stage.heldDueAt ?? effectiveDue(i, now) ?? now.wall
        if definitions[i].catchUp == .skip {
            missed(i, now, &fx, note: "fell due while away")
            return
        }
        // A count in progress stops without banking: the break is owed.
        state.ruleStates[i].stage = .pending(since: stage.pendingSince ?? dueAt)
    }

    mutating func missed(_ i: Int, _ now: Moment, _ fx: inout [Effect], note: String) {
        let dueAt = state.ruleStates[i].stage.heldDueAt ?? effectiveDue(i, now) ?? now.wall
        fx.append(.record(Outcome(reminder: 0, rule: state.ruleIDs[i], kind: .missed, exercises: [], at: now.wall,
                                  dueAt: dueAt, note: note)))
        conclude(i, now)
    }

    mutating func expire(_ now: Moment, _ fx: inout [Effect]) {
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
    mutating func item(for i: Int, _ now: Moment, _ stage: RuleStage) -> ReminderItem {
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
        if case .counting(let cs) = before { state.ruleStates[i].sitCount.bank(from: cs, to: now.uptime) }
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

    func snoozeOffer(_ items: [ReminderItem]) -> Duration? {
        var length: Duration?
        for item in items {
            let rule = self.rule(item.rule)
            if item.snoozeCount >= (rule?.maxSnoozes ?? settings.maxSnoozes) { return nil }
            let l = max(rule?.snooze ?? settings.snooze, settings.coalesceWindow)
            length = min(length ?? l, l)
        }
        return length
    }

    func staysUp(_ items: [ReminderItem]) -> Duration {
        max(items.map { rule($0.rule)?.staysUp ?? settings.staysUp }.max() ?? settings.staysUp, minimumStaysUp)
    }

    mutating func fire(_ rules: [Int], _ now: Moment, _ fx: inout [Effect], triggered: Bool = false) {
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
    mutating func reveal(_ reminder: Reminder, _ now: Moment, _ fx: inout [Effect]) {
        state.today.shown += reminder.items.count
        fx.append(.show(reminder))
        for item in reminder.items { fx.append(outcome(item, of: reminder.id, .shown, now)) }
    }

    mutating func merge(_ rules: [Int], _ now: Moment, _ fx: inout [Effect]) {
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
