import LimberCore
import Testing
@testable import LimberConfig

/// `cue`, `stop_if` clauses and `allow_easier` in program files.
@Suite struct CueAndClauseTests {
    @Test func cueAndAllowEasierAreRead() throws {
        let text = minimalProgram(extra: "allow_easier = true").replacingOccurrences(
            of: "steps = [\"Walk.\"]",
            with: "steps = [\"Walk.\"]\ncue = \"short strides\"\nstop_if = [\"pain spreads down your leg\"]")
        let (p, diagnostics) = parseProgram(text)
        #expect(diagnostics == [])
        let walk = try #require(p?.exercise("walk"))
        #expect(walk.cue == "short strides")
        #expect(walk.stopIf == ["pain spreads down your leg"])
        #expect(walk.allowEasier)
    }

    @Test func dosesStayPrescribedUnlessTheProgramOrExerciseSaysSo() throws {
        let (p, _) = parseProgram(minimalProgram())
        #expect(p?.exercise("walk")?.allowEasier == false)
        let (q, _) = parseProgram(minimalProgram(extra: "allow_easier = true")
            .replacingOccurrences(of: "steps = [\"Walk.\"]", with: "steps = [\"Walk.\"]\nallow_easier = false"))
        #expect(q?.exercise("walk")?.allowEasier == false)
    }

    @Test func aStopIfWrittenAsASentenceIsAWarningThatShowsTheClause() throws {
        let text = minimalProgram().replacingOccurrences(
            of: "steps = [\"Walk.\"]", with: "steps = [\"Walk.\"]\nstop_if = [\"Pain spreads down your leg.\", \"you feel dizzy\"]")
        let (p, diagnostics) = parseProgram(text)
        #expect(p != nil)
        #expect(diagnostics == ["17:12: warning: 'stop_if' entries are clauses shown after \"Stop if \": write \"pain spreads down your leg\", not a sentence"])
    }

    @Test func aCueLongerThanALineIsAWarning() {
        let long = String(repeating: "keep your back flat ", count: 6)
        let text = minimalProgram().replacingOccurrences(of: "steps = [\"Walk.\"]", with: "steps = [\"Walk.\"]\ncue = \"\(long)\"")
        let (_, diagnostics) = parseProgram(text)
        #expect(diagnostics == ["17:7: warning: 'cue' is 120 characters; keep it to one line (at most 100): the part people get wrong"])
    }

    @Test func anUnknownExerciseKeyNearCueIsAnError() {
        let text = minimalProgram().replacingOccurrences(of: "steps = [\"Walk.\"]", with: "steps = [\"Walk.\"]\ncues = \"x\"")
        let (p, diagnostics) = parseProgram(text)
        #expect(p == nil)
        #expect(diagnostics.first?.contains("did you mean 'cue'?") == true)
    }
}
