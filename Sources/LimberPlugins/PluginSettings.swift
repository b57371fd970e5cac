// Typed plugin settings, and their validation against a manifest.
import Foundation
import LimberCore

/// The type of one setting.
public enum SettingType: String, Sendable, Hashable, Codable, CaseIterable {
    case bool, integer, number, string, duration
    /// An array of strings.
    case strings

    /// In words, for messages: "a boolean", "a duration like \"5m\"".
    public var phrase: String {
        switch self {
        case .bool: "a boolean (true or false)"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .duration: "a duration like \"5m\""
        case .strings: "an array of strings"
        }
    }
}

/// One setting's value.
public enum SettingValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case duration(Duration)
    case strings([String])

    public var type: SettingType {
        switch self {
        case .bool: .bool
        case .integer: .integer
        case .number: .number
        case .string: .string
        case .duration: .duration
        case .strings: .strings
        }
    }

    public var description: String {
        switch self {
        case .bool(let b): String(b)
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .string(let s): s
        case .duration(let d): DurationText.format(d)
        case .strings(let a): a.joined(separator: ",")
        }
    }

    /// As JSON for exec plugins (durations in seconds).
    var json: Any {
        switch self {
        case .bool(let b): b
        case .integer(let i): i
        case .number(let d): d
        case .string(let s): s
        case .duration(let d): d.seconds
        case .strings(let a): a
        }
    }
}

/// A declared setting: key, type, default and what it means.
public struct SettingSpec: Sendable, Hashable {
    public var key: String
    public var type: SettingType
    public var defaultValue: SettingValue
    public var help: String
    /// For strings: the allowed values (empty: any).
    public var allowed: [String]
    /// For integers, numbers and durations (in seconds): the allowed range.
    public var minimum: Double?
    public var maximum: Double?

    public init(_ key: String, _ defaultValue: SettingValue, help: String, allowed: [String] = [],
                minimum: Double? = nil, maximum: Double? = nil) {
        self.key = key
        self.type = defaultValue.type
        self.defaultValue = defaultValue
        self.help = help
        self.allowed = allowed
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// A plugin's settings after validation: every declared key has a value
/// (the configured one or the default).
public struct PluginSettings: Sendable, Hashable {
    public var values: [String: SettingValue]

    public init(_ values: [String: SettingValue] = [:]) {
        self.values = values
    }

    /// The defaults of a manifest.
    public static func defaults(_ manifest: PluginManifest) -> PluginSettings {
        PluginSettings(Dictionary(uniqueKeysWithValues: manifest.settings.map { ($0.key, $0.defaultValue) }))
    }

    public subscript(key: String) -> SettingValue? { values[key] }

    public func bool(_ key: String) -> Bool? { if case .bool(let v)? = values[key] { v } else { nil } }
    public func integer(_ key: String) -> Int? { if case .integer(let v)? = values[key] { v } else { nil } }
    public func number(_ key: String) -> Double? {
        switch values[key] {
        case .number(let v)?: v
        case .integer(let v)?: Double(v)
        default: nil
        }
    }
    public func string(_ key: String) -> String? { if case .string(let v)? = values[key] { v } else { nil } }
    public func duration(_ key: String) -> Duration? { if case .duration(let v)? = values[key] { v } else { nil } }
    public func strings(_ key: String) -> [String]? { if case .strings(let v)? = values[key] { v } else { nil } }
}

/// Whether a plugin runs, and with what.
public struct PluginConfig: Sendable, Hashable {
    public var enabled: Bool
    public var settings: PluginSettings

    public init(enabled: Bool, settings: PluginSettings) {
        self.enabled = enabled
        self.settings = settings
    }
}

/// A configured value in a neutral form (LimberPlugins does not read TOML):
/// the daemon converts its `[plugins.ID]` tables into these, keeping where
/// each was written as "file:line:column".
public struct RawSetting: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([RawSetting])
        /// Anything else (a table, a date), with its type in words.
        case other(String)
    }

    public var value: Value
    /// Where the value is written, "file:line:column".
    public var location: String
    /// Where its key is written.
    public var keyLocation: String

    public init(_ value: Value, location: String, keyLocation: String? = nil) {
        self.value = value
        self.location = location
        self.keyLocation = keyLocation ?? location
    }

    var typeName: String {
        switch value {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .other(let t): t
        }
    }
}

/// A problem in a `[plugins.ID]` table: where and what.
public struct SettingProblem: Sendable, Hashable, CustomStringConvertible, Error {
    /// "file:line:column"
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// "file:line:column: message"
    public var description: String { "\(location): \(message)" }
}

public enum PluginSettingsValidator {
    public enum Validated: Sendable, Hashable {
        case valid(PluginConfig)
        case invalid([SettingProblem])
    }

    /// Checks one `[plugins.ID]` table (keys in written order) against a
    /// manifest: `enabled` is a boolean, every other key a declared setting
    /// of the declared type. Returns the config (defaults filled in) or the
    /// problems; unknown keys and wrong types are problems.
    public static func validate(_ entries: [(key: String, value: RawSetting)], manifest: PluginManifest)
        -> Validated
    {
        var problems: [SettingProblem] = []
        var settings = PluginSettings.defaults(manifest)
        var enabled = manifest.enabledByDefault
        for (key, raw) in entries {
            if key == "enabled" {
                if case .bool(let b) = raw.value { enabled = b } else {
                    problems.append(SettingProblem(location: raw.location,
                                                   message: "'enabled' must be a boolean (true or false), not \(raw.typeName)"))
                }
                continue
            }
            guard let spec = manifest.setting(key) else {
                let known = (["enabled"] + manifest.settings.map(\.key)).map { "'\($0)'" }.joined(separator: ", ")
                problems.append(SettingProblem(location: raw.keyLocation,
                                               message: "unknown setting '\(key)' for plugin '\(manifest.id)' (known: \(known))"))
                continue
            }
            switch convert(raw, spec: spec) {
            case .success(let v): settings.values[key] = v
            case .failure(let p): problems.append(p)
            }
        }
        return problems.isEmpty ? .valid(PluginConfig(enabled: enabled, settings: settings)) : .invalid(problems)
    }

    /// One value checked against a spec (used for exec manifests' defaults too).
    public static func convert(_ raw: RawSetting, spec: SettingSpec) -> Result<SettingValue, SettingProblem> {
        func wrong(_ extra: String = "") -> Result<SettingValue, SettingProblem> {
            .failure(SettingProblem(location: raw.location,
                                    message: "'\(spec.key)' must be \(spec.type.phrase)\(extra), not \(raw.typeName)"))
        }
        func ranged(_ v: Double, _ shown: String) -> SettingProblem? {
            if let lo = spec.minimum, v < lo {
                return SettingProblem(location: raw.location, message: "'\(spec.key)' must be at least \(bound(lo)); got \(shown)")
            }
            if let hi = spec.maximum, v > hi {
                return SettingProblem(location: raw.location, message: "'\(spec.key)' must be at most \(bound(hi)); got \(shown)")
            }
            return nil
        }
        func bound(_ v: Double) -> String {
            spec.type == .duration ? DurationText.format(.seconds(v)) : (v == v.rounded() ? String(Int(v)) : String(v))
        }
        switch (spec.type, raw.value) {
        case (.bool, .bool(let b)):
            return .success(.bool(b))
        case (.integer, .integer(let i)):
            if let p = ranged(Double(i), String(i)) { return .failure(p) }
            return .success(.integer(i))
        case (.number, .integer(let i)):
            if let p = ranged(Double(i), String(i)) { return .failure(p) }
            return .success(.number(Double(i)))
        case (.number, .float(let d)):
            if let p = ranged(d, String(d)) { return .failure(p) }
            return .success(.number(d))
        case (.string, .string(let s)):
            if !spec.allowed.isEmpty, !spec.allowed.contains(s) {
                return .failure(SettingProblem(location: raw.location, message:
                    "'\(spec.key)' must be one of \(spec.allowed.map { "\"\($0)\"" }.joined(separator: ", ")); got \"\(s)\""))
            }
            return .success(.string(s))
        case (.duration, .string(let s)):
            guard let d = DurationText.parse(s) else {
                return .failure(SettingProblem(location: raw.location,
                                               message: "'\(spec.key)' must be a duration like \"\(DurationText.format(spec.defaultValue.durationValue ?? .minutes(5)))\"; got \"\(s)\""))
            }
            if let p = ranged(d.seconds, s) { return .failure(p) }
            return .success(.duration(d))
        case (.strings, .array(let elements)):
            var out: [String] = []
            for e in elements {
                guard case .string(let s) = e.value else {
                    return .failure(SettingProblem(location: e.location,
                                                   message: "'\(spec.key)' must be an array of strings; this element is \(e.typeName)"))
                }
                if !spec.allowed.isEmpty, !spec.allowed.contains(s) {
                    return .failure(SettingProblem(location: e.location, message:
                        "'\(spec.key)' elements must be one of \(spec.allowed.map { "\"\($0)\"" }.joined(separator: ", ")); got \"\(s)\""))
                }
                out.append(s)
            }
            return .success(.strings(out))
        default:
            return wrong()
        }
    }
}

extension SettingValue {
    var durationValue: Duration? { if case .duration(let d) = self { d } else { nil } }
}
