import Foundation
import LimberCore
import LimberDaemon
import Systemd

/// limberctl's exit codes (limberctl(1), docs/api.md).
enum Exit: Int32 {
    case ok = 0
    /// The daemon said no (a D-Bus error), or an action failed.
    case refused = 1
    /// Bad command line.
    case usage = 2
    /// limberd is not running and could not be started, did not answer,
    /// or there is no session bus.
    case unreachable = 3
    /// The configuration has errors (check, reload, programs enable/disable).
    case configInvalid = 4
    /// The history database is not available.
    case history = 5
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
            default: .refused
            }
            return CLIError(message.isEmpty ? name : message, exit: exit)
        }
        let notRunning = [BusErrorName.serviceUnknown, BusErrorName.nameHasNoOwner]
        if notRunning.contains(name) {
            return CLIError("limberd is not running, and the session bus cannot start it (no D-Bus activation file for \(LimberBus.name)); start it with: systemctl --user start limberd", exit: .unreachable)
        }
        if name.hasPrefix("org.freedesktop.DBus.Error.Spawn.") || name.hasPrefix("org.freedesktop.systemd1.") {
            return CLIError("limberd is not running and could not be started (\(name): \(message)); see: systemctl --user status limberd", exit: .unreachable)
        }
        if e.isTimeout {
            return CLIError("limberd did not answer \(member) in time; see: systemctl --user status limberd", exit: .unreachable)
        }
        if e.isDisconnected {
            return CLIError("lost the connection to the session bus", exit: .unreachable)
        }
        if name == BusErrorName.unknownMethod || name == BusErrorName.unknownObject {
            return CLIError("the running limberd does not know \(member) (an older version?): \(message)", exit: .refused)
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
                ?? env["XDG_RUNTIME_DIR"].map { "no DBUS_SESSION_BUS_ADDRESS, and \($0)/bus" }
                ?? "neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set"
            let why = (error as? SystemdError)?.errnoDescription ?? "\(error)"
            throw CLIError("no D-Bus session bus (\(hint)): \(why). limberctl needs a desktop or systemd user session", exit: .unreachable)
        }
    }

    /// Calls a method of org.limber.Limber1.
    func call(_ member: String, _ arguments: [BusValue] = [], timeout: Duration = .seconds(30)) throws(CLIError) -> [BusValue] {
        do {
            return try bus.call(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                                member: member, arguments: arguments, timeout: timeout)
        } catch let e as SystemdError {
            throw CLIError.from(e, member: member)
        } catch {
            throw CLIError("\(member): \(error)", exit: .refused)
        }
    }

    /// A call whose reply is one a{sv}.
    func dict(_ member: String, _ arguments: [BusValue] = []) throws(CLIError) -> VarDict {
        let reply = try call(member, arguments)
        guard let d = reply.first?.stringKeyedDict else { throw CLIError("\(member): unexpected reply \(reply.busSignature)", exit: .refused) }
        return VarDict(d)
    }

    /// A call whose reply is one aa{sv}.
    func dicts(_ member: String) throws(CLIError) -> [VarDict] {
        let reply = try call(member)
        guard let rows = reply.first?.arrayValue else { throw CLIError("\(member): unexpected reply \(reply.busSignature)", exit: .refused) }
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
    func structs(_ key: String) -> [[BusValue]] {
        (values[key]?.arrayValue ?? []).compactMap(\.structValue)
    }
}
