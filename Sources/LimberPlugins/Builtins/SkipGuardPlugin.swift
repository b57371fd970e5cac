// skip-guard: after N skips in a row, a gentler message and fewer exercises.
import Foundation
import LimberCore

/// Counts skips in a row per rule; a done, a snooze or an expiry (any
/// answer but a skip) resets the count. Once a rule has been skipped
/// `after` times in a row, its next reminders carry a gentler message and
/// fewer exercises: the first `exercises` of them. Users report skipping by
/// reflex; a smaller ask gets done. Each exercise keeps its prescribed dose,
/// unless its program allows an easier one (`allow_easier = true`): then
/// the dose is halved too.
public final class SkipGuardPlugin: BuiltinPlugin, ObserverPlugin, ShaperPlugin {
    public static let manifest = PluginManifest(
        id: "skip-guard", name: "Skip guard",
        description: "After several skips in a row, offers a gentler message and fewer exercises (each at its prescribed dose) instead of the full reminder.",
        version: "1.0",
        settings: [
            SettingSpec("after", .integer(3), help: "Skips in a row before reminders get gentler.", minimum: 1, maximum: 100),
            SettingSpec("message", .string("Skipped a few in a row: how about just this one?"), help: "The gentler message."),
            SettingSpec("exercises", .integer(1), help: "How many exercises the gentler reminder keeps.", minimum: 1, maximum: 20),
        ])

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    public private(set) var streaks: [RuleID: Int] = [:]

    public init() {}

    public func start(_ context: PluginContext) throws { self.context = context }

    public func stop() { context = nil }

    public func observe(_ observation: ServiceEvent) throws {
        guard case .recorded(let o) = observation else { return }
        switch o.kind {
        case .skipped:
            streaks[o.rule, default: 0] += 1
            if streaks[o.rule] == context?.settings.integer("after") {
                context?.log(.notice, "\(o.rule) skipped \(streaks[o.rule]!) times in a row; offering fewer exercises")
            }
        case .done, .snoozed, .expired:
            streaks[o.rule] = 0
        default:
            break
        }
    }

    public func shape(_ reminder: Reminder) throws -> Reminder {
        let after = context?.settings.integer("after") ?? 3
        let keep = context?.settings.integer("exercises") ?? 1
        let message = context?.settings.string("message") ?? ""
        var r = reminder
        for i in r.items.indices where streaks[r.items[i].rule, default: 0] >= after {
            r.items[i].message = message
            r.items[i].exercises = Array(r.items[i].exercises.prefix(keep)).map { $0.allowEasier ? Self.shorter($0) : $0 }
        }
        return r
    }

    /// Half the dose, for exercises whose program allows an easier one.
    static func shorter(_ e: Exercise) -> Exercise {
        var e = e
        var d = e.dose
        if let r = d.reps { d.reps = max(1, (r + 1) / 2) }
        if d.sets != nil { d.sets = 1 }
        if let h = d.holdSeconds { d.holdSeconds = max(5, h / 2) }
        if let t = d.duration { d.duration = max(.seconds(10), t / 2) }
        e.dose = d
        return e
    }
}
