// How far the person is toward the next sit break, for status bars
// (waybar's `percentage`) and the tray.

extension Engine {
    /// Active time counted toward the nearest sit break, in percent of its
    /// `after` (0...100; 100 while one is on screen). nil when no enabled
    /// program has a sit break.
    public func sitBreakProgress(at now: Moment) -> Int? {
        var best: Double?
        for id in ruleIDs {
            guard let rule = rule(id), case .sitBreak(let after, _) = rule.cadence, let rs = ruleState(id) else { continue }
            if rs.showing || rs.pendingSince != nil { return 100 }
            let counted = rs.sitCount.counted(at: now.uptime, since: rs.countingSince)
            let share = after > .zero ? counted.seconds / after.seconds : 0
            if best == nil || share > best! { best = share }
        }
        return best.map { min(100, max(0, Int(($0 * 100).rounded(.down)))) }
    }
}
