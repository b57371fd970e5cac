// Plugin settings as exec plugins get them. The types themselves are plain
// values in LimberCore; LimberConfig reads and checks them.
import Foundation
import LimberCore

extension SettingValue {
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

extension PluginSettings {
    /// The defaults of a manifest.
    public static func defaults(_ manifest: PluginManifest) -> PluginSettings { defaults(manifest.settings) }
}
