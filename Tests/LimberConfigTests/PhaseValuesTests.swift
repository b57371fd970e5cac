import LimberCore
import Testing
@testable import LimberConfig

/// Per-phase values, interval grids, phase advance keys, and drop-ins that
/// name what a program does not have (docs/program-format.md).
@Suite struct PhaseValuesTests {
    static let phases = """
    [phases.acute]
    name = "Flare"
    days = 14
    advance = "confirm"
    question = "Has the flare settled?"

    [phases.recovery]
    name = "Recovery"
    days = 28
    advance = "check-ins"
    pain_at_most = 2

    [phases.maintenance]
    name = "Maintenance"

    """

    static func program(after: String) -> String {
        minimalProgram(extra: Self.phases).replacingOccurrences(of: "after = \"45m\"", with: "after = \(after)\nrange = [\"20m\", \"60m\"]")
    }

    @Test func aValueByPhaseAndADefault() throws {
        let (p, d) = parseProgram(Self.program(after: #"{ acute = "30m", recovery = "45m", default = "50m" }"#))
        #expect(d == [])
        let rule = try #require(p?.reminders.first)
        #expect(rule.phaseCadences["acute"] == .sitBreak(after: .minutes(30), naturalBreak: .minutes(5)))
        #expect(rule.phaseCadences["recovery"] == .sitBreak(after: .minutes(45), naturalBreak: .minutes(5)))
        #expect(rule.cadence == .sitBreak(after: .minutes(50), naturalBreak: .minutes(5)))
        #expect(p?.phases[0].advance == .confirm(question: "Has the flare settled?", askEveryDays: 3))
        #expect(p?.phases[1].advance == .checkIns(CheckInRule(maxPain: 2)))
    }

    @Test func aMissingPhaseAnUnknownOneAndOutOfRange() {
        let (_, d) = parseProgram(Self.program(after: #"{ acute = "30m", recovry = "45m", maintenance = "90m" }"#))
        #expect(d.contains { $0.contains("unknown phase 'recovry' in 'after'; did you mean 'recovery'?") }, "\(d)")
        #expect(d.contains { $0.contains("'after' must be between 20m and 1h") }, "\(d)")
        let (_, d2) = parseProgram(Self.program(after: #"{ acute = "30m" }"#))
        #expect(d2.contains { $0.contains("'after' has no value for phases 'recovery', 'maintenance'; add it, or a default") }, "\(d2)")
    }

    @Test func aDropInChangesOnePhaseOrAll() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", Self.program(after: #"{ acute = "30m", recovery = "45m", maintenance = "50m" }"#))
        dir.write("programs/mini.toml.d/10-one.toml", "[reminders.stand]\nafter.recovery = \"40m\"\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        let (p, d) = loader.loadProgram(file: dir.sub("programs/mini.toml"), id: "mini", dropIns: loader.dropIns(for: "programs/mini.toml"))
        #expect(d.filter(\.isError).isEmpty, "\(d)")
        #expect(p?.reminders.first?.phaseCadences["recovery"] == .sitBreak(after: .minutes(40), naturalBreak: .minutes(5)))
        #expect(p?.reminders.first?.phaseCadences["acute"] == .sitBreak(after: .minutes(30), naturalBreak: .minutes(5)))
        dir.write("programs/mini.toml.d/20-all.toml", "[reminders.stand]\nafter = \"40m\"\n")
        let (all, _) = loader.loadProgram(file: dir.sub("programs/mini.toml"), id: "mini", dropIns: loader.dropIns(for: "programs/mini.toml"))
        #expect(all?.reminders.first?.phaseCadences == [:])
        #expect(all?.reminders.first?.cadence == .sitBreak(after: .minutes(40), naturalBreak: .minutes(5)))
    }

    @Test func intervalsOnAGridOrFromTheLastAnswer() {
        func cadence(_ lines: String) -> (Cadence?, [String]) {
            let text = minimalProgram().replacingOccurrences(of: "cadence = \"sit-break\"", with: "cadence = \"interval\"")
                .replacingOccurrences(of: "after = \"45m\"", with: lines)
            let (p, d) = parseProgram(text)
            return (p?.reminders.first?.cadence, d)
        }
        #expect(cadence("every = \"2h\"").0 == .interval(every: .hours(2)))
        #expect(cadence("every = \"2h\"\nbetween = \"08:00-20:00\"").0 == .every(.hours(2), window: DayWindow("08:00-20:00"), grid: true))
        #expect(cadence("every = \"2h\"\nfrom = \"grid\"").0 == .every(.hours(2), window: nil, grid: true))
        #expect(cadence("every = \"2h\"\nbetween = \"9:00-12:00\"\nfrom = \"last-answer\"").0
                == .every(.hours(2), window: DayWindow("09:00-12:00"), grid: false))
        #expect(cadence("every = \"2h\"\nfrom = \"grd\"").1 == ["10:8: 'from' must be one of \"grid\", \"last-answer\"; got \"grd\" (did you mean \"grid\"?)"])
    }

    @Test func aDropInForAReminderExerciseOrPhaseTheProgramLacks() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram(extra: Self.phases))
        dir.write("programs/mini.toml.d/10.toml", """
        [reminders.stnd]
        after = "40m"

        [exercises.wlk]
        reps = 3

        [phases.acut]
        days = 10

        """)
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        let (_, d) = loader.loadProgram(file: dir.sub("programs/mini.toml"), id: "mini", dropIns: loader.dropIns(for: "programs/mini.toml"))
        let messages = d.map(\.description)
        let dropIn = dir.sub("programs/mini.toml.d/10.toml")
        #expect(messages.contains("\(dropIn):1:1: the drop-in changes reminder 'stnd', but the program has no such reminder; did you mean 'stand'?; to add a new one, give it 'cadence' and the rest"), "\(messages)")
        #expect(messages.contains { $0.contains("exercise 'wlk', but the program has no such exercise; did you mean 'walk'?") }, "\(messages)")
        #expect(messages.contains { $0.contains("phase 'acut', but the program has no such phase; did you mean 'acute'?") }, "\(messages)")
        #expect(!messages.contains { $0.contains("is missing") }, "\(messages)")
    }

    @Test func aMisnamedDropInFolderIsWarnedAndCheckVerboseListsTheFiles() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/mini.d/10.toml", "[reminders.stand]\nafter = \"30m\"\n")
        dir.write("programs/mini.toml.d/20.toml", "[reminders.stand]\nafter = \"35m\"\n")
        let report = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).check()
        #expect(report.diagnostics.map(\.description).contains(
            "\(dir.sub("programs/mini.d")):1:1: warning: drop-in folder 'mini.d' is not read: name it 'mini.toml.d' (programs/mini.toml.d/*.toml)"),
            "\(report.diagnostics)")
        #expect(report.verboseText.hasPrefix("read \(dir.sub("programs/mini.toml"))\nread \(dir.sub("programs/mini.toml.d/20.toml"))\n"),
                "\(report.verboseText)")
    }
}

/// "an interval reminder", not "a interval reminder".
@Suite struct ArticleTests {
    @Test func anIntervalReminder() {
        let text = minimalProgram().replacingOccurrences(of: "cadence = \"sit-break\"", with: "cadence = \"interval\"")
            .replacingOccurrences(of: "after = \"45m\"", with: "every = \"2h\"\nnatural_break = \"5m\"")
        let (_, d) = parseProgram(text)
        #expect(d.contains { $0.contains("'natural_break' belongs to sit-break reminders; an interval reminder uses 'every'") }, "\(d)")
    }
}
