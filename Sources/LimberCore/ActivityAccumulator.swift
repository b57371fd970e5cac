import Foundation

/// Active time against breaks, per local day, counted from the presence
/// events the daemon feeds the core. Pure: the caller passes `now` with
/// every call, takes what has been counted and writes it.
///
/// Time is measured on uptime (CLOCK_BOOTTIME: suspend counts, a wall-clock
/// jump does not) and laid on the calendar backwards from `now`, split at
/// local midnights. The user is **away** (the time is a break) while idle,
/// locked or asleep, and **active** otherwise, exactly as the core sees it.
/// An `idle(since:)` that knows when input stopped moves the time since
/// then from active to break, as far back as the last count.
public struct ActivityAccumulator: Sendable, Hashable {
    /// Seconds counted for one day.
    public struct Totals: Sendable, Hashable {
        public var activeSeconds: Double
        public var breakSeconds: Double

        public init(activeSeconds: Double = 0, breakSeconds: Double = 0) {
            self.activeSeconds = activeSeconds
            self.breakSeconds = breakSeconds
        }

        public var seconds: Double { activeSeconds + breakSeconds }
    }

    /// Who is at the machine, as the events said.
    public private(set) var presence: Presence
    /// The uptime up to which time has been counted.
    public private(set) var countedUntil: Duration
    /// Counted and not yet taken for writing.
    public private(set) var pending: [Day: Totals] = [:]
    /// Days are local to this zone (changed by `timeZoneChanged`).
    public private(set) var timeZone: TimeZone
    /// Whether an idle source reports idle now. Without one, time at the
    /// machine is unknown (not counted as active: a week of "active 156 h"
    /// with no breaks would be made up); lock and sleep still count as breaks.
    public private(set) var idleKnown = true

    /// Starts counting at `start`, with the presence the core has (a daemon
    /// restarted while the screen is locked starts away).
    public init(start: Moment, presence: Presence = Presence(), timeZone: TimeZone) {
        self.presence = presence
        self.countedUntil = start.uptime
        self.timeZone = timeZone
    }

    public var isAway: Bool { presence.isAway }

    /// Seconds counted and not yet taken.
    public var pendingSeconds: Double { pending.values.reduce(0) { $0 + $1.seconds } }

    /// Feeds one event. The time since the last call is counted under the
    /// presence that held it; then a presence event changes the presence.
    /// Returns true when the user went away or came back.
    @discardableResult
    public mutating func observe(_ event: Event, at now: Moment) -> Bool {
        let wasAway = presence.isAway
        if case .idle(let since?) = event, !wasAway {
            // Input stopped at `since`: from then on it was a break.
            count(to: min(max(since, countedUntil), now.uptime), reference: now)
            presence.idle = true
        }
        advance(to: now)
        switch event {
        case .active: presence.idle = false
        case .idle: presence.idle = true
        case .locked: presence.locked = true
        case .unlocked: presence.locked = false
        case .sleeping: presence.asleep = true
        case .woke: presence.asleep = false
        case .timeZoneChanged(let tz): timeZone = tz
        default: break
        }
        return presence.isAway != wasAway
    }

    /// Counts the time up to `now` under the current presence.
    public mutating func advance(to now: Moment) {
        count(to: now.uptime, reference: now)
    }

    /// Counts up to `now` under the old setting (or, `countingSoFar` false,
    /// drops the time since the last count as unknown), then follows the new one.
    public mutating func setIdleKnown(_ known: Bool, at now: Moment, countingSoFar: Bool = true) {
        if countingSoFar {
            advance(to: now)
        } else {
            countedUntil = max(countedUntil, now.uptime)
        }
        idleKnown = known
    }

    /// Takes what has been counted, oldest day first, for writing.
    public mutating func take() -> [(day: Day, totals: Totals)] {
        let out = pending.sorted { $0.key < $1.key }.map { (day: $0.key, totals: $0.value) }
        pending = [:]
        return out
    }

    /// Puts back what could not be written, to be taken again later.
    public mutating func putBack(_ days: [(day: Day, totals: Totals)]) {
        for (day, t) in days { add(t, to: day) }
    }

    /// Counts [countedUntil, end] (uptimes) as active or break, placing it
    /// on the calendar backwards from `reference` and splitting it at local
    /// midnights.
    private mutating func count(to end: Duration, reference now: Moment) {
        guard end > countedUntil else { return }
        let seconds = (end - countedUntil).seconds
        countedUntil = end
        let endWall = now.wall(atUptime: end)
        var t = endWall.addingTimeInterval(-seconds)
        let away = presence.isAway
        if !away && !idleKnown { return }
        while t < endWall {
            let day = Day(t, in: timeZone)
            let nextMidnight = day.adding(days: 1).start(in: timeZone)
            // A zone change can leave `t` past its day's end: never stall.
            let stop = nextMidnight > t ? min(nextMidnight, endWall) : endWall
            let part = stop.timeIntervalSince(t)
            add(away ? Totals(breakSeconds: part) : Totals(activeSeconds: part), to: day)
            t = stop
        }
    }

    private mutating func add(_ t: Totals, to day: Day) {
        var d = pending[day] ?? Totals()
        d.activeSeconds += t.activeSeconds
        d.breakSeconds += t.breakSeconds
        pending[day] = d
    }
}
