// quiet-hours: extra quiet windows as a gate; reminders are postponed, not lost.
import Foundation
import LimberCore

/// Postpones reminders due inside one of its windows to the window's end.
/// The core already keeps `quiet_hours` from limber.toml; this gate adds
/// windows of its own (a lunch break, a standing meeting) on chosen days,
/// and says in its status which window is on.
public final class QuietHoursPlugin: BuiltinPlugin, GatePlugin {
    public static let manifest = PluginManifest(
        id: "quiet-hours", name: "Quiet hours",
        description: "Extra quiet windows (\"12:00-13:00\") on chosen days: reminders due inside one are postponed to its end, not lost.",
        version: "1.0",
        settings: [
            SettingSpec("windows", .strings([]), help: "Windows like \"12:00-13:00\" or \"22:00-07:00\"."),
            SettingSpec("days", .strings([]), help: "Days the windows apply (\"mon\", \"tue\", ...); empty: every day."),
        ],
        gateTimeLimit: .seconds(1))

    public var manifest: PluginManifest { Self.manifest }

    private var context: PluginContext?
    private var windows: [DayWindow] = []
    private var days: Set<Weekday> = Weekday.everyDay
    var timeZone: () -> TimeZone = { TimeZone.current }

    public init() {}

    public func start(_ context: PluginContext) throws {
        self.context = context
        windows = []
        for text in context.settings.strings("windows") ?? [] {
            guard let w = DayWindow(text) else { throw PluginError("'windows': \"\(text)\" is not a window like \"12:00-13:00\"") }
            windows.append(w)
        }
        let dayNames = context.settings.strings("days") ?? []
        if !dayNames.isEmpty {
            days = []
            for d in dayNames {
                guard let w = Weekday(d) else { throw PluginError("'days': \"\(d)\" is not a day like \"mon\"") }
                days.insert(w)
            }
        }
        context.setDetail(windows.isEmpty ? .text(trMark("no windows")) : .verbatim(windows.map(\.description).joined(separator: ", ")))
    }

    public func stop() { context = nil }

    public func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws {
        let now = context?.now().wall ?? Date()
        let cal = LocalCalendar(timeZone: timeZone())
        for w in windows {
            if let occ = cal.occurrence(of: w, containing: now, days: days), occ.end > now {
                let f = DateFormatter()
                f.dateFormat = "HH:mm"
                f.timeZone = cal.timeZone
                verdict(.postpone(.seconds(max(1, occ.end.timeIntervalSince(now).rounded(.up))),
                                  reason: "quiet hours \(w) until \(f.string(from: occ.end))"))
                return
            }
        }
        verdict(.proceed)
    }
}
