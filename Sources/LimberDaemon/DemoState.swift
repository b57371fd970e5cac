import Foundation
import LimberCore

/// The throwaway state of a sped-up run (`limberd --time-scale N` without
/// `--state-dir`): a private temporary directory for the state file and the
/// history, removed when limberd exits. A demo's simulated, future times
/// must never reach the real `~/.local/state/limber`.
public struct DemoState: Sendable {
    public let directory: String

    /// A throwaway directory when the run is sped up and no state directory
    /// is named; nil otherwise.
    public static func prepare(timeScale: Double, stateDir: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DemoState? {
        guard timeScale != 1, stateDir == nil else { return nil }
        let base = environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array((base + "/limber-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw DemoStateError(tr("cannot make a throwaway state directory in {folder}: {reason}",
                                    ["folder": base, "reason": String(cString: strerror(errno))]))
        }
        return DemoState(directory: String(cString: made))
    }

    /// The run's first line: that this is a demo and where its state goes.
    public func firstLine(scale: Double) -> String {
        "limberd: " + tr("a demo at {scale}× speed on throwaway state ({folder}, removed at exit); your own state and history are not touched. --state-dir DIR keeps it.",
                         ["scale": Daemon.formatScale(scale), "folder": directory]) + "\n"
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

public struct DemoStateError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
