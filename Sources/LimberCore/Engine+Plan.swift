import Foundation

/// One reminder still to come, as the plan for the day forecasts it.
public struct PlannedItem: Sendable, Hashable {
    public var at: Date
    public var rule: RuleID
    public var title: String
    /// The program's phase in force then (nil: the program has no phases).
    public var phase: Phase?
    public var exercises: [Exercise]
    /// Owed from earlier (it fell due while the person was away or paused).
    public var catchUp: Bool
}

extension Engine {
    /// What is still to come until `end` (`limberctl today`): the engine
    /// as it stands, run forward on a copy with a person who stays at the
    /// desk and answers Done at once. The reminder on screen now is not
    /// part of it (it is answered first); nothing of the real state changes.
    public func plan(until end: Date, at now: Moment) -> [PlannedItem] {
        var copy = self
        var planned: [PlannedItem] = []
        var listed = Set<String>()
        var t = now
        var step = copy.handle(.timer, at: t)
        // Whatever is up now is the person's to answer, not the plan's.
        if let up = copy.state.showing { for item in up.items { listed.insert("\(up.id) \(item.rule)") } }
        for _ in 0..<20_000 {
            for case .show(let r) in step.effects where r.shownAt < end {
                for item in r.items where listed.insert("\(r.id) \(item.rule)").inserted {
                    planned.append(PlannedItem(at: t.wall, rule: item.rule, title: item.title,
                                               phase: copy.phase(of: item.rule.program, at: t),
                                               exercises: item.exercises, catchUp: item.catchUp))
                }
            }
            if let r = copy.underReview {
                step = copy.handle(.reviewed(r.id, .proceed), at: t)
                continue
            }
            if copy.onScreen != nil {
                step = copy.handle(.answer(nil, .done), at: t)
                continue
            }
            guard let d = step.nextDeadline, d < end else { break }
            let delta = max(d.timeIntervalSince(t.wall), 0.001)
            t = t + .milliseconds(Int64((delta * 1000).rounded(.up)))
            step = copy.handle(.timer, at: t)
        }
        return planned
    }
}
