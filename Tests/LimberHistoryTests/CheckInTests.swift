import Foundation
import Testing
@testable import LimberHistory

@Suite struct CheckInTests {
    @Test func aTickedRedFlagAnswersWithUrgentAdviceFirstAndIsStored() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        let c = CheckIn(at: t(hour: 8), pain: 8, reach: .foot, redFlags: [.bladderOrBowel, .bladderOrBowel, .footDrop],
                        note: "bad night", source: .notification, afterReminder: 42)
        let response = store.checkIn(c)
        #expect(response.urgent)
        #expect(response.redFlags == [.bladderOrBowel, .footDrop])
        let first = try #require(response.advice.first)
        #expect(first.hasPrefix("RED FLAG"))
        #expect(first.contains("loss of bladder or bowel control"))
        #expect(first.contains("go to an emergency department now"))
        #expect(first.contains("foot drop"))
        let id = try #require(response.id)
        let stored = try store.checkIns()
        #expect(stored.map(\.id) == [id])
        #expect(stored[0].checkIn.redFlags == [.bladderOrBowel, .footDrop])
        #expect(stored[0].checkIn.afterReminder == 42)
        #expect(stored[0].checkIn.source == .notification)
    }

    @Test func aRedFlagWordInTheNoteStillShowsTheAdvice() {
        let response = CheckInResponse.advice(for: CheckIn(at: t(), pain: 4, reach: .thigh, note: "Numbness in my groin and saddle since lunch"))
        #expect(response.urgent)
        #expect(response.redFlags.isEmpty)
        #expect(response.redFlagsInNote == [.saddleNumbness])
        #expect(response.advice.first?.contains("go to an emergency department now") == true)
    }

    @Test func eachRedFlagSaysWhereToGo() {
        let saddle = CheckInResponse.advice(for: CheckIn(at: t(), pain: 5, redFlags: [.saddleNumbness]))
        #expect(saddle.advice.first?.contains("emergency department now") == true)
        let foot = CheckInResponse.advice(for: CheckIn(at: t(), pain: 5, redFlags: [.footDrop]))
        #expect(foot.advice.first?.contains("urgent care today") == true)
        #expect(foot.advice.first?.contains("emergency") == false)
        let weak = CheckInResponse.advice(for: CheckIn(at: t(), pain: 5, redFlags: [.progressiveWeakness]))
        #expect(weak.advice.first?.contains("urgent care today") == true)
    }

    @Test func severePainAloneStillGetsAdvice() {
        let response = CheckInResponse.advice(for: CheckIn(at: t(), pain: 10))
        #expect(!response.urgent, "urgent is for red flags")
        #expect(response.advice.count == 1)
        #expect(response.advice.first?.contains("severe pain") == true)
    }

    @Test func anOrdinaryCheckInIsNotUrgent() {
        let response = CheckInResponse.advice(for: CheckIn(at: t(), pain: 3, reach: .buttock, note: "stiff after the drive"))
        #expect(!response.urgent)
        #expect(response.advice.isEmpty)
        #expect(response.reachChange == nil)
    }

    @Test func comparedWithTheLastCheckInTheReachMovesUpOrDown() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        #expect(store.checkIn(CheckIn(at: t(hour: 8), pain: 5, reach: .knee)).reachChange == nil)
        // A check-in without a reach does not count as the previous one.
        #expect(store.checkIn(CheckIn(at: t(hour: 9), pain: 5)).reachChange == nil)
        let down = store.checkIn(CheckIn(at: t(hour: 10), pain: 5, reach: .calf))
        #expect(down.reachChange == .down)
        #expect(down.advice.first?.contains("Stop any movement that sends it further down") == true)
        let up = store.checkIn(CheckIn(at: t(hour: 11), pain: 6, reach: .thigh))
        #expect(up.reachChange == .up)
        #expect(up.advice.first?.contains("sign of progress") == true)
        #expect(store.checkIn(CheckIn(at: t(hour: 12), pain: 4, reach: .thigh)).reachChange == .same)
        #expect(try store.checkIns().count == 5)
    }

    @Test func painOutsideZeroToTenIsRefusedButAdviceStillComes() throws {
        let dir = TempDir()
        let store = try freshStore(dir)
        let response = store.checkIn(CheckIn(at: t(), pain: 11, redFlags: [.progressiveWeakness]))
        #expect(response.id == nil)
        #expect(response.storeError?.contains("pain must be 0 to 10") == true)
        #expect(response.urgent)
        #expect(try store.checkIns().isEmpty)
    }
}
