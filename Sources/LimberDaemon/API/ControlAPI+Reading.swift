import Foundation
import LimberAPI
import Logging
import LimberCore
import LimberConfig
import LimberHistory
import Systemd

/// What the API reads: properties, the status dictionary, programs,
/// reminders and plugins, from the engine and the configuration.
extension ControlAPI {
    // MARK: Reading

    var now: Moment { service.clock() }

    static func unixSeconds(_ d: Date?) -> UInt64 {
        guard let d, d != .distantFuture, d.timeIntervalSince1970 > 0 else { return 0 }
        return UInt64(d.timeIntervalSince1970.rounded())
    }

    /// "paused", "showing", "away", "scheduled" or "idle".
    static func stateName(_ s: EngineStatus, now: Date) -> String {
        if s.redFlag != nil { return "red-flag" }
        if let p = s.pausedUntil, p > now { return "paused" }
        if s.showing != nil { return "showing" }
        if s.nextAt != nil { return "scheduled" }
        if s.away { return "away" }
        return "idle"
    }

    var statusLine: String { service.statusLine }

    func currentProperties() -> [String: BusValue] {
        let moment = now
        let s = service.status()
        let paused = s.pausedUntil.map { $0 > moment.wall } ?? false
        return [
            "Version": .string(LimberVersion.string),
            "State": .string(Self.stateName(s, now: moment.wall)),
            "StatusLine": .string(statusLine),
            "Paused": .bool(paused),
            "PausedUntil": .uint64(paused ? Self.unixSeconds(s.pausedUntil) : 0),
            "NextReminder": .structure([.string(s.nextRule?.description ?? ""), .string(s.nextTitle ?? ""), .uint64(Self.unixSeconds(s.nextAt))]),
            "Showing": .structure([.uint64(s.showing?.id ?? 0), .string(s.showing?.title ?? "")]),
            "EnabledPrograms": .strings(service.engine.configuration.settings.enabledPrograms),
            "DoneToday": .uint32(UInt32(clamping: s.doneToday)),
            "ShownToday": .uint32(UInt32(clamping: s.shownToday)),
            "ConfigErrors": .strings(service.lastReloadErrors),
        ]
    }

    func statusDict() -> BusValue {
        let moment = now
        let s = service.status()
        let paused = s.pausedUntil.map { $0 > moment.wall } ?? false
        var d: [String: BusValue] = [
            "version": .string(LimberVersion.string),
            "state": .string(Self.stateName(s, now: moment.wall)),
            "status_line": .string(statusLine),
            "now": .uint64(Self.unixSeconds(moment.wall)),
            "paused": .bool(paused),
            "paused_until": .uint64(paused ? Self.unixSeconds(s.pausedUntil) : 0),
            "away": .bool(s.away),
            "next_rule": .string(s.nextRule?.description ?? ""),
            "next_title": .string(s.nextTitle ?? ""),
            "next_at": .uint64(Self.unixSeconds(s.nextAt)),
            "showing_id": .uint64(s.showing?.id ?? 0),
            "showing_title": .string(s.showing?.title ?? ""),
            "showing_rules": .strings(s.showing?.items.map(\.rule.description) ?? []),
            "showing_since": .uint64(Self.unixSeconds(s.showing?.shownAt)),
            "showing_expires": .uint64(Self.unixSeconds(s.showing?.expiresAt)),
            "snooze": .string(s.showing?.snoozeLength.map(DurationText.format) ?? ""),
            "done_today": .uint32(UInt32(clamping: s.doneToday)),
            "shown_today": .uint32(UInt32(clamping: s.shownToday)),
            "programs": .strings(service.engine.configuration.settings.enabledPrograms),
            "config_errors": .strings(service.lastReloadErrors),
            "phases": .strings(phaseLines()),
            "red_flag": .bool(s.redFlag != nil),
            "red_flags": .strings(s.redFlag?.flags ?? []),
            "red_flag_since": .uint64(Self.unixSeconds(s.redFlag?.since)),
        ]
        if s.showing == nil { d["snooze"] = .string("") }
        if let p = service.engine.sitBreakProgress(at: moment) { d["sit_break_progress"] = .uint32(UInt32(p)) }
        return .vardict(d)
    }

    func listPrograms() -> BusValue {
        let enabled = service.engine.configuration.settings.enabledPrograms
        let rows: [BusValue] = service.loader.availablePrograms().map { (id, file) in
            let (program, error) = loadProgram(id: id, file: file)
            return .vardict([
                "id": .string(id),
                "name": .string(program?.name ?? ""),
                "summary": .string(program?.summary ?? ""),
                "version": .string(program?.version ?? ""),
                "enabled": .bool(enabled.contains(id)),
                "file": .string(file),
                "reminders": .uint32(UInt32(program?.reminders.count ?? 0)),
                "exercises": .uint32(UInt32(program?.exercises.count ?? 0)),
                "error": .string(error ?? ""),
            ])
        }
        return .array(elementSignature: "a{sv}", rows)
    }

    /// The running program for an enabled id, else the file read afresh.
    func loadProgram(id: String, file: String) -> (Program?, String?) {
        if let p = service.engine.configuration.program(id) { return (p, nil) }
        let loader = service.loader
        let r = loader.loadProgram(file: file, id: id, dropIns: loader.dropIns(for: "programs/\(id).toml"),
                                   settings: service.engine.configuration.settings)
        return (r.program, r.diagnostics.first(where: \.isError)?.description)
    }

    func describeProgram(_ id: String) throws -> BusValue {
        let file = try requireProgram(id)
        let (p, error) = loadProgram(id: id, file: file)
        guard let p else {
            throw BusMethodError.limber(LimberBus.ErrorName.configInvalid, error.map { tr("program '{id}' has errors: {error}", ["id": id, "error": $0]) } ?? tr("program '{id}' has errors: unreadable", ["id": id]))
        }
        let phase = service.engine.configuration.program(id) != nil ? service.engine.phase(of: id, at: now)?.id ?? "" : ""
        return .vardict([
            "id": .string(p.id),
            "name": .string(p.name),
            "summary": .string(p.summary),
            "version": .string(p.version),
            "enabled": .bool(service.engine.configuration.settings.enabledPrograms.contains(id)),
            "file": .string(file),
            "disclaimer": .string(p.disclaimer),
            "sources": .strings(p.sources),
            "red_flags": .strings(p.redFlags),
            "current_phase": .string(phase),
            "phases": .array(elementSignature: "(ssu)", p.phases.map {
                .structure([.string($0.id), .string($0.name), .uint32(UInt32(clamping: $0.days ?? 0))])
            }),
            "exercises": .array(elementSignature: "(sss)", p.exercises.map {
                .structure([.string($0.id), .string($0.name), .string($0.dose.text)])
            }),
            "reminders": .array(elementSignature: "(sss)", p.reminders.map {
                .structure([.string(RuleID(program: p.id, rule: $0.id).description), .string($0.title),
                            .string(ConfigLoader.describe($0.cadence))])
            }),
        ])
    }

    func listReminders() -> BusValue {
        let engine = service.engine
        let moment = now
        let showing = engine.onScreen
        let rows: [BusValue] = engine.ruleIDs.compactMap { id in
            guard let rule = engine.rule(id) else { return nil }
            let rs = engine.ruleState(id)
            return .vardict([
                "rule": .string(id.description),
                "program": .string(id.program),
                "title": .string(rule.title),
                "kind": .string(rule.cadence.kindName),
                "schedule": .string(ConfigLoader.describe(rule.cadence)),
                "active": .bool(engine.isActive(id, at: moment)),
                "next_at": .uint64(Self.unixSeconds(engine.nextDue(id, at: moment))),
                "showing": .bool(showing?.items.contains { $0.rule == id } ?? false),
                "snoozed_until": .uint64(Self.unixSeconds(rs?.snoozedUntil?.wall)),
                "snooze_count": .uint32(UInt32(clamping: rs?.snoozeCount ?? 0)),
                "last_done": .uint64(Self.unixSeconds(rs?.lastDone)),
            ])
        }
        return .array(elementSignature: "a{sv}", rows)
    }

    func listPlugins() -> BusValue {
        .array(elementSignature: "(ssss)", pluginStatuses().map {
            .structure([.string($0.id), .string($0.state), .string($0.kind), .string($0.detail)])
        })
    }

    /// `ListPlugins` with room to grow: the roles too.
    func describePlugins() -> BusValue {
        .array(elementSignature: "a{sv}", pluginStatuses().map {
            .vardict(["id": .string($0.id), "state": .string($0.state), "kind": .string($0.kind),
                      "roles": .strings($0.roles), "detail": .string($0.detail)])
        })
    }
}
