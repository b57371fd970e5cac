import Foundation
import Logging
import Testing
@testable import LimberCore
@testable import LimberDaemon

/// State files written before rule stages (Fixtures/README.md) load with
/// each rule in the stage its old fields meant, and the engine goes on
/// from them.
@Suite struct StateMigrationTests {
    func load(_ fixture: String) throws -> EngineState {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: repositoryRoot + "/Tests/LimberDaemonTests/Fixtures/" + fixture,
                                         toPath: dir + "/state.json")
        return try #require(try StateStore(directory: dir).load())
    }

    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func stages(_ s: EngineState) -> [String: RuleStage] {
        Dictionary(uniqueKeysWithValues: zip(s.ruleIDs.map(\.rule), s.ruleStates.map(\.stage)))
    }

    @Test func awayFixture() throws {
        let s = try load("state-0-away.json")
        let st = stages(s)
        #expect(st["sit"] == .counting(since: .seconds(16300)))
        #expect(st["press"] == .scheduled)
        #expect(st["walks"] == .scheduled)
        #expect(st["lunch"] == .catchingUp(since: utc("2026-11-23T11:30:00Z"), at: utc("2026-11-23T11:47:00Z")))
        #expect(st["evening"] == .scheduled)
        let press = try #require(s.ruleStates[1].due)
        #expect(press == utc("2026-11-23T12:25:00Z"))
        #expect(s.ruleStates[3].lastOccurrence == "2026-11-23 12:30")
        #expect(s.ruleStates[2].firedCount == 2)
        #expect(s.showing == nil && s.reviewing == nil)
    }

    @Test func showingFixture() throws {
        let s = try load("state-0-showing.json")
        let st = stages(s)
        let sit = Moment(wall: utc("2026-11-23T09:50:00Z"), uptime: .seconds(9400))
        #expect(st["sit"] == .snoozed(until: sit, dueAt: utc("2026-11-23T08:15:00Z")))
        #expect(s.ruleStates[0].snoozeCount == 1)
        #expect(st["press"] == .showing)
        #expect(st["walks"] == .showing)
        #expect(s.showing?.items.map(\.rule.rule) == ["press", "walks"])
    }

    /// Saved again, the file has the stage and none of the old fields, and
    /// reads back the same.
    @Test func savedAgainInTheNewFormat() throws {
        for fixture in ["state-0-away.json", "state-0-showing.json"] {
            let s = try load(fixture)
            let dir = tempDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try StateStore(directory: dir).save(s)
            let text = try String(contentsOfFile: dir + "/state.json", encoding: .utf8)
            #expect(text.contains("\"stage\""))
            for old in ["snoozedUntil", "pendingSince", "catchUpAt", "countingSince", "snoozeDueAt", "\"showing\":false"] {
                #expect(!text.contains(old), "\(fixture): \(old)")
            }
            #expect(try StateStore(directory: dir).load() == s)
        }
    }

    /// The migrated file's program: "walks" is on screen with "press", the
    /// sit break is snoozed until 09:50. `walksAreBreaks`: Done on a walk
    /// counts as a break for the sit breaks (the default since #14).
    func engineOnShowingFixture(walksAreBreaks: Bool) throws -> (Engine, Moment) {
        let s = try load("state-0-showing.json")
        let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing)
        let pressUp = Exercise(id: "press-up", name: "Prone press-up", category: .extension_, position: .floor)
        let bridge = Exercise(id: "bridge", name: "Glute bridge", category: .strength, position: .floor)
        func rule(_ id: String, _ cadence: Cadence, _ ex: String) -> ReminderRule {
            var r = ReminderRule(id: id, title: id, cadence: cadence, pool: ExercisePool(exercises: [ex]))
            if !walksAreBreaks { r.countsAsBreak = false }
            return r
        }
        let config = Configuration(programs: [Program(id: "test", name: "Test", exercises: [walk, pressUp, bridge], reminders: [
            rule("sit", .sitBreak(after: .minutes(45), naturalBreak: .minutes(5)), "walk"),
            rule("press", .interval(every: .hours(2)), "press-up"),
            rule("walks", .window(count: 3, window: DayWindow("09:00-18:00")!, minGap: .minutes(90)), "walk"),
            rule("lunch", .fixed(times: [TimeOfDay("12:30")!], days: Weekday.workdays), "walk"),
            rule("evening", .fixed(times: [TimeOfDay("19:00")!], days: Weekday.workdays), "bridge"),
        ])], settings: Settings(workingHours: DayWindow("08:00-20:00")!))
        let now = Moment(wall: utc("2026-11-23T09:36:00Z"), uptime: .seconds(8560))
        return (Engine(configuration: config, state: s, timeZone: TimeZone(identifier: "Europe/Berlin")!, now: now), now)
    }

    func doneCount(_ t: Step) -> Int {
        t.effects.filter { if case .record(let o) = $0 { o.kind == .done } else { false } }.count
    }

    /// The engine goes on from a migrated file: the reminder on screen is
    /// answered, the snoozed sit break comes back exactly when it was due.
    /// (Its walks rule is no break here, so the snooze stands.)
    @Test func theEngineGoesOnFromIt() throws {
        var (engine, now) = try engineOnShowingFixture(walksAreBreaks: false)
        let answered = engine.handle(.answer(nil, .done), at: now)
        #expect(doneCount(answered) == 2)
        #expect(engine.state.showing == nil)
        #expect(answered.nextDeadline == utc("2026-11-23T09:50:00Z"), "the snoozed sit break")
        now = Moment(wall: utc("2026-11-23T09:50:00Z"), uptime: .seconds(9400))
        let back = engine.handle(.timer, at: now)
        #expect(back.effects.contains { if case .show(let r) = $0 { r.items.map(\.rule.rule) == ["sit"] } else { false } })
    }

    /// With the default since #14, Done on the walk shown from the migrated
    /// file is a break: the snoozed sit break does not come back at 09:50,
    /// its 45 minutes count again from the Done (10:21).
    @Test func aWalkDoneFromItAnswersTheSnoozedSitBreak() throws {
        var (engine, now) = try engineOnShowingFixture(walksAreBreaks: true)
        let answered = engine.handle(.answer(nil, .done), at: now)
        #expect(doneCount(answered) == 2)
        #expect(engine.state.showing == nil)
        #expect(answered.nextDeadline == utc("2026-11-23T10:21:00Z"), "the sit break counting from the walk")
        now = Moment(wall: utc("2026-11-23T09:50:00Z"), uptime: .seconds(9400))
        let quiet = engine.handle(.timer, at: now)
        #expect(!quiet.effects.contains { if case .show = $0 { true } else { false } })
    }
}
