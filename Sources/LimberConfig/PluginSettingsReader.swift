// `[plugins.ID]` tables of limber.toml, checked against what a plugin
// declares. Every problem is a Diagnostic at the value's own place.
import Foundation
import LimberCore

public enum PluginSettingsReader {
    /// The result of checking every `[plugins.ID]` table.
    public struct Checked: Sendable {
        /// The tables that are valid, with defaults filled in.
        public var configs: [String: PluginConfig] = [:]
        /// The plugins whose table has problems, each with its diagnostics.
        public var rejected: [String: [Diagnostic]] = [:]
        /// Every problem in file order per plugin (unknown plugins too).
        public var diagnostics: [Diagnostic] = []
    }

    /// Checks `[plugins.ID]` tables against the known plugins: unknown
    /// plugins, unknown settings and wrong types are errors at their place.
    public static func check(_ tables: [String: ConfigTable], schemas: [PluginSettingsSchema]) -> Checked {
        var out = Checked()
        for id in tables.keys.sorted() {
            let table = tables[id]!
            guard let schema = schemas.first(where: { $0.id == id }) else {
                let at = table.entriesInOrder.first?.value.keyLocation
                let known = schemas.map(\.id).joined(separator: ", ")
                let guess = closest(to: id, in: schemas.map(\.id)).map { tr("; did you mean '{value}'?", ["value": "\($0)"]) } ?? ""
                out.diagnostics.append(Diagnostic(at ?? SourceLocation(file: "limber.toml"),
                                                  tr("unknown plugin '{id}' in [plugins.{id2}]{guess} (known: {known})", ["id": "\(id)", "id2": "\(id)", "guess": "\(guess)", "known": "\(known)"])))
                continue
            }
            switch read(table, schema: schema) {
            case .success(let c): out.configs[id] = c
            case .failure(let problems):
                out.rejected[id] = problems.items
                out.diagnostics += problems.items
            }
        }
        return out
    }

    /// Diagnostics as an Error (for `Result`).
    public struct Problems: Error, Sendable {
        public var items: [Diagnostic]
    }

    /// One `[plugins.ID]` table: `enabled` is a boolean, every other key a
    /// declared setting of the declared type. Defaults fill in the rest.
    public static func read(_ table: ConfigTable, schema: PluginSettingsSchema) -> Result<PluginConfig, Problems> {
        var problems: [Diagnostic] = []
        var settings = PluginSettings.defaults(schema.settings)
        var enabled = schema.enabledByDefault
        for (key, value) in table.entriesInOrder {
            if key == "enabled" {
                if let b = value.bool { enabled = b } else {
                    problems.append(Diagnostic(value.location, tr("'enabled' must be a boolean (true or false), not {type}", ["type": "\(value.typeName)"])))
                }
                continue
            }
            guard let spec = schema.setting(key) else {
                let known = (["enabled"] + schema.settings.map(\.key)).map { "'\($0)'" }.joined(separator: ", ")
                problems.append(Diagnostic(value.keyLocation, tr("unknown setting '{key}' for plugin '{id}' (known: {known})", ["key": "\(key)", "id": "\(schema.id)", "known": "\(known)"])))
                continue
            }
            switch convert(value, spec: spec) {
            case .success(let v): settings.values[key] = v
            case .failure(let p): problems.append(p)
            }
        }
        return problems.isEmpty ? .success(PluginConfig(enabled: enabled, settings: settings)) : .failure(Problems(items: problems))
    }

    /// One value checked against a spec (manifests' defaults too).
    public static func convert(_ value: ConfigValue, spec: SettingSpec) -> Result<SettingValue, Diagnostic> {
        let at = value.location
        func wrong() -> Result<SettingValue, Diagnostic> {
            .failure(Diagnostic(at, tr("'{key}' must be {phrase}, not {type}", ["key": "\(spec.key)", "phrase": "\(spec.type.phrase)", "type": "\(value.typeName)"])))
        }
        func bound(_ v: Double) -> String {
            spec.type == .duration ? DurationText.format(.seconds(v)) : (v == v.rounded() ? String(Int(v)) : String(v))
        }
        func ranged(_ v: Double, _ shown: String) -> Diagnostic? {
            if let lo = spec.minimum, v < lo { return Diagnostic(at, tr("'{key}' must be at least {lo}; got {shown}", ["key": "\(spec.key)", "lo": "\(bound(lo))", "shown": "\(shown)"])) }
            if let hi = spec.maximum, v > hi { return Diagnostic(at, tr("'{key}' must be at most {hi}; got {shown}", ["key": "\(spec.key)", "hi": "\(bound(hi))", "shown": "\(shown)"])) }
            return nil
        }
        func oneOf(_ s: String, _ what: String, _ where_: SourceLocation) -> Diagnostic? {
            guard !spec.allowed.isEmpty, !spec.allowed.contains(s) else { return nil }
            return Diagnostic(where_, tr("'{key}' {what} one of {values}; got \"{value}\"", ["key": spec.key, "what": what, "values": spec.allowed.map { "\"\($0)\"" }.joined(separator: ", "), "value": s]))
        }
        switch (spec.type, value.kind) {
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
            if let p = oneOf(s, tr("must be"), at) { return .failure(p) }
            return .success(.string(s))
        case (.duration, .string(let s)):
            guard let d = DurationText.parse(s) else {
                let example = DurationText.format(spec.defaultValue.durationValue ?? .minutes(5))
                return .failure(Diagnostic(at, tr("'{key}' must be a duration like \"{example}\"; got \"{s}\"", ["key": "\(spec.key)", "example": "\(example)", "s": "\(s)"])))
            }
            if let p = ranged(d.seconds, s) { return .failure(p) }
            return .success(.duration(d))
        case (.strings, .array(let elements)):
            var out: [String] = []
            for e in elements {
                guard let s = e.string else {
                    return .failure(Diagnostic(e.location, tr("'{key}' must be an array of strings; this element is {type}", ["key": "\(spec.key)", "type": "\(e.typeName)"])))
                }
                if let p = oneOf(s, tr("elements must be"), e.location) { return .failure(p) }
                out.append(s)
            }
            return .success(.strings(out))
        default:
            return wrong()
        }
    }
}
