import Foundation
import Testing
@testable import LimberCore

/// Doses and durations read as people write them: "3 min", not "3m" (metres).
@Suite struct DoseTextTests {
    @Test func durationsReadAsPeopleWriteThem() {
        #expect(DurationText.readable(.seconds(30)) == "30 s")
        #expect(DurationText.readable(.minutes(3)) == "3 min")
        #expect(DurationText.readable(.seconds(90)) == "1 min 30 s")
        #expect(DurationText.readable(.hours(2)) == "2 h")
        #expect(DurationText.readable(.seconds(5400)) == "1 h 30 min")
        #expect(DurationText.readable(.seconds(86_400)) == "1 day")
    }

    @Test func dosesUseTheReadableDurations() {
        #expect(Dose(duration: .minutes(3)).text == "3 min")
        #expect(Dose(sets: 3, holdSeconds: 20).text == "3 sets, hold 20 s")
        #expect(Dose(reps: 2, holdSeconds: 30, perSide: true).text == "2 reps, hold 30 s, each side")
        #expect(Dose(reps: 10).text == "10 reps")
    }

    @Test func anExerciseFromAnOlderStateFileLoadsWithoutCue() throws {
        let json = #"{"id":"walk","name":"Walk","category":"cardio","position":"standing","dose":{"perSide":false},"steps":[],"cautions":[],"stopIf":[]}"#
        let e = try JSONDecoder().decode(Exercise.self, from: Data(json.utf8))
        #expect(e.cue == "" && e.allowEasier == false)
    }
}
