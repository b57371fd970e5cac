import LimberCore
import Testing
@testable import LimberConfig

/// `history_retention` and `checkin_after_exercise` in limber.toml.
@Suite struct HistorySettingsTests {
    func load(_ text: String) -> (LoadedSettings, [String]) {
        let dir = TempDir()
        let file = dir.write("limber.toml", text)
        let (s, d, _) = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadSettings()
        return (s, d.map { short($0, file: file) })
    }

    @Test func defaultsKeepEverythingAndAskNothing() {
        let (s, d) = load("snooze = \"5m\"\n")
        #expect(d.isEmpty)
        #expect(s.settings.historyRetention == .forever)
        #expect(s.settings.checkInAfterExercise == false)
        #expect(Settings().historyRetention == .forever && Settings().checkInAfterExercise == false)
    }

    @Test func bothKeysAreRead() {
        let (s, d) = load("history_retention = \"365d\"\ncheckin_after_exercise = true\n")
        #expect(d.isEmpty)
        #expect(s.settings.historyRetention == .days(365))
        #expect(s.settings.checkInAfterExercise)
        #expect(load("history_retention = \"forever\"\n").0.settings.historyRetention == .forever)
        #expect(load("history_retention = \"1d\"\n").0.settings.historyRetention == .days(1))
    }

    @Test func badValuesArePositioned() {
        let (_, d) = load("""
            snooze = "5m"
            history_retention = "90 days"
            checkin_after_exercise = "yes"
            """)
        #expect(d == [
            "2:21: 'history_retention' must be \"forever\" or a number of days like \"365d\" (at least \"1d\")",
            "3:26: 'checkin_after_exercise' must be true or false, not a string",
        ])
        for bad in ["\"0d\"", "\"-5d\"", "\"d\"", "\"90\"", "\"1y\"", "90", "\"Forever\"", "\"９０d\""] {
            let (_, d) = load("history_retention = \(bad)\n")
            #expect(d.count == 1 && d[0].hasPrefix("1:21: 'history_retention' must be"), "\(bad): \(d)")
        }
    }

    @Test func aTypoIsCaughtWithASuggestion() {
        let (_, d) = load("history_retension = \"30d\"\n")
        #expect(d == ["1:1: unknown key 'history_retension' in limber.toml; did you mean 'history_retention'?"])
    }

    @Test func theShippedFileDocumentsBothWithTheirDefaults() throws {
        let text = try String(contentsOfFile: shippedConfigDir + "/limber.toml", encoding: .utf8)
        #expect(text.contains("# history_retention = \"forever\""))
        #expect(text.contains("# checkin_after_exercise = false"))
        let (s, d, _) = ConfigLoader(searchPath: SearchPath(directories: [shippedConfigDir])).loadSettings()
        #expect(d.isEmpty)
        #expect(s.settings.historyRetention == .forever && !s.settings.checkInAfterExercise)
    }
}
