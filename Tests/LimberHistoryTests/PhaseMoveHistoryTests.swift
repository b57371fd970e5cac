import Foundation
import Testing
@testable import LimberHistory

/// Phase moves (docs/history.md, `phase_move`): written, read back in
/// order and by period, and gone after `history forget`.
@Suite struct PhaseMoveHistoryTests {
    @Test func movesRoundTripInOrderAndForgetRemovesThem() throws {
        let dir = TempDir()
        let (store, _) = try HistoryStore.open(at: dir.file("history.sqlite"), now: t())
        let yes = PhaseMove(at: t(hour: 10), program: "sciatica-relief", from: "acute", to: "recovery",
                            reason: "you answered Yes to \"Has the flare settled?\" on 2025-03-01", source: "notification")
        let flare = PhaseMove(at: t(hour: 15), program: "sciatica-relief", from: "recovery", to: "acute",
                              reason: "moved by you on 2025-03-01", source: "cli")
        try store.record(flare)
        try store.record(yes)
        #expect(try store.phaseMoves() == [yes, flare])
        #expect(try store.phaseMoves(since: t(hour: 12)) == [flare])
        #expect(try store.phaseMoves(until: t(hour: 12)) == [yes])
        _ = try store.forgetAll()
        #expect(try store.phaseMoves().isEmpty)
    }
}
