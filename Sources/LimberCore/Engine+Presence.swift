import Foundation

/// Presence: going away and coming back, natural breaks, and the sit
/// breaks' count of active time inside working hours.
extension Engine {
    // MARK: Presence

    mutating func setPresence(_ now: Moment, _ fx: inout [Effect], awayStart: Moment? = nil,
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

    mutating func wentAway(at start: Moment) {
        state.presence.awaySince = start
        for i in sitBreaks {
            guard case .counting(let cs) = state.ruleStates[i].stage else { continue }
            state.ruleStates[i].sitCount.bank(from: cs, to: start.uptime)
            state.ruleStates[i].stage = .scheduled
        }
    }

    /// The sit breaks whose `natural_break` `counts` start again: snoozes
    /// and pending catch-ups are answered, and one on screen is done (with
    /// `note`). `moved` also records a done for the ones not on screen.
    mutating func takeBreak(_ now: Moment, _ fx: inout [Effect], note: String, moved: Bool = false,
                                    counts: (Duration) -> Bool) {
        var tookBreak: Set<RuleID> = []
        for i in sitBreaks {
            guard case .sitBreak(_, let naturalBreak) = definitions[i].cadence, counts(naturalBreak) else { continue }
            var rs = state.ruleStates[i]
            rs.sitCount.reset()
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

    mutating func cameBack(_ now: Moment, _ fx: inout [Effect]) {
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
    mutating func syncCounting(_ now: Moment) {
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
                state.ruleStates[i].sitCount.starting(in: windowKey)
                state.ruleStates[i].stage = .counting(since: now.uptime)
            } else if !shouldCount, let cs = counting {
                state.ruleStates[i].sitCount.bank(from: cs, to: now.uptime)
                state.ruleStates[i].stage = .scheduled
            }
            state.ruleStates[i].sitCount.enter(windowKey)
        }
    }
}
