import LimberCore
import Testing
@testable import LimberConfig

/// Drop-ins (`programs/ID.toml.d/*.toml`) and same-id overrides across the search path.
@Suite struct DropInTests {
    @Test func singleFieldOverrideKeepsEverythingElse() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/mini.toml.d/10-shorter.toml", "[reminders.stand]\nafter = \"30m\"\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        let file = try #require(loader.programFile(id: "mini"))
        let (p, d) = loader.loadProgram(file: file, id: "mini", dropIns: loader.dropIns(for: "programs/mini.toml"))
        #expect(d.isEmpty)
        let rule = try #require(p?.reminders.first)
        #expect(rule.cadence == .sitBreak(after: .minutes(30), naturalBreak: .minutes(5)))
        #expect(rule.title == "Stand up")
        #expect(rule.pool.exercises == ["walk"])
    }

    @Test func laterFilesWinAndOrderIsByFileNameAcrossDirectories() {
        let user = TempDir(), system = TempDir()
        system.write("programs/mini.toml", minimalProgram())
        system.write("programs/mini.toml.d/20-b.toml", "[reminders.stand]\nafter = \"20m\"\ntitle = \"B\"\n")
        user.write("programs/mini.toml.d/30-c.toml", "[reminders.stand]\nafter = \"30m\"\n")
        user.write("programs/mini.toml.d/10-a.toml", "[reminders.stand]\nafter = \"10m\"\ntitle = \"A\"\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [user.path, system.path]))
        #expect(loader.dropIns(for: "programs/mini.toml") == [
            user.sub("programs/mini.toml.d/10-a.toml"),
            system.sub("programs/mini.toml.d/20-b.toml"),
            user.sub("programs/mini.toml.d/30-c.toml"),
        ])
        let result = ConfigLoaderTestsSupport.load(loader, enabling: "mini")
        let rule = result.configuration?.program("mini")?.reminders.first
        #expect(rule?.title == "B")
        #expect(rule?.cadence == .sitBreak(after: .minutes(30), naturalBreak: .minutes(5)))
    }

    @Test func aDropInInAHigherDirectoryHidesTheSameNameLower() {
        let user = TempDir(), system = TempDir()
        system.write("programs/mini.toml", minimalProgram())
        system.write("programs/mini.toml.d/10-x.toml", "[reminders.stand]\ntitle = \"system\"\n")
        user.write("programs/mini.toml.d/10-x.toml", "[reminders.stand]\nmessage = \"user\"\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [user.path, system.path]))
        #expect(loader.dropIns(for: "programs/mini.toml") == [user.sub("programs/mini.toml.d/10-x.toml")])
        let rule = ConfigLoaderTestsSupport.load(loader, enabling: "mini").configuration?.program("mini")?.reminders.first
        #expect(rule?.title == "Stand up")
        #expect(rule?.message == "user")
    }

    @Test func sameIdHigherUpReplacesTheProgramWhole() throws {
        let user = TempDir(), shipped = TempDir()
        shipped.write("programs/mini.toml", minimalProgram(extra: "summary = \"shipped\""))
        user.write("programs/mini.toml", minimalProgram().replacingOccurrences(of: "title = \"Stand up\"", with: "title = \"Mine\""))
        user.write("programs/mini.toml.d/10.toml", "[reminders.stand]\nmessage = \"drop-in\"\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [user.path, shipped.path]))
        let result = ConfigLoaderTestsSupport.load(loader, enabling: "mini")
        let p = try #require(result.configuration?.program("mini"))
        #expect(p.summary == "")  // nothing of the shipped file is merged in
        #expect(p.reminders.first?.title == "Mine")
        #expect(p.reminders.first?.message == "drop-in")
        #expect(p.origin == user.sub("programs/mini.toml"))
        #expect(!result.files.contains(shipped.sub("programs/mini.toml")))
    }

    @Test func errorsInADropInPointAtTheDropIn() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        let dropIn = dir.write("programs/mini.toml.d/10.toml", "# mine\n[reminders.stand]\nafter = \"often\"\nexercises = [\"walk\", \"run\"]\n")
        let result = ConfigLoaderTestsSupport.load(ConfigLoader(searchPath: SearchPath(directories: [dir.path])), enabling: "mini")
        #expect(result.configuration == nil)
        #expect(result.errors.map(\.description) == [
            "\(dropIn):4:22: unknown exercise 'run'",
            "\(dropIn):3:9: 'after' must be a duration like \"45m\"; \"often\": it does not start with a number (write a number and a unit, like \"45m\", \"1h30m\", \"1.5h\" or \"90 min\")",
        ])
    }

    @Test func aDropInMustRespectTheRangeAndCannotChangeIt() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram().replacingOccurrences(of: "after = \"45m\"", with: "after = \"45m\"\nrange = [\"30m\", \"60m\"]"))
        let a = dir.write("programs/mini.toml.d/10.toml", "[reminders.stand]\nafter = \"90m\"\n")
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir.path]))
        #expect(ConfigLoaderTestsSupport.load(loader, enabling: "mini").errors.map(\.description) == [
            "\(a):2:9: 'after' must be between 30m and 1h for this reminder; got 1h30m",
        ])
        dir.write("programs/mini.toml.d/10.toml", "[reminders.stand]\nafter = \"35m\"\n")
        let ok = ConfigLoaderTestsSupport.load(loader, enabling: "mini")
        #expect(ok.errors.isEmpty)
        #expect(ok.configuration?.program("mini")?.reminders.first?.cadence == .sitBreak(after: .minutes(35), naturalBreak: .minutes(5)))
        let b = dir.write("programs/mini.toml.d/20.toml", "[reminders.stand]\nrange = [\"1m\", \"2h\"]\n")
        #expect(ConfigLoaderTestsSupport.load(loader, enabling: "mini").errors.map(\.description) == [
            "\(b):2:1: 'range' can only be set in the program file itself, not in a drop-in; copy the program to change it",
        ])
    }

    @Test func aDropInCanDisableARuleAndAddOne() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/mini.toml.d/10.toml", """
            [reminders.stand]
            enabled = false

            [reminders.lunch-walk]
            cadence = "fixed"
            title = "Lunch walk"
            at = "12:30"
            days = ["mon", "tue", "wed", "thu", "fri"]
            exercises = ["walk"]
            """)
        let p = try #require(ConfigLoaderTestsSupport.load(ConfigLoader(searchPath: SearchPath(directories: [dir.path])), enabling: "mini").configuration?.program("mini"))
        #expect(p.reminders.map(\.id) == ["lunch-walk"])
        #expect(p.reminders.first?.cadence == .fixed(times: [TimeOfDay("12:30")!], days: Weekday.workdays))
    }

    @Test func phaseLengthCanBeChangedAndKeepsItsOrder() throws {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram(extra: "[phases.acute]\nname = \"A\"\ndays = 7\n[phases.later]\nname = \"L\"\n"))
        dir.write("programs/mini.toml.d/10.toml", "[phases.acute]\ndays = 14\n")
        let p = try #require(ConfigLoaderTestsSupport.load(ConfigLoader(searchPath: SearchPath(directories: [dir.path])), enabling: "mini").configuration?.program("mini"))
        #expect(p.phases.map(\.id) == ["acute", "later"])
        #expect(p.phases.map(\.days) == [14, nil])
    }

    @Test func orphanDropInsAreAWarningInCheck() {
        let dir = TempDir()
        dir.write("programs/mini.toml", minimalProgram())
        dir.write("programs/mni.toml.d/10.toml", "[reminders.stand]\nafter = \"30m\"\n")
        dir.write("limber.toml", "programs = [\"mini\"]\n")
        let report = ConfigLoader(searchPath: SearchPath(directories: [dir.path])).check()
        #expect(report.exitCode == 0)
        #expect(report.diagnostics.map(\.description) == [
            "\(dir.sub("programs/mni.toml.d")):1:1: warning: drop-ins for program 'mni', but there is no programs/mni.toml",
        ])
    }
}

enum ConfigLoaderTestsSupport {
    /// Loads with a limber.toml (in its own directory, lowest priority) enabling `ids`.
    static func load(_ loader: ConfigLoader, enabling ids: String...) -> LoadResult {
        let settings = TempDir()
        settings.write("limber.toml", "programs = [" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]\n")
        var l = loader
        l.searchPath.directories.append(settings.path)
        return withExtendedLifetime(settings) { l.loadAll() }
    }
}
