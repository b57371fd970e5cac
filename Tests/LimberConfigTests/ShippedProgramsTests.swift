import Foundation
import LimberCore
import Testing
@testable import LimberConfig

@Suite struct ShippedProgramsTests {
    let loader = ConfigLoader(searchPath: SearchPath(directories: [shippedConfigDir]))

    @Test func shippedConfigurationChecksCleanWithoutWarnings() {
        let report = loader.check()
        #expect(report.diagnostics.map(\.description) == [])
        #expect(report.exitCode == 0)
        #expect(report.lines.count == 2)
        #expect(report.lines.contains { $0.hasPrefix("sciatica-relief: \"Sciatica relief\"") && $0.hasSuffix("[enabled]") })
        #expect(report.lines.contains { $0.hasPrefix("desk-basics: \"Desk basics\"") })
    }

    @Test func loadAllGivesTheSciaticaProgramByDefault() throws {
        let result = loader.loadAll()
        #expect(result.diagnostics.isEmpty)
        let config = try #require(result.configuration)
        #expect(config.programs.map(\.id) == ["sciatica-relief"])
        #expect(config.settings.enabledPrograms == ["sciatica-relief"])
        #expect(result.files == [shippedConfigDir + "/limber.toml", shippedConfigDir + "/programs/sciatica-relief.toml"])
    }

    @Test func sciaticaProgramHasItsRulesPhasesAndSafetyText() throws {
        let p = try #require(loader.loadAll().configuration?.program("sciatica-relief"))
        #expect(p.phases.map(\.id) == ["acute", "recovery", "maintenance"])
        #expect(p.phases.map(\.days) == [7, 35, nil])
        #expect(!p.disclaimer.isEmpty)
        #expect(p.redFlags.count >= 4)
        #expect(p.redFlags.contains { $0.contains("bladder") })
        #expect(p.redFlags.contains { $0.lowercased().contains("saddle") })
        #expect(p.redFlags.contains { $0.lowercased().contains("foot drop") })

        let rule = { (id: String) in p.reminders.first { $0.id == id } }
        #expect(rule("sit-break")?.cadence == .sitBreak(after: .minutes(45), naturalBreak: .minutes(5)))
        #expect(rule("press-ups")?.cadence == .interval(every: .hours(2)))
        #expect(rule("press-ups")?.pool.exercises == ["press-up"])
        #expect(rule("walks")?.cadence == .window(count: 3, window: DayWindow("09:00-18:00")!, minGap: .hours(2)))
        #expect(rule("weekly-routine")?.cadence == .fixed(times: [TimeOfDay("10:00")!], days: [.sunday]))
        #expect(rule("weekly-routine")?.phases == ["maintenance"])
        #expect(rule("strength")?.pool.order == .rotate)
        #expect(rule("strength")?.pool.pick == 2)
        #expect(rule("strength")?.phases == ["recovery"])
        #expect(rule("rest-position")?.phases == ["acute"])

        let pressUp = try #require(p.exercise("press-up"))
        #expect(pressUp.dose.reps == 10)
        #expect(pressUp.category == .extension_)
        #expect(pressUp.cautions.contains { $0.lowercased().contains("centraliz") })
        #expect(pressUp.cautions.contains { $0.lowercased().contains("stenosis") })
        #expect(p.exercise("slump-glide")?.category == .nerveGlide)
        #expect(p.exercise("ninety-ninety")?.category == .restPosition)
        for id in ["childs-pose", "supine-glute-stretch", "figure-four", "knee-to-shoulder", "hamstring-stretch",
                   "pelvic-tilt", "glute-bridge", "clamshell", "modified-plank", "side-plank", "bird-dog", "knee-extension"] {
            #expect(p.exercise(id) != nil, "missing \(id)")
        }
        // Every exercise says how, and what to stop for where it matters.
        for e in p.exercises {
            #expect(!e.steps.isEmpty, "\(e.id) has no steps")
            #expect(!e.stopIf.isEmpty, "\(e.id) has no stop-if")
        }
        // No forward-flexion stretch in the acute phase.
        let acuteExercises = p.reminders.filter { $0.phases.isEmpty || $0.phases.contains("acute") }.flatMap(\.pool.exercises)
        #expect(!acuteExercises.contains("hamstring-stretch"))
        #expect(!acuteExercises.contains("childs-pose"))
    }

    @Test func deskBasicsLoadsWithTheFourKindsBetweenTheTwoPrograms() throws {
        let settings = LoadedSettings()
        let (p, diagnostics) = loader.loadProgram(file: shippedConfigDir + "/programs/desk-basics.toml",
                                                  id: "desk-basics", settings: settings.settings)
        #expect(diagnostics.isEmpty)
        let program = try #require(p)
        #expect(program.reminders.map(\.cadence.kindName) == ["sit-break", "interval", "fixed"])
        #expect(program.reminders[2].cadence == .fixed(times: [TimeOfDay("11:00")!, TimeOfDay("15:00")!], days: Weekday.workdays))
        #expect(!program.disclaimer.isEmpty && !program.redFlags.isEmpty)
    }

    @Test func shippedLimberTomlHoldsExactlyTheDefaults() throws {
        let (loaded, diagnostics, _) = loader.loadSettings()
        #expect(diagnostics.isEmpty)
        var expected = Settings()
        expected.enabledPrograms = [Settings.defaultProgram]
        #expect(loaded.settings == expected)
        #expect(loaded.plugins.isEmpty)
    }
}
