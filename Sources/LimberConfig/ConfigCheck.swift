import Foundation
import LimberCore

/// `limberd --check` and `limberctl check`: the files (ConfigLoader.check),
/// and, for the search path, the `[plugins.ID]` tables against the plugins
/// that exist (the built-ins, `PluginRegistry.builtinSchemas`, and the exec
/// manifests in each `plugins/` directory), as a reload checks them: an
/// unknown id is an error with a suggestion.
public enum ConfigCheck {
    public static func run(paths: [String], builtinSchemas: [PluginSettingsSchema],
                           loader: ConfigLoader = ConfigLoader()) -> CheckReport {
        var report = loader.check(paths: paths)
        guard paths.isEmpty else { return report }
        let tables = loader.loadSettings().settings.plugins
        guard !tables.isEmpty else { return report }
        var schemas = builtinSchemas
        for m in loader.pluginManifests().manifests where !schemas.contains(where: { $0.id == m.id }) {
            schemas.append(m.schema)
        }
        let found = PluginSettingsReader.check(tables, schemas: schemas).diagnostics
        report.diagnostics += found.filter { d in !report.diagnostics.contains { $0.description == d.description } }
        return report
    }
}
