// The tray plugin's view of the reminder service: a snapshot to show, and
// the menu's actions as the service's events.
import Foundation
import LimberCore
import LimberNotifications
import LimberPlugins
import Logging
import Systemd

/// Built before the service (the plugin host comes first); `connect`
/// hands it the service once, right after the service is made.
public final class TrayBridge: TrayBackend {
    private weak var service: ReminderService?
    private var changed: (() -> Void)?
    private let loop: EventLoop
    private let log: Logger
    private let plan: PlanNotifier
    private let guide: GuideLauncher
    private var children: [EventSource] = []

    public init(loop: EventLoop, plan: PlanNotifier, guide: GuideLauncher, logger: Logger) {
        self.loop = loop
        self.plan = plan
        self.guide = guide
        self.log = logger
    }

    /// Follows `service`: every status change, reminder shown or answered
    /// refreshes the tray.
    public func connect(_ service: ReminderService) {
        self.service = service
        service.observe { [weak self] _ in self?.changed?() }
    }

    public func onChange(_ changed: @escaping () -> Void) { self.changed = changed }

    public func snapshot() -> TraySnapshot {
        guard let service else { return TraySnapshot(state: .idle, next: "", doneToday: "") }
        let now = service.clock()
        let s = service.status()
        let paused = s.pausedUntil.map { $0 > now.wall } ?? false
        let onScreen = service.engine.onScreen
        let state: TraySnapshot.State = s.redFlag != nil ? .redFlag
            : paused ? .paused : onScreen != nil ? .due : (s.nextAt != nil && !s.away) ? .counting : .idle
        var next = ""
        if s.redFlag != nil {
            next = tr("Red flag: exercise reminders stopped; get care")
        } else if paused {
            next = s.pausedUntil == .distantFuture ? tr("Paused") : tr("Paused until {time}", ["time": Self.hhmm(s.pausedUntil!, service)])
        } else if let shown = onScreen {
            next = tr("Now: {title}", ["title": shown.title])
        } else if let title = s.nextTitle, let at = s.nextAt {
            // A clock time stays right between tooltip updates; "in 12 min" would not.
            next = tr("Next: {title} at {time}", ["title": title, "time": Self.hhmm(at, service)])
        } else if s.away {
            next = tr("Waiting for you to be back")
        }
        return TraySnapshot(state: state, next: next, doneToday: trn("{n} done today", "{n} done today", s.doneToday, ["n": String(s.doneToday)]),
                            showing: onScreen?.id, canSnooze: onScreen?.snoozeLength != nil, paused: paused)
    }

    static func hhmm(_ date: Date, _ service: ReminderService) -> String {
        let c = service.engine.calendar
        let start = c.startOfDay(date)
        let minutes = Int(date.timeIntervalSince(start) / 60)
        return localTime(hour: minutes / 60, minute: minutes % 60)
    }

    public func perform(_ action: TrayAction) {
        guard let service else { return }
        let now = service.clock()
        let onScreen = service.engine.onScreen
        switch action {
        case .done: if let r = onScreen { service.send(.answer(r.id, .done)) }
        case .snooze: if let r = onScreen, r.snoozeLength != nil { service.send(.answer(r.id, .snooze(nil))) }
        case .skip: if let r = onScreen { service.send(.answer(r.id, .skip)) }
        case .breakNow:
            if onScreen == nil, let rule = service.status().nextRule { service.send(.trigger(rule)) }
        case .moved: service.send(.moved)
        case .pause(let d): service.send(.pause(until: now.wall.addingTimeInterval(d.seconds)))
        case .pauseUntilTomorrow: service.send(.pause(until: service.engine.calendar.startOfDay(now.wall, addingDays: 1)))
        case .resume: service.send(.resume)
        case .todaysPlan:
            let today = TodayPlan(engine: service.engine, now: now)
            plan.show(summary: today.summary, body: today.body)
        case .statistics: openReport()
        case .guide: openGuide(service)
        }
    }

    /// The guide of the reminder on screen (at its first exercise), else of
    /// the next reminder's program, else of the first enabled program.
    private func openGuide(_ service: ReminderService) {
        let programs = service.engine.configuration.programs
        if let shown = service.engine.onScreen {
            guide.open(shown, programs: programs)
            return
        }
        let next = service.status().nextRule?.program
        guard let program = programs.first(where: { $0.id == next }) ?? programs.first else {
            log.notice("tray: no program enabled, no exercise guide to open")
            return
        }
        guide.open(program, exercise: nil)
    }

    /// `limberctl report --html FILE`, then the browser on it (children of
    /// ours, watched on the loop; the loop never waits).
    private func openReport() {
        let dir = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? NSTemporaryDirectory()
        let file = dir + "/limber-report.html"
        let ctl = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("limberctl").path
        run(ctl, ["report", "--html", file]) { [weak self] ok in
            if ok { self?.run("/usr/bin/xdg-open", [file]) { _ in } }
        }
    }

    private func run(_ executable: String, _ arguments: [String], then: @escaping (Bool) -> Void) {
        do {
            let child = try ChildProcess.spawn(executable: executable, arguments: arguments,
                                               environment: ProcessInfo.processInfo.environment)
            child.closeStdin()
            var source: EventSource?
            source = try child.onExit(loop: loop) { [weak self] status in
                self?.children.removeAll { $0 === source }
                withExtendedLifetime(child) {}
                then(status == .exited(0))
            }
            if let source { children.append(source) }
        } catch {
            log.warning("tray: cannot run \(executable): \(error)")
            then(false)
        }
    }
}
