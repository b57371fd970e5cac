import Foundation
import LimberCore
import Testing
import LimberDaemon
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// The real limberctl against a real limberd on a private session bus:
/// output, JSON shapes and exit codes (limberctl(1)).
@Suite(.serialized) struct LimberctlTests {
    @Test func statusNextAndTheirJSON() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        // (The world's zone keeps midnight, where "every 30m" would count
        // from the next day's start, hours away.)
        try world.startDaemon()

        let human = try world.ctl("status")
        #expect(human.code == 0)
        #expect(human.out.hasPrefix("limberd running: next: Move in"))
        #expect(human.out.contains("programs: drill"))
        #expect(!human.out.contains("\u{1b}["), "no color off a terminal")

        let json = try world.ctl("status", "--json")
        #expect(json.code == 0)
        #expect(json.out.hasSuffix("}\n") && json.out.split(separator: "\n").count == 1, "one line")
        let s = json.json
        #expect(s["schema"] as? Int == 1)
        #expect(s["state"] as? String == "scheduled")
        #expect(s["class"] as? String == "counting")
        #expect((s["text"] as? String)?.hasPrefix("Move in ") == true)
        #expect((s["tooltip"] as? String)?.hasPrefix("next: Move in") == true)
        #expect(s["paused"] as? Bool == false)
        #expect(s["paused_until"] is NSNull)
        #expect(s["showing"] is NSNull)
        let next = try #require(s["next"] as? [String: Any])
        #expect(next["rule"] as? String == "drill/move")
        #expect((next["time"] as? String)?.count == 5)
        #expect(((next["in_seconds"] as? Int) ?? 0) > 1700)
        #expect(s["programs"] as? [String] == ["drill"])
        #expect(s["config_errors"] as? [String] == [])
        let keys = ["schema", "text", "tooltip", "class", "alt", "state", "status_line", "paused", "paused_until", "next", "showing",
                    "done_today", "shown_today", "programs", "config_errors", "red_flag", "red_flags", "red_flag_since", "now", "version"]
        #expect(Set(s.keys) == Set(keys))

        #expect(try world.ctl("status", "--short").out.hasPrefix("Move in "))

        let next2 = try world.ctl("next")
        #expect(next2.code == 0)
        let lines = next2.out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("drill/move") && lines[0].contains("Move") && lines[0].contains("in 30 min"))
        let nj = try world.ctl("next", "--json").json
        let rows = try #require(nj["reminders"] as? [[String: Any]])
        #expect(rows.map { $0["rule"] as? String } == ["drill/move", "drill/stretch"])
        #expect(Set(rows[0].keys) == ["rule", "program", "title", "kind", "schedule", "active", "showing", "next_at", "next_time",
                                      "snoozed_until", "snooze_count", "last_done"])
    }

    @Test func answeringTriggeringAndPausing() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()

        let t = try world.ctl("trigger", "drill/move")
        #expect(t.code == 0)
        #expect(t.out == "showing reminder 1\n")
        let showing = try world.ctl("status", "--json").json
        #expect((showing["showing"] as? [String: Any])?["id"] as? Int == 1)
        #expect((showing["showing"] as? [String: Any])?["snooze"] as? String == "10m")
        #expect(try world.ctl("done").code == 0)
        #expect(try world.ctl("status", "--json").json["done_today"] as? Int == 1)

        _ = try world.ctl("trigger", "drill/move")
        let snooze = try world.ctl("snooze", "15m")
        #expect(snooze.code == 0)
        #expect(snooze.out.hasPrefix("snoozed until "))
        _ = try world.ctl("trigger", "drill/stretch")
        #expect(try world.ctl("skip", "3").code == 0)
        #expect(try world.status().u64("showing_id") == 0)

        let p = try world.ctl("pause", "45m")
        #expect(p.code == 0)
        #expect(p.out.hasPrefix("paused until "))
        #expect(try world.ctl("status", "--short").out.hasPrefix("paused until "))
        // While paused, status gives no countdown to a reminder that will not come.
        let paused = try world.ctl("status").out
        #expect(paused.contains(", when the pause ends (drill/"), "\(paused)")
        #expect(!paused.contains("(in "), "\(paused)")
        #expect(try world.ctl("resume").code == 0)
        #expect(try world.ctl("pause", "--until", "23:59").code == 0)
        #expect(try world.status().flag("paused") == true)
        #expect(try world.ctl("resume").code == 0)
        #expect(try world.ctl("pause").out == "paused until limberctl resume\n")
        #expect(try world.ctl("status", "--json").json["state"] as? String == "paused")
        #expect(try world.ctl("resume").code == 0)
    }

    @Test func refusalsExitWithOneAndSayWhy() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let before = try world.status()
        let cases: [([String], String)] = [
            (["done"], "no reminder is showing"),
            (["skip", "7"], "reminder 7 is not showing"),
            (["trigger", "drill/nope"], "no reminder 'drill/nope'"),
            (["programs", "enable", "nope"], "no program 'nope' is installed"),
            (["programs", "show", "nope"], "no program 'nope' is installed"),
        ]
        // Bad values are bad usage (2), whoever notices (LimberctlCLITests).
        let badValues: [([String], String)] = [
            (["pause", "1000000h"], "'1000000h' is not a duration"),
            (["pause", "abc"], "'abc' is not a duration"),
            (["pause", "--", "-5m"], "'-5m' is not a duration"),
            (["pause", "--until", "25:00"], "'25:00' is not a time of day"),
        ]
        for (args, message) in cases + badValues {
            let r = try world.ctl(args)
            #expect(r.code == (badValues.contains { $0.0 == args } ? 2 : 1), "\(args)")
            #expect(r.err.hasPrefix("limberctl: ") && r.err.contains(message), "\(args): \(r.err)")
            #expect(r.out.isEmpty)
        }
        #expect(try world.status() == before)
    }

    @Test func usageErrorsExitWithTwo() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        for args in [["frobnicate"], ["pause", "10m", "--until", "12:00"], ["done", "x"], ["checkin", "--pain", "11"],
                     ["export"], ["export", "--csv", "--json"], ["stats", "--week", "--month"], ["trigger"]] {
            let r = try world.ctl(args)
            #expect(r.code == 2, "\(args): \(r.err)")
            #expect(!r.err.isEmpty)
        }
        #expect(try world.ctl("--help").code == 0)
        #expect(try world.ctl("--version").out == LimberVersion.string + "\n")
    }

    @Test func unreachableDaemonOrBusExitsWithThree() throws {
        let world = try LimberWorld()  // no limberd, and this bus cannot start one
        defer { world.stop() }
        let r = try world.ctl("status")
        #expect(r.code == 3)
        #expect(r.err.contains("limberd is not running"))
        #expect(r.err.contains("systemctl --user start limberd"))

        let noBus = try world.ctl(["status"], environment: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=\(world.root)/nothing-here"])
        #expect(noBus.code == 3)
        #expect(noBus.err.contains("no D-Bus session bus"))
    }

    @Test func programsListShowEnableDisable() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()

        let list = try world.ctl("programs")
        #expect(list.code == 0)
        #expect(list.out.contains("● drill") && list.out.contains("○ spare"))
        let lj = try world.ctl("programs", "list", "--json").json
        let programs = try #require(lj["programs"] as? [[String: Any]])
        let drill = try #require(programs.first { $0["id"] as? String == "drill" })
        #expect(drill["enabled"] as? Bool == true)
        #expect(drill["error"] is NSNull)
        #expect(Set(drill.keys) == ["id", "name", "summary", "version", "enabled", "file", "reminders", "exercises", "error"])

        let show = try world.ctl("programs", "show", "drill")
        #expect(show.code == 0)
        #expect(show.out.contains("Drill (drill, v1) enabled"))
        #expect(show.out.contains("drill/move  Move: every 30m"))
        #expect(show.out.contains("Walk — 2 min"))
        #expect(show.out.contains("    1. Walk."))
        // How to do each exercise, in the terminal: cue, steps, cautions, stop line.
        let shipped = try world.ctl("programs", "show", "sciatica-relief")
        #expect(shipped.code == 0, "\(shipped.err)")
        #expect(shipped.out.contains("    hips stay on the floor; only your upper body rises, back and buttocks loose"))
        #expect(shipped.out.contains("    1. Lie on your front on the floor or a firm bed, palms flat on the floor level with your shoulders."))
        #expect(shipped.out.contains("    ! With spinal stenosis, bending backwards often feels worse."))
        #expect(shipped.out.contains("Stop if pain, tingling or numbness spreads further down your leg"))
        let sj = try world.ctl("programs", "show", "drill", "--json").json
        #expect((sj["reminders"] as? [[String: Any]])?.count == 2)
        #expect((sj["exercises"] as? [[String: Any]])?.first?["dose"] as? String == "2 min")

        let enable = try world.ctl("programs", "enable", "spare")
        #expect(enable.code == 0)
        #expect(enable.out == "enabled programs: drill, spare\n")
        #expect(try world.ctl("programs", "disable", "drill").out == "enabled programs: spare\n")
        #expect(try world.ctl("status", "--json").json["programs"] as? [String] == ["spare"])

        // A broken program: exit 4, nothing changes.
        try "schema = 1\nid = \"broken\"\n".write(toFile: world.root + "/config/limber/programs/broken.toml", atomically: true, encoding: .utf8)
        let broken = try world.ctl("programs", "enable", "broken")
        #expect(broken.code == 4)
        #expect(broken.err.contains("broken.toml:"))
        #expect(try world.ctl("status", "--json").json["programs"] as? [String] == ["spare"])
    }

    @Test func checkValidatesLikeLimberdCheck() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let ok = try world.ctl("check")
        #expect(ok.code == 0)
        #expect(ok.out.contains("drill: \"Drill\""))
        let bad = world.root + "/bad.toml"
        try "schema = 1\nid = \"bad\"\nname = \"Bad\"\n[reminders.r]\ncadence = \"interval\"\nevery = \"often\"\ntitle = \"R\"\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try world.ctl("check", bad)
        #expect(r.code == 4)
        #expect(r.err.contains("bad.toml:6:"))
        let j = try world.ctl("check", "--json", bad)
        #expect(j.code == 4)
        #expect(j.json["ok"] as? Bool == false)
        let d = try #require((j.json["diagnostics"] as? [[String: Any]])?.first { $0["severity"] as? String == "error" })
        #expect(d["line"] as? Int == 6)
        #expect(d["severity"] as? String == "error")
        // The same verdict as limberd --check.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BuiltProducts.limberd)
        p.arguments = ["--check", bad]
        p.environment = world.environment
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
    }

    @Test func reloadWaitsAndFailsVisiblyOnBadConfiguration() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let ok = try world.ctl("reload")
        #expect(ok.code == 0)
        #expect(ok.out == "reloaded\n")

        let dir = world.root + "/config/limber/limber.toml.d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "working_hours = \"all day\"\n".write(toFile: dir + "/90-bad.toml", atomically: true, encoding: .utf8)
        let bad = try world.ctl("reload")
        #expect(bad.code == 4)
        #expect(bad.err.contains("keeps running the previous one"))
        #expect(bad.err.contains("90-bad.toml:1:"))
        // Still running, and saying so.
        let s = try world.ctl("status", "--json")
        #expect(s.code == 0)
        #expect((s.json["config_errors"] as? [String])?.count == 1)
        #expect(try world.ctl("status").out.contains("config error: "))
    }

    /// Plugin settings are part of the reload transaction: an unknown key
    /// rejects the whole reload with its position.
    @Test func reloadRejectsBadPluginSettingsWithTheirPosition() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let dir = world.root + "/config/limber/limber.toml.d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "[plugins.skip-guard]\nafter = 3\nbogus = true\n".write(toFile: dir + "/80-plugins.toml", atomically: true, encoding: .utf8)
        let bad = try world.ctl("reload")
        #expect(bad.code == 4)
        #expect(bad.err.contains("80-plugins.toml:3:1"), "\(bad.err)")
        #expect(bad.err.contains("bogus"))
        try "[plugins.skip-guard]\nafter = 3\n".write(toFile: dir + "/80-plugins.toml", atomically: true, encoding: .utf8)
        #expect(try world.ctl("reload").code == 0)
    }

    @Test func watchPrintsEventsAndStopsCleanlyOnSIGINT() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let (watch, lines) = try world.spawnCtl(["watch", "--json"])
        let (bar, barLines) = try world.spawnCtl(["watch", "--status", "--json"])
        defer {
            if watch.isRunning { kill(watch.processIdentifier, SIGKILL) }
            if bar.isRunning { kill(bar.processIdentifier, SIGKILL) }
        }
        // The first line is the current status: the watcher is listening.
        #expect(lines.waitForLine { $0.contains("\"event\":\"status\"") } != nil)
        #expect(barLines.waitForLine { $0.hasPrefix("{\"schema\":1,\"text\":\"Move in") } != nil)

        _ = try world.ctl("trigger", "drill/move")
        let shown = lines.waitForLine { $0.contains("\"event\":\"shown\"") }
        #expect(shown?.contains("\"title\":\"Move\"") == true)
        #expect(barLines.waitForLine { $0.contains("\"class\":\"due\"") } != nil)
        _ = try world.ctl("done")
        #expect(lines.waitForLine { $0 == "{\"event\":\"answered\",\"id\":1,\"outcome\":\"done\",\"rules\":[\"drill/move\"]}" } != nil)
        _ = try world.ctl("reload")
        #expect(lines.waitForLine { $0 == "{\"event\":\"reloaded\",\"ok\":true,\"errors\":[]}" } != nil)
        _ = try world.ctl("pause", "10m")
        #expect(barLines.waitForLine { $0.contains("\"text\":\"paused until ") } != nil)
        // Every line is one JSON object.
        for line in lines.lines + barLines.lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
        }

        // limberd going away is an event, not the end.
        kill(world.daemon!.processIdentifier, SIGTERM)
        world.daemon!.waitUntilExit()
        #expect(lines.waitForLine { $0 == "{\"event\":\"stopped\"}" } != nil)
        #expect(barLines.waitForLine { $0.contains("\"class\":\"off\"") } != nil)
        #expect(watch.isRunning)

        kill(watch.processIdentifier, SIGINT)
        kill(bar.processIdentifier, SIGINT)
        watch.waitUntilExit()
        bar.waitUntilExit()
        #expect(watch.terminationStatus == 0)
        #expect(bar.terminationStatus == 0)
    }

    @Test func historyCommands() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        _ = try world.ctl("trigger", "drill/move")
        _ = try world.ctl("done")

        let checkin = try world.ctl("checkin", "--pain", "3", "--reach", "knee", "--note", "ok today")
        #expect(checkin.code == 0)
        #expect(checkin.out.hasPrefix("check-in saved"))
        let urgent = try world.ctl("checkin", "--pain", "6", "--red-flag", "saddle-numbness", "--json")
        #expect(urgent.code == 0)
        #expect(urgent.json["urgent"] as? Bool == true)
        #expect((urgent.json["advice"] as? [String])?.first?.hasPrefix("RED FLAG") == true)
        #expect(Set(urgent.json.keys) == ["schema", "id", "urgent", "advice", "red_flags", "red_flags_in_note", "reach_change", "store_error"])
        // The red flag stopped exercise: status says so, a trigger is refused, a plain resume does not lift it.
        let held = try world.ctl("status", "--json").json
        #expect(held["state"] as? String == "red-flag")
        #expect(held["red_flags"] as? [String] == ["saddle-numbness"])
        #expect(try world.ctl("status").out.contains("limberctl resume --red-flag-cleared"))
        // The status bar's watch and the event watch say so too.
        let (bar, barLines) = try world.spawnCtl(["watch", "--status", "--json"])
        let (watch, lines) = try world.spawnCtl(["watch"])
        defer {
            for p in [bar, watch] where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        }
        let barLine = barLines.waitForLine { $0.contains("\"class\":\"red-flag\"") }
        #expect(barLine?.contains("RED FLAG") == true, "\(barLines.lines)")
        #expect(lines.waitForLine { $0.contains("status") && $0.contains("RED FLAG: exercise reminders stopped") } != nil, "\(lines.lines)")
        kill(bar.processIdentifier, SIGINT)
        kill(watch.processIdentifier, SIGINT)
        bar.waitUntilExit()
        watch.waitUntilExit()
        #expect(try world.ctl("trigger", "drill/move").code != 0)
        #expect(try world.ctl("resume").out.contains("--red-flag-cleared"))
        let cleared = try world.ctl("resume", "--red-flag-cleared")
        #expect(cleared.out == "red flag cleared: exercise reminders resume\n")
        #expect(try world.ctl("status", "--json").json["state"] as? String != "red-flag")

        let stats = try world.ctl("stats")
        #expect(stats.code == 0)
        #expect(!stats.out.isEmpty)
        let sj = try world.ctl("stats", "--month", "--json").json
        #expect(sj["schema"] as? Int == 2)
        #expect((sj["period"] as? [String: Any])?["kind"] as? String == "month")
        #expect((sj["totals"] as? [String: Any])?["done"] as? Int == 1)

        let csv = try world.ctl("export", "--csv")
        #expect(csv.code == 0)
        #expect(csv.out.hasPrefix("record,id,time,program,rule"))
        #expect(csv.out.contains("checkin,"))
        let ej = try world.ctl("export", "--json", "--since", "2000-01-01").json
        #expect((ej["check_ins"] as? [Any])?.count == 2)
        #expect(((ej["outcomes"] as? [Any])?.count ?? 0) >= 2)

        let report = world.root + "/report.html"
        let r = try world.ctl("report", "--html", report)
        #expect(r.code == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("<svg"))

        // Forget asks: off a terminal it needs --yes.
        let refused = try world.ctl("history", "forget")
        #expect(refused.code == 2)
        #expect(refused.err.contains("--yes"))
        #expect((try world.ctl("export", "--json").json["check_ins"] as? [Any])?.count == 2)
        let forget = try world.ctl("history", "forget", "--yes")
        #expect(forget.code == 0)
        #expect(forget.out.contains("2 check-ins"))
        #expect((try world.ctl("export", "--json").json["check_ins"] as? [Any])?.isEmpty == true)
    }

    @Test func historyWithoutADatabaseExitsWithFive() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let r = try world.ctl("export", "--json")
        #expect(r.code == 5)
        #expect(r.err.contains("no history yet"))
    }

    @Test func pluginsListsWhatTheHostReports() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let r = try world.ctl("plugins", "--json")
        #expect(r.code == 0)
        #expect(r.json["plugins"] is [Any])
    }
}
