import Foundation

/// Exercise is on hold because the person reported a red flag (loss of
/// bladder or bowel control, saddle numbness, foot drop, worsening
/// weakness). Every exercise reminder of every program stops until the
/// person says the flag has been seen to; a rule marked
/// `safe_during_red_flag` (a plain sit break) may go on.
public struct RedFlagHold: Sendable, Hashable, Codable {
    /// When it was reported.
    public var since: Date
    /// The flags, as their ids ("saddle-numbness").
    public var flags: [String]

    public init(since: Date, flags: [String]) {
        self.since = since
        self.flags = flags
    }
}

extension Engine {
    /// A red flag was reported: hold every rule that is not safe during
    /// one, and take a reminder of them off the screen. Reported again, the
    /// hold keeps its first time and adds the new flags.
    mutating func holdForRedFlag(_ flags: [String], _ now: Moment, _ fx: inout [Effect]) {
        var hold = state.redFlagHold ?? RedFlagHold(since: now.wall, flags: [])
        for f in flags where !hold.flags.contains(f) { hold.flags.append(f) }
        state.redFlagHold = hold
        guard let shown = state.showing,
              shown.items.contains(where: { item in rule(item.rule).map { !$0.safeDuringRedFlag } ?? true }) else { return }
        state.showing = nil
        fx.append(.withdraw(shown.id, .redFlag))
        for item in shown.items {
            fx.append(.record(Outcome(reminder: shown.id, rule: item.rule, kind: .missed, exercises: item.offered,
                                      at: now.wall, dueAt: item.dueAt, catchUp: item.catchUp, note: "red flag")))
            concludeRule(item.rule, now)
        }
    }

    /// Whether the red-flag hold keeps rule `r` from being shown.
    public func heldByRedFlag(_ r: ReminderRule) -> Bool {
        state.redFlagHold != nil && !r.safeDuringRedFlag
    }
}
