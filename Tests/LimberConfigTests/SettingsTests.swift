import LimberCore
import Testing
@testable import LimberConfig

@Suite struct SettingsTests {
    func load(_ text: String) -> (LoadedSettings, [String]) {
        let dir = TempDir()
        let file = dir.write("limber.toml", text)
        let (s, d, _) = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadSettings()
        return (s, d.map { short($0, file: file) })
    }

    @Test func missingFileGivesDefaultsWithTheDefaultProgram() {
        let dir = TempDir()
        let (s, d, files) = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadSettings()
        #expect(d.isEmpty && files.isEmpty)
        #expect(s.settings == Settings(enabledPrograms: ["sciatica-relief"]))
    }

    @Test func everyKeyIsRead() {
        let (s, d) = load("""
            programs = ["desk-basics", "sciatica-relief"]
            working_hours = "09:00-17:30"
            active_days = ["mon", "tue", "wed", "thu", "fri"]
            quiet_hours = ["12:00-13:00", "22:00-07:00"]
            snooze = "5m"
            max_snoozes = 2
            coalesce_window = "3m"
            stays_up = "10m"
            catch_up_delay = "1m"
            natural_break = "4m"

            [plugins.quiet-during-calls]
            enabled = true
            apps = ["zoom", "teams"]
            [plugins.quiet-during-calls.extra]
            level = 2
            """)
        #expect(d.isEmpty)
        #expect(s.settings == Settings(enabledPrograms: ["desk-basics", "sciatica-relief"], workingHours: DayWindow("09:00-17:30")!,
                                       activeDays: Weekday.workdays, quietHours: [DayWindow("12:00-13:00")!, DayWindow("22:00-07:00")!],
                                       snooze: .minutes(5), maxSnoozes: 2, coalesceWindow: .minutes(3), staysUp: .minutes(10),
                                       catchUpDelay: .minutes(1), naturalBreak: .minutes(4)))
        let plugin = s.plugins["quiet-during-calls"]
        #expect(plugin?.keys == ["enabled", "apps", "extra"])
        #expect(plugin?["apps"]?.array?.map(\.string) == ["zoom", "teams"])
        #expect(plugin?["extra"]?.table?["level"]?.integer == 2)
        #expect(plugin?["apps"]?.location.line == 14)
    }

    @Test func errorsArePositionedAndAllReported() {
        let (_, d) = load("""
            programs = ["sciatica-relief", "Bad Id"]
            working_hours = "9-5"
            active_days = ["mon", "funday"]
            snooze = "later"
            max_snoozes = 100
            coalesce_window = "2h"
            natural_brek = "5m"
            [plugins]
            broken = 3
            """)
        #expect(d == [
            "7:1: unknown key 'natural_brek' in limber.toml; did you mean 'natural_break'?",
            "1:32: \"Bad Id\" is not a valid program id: use lower-case letters, digits, '-' and '_'",
            "2:17: 'working_hours' must be a time window like \"09:00-17:30\"",
            "3:23: 'funday' is not a weekday; write \"mon\", \"tue\", ... \"sun\"",
            "4:10: 'snooze' must be a duration like \"10m\"; \"later\": it does not start with a number (write a number and a unit, like \"45m\", \"1h30m\", \"1.5h\" or \"90 min\")",
            "5:15: 'max_snoozes' must be between 0 and 20; got 100",
            "6:19: 'coalesce_window' must be at most 1h; got 2h",
            "9:10: plugin 'broken' must be a table like [plugins.broken], not an integer",
        ])
    }

    @Test func dayShortcuts() {
        #expect(load("active_days = \"weekends\"").0.settings.activeDays == [.saturday, .sunday])
        #expect(load("active_days = \"weekdays\"").0.settings.activeDays == Weekday.workdays)
        #expect(load("active_days = []").1 == ["1:15: 'active_days' must name at least one day"])
    }

    @Test func firstLimberTomlWinsThenItsDropIns() {
        let user = TempDir(), system = TempDir()
        user.write("limber.toml", "snooze = \"7m\"\n")
        system.write("limber.toml", "snooze = \"9m\"\nmax_snoozes = 1\n")
        system.write("limber.toml.d/20-b.toml", "max_snoozes = 5\n")
        user.write("limber.toml.d/10-a.toml", "max_snoozes = 4\nstays_up = \"20m\"\n")
        let (s, d, files) = ConfigLoader(searchPath: SearchPath(directories: [user.path, system.path])).loadSettings()
        #expect(d.isEmpty)
        #expect(s.settings.snooze == .minutes(7))
        #expect(s.settings.maxSnoozes == 5)  // system's limber.toml is not read; drop-ins from both are
        #expect(s.settings.staysUp == .minutes(20))
        #expect(files == [user.sub("limber.toml"), user.sub("limber.toml.d/10-a.toml"), system.sub("limber.toml.d/20-b.toml")])
    }

    @Test func unknownEnabledProgramIsAnErrorAtItsName() {
        let dir = TempDir()
        let file = dir.write("limber.toml", "programs = [\"mini\", \"nope\"]\n")
        dir.write("programs/mini.toml", minimalProgram())
        let result = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll()
        #expect(result.configuration == nil)
        #expect(result.errors.map(\.description) == ["\(file):1:21: program 'nope' is not installed (looked for programs/nope.toml in \(dir.path))"])
    }

    @Test func noProgramsIsAWarningAndAnEmptyConfiguration() {
        let dir = TempDir()
        let file = dir.write("limber.toml", "programs = []\n")
        let result = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll()
        #expect(result.diagnostics.map(\.description) == ["\(file):1:12: warning: no programs are enabled, so limber will remind you of nothing"])
        #expect(result.configuration?.programs == [])
    }

    @Test func settingsDefaultsFlowIntoPrograms() throws {
        let dir = TempDir()
        dir.write("limber.toml", "programs = [\"mini\"]\nnatural_break = \"8m\"\n")
        dir.write("programs/mini.toml", minimalProgram())
        let p = try #require(ConfigLoader(searchPath: SearchPath(directories: [dir.path])).loadAll().configuration?.program("mini"))
        #expect(p.reminders.first?.cadence == .sitBreak(after: .minutes(45), naturalBreak: .minutes(8)))
    }
}
