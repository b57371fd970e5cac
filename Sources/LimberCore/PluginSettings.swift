// Typed plugin settings: what a plugin declares and what it is given.
// Plain values: LimberConfig reads them from limber.toml and manifests,
// LimberPlugins hands them to plugins.
import Foundation

/// The type of one setting.
public enum SettingType: String, Sendable, Hashable, Codable, CaseIterable {
    case bool, integer, number, string, duration
    /// An array of strings.
    case strings

    /// In words, for messages: "a boolean", "a duration like \"5m\"".
    public var phrase: String {
        switch self {
        case .bool: tr("a boolean (true or false)")
        case .integer: tr("an integer")
        case .number: tr("a number")
        case .string: tr("a string")
        case .duration: tr("a duration like \"5m\"")
        case .strings: tr("an array of strings")
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

/// What a plugin declares about its settings (from its manifest):
/// what LimberConfig checks `[plugins.ID]` tables against.
public struct PluginSettingsSchema: Sendable, Hashable {
    public var id: String
    public var settings: [SettingSpec]
    public var enabledByDefault: Bool

    public init(id: String, settings: [SettingSpec], enabledByDefault: Bool) {
        self.id = id
        self.settings = settings
        self.enabledByDefault = enabledByDefault
    }

    public func setting(_ key: String) -> SettingSpec? { settings.first { $0.key == key } }
}

/// A plugin's settings after validation: every declared key has a value
/// (the configured one or the default).
public struct PluginSettings: Sendable, Hashable {
    public var values: [String: SettingValue]

    public init(_ values: [String: SettingValue] = [:]) {
        self.values = values
    }

    /// The defaults of declared settings.
    public static func defaults(_ specs: [SettingSpec]) -> PluginSettings {
        PluginSettings(Dictionary(uniqueKeysWithValues: specs.map { ($0.key, $0.defaultValue) }))
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


extension SettingValue {
    public var durationValue: Duration? { if case .duration(let d) = self { d } else { nil } }
}
