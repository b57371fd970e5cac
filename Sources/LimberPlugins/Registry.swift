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
            PluginEntry(manifest: NotifyPlugin.manifest) { NotifyPlugin(backend: env.notificationBackend) },
            PluginEntry(manifest: LogindPlugin.manifest) { LogindPlugin() },
            PluginEntry(manifest: GnomeIdlePlugin.manifest) { GnomeIdlePlugin() },
            PluginEntry(manifest: WaylandIdlePlugin.manifest) { WaylandIdlePlugin() },
            PluginEntry(manifest: X11IdlePlugin.manifest) { X11IdlePlugin() },
            PluginEntry(manifest: ScreenSaverPlugin.manifest) { ScreenSaverPlugin() },
            PluginEntry(manifest: MediaInhibitPlugin.manifest) { MediaInhibitPlugin() },
            PluginEntry(manifest: QuietHoursPlugin.manifest) { QuietHoursPlugin() },
            PluginEntry(manifest: DoNotDisturbPlugin.manifest) { DoNotDisturbPlugin() },
            PluginEntry(manifest: SkipGuardPlugin.manifest) { SkipGuardPlugin() },
            PluginEntry(manifest: JournalPlugin.manifest) { JournalPlugin() },
            PluginEntry(manifest: TrayPlugin.manifest) { TrayPlugin(backend: env.tray) },
        ]
    }

    /// An external plugin (an executable with a TOML manifest) as an entry.
    public static func external(_ manifest: ExecManifest) -> PluginEntry {
        PluginEntry(manifest: manifest.pluginManifest, external: true, definition: manifest) { ExecPlugin(manifest: manifest) }
    }
}
