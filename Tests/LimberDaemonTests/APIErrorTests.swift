import Foundation
import LimberAPI
import Testing
import LimberDaemon
import Systemd

/// Nonsense gets a named error and changes nothing.
@Suite(.serialized) struct APIErrorTests {
    static let huge = String(repeating: "x", count: 1 << 20)

    /// Runs `body` and checks the state (Status, the reminders, the
    /// drop-in) is as before.
    func unchanged(_ world: LimberWorld, _ body: () throws -> Void) throws {
        let before = try world.status()
        let reminders = try world.call("ListReminders")
        try body()
        #expect(try world.status() == before)
        #expect(try world.call("ListReminders") == reminders)
        #expect(!FileManager.default.fileExists(atPath: world.root + "/config/limber/limber.toml.d/50-limberctl.toml"))
    }

    @Test func unknownRemindersRulesAndPrograms() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        try unchanged(world) {
            // Nothing showing.
            for m in ["Done", "Skip"] {
                let e = world.callError(m, [.uint64(0)])
                #expect(e.name == LimberBus.ErrorName.noSuchReminder)
                #expect(e.message == "no reminder is showing")
            }
            #expect(world.callError("Snooze", [.uint64(0), .string("5m")]).name == LimberBus.ErrorName.noSuchReminder)
            for rule in ["drill/nope", "nope/move", "drill", "/", "", "drill/move/x"] {
                #expect(world.callError("TriggerNow", [.string(rule)]).name == LimberBus.ErrorName.noSuchReminder, "\(rule)")
            }
            for m in ["EnableProgram", "DisableProgram", "DescribeProgram"] {
                let e = world.callError(m, [.string("nope")])
                #expect(e.name == LimberBus.ErrorName.noSuchProgram)
                #expect(e.message?.contains("drill") == true && e.message?.contains("spare") == true)
            }
            #expect(world.callError("EnableProgram", [.string("../drill")]).name == LimberBus.ErrorName.noSuchProgram)
        }
        // A wrong id while one shows: that one stays.
        let id = try #require(try world.call("TriggerNow", [.string("drill/move")]).first?.int64Value)
        try unchanged(world) {
            let e = world.callError("Done", [.uint64(UInt64(id) + 100)])
            #expect(e.name == LimberBus.ErrorName.noSuchReminder)
            #expect(e.message?.contains("the one showing is \(id) (Move)") == true)
            #expect(world.callError("Skip", [.uint64(.max)]).name == LimberBus.ErrorName.noSuchReminder)
        }
    }

    @Test func badDurationsAndTimes() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        try unchanged(world) {
            for text in ["-5m", "0s", "1000000h", "abc", "8d", "10", "99999999999999999999s", "1h-5m", " "] {
                let e = world.callError("Pause", [.string(text)])
                #expect(e.name == LimberBus.ErrorName.invalidDuration, "\(text): \(e)")
            }
            #expect(world.callError("Pause", [.string("8d")]).message == "a pause can be at most 7d, not 8d")
            for text in ["25:00", "24:00", "12:60", "noon", "", "1230", "-1:00"] {
                #expect(world.callError("PauseUntil", [.string(text)]).name == LimberBus.ErrorName.invalidTime, "\(text)")
            }
        }
        _ = try world.call("TriggerNow", [.string("drill/move")])
        try unchanged(world) {
            for text in ["-5m", "0s", "abc", "2d", "1000000h"] {
                #expect(world.callError("Snooze", [.uint64(0), .string(text)]).name == LimberBus.ErrorName.invalidDuration, "\(text)")
            }
        }
    }

    @Test func hugeStringsAndLists() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        _ = try world.call("TriggerNow", [.string("drill/move")])
        try unchanged(world) {
            let calls: [(String, [BusValue])] = [
                ("TriggerNow", [.string(Self.huge)]), ("Pause", [.string(Self.huge)]), ("PauseUntil", [.string(Self.huge)]),
                ("EnableProgram", [.string(Self.huge)]), ("DisableProgram", [.string(Self.huge)]), ("DescribeProgram", [.string(Self.huge)]),
                ("Snooze", [.uint64(0), .string(Self.huge)]), ("Stats", [.string(Self.huge)]),
                ("CheckIn", [.byte(3), .string(""), .strings([]), .string(Self.huge)]),
                ("CheckIn", [.byte(3), .string(""), .strings(Array(repeating: "foot-drop", count: 1000)), .string("")]),
            ]
            for (member, args) in calls {
                let e = world.callError(member, args)
                #expect(e.name == LimberBus.ErrorName.invalidArgument, "\(member)")
                #expect((e.message?.count ?? 0) < 200, "\(member): the message stays readable")
            }
            // Long but allowed: quoted short in the message.
            let long = String(repeating: "y", count: 4000)
            let e = world.callError("TriggerNow", [.string(long)])
            #expect(e.name == LimberBus.ErrorName.noSuchReminder)
            #expect((e.message?.count ?? 0) < 300)
        }
    }

    @Test func wrongTypesAreInvalidArgs() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        _ = try world.call("TriggerNow", [.string("drill/move")])
        try unchanged(world) {
            for m in LimberInterface.methods {
                // Nothing for a method that takes arguments; a string too many for one that does not.
                let wrong: [BusValue] = m.inSignature.isEmpty ? [.string("x")] : []
                let e = world.callError(m.name, wrong)
                #expect(e.name == BusErrorName.invalidArgs, "\(m.name)")
                #expect(e.message?.contains("takes (\(m.inSignature))") == true, "\(m.name)")
            }
            let typed: [(String, [BusValue])] = [
                ("Done", [.string("1")]), ("Skip", [.int32(1)]), ("Snooze", [.string("10m"), .uint64(0)]),
                ("TriggerNow", [.uint64(1)]), ("Pause", [.int64(600)]), ("PauseUntil", [.uint32(1430)]),
                ("CheckIn", [.int32(3), .string(""), .strings([]), .string("")]),
                ("CheckIn", [.byte(3), .string(""), .string("foot-drop"), .string("")]),
                ("Stats", [.variant(.string("week"))]), ("EnableProgram", [.strings(["spare"])]),
            ]
            for (member, args) in typed {
                #expect(world.callError(member, args).name == BusErrorName.invalidArgs, "\(member) \(args.busSignature)")
            }
            // Properties are read-only.
            let set = try? world.connect().call(destination: LimberBus.name, path: LimberBus.path, interface: "org.freedesktop.DBus.Properties",
                                                member: "Set", arguments: [.string(LimberBus.interface), .string("Paused"), .variant(.bool(true))])
            #expect(set == nil)
            // Unknown methods.
            #expect(world.callError("Explode").name == BusErrorName.unknownMethod)
        }
        // busctl, a client other than ours, gets the same.
        let busctl = Process()
        busctl.executableURL = URL(fileURLWithPath: "/usr/bin/busctl")
        busctl.arguments = ["--address=\(world.address)", "call", LimberBus.name, LimberBus.path, LimberBus.interface, "Pause", "u", "5"]
        let err = Pipe()
        busctl.standardError = err
        busctl.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try busctl.run()
        busctl.waitUntilExit()
        #expect(busctl.terminationStatus != 0)
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("takes (s)"))
    }

    @Test func badCheckInsAndStatsPeriods() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let bad: [[BusValue]] = [
            [.byte(11), .string(""), .strings([]), .string("")],
            [.byte(255), .string(""), .strings([]), .string("")],
            [.byte(3), .string("shoulder"), .strings([]), .string("")],
            [.byte(3), .string(""), .strings(["headache"]), .string("")],
        ]
        for args in bad {
            #expect(world.callError("CheckIn", args).name == LimberBus.ErrorName.invalidArgument)
        }
        for period in ["year", "2999-01-01", "1900-01-01", "2025-13-01", "yesterday"] {
            #expect(world.callError("Stats", [.string(period)]).name == LimberBus.ErrorName.invalidArgument, "\(period)")
        }
        // Nothing was stored.
        let stats = try #require(try world.call("Stats", [.string("week")]).first?.stringValue)
        #expect(!stats.isEmpty)
        let export = try world.ctl("export", "--json")
        #expect(export.code == 0)
        #expect((export.json["check_ins"] as? [Any])?.isEmpty == true)
    }
}
