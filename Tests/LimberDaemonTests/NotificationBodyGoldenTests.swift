import Foundation
import Testing
import LimberConfig
@testable import LimberCore
@testable import LimberDaemon

/// The body of every shipped reminder, as a person sees it, compared with
/// reviewed texts in Golden/notification-bodies.txt. To accept a change
/// after reading it as someone in pain would:
///   LIMBER_REGENERATE_GOLDEN=1 swift test --filter NotificationBodyGoldenTests
@Suite struct NotificationBodyGoldenTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let golden = here.appendingPathComponent("Golden/notification-bodies.txt").path
    static let configDir = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config").path

    static func shippedPrograms() throws -> [Program] {
        let loader = ConfigLoader(searchPath: SearchPath(directories: [configDir]))
        let settings = Settings()
        return try ["sciatica-relief", "desk-basics"].map { id in
            let (p, _) = loader.loadProgram(file: configDir + "/programs/\(id).toml", id: id, settings: settings)
            return try #require(p)
        }
    }

    static let due = Date(timeIntervalSince1970: 1_795_000_000)

    static func item(_ p: Program, _ rule: ReminderRule) -> ReminderItem {
        let ids = rule.pool.order == .rotate ? Array(rule.pool.exercises.prefix(rule.pool.pick)) : rule.pool.exercises
        return ReminderItem(rule: RuleID(program: p.id, rule: rule.id), title: rule.title, message: rule.message,
                            exercises: ids.compactMap(p.exercise), dueAt: due, catchUp: false, snoozeCount: 0)
    }

    static func reminder(_ items: [ReminderItem]) -> Reminder {
        Reminder(id: 1, items: items, shownAt: due, expiresAt: due.addingTimeInterval(900), snoozeLength: .minutes(10))
    }

    /// Every shipped reminder alone, then merged ones.
    static func cases() throws -> [(String, Reminder)] {
        var out: [(String, Reminder)] = []
        let programs = try shippedPrograms()
        for p in programs {
            for rule in p.reminders { out.append(("\(p.id)/\(rule.id)", reminder([item(p, rule)]))) }
        }
        let s = programs[0]
        let rule = { (id: String) in s.reminders.first { $0.id == id }! }
        out.append(("merged: sit-break + press-ups", reminder([item(s, rule("sit-break")), item(s, rule("press-ups"))])))
        out.append(("merged: sit-break + press-ups + walks",
                    reminder([item(s, rule("sit-break")), item(s, rule("press-ups")), item(s, rule("walks"))])))
        var late = item(s, rule("walks"))
        late.catchUp = true
        out.append(("catch-up: walks", reminder([late])))
        return out
    }

    static func render() throws -> String {
        try cases().map { name, r in
            "== \(name): \(r.title)\n" + ReminderText.body(r, programs: []) + "\n"
        }.joined(separator: "\n")
    }

    @Test func everyShippedReminderReadsAsReviewed() throws {
        let text = try Self.render()
        if ProcessInfo.processInfo.environment["LIMBER_REGENERATE_GOLDEN"] == "1" {
            try text.write(toFile: Self.golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: Self.golden, encoding: .utf8)
        #expect(text == expected)
    }

    @Test func everyBodyIsAtMostSixLinesWithOneStopLine() throws {
        for (name, r) in try Self.cases() {
            let lines = ReminderText.body(r, programs: []).split(separator: "\n")
            #expect(lines.count <= ReminderText.maxLines, "\(name): \(lines.count) lines")
            #expect(lines.filter { $0.hasPrefix("Stop if") }.count <= 1, "\(name)")
            #expect(!lines.contains { $0.contains("Stop if Pain") || $0.contains("3m") }, "\(name)")
        }
    }

    @Test func eachExerciseShowsItsCueUnderItsNameAndDose() throws {
        let s = try Self.shippedPrograms()[0]
        let r = Self.reminder([Self.item(s, s.reminders.first { $0.id == "press-ups" }!)])
        let lines = ReminderText.body(r, programs: []).split(separator: "\n").map(String.init)
        #expect(lines == [
            s.reminders.first { $0.id == "press-ups" }!.message,
            "• Prone press-up — 10 reps",
            "  hips stay on the floor; only your upper body rises, back and buttocks loose",
            "Stop if pain, tingling or numbness spreads further down your leg.",
        ])
    }

    @Test func aLegacySentenceStopEntryIsNotPrefixedTwice() {
        #expect(ReminderText.stopSentence("Pain spreads.") == "Pain spreads.")
        #expect(ReminderText.stopSentence("pain spreads") == "Stop if pain spreads.")
    }
}
