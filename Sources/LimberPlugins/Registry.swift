// The one list of built-in plugins. Nothing registers itself by side effect:
// a plugin that is not here (or found as an exec manifest) does not exist.
import Foundation
import LimberCore

/// What built-ins may be handed by the daemon.
public struct BuiltinEnvironment {
    public var notificationBackend: NotificationBackend?
    /// What the tray shows and does (limberd's TrayBridge).
    public var tray: TrayBackend?
    public init(notificationBackend: NotificationBackend? = nil, tray: TrayBackend? = nil) {
        self.notificationBackend = notificationBackend
        self.tray = tray
    }
}

public enum PluginRegistry {
    /// The built-in plugins, in the order the host calls them (gates: a drop
    /// from an earlier one wins; shapers apply in this order).
    public static func builtins(_ env: BuiltinEnvironment = BuiltinEnvironment()) -> [PluginEntry] {
        [
            PluginEntry(builtin: { NotifyPlugin(backend: env.notificationBackend) }),
            PluginEntry(builtin: { LogindPlugin() }),
            PluginEntry(builtin: { GnomeIdlePlugin() }),
            PluginEntry(builtin: { WaylandIdlePlugin() }),
            PluginEntry(builtin: { X11IdlePlugin() }),
            PluginEntry(builtin: { ScreenSaverPlugin() }),
            PluginEntry(builtin: { MediaInhibitPlugin() }),
            PluginEntry(builtin: { QuietHoursPlugin() }),
            PluginEntry(builtin: { DoNotDisturbPlugin() }),
            PluginEntry(builtin: { SkipGuardPlugin() }),
            PluginEntry(builtin: { JournalPlugin() }),
            PluginEntry(builtin: { TrayPlugin(backend: env.tray) }),
        ]
    }

    /// What the built-ins declare about their settings: what `limberd
    /// --check` and `limberctl check` check `[plugins.ID]` tables against.
    public static var builtinSchemas: [PluginSettingsSchema] { builtins().map(\.manifest.settingsSchema) }

    /// An external plugin (an executable with a TOML manifest) as an entry.
    public static func external(_ manifest: ExecManifest) -> PluginEntry {
        PluginEntry(declared: manifest.pluginManifest, external: true, definition: manifest) { ExecPlugin(manifest: manifest) }
    }
}

extension PluginManifest {
    /// What LimberConfig checks `[plugins.ID]` against.
    public var settingsSchema: PluginSettingsSchema {
        PluginSettingsSchema(id: id, settings: settings, enabledByDefault: enabledByDefault)
    }
}
