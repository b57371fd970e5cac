import Foundation
import LimberAPI
import LimberCore
import LimberHistory
import Systemd

/// The plan for today (`limberctl today`, docs/api.md): what is still to
/// come, forecast from the engine as it stands, and what became of the
/// day's reminders so far, from the history.
extension ControlAPI {
    static let todayHandlers: [APIHandler] = [
        APIHandler(.today, async: { api, _, reply in ControlAPI.answering(reply) { api.today(answer: $0) } }),
    ]

    /// The plan is forecast on the loop; the day's outcomes are read by
    /// the history writer (after every write asked before, so an answer
    /// just given is in them), and the reply goes out when they are.
    func today(answer: @escaping HistoryAnswer) {
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
        let showing = engine.onScreen
        var titles: [RuleID: String] = [:]
        for id in engine.ruleIDs { titles[id] = engine.rule(id)?.title }
        let head: [String: BusValue] = [
            "day": .string(calendar.dayKey(moment.wall)),
            "now": .uint64(Self.unixSeconds(moment.wall)),
            "showing_id": .uint64(showing?.id ?? 0),
            "showing_title": .string(showing?.title ?? ""),
            "upcoming": .array(elementSignature: "a{sv}", upcoming),
        ]
        func reply(_ outcomes: [Outcome]?) {
            var soFar: [BusValue] = []
            for o in outcomes ?? [] where o.kind != .shown && o.at <= moment.wall {
                let title: String = titles[o.rule] ?? o.rule.description
                let row: [String: BusValue] = [
                    "at": .uint64(Self.unixSeconds(o.at)),
                    "rule": .string(o.rule.description),
                    "title": .string(title),
                    "outcome": .string(Self.outcomeName(o)),
                    "note": .string(o.note ?? ""),
                ]
                soFar.append(.vardict(row))
            }
            var d = head
            d["so_far"] = .array(elementSignature: "a{sv}", soFar)
            // false: limberctl says the history could not be read.
            d["history"] = .bool(outcomes != nil)
            answer(.success(.vardict(d)))
        }
        guard let history = service.history else { return reply(nil) }
        history.run({ store -> [Outcome]? in
            try? store.outcomes(since: start, until: end).map(\.outcome)
        }) { reply($0) }
    }

    /// done, snoozed, skipped, dismissed, expired, missed, postponed, paused.
    static func outcomeName(_ o: Outcome) -> String {
        if o.kind == .snoozed && o.note == "paused" { return "paused" }
        return o.kind.rawValue
    }
}
