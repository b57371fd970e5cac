import Foundation

/// One line an exec plugin wrote on stdout, decoded. Pure (no plugin state):
/// `ExecPlugin` acts on it, and fuzz/FuzzExecLine throws garbage at it.
public enum ExecMessage: Sendable, Hashable {
    case hello(protocolVersion: Int)
    case decision(id: UInt64, Decision)
    case activity(Activity)
    case log(PluginLogEntry.Level, String)
    /// A status detail; nil when the line had none (ignored).
    case status(String?)

    public enum Decision: Sendable, Hashable {
        case proceed
        case postpone(Duration, reason: String?)
        case drop(reason: String?)
    }

    public enum Activity: Sendable, Hashable {
        /// Idle for `seconds` (finite, 0 ... `ExecProtocol.maxIdleSeconds`), if said.
        case idle(seconds: Double?)
        case active, locked, unlocked, sleeping, woke

        /// As the daemon's activity event, `now` being the uptime it is read at.
        public func event(now: Duration) -> ActivityEvent {
            switch self {
            case .idle(let seconds): .idle(since: seconds.map { now - .milliseconds(Int64($0 * 1000)) })
            case .active: .active
            case .locked: .locked
            case .unlocked: .unlocked
            case .sleeping: .sleeping
            case .woke: .woke
            }
        }
    }

    /// Why a line was ignored.
    public struct Malformed: Error, Sendable, Hashable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }

    /// nil for a blank line; otherwise the message, or why it is malformed.
    public static func decode(_ line: [UInt8]) -> Result<ExecMessage, Malformed>? {
        // Cheap checks first: a plugin may write a lot of anything.
        guard let first = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        guard line[first] == UInt8(ascii: "{") else { return .failure(Malformed("not a JSON object with a \"type\"")) }
        let text = String(decoding: line, as: UTF8.self)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let type = object["type"] as? String else {
            return .failure(Malformed("not a JSON object with a \"type\""))
        }
        switch type {
        case "hello":
            guard let version = object["protocol"] as? Int else { return .failure(Malformed("hello without \"protocol\"")) }
            return .success(.hello(protocolVersion: version))
        case "decision":
            guard let id = (object["id"] as? NSNumber)?.uint64Value, let decision = object["decision"] as? String else {
                return .failure(Malformed("decision needs \"id\" and \"decision\""))
            }
            let reason = object["reason"] as? String
            switch decision {
            case "proceed": return .success(.decision(id: id, .proceed))
            case "postpone":
                guard let seconds = (object["seconds"] as? NSNumber)?.doubleValue, seconds >= 1, seconds <= 86_400 else {
                    return .failure(Malformed("postpone needs \"seconds\" between 1 and 86400"))
                }
                return .success(.decision(id: id, .postpone(.milliseconds(Int64(seconds * 1000)), reason: reason)))
            case "drop": return .success(.decision(id: id, .drop(reason: reason)))
            default: return .failure(Malformed("decision must be proceed, postpone or drop"))
            }
        case "activity":
            switch object["event"] as? String {
            case "idle":
                let seconds = (object["idle_seconds"] as? NSNumber)?.doubleValue
                if let s = seconds, !(s.isFinite && s >= 0 && s <= ExecProtocol.maxIdleSeconds) {
                    return .failure(Malformed("idle_seconds must be from 0 to \(Int(ExecProtocol.maxIdleSeconds))"))
                }
                return .success(.activity(.idle(seconds: seconds)))
            case "active": return .success(.activity(.active))
            case "locked": return .success(.activity(.locked))
            case "unlocked": return .success(.activity(.unlocked))
            case "sleeping", "sleep": return .success(.activity(.sleeping))
            case "woke", "resume": return .success(.activity(.woke))
            default: return .failure(Malformed("activity event must be idle, active, locked, unlocked, sleeping or woke"))
            }
        case "log":
            let level = PluginLogEntry.Level(rawValue: object["level"] as? String ?? "info") ?? .info
            return .success(.log(level, object["message"] as? String ?? text))
        case "status":
            return .success(.status(object["detail"] as? String))
        default:
            return .failure(Malformed("unknown message type \"\(type)\""))
        }
    }
}

/// Cuts a plugin's output into lines. A line longer than `maxLine` bytes is
/// dropped whole, up to its newline.
public struct ExecLineSplitter: Sendable {
    public let maxLine: Int
    private var partial: [UInt8] = []
    private var overlong = false

    public init(maxLine: Int = ExecProtocol.maxLine) {
        self.maxLine = maxLine
    }

    /// The complete lines in `bytes` (after what came before), and how many
    /// overlong lines began in them.
    public mutating func feed(_ bytes: [UInt8]) -> (lines: [[UInt8]], overlong: Int) {
        var lines: [[UInt8]] = []
        var dropped = 0
        for b in bytes {
            if b == 0x0A {
                if !overlong { lines.append(partial) }
                partial.removeAll(keepingCapacity: partial.capacity <= 4096)
                overlong = false
            } else if overlong {
                continue
            } else if partial.count < maxLine {
                partial.append(b)
            } else {
                overlong = true
                dropped += 1
                partial.removeAll()
            }
        }
        return (lines, dropped)
    }
}
