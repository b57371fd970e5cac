import ArgumentParser
import Foundation
import LimberAPI
import LimberConfig
import LimberCore
import LimberHistory
import Systemd

/// What the shells complete for limberctl's values (bash, zsh and fish call
/// `limberctl ---completion ...`, which runs these). From the running
/// limberd when it owns its name on the session bus (never started for a
/// completion), else from the files on the search path.
/// A value argument of a new command gets one of these, a list, or a file
/// kind: LimberctlCompletionTests fails for one that has none.
public enum Complete {
    /// Reminder ids on screen now (`done 7`, `snooze --reminder 7`).
    public static let reminderIDs = CompletionKind.custom { _, _, prefix in
        guard let status = daemon(.status)?.first?.stringKeyedDict.map(VarDict.init) else { return [] }
        let id = status.int("showing_id")
        return id > 0 ? matching(["\(id)"], prefix) : []
    }

    /// Reminder rules, program/rule (`trigger`).
    public static let rules = CompletionKind.custom { _, _, prefix in
        if let rows = daemon(.listReminders)?.first?.arrayValue {
            return matching(rows.compactMap { $0.stringKeyedDict.map(VarDict.init)?.string("rule") }, prefix)
        }
        let programs = ConfigLoader().loadAll().configuration?.programs ?? []
        return matching(programs.flatMap { p in p.reminders.map { "\(p.id)/\($0.id)" } }, prefix)
    }

    /// Installed program ids (`programs show|enable|disable`, `limberd --explain`).
    public static let programs = CompletionKind.custom { _, _, prefix in
        if let rows = daemon(.listPrograms)?.first?.arrayValue {
            return matching(rows.compactMap { $0.stringKeyedDict.map(VarDict.init)?.string("id") }, prefix)
        }
        return matching(ConfigLoader().availablePrograms().map(\.id), prefix)
    }

    /// Exercise ids of the installed programs (from the files: they name
    /// every exercise, enabled or not).
    public static let exercises = CompletionKind.custom { _, _, prefix in
        matching(exerciseIDs(), prefix)
    }

    /// Program ids and exercise ids (`guide`).
    public static let programsAndExercises = CompletionKind.custom { _, _, prefix in
        matching(ConfigLoader().availablePrograms().map(\.id) + exerciseIDs(), prefix)
    }

    static func exerciseIDs() -> [String] {
        let loader = ConfigLoader()
        var ids: Set<String> = []
        for (id, file) in loader.availablePrograms() {
            let loaded = loader.loadProgram(file: file, id: id, dropIns: loader.dropIns(for: "programs/\(id).toml"))
            for e in loaded.program?.exercises ?? [] { ids.insert(e.id) }
        }
        return ids.sorted()
    }

    /// Phase ids of the installed programs (`--phase`).
    public static let phases = CompletionKind.custom { _, _, prefix in
        let loader = ConfigLoader()
        var ids: Set<String> = []
        for (id, file) in loader.availablePrograms() {
            let loaded = loader.loadProgram(file: file, id: id, dropIns: loader.dropIns(for: "programs/\(id).toml"))
            for p in loaded.program?.phases ?? [] { ids.insert(p.id) }
        }
        return matching(Array(ids), prefix)
    }

    public static let redFlags = CompletionKind.list(RedFlag.allCases.map(\.rawValue))
    public static let legReach = CompletionKind.list(LegReach.allCases.map(\.rawValue))
    public static let snoozeLengths = CompletionKind.list(["5m", "10m", "15m", "30m", "1h"])
    public static let pauseLengths = CompletionKind.list(["15m", "30m", "1h", "2h", "4h", "1d"])
    public static let times = CompletionKind.custom { _, _, prefix in
        // The next few whole and half hours from now.
        let cal = Calendar.current
        let hour = cal.component(.hour, from: Date())
        let times = (1...6).flatMap { h in [String(format: "%02d:00", (hour + h) % 24), String(format: "%02d:30", (hour + h - 1) % 24)] }
        return matching(times, prefix)
    }
    public static let days = CompletionKind.custom { _, _, prefix in
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return matching([0, 7, 30].map { f.string(from: Date().addingTimeInterval(-86_400 * Double($0))) }, prefix)
    }
    public static let htmlFiles = CompletionKind.file(extensions: ["html"])
    public static let anyFile = CompletionKind.file()
    public static let configFiles = CompletionKind.file(extensions: ["toml"])

    static func matching(_ words: [String], _ prefix: String) -> [String] {
        Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }

    /// One call to the running limberd, or nil when it is not running (a
    /// completion never starts it) or does not answer within a second.
    static func daemon(_ method: APIMethod) -> [BusValue]? {
        guard let bus = try? Bus(.user, description: "limberctl-complete") else { return nil }
        let owned = try? bus.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                  interface: "org.freedesktop.DBus", member: "NameHasOwner",
                                  arguments: [.string(LimberBus.name)], timeout: .seconds(1))
        guard owned?.first?.boolValue == true else { return nil }
        return try? bus.call(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                             member: method.name, timeout: .seconds(1))
    }
}
