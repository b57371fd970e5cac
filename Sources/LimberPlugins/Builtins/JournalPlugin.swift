// journal: every outcome as a structured journal entry.
import Foundation
import LimberCore

/// Writes each outcome (shown, done, snoozed, skipped, dismissed, expired,
/// missed, postponed) as one log entry with structured fields; the daemon's
/// journal log handler turns them into `LIMBER_OUTCOME=`, `LIMBER_RULE=`,
/// ... so `journalctl --user -u limberd LIMBER_OUTCOME=skipped` finds them.
public final class JournalPlugin: BuiltinPlugin, ObserverPlugin {
    public static let manifest = PluginManifest(
        id: "journal", name: "Outcomes in the journal",
        description: "Every outcome as a structured journal entry (LIMBER_OUTCOME, LIMBER_RULE, LIMBER_EXERCISES, ...).",
        version: "1.0",
        settings: [
            SettingSpec("shown", .bool(true), help: "Also log reminders being shown (not only answers)."),
        ])

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?

    public init() {}

    public func start(_ context: PluginContext) throws { self.context = context }

    public func stop() { context = nil }

    public func observe(_ observation: ServiceEvent) throws {
        guard let context, case .recorded(let o) = observation else { return }
        if o.kind == .shown, context.settings.bool("shown") == false { return }
        context.log(.info, Self.message(o), fields: Self.fields(o))
    }

    static func message(_ o: Outcome) -> String {
        var m = "\(o.rule): \(o.kind.rawValue)"
        if !o.exercises.isEmpty { m += " (" + o.exercises.map(\.name).joined(separator: ", ") + ")" }
        if let s = o.snooze { m += " for \(DurationText.format(s))" }
        if let n = o.note { m += ": \(n)" }
        return m
    }

    static func fields(_ o: Outcome) -> [String: String] {
        let iso = ISO8601DateFormatter()
        var f = [
            "outcome": o.kind.rawValue,
            "rule": o.rule.description,
            "reminder": String(o.reminder),
            "at": iso.string(from: o.at),
            "due_at": iso.string(from: o.dueAt),
            "exercises": o.exercises.map(\.id).joined(separator: ","),
            "catch_up": o.catchUp ? "1" : "0",
        ]
        if let s = o.snooze { f["snooze_seconds"] = String(s.wholeSeconds) }
        if let n = o.note { f["note"] = n }
        return f
    }
}
