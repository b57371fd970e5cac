// The control API: the bus object, its service events, and the methods that
// act. What it reads is in ControlAPI+Reading.swift, the history methods in
// ControlAPI+History.swift, the programs' phases in ControlAPI+Phases.swift.
import Foundation
import Logging
import LimberAPI
import LimberCore
import LimberConfig
import LimberHistory
import Systemd

/// One row of `ListPlugins` (and `limberctl plugins`).
public struct PluginStatusRow: Sendable, Hashable {
    public var id: String
    /// "running", "failed", "disabled".
    public var state: String
    /// "built-in", "exec", ...
    public var kind: String
    /// Why it failed, what it does: a line for a person, in limberd's language.
    public var detail: String
    /// What limberd uses it for now: "idle-source" (the one idle source in use).
    public var roles: [String]

    public init(id: String, state: String, kind: String, detail: String = "", roles: [String] = []) {
        self.id = id
        self.state = state
        self.kind = kind
        self.detail = detail
        self.roles = roles
    }

    /// The role of the idle source in use (`roles`).
    public static let idleSourceRole = "idle-source"
}

/// The control API, org.limber.Limber1 at /org/limber/Limber1: methods that
/// turn into service events, properties read from the engine, signals from
/// the service's events. Lives on the loop thread; `attach(to:)` exports it
/// on a (re)connected session bus and takes the bus name.
///
/// Every method checks its argument signature and sizes first and answers
/// nonsense with a named error before anything changes (docs/api.md).
public final class ControlAPI {
    public let service: ReminderService
    /// What `ListPlugins` answers (the plugin host's statuses).
    public let pluginStatuses: () -> [PluginStatusRow]
    /// Where EnableProgram/DisableProgram write their drop-in:
    /// `<configDirectory>/limber.toml.d/50-limberctl.toml`.
    public let configDirectory: String
    private let reloadAction: () -> Void
    private let loop: EventLoop?
    let log: Logger
    private var object: ExportedObject?
    private var published: [String: BusValue] = [:]
    private var refreshScheduled = false
    private var answered: [(id: ReminderID, outcome: String, rule: RuleID)] = []
    private var answerFlushScheduled = false

    /// Longest string argument accepted (bytes); longer ones are refused.
    public static let maxStringBytes = 4096
    /// Most elements accepted in an array argument.
    public static let maxArrayCount = 64
    /// The longest pause by duration.
    public static let maxPause: Duration = .seconds(7 * 86_400)
    /// The longest snooze.
    public static let maxSnooze: Duration = .seconds(86_400)
    /// How far back `Stats` with a first day may reach.
    public static let maxStatsDays = 3660

    /// - Parameters:
    ///   - reload: runs a reload the way SIGHUP does (sd_notify RELOADING
    ///     and READY around `service.reload()`); success is read back from
    ///     `service.lastReloadErrors`.
    ///   - loop: coalesces signals and PropertiesChanged to one per loop
    ///     iteration; nil sends them at once.
    public init(service: ReminderService, pluginStatuses: @escaping () -> [PluginStatusRow] = { [] },
                reload: @escaping () -> Void, loop: EventLoop?,
                configDirectory: String = Paths.configDirectory(), logger: Logger) {
        self.service = service
        self.pluginStatuses = pluginStatuses
        self.reloadAction = reload
        self.loop = loop
        self.configDirectory = configDirectory
        self.log = logger
        service.observe { [weak self] event in self?.serviceEvent(event) }
    }

    // MARK: Bus

    /// Exports the object on `bus` and asks for the bus name (without
    /// waiting: a slow bus daemon does not hold up the loop). Called for
    /// every (re)connection of the session bus. Failures are logged:
    /// reminders go on without the API.
    public func attach(to bus: Bus) {
        do {
            let log = self.log
            let object = try bus.exportObject(path: LimberBus.path, interfaceXML: LimberInterface.xml) { member, error in
                log.warning("the reply to \(member) could not be sent (the caller waits for its timeout): \(error)")
            }
            register(object)
            self.object = object
            published = currentProperties()
        } catch {
            log.error("cannot export the control API", metadata: ["path": "\(LimberBus.path)", "error": "\(error)"])
            return
        }
        do {
            try bus.requestNameAsync(LimberBus.name) { [log] result in
                switch result {
                case .success(.primaryOwner), .success(.alreadyOwner):
                    log.debug("took the bus name \(LimberBus.name)")
                case .success(.exists), .success(.inQueue):
                    log.error("another process owns \(LimberBus.name) (a second limberd?); limberctl talks to that one")
                case .failure(let error):
                    log.error("cannot take the bus name \(LimberBus.name): \(error)")
                }
            }
        } catch {
            log.error("cannot take the bus name \(LimberBus.name): \(error)")
        }
    }

    /// Drops the exported object (the connection went away).
    public func detach() {
        object?.unexport()
        object = nil
    }

    /// Registers every declared method (LimberAPI's APITable.swift) with
    /// its handler (APIHandlers.swift) and every property. Each method's
    /// arguments are checked against its declared signature and sizes
    /// before its handler runs.
    private func register(_ object: ExportedObject) {
        for (m, body) in Self.served {
            let (name, inSig, outSig) = (m.name, m.inSignature, m.outSignature)
            switch body {
            case .sync(let body):
                // Answered once what the method handed the history writer
                // is on disk (acknowledged means on disk); at once when it
                // handed it nothing (Status, the lists).
                object.addAsyncMethod(interface: LimberBus.interface, member: name) { [weak self] invocation, reply in
                    guard let self else {
                        reply.fail(BusMethodError(name: BusErrorName.failed, message: tr("limberd is stopping")))
                        return
                    }
                    let queued = self.service.history?.lastTicket ?? 0
                    defer { self.scheduleRefresh() }
                    let values: [BusValue]
                    do {
                        try Self.check(invocation, name: name, signature: inSig)
                        values = try body(self, invocation)
                    } catch let e as BusMethodError {
                        return reply.fail(e)
                    } catch {
                        return reply.fail(BusMethodError(name: LimberBus.ErrorName.failed, message: "\(error)"))
                    }
                    guard values.busSignature == outSig else {
                        self.log.error("control API \(name) built a reply of (\(values.busSignature)), declared (\(outSig))")
                        return reply.fail(BusMethodError(name: LimberBus.ErrorName.failed, message: tr("internal error: bad reply for {method}", ["method": name])))
                    }
                    self.answerWhenWritten(reply, since: queued, values)
                }
            case .async(let body):
                object.addAsyncMethod(interface: LimberBus.interface, member: name) { [weak self] invocation, reply in
                    guard let self else {
                        reply.fail(BusMethodError(name: BusErrorName.failed, message: tr("limberd is stopping")))
                        return
                    }
                    do { try Self.check(invocation, name: name, signature: inSig) } catch let e as BusMethodError {
                        reply.fail(e)
                        return
                    } catch {
                        reply.fail(BusMethodError(name: LimberBus.ErrorName.failed, message: "\(error)"))
                        return
                    }
                    body(self, invocation, reply)
                    self.scheduleRefresh()
                }
            }
        }
        for name in LimberInterface.propertyNames {
            object.addProperty(interface: LimberBus.interface, name: name) { [weak self] in
                self?.currentProperties()[name] ?? .string("")
            }
        }
    }

    /// Replies once every history job asked since `ticket` is finished
    /// (at once when none was): when the method handed the writer work and
    /// a reminder is under review (TriggerNow, BreakNow, a resume's
    /// catch-up), after the gates decided and the `shown` row was handed
    /// over too. A job that could not write turns the reply into
    /// HistoryUnavailable saying what is held, as the status line does:
    /// what was asked was carried out, but is not on disk yet.
    private func answerWhenWritten(_ reply: MethodReply, since ticket: UInt64, _ values: [BusValue]) {
        guard let history = service.history, history.lastTicket > ticket else { return reply.succeed(values) }
        service.whenReviewsSettle { [weak self] in self?.answerAfterQueued(history, reply, since: ticket, values) }
    }

    private func answerAfterQueued(_ history: HistoryWriter, _ reply: MethodReply, since ticket: UInt64, _ values: [BusValue]) {
        history.afterQueued(since: ticket) { problems in
            guard !problems.isEmpty else { return reply.succeed(values) }
            var unique: [String] = []
            for p in problems where !unique.contains(p) { unique.append(p) }
            reply.fail(.limber(LimberBus.ErrorName.historyUnavailable,
                               tr("carried out, but not on disk yet: {problems}; limberd keeps it in memory and writes it when the history allows",
                                  ["problems": unique.joined(separator: "; ")])))
        }
    }

    /// The argument signature and sizes a method accepts.
    static func check(_ invocation: MethodInvocation, name: String, signature: String) throws {
        guard invocation.signature == signature else {
            throw BusMethodError.invalidArgs("\(name) takes (\(signature)), not (\(invocation.signature))")
        }
        try checkSizes(invocation.arguments)
    }

    /// Refuses strings longer than `maxStringBytes` and arrays longer than
    /// `maxArrayCount`, at any depth.
    static func checkSizes(_ values: [BusValue]) throws {
        for v in values {
            switch v {
            case .string(let s), .objectPath(let s), .signature(let s):
                if s.utf8.count > maxStringBytes {
                    throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                                tr("an argument is {n} bytes long; at most {max} are accepted", ["n": String(s.utf8.count), "max": String(maxStringBytes)]))
                }
            case .array(_, let elements):
                if elements.count > maxArrayCount {
                    throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                                tr("a list of {n} items; at most {max} are accepted", ["n": String(elements.count), "max": String(maxArrayCount)]))
                }
                try checkSizes(elements)
            case .dict(_, _, let entries):
                if entries.count > maxArrayCount {
                    throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                                tr("a dictionary of {n} entries; at most {max} are accepted", ["n": String(entries.count), "max": String(maxArrayCount)]))
                }
                try checkSizes(entries.flatMap { [$0.key, $0.value] })
            case .variant(let inner): try checkSizes([inner])
            case .structure(let members): try checkSizes(members)
            default: break
            }
        }
    }

    // MARK: Service events → signals and PropertiesChanged

    private func serviceEvent(_ event: ServiceEvent) {
        switch event {
        case .shown(let r):
            emit(.reminderShown, [
                .uint64(r.id), .string(r.title), .strings(r.items.map(\.rule.description)),
                .string(ReminderText.body(r, programs: service.engine.configuration.programs)),
            ])
        case .recorded(let o):
            if let outcome = Self.answerOutcome(o) {
                answered.append((o.reminder, outcome, o.rule))
                scheduleAnswerFlush()
            }
        case .reloaded(let ok, let diagnostics):
            emit(.reloaded, [.bool(ok), .strings(diagnostics)])
        case .withdrawn, .statusChanged:
            break
        }
        scheduleRefresh()
    }

    /// The outcome name `ReminderAnswered` carries, nil for records that are
    /// not the end of a reminder on screen (shown, missed, postponed).
    static func answerOutcome(_ o: Outcome) -> String? {
        switch o.kind {
        case .done: "done"
        case .skipped: "skipped"
        case .dismissed: "dismissed"
        case .expired: "expired"
        case .snoozed: o.note == "paused" ? "paused" : "snoozed"
        case .shown, .missed, .postponed: nil
        }
    }

    private func scheduleAnswerFlush() {
        guard !answerFlushScheduled else { return }
        if let loop {
            answerFlushScheduled = true
            do {
                try loop.defer { [weak self] in self?.flushAnswers() }
                return
            } catch {
                answerFlushScheduled = false
            }
        }
        flushAnswers()
    }

    /// One ReminderAnswered per reminder and outcome, with all its rules.
    private func flushAnswers() {
        answerFlushScheduled = false
        var groups: [(id: ReminderID, outcome: String, rules: [String])] = []
        for a in answered {
            if let i = groups.firstIndex(where: { $0.id == a.id && $0.outcome == a.outcome }) {
                groups[i].rules.append(a.rule.description)
            } else {
                groups.append((a.id, a.outcome, [a.rule.description]))
            }
        }
        answered = []
        for g in groups { emit(.reminderAnswered, [.uint64(g.id), .string(g.outcome), .strings(g.rules)]) }
    }

    /// Sends a declared signal; one built with other arguments than
    /// LimberAPI declares is a bug, logged and not sent (as a bad reply is).
    private func emit(_ signal: APISignal, _ arguments: [BusValue]) {
        guard let object else { return }
        guard arguments.busSignature == signal.signature else {
            log.error("control API signal \(signal.name) built as (\(arguments.busSignature)), declared (\(signal.signature))")
            return
        }
        do { try object.emitSignal(interface: LimberBus.interface, member: signal.name, arguments: arguments) } catch {
            log.warning("cannot send signal \(signal.name): \(error)")
        }
    }

    private func scheduleRefresh() {
        guard object != nil, !refreshScheduled else { return }
        if let loop {
            refreshScheduled = true
            do {
                try loop.defer { [weak self] in self?.refreshProperties() }
                return
            } catch {
                refreshScheduled = false
            }
        }
        refreshProperties()
    }

    /// Sends PropertiesChanged for every property whose value changed.
    public func refreshProperties() {
        refreshScheduled = false
        guard let object else { return }
        let now = currentProperties()
        let changed = LimberInterface.propertyNames.filter { now[$0] != published[$0] }
        published = now
        guard !changed.isEmpty else { return }
        do { try object.emitPropertiesChanged(interface: LimberBus.interface, names: changed) } catch {
            log.warning("cannot send PropertiesChanged: \(error)")
        }
    }

    // MARK: Acting

    /// A short, printable form of an argument for error messages.
    static func quoted(_ s: String) -> String {
        let clean = String(s.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        return "'" + (clean.count > 60 ? String(clean.prefix(60)) + "…" : clean) + "'"
    }

    private func showing(_ value: BusValue) throws -> Reminder {
        let id: UInt64
        if case .uint64(let v) = value { id = v } else { id = 0 }
        if let r = service.engine.underReview, id == 0 || id == r.id {
            throw BusMethodError.limber(LimberBus.ErrorName.noSuchReminder,
                                        tr("reminder {id} is not on screen yet (a plugin is deciding whether to show it)", ["id": String(r.id)]))
        }
        guard let shown = service.engine.onScreen else {
            throw BusMethodError.limber(LimberBus.ErrorName.noSuchReminder,
                                        id == 0 ? tr("no reminder is showing") : tr("reminder {id} is not showing; no reminder is", ["id": String(id)]))
        }
        guard id == 0 || id == shown.id else {
            throw BusMethodError.limber(LimberBus.ErrorName.noSuchReminder,
                                        tr("reminder {id} is not showing; the one showing is {shown} ({title})",
                                           ["id": String(id), "shown": String(shown.id), "title": shown.title]))
        }
        return shown
    }

    func answer(_ id: BusValue, _ answer: Answer) throws {
        let shown = try showing(id)
        service.send(.answer(shown.id, answer))
    }

    func snooze(_ id: BusValue, _ text: String) throws -> BusValue {
        let shown = try showing(id)
        var length: Duration? = nil
        if !text.isEmpty {
            length = try Self.duration(text, max: Self.maxSnooze, what: "snooze")
        }
        guard shown.snoozeLength != nil else {
            throw BusMethodError.limber(LimberBus.ErrorName.snoozeLimitReached,
                                        tr("{title} has been snoozed as often as allowed; answer done or skip", ["title": shown.title]))
        }
        service.send(.answer(shown.id, .snooze(length)))
        let until = shown.items.compactMap { service.engine.ruleState($0.rule)?.snoozedUntil?.wall }.max()
        return .uint64(Self.unixSeconds(until))
    }

    /// Parses a human duration, in (0, max].
    static func duration(_ text: String, max: Duration, what: String) throws -> Duration {
        guard let d = DurationText.parse(text) else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidDuration,
                                        tr("{text} is not a duration: {reason}; {hint}",
                                           ["text": quoted(text), "reason": DurationText.reason(text) ?? tr("it is not one"), "hint": DurationText.hint]))
        }
        guard d > .zero else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidDuration,
                                        what == "pause" ? tr("a pause must be longer than 0s") : tr("a snooze must be longer than 0s"))
        }
        guard d <= max else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidDuration,
                                        (what == "pause" ? tr("a pause can be at most {max}, not {duration}", ["max": DurationText.format(max), "duration": DurationText.format(d)])
                                         : tr("a snooze can be at most {max}, not {duration}", ["max": DurationText.format(max), "duration": DurationText.format(d)])))
        }
        return d
    }

    func trigger(_ text: String) throws -> BusValue {
        guard let id = RuleID(text), service.engine.rule(id) != nil else {
            let known = service.engine.ruleIDs.map(\.description)
            throw BusMethodError.limber(LimberBus.ErrorName.noSuchReminder,
                                        known.isEmpty ? tr("no reminder {text} in the enabled programs", ["text": Self.quoted(text)])
                                            : tr("no reminder {text} in the enabled programs; there are: {list}",
                                                 ["text": Self.quoted(text), "list": known.prefix(12).joined(separator: ", ")]))
        }
        if let rule = service.engine.rule(id), service.engine.heldByRedFlag(rule) {
            throw BusMethodError.limber(LimberBus.ErrorName.failed,
                                        tr("exercise reminders are stopped after the red flag you reported; get care first, then: limberctl resume --red-flag-cleared"))
        }
        service.send(.trigger(id))
        return .uint64(service.engine.state.showing?.id ?? 0)
    }

    func breakNow() throws -> BusValue {
        if let shown = service.engine.state.showing { return .uint64(shown.id) }
        guard let rule = service.status().nextRule else {
            throw BusMethodError.limber(LimberBus.ErrorName.noSuchReminder,
                                        tr("nothing is scheduled: no enabled program has a reminder to show"))
        }
        service.send(.trigger(rule))
        return .uint64(service.engine.state.showing?.id ?? 0)
    }

    func pause(for text: String) throws -> BusValue {
        if text.isEmpty {
            service.send(.pause(until: nil))
            return .uint64(0)
        }
        let d = try Self.duration(text, max: Self.maxPause, what: "pause")
        let until = now.wall.addingTimeInterval(d.seconds)
        service.send(.pause(until: until))
        return .uint64(Self.unixSeconds(until))
    }

    func pause(until text: String) throws -> BusValue {
        guard let time = TimeOfDay(text), time.hour < 24 else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidTime,
                                        tr("{text} is not a time of day: {hint}", ["text": Self.quoted(text), "hint": TimeOfDay.hint]))
        }
        let cal = service.engine.calendar
        let wall = now.wall
        var until = cal.date(on: wall, at: time)
        if until <= wall { until = cal.date(on: cal.startOfDay(wall, addingDays: 1), at: time) }
        service.send(.pause(until: until))
        return .uint64(Self.unixSeconds(until))
    }

    func reload() throws {
        reloadAction()
        let errors = service.lastReloadErrors
        guard errors.isEmpty else {
            throw BusMethodError.limber(LimberBus.ErrorName.configInvalid,
                                        tr("the configuration has errors; limberd keeps running the previous one:") + "\n"
                                        + errors.joined(separator: "\n"))
        }
    }

    // MARK: Programs

    /// The file of an installed program, or NoSuchProgram.
    func requireProgram(_ id: String) throws -> String {
        let available = service.loader.availablePrograms()
        if let file = available.first(where: { $0.id == id })?.file { return file }
        throw BusMethodError.limber(LimberBus.ErrorName.noSuchProgram,
                                    available.isEmpty ? tr("no program {id} is installed", ["id": Self.quoted(id)])
                                        : tr("no program {id} is installed; there are: {list}",
                                             ["id": Self.quoted(id), "list": available.map(\.id).joined(separator: ", ")]))
    }

    public var dropInPath: String { configDirectory + "/limber.toml.d/50-limberctl.toml" }

    /// Writes the drop-in with the new list, checks the whole configuration
    /// with it, and reloads; on errors puts the previous drop-in back.
    func setProgram(_ id: String, enabled: Bool) throws -> BusValue {
        _ = try requireProgram(id)
        var programs = service.engine.configuration.settings.enabledPrograms
        if enabled {
            guard !programs.contains(id) else { return .strings(programs) }
            programs.append(id)
        } else {
            guard programs.contains(id) else { return .strings(programs) }
            programs.removeAll { $0 == id }
        }
        let path = dropInPath
        let fm = FileManager.default
        let previous = fm.contents(atPath: path)
        func restore() {
            if let previous { try? previous.write(to: URL(fileURLWithPath: path), options: .atomic) } else { try? fm.removeItem(atPath: path) }
        }
        do {
            try Paths.ensureDirectory((path as NSString).deletingLastPathComponent)
            try Data(Self.dropInText(programs).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            restore()
            throw BusMethodError.limber(LimberBus.ErrorName.failed, tr("cannot write {file}: {error}", ["file": path, "error": error.localizedDescription]))
        }
        // Check first, so a rejected change leaves no trace (not even a failed reload).
        let trial = service.loader.loadAll()
        if trial.hasErrors {
            restore()
            throw BusMethodError.limber(LimberBus.ErrorName.configInvalid,
                                        (enabled ? tr("enabling {id} would leave the configuration with errors; nothing changed:", ["id": id])
                                         : tr("disabling {id} would leave the configuration with errors; nothing changed:", ["id": id])) + "\n"
                                        + trial.errors.map(\.description).joined(separator: "\n"))
        }
        reloadAction()
        if !service.lastReloadErrors.isEmpty {
            restore()
            throw BusMethodError.limber(LimberBus.ErrorName.configInvalid,
                                        tr("the configuration has errors; nothing changed:") + "\n" + service.lastReloadErrors.joined(separator: "\n"))
        }
        log.info("program \(id) \(enabled ? "enabled" : "disabled")", metadata: ["drop-in": "\(path)"])
        return .strings(service.engine.configuration.settings.enabledPrograms)
    }

    static func dropInText(_ programs: [String]) -> String {
        let list = programs.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return """
            # Written by limberd for `limberctl programs enable/disable` (the D-Bus
            # methods EnableProgram/DisableProgram). It overrides `programs` in
            # limber.toml; delete this file to go back to that list.
            programs = [\(list.joined(separator: ", "))]

            """
    }
}
