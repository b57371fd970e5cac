import Foundation
import LimberCore
import Testing
@testable import LimberConfig

@Suite struct ShippedProgramsTests {
    let loader = ConfigLoader(searchPath: SearchPath(directories: [shippedConfigDir]))

    @Test func shippedConfigurationChecksCleanWithoutWarnings() {
        let report = loader.check()
        // The one warning allowed: a partial program translation (docs/translating.md).
        #expect(report.diagnostics.filter { !isPartialTranslation($0) }.map(\.description) == [])
        #expect(report.exitCode == 0)
        #expect(report.lines.filter { !$0.contains("): translation") }.count == 2)
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
        // Bending stretches stay out until the person confirms the flare settled.
        #expect(p.phases[0].advance == .confirm(question: "Has the flare settled?", askEveryDays: 3))
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
        // The routine runs through the week, not once a week.
        #expect(rule("weekly-routine")?.cadence == .fixed(times: [TimeOfDay("17:30")!], days: [.monday, .wednesday, .friday]))
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
        // Slumping is a forward bend too: no glides during the flare.
        #expect(!acuteExercises.contains("slump-glide"))
    }

    @Test func everyShippedExerciseHasOneLineCueAndClausesToStopFor() throws {
        let config = try #require(loader.loadAll().configuration)
        var programs = config.programs
        let (desk, _) = loader.loadProgram(file: shippedConfigDir + "/programs/desk-basics.toml", id: "desk-basics",
                                           settings: config.settings)
        programs.append(try #require(desk))
        for p in programs {
            for e in p.exercises {
                #expect(!e.cue.isEmpty, "\(p.id)/\(e.id) has no cue")
                #expect(e.cue.count <= 85, "\(p.id)/\(e.id): cue is \(e.cue.count) characters")
                #expect(!e.allowEasier, "\(p.id)/\(e.id): shipped doses stay prescribed")
                for clause in e.stopIf {
                    #expect(clause.first?.isLowercase == true && !clause.hasSuffix("."), "\(p.id)/\(e.id): '\(clause)' is not a clause")
                }
            }
            // No text tells the person how they feel.
            let texts = [p.summary] + p.phases.map(\.summary) + p.reminders.map(\.message)
            for t in texts { #expect(!t.lowercased().contains("the pain has settled"), "\(t)") }
        }
    }

    @Test func sciaticaContentFollowsTheReviewedSources() throws {
        let p = try #require(loader.loadAll().configuration?.program("sciatica-relief"))
        // Bladder, bowel and saddle: the emergency department now; foot drop and weakness: urgent care today.
        let flag = { (word: String) in p.redFlags.first { $0.lowercased().contains(word) } ?? "" }
        #expect(flag("bladder").contains("emergency department now"))
        #expect(flag("saddle").contains("emergency department now"))
        #expect(flag("foot drop").contains("urgent care today"))
        #expect(flag("weakness").contains("urgent care today"))
        // A foot that drags on a walk is foot drop, and the walk says so.
        #expect(p.exercise("walk-10")?.stopIf.first?.contains("drag") == true)
        // The glide is a slider: both ends move the same way.
        let glide = try #require(p.exercise("slump-glide"))
        #expect(glide.steps.joined(separator: " ").contains("straighten the knee of the sore leg while you tip your head back"))
        #expect(glide.steps.joined(separator: " ").contains("bend the knee back down while you bring your chin"))
        // The towel goes behind the thigh.
        #expect(p.exercise("hamstring-stretch")?.steps.joined().contains("behind that thigh") == true)
        // Stretch stop lines name tingling and numbness.
        for e in p.exercises where e.category == .stretch {
            #expect(e.stopIf.contains { $0.contains("tingling") && $0.contains("numbness") }, "\(e.id)")
        }
        // The other direction for people whom press-ups make worse.
        #expect(p.exercise("knees-to-chest")?.category == .flexion)
        #expect(p.exercise("press-up")?.cautions.contains { $0.contains("knees to chest") } == true)
        #expect(p.sources.contains { $0.contains("general practice") })
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
