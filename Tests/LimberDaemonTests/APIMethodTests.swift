import Foundation
import LimberAPI
import Testing
import LimberDaemon
import LimberHistory
import Systemd

/// Every method of org.limber.Limber1 against a running limberd on a
/// private session bus, with the signals and PropertiesChanged it causes.
@Suite(.serialized) struct APIMethodTests {
    @Test func statusAndListsDescribeTheRunningConfiguration() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        // (The world's zone keeps midnight, where "every 30m" would count
        // from the next day's start, hours away.)
        try world.startDaemon()

        let s = try #require(try world.call("Status").first?.stringKeyedDict)
        #expect(s.str("state") == "scheduled")
        #expect(s.str("next_rule") == "drill/move")
        #expect(s.str("next_title") == "Move")
        let now = try #require(s.u64("now"))
        let next = try #require(s.u64("next_at"))
        // 30 min after the start (the world's zone keeps midnight, where
        // a new day's window starts the interval again, hours away).
        #expect(next > now + 25 * 60 && next <= now + 30 * 60 + 1, "now \(now), next \(next)")
        #expect(s.strs("programs") == ["drill"])
        #expect(s.flag("paused") == false)
        #expect(s.u64("showing_id") == 0)
        #expect(s.str("status_line")?.hasPrefix("next: Move in") == true)
        for key in ["version", "state", "status_line", "now", "paused", "paused_until", "away", "next_rule", "next_title", "next_at",
                    "showing_id", "showing_title", "showing_rules", "showing_since", "showing_expires", "snooze",
                    "done_today", "shown_today", "programs", "config_errors"] {
            #expect(s[key] != nil, "Status lacks \(key)")
        }

        let programs = try #require(try world.call("ListPrograms").first?.arrayValue).compactMap(\.stringKeyedDict)
        let drill = try #require(programs.first { $0.str("id") == "drill" })
        #expect(drill.flag("enabled") == true)
        #expect(drill.str("name") == "Drill")
        #expect(drill["reminders"]?.unwrapped.uint32Value == 2)
        #expect(programs.first { $0.str("id") == "spare" }?.flag("enabled") == false)

        let reminders = try #require(try world.call("ListReminders").first?.arrayValue).compactMap(\.stringKeyedDict)
        #expect(reminders.map { $0.str("rule") } == ["drill/move", "drill/stretch"])
        #expect(reminders[0].str("kind") == "interval")
        #expect(reminders[0].str("schedule") == "every 30m")
        #expect(reminders[1].u64("next_at").map { $0 > now + 3600 } == true)

        let described = try #require(try world.call("DescribeProgram", [.string("spare")]).first?.stringKeyedDict)
        #expect(described.str("name") == "Spare")
        #expect(described.flag("enabled") == false)
        #expect(described["reminders"]?.unwrapped.arrayValue?.count == 1)
        #expect(described["exercises"]?.unwrapped.signature == "a(sss)")

        // The built-in plugins, each with its state: logind waits for a
        // system bus this test does not have; the journal observer runs.
        let plugins = try #require(try world.call("ListPlugins").first?.arrayValue).compactMap { row -> [String]? in
            row.structValue?.compactMap(\.stringValue)
        }
        #expect(plugins.contains { $0.count == 4 && $0[0] == "logind" && $0[1] == "absent" && $0[2] == "built-in" })
        #expect(plugins.contains { $0.count == 4 && $0[0] == "journal" && $0[1] == "running" })
        // The same with room to grow: the roles are a field, not words in the detail.
        let rows = try #require(try world.call("DescribePlugins").first?.arrayValue).compactMap(\.stringKeyedDict)
        #expect(rows.map { $0["id"]?.stringValue ?? "" } == plugins.map { $0[0] })
        let logind = try #require(rows.first { $0["id"]?.stringValue == "logind" })
        #expect(logind["state"]?.stringValue == "absent" && logind["kind"]?.stringValue == "built-in")
        #expect(logind["detail"]?.stringValue == "waiting for system bus")
        #expect(rows.allSatisfy { $0["roles"]?.stringArrayValue == [] }, "no idle source without a system bus")
    }

    @Test func triggerDoneSnoozeSkipWithSignalsAndProperties() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let signals = try SignalRecorder(world)

        let id = try #require(try world.call("TriggerNow", [.string("drill/move")]).first?.int64Value)
        #expect(id > 0)
        let shown = try #require(signals.wait(for: "ReminderShown"))
        #expect(shown.signature == "tsass")
        #expect(shown.arguments[0] == .uint64(UInt64(id)))
        #expect(shown.arguments[1] == .string("Move"))
        #expect(shown.arguments[2] == .strings(["drill/move"]))
        #expect(shown.arguments[3].stringValue?.contains("Walk") == true)
        let showing = signals.waitForProperty("Showing") { $0.structValue?.first == .uint64(UInt64(id)) }
        #expect(showing != nil)
        #expect(try world.status().str("state") == "showing")

        // Done for the one showing (0).
        _ = try world.call("Done", [.uint64(0)])
        let answered = try #require(signals.wait(for: "ReminderAnswered"))
        #expect(answered.signature == "tsas")
        #expect(answered.arguments == [.uint64(UInt64(id)), .string("done"), .strings(["drill/move"])])
        #expect(signals.waitForProperty("DoneToday") { $0 == .uint32(1) } != nil)
        let after = try world.status()
        #expect(after.str("state") == "scheduled")
        #expect(after["done_today"]?.unwrapped == .uint32(1))

        // Snooze by id, for a duration: returns when it comes back.
        signals.clear()
        let second = try #require(try world.call("TriggerNow", [.string("drill/stretch")]).first?.int64Value)
        let now = try #require(try world.call("Status").first?.stringKeyedDict?.u64("now"))
        let until = try #require(try world.call("Snooze", [.uint64(UInt64(second)), .string("20m")]).first?.int64Value)
        #expect(abs(until - Int64(now) - 20 * 60) <= 2)
        #expect(signals.wait(for: "ReminderAnswered") { $0.arguments[1] == .string("snoozed") } != nil)
        let rows = try #require(try world.call("ListReminders").first?.arrayValue).compactMap(\.stringKeyedDict)
        #expect(rows.first { $0.str("rule") == "drill/stretch" }?.u64("snoozed_until") == UInt64(until))

        // Skip.
        signals.clear()
        _ = try world.call("TriggerNow", [.string("drill/move")])
        _ = try world.call("Skip", [.uint64(0)])
        #expect(signals.wait(for: "ReminderAnswered") { $0.arguments[1] == .string("skipped") } != nil)
        #expect(try world.status().u64("showing_id") == 0)
    }

    @Test func snoozeBeyondTheLimitIsRefused() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        // drill/stretch allows one snooze.
        _ = try world.call("TriggerNow", [.string("drill/stretch")])
        _ = try world.call("Snooze", [.uint64(0), .string("")])
        _ = try world.call("TriggerNow", [.string("drill/stretch")])
        let before = try world.status()
        #expect(before.str("snooze") == "")
        #expect(world.callError("Snooze", [.uint64(0), .string("10m")]).name == LimberBus.ErrorName.snoozeLimitReached)
        #expect(try world.status() == before)
    }

    @Test func pauseForADurationUntilATimeAndResume() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let signals = try SignalRecorder(world)
        let now = try #require(try world.call("Status").first?.stringKeyedDict?.u64("now"))

        let until = try #require(try world.call("Pause", [.string("1h30m")]).first?.int64Value)
        #expect(abs(until - Int64(now) - 5400) <= 2)
        #expect(signals.waitForProperty("Paused") { $0 == .bool(true) } != nil)
        var s = try world.status()
        #expect(s.str("state") == "paused")
        #expect(s.u64("paused_until") == UInt64(until))

        _ = try world.call("Resume")
        #expect(signals.waitForProperty("Paused") { $0 == .bool(false) } != nil)
        #expect(try world.status().str("state") == "scheduled")

        // Until a time: the next HH:MM (in the world's zone), within a day.
        let target = Date(timeIntervalSince1970: TimeInterval(now) + 2 * 3600)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = world.timeZone
        let hhmm = String(format: "%02d:%02d", cal.component(.hour, from: target), cal.component(.minute, from: target))
        let untilTime = try #require(try world.call("PauseUntil", [.string(hhmm)]).first?.int64Value)
        #expect(untilTime > Int64(now) + 3600 && untilTime <= Int64(now) + 2 * 3600)
        #expect(untilTime % 60 == 0)

        // Indefinitely: until Resume (0).
        #expect(try world.call("Pause", [.string("")]) == [.uint64(0)])
        s = try world.status()
        #expect(s.flag("paused") == true)
        #expect(s.u64("paused_until") == 0)
        _ = try world.call("Resume")
    }

    @Test func enableAndDisableWriteTheDropInAndReload() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let signals = try SignalRecorder(world)
        let dropIn = world.root + "/config/limber/limber.toml.d/50-limberctl.toml"

        #expect(try world.call("EnableProgram", [.string("spare")]) == [.strings(["drill", "spare"])])
        #expect(try String(contentsOfFile: dropIn, encoding: .utf8).contains("programs = [\"drill\", \"spare\"]"))
        #expect(signals.wait(for: "Reloaded") { $0.arguments[0] == .bool(true) } != nil)
        #expect(signals.waitForProperty("EnabledPrograms") { $0 == .strings(["drill", "spare"]) } != nil)
        let rules = try #require(try world.call("ListReminders").first?.arrayValue).compactMap { $0.stringKeyedDict?.str("rule") }
        #expect(rules.contains("spare/sway"))

        // Enabling again changes nothing.
        #expect(try world.call("EnableProgram", [.string("spare")]) == [.strings(["drill", "spare"])])

        #expect(try world.call("DisableProgram", [.string("drill")]) == [.strings(["spare"])])
        #expect(try world.status().strs("programs") == ["spare"])
        #expect(try String(contentsOfFile: dropIn, encoding: .utf8).contains("programs = [\"spare\"]"))
    }

    @Test func enablingABrokenProgramChangesNothing() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        try "schema = 1\nid = \"broken\"\nname = \"Broken\"\n[reminders.x]\ncadence = \"interval\"\nevery = \"soon\"\ntitle = \"X\"\n"
            .write(toFile: world.root + "/config/limber/programs/broken.toml", atomically: true, encoding: .utf8)
        let before = try world.status()
        let error = world.callError("EnableProgram", [.string("broken")])
        #expect(error.name == LimberBus.ErrorName.configInvalid)
        #expect(error.message?.contains("broken.toml:") == true)
        #expect(!FileManager.default.fileExists(atPath: world.root + "/config/limber/limber.toml.d/50-limberctl.toml"))
        #expect(try world.status() == before)
        #expect(before.strs("config_errors") == [])
    }

    @Test func reloadReturnsWhenDoneAndRejectsBadConfiguration() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let signals = try SignalRecorder(world)

        #expect(try world.call("Reload") == [])
        #expect(signals.wait(for: "Reloaded") { $0.arguments == [.bool(true), .strings([])] } != nil)

        let dir = world.root + "/config/limber/limber.toml.d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "snooze = \"forever\"\n".write(toFile: dir + "/90-bad.toml", atomically: true, encoding: .utf8)
        signals.clear()
        let error = world.callError("Reload")
        #expect(error.name == LimberBus.ErrorName.configInvalid)
        #expect(error.message?.contains("90-bad.toml:1:") == true)
        let reloaded = try #require(signals.wait(for: "Reloaded"))
        #expect(reloaded.arguments[0] == .bool(false))
        #expect(reloaded.arguments[1].stringArrayValue?.first?.contains("90-bad.toml:1:") == true)
        // Still running the old configuration, and saying so.
        let s = try world.status()
        #expect(s.strs("programs") == ["drill"])
        #expect(s.strs("config_errors")?.count == 1)
        #expect(signals.waitForProperty("ConfigErrors") { $0.stringArrayValue?.count == 1 } != nil)

        try FileManager.default.removeItem(atPath: dir + "/90-bad.toml")
        #expect(try world.call("Reload") == [])
        #expect(try world.status().strs("config_errors") == [])
    }

    @Test func checkInStatsAndForgetGoThroughTheDaemonsHistory() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        _ = try world.call("TriggerNow", [.string("drill/move")])
        _ = try world.call("Done", [.uint64(0)])

        let r = try #require(try world.call("CheckIn", [.byte(4), .string("thigh"), .strings([]), .string("better")]).first?.stringKeyedDict)
        #expect(r["id"]?.unwrapped.int64Value.map { $0 > 0 } == true)
        #expect(r.flag("urgent") == false)
        #expect(r.str("store_error") == "")
        let urgent = try #require(try world.call("CheckIn", [.byte(7), .string("foot"), .strings(["foot-drop"]), .string("")]).first?.stringKeyedDict)
        #expect(urgent.flag("urgent") == true)
        #expect(urgent.strs("advice")?.first?.hasPrefix("RED FLAG") == true)
        #expect(urgent.str("reach_change") == "down")

        let json = try #require(try world.call("Stats", [.string("week")]).first?.stringValue)
        let stats = try HistoryJSON.decoder().decode(Stats.self, from: Data(json.utf8))
        #expect(stats.totals.done == 1)
        #expect(stats.days.count == 7)
        #expect(try world.call("Stats", [.string("month")]).first?.stringValue?.contains("\"kind\":\"month\"") == true)

        let forgotten = try #require(try world.call("ForgetHistory").first?.stringKeyedDict)
        #expect(forgotten["check_ins"]?.unwrapped == .uint32(2))
        #expect(forgotten["outcomes"]?.unwrapped.uint32Value.map { $0 >= 2 } == true)
        let empty = try HistoryJSON.decoder().decode(Stats.self, from: Data(try #require(try world.call("Stats", [.string("week")]).first?.stringValue).utf8))
        #expect(empty.totals.occurrences == 0)
    }
}
