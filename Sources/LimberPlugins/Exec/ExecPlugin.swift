// exec: external plugins in any language, as child processes speaking JSON
// lines on stdin and stdout (docs/plugins.md has the protocol).
import Foundation
import LimberCore
import Systemd

/// An external plugin as described by its TOML manifest (parsed by the
/// daemon, which reads TOML; this is the neutral result).
public struct ExecManifest: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var version: String
    /// An absolute path: run directly, no shell.
    public var executable: String
    public var arguments: [String]
    /// The manifest's directory: the child's working directory.
    public var directory: String
    /// Where the manifest was read from (for messages).
    public var manifestPath: String
    /// A subset of gate, observer, activity.
    public var capabilities: Set<PluginCapability>
    public var settings: [SettingSpec]
    /// A gate answering later than this counts as proceed.
    public var gateTimeLimit: Duration
    /// The child must answer the hello within this.
    public var handshakeTimeout: Duration
    /// As an idle source: higher wins (logind 10, gnome-idle 20).
    public var idlePriority: Int
    public var enabledByDefault: Bool

    public init(id: String, name: String, description: String = "", version: String = "0", executable: String,
                arguments: [String] = [], directory: String, manifestPath: String = "",
                capabilities: Set<PluginCapability>, settings: [SettingSpec] = [], gateTimeLimit: Duration = .seconds(2),
                handshakeTimeout: Duration = .seconds(5), idlePriority: Int = 5, enabledByDefault: Bool = true) {
        self.id = id
        self.name = name
        self.description = description
        self.version = version
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.manifestPath = manifestPath
        self.capabilities = capabilities
        self.settings = settings
        self.gateTimeLimit = gateTimeLimit
        self.handshakeTimeout = handshakeTimeout
        self.idlePriority = idlePriority
        self.enabledByDefault = enabledByDefault
    }

    public var pluginManifest: PluginManifest {
        PluginManifest(id: id, name: name, description: description, version: version, capabilities: capabilities,
                       settings: settings, needs: [], enabledByDefault: enabledByDefault,
                       idlePriority: capabilities.contains(.activity) ? idlePriority : nil, gateTimeLimit: gateTimeLimit)
    }
}

/// The protocol version limberd speaks with exec plugins.
public enum ExecProtocol {
    public static let version = 1
    /// Restart backoff: 1 s doubling up to this.
    public static let maxBackoff: Duration = .seconds(300)
    /// A child that ran this long resets the backoff.
    public static let stableAfter: Duration = .seconds(60)
    /// The longest idle time a plugin may report (a year); more is malformed.
    public static let maxIdleSeconds: Double = 366 * 86_400
    /// At most this much of a plugin's stdout or stderr is read, and for at
    /// most this long, in one turn of the loop.
    public static let readBudget = 256 << 10
    public static let readTime: Duration = .milliseconds(10)
    /// Lines a plugin may have logged per window (its stderr, its log
    /// messages, malformed output); the rest are counted.
    public static let logBurst = 50
    public static let logWindow: Duration = .seconds(10)
    /// Output lines longer than this are dropped.
    public static let maxLine = 1 << 20
    /// Messages queued for a child that does not read, before it is restarted.
    public static let maxQueued = 4 << 20

    /// The child's environment: a minimal one, from the daemon's.
    public static func environment(for id: String, directory: String,
                                   from env: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var out = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LIMBER_PLUGIN_ID": id, "LIMBER_PROTOCOL": String(version),
                   "LIMBER_PLUGIN_DIR": directory]
        for key in ["HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "LANG", "LC_ALL", "XDG_CONFIG_HOME",
                    "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "USER", "LOGNAME", "TZ"] {
            if let v = env[key] { out[key] = v }
        }
        return out
    }
}

/// Runs one external plugin: spawns it, shakes hands, forwards reviews,
/// observations and activity, logs its stderr, restarts it with backoff
/// when it dies. Malformed output is logged and ignored.
public final class ExecPlugin: GatePlugin, ObserverPlugin, ActivitySourcePlugin {
    public let exec: ExecManifest
    public var manifest: PluginManifest { exec.pluginManifest }

    private var context: PluginContext?
    private var child: ChildProcess?
    private var exitSource: EventSource?
    private var stdoutSource: EventSource?
    private var stderrSource: EventSource?
    private var writeSource: EventSource?
    private var outBuffer: [UInt8] = []
    private var stdoutLines = ExecLineSplitter()
    private var stderrLines = ExecLineSplitter()
    private var ready = false
    private var handshakeTimer: EventTimer?
    private var restartTimer: EventTimer?
    private var backoff: Duration = .seconds(1)
    private var startedAt: Duration = .zero
    private var nextReview: UInt64 = 0
    private var pending: [UInt64: (GateDecision) -> Void] = [:]
    private var stopped = false
    private var logWindowStart: Duration = .seconds(-3600)
    private var logsInWindow = 0
    private var logsSuppressed = 0
    /// How many times the child was started (for tests and status).
    public private(set) var launches = 0

    public init(manifest: ExecManifest) {
        self.exec = manifest
    }

    public func start(_ context: PluginContext) throws {
        self.context = context
        try launch()
    }

    public func stop() {
        stopped = true
        handshakeTimer = nil
        restartTimer = nil
        answerPending()
        if let child {
            send(["type": "stop"])
            flush()
            tearDownChild()  // our watches go first: the reaper watches the same pidfd
            Reaper.reap(child, loop: context?.loop)
        }
        tearDownChild()
        context = nil
    }

    // MARK: Child lifecycle

    private func launch() throws {
        guard let context else { return }
        let child = try ChildProcess.spawn(executable: exec.executable, arguments: exec.arguments,
                                           environment: ExecProtocol.environment(for: exec.id, directory: exec.directory),
                                           directory: exec.directory)
        self.child = child
        launches += 1
        ready = false
        startedAt = Clocks.monotonic()
        let pid = child.pid
        exitSource = try child.onExit(loop: context.loop) { [weak self] status in self?.exited(status) }
        stdoutSource = try context.loop.watch(fd: child.stdoutFD) { [weak self] _ in self?.readStdout() }
        stderrSource = try context.loop.watch(fd: child.stderrFD) { [weak self] _ in self?.readStderr() }
        context.starting(.text(trMark("pid {pid}, waiting for its hello"), ["pid": String(pid)]))
        context.log(.info, "started \(exec.executable)", fields: ["pid": String(pid)])
        handshakeTimer = try context.loop.after(exec.handshakeTimeout) { [weak self] in
            guard let self, !self.ready, let child = self.child, child.pid == pid else { return }
            self.context?.log(.error, "no hello within \(DurationText.format(self.exec.handshakeTimeout)); stopping it")
            child.signal(ProcessSignal.kill)
        }
        var settings: [String: Any] = [:]
        for (k, v) in context.settings.values { settings[k] = v.json }
        send(["type": "hello", "protocol": ExecProtocol.version, "plugin": exec.id,
              "capabilities": exec.capabilities.map(\.rawValue).sorted(), "settings": settings])
    }

    private func tearDownChild() {
        // Sources go before the fds they watch are closed (with the child).
        exitSource = nil
        stdoutSource = nil
        stderrSource = nil
        writeSource = nil
        outBuffer.removeAll()
        stdoutLines = ExecLineSplitter()
        stderrLines = ExecLineSplitter()
        child = nil
        ready = false
    }

    private func exited(_ status: ExitStatus) {
        guard let context, let child else { return }
        // Read what is left before closing.
        readStdout()
        readStderr()
        let ran = Clocks.monotonic() - startedAt
        if ran >= ExecProtocol.stableAfter { backoff = .seconds(1) }
        answerPending()
        tearDownChild()
        _ = child
        guard !stopped else { return }
        let delay = backoff
        backoff = min(backoff * 2, ExecProtocol.maxBackoff)
        context.fail(.text(trMark("{status}; restarting in {duration}"), ["status": "\(status)", "duration": DurationText.format(delay)]),
                     recoverable: true)
        do {
            restartTimer = try context.loop.after(delay) { [weak self] in self?.restart() }
        } catch {
            context.fail(.text(trMark("cannot schedule a restart: {error}"), ["error": "\(error)"]))
        }
    }

    private func restart() {
        guard !stopped, child == nil else { return }
        do { try launch() } catch {
            tearDownChild()
            let delay = backoff
            backoff = min(backoff * 2, ExecProtocol.maxBackoff)
            context?.fail(.text(trMark("cannot start: {error}; retrying in {duration}"), ["error": "\(error)", "duration": DurationText.format(delay)]),
                          recoverable: true)
            restartTimer = try? context?.loop.after(delay) { [weak self] in self?.restart() }
        }
    }

    /// Reviews waiting for a dead or stopping child proceed.
    private func answerPending() {
        let waiting = pending
        pending.removeAll()
        for (_, v) in waiting.sorted(by: { $0.key < $1.key }) { v(.proceed) }
    }

    // MARK: Output

    private func readStdout() {
        guard let fd = child?.stdoutFD, fd >= 0 else { return }
        // A bounded turn: a plugin that writes faster than limberd reads
        // must not keep the loop (the bus, the timers, the watchdog) from its
        // other work. Small reads, and back to the loop after readBudget
        // bytes or readTime; the fd stays readable and the loop comes back
        // to it after the others had their turn.
        let deadline = Clocks.monotonic() + ExecProtocol.readTime
        var budget = ExecProtocol.readBudget
        while budget > 0 && Clocks.monotonic() < deadline {
            guard let bytes = ChildProcess.read(fd, max: 4096) else {
                // End of output: a plugin that closes stdout is done (its
                // exit comes through the pidfd).
                stdoutSource = nil
                if let child, child.reap() == nil { child.signal(ProcessSignal.terminate) }
                return
            }
            if bytes.isEmpty { return }
            budget -= bytes.count
            for line in split(bytes, with: &stdoutLines) { handle(line) }
        }
    }

    private func readStderr() {
        guard let fd = child?.stderrFD, fd >= 0 else { return }
        let deadline = Clocks.monotonic() + ExecProtocol.readTime
        var budget = ExecProtocol.readBudget
        while budget > 0 && Clocks.monotonic() < deadline {
            guard let bytes = ChildProcess.read(fd, max: 4096) else { stderrSource = nil; return }
            if bytes.isEmpty { return }
            budget -= bytes.count
            for line in split(bytes, with: &stderrLines) where !line.isEmpty {
                limitedLog(.info, "stderr: " + String(decoding: line.prefix(4096), as: UTF8.self), fields: ["stream": "stderr"])
            }
        }
    }

    /// What a plugin makes limberd log (its stderr, its log messages,
    /// complaints about its output) is limited to `ExecProtocol.logBurst`
    /// lines per `logWindow`; the rest are counted and said in one line.
    private func limitedLog(_ level: PluginLogEntry.Level, _ message: String, fields: [String: String] = [:]) {
        guard let context else { return }
        let now = context.now().uptime
        if now - logWindowStart >= ExecProtocol.logWindow {
            if logsSuppressed > 0 {
                context.log(.warning, "\(logsSuppressed) more line(s) from this plugin not logged in \(ExecProtocol.logWindow) (rate limit)")
            }
            logWindowStart = now
            logsInWindow = 0
            logsSuppressed = 0
        }
        if logsInWindow < ExecProtocol.logBurst {
            logsInWindow += 1
            context.log(level, message, fields: fields)
        } else {
            logsSuppressed += 1
        }
    }

    private func split(_ bytes: [UInt8], with splitter: inout ExecLineSplitter) -> [[UInt8]] {
        let (lines, overlong) = splitter.feed(bytes)
        for _ in 0..<overlong {
            limitedLog(.warning, "output line longer than \(ExecProtocol.maxLine) bytes dropped")
        }
        return lines
    }

    private func handle(_ line: [UInt8]) {
        guard let context, let decoded = ExecMessage.decode(line) else { return }
        let text = String(decoding: line, as: UTF8.self)
        let message: ExecMessage
        switch decoded {
        case .failure(let m): malformed(text, m.reason); return
        case .success(let m): message = m
        }
        switch message {
        case .hello(let version):
            guard version == ExecProtocol.version else {
                context.fail(.text(trMark("speaks protocol {version}; limberd speaks {ours}"), ["version": "\(version)", "ours": "\(ExecProtocol.version)"]))
                return
            }
            guard !ready else { return }
            ready = true
            handshakeTimer = nil
            if exec.capabilities.contains(.activity) { context.setIdleSourceAvailable(true) }
            context.recovered(.text(trMark("pid {pid}"), ["pid": String(child?.pid ?? 0)]))
        case .decision(let id, let decision):
            guard ready else { malformed(text, "decision before hello"); return }
            let verdict: GateDecision
            switch decision {
            case .proceed: verdict = .proceed
            case .postpone(let d, let reason): verdict = .postpone(d, reason: reason ?? exec.id)
            case .drop(let reason): verdict = .drop(reason: reason ?? exec.id)
            }
            guard let answer = pending.removeValue(forKey: id) else {
                context.log(.notice, "decision for review \(id) that is not waiting (too late?) ignored")
                return
            }
            answer(verdict)
        case .activity(let activity):
            guard ready, exec.capabilities.contains(.activity) else { malformed(text, "activity from a plugin that is not an activity source"); return }
            let event = activity.event(now: context.now().uptime)
            context.emit(event)
        case .log(let level, let message):
            limitedLog(level, String(message.prefix(4096)))
        case .status(let detail):
            if let detail { context.setDetail(.verbatim(String(detail.prefix(200)))) }
        }
    }

    private func malformed(_ line: String, _ why: String) {
        limitedLog(.warning, "malformed output ignored (\(why)): \(line.prefix(200))", fields: ["stream": "stdout"])
    }

    // MARK: Input

    private func send(_ object: [String: Any]) {
        guard let child, child.stdinFD >= 0,
              var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        data.append(0x0A)
        outBuffer.append(contentsOf: data)
        if outBuffer.count > ExecProtocol.maxQueued {
            context?.log(.error, "not reading its input (\(outBuffer.count) bytes queued); restarting it")
            outBuffer.removeAll()
            child.signal(ProcessSignal.kill)
            return
        }
        flush()
    }

    private func flush() {
        guard let child, !outBuffer.isEmpty else { return }
        do {
            let n = try child.write(outBuffer)
            outBuffer.removeFirst(n)
        } catch {
            // EPIPE: it is gone; its exit comes through the pidfd.
            outBuffer.removeAll()
            return
        }
        if outBuffer.isEmpty {
            writeSource = nil
        } else if writeSource == nil, let loop = context?.loop {
            writeSource = try? loop.watch(fd: child.stdinFD, events: .writable) { [weak self] _ in self?.flush() }
        }
    }

    // MARK: Hooks

    public func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws {
        guard ready, child != nil else { verdict(.proceed); return }
        nextReview += 1
        let id = nextReview
        pending[id] = verdict
        // Forget the review once the host stops waiting (time limit + margin).
        if let loop = context?.loop {
            let t = try? loop.after(exec.gateTimeLimit + .seconds(1)) { [weak self] in self?.pending[id] = nil }
            if let t { expiries[id] = t }
        }
        send(["type": "review", "id": id, "reminder": ExecJSON.reminder(reminder)])
    }

    private var expiries: [UInt64: EventTimer] = [:] {
        didSet { if expiries.count > 64 { expiries = expiries.filter { pending[$0.key] != nil } } }
    }

    public func observe(_ observation: ServiceEvent) throws {
        guard ready else { return }
        switch observation {
        case .shown(let r): send(["type": "shown", "reminder": ExecJSON.reminder(r)])
        case .withdrawn(let id, let reason): send(["type": "withdrawn", "reminder": id, "reason": reason.rawValue])
        case .recorded(let o): send(["type": "outcome", "outcome": ExecJSON.outcome(o)])
        case .reloaded, .statusChanged: break   // not on the wire (docs/plugins.md)
        }
    }
}

/// How reminders and outcomes look on the wire.
public enum ExecJSON {
    static func iso(_ d: Date) -> String { d.formatted(.iso8601) }

    public static func reminder(_ r: Reminder) -> [String: Any] {
        [
            "id": r.id, "title": r.title, "body": ReminderText.body(r, programs: []), "catch_up": r.isCatchUp,
            "rules": r.items.map(\.rule.description),
            "shown_at": iso(r.shownAt), "expires_at": iso(r.expiresAt),
            "items": r.items.map { i in
                [
                    "rule": i.rule.description, "title": i.title, "message": i.message,
                    "due_at": iso(i.dueAt), "catch_up": i.catchUp, "snooze_count": i.snoozeCount,
                    "exercises": i.offered.map { ["id": $0.id, "name": $0.name, "dose": $0.dose] },
                ] as [String: Any]
            },
        ]
    }

    public static func outcome(_ o: Outcome) -> [String: Any] {
        var out: [String: Any] = [
            "reminder": o.reminder, "rule": o.rule.description, "kind": o.kind.rawValue,
            "at": iso(o.at), "due_at": iso(o.dueAt), "catch_up": o.catchUp,
            "exercises": o.exercises.map { ["id": $0.id, "name": $0.name, "dose": $0.dose] },
        ]
        if let s = o.snooze { out["snooze_seconds"] = s.wholeSeconds }
        if let n = o.note { out["note"] = n }
        return out
    }
}

/// Ends a stopped child: SIGTERM to its group now, SIGKILL after a grace
/// period, reaped through its pidfd. Keeps itself alive until then.
private final class Reaper {
    private var child: ChildProcess?
    private var exitSource: EventSource?
    private var killTimer: EventTimer?
    private var me: Reaper?

    static func reap(_ child: ChildProcess, loop: EventLoop?, grace: Duration = .seconds(2)) {
        child.closeStdin()
        child.signal(ProcessSignal.terminate)
        guard let loop, child.reap() == nil else { return }
        let r = Reaper()
        r.child = child
        r.me = r
        r.exitSource = try? child.onExit(loop: loop) { [weak r] _ in r?.done() }
        r.killTimer = try? loop.after(grace) { [weak r] in r?.child?.signal(ProcessSignal.kill) }
        if r.exitSource == nil { r.done() }
    }

    private func done() {
        exitSource?.cancel()
        killTimer = nil
        child = nil
        me = nil
        // exitSource is dropped with self, after its handler returns.
    }
}
