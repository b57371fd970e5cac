import Foundation
import LimberCore
import LimberHistory
import Systemd

/// The plan for today (`limberctl today`, docs/api.md): what is still to
/// come, forecast from the engine as it stands, and what became of the
/// day's reminders so far, from the history.
extension ControlAPI {
    static let todayMethods: [APIMethod] = [
        APIMethod("Today", doc: """
            The plan for today: day (YYYY-MM-DD), now, showing (the reminder
            up now, or empty), upcoming (at, rule, title, phase, phase_name,
            exercises, catch_up; if the person stays and answers Done),
            so_far (at, rule, title, outcome, note; from the history) and
            history (false when it could not be read).
            """, out: [.init("today", "a{sv}")]) { api, _ in [api.today()] },
    ]

    func today() -> BusValue {
        let engine = service.engine
        let moment = now
        let calendar = engine.calendar
        let start = calendar.startOfDay(moment.wall)
        let end = calendar.startOfDay(moment.wall, addingDays: 1)
        let upcoming: [BusValue] = engine.plan(until: end, at: moment).map { p in
            .vardict([
                "at": .uint64(Self.unixSeconds(p.at)),
                "rule": .string(p.rule.description),
                "title": .string(p.title),
                "phase": .string(p.phase?.id ?? ""),
                "phase_name": .string(p.phase?.name ?? ""),
                "exercises": .strings(p.exercises.map(\.name)),
                "catch_up": .bool(p.catchUp),
            ])
        }
        var history = service.history != nil
        var soFar: [BusValue] = []
        if let h = service.history {
            do {
                soFar = try h.outcomes(since: start, until: end).map(\.outcome)
                    .filter { $0.kind != .shown && $0.at <= moment.wall }
                    .map { o in
                        .vardict([
                            "at": .uint64(Self.unixSeconds(o.at)),
                            "rule": .string(o.rule.description),
                            "title": .string(engine.rule(o.rule)?.title ?? o.rule.description),
                            "outcome": .string(Self.outcomeName(o)),
                            "note": .string(o.note ?? ""),
                        ])
                    }
            } catch {
                history = false   // the reply says so; limberctl points at the journal
            }
        }
        let showing = engine.onScreen
        return .vardict([
            "day": .string(calendar.dayKey(moment.wall)),
            "now": .uint64(Self.unixSeconds(moment.wall)),
            "showing_id": .uint64(showing?.id ?? 0),
            "showing_title": .string(showing?.title ?? ""),
            "upcoming": .array(elementSignature: "a{sv}", upcoming),
            "so_far": .array(elementSignature: "a{sv}", soFar),
            "history": .bool(history),
        ])
    }

    /// done, snoozed, skipped, dismissed, expired, missed, postponed, paused.
    static func outcomeName(_ o: Outcome) -> String {
        if o.kind == .snoozed && o.note == "paused" { return "paused" }
        return o.kind.rawValue
    }
}
