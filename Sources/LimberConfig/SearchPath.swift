import Foundation

/// The directories limber reads configuration from, highest priority
/// first: the user's, the system administrator's, then the install's data.
///
/// - `$XDG_CONFIG_HOME/limber` (default `~/.config/limber`)
/// - each of `$XDG_CONFIG_DIRS` + `/limber` (default `/etc/xdg/limber`)
/// - the data directories: `<exe dir>/../share/limber`, and for a
///   development checkout the repository's `config/` directory.
///
/// Each holds `limber.toml`, `limber.toml.d/*.toml`, `programs/ID.toml`
/// and `programs/ID.toml.d/*.toml`.
public struct SearchPath: Sendable, Hashable, CustomStringConvertible {
    /// Highest priority first.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// The standard search path from the environment. `dataDirectories`
    /// replaces the ones found from the executable (for tests and packagers);
    /// `executablePath` defaults to the running program.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                dataDirectories: [String]? = nil,
                                executablePath: String? = nil) -> SearchPath {
        var dirs: [String] = []
        if let home = absolute(environment["XDG_CONFIG_HOME"]) {
            dirs.append(join(home, "limber"))
        } else if let home = absolute(environment["HOME"]) {
            dirs.append(join(home, ".config/limber"))
        }
        let configDirs = (environment["XDG_CONFIG_DIRS"] ?? "").split(separator: ":").compactMap { absolute(String($0)) }
        for d in configDirs.isEmpty ? ["/etc/xdg"] : configDirs {
            dirs.append(join(d, "limber"))
        }
        let data = dataDirectories ?? Self.dataDirectories(executablePath: executablePath ?? currentExecutable())
        dirs.append(contentsOf: data)
        var seen: Set<String> = []
        return SearchPath(directories: dirs.filter { seen.insert($0).inserted })
    }

    /// The install's data directories for an executable: `<exe dir>/../share/limber`
    /// if it exists, and the `config/` directory of a development checkout
    /// (an ancestor holding `Package.swift` and `config/programs`).
    public static func dataDirectories(executablePath: String?) -> [String] {
        guard let exe = executablePath, !exe.isEmpty else { return [] }
        let fm = FileManager.default
        var out: [String] = []
        let exeDir = URL(fileURLWithPath: exe).deletingLastPathComponent().standardizedFileURL
        let share = exeDir.deletingLastPathComponent().appendingPathComponent("share/limber").path
        if isDirectory(share) { out.append(share) }
        var dir = exeDir
        for _ in 0..<6 {
            let config = dir.appendingPathComponent("config")
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
               isDirectory(config.appendingPathComponent("programs").path) {
                out.append(config.path)
                break
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        return out
    }

    public var description: String { directories.joined(separator: ":") }

    static func currentExecutable() -> String? {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    private static func absolute(_ s: String?) -> String? {
        guard let s, s.hasPrefix("/") else { return nil }
        return s
    }

    static func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }
}

func isDirectory(_ path: String) -> Bool {
    var d: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
}

/// Whether there is anything at `path`: a file, or a symbolic link even if
/// it dangles or loops (so that reading it says what is wrong with it, rather
/// than a broken `limber.toml` quietly counting as none).
func fileExists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

/// Names in a directory, sorted; empty if it isn't one.
func directoryEntries(_ path: String) -> [String] {
    guard isDirectory(path) else { return [] }
    return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
}
