import Foundation
import Testing
import Systemd
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
@testable import LimberHistory
import LimberNotifications

/// A worse check-in offers, in one notification against python3-dbusmock's
/// server: back to the gentler phase, and knees to chest for people whom
/// press-ups make worse (its "how to" opens the guide). Real
/// ReminderService, real SQLite history.
@Suite(.serialized) struct WorseningOfferTests {
    static func configuration() -> Configuration {
        let pressUp = Exercise(id: "press-up", name: "Prone press-up", category: .extension_, position: .floor, dose: Dose(reps: 10))
        let knees = Exercise(id: "knees-to-chest", name: "Knees to chest", category: .flexion, position: .lying, dose: Dose(reps: 10))
        let rule = ReminderRule(id: "press-ups", title: "Press-ups", cadence: .interval(every: .hours(2)),
                                pool: ExercisePool(exercises: ["press-up"]))
        let phases = [Phase(id: "acute", name: "Flare", days: 7), Phase(id: "recovery", name: "Recovery", days: nil)]
        return Configuration(programs: [Program(id: "back", name: "Back program", exercises: [pressUp, knees], reminders: [rule], phases: phases)],
                             settings: Settings(workingHours: DayWindow("00:00-24:00")!))
    }

    @Test func aWorseCheckInOffersTheGentlerPhaseAndKneesToChest() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        let dir = try shortTemporaryDirectory("limber-wo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try HistoryStore.open(at: dir + "/state/history.sqlite").store
        let clock = NotificationTestClock()
        let service = ReminderService(configuration: Self.configuration(), loader: ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"])),
                                      presenter: rig.presenter, stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, logger: rig.capture.logger)
        var guides: [String] = []
        let offer = WorseningOffer(service: service, client: rig.client, logger: rig.capture.logger) { program, exercise in
            guides.append("\(program.id)/\(exercise)")
        }
        try rig.connectAndWaitForCapabilities()
        service.start()
        service.sendPhaseEvent(.setPhase(program: "back", phase: "recovery", reason: "moved by you"), source: "cli")

        // Better, then the same: nothing offered.
        clock.advance(.hours(1))
        service.sendPhaseEvent(.checkIn(pain: 5, reach: 4), source: "check-ins")
        clock.advance(.hours(1))
        service.sendPhaseEvent(.checkIn(pain: 3, reach: 2), source: "check-ins")
        #expect(offer.offeringFor == nil)

        // Worse: the pain reaches further down the leg.
        clock.advance(.hours(1))
        service.sendPhaseEvent(.checkIn(pain: 4, reach: 4), source: "check-ins")
        #expect(offer.offeringFor == "back")
        try rig.run(until: "the offer on the server") { offer.notificationID != nil }
        let nid = try #require(offer.notificationID)
        let n = try #require(try mock.calls("Notify").last { $0.arguments[3].stringValue == "Worse since your last check-in" }?.arguments)
        #expect(n[3].stringValue == "Worse since your last check-in")
        #expect(n[4].stringValue == """
            The pain reaches further down the leg than at your last check-in.
            Stop any movement that sends the pain further down the leg.
            If press-ups did it, leave them out: knees to chest, lying on your back, bends the back the other way.
            Back to Flare keeps to its gentler exercises until you move on again.
            """)
        #expect(n[5].stringArrayValue == [WorseningOffer.backKey, "Back to Flare", WorseningOffer.kneesKey, "Knees to chest: how to"])
        #expect(service.engine.phaseStatus(of: "back", on: clock.now.wall)?.phase.id == "recovery", "nothing is done for the person")

        // "How to" opens the guide at knees to chest and leaves the offer up.
        try mock.emit("ActionInvoked", [.uint32(nid), .string(WorseningOffer.kneesKey)])
        try rig.run(until: "the guide opened") { guides == ["back/knees-to-chest"] }
        #expect(offer.notificationID == nid)

        // "Back to Flare" moves the program, recorded in the history.
        try mock.emit("ActionInvoked", [.uint32(nid), .string(WorseningOffer.backKey)])
        try rig.run(until: "back in the flare phase") {
            service.engine.phaseStatus(of: "back", on: clock.now.wall)?.phase.id == "acute"
        }
        let last = try #require(try history.phaseMoves().last)
        #expect(last.from == "recovery" && last.to == "acute" && last.source == "notification")
        #expect(last.reason.hasPrefix("back to the gentler phase after a worse check-in"))
        try rig.run(until: "the offer closed") {
            try mock.closed(nid)
        }
        #expect(offer.offeringFor == nil)
    }

    @Test func theRuleIsTheCoresPainUpByTwoOrFurtherDownTheLeg() {
        let at = Date(timeIntervalSince1970: 0)
        #expect(WorseningOffer.worse([CheckInNote(at: at, pain: 3, reach: 2), CheckInNote(at: at, pain: 5, reach: 2)])
                == "Your pain rose from 3 to 5.")
        #expect(WorseningOffer.worse([CheckInNote(at: at, pain: 3, reach: 2), CheckInNote(at: at, pain: 4, reach: 2)]) == nil)
        #expect(WorseningOffer.worse([CheckInNote(at: at, pain: 3, reach: 0), CheckInNote(at: at, pain: 3, reach: 1)]) == nil,
                "back pain after none is not spreading")
        #expect(WorseningOffer.worse([CheckInNote(at: at, pain: 3, reach: 0)]) == nil)
    }
}
