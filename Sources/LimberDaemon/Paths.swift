import Foundation

/// Where limber keeps its state, by the XDG base directory rules.
public enum Paths {
    /// `$XDG_STATE_HOME/limber` (default `~/.local/state/limber`).
    public static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let s = environment["XDG_STATE_HOME"], s.hasPrefix("/") { return s + "/limber" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/limber"
    }

    /// `$XDG_CONFIG_HOME/limber` (default `~/.config/limber`).
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let s = environment["XDG_CONFIG_HOME"], s.hasPrefix("/") { return s + "/limber" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/limber"
    }

    /// Creates a directory and its parents (mode 0700 for new ones).
    public static func ensureDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }
}
