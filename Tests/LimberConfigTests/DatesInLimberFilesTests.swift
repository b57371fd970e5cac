import Testing
@testable import LimberConfig

/// Dates and times are valid TOML, so they parse (kept as `.dateTime` with
/// their text); limber's files use none, so where a reader expects a string,
/// number or list it says so at the value.
@Suite struct DatesInLimberFilesTests {
    @Test func aDateWhereAStringBelongsIsAPositionedTypeError() {
        let (_, d) = parseProgram(minimalProgram().replacingOccurrences(of: "name = \"Mini\"", with: "name = 1979-05-27"))
        #expect(errors(d) == ["3:8: 'name' must be a string, not a date or time"])
    }

    @Test func aTimeWhereADurationOrTimeTextBelongs() {
        let (_, d) = parseProgram(minimalProgram().replacingOccurrences(of: "after = \"45m\"", with: "after = 00:45:00"))
        #expect(errors(d) == ["9:9: 'after' must be a duration like \"45m\""])
        let dir = TempDir()
        let file = dir.write("limber.toml", "working_hours = 09:00:00\nquiet_hours = [22:00:00]\n")
        let (_, diagnostics, _) = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadSettings()
        #expect(diagnostics.map { short($0, file: file) } == [
            "1:17: 'working_hours' must be a time window like \"09:00-17:30\"",
            "2:16: 'quiet_hours' must be a time window like \"09:00-17:30\"",
        ])
    }

    @Test func anUnquotedTimeForAFixedReminder() {
        let (_, d) = parseProgram(minimalProgram(extra: "[reminders.lunch]\ncadence = \"fixed\"\ntitle = \"Lunch\"\nat = 12:30:00\n"))
        #expect(errors(d) == ["8:6: 'at' must be a string or an array of strings, not a date or time"])
    }

    @Test func theValueKeepsItsTextAsWritten() {
        guard case .success(let doc) = TOMLDocument.parse("a = 1979-05-27 07:32:00Z\nb = 07:32:00.5", file: "t.toml") else {
            Issue.record("did not parse")
            return
        }
        #expect(doc.root["a"]?.kind == .dateTime("1979-05-27 07:32:00Z"))
        #expect(doc.root["b"]?.kind == .dateTime("07:32:00.5"))
        #expect(doc.root["b"]?.typeName == "a date or time")
    }
}
