import LimberCore
import Testing
@testable import LimberConfig

/// Each kind of mistake in a program file is reported at the right line and column.
@Suite struct ProgramErrorPositionTests {
    /// A program whose lines are numbered for the assertions below.
    func program(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    let header = [
        "schema = 1",                       // 1
        "id = \"mini\"",                    // 2
        "name = \"Mini\"",                  // 3
        "disclaimer = \"Not advice.\"",     // 4
        "",                                 // 5
        "[exercises.walk]",                 // 6
        "name = \"Walk\"",                  // 7
        "category = \"cardio\"",            // 8
        "position = \"standing\"",          // 9
        "steps = [\"Walk.\"]",              // 10
        "",                                 // 11
        "[exercises.bridge]",               // 12
        "name = \"Bridge\"",                // 13
        "category = \"strength\"",          // 14
        "position = \"lying\"",             // 15
        "steps = [\"Lift.\"]",              // 16
        "",                                 // 17
        "[phases.acute]",                   // 18
        "name = \"Acute\"",                 // 19
        "days = 7",                         // 20
        "[phases.later]",                   // 21
        "name = \"Later\"",                 // 22
        "",                                 // 23
        "[reminders.r]",                    // 24
    ]

    /// The header plus rule lines starting at line 25.
    func rule(_ lines: String...) -> [String] {
        let (_, d) = parseProgram(program(header + lines))
        return d
    }

    @Test func validBaseHasNoDiagnostics() {
        #expect(rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "exercises = [\"walk\", \"bridge\"]") == [])
    }

    @Test func badDurationPointsAtTheValue() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"soon\"")
        #expect(d == ["27:9: 'every' must be a duration like \"2h\"; \"soon\": it does not start with a number (write a number and a unit, like \"45m\", \"1h30m\", \"1.5h\" or \"90 min\")"])
    }

    @Test func durationWithoutUnitIsRejected() {
        let d = rule("cadence = \"sit-break\"", "title = \"T\"", "after = 45")
        #expect(d == ["27:9: 'after' must be a duration like \"45m\""])
    }

    @Test func unknownKeyPointsAtTheKeyAndSuggests() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "  snoze = \"5m\"")
        #expect(d == ["28:3: unknown key 'snoze' in reminder 'r'; did you mean 'snooze'?"])
    }

    @Test func keyOfAnotherCadenceSaysWhichKindItBelongsTo() {
        let d = rule("cadence = \"sit-break\"", "title = \"T\"", "after = \"45m\"", "every = \"2h\"")
        #expect(d == ["28:1: unknown key 'every' in reminder 'r'; 'every' belongs to interval reminders; a sit-break reminder uses 'after', 'natural_break', 'range'"])
    }

    @Test func wrongTypePointsAtTheValue() {
        let d = rule("cadence = \"interval\"", "title = 5", "every = \"2h\"")
        #expect(d == ["26:9: 'title' must be a string, not an integer"])
    }

    @Test func missingFieldPointsAtTheTableHeader() {
        let d = rule("cadence = \"interval\"", "every = \"2h\"")
        #expect(d == ["24:1: reminder 'r' is missing 'title'"])
    }

    @Test func unknownCadenceSuggestsTheClosest() {
        let d = rule("cadence = \"intervall\"", "title = \"T\"")
        #expect(d == ["25:11: 'cadence' must be one of \"sit-break\", \"interval\", \"window\", \"fixed\"; got \"intervall\" (did you mean \"interval\"?)"])
    }

    @Test func unknownExerciseInPoolPointsAtTheElement() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "exercises = [\"walk\", \"bridg\"]")
        #expect(d == ["28:22: unknown exercise 'bridg'; did you mean 'bridge'?"])
    }

    @Test func unknownPhasePointsAtTheElement() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "phases = [\"acute\", \"maintenance\"]")
        #expect(d == ["28:20: unknown phase 'maintenance' (phases: acute, later)"])
    }

    @Test func pickLargerThanThePool() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "order = \"rotate\"",
                     "exercises = [\"walk\", \"bridge\"]", "pick = 3")
        #expect(d == ["30:8: 'pick' is 3 but the pool has only 2 exercises"])
    }

    @Test func pickWithoutRotation() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "exercises = [\"walk\"]", "pick = 1")
        #expect(d == ["29:1: 'pick' only applies to a rotation; add order = \"rotate\""])
    }

    @Test func afterOutsideItsRange() {
        let d = rule("cadence = \"sit-break\"", "title = \"T\"", "after = \"90m\"", "range = [\"30m\", \"60m\"]")
        #expect(d == ["27:9: 'after' must be between 30m and 1h for this reminder; got 1h30m"])
    }

    @Test func badTimeAndBadWeekdayPointAtTheirElements() {
        let d = rule("cadence = \"fixed\"", "title = \"T\"", "at = [\"12:30\", \"25:00\"]", "days = [\"mon\", \"fryday\"]")
        #expect(d == ["27:16: 'at' must be a time like \"12:30\" (24-hour clock); got \"25:00\"",
                      "28:16: 'fryday' is not a weekday; write \"mon\", \"tue\", ... \"sun\""])
    }

    @Test func windowThatCannotHoldItsCount() {
        let d = rule("cadence = \"window\"", "title = \"T\"", "count = 4", "between = \"09:00-12:00\"", "min_gap = \"1h30m\"")
        #expect(d == ["29:11: 4 reminders at least 1h30m apart don't fit in 09:00-12:00"])
    }

    @Test func badWindowText() {
        let d = rule("cadence = \"window\"", "title = \"T\"", "count = 3", "between = \"9 to 5\"")
        #expect(d == ["28:11: 'between' must be a time window like \"09:00-17:30\""])
    }

    @Test func integerOutOfRange() {
        let d = rule("cadence = \"interval\"", "title = \"T\"", "every = \"2h\"", "max_snoozes = -1")
        #expect(d == ["28:15: 'max_snoozes' must be between 0 and 20; got -1"])
    }

    @Test func allErrorsAreCollectedNotJustTheFirst() {
        let d = rule("cadence = \"window\"", "title = 1", "count = 0", "between = \"x\"", "catch_up = \"later\"", "colour = 1")
        #expect(d == [
            "30:1: unknown key 'colour' in reminder 'r'",
            "26:9: 'title' must be a string, not an integer",
            "29:12: 'catch_up' must be one of \"once\", \"skip\"; got \"later\"",
            "27:9: 'count' must be between 1 and 48; got 0",
            "28:11: 'between' must be a time window like \"09:00-17:30\"",
        ])
    }

    @Test func schemaAndIdAreChecked() {
        let text = program(header + ["cadence = \"interval\"", "title = \"T\"", "every = \"2h\""])
            .replacingOccurrences(of: "schema = 1", with: "schema = 2")
            .replacingOccurrences(of: "id = \"mini\"", with: "id = \"other\"")
        let (p, d) = parseProgram(text)
        #expect(p == nil)
        #expect(d == ["1:10: 'schema' must be 1 (the only program format this limber reads); got 2",
                      "2:6: 'id' is \"other\" but the file is named mini.toml; they must match"])
    }

    @Test func missingTopLevelFieldsPointAtTheFileStart() {
        let (_, d) = parseProgram("[reminders.r]\ncadence = \"interval\"\ntitle = \"T\"\nevery = \"1h\"\n")
        #expect(errors(d) == ["1:1: the program is missing 'schema'", "1:1: the program is missing 'id'",
                              "1:1: the program is missing 'name'"])
        #expect(d.contains("1:1: warning: the program has no 'disclaimer'; say that it gives movement reminders, not medical advice"))
    }

    @Test func onlyTheLastPhaseMayBeOpenEnded() {
        let text = program(header + ["cadence = \"interval\"", "title = \"T\"", "every = \"2h\""])
            .replacingOccurrences(of: "days = 7\n", with: "\n")
        let (_, d) = parseProgram(text)
        #expect(d == ["18:1: phase 'acute' needs 'days': only the last phase may be open-ended"])
    }

    @Test func invalidIdsAreRejectedAtTheKey() {
        let (_, d) = parseProgram(minimalProgram(extra: "[exercises.\"Big Walk\"]\nname = \"x\"\ncategory = \"cardio\"\nposition = \"standing\"\n"))
        #expect(errors(d) == ["5:12: 'Big Walk' is not a valid exercise id: use lower-case letters, digits, '-' and '_'"])
    }

    @Test func badCategoryAndPositionPointAtTheirValues() {
        let (_, d) = parseProgram(minimalProgram().replacingOccurrences(of: "category = \"cardio\"", with: "category = \"cardi0\"")
            .replacingOccurrences(of: "position = \"standing\"", with: "position = \"upside-down\""))
        #expect(d == [
            "14:12: 'category' must be one of \"stretch\", \"strength\", \"nerve-glide\", \"extension\", \"cardio\", \"posture\", \"rest-position\", \"flexion\"; got \"cardi0\" (did you mean \"cardio\"?)",
            "15:12: 'position' must be one of \"standing\", \"sitting\", \"lying\", \"floor\"; got \"upside-down\"",
        ])
    }

    @Test func duplicateIdsAreSyntaxErrorsWithTheirPosition() {
        let text = minimalProgram() + "[exercises.walk]\nname = \"Again\"\n"
        let (p, d) = parseProgram(text)
        #expect(p == nil)
        #expect(d.count == 1)
        // At the key that repeats the id (TOMLKit said 17:1, the header's '[').
        #expect(d == ["17:12: TOML syntax error: table [exercises.walk] is defined twice; the first is on line 12"])
    }

    @Test func aTableWhereAScalarBelongs() {
        let (_, d) = parseProgram(minimalProgram(extra: "[name]\nx = 1\n"))
        #expect(d.first?.contains("TOML syntax error") == true, "\(d)")
    }

    @Test func exercisesMustBeTables() {
        let (_, d) = parseProgram("schema = 1\nid = \"mini\"\nname = \"M\"\ndisclaimer = \"d\"\nexercises = [\"walk\"]\n[reminders.r]\ncadence = \"interval\"\ntitle = \"T\"\nevery = \"1h\"\n")
        #expect(d == ["5:13: 'exercises' must be a table of exercises like [exercises.my-id], not an array"])
    }
}
