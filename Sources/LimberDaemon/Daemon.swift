import Foundation
import LimberGuide
import Logging
import LimberCore
import LimberNotifications
import LimberConfig
import LimberHistory
import LimberPlugins
import Systemd

/// limberd's process: one sd-event loop owns the timers, the signals, the
/// watchdog and (with the notification and API layers) the bus.
public final class Daemon {
    public struct Options: Sendable {
        public var foreground = false
        public var timeScale: Double = 1
        public var searchPath: SearchPath = .standard()
        public var stateDirectory: String = Paths.stateDirectory()
        public var historyPath: String? = nil
        /// The state directory is a demo's throwaway one (see DemoState).
        public var throwawayState = false
        public var timeZone: TimeZone = .current
        public init() {}
    }

    public let loop: EventLoop
    public let service: ReminderService
    /// The user's session bus (notifications, the control API) and the
    /// system bus (logind), each kept connected.
    public let userBus: BusSupervisor
    public let systemBus: BusSupervisor
    public let options: Options
    public let timeBase: TimeBase
    private let notifier = Notifier()
    private var sources: [EventSource] = []
    /// Typed answers in the foreground (d, s, k).
    private var stdinSource: EventSource?
    private let log: Logger
    private var terminal: TerminalPresenter?
    /// The desktop-notification presenter (configured by the `notify` plugin).
    public private(set) var notifications: NotificationPresenter?
    private let simulatedStart: Date?
    /// The plugin host and its adapter; the service's gate.
    public let plugins: PluginWiring
    /// The control API (org.limber.Limber1); see API/ControlAPI.swift.
    public private(set) var api: ControlAPI?
    /// The pain question after Done (`checkin_after_exercise`).
    public private(set) var checkIns: CheckInAfterExercise?
    /// "Has the flare settled?" with Yes / Not yet, when a phase asks it.
    public private(set) var phaseQuestions: PhaseQuestionPrompt?
    /// After a worse check-in: back to the gentler phase, knees to chest.
    public private(set) var worseningOffer: WorseningOffer?
    /// Fires just after each local midnight: the day's activity is written
    /// and the history retention applied.
    private var housekeepingTimer: EventTimer?

    public init(options: Options) throws {
        self.options = options
        let log = Logger(label: "limberd")
        self.log = log
        // Whatever limberd creates (state, history, its -wal) is the user's
        // alone, whatever umask it was started with.
        umask(0o077)
        // The state folder must be the user's own: a folder of someone else,
        // or one others may write, is not used (reminders go on without
        // state or history, and the status says why).
        var statePrivacy: PrivacyError?
        do throws(PrivacyError) { try PrivateFiles.prepareFolder(options.stateDirectory) } catch {
            statePrivacy = error
            log.error("state and history not kept: \(error.description)")
        }
        loop = try EventLoop()
        userBus = BusSupervisor(.user, loop: loop, logger: log)
        systemBus = BusSupervisor(.system, loop: loop, logger: log)
        let loader = ConfigLoader(searchPath: options.searchPath)
        let (configuration, plugins) = try Self.initialConfiguration(loader: loader, log: log)

        // A sped-up run outside working hours starts its simulated day at the
        // next working window, so a demo shows something at once.
        var start = Clocks.now()
        if options.timeScale != 1 {
            let cal = LocalCalendar(timeZone: options.timeZone)
            let s = configuration.settings
            if options.throwawayState {
                // A demo on fresh state starts its simulated day at the start
                // of working hours (today's, or the next), so the first
                // reminder comes within seconds whatever the time of day.
                if let now = cal.occurrence(of: s.workingHours, containing: start.wall, days: s.activeDays) {
                    start.wall = now.start
                } else if let next = cal.nextOccurrence(of: s.workingHours, after: start.wall, days: s.activeDays) {
                    start.wall = next.start
                }
            } else if cal.occurrence(of: s.workingHours, containing: start.wall, days: s.activeDays) == nil,
               let next = cal.nextOccurrence(of: s.workingHours, after: start.wall, days: s.activeDays) {
                start.wall = next.start
            }
            // Go on from where the last sped-up run's simulated time got to:
            // otherwise a restart looks like the clock set back by hours.
            if !options.throwawayState, statePrivacy == nil, let saved = try? StateStore(directory: options.stateDirectory).load(),
               let resume = Self.simulatedResume(after: saved), resume > start.wall {
                start.wall = resume
            }
        }
        self.simulatedStart = options.timeScale != 1 ? start.wall : nil
        let base = TimeBase(scale: options.timeScale, start: start)
        timeBase = base
        let clock: () -> Moment = { base.moment(real: Clocks.now()) }

        var history: HistoryStore?
        let historyPath = options.historyPath ?? (options.stateDirectory + "/history.sqlite")
        do {
            if let statePrivacy, options.historyPath == nil { throw statePrivacy }
            // The writer works off the loop (HistoryWriter), so waiting for
            // another process's lock holds up only the history.
            let opened = try HistoryStore.open(at: historyPath, options: .init(busyTimeout: 30))
            history = opened.store
            for line in opened.report.messages { log.notice("\(line)") }
        } catch {
            log.error("history unavailable; reminders go on without it", metadata: ["path": "\(historyPath)", "error": "\(error)"])
        }

        let tty = options.foreground && isatty(0) == 1
        let terminal = TerminalPresenter(timeZone: options.timeZone, acceptsInput: tty,
                                         limberctlReaches: { [weak userBus] in userBus?.bus != nil }, clock: { clock().wall })
        self.terminal = terminal
        // One client of the notification server on the session bus, for the
        // reminders and the check-in question; the terminal (foreground) or
        // the journal (service) while no server answers.
        let client = NotificationClient(bus: userBus, whileDown: "reminders go to the \(options.foreground ? "terminal" : "journal")",
                                        logger: log)
        // Which notification shows which reminder survives a restart (the
        // next run replaces or closes what this one leaves on screen).
        let idStore = statePrivacy == nil && !options.throwawayState ? NotificationIDStore(directory: options.stateDirectory) : nil
        // "How to" and a click on the body open the exercise guide (never an
        // answer); so does the tray's "Exercise guide".
        let guide = GuideLauncher(bus: userBus, logger: log)
        let presenter = NotificationPresenter(client: client, fallback: options.foreground ? terminal : JournalPresenter(logger: log),
                                              idStore: idStore, picture: { GuideFiles.pictureFile($0) },
                                              openGuide: { guide.open($0, programs: $1) }, logger: log)
        notifications = presenter
        let stateNote = statePrivacy.map { tr("state and history not kept: {reason}", ["reason": $0.description]) }
        // With no server, say where reminders went (not "showing").
        let foreground = options.foreground
        let noServerNote: () -> String? = { [weak client] in
            guard client?.serverState == .down else { return nil }
            return foreground ? tr("no notification server: reminders go to the terminal")
                : tr("no notification server: reminders go to the journal")
        }
        // The plugin host first (PluginWiring.swift): the service gets its
        // gate, its status source and its reload validator at construction.
        let tray = TrayBridge(loop: loop, plan: PlanNotifier(client: client, logger: log), guide: guide,
                              logger: Logger(label: "limberd.tray"))
        let wiring = PluginWiring(loop: loop, clock: clock, pluginDirectories: options.searchPath.directories.map { $0 + "/plugins" },
                                  builtins: PluginRegistry.builtins(BuiltinEnvironment(notificationBackend: presenter, tray: tray)),
                                  logger: Logger(label: "limberd.plugins"))
        self.plugins = wiring
        service = ReminderService(configuration: configuration, plugins: plugins, loader: loader,
                                  presenter: wiring.presenter(presenter), gate: wiring,
                                  redFlagAlerts: RedFlagNotifier(client: client, logger: log),
                                  statusSources: [noServerNote, { [weak wiring] in wiring?.idleSourceLine },
                                                  { stateNote }],
                                  reloadValidators: [{ [weak wiring] in wiring?.validateReload($0) ?? [] }],
                                  stateStore: statePrivacy == nil ? StateStore(directory: options.stateDirectory) : nil,
                                  history: history,
                                  timeZone: options.timeZone, clock: clock, loop: loop, timeBase: base, logger: log)
        tray.connect(service)
        // A demo keeps a reminder up at least a minute of real time, so that
        // it can be answered (tests and soaks name a --state-dir and keep
        // the program's own times).
        if options.throwawayState { service.setMinimumStaysUp(.seconds(60) * options.timeScale) }
        // The pain question after Done, on the presenter's connection (a supervisor calls both on connect).
        let prompt = CheckInPrompt(client: client, loop: loop, logger: log)
        checkIns = CheckInAfterExercise(service: service, prompt: prompt, logger: log)
        phaseQuestions = PhaseQuestionPrompt(service: service, client: client, logger: log)
        worseningOffer = WorseningOffer(service: service, client: client, logger: log) { program, exercise in
            guide.open(program, exercise: exercise)
        }
        try wire(tty: tty)
        // Control API (org.limber.Limber1, docs/api.md): exported and named on every session-bus connection.
        let api = ControlAPI(service: service, pluginStatuses: { [weak wiring] in
                                 // The notify plugin is not "running" while no server shows anything.
                                 (wiring?.statusRows() ?? []).map { row in
                                     guard row.id == "notify", row.state == "running", let note = noServerNote() else { return row }
                                     return PluginStatusRow(id: row.id, state: "absent", kind: row.kind, detail: note)
                                 }
                             },
                             reload: { [weak self] in self?.reload() }, loop: loop, logger: log)
        self.api = api
        userBus.onConnect { bus in api.attach(to: bus) }
        userBus.onDisconnect { api.detach() }
    }

    /// The latest simulated time a saved state has seen (a sped-up run
    /// resumes there), or nil when it has seen nothing.
    static func simulatedResume(after state: EngineState) -> Date? {
        var times: [Date] = [state.lastShownAt?.wall, state.showing?.shownAt].compactMap { $0 }
        for rule in state.ruleStates {
            times += [rule.lastFired?.wall, rule.lastAnswered?.wall, rule.since?.wall].compactMap { $0 }
        }
        return times.max()
    }

    /// The configuration to start on. A broken user configuration falls
    /// back to the shipped programs (and says why) rather than not starting.
    static func initialConfiguration(loader: ConfigLoader, log: Logger) throws -> (Configuration, [String: ConfigTable]) {
        let result = loader.loadAll()
        for d in result.warnings { log.warning("\(d.description)") }
        if let c = result.configuration, !result.hasErrors { return (c, result.plugins) }
        for d in result.errors { log.error("\(d.description)") }
        let shipped = ConfigLoader(searchPath: SearchPath(directories: [SearchPath.dataDirectory()]), trust: loader.trust)
        let fallback = shipped.loadAll()
        if let c = fallback.configuration, !fallback.hasErrors {
            log.error("configuration has errors; running the shipped default settings until they are fixed and reloaded")
            return (c, [:])
        }
        throw DaemonError.configuration(result.errors.map(\.description))
    }

    private func wire(tty: Bool) throws {
        service.observe { [weak self] event in
            guard let self else { return }
            switch event {
            // After any change (away and back, an answer, a pause) the code it
            // ran can go again: trimmed 10 s later, once, however many came.
            case .statusChanged(let line):
                _ = try? self.notifier.status(line)
                self.scheduleTrim()
            // A reminder's work is over: give back what showing it touched.
            case .withdrawn: self.scheduleTrim()
            // The foreground mode says what became of each answer.
            case .recorded(let outcome) where self.options.foreground:
                self.terminal?.echo(outcome, title: self.service.engine.rule(outcome.rule)?.title ?? outcome.rule.description)
            default: break
            }
        }
        sources.append(try loop.onSignal(.terminate) { [weak self] in self?.stop() })
        sources.append(try loop.onSignal(.interrupt) { [weak self] in self?.stop() })
        sources.append(try loop.onSignal(.hangup) { [weak self] in self?.reload() })
        sources.append(try loop.onWallClockJump { [weak self] in self?.clockJumped() })
        if tty, let terminal {
            var pending = ""
            stdinSource = try loop.watch(fd: 0) { [weak self] _ in
                var buf = [UInt8](repeating: 0, count: 256)
                let n = read(0, &buf, buf.count)
                // End of input (a closed terminal or /dev/null): stop reading it.
                if n <= 0 { self?.stdinSource?.cancel(); return }
                pending += String(decoding: buf[0..<n], as: UTF8.self)
                while let nl = pending.firstIndex(of: "\n") {
                    terminal.input(String(pending[..<nl]))
                    pending = String(pending[pending.index(after: nl)...])
                }
            }
        }
        _ = try loop.enableWatchdog()
    }

    public func reload() {
        _ = try? notifier.reloading()
        service.reload()
        _ = try? notifier.ready(status: service.statusLine)
        scheduleTrim()
    }

    private var trimTimer: EventTimer?

    /// Once start-up (or a reload) has settled — buses connected, plugins
    /// started — give back the memory only it needed (see MemoryTrim).
    private func scheduleTrim() {
        do {
            if trimTimer == nil {
                trimTimer = try loop.makeTimer(clock: .monotonic, accuracy: .seconds(1)) { [weak self] in
                    let bytes = MemoryTrim.releaseIdleMemory()
                    self?.log.debug("released start-up memory", metadata: ["advised": "\(bytes)"])
                }
            }
            try trimTimer?.arm(after: .seconds(10))
        } catch {
            log.debug("no memory trim: \(error)")
        }
    }

    public func stop() {
        _ = try? notifier.stopping()
        log.info("stopping")
        service.stop()
        loop.exit(code: 0)
    }

    private func clockJumped() {
        NSTimeZone.resetSystemTimeZone()
        let tz = TimeZone.current
        if !timeBase.isScaled, tz.identifier != service.engine.state.timeZoneID {
            log.notice("time zone changed to \(tz.identifier)")
            service.send(.timeZoneChanged(tz))
        }
        log.notice("wall clock changed")
        service.send(.clockChanged)
        armHousekeeping()
    }

    /// The next local midnight, plus a few minutes: when the day's activity
    /// is written and the retention applied.
    public static func nextHousekeeping(after now: Date, timeZone: TimeZone) -> Date {
        Day(now, in: timeZone).adding(days: 1).start(in: timeZone).addingTimeInterval(5 * 60)
    }

    /// Arms the one timer for the next housekeeping (no polling).
    private func armHousekeeping() {
        do {
            if housekeepingTimer == nil {
                housekeepingTimer = try loop.makeTimer(clock: .boottime, accuracy: .seconds(1)) { [weak self] in
                    guard let self else { return }
                    self.service.dailyHousekeeping()
                    self.armHousekeeping()
                }
            }
            let now = service.clock()
            let next = Self.nextHousekeeping(after: now.wall, timeZone: service.timeZone)
            try housekeepingTimer?.arm(after: timeBase.realDelay(until: next, from: now))
        } catch {
            log.error("could not arm the daily history timer: \(error)")
        }
    }

    /// Runs until stopped. Returns the exit code.
    public func run() throws -> Int32 {
        userBus.connect()
        // Plugins (PluginWiring.swift): activity sources, observers; connects the system bus.
        plugins.start(service: service, userBus: userBus, systemBus: systemBus)
        service.start()
        armHousekeeping()
        _ = try? notifier.ready(status: service.statusLine)
        scheduleTrim()
        log.info("limberd ready", metadata: [
            "programs": "\(service.engine.configuration.programs.map(\.id).joined(separator: ","))",
            "time-scale": "\(timeBase.scale)",
        ])
        if options.foreground {
            let programs = service.engine.configuration.programs.map(\.name).joined(separator: ", ")
            var running = tr("running {programs}. {status}", ["programs": programs, "status": service.statusLine])
            if let start = simulatedStart {
                let f = DateFormatter()
                f.dateFormat = "EEE HH:mm"
                f.timeZone = options.timeZone
                running = tr("running {programs} at {scale}× speed, simulated from {start}. {status}",
                             ["programs": programs, "scale": Self.formatScale(timeBase.scale), "start": f.string(from: start),
                              "status": service.statusLine])
            }
            FileHandle.standardOutput.write(Data(SafeText.terminal("limberd: " + running + "\n").utf8))
        }
        return try loop.run()
    }

    static func formatScale(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}

public enum DaemonError: Error, CustomStringConvertible {
    case configuration([String])

    public var description: String {
        switch self {
        case .configuration(let lines): lines.joined(separator: "\n")
        }
    }
}
