import Foundation

/// Answers to what is on screen, the gates' review of a new reminder,
/// ending what is shown, and pausing.
extension Engine {
    // MARK: Answers

    mutating func answer(_ id: ReminderID?, _ answer: Answer, _ now: Moment, _ fx: inout [Effect]) {
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
    mutating func conclude(_ i: Int, _ now: Moment) {
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
        if case .sitBreak = definitions[i].cadence { rs.sitCount.reset() }
        state.ruleStates[i] = rs
        reschedule(i, now)
    }

    /// The gates answered the review of the current reminder.
    mutating func reviewed(_ id: ReminderID, _ decision: GateDecision, _ now: Moment, _ fx: inout [Effect]) {
        guard let shown = underReview, shown.id == id else { return }
        switch decision {
        case .proceed:
            state.reviewing = nil
            // The coalescing window counts from when it reached the screen:
            // a slow review must not bring the next reminder sooner after it.
            if let last = state.lastShownAt, last.wall == shown.shownAt { state.lastShownAt = now }
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
    mutating func endCurrent(_ reason: WithdrawReason, _ fx: inout [Effect]) -> (reminder: Reminder, seen: Bool)? {
        guard let shown = state.showing else { return nil }
        let seen = state.reviewing != shown.id
        state.showing = nil
        state.reviewing = nil
        if seen { fx.append(.withdraw(shown.id, reason)) }
        return (shown, seen)
    }

    /// One item's outcome as the history records it.
    func outcome(_ item: ReminderItem, of id: ReminderID, _ kind: OutcomeKind, _ now: Moment,
                         snooze: Duration? = nil, note: String? = nil) -> Effect {
        .record(Outcome(reminder: id, rule: item.rule, kind: kind, exercises: item.offered, at: now.wall,
                        dueAt: item.dueAt, catchUp: item.catchUp, snooze: snooze, note: note))
    }

    mutating func pause(until: Date, _ now: Moment, _ fx: inout [Effect]) {
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
}
