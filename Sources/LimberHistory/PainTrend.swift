import Foundation
import LimberCore

/// Which way the pain's reach down the leg is moving.
public enum ReachTrend: String, Sendable, Hashable, Codable {
    /// Moving up toward the back: the marker of progress.
    case centralizing
    /// Moving further down the leg: stop the movements that do it.
    case peripheralizing
    case stable
    /// Fewer than 3 check-ins with a reach, or all within one day.
    case notEnoughData = "not-enough-data"
}

/// The trend of pain check-ins over the last days (14 by default).
///
/// The rule, kept simple so that it can be explained:
/// - Each check-in with a reach gives a point (days since the window's start,
///   reach rank: back 1 ... foot 6; a check-in with pain 0 counts as 0).
/// - With at least 3 points spread over at least one day, fit a least-squares
///   line and take its change across the points' span (`reachChange`, in
///   levels of the leg). At most -1 (a whole level up toward the back):
///   centralizing; at least +1: peripheralizing; between: stable.
/// - Pain gets the same fit over all check-ins (`painChange` in points of
///   0 to 10 across the span, `painPerDay` the slope).
public struct PainTrend: Sendable, Hashable, Codable {
    public static let minimumPoints = 3
    /// A whole level of the leg, up or down.
    public static let reachThreshold = 1.0

    public var days: Int
    public var from: Date
    public var through: Date
    /// Check-ins in the window.
    public var checkIns: Int
    /// Check-ins with a reach (or pain 0).
    public var reachPoints: Int
    public var reach: ReachTrend
    /// Fitted change of the reach rank across the span; negative is toward the back.
    public var reachChange: Double?
    public var painPerDay: Double?
    public var painChange: Double?
    public var meanPain: Double?
    public var latestPain: Int?
    public var latestReach: LegReach?
    /// What to tell the user, if anything.
    public var advice: [String]

    /// The trend of `checkIns` (any order, any range: the window's are used)
    /// for the `days` days up to `now`.
    public static func compute(checkIns: [CheckIn], now: Date, days: Int = 14) -> PainTrend {
        let from = now.addingTimeInterval(-Double(days) * 86_400)
        let window = checkIns.filter { $0.at >= from && $0.at <= now }.sorted { $0.at < $1.at }
        let t = { (c: CheckIn) in c.at.timeIntervalSince(from) / 86_400 }

        let reachPts = window.compactMap { c in c.reachRank.map { (t(c), Double($0)) } }
        let painPts = window.map { (t($0), Double($0.pain)) }

        var trend = ReachTrend.notEnoughData
        var reachChange: Double? = nil
        if reachPts.count >= minimumPoints, let fit = fitChange(reachPts) {
            reachChange = fit.change
            trend = fit.change <= -reachThreshold ? .centralizing : fit.change >= reachThreshold ? .peripheralizing : .stable
        }
        var painPerDay: Double? = nil
        var painChange: Double? = nil
        if painPts.count >= minimumPoints, let fit = fitChange(painPts) {
            painPerDay = fit.slope
            painChange = fit.change
        }
        let mean = window.isEmpty ? nil : Double(window.map(\.pain).reduce(0, +)) / Double(window.count)

        var advice: [String] = []
        switch trend {
        case .centralizing:
            advice.append(tr("Your pain is moving up toward the back: the sign of progress the sources look for, even if it feels sharper."))
        case .peripheralizing:
            advice.append(tr("Your pain is reaching further down the leg: stop the movements that send it down, and see a clinician if it keeps spreading."))
        default:
            break
        }
        // "See a clinician if pain persists or worsens for more than about two weeks."
        if let first = window.first, let last = window.last, last.at.timeIntervalSince(first.at) >= 12 * 86_400,
           let change = painChange, change >= 0, (mean ?? 0) > 0 {
            advice.append(tr("Pain has not eased over about two weeks: see a clinician."))
        }
        return PainTrend(days: days, from: from, through: now, checkIns: window.count, reachPoints: reachPts.count,
                         reach: trend, reachChange: reachChange, painPerDay: painPerDay, painChange: painChange,
                         meanPain: mean, latestPain: window.last?.pain, latestReach: window.last?.reach, advice: advice)
    }

    /// Least-squares slope and the fitted change across the points' span.
    /// nil when the points span less than one day.
    static func fitChange(_ pts: [(Double, Double)]) -> (slope: Double, change: Double)? {
        guard let lo = pts.map(\.0).min(), let hi = pts.map(\.0).max(), hi - lo >= 1 else { return nil }
        let n = Double(pts.count)
        let mx = pts.map(\.0).reduce(0, +) / n
        let my = pts.map(\.1).reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (x, y) in pts {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (slope, slope * (hi - lo))
    }
}

extension HistoryStore {
    /// The pain trend of the `days` days up to `now`.
    public func painTrend(now: Date, days: Int = 14) throws(HistoryError) -> PainTrend {
        let rows = try checkIns(since: now.addingTimeInterval(-Double(days) * 86_400), until: now.addingTimeInterval(0.001))
        return PainTrend.compute(checkIns: rows.map(\.checkIn), now: now, days: days)
    }
}
