import Testing
import Foundation
@testable import LimberCore

@Suite struct SnoozeTests {
    @Test func snoozeDelaysByExactlyItsLength() {
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()]), start: "2026-11-23 08:00")
        sim.advance(to: "2026-11-23 10:02:13")
        sim.send(.answer(nil, .snooze(.minutes(10))))
        sim.advance(to: "2026-11-23 10:30")
        #expect(sim.newShows.map(\.at) == [sim.at("2026-11-23 10:00"), sim.at("2026-11-23 10:12:13")])
        #expect(sim.outcomes(.snoozed).first?.snooze == .minutes(10))
    }

    @Test func snoozeLimitThenOnlyDoneOrSkip() {
        var rule = Fixtures.pressUps()
        rule.maxSnoozes = 2
        var sim = Simulator(config: Fixtures.config([rule]), start: "2026-11-23 08:00")
        sim.advance(to: "2026-11-23 10:00")
        #expect(sim.showing?.snoozeLength == .minutes(10))
        sim.send(.answer(nil, .snooze(nil)))
        sim.advance(by: .minutes(10))
        sim.send(.answer(nil, .snooze(nil)))
        sim.advance(by: .minutes(10))
        #expect(sim.showing != nil)
        #expect(sim.showing?.snoozeLength == nil)
        sim.send(.answer(nil, .snooze(nil)))
        #expect(sim.outcomes.last?.kind == .skipped)
        #expect(sim.outcomes.last?.note == "snooze limit reached")
    }

    @Test func snoozeNeverShorterThanTheCoalescingWindow() {
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()]), start: "2026-11-23 08:00")
        sim.advance(to: "2026-11-23 10:00")
        sim.send(.answer(nil, .snooze(.minutes(1))))
        sim.advance(to: "2026-11-23 10:20")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["10:00", "10:05"])
    }
}

@Suite struct CoalescingTests {
    @Test func remindersDueTogetherAreMerged() {
        let a = Fixtures.lunchWalk("12:30")
        var b = Fixtures.lunchWalk("12:33"); b.id = "glides"; b.title = "Nerve glides"; b.pool = ExercisePool(exercises: ["glide"])
        var sim = Simulator(config: Fixtures.config([a, b]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:40")
        #expect(sim.newShows.count == 1)
        #expect(sim.newShows.first.map { sim.hm($0.at) } == "12:30")
        #expect(sim.showing?.items.map(\.rule.rule) == ["lunch", "glides"])
        #expect(sim.showing?.title == "Lunch walk + Nerve glides")
    }

    @Test func noTwoRemindersWithinTheWindow() {
        let a = Fixtures.lunchWalk("12:30")
        var b = Fixtures.lunchWalk("12:37"); b.id = "glides"
        var sim = Simulator(config: Fixtures.config([a, b]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-11-23 12:50")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["12:30", "12:37"])
    }

    @Test func dueWhileShowingUpdatesInPlace() {
        let a = Fixtures.lunchWalk("12:30")
        var b = Fixtures.lunchWalk("12:40"); b.id = "glides"
        var sim = Simulator(config: Fixtures.config([a, b]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:41")
        #expect(sim.newShows.count == 1)
        #expect(sim.shows.count == 2)
        #expect(sim.shows.last?.reminder.items.count == 2)
        #expect(sim.shows[0].reminder.id == sim.shows[1].reminder.id)
    }

    @Test func othersWaitForASnoozeComingBack() {
        let a = Fixtures.lunchWalk("12:00")
        var b = Fixtures.lunchWalk("12:08"); b.id = "glides"
        var sim = Simulator(config: Fixtures.config([a, b]), start: "2026-11-23 11:00")
        sim.advance(to: "2026-11-23 12:00")
        sim.send(.answer(nil, .snooze(.minutes(10))))
        sim.advance(to: "2026-11-23 12:30")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["12:00", "12:10"])
        #expect(sim.newShows.last?.reminder.items.count == 2)
    }
}

@Suite struct CatchUpTests {
    @Test func suspendOverLunchGivesOneMergedCatchUp() {
        var press = Fixtures.pressUps()
        press.cadence = .interval(every: .hours(4))
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk(), press, Fixtures.sitBreak()]), start: "2026-11-23 08:00")
        sim.advance(to: "2026-11-23 08:45")
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-11-23 09:00")
        sim.suspend(until: sim.at("2026-11-23 14:00"))
        #expect(sim.showing == nil)
        sim.clearLog()
        sim.advance(to: "2026-11-23 14:01")
        #expect(sim.newShows.isEmpty)  // nothing pops up right after a resume
        sim.advance(to: "2026-11-23 14:03")
        #expect(sim.newShows.count == 1)
        #expect(sim.newShows.first.map { sim.hm($0.at) } == "14:02")
        let items = sim.newShows.first?.reminder.items ?? []
        #expect(Set(items.map(\.rule.rule)) == ["lunch", "press"])
        #expect(items.allSatisfy { $0.catchUp })
        // The sleep was a natural break: the sit break counts afresh.
        #expect(!items.contains { $0.rule.rule == "sit" })
    }

    @Test func skipPolicyRecordsMissed() {
        var lunch = Fixtures.lunchWalk()
        lunch.catchUp = .skip
        var sim = Simulator(config: Fixtures.config([lunch]), start: "2026-11-23 12:00")
        sim.send(.locked)
        sim.advance(to: "2026-11-23 15:00")
        sim.send(.unlocked)
        sim.advance(to: "2026-11-23 16:00")
        #expect(sim.newShows.isEmpty)
        #expect(sim.outcomes(.missed).count == 1)
        #expect(sim.outcomes(.missed).first?.dueAt == sim.at("2026-11-23 12:30"))
    }

    @Test func manyMissedOccurrencesMakeOneCatchUp() {
        var press = Fixtures.pressUps()
        press.cadence = .interval(every: .minutes(30))
        var sim = Simulator(config: Fixtures.config([press]), start: "2026-11-23 08:00")
        sim.suspend(until: sim.at("2026-11-23 16:00"))
        sim.advance(to: "2026-11-23 16:20")
        #expect(sim.newShows.count == 1)
        #expect(sim.outcomes(.shown).count == 1)
    }
}

@Suite struct ClockTests {
    @Test func clockForwardOverSeveralDueTimesShowsOne() {
        let a = Fixtures.lunchWalk("12:30")
        var b = Fixtures.lunchWalk("13:30"); b.id = "b"
        var c = Fixtures.lunchWalk("14:30"); c.id = "c"
        var sim = Simulator(config: Fixtures.config([a, b, c]), start: "2026-11-23 12:00")
        sim.setClock(to: sim.at("2026-11-23 15:00"))
        sim.advance(to: "2026-11-23 15:10")
        #expect(sim.newShows.count == 1)
        #expect(sim.newShows.first?.reminder.items.count == 3)
    }

    @Test func clockSetBackDoesNotStretchIntervals() {
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()]), start: "2026-11-23 08:00")
        sim.advance(to: "2026-11-23 10:00")
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-11-23 11:00")
        sim.setClock(to: sim.at("2026-11-23 10:00"))
        // One real hour later the press-ups are due (clock reads 11:00).
        sim.advance(to: "2026-11-23 11:01")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["10:00", "11:00"])
    }

    @Test func sitBreakCountsRealTimeAcrossAJump() {
        var sim = Simulator(config: Fixtures.config([Fixtures.sitBreak()]), start: "2026-11-23 09:00")
        sim.advance(to: "2026-11-23 09:30")
        sim.setClock(to: sim.at("2026-11-23 12:30"))
        sim.advance(to: "2026-11-23 12:44")
        #expect(sim.newShows.isEmpty)
        sim.advance(to: "2026-11-23 12:46")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["12:45"])
    }

    @Test func timeZoneChangeMovesFixedTimes() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 08:00")
        sim.send(.timeZoneChanged(TimeZone(identifier: "Europe/London")!))
        sim.advance(to: sim.at("2026-11-23 14:00"))
        // 12:30 in London is 13:30 in Berlin.
        #expect(sim.newShows.map { sim.hm($0.at) } == ["13:30"])
    }
}

@Suite struct DSTTests {
    @Test func springForwardMovesAMissingTimeToTheNextValidOne() {
        let night = ReminderRule(id: "night", title: "Stretch", cadence: .fixed(times: [TimeOfDay("02:30")!], days: Weekday.everyDay),
                                 pool: ExercisePool(exercises: ["walk"]))
        var sim = Simulator(config: Fixtures.config([night]), start: "2026-03-28 12:00")
        sim.advance(to: "2026-03-29 12:00")
        #expect(sim.newShows.count == 1)
        #expect(sim.newShows.first.map { sim.hm($0.at) } == "03:00")
    }

    @Test func fallBackFiresTheRepeatedHourOnce() {
        let night = ReminderRule(id: "night", title: "Stretch", cadence: .fixed(times: [TimeOfDay("02:30")!], days: Weekday.everyDay),
                                 pool: ExercisePool(exercises: ["walk"]))
        var sim = Simulator(config: Fixtures.config([night]), start: "2026-10-24 12:00")
        sim.advance(to: "2026-10-25 12:00")
        #expect(sim.newShows.count == 1)
        sim.advance(to: "2026-10-26 12:00")
        #expect(sim.newShows.count == 2)
    }

    @Test func intervalAcrossDSTKeepsRealHours() {
        let settings = Settings(workingHours: DayWindow("00:00-24:00")!)
        var sim = Simulator(config: Fixtures.config([Fixtures.pressUps()], settings: settings), start: "2026-10-25 01:00")
        sim.advance(by: .minutes(130))
        // 01:00 CEST + 2 real hours = 02:00 CET.
        #expect(sim.newShows.map { $0.at.timeIntervalSince(sim.at("2026-10-25 01:00")) } == [7200])
    }
}

@Suite struct QuietHoursAndPauseTests {
    @Test func quietHoursPostponeNotLose() {
        let settings = Settings(workingHours: DayWindow("08:00-20:00")!, quietHours: [DayWindow("12:00-13:00")!])
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()], settings: settings), start: "2026-11-23 11:00")
        sim.advance(to: "2026-11-23 12:59")
        #expect(sim.newShows.isEmpty)
        sim.advance(to: "2026-11-23 13:05")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["13:00"])
        #expect(sim.newShows.first?.reminder.isCatchUp == true)
    }

    @Test func pauseHoldsAndResumeCatchesUp() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 12:00")
        sim.send(.pause(until: sim.at("2026-11-23 14:00")))
        #expect(sim.engine.status(at: sim.now).line(now: sim.now.wall).hasPrefix("paused for 2 h"))
        sim.advance(to: "2026-11-23 13:59")
        #expect(sim.newShows.isEmpty)
        sim.advance(to: "2026-11-23 14:01")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["14:00"])
    }

    @Test func pauseWithdrawsTheShowingOne() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        sim.send(.pause(until: nil))
        #expect(sim.showing == nil)
        sim.advance(to: "2026-11-23 18:00")
        #expect(sim.newShows.count == 1)
        sim.send(.resume)
        #expect(sim.newShows.count == 2)
    }

    @Test func triggerShowsNow() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 09:00")
        sim.send(.trigger(RuleID(program: "test", rule: "lunch")))
        #expect(sim.newShows.map { sim.hm($0.at) } == ["09:00"])
        sim.send(.answer(nil, .done))
        sim.advance(to: "2026-11-23 12:31")
        #expect(sim.newShows.count == 2)
    }
}

@Suite struct ReloadTests {
    @Test func reloadWhileShownKeepsIt() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk(), Fixtures.pressUps()]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        let id = sim.showing?.id
        sim.send(.reload(Fixtures.config([Fixtures.lunchWalk(), Fixtures.pressUps(every: 3)])))
        #expect(sim.showing?.id == id)
        #expect(!sim.log.contains { if case .withdraw = $0.effect { true } else { false } })
    }

    @Test func reloadRemovingTheShownRuleWithdrawsIt() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        sim.send(.reload(Fixtures.config([Fixtures.pressUps()])))
        #expect(sim.showing == nil)
        #expect(sim.log.contains { if case .withdraw(_, .reload) = $0.effect { true } else { false } })
    }

    @Test func reloadKeepsASnooze() {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        sim.send(.answer(nil, .snooze(.minutes(20))))
        sim.send(.reload(Fixtures.config([Fixtures.lunchWalk(), Fixtures.pressUps(every: 5)])))
        sim.advance(to: "2026-11-23 13:00")
        #expect(sim.newShows.map { sim.hm($0.at) } == ["12:30", "12:51"])
    }

    @Test func stateSurvivesARestart() throws {
        var sim = Simulator(config: Fixtures.config([Fixtures.lunchWalk()]), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        sim.send(.answer(nil, .snooze(.minutes(20))))
        let saved = try JSONEncoder().encode(sim.engine.state)
        let restored = try JSONDecoder().decode(EngineState.self, from: saved)
        var engine = Engine(configuration: sim.engine.configuration, state: restored,
                            timeZone: sim.calendar.timeZone, now: sim.now)
        let step = engine.handle(.timer, at: sim.now)
        #expect(step.nextDeadline == sim.at("2026-11-23 12:51"))
    }
}

@Suite struct ScaleTests {
    @Test func tenThousandRemindersAtOnce() {
        let rules = (0..<10_000).map { i -> ReminderRule in
            var r = Fixtures.lunchWalk()
            r.id = "r\(i)"
            return r
        }
        var sim = Simulator(config: Fixtures.config(rules), start: "2026-11-23 12:00")
        sim.advance(to: "2026-11-23 12:31")
        #expect(sim.newShows.count == 1)
        #expect(sim.showing?.items.count == 10_000)
        sim.send(.answer(nil, .done))
        #expect(sim.outcomes(.done).count == 10_000)
        #expect(sim.deadline == sim.at("2026-11-24 12:30"))
    }
}
