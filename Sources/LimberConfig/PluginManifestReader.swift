// Exec plugin manifests: `plugins/ID.toml` on the search path. Read here,
// with the rest of the configuration, so a reload sees them whole and every
// problem has its file:line:column.
import Foundation
import LimberCore

/// An exec plugin's manifest as written (LimberPlugins runs it).
public struct PluginManifestFile: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var version: String
    /// An absolute path: run directly, no shell.
    public var executable: String
    public var arguments: [String]
    /// The manifest's folder: the child's working directory.
    public var directory: String
    public var manifestPath: String
    /// Some of "gate", "observer", "activity".
    public var capabilities: Set<String>
    public var settings: [SettingSpec]
    public var gateTimeLimit: Duration
    public var handshakeTimeout: Duration
    public var idlePriority: Int
    public var enabledByDefault: Bool

    public var schema: PluginSettingsSchema {
        PluginSettingsSchema(id: id, settings: settings, enabledByDefault: enabledByDefault)
    }
}

public enum PluginManifestReader {
    public static let keys = ["id", "name", "description", "version", "exec", "capabilities", "timeout",
                              "handshake_timeout", "idle_priority", "enabled", "settings"]
    public static let capabilities = ["gate", "observer", "activity"]

    /// Reads one manifest. `trust` also judges the executable and any
    /// argument that names a file (a script run by an interpreter).
    public static func read(path: String, trust: FileTrust? = FileTrust()) -> Result<PluginManifestFile, PluginSettingsReader.Problems> {
        switch TOMLDocument.load(path: path) {
        case .failure(let d): return .failure(.init(items: [d]))
        case .success(let doc): return parse(doc, trust: trust)
        }
    }

    public static func parse(_ doc: TOMLDocument, trust: FileTrust? = FileTrust()) -> Result<PluginManifestFile, PluginSettingsReader.Problems> {
        var ds: [Diagnostic] = []
        let root = doc.root
        let dir = (doc.file as NSString).deletingLastPathComponent
        for (k, v) in root.entriesInOrder where !keys.contains(k) {
            ds.append(Diagnostic(v.keyLocation, tr("unknown key '{key}' in a plugin manifest (known: {keys})", ["key": k, "keys": keys.joined(separator: ", ")])))
        }
        func string(_ key: String) -> String? {
            guard let v = root[key] else { return nil }
            guard let s = v.string else { ds.append(Diagnostic(v.location, tr("'{key}' must be a string, not {type}", ["key": "\(key)", "type": "\(v.typeName)"]))); return nil }
            return s
        }
        func duration(_ key: String, _ fallback: Duration) -> Duration {
            guard let v = root[key] else { return fallback }
            guard let s = v.string, let d = DurationText.parse(s), d > .zero, d <= .minutes(10) else {
                ds.append(Diagnostic(v.location, tr("'{key}' must be a duration like \"2s\" (at most 10m)", ["key": "\(key)"])))
                return fallback
            }
            return d
        }
        let stem = ((doc.file as NSString).lastPathComponent as NSString).deletingPathExtension
        let id = string("id") ?? stem
        if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) {
            ds.append(Diagnostic(root["id"]?.location ?? doc.location, tr("'{id}' is not a valid plugin id: use lower-case letters, digits, '-' and '_'", ["id": "\(id)"])))
        }
        let name = string("name") ?? id
        var argv: [String] = []
        if let v = root["exec"] {
            if let a = v.array, !a.isEmpty, a.allSatisfy({ $0.string != nil }) {
                argv = a.compactMap(\.string)
            } else {
                ds.append(Diagnostic(v.location, tr("'exec' must be a non-empty array of strings: the program and its arguments, e.g. [\"gate.sh\"] (no shell)")))
            }
        } else {
            ds.append(Diagnostic(doc.location, tr("a plugin manifest needs 'exec' = [\"program\", \"arg\", ...]")))
        }
        var executable = ""
        if let first = argv.first, let execAt = root["exec"]?.location {
            executable = first.hasPrefix("/") ? first : (dir + "/" + first)
            if !FileManager.default.isExecutableFile(atPath: executable) {
                ds.append(Diagnostic(execAt, tr("'{first}' is not an executable file (looked for {executable})", ["first": "\(first)", "executable": "\(executable)"])))
            } else if let trust {
                // The program and the files it is given (a script for an
                // interpreter) must be as trusted as the manifest.
                for (i, arg) in argv.enumerated() where i == 0 || !arg.hasPrefix("-") {
                    let path = i == 0 ? executable : (arg.hasPrefix("/") ? arg : dir + "/" + arg)
                    var st = stat()
                    guard i == 0 || (stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG) else { continue }
                    if let p = trust.problem(path) {
                        ds.append(Diagnostic(execAt, tr("will not run '{arg}': {path}: {p}", ["arg": "\(arg)", "path": "\(path)", "p": "\(p)"])))
                    }
                }
            }
        }
        var caps: Set<String> = []
        if let v = root["capabilities"] {
            for e in v.array ?? [] {
                if let s = e.string, capabilities.contains(s) { caps.insert(s) } else {
                    ds.append(Diagnostic(e.location, tr("capabilities are \"gate\", \"observer\" and \"activity\"")))
                }
            }
            if v.array == nil { ds.append(Diagnostic(v.location, tr("'capabilities' must be an array like [\"gate\"]"))) }
        }
        if caps.isEmpty, root["capabilities"] != nil || ds.isEmpty {
            ds.append(Diagnostic(root["capabilities"]?.location ?? doc.location, tr("a plugin manifest needs 'capabilities', some of \"gate\", \"observer\", \"activity\"")))
        }
        var priority = 5
        if let v = root["idle_priority"] {
            if let i = v.integer, (0...100).contains(i) { priority = i } else { ds.append(Diagnostic(v.location, tr("'idle_priority' must be an integer from 0 to 100"))) }
        }
        var enabled = true
        if let v = root["enabled"] {
            if let b = v.bool { enabled = b } else { ds.append(Diagnostic(v.location, tr("'enabled' must be a boolean"))) }
        }
        var specs: [SettingSpec] = []
        if let v = root["settings"] {
            if let t = v.table {
                for (key, sv) in t.entriesInOrder {
                    if let spec = setting(key, sv, &ds) { specs.append(spec) }
                }
            } else {
                ds.append(Diagnostic(v.location, tr("'settings' must be a table of [settings.NAME] tables")))
            }
        }
        let manifest = PluginManifestFile(
            id: id, name: name, description: string("description") ?? "", version: string("version") ?? "0",
            executable: executable, arguments: Array(argv.dropFirst()), directory: dir, manifestPath: doc.file,
            capabilities: caps, settings: specs, gateTimeLimit: duration("timeout", .seconds(2)),
            handshakeTimeout: duration("handshake_timeout", .seconds(5)), idlePriority: priority, enabledByDefault: enabled)
        return ds.isEmpty ? .success(manifest) : .failure(.init(items: ds))
    }

    private static func setting(_ key: String, _ v: ConfigValue, _ ds: inout [Diagnostic]) -> SettingSpec? {
        guard let t = v.table else {
            ds.append(Diagnostic(v.location, tr("setting '{key}' must be a table with 'type' and 'default'", ["key": "\(key)"])))
            return nil
        }
        for (k, e) in t.entriesInOrder where !["type", "default", "help"].contains(k) {
            ds.append(Diagnostic(e.keyLocation, tr("unknown key '{k}' in setting '{key}' (known: type, default, help)", ["k": "\(k)", "key": "\(key)"])))
        }
        guard let typeValue = t["type"], let typeName = typeValue.string, let type = SettingType(rawValue: typeName) else {
            ds.append(Diagnostic(t["type"]?.location ?? v.location,
                                 tr("setting '{key}' needs 'type', one of {types}", ["key": key, "types": SettingType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")])))
            return nil
        }
        let placeholder: SettingValue = switch type {
        case .bool: .bool(false)
        case .integer: .integer(0)
        case .number: .number(0)
        case .string: .string("")
        case .duration: .duration(.seconds(1))
        case .strings: .strings([])
        }
        let help = t["help"]?.string ?? ""
        guard let d = t["default"] else {
            ds.append(Diagnostic(v.location, "setting '\(key)' needs a 'default'"))
            return nil
        }
        switch PluginSettingsReader.convert(d, spec: SettingSpec(key, placeholder, help: help)) {
        case .success(let value): return SettingSpec(key, value, help: help)
        case .failure(let p):
            ds.append(p)
            return nil
        }
    }
}
