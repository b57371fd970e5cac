import Foundation
import LimberAPI
import LimberCore
import Systemd

/// limberctl's exit codes: the one table every command keeps. limberctl(1),
/// docs/api.md and `limberctl --help` print it from `Exit.table`; a test
/// checks the page against it and each code against real runs.
enum Exit: Int32, CaseIterable, Sendable {
    case ok = 0
    /// The daemon said no (no such reminder showing, snooze limit, ...), or an action failed.
    case refused = 1
    /// Bad command line: an unknown command or option, or a bad value (a
    /// duration, time, number, date or word that is not one). Checked before
    /// limberd is asked, so it is the same whether limberd runs or not.
    case usage = 2
    /// limberd is not running and could not be started, did not answer,
    /// or there is no session bus.
    case unreachable = 3
    /// The configuration has errors (check, reload, programs enable/disable).
    case configInvalid = 4
    /// The history database is not available.
    case history = 5

    /// One line per code, as the pages print it.
    var meaning: String {
        switch self {
        case .ok: tr("success")
        case .refused: tr("limberd refused (the message says why: no such reminder, the snooze limit, ...)")
        case .usage: tr("bad usage or a bad value (unknown command or option, a duration, time, number or date that is not one); the same with or without limberd")
        case .unreachable: tr("limberd not reachable: not running and could not be started, no answer, or no session bus")
        case .configInvalid: tr("configuration errors (check, reload, programs enable/disable)")
        case .history: tr("the history is not available (no database yet, or it failed)")
        }
    }

    static var table: String {
        allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; ")
    }
}

/// A failure with the message to print and the exit code.
struct CLIError: Error {
    var message: String
    var exit: Exit

    init(_ message: String, exit: Exit) {
        // Errors carry the daemon's and the files' words: made safe here,
        // since ArgumentParser prints them.
        self.message = SafeText.terminal(message)
        self.exit = exit
    }

    /// What a bus failure means to a person, and its exit code.
    static func from(_ e: SystemdError, member: String) -> CLIError {
        let name = e.busErrorName ?? ""
        let message = e.busErrorMessage ?? ""
        if name.hasPrefix(LimberBus.ErrorName.prefix) {
            let exit: Exit = switch name {
            case LimberBus.ErrorName.configInvalid: .configInvalid
            case LimberBus.ErrorName.historyUnavailable: .history
            // A value limberd could not use (one limberctl cannot check
            // itself, e.g. a pause longer than 7 days): bad usage, as when
            // limberctl catches it first.
            case LimberBus.ErrorName.invalidDuration, LimberBus.ErrorName.invalidTime,
                 LimberBus.ErrorName.invalidArgument: .usage
            default: .refused
            }
            return CLIError(message.isEmpty ? name : message, exit: exit)
        }
        let notRunning = [BusErrorName.serviceUnknown, BusErrorName.nameHasNoOwner]
        if notRunning.contains(name) {
            return CLIError(tr("limberd is not running, and the session bus cannot start it (no D-Bus activation file for {name}); start it with: systemctl --user start limberd", ["name": LimberBus.name]), exit: .unreachable)
        }
        if name.hasPrefix("org.freedesktop.DBus.Error.Spawn.") || name.hasPrefix("org.freedesktop.systemd1.") {
            return CLIError(tr("limberd is not running and could not be started ({error}); see: systemctl --user status limberd", ["error": name + ": " + message]), exit: .unreachable)
        }
        if e.isTimeout {
            return CLIError(tr("limberd did not answer {method} in time; see: systemctl --user status limberd", ["method": member]), exit: .unreachable)
        }
        if e.isDisconnected {
            return CLIError(tr("lost the connection to the session bus"), exit: .unreachable)
        }
        if name == BusErrorName.unknownMethod || name == BusErrorName.unknownObject {
            return CLIError(tr("the running limberd does not know {method} (an older version?): {error}", ["method": member, "error": message]), exit: .refused)
        }
        return CLIError(name.isEmpty ? e.description : "\(name): \(message)", exit: .refused)
    }
}

extension BusErrorName {
    static let unknownObject = "org.freedesktop.DBus.Error.UnknownObject"
}

/// A connection to limberd's control API on the session bus. The first
/// call starts limberd through D-Bus activation when it is not running.
struct DaemonClient {
    let bus: Bus

    init() throws(CLIError) {
        do {
            bus = try Bus(.user, description: "limberctl")
        } catch {
            let env = ProcessInfo.processInfo.environment
            let hint = env["DBUS_SESSION_BUS_ADDRESS"].map { "DBUS_SESSION_BUS_ADDRESS=\($0)" }
                ?? env["XDG_RUNTIME_DIR"].map { tr("no DBUS_SESSION_BUS_ADDRESS, and {path}", ["path": $0 + "/bus"]) }
                ?? tr("neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set")
            let why = (error as? SystemdError)?.errnoDescription ?? "\(error)"
            throw CLIError(tr("no D-Bus session bus ({hint}): {error}. limberctl needs a desktop or systemd user session", ["hint": hint, "error": why]), exit: .unreachable)
        }
    }

    /// Calls a method of org.limber.Limber1, as LimberAPI declares it
    /// (the arguments must have its signature: a mismatch is limberctl's bug).
    /// A method that records answers once its rows are on disk; the 45 s
    /// outlast the history writer's 30 s wait for a locked database, so
    /// such a reply still arrives.
    func call(_ method: APIMethod, _ arguments: [BusValue] = [], timeout: Duration = .seconds(45)) throws(CLIError) -> [BusValue] {
        precondition(arguments.busSignature == method.inSignature,
                     "limberctl calls \(method.name) with (\(arguments.busSignature)); it takes (\(method.inSignature))")  // l10n: not ui
        let member = method.name
        let reply: [BusValue]
        do {
            reply = try bus.call(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                                 member: member, arguments: arguments, timeout: timeout)
        } catch let e as SystemdError {
            throw CLIError.from(e, member: member)
        } catch {
            throw CLIError("\(member): \(error)", exit: .refused)
        }
        // Whatever owns the name answers as LimberAPI declares, or the
        // commands would read nothing out of a reply of another shape.
        guard reply.busSignature == method.outSignature else { throw Self.unexpected(member, reply) }
        return reply
    }

    private static func unexpected(_ member: String, _ reply: [BusValue]) -> CLIError {
        CLIError(tr("{method}: unexpected reply {signature}", ["method": member, "signature": reply.busSignature]), exit: .refused)
    }

    /// A call whose reply is one a{sv}.
    func dict(_ method: APIMethod, _ arguments: [BusValue] = []) throws(CLIError) -> VarDict {
        let reply = try call(method, arguments)
        guard let d = reply.first?.stringKeyedDict else { throw Self.unexpected(method.name, reply) }
        return VarDict(d)
    }

    /// A call whose reply is one aa{sv}.
    func dicts(_ method: APIMethod) throws(CLIError) -> [VarDict] {
        let reply = try call(method)
        guard let rows = reply.first?.arrayValue else { throw Self.unexpected(method.name, reply) }
        return rows.compactMap { $0.stringKeyedDict.map(VarDict.init) }
    }
}

/// An a{sv} with typed reads (missing or mistyped keys read as empty).
struct VarDict {
    var values: [String: BusValue]
    init(_ values: [String: BusValue]) { self.values = values }

    func string(_ key: String) -> String { values[key]?.stringValue ?? "" }
    func bool(_ key: String) -> Bool { values[key]?.boolValue ?? false }
    func int(_ key: String) -> Int64 { values[key]?.int64Value ?? 0 }
    func strings(_ key: String) -> [String] { values[key]?.stringArrayValue ?? [] }
    /// A unix time; nil for 0.
    func date(_ key: String) -> Date? {
        let v = int(key)
        return v > 0 ? Date(timeIntervalSince1970: TimeInterval(v)) : nil
    }
    /// An aa{sv} member.
    func dicts(_ key: String) -> [VarDict] {
        (values[key]?.arrayValue ?? []).compactMap { $0.stringKeyedDict.map(VarDict.init) }
    }
    func structs(_ key: String) -> [[BusValue]] {
        (values[key]?.arrayValue ?? []).compactMap(\.structValue)
    }
}
