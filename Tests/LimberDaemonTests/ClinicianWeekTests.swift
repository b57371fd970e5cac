import Foundation
import Testing
import LimberConfig
import LimberCore

/// A simulated week of the clinician's program (examples/clinician, the
/// worked example of docs/program-format.md) in the core, time driven by
/// hand: a person at the desk who answers Done at once. The flare week, then
/// a start date moved back to make it day 15 (recovery) and day 43
/// (maintenance).
@Suite struct ClinicianWeekTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func configuration() throws -> Configuration {
        let loader = ConfigLoader(searchPath: SearchPath(directories: [repositoryRoot + "/examples/clinician"]))
        let result = loader.loadAll()
        #expect(result.errors.isEmpty, "\(result.errors)")
        return try #require(result.configuration)
    }

    static func date(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.timeZone = utc
        return f.date(from: text.replacingOccurrences(of: " ", with: "T") + ":00Z")!
    }

    /// Runs from Monday 2026-03-02 07:00 for a week; returns "rule@Day HH:MM" for every item shown.
    static func week(startedOn start: String?) throws -> [String] {
        var now = Moment(wall: date("2026-03-02 07:00"), uptime: .seconds(100))
        var engine = Engine(configuration: try configuration(), timeZone: utc, now: now)
        if let start { _ = engine.handle(.startProgram("clinic-back", on: date(start + " 00:00")), at: now) }
        let cal = LocalCalendar(timeZone: utc)
        var shown: [String] = []
        var step = engine.handle(.timer, at: now)
        let end = date("2026-03-09 00:00")
        var guardCount = 0
        while guardCount < 5000 {
            guardCount += 1
            for case .show(let r) in step.effects where r.shownAt == now.wall {
                let m = cal.minuteOfDay(now.wall)
                let when = cal.weekday(now.wall).short + String(format: " %02d:%02d", m / 60, m % 60)
                for item in r.items where !shown.contains("\(item.rule.rule)@\(when)") { shown.append("\(item.rule.rule)@\(when)") }
            }
            if engine.state.showing != nil {
                step = engine.handle(.answer(nil, .done), at: now)
                continue
            }
            guard let d = step.nextDeadline, d < end else { break }
            let delta = max(d.timeIntervalSince(now.wall), 0.001)
            now = now + .milliseconds(Int64((delta * 1000).rounded(.up)))
            step = engine.handle(.timer, at: now)
        }
        return shown
    }

    static func times(_ shown: [String], _ rule: String, on day: String) -> [String] {
        shown.filter { $0.hasPrefix(rule + "@" + day + " ") }.map { String($0.suffix(5)) }
    }

    @Test func theFlareWeek() throws {
        let shown = try Self.week(startedOn: nil)
        // Press-ups on the grid; 12:00 waits for the end of the lunch quiet hours.
        #expect(Self.times(shown, "press-ups", on: "mon") == ["08:00", "10:00", "13:00", "14:00", "16:00", "18:00", "20:00"], "\(shown)")
        #expect(Self.times(shown, "press-ups", on: "fri") == Self.times(shown, "press-ups", on: "mon"))
        // The person's 40 minutes, not the flare's 30; nothing over lunch.
        let sits = Self.times(shown, "sit-break", on: "tue")
        #expect(sits.prefix(3) == ["08:40", "09:20", "10:00"], "\(sits)")
        #expect(!shown.contains { $0.contains(" 12:") }, "nothing in the quiet hours: \(shown)")
        // Weekends off; no maintenance or recovery reminders in the flare.
        #expect(!shown.contains { $0.contains("@sat") || $0.contains("@sun") }, "\(shown)")
        #expect(!shown.contains { $0.hasPrefix("glides@") || $0.hasPrefix("strength@") || $0.hasPrefix("sunday@") })
    }

    @Test func dayFifteenIsRecovery() throws {
        // Started 2026-02-16: Monday 2026-03-02 is day 15, the first of recovery.
        let shown = try Self.week(startedOn: "2026-02-16")
        #expect(Self.times(shown, "glides", on: "mon") == ["10:30", "15:30"], "\(shown)")
        #expect(Self.times(shown, "glides", on: "sun") == ["10:30", "15:30"], "fixed times keep their own days")
        #expect(Self.times(shown, "press-ups", on: "wed").first == "08:00")
        #expect(Self.times(shown, "sit-break", on: "wed").prefix(2) == ["08:40", "09:20"], "still the person's 40 minutes")
        #expect(!shown.contains { $0.hasPrefix("sunday@") })
    }

    @Test func dayFortyThreeIsMaintenance() throws {
        // Started 2026-01-19: Monday 2026-03-02 is day 43, the first of maintenance.
        let shown = try Self.week(startedOn: "2026-01-19")
        #expect(!shown.contains { $0.hasPrefix("press-ups@") }, "press-ups end with recovery: \(shown)")
        #expect(Self.times(shown, "strength", on: "tue") == ["18:00"], "\(shown)")
        #expect(Self.times(shown, "strength", on: "sat") == ["18:00"])
        #expect(Self.times(shown, "sunday", on: "sun") == ["10:00"])
        #expect(Self.times(shown, "strength", on: "mon") == [])
    }
}
