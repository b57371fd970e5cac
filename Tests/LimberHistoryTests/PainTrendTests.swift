import Foundation
import Testing
@testable import LimberHistory
import LimberCore

@Suite struct PainTrendTests {
    let now = t(day: 14)

    func series(_ points: [(day: Double, pain: Int, reach: LegReach?)]) -> [CheckIn] {
        points.map { CheckIn(at: now.addingTimeInterval(-$0.day * 86_400), pain: $0.pain, reach: $0.reach) }
    }

    @Test func painMovingUpTheLegIsCentralizing() {
        // calf → knee → thigh → buttock over 9 days: 3 levels up.
        let trend = PainTrend.compute(checkIns: series([(10, 7, .calf), (7, 6, .knee), (4, 6, .thigh), (1, 5, .buttock)]), now: now)
        #expect(trend.reach == .centralizing)
        #expect(abs((trend.reachChange ?? 0) + 3) < 1e-9)
        #expect(trend.painChange.map { $0 < 0 } == true)
        #expect(trend.reachPoints == 4)
        #expect(trend.latestReach == .buttock)
        #expect(trend.advice.first?.contains("toward the back") == true)
    }

    @Test func painMovingDownTheLegIsPeripheralizing() {
        let trend = PainTrend.compute(checkIns: series([(10, 4, .buttock), (6, 5, .thigh), (2, 6, .calf)]), now: now)
        #expect(trend.reach == .peripheralizing)
        #expect(trend.advice.first?.contains("stop the movements") == true)
    }

    @Test func theAdviceIsInTheUsersLanguage() {
        Localizer.$scoped.withValue(.pseudo) {
            let down = PainTrend.compute(checkIns: series([(13, 4, .buttock), (6, 5, .thigh), (1, 6, .calf)]), now: now)
            #expect(down.advice.count == 2, "\(down.advice)")
            #expect(down.advice.allSatisfy(Localizer.isPseudo), "\(down.advice)")
        }
    }

    @Test func wobblingWithinALevelIsStable() {
        let trend = PainTrend.compute(checkIns: series([(12, 5, .thigh), (9, 5, .knee), (6, 5, .thigh), (3, 5, .knee), (1, 5, .thigh)]), now: now)
        #expect(trend.reach == .stable)
        #expect(abs(trend.reachChange ?? 9) < 1)
    }

    @Test func aWholeLevelIsEnough() {
        // thigh, thigh, knee... reversed: knee, knee, thigh at evenly spaced days: fitted change exactly -1? Check the boundary rule.
        let pts = [(0.0, 4.0), (1.0, 3.5), (2.0, 3.0)]
        #expect(PainTrend.fitChange(pts)?.change == -1)
        let trend = PainTrend.compute(checkIns: series([(3, 5, .knee), (2, 5, .knee), (1, 5, .thigh)]), now: now)
        // slope -0.5/day over 2 days: exactly one level up.
        #expect(trend.reachChange == -1)
        #expect(trend.reach == .centralizing)
    }

    @Test func noPainCountsAsFullyCentralized() {
        let trend = PainTrend.compute(checkIns: series([(9, 3, .buttock), (5, 1, .back), (1, 0, nil)]), now: now)
        #expect(trend.reachPoints == 3)
        #expect(trend.reach == .centralizing)
    }

    @Test(arguments: [
        // Two check-ins only.
        [(3.0, 5, LegReach.calf), (1.0, 4, LegReach.knee)],
        // Three, all within one day.
        [(1.5, 5, .calf), (1.2, 4, .knee), (1.0, 3, .thigh)],
        // Three, but one gives no reach.
        [(5.0, 5, .calf), (3.0, 4, nil), (1.0, 3, .thigh)],
        // Three, but the oldest is outside the 14 days.
        [(20.0, 5, .calf), (3.0, 4, .knee), (1.0, 3, .thigh)],
    ] as [[(Double, Int, LegReach?)]])
    func tooFewPointsSayNotEnoughData(points: [(Double, Int, LegReach?)]) {
        let trend = PainTrend.compute(checkIns: series(points.map { (day: $0.0, pain: $0.1, reach: $0.2) }), now: now)
        #expect(trend.reach == .notEnoughData)
        #expect(trend.reachChange == nil)
        #expect(trend.advice.isEmpty)
    }

    @Test func painThatDoesNotEaseForTwoWeeksSaysSeeAClinician() {
        let trend = PainTrend.compute(checkIns: series([(13.5, 6, .calf), (7, 6, .calf), (0.5, 7, .calf)]), now: now)
        #expect(trend.reach == .stable)
        #expect(trend.advice.contains { $0.contains("see a clinician") })
    }

    @Test func theStoreComputesTheTrendFromItsCheckIns() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        for c in series([(30, 9, .foot), (10, 7, .calf), (7, 6, .knee), (4, 6, .thigh), (1, 5, .buttock)]) {
            #expect(store.checkIn(c).id != nil)
        }
        let trend = try store.painTrend(now: now)
        #expect(trend.checkIns == 4)
        #expect(trend.reach == .centralizing)
    }
}
