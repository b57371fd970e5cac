import ArgumentParser
import Foundation
import LimberAPI
import LimberCore
import Systemd

struct WatchCommand: ClientCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: tr("Print events as they happen (reminders shown and answered, reloads, status), for status bars."),
        discussion: tr("Runs until interrupted. The first line is the current status. With --status only the status is printed, once at start, on every change and every minute (for the countdown): with --json that is one waybar-ready JSON object per line. Keeps running across limberd restarts."))

    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: ArgumentHelp(tr("Print only the status (text, or JSON with --json) when it changes.")))
    var status = false

    func execute() throws(CLIError) {
        let client = try DaemonClient()
        let watcher: Watcher
        do {
            let loop = try EventLoop()
            try client.bus.attach(to: loop)
            watcher = Watcher(loop: loop, bus: client.bus, json: output.json, statusOnly: status)
            try watcher.start()
        } catch {
            throw CLIError(tr("cannot watch: {error}", ["error": "\(error)"]), exit: .unreachable)
        }
        let code: Int32
        do { code = try watcher.loop.run() } catch {
            throw CLIError(tr("the event loop failed: {error}", ["error": "\(error)"]), exit: .unreachable)
        }
        if code != 0 { throw CLIError(watcher.exitMessage, exit: Exit(rawValue: code) ?? .unreachable) }
    }
}

/// The event loop side of `limberctl watch`.
final class Watcher {
    let loop: EventLoop
    let bus: Bus
    let json: Bool
    let statusOnly: Bool
    var exitMessage = ""
    private var slots: [BusSlot] = []
    private var sources: [EventSource] = []
    private var refresh: EventTimer?
    private var lastPrinted = ""
    private var lastStatusLine = ""
    private var pending: PendingCall?
    private var running: Bool?

    init(loop: EventLoop, bus: Bus, json: Bool, statusOnly: Bool) {
        self.loop = loop
        self.bus = bus
        self.json = json
        self.statusOnly = statusOnly
    }

    func start() throws {
        sources.append(try loop.onSignal(.interrupt) { [unowned self] in loop.exit(code: 0) })
        sources.append(try loop.onSignal(.terminate) { [unowned self] in loop.exit(code: 0) })
        slots.append(try bus.onDisconnect { [unowned self] in
            exitMessage = tr("the session bus went away")
            loop.exit(code: Exit.unreachable.rawValue)
        })
        slots.append(try bus.matchSignal(path: LimberBus.path, interface: LimberBus.interface) { [unowned self] m in signal(m) })
        slots.append(try bus.matchSignal(path: LimberBus.path, interface: "org.freedesktop.DBus.Properties", member: "PropertiesChanged") {
            [unowned self] m in
            if m.arguments.first?.stringValue == LimberBus.interface { fetchStatus() }
        })
        slots.append(try bus.watchNameOwner(LimberBus.name) { [unowned self] owner in ownerChanged(owner != nil) })
        if statusOnly {
            let timer = try loop.makeTimer(clock: .monotonic, accuracy: .seconds(1)) { [unowned self] in
                fetchStatus()
                try? refresh?.arm(after: .seconds(60))
            }
            try timer.arm(after: .seconds(60))
            refresh = timer
        }
        // The first line: the current status (this starts limberd through
        // D-Bus activation when it is not running).
        fetchStatus()
    }

    private func ownerChanged(_ present: Bool) {
        defer { running = present }
        guard let was = running, was != present else { return }
        if present {
            if !statusOnly { event("started", human: tr("limberd started")) }
            fetchStatus()
        } else {
            if statusOnly { printStatus(nil, message: tr("limberd is not running")) } else { event("stopped", human: tr("limberd stopped")) }
        }
    }

    private func fetchStatus() {
        pending?.cancel()
        pending = try? bus.callAsync(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                                     member: APIMethod.status.name, timeout: .seconds(30)) { [unowned self] result in
            pending = nil
            switch result {
            case .success(let values):
                guard let d = values.first?.stringKeyedDict else { return }
                printStatus(StatusView(d: VarDict(d)), message: "")
            case .failure(let e):
                printStatus(nil, message: CLIError.from(e, member: APIMethod.status.name).message)
            }
        }
    }

    private func printStatus(_ view: StatusView?, message: String) {
        let text: String
        if statusOnly {
            if let view { text = json ? view.json.text : SafeText.terminal(view.text, layout: false) } else { text = json ? StatusView.offJSON(message).text : tr("off") }
        } else if let view {
            guard view.tooltip != lastStatusLine || lastPrinted.isEmpty else { return }
            lastStatusLine = view.tooltip
            text = json ? JSON.object([("event", .string("status")), ("status", view.json)]).text
                : stamp() + " " + Self.label(trMark("status")) + view.tooltip
        } else {
            text = json ? JSON.object([("event", .string("unreachable")), ("message", .string(message))]).text
                : stamp() + " " + message
        }
        guard text != lastPrinted else { return }
        lastPrinted = text
        Terminal.line(text)
    }

    private func signal(_ m: BusMessage) {
        guard !statusOnly else { return }
        let a = m.arguments
        // Only the signals LimberAPI declares, with the arguments declared.
        guard let declared = LimberInterface.signals.first(where: { $0.name == m.member }),
              a.busSignature == declared.signature else { return }
        switch declared {
        case .reminderShown:
            let id = a[0].int64Value ?? 0, title = a[1].stringValue ?? "", rules = a[2].stringArrayValue ?? []
            emit(.object([("event", .string("shown")), ("id", .int(id)), ("title", .string(title)), ("rules", .strings(rules)),
                          ("body", .string(a[3].stringValue ?? ""))]),
                 human: Self.label(trMark("shown")) + tr("{title} (reminder {id}; {rules})", ["title": Terminal.bold(title), "id": String(id), "rules": rules.joined(separator: ", ")]))
        case .reminderAnswered:
            let id = a[0].int64Value ?? 0, outcome = a[1].stringValue ?? "", rules = a[2].stringArrayValue ?? []
            emit(.object([("event", .string("answered")), ("id", .int(id)), ("outcome", .string(outcome)), ("rules", .strings(rules))]),
                 human: Self.label(trMark("answered")) + tr("reminder {id}: {outcome}", ["id": String(id), "outcome": outcome]))
        case .reloaded:
            let ok = a[0].boolValue ?? false, errors = a[1].stringArrayValue ?? []
            emit(.object([("event", .string("reloaded")), ("ok", .bool(ok)), ("errors", .strings(errors))]),
                 human: ok ? tr("reloaded") : tr("reload rejected:") + "\n" + errors.map { "  " + $0 }.joined(separator: "\n"))
        default:
            break
        }
    }

    /// An event's label, translated and padded so that what follows starts
    /// in one column whatever the language ("shown     ", "angezeigt  ").
    static func label(_ word: String) -> String {
        let width = [trMark("shown"), trMark("answered"), trMark("status")].map { tr($0).count }.max() ?? 0
        let t = tr(word)
        return t + String(repeating: " ", count: max(1, width + 2 - t.count))
    }

    private func event(_ name: String, human: String) {
        emit(.object([("event", .string(name))]), human: human)
    }

    private func emit(_ value: JSON, human: String) {
        Terminal.line(json ? value.text : stamp() + " " + human)
    }

    private func stamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "HH:mm:ss"
        return Terminal.dim(f.string(from: Date()))
    }
}
