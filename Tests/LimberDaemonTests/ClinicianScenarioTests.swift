import Foundation
import Testing
import LimberConfig
import LimberCore
import LimberDaemon

/// The clinician's program of issue 14, written from docs/program-format.md
/// alone (examples/clinician: phases of 14 days, 28 days and open-ended;
/// sit breaks of 30/45/50 min by phase; press-ups every 2 h on the grid
/// 08:00-20:00; fixed glides and strength days; a Sunday routine; the
/// person's lunch quiet hours, weekends off and a 40-minute sit break as a
/// drop-in): checked, explained on three days, and moved through its phases
/// by limberctl against a real limberd.
@Suite(.serialized) struct ClinicianScenarioTests {
    static let example = repositoryRoot + "/examples/clinician"

    /// A configuration directory: the example as ~/.config/limber.
    func configured(_ world: LimberWorld) throws {
        try FileManager.default.createDirectory(atPath: world.root + "/config", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: world.root + "/config/limber")
        try FileManager.default.copyItem(atPath: Self.example, toPath: world.root + "/config/limber")
    }

    @Test func checkIsCleanAndListsTheDropIn() throws {
        let r = try runTool(NotificationDaemonTests.limberdPath, ["--check", "-v", Self.example])
        #expect(r.code == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("read \(Self.example)/programs/clinic-back.toml\n"), "\(r.out)")
        #expect(r.out.contains("read \(Self.example)/programs/clinic-back.toml.d/50-mine.toml\n"), "\(r.out)")
        #expect(r.out.contains("sit-break (sit-break after 40m, reset by 5m idle)"), "the drop-in's 40 minutes in every phase: \(r.out)")
        #expect(r.out.contains("press-ups (every 2h in 08:00-20:00 on the grid; in acute, recovery)"), "\(r.out)")
    }

    @Test func explainShowsEachDaysPhaseTimesAndWhereValuesCameFrom() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try configured(world)
        let state = world.root + "/state/limber"
        // Started on Monday 2026-03-02 (kept in the state file, as `programs start` does).
        var s = EngineState(timeZone: TimeZone(identifier: "UTC")!)
        s.programStarted["clinic-back"] = Day("2026-03-02")?.start(in: TimeZone(identifier: "UTC")!)
        try StateStore(directory: state).save(s)
        func explain(_ args: String...) throws -> String {
            let r = try runTool(BuiltProducts.limberd, ["--explain", "clinic-back"] + args, environment: world.environment)
            #expect(r.code == 0, "\(r.err)")
            return r.out
        }
        // Day 1, a Monday in the flare: press-ups on the grid, the lunch hour quiet.
        let day1 = try explain("--date", "2026-03-02")
        #expect(day1.contains("Monday 2026-03-02: Flare, day 1 of 14"), "\(day1)")
        #expect(day1.contains("quiet hours 12:00–13:00 (limber.toml:5)"), "\(day1)")
        #expect(day1.contains("50-mine.toml: after (line 3)"), "\(day1)")
        #expect(day1.contains("that day: 08:00, 10:00, 13:00, 14:00, 16:00, 18:00, 20:00"), "press-ups: \(day1)")
        #expect(day1.contains("that day: 08:40, 09:20, 10:00, 10:40, 11:20, 13:40"), "sit breaks every 40 min: \(day1)")
        #expect(day1.contains("not in phase Flare"), "\(day1)")
        // Day 15: recovery; the glides start.
        let day15 = try explain("--date", "2026-03-16")
        #expect(day15.contains("Monday 2026-03-16: Recovery, day 1 of 28 (after 14 days of Flare"), "\(day15)")
        #expect(day15.contains("that day: 10:30, 15:30"), "\(day15)")
        // Day 43: maintenance, a Saturday off work: strength at 18:00 only fixed reminders.
        let day43 = try explain("--date", "2026-04-13")
        #expect(day43.contains("Monday 2026-04-13: Maintenance, day 1 (after 28 days of Recovery"), "\(day43)")
        let sunday = try explain("--date", "2026-04-19")
        #expect(sunday.contains("Sunday is a day off: only fixed-time reminders run."), "\(sunday)")
        #expect(sunday.contains("Sunday routine [sunday]"), "\(sunday)")
        #expect(sunday.contains("that day: 10:00"), "\(sunday)")
        // --phase shows a phase whatever the date; a typo gets a did-you-mean.
        #expect(try explain("--date", "2026-03-02", "--phase", "maintenance").contains("Maintenance, day 1 (--phase maintenance"))
        let typo = try runTool(BuiltProducts.limberd, ["--explain", "clinic-back", "--phase", "recovry"], environment: world.environment)
        #expect(typo.code == 1)
        #expect(typo.err.contains("did you mean 'recovery'?"), "\(typo.err)")
    }

    @Test func programsStartAndPhaseMoveItAndStatusSaysWhere() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try configured(world)
        try world.startDaemon()
        let cal = LocalCalendar(timeZone: world.timeZone)
        let started = cal.dayKey(cal.startOfDay(Date(), addingDays: -25))
        let start = try world.ctl("programs", "start", "clinic-back", "--on", started)
        #expect(start.code == 0, "\(start.err)")
        #expect(start.out.contains("clinic-back: Recovery, day 12 of 28"), "\(start.out)")
        #expect(start.out.contains("why:     after 14 days of Flare"), "\(start.out)")
        let status = try world.ctl("status")
        #expect(status.out.contains("phase:    Back home program: Recovery, day 12 of 28"), "\(status.out)")
        // Today's plan says the phase of each reminder (whatever the time of
        // day: empty in the evening, but never another phase's reminder).
        func todaysPhases() throws -> Set<String> {
            let today = try world.ctl("today", "--json")
            #expect(today.code == 0, "\(today.err)")
            return Set((today.json["upcoming"] as? [[String: Any]] ?? []).map { $0["phase"] as? String ?? "?" })
        }
        #expect(try todaysPhases().isSubset(of: ["recovery"]))
        // A new flare: back to the first phase, and why.
        let moved = try world.ctl("programs", "phase", "clinic-back", "acute", "--json")
        #expect(moved.code == 0, "\(moved.err)")
        #expect(moved.json["phase"] as? String == "acute")
        #expect((moved.json["reason"] as? String)?.hasPrefix("moved by you on ") == true, "\(moved.out)")
        // Kept in the state file, so it survives a restart.
        let saved = try StateStore(directory: world.root + "/state/limber").load()
        #expect(saved?.phaseMarks?["clinic-back"]?.phase == "acute")
        let again = try world.ctl("programs", "phase", "clinic-back")
        #expect(again.out.contains("clinic-back: Flare, day 1 of 14"), "\(again.out)")
        // `next` lists the other phases' reminders as such, not as due.
        let next = try world.ctl("next").out.split(separator: "\n")
        let glides = next.first { $0.contains("clinic-back/glides") } ?? ""
        #expect(glides.hasPrefix("not in this phase"), "\(next)")
        #expect(try todaysPhases().isSubset(of: ["acute"]))
        let bad = try world.ctl("programs", "phase", "clinic-back", "maintanance")
        #expect(bad.code != 0)
        #expect(bad.err.contains("has no phase 'maintanance'"), "\(bad.err)")
    }
}
