import LimberCore
import Testing
@testable import LimberConfig

/// Every cadence kind and pool shape parses into the model.
@Suite struct RuleKindsTests {
    func rule(_ body: String) -> ReminderRule? {
        let (p, d) = parseProgram(minimalProgram(extra: "[reminders.r]\n" + body + "\n"))
        #expect(errors(d) == [])
        return p?.reminders.first { $0.id == "r" }
    }

    @Test func sitBreakWithItsOwnNaturalBreak() {
        let r = rule("cadence = \"sit-break\"\ntitle = \"T\"\nafter = \"1h30m\"\nnatural_break = \"10m\"")
        #expect(r?.cadence == .sitBreak(after: .minutes(90), naturalBreak: .minutes(10)))
    }

    @Test func interval() {
        let r = rule("cadence = \"interval\"\ntitle = \"Press-ups\"\nevery = \"2h\"\nexercises = [\"walk\"]\ncatch_up = \"skip\"")
        #expect(r?.cadence == .interval(every: .hours(2)))
        #expect(r?.catchUp == .skip)
        #expect(r?.pool == ExercisePool(exercises: ["walk"], order: .fixed))
    }

    @Test func windowWithDefaultGap() {
        let r = rule("cadence = \"window\"\ntitle = \"Walks\"\ncount = 3\nbetween = \"09:00-18:00\"")
        // 9 hours, 3 times: half the even spacing, 1h30m.
        #expect(r?.cadence == .window(count: 3, window: DayWindow("09:00-18:00")!, minGap: .minutes(90)))
    }

    @Test func fixedTimesOnChosenDays() {
        let r = rule("cadence = \"fixed\"\ntitle = \"Lunch walk\"\nat = [\"17:00\", \"12:30\"]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]")
        #expect(r?.cadence == .fixed(times: [TimeOfDay("12:30")!, TimeOfDay("17:00")!], days: Weekday.workdays))
        let weekly = rule("cadence = \"fixed\"\ntitle = \"Weekly\"\nat = \"10:00\"\ndays = \"sunday\"")
        #expect(weekly?.cadence == .fixed(times: [TimeOfDay("10:00")!], days: [.sunday]))
        let daily = rule("cadence = \"fixed\"\ntitle = \"Daily\"\nat = \"08:00\"")
        #expect(daily?.cadence == .fixed(times: [TimeOfDay("08:00")!], days: Weekday.everyDay))
    }

    @Test func rotationAndPerRuleOverrides() {
        let (p, d) = parseProgram(minimalProgram(extra: """
            [exercises.a]
            name = "A"
            category = "stretch"
            position = "lying"
            hold = "30s"
            reps = 2
            per_side = true
            steps = ["a"]
            [exercises.b]
            name = "B"
            category = "nerve-glide"
            position = "sitting"
            steps = ["b"]
            [reminders.r]
            cadence = "interval"
            title = "T"
            every = "3h"
            order = "rotate"
            pick = 2
            exercises = ["a", "b", "walk"]
            snooze = "5m"
            max_snoozes = 1
            stays_up = "1h"
            """))
        #expect(errors(d) == [])
        let r = p?.reminders.first { $0.id == "r" }
        #expect(r?.pool == ExercisePool(exercises: ["a", "b", "walk"], order: .rotate, pick: 2))
        #expect(r?.snooze == .minutes(5) && r?.maxSnoozes == 1 && r?.staysUp == .hours(1))
        #expect(p?.exercise("a")?.dose == Dose(reps: 2, holdSeconds: 30, perSide: true))
        #expect(p?.exercise("a")?.dose.text == "2 reps, hold 30 s, each side")
        // Order of rules and exercises is the order written.
        #expect(p?.exercises.map(\.id) == ["a", "b", "walk"])
        #expect(p?.reminders.map(\.id) == ["r", "stand"])
    }

    @Test func aRuleWithNoExercisesIsATip() {
        let r = rule("cadence = \"interval\"\ntitle = \"Drink some water\"\nevery = \"90m\"")
        #expect(r?.pool.exercises == [])
    }
}
