import CLimberBuild
import Foundation

/// The directories limber reads configuration from, highest priority
/// first: the user's, the system administrator's, then the install's data.
///
/// - `$XDG_CONFIG_HOME/limber` (default `~/.config/limber`)
/// - each of `$XDG_CONFIG_DIRS` + `/limber` (default `/etc/xdg/limber`)
/// - the data directory: `$LIMBER_DATA_DIR` when set (a development
///   checkout's `config/`: scripts/run and the tests set it), else the one
///   fixed when limberd was built (`/usr/share/limber` for the Debian
///   package, `PREFIX/share/limber` for `make install`).
///
/// Nothing is looked for relative to the executable: a folder near it may
/// belong to someone else.
///
/// Each holds `limber.toml`, `limber.toml.d/*.toml`, `programs/ID.toml`,
/// `programs/ID.toml.d/*.toml` and `plugins/*.toml`.
public struct SearchPath: Sendable, Hashable, CustomStringConvertible {
    /// Highest priority first.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// The standard search path from the environment. `dataDirectories`
    /// replaces the data directory (for tests and packagers).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                dataDirectories: [String]? = nil) -> SearchPath {
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
        dirs.append(contentsOf: dataDirectories ?? [dataDirectory(environment: environment)])
        var seen: Set<String> = []
        return SearchPath(directories: dirs.filter { seen.insert($0).inserted })
    }

    /// The data directory fixed when limberd was built (see CLimberBuild).
    public static var builtDataDirectory: String { String(cString: limber_build_data_dir()) }

    /// `$LIMBER_DATA_DIR` if it is an absolute path, else `builtDataDirectory`.
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        absolute(environment["LIMBER_DATA_DIR"]).map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            ?? builtDataDirectory
    }

    public var description: String { directories.joined(separator: ":") }

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
