// What the host knows of each plugin and says about it: plain values for
// the D-Bus API and `limberctl plugins`.
import Foundation
import LimberCore

/// How a plugin is doing, as `limberctl plugins` shows it.
public enum PluginState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Started and answering.
    case running
    /// Started, waiting for its handshake (exec plugins).
    case starting
    /// Threw, overran, crashed or could not start; skipped until a reload
    /// (or, for exec plugins, until the restart after backoff works).
    case failed
    /// `enabled = false` (or off by default).
    case disabled
    /// Enabled, but something it needs is not there (a bus, a bus name).
    case absent
}

/// One plugin's status: a plain value for the D-Bus API and `limberctl plugins`.
public struct PluginStatus: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var version: String
    public var enabled: Bool
    public var state: PluginState
    /// Why it failed or is absent, or what it is doing ("session c2").
    public var detail: String
    public var capabilities: [String]
    /// An external (exec) plugin.
    public var external: Bool
    /// This plugin is the idle source in use.
    public var isIdleSource: Bool

    public init(id: String, name: String, version: String, enabled: Bool, state: PluginState, detail: String,
                capabilities: [String], external: Bool, isIdleSource: Bool) {
        self.id = id
        self.name = name
        self.version = version
        self.enabled = enabled
        self.state = state
        self.detail = detail
        self.capabilities = capabilities
        self.external = external
        self.isIdleSource = isIdleSource
    }
}

/// A plugin the host knows: its manifest and how to make an instance.
public struct PluginEntry {
    public var manifest: PluginManifest
    public var external: Bool
    /// What the plugin is made from, beyond its manifest (an exec plugin's
    /// program and arguments): a change restarts it on reload.
    public var definition: AnyHashable?
    public var make: () -> LimberPlugin

    /// A plugin whose manifest declares its capabilities (an exec plugin,
    /// a test's fake). A built-in: `init(builtin:)`.
    public init(declared manifest: PluginManifest, external: Bool = false, definition: AnyHashable? = nil,
                make: @escaping () -> LimberPlugin) {
        self.manifest = manifest
        self.external = external
        self.definition = definition
        self.make = make
    }

    /// A built-in: its manifest, with the capabilities of the protocols
    /// `P` conforms to.
    public init<P: BuiltinPlugin>(builtin make: @escaping () -> P) {
        var manifest = P.manifest
        manifest.capabilities = PluginCapability.of(P.self)
        self.init(declared: manifest, make: make)
    }
}

/// What a plugin says about itself (a status detail, why it failed): shown
/// in the user's language by `limberctl plugins`, logged in English (the
/// journal is for bug reports and searches).
///
/// A built-in's own words are a marked text with named values, translated
/// when they are shown: `.text(trMark("session {session}"), ["session": id])`.
/// An exec plugin's detail, an error from elsewhere: `.verbatim(text)`.
public struct PluginText: Sendable, Hashable {
    /// The English original, `{placeholders}` in it when `translated`.
    public var original: String
    public var values: [String: String]
    public var translated: Bool

    /// A text marked with `trMark`, with the values of its placeholders.
    public static func text(_ msgid: String, _ values: [String: String] = [:]) -> PluginText {
        PluginText(original: msgid, values: values, translated: true)
    }

    /// Words that are not limber's (an exec plugin's, another program's): shown as they are.
    public static func verbatim(_ text: String) -> PluginText {
        PluginText(original: text, values: [:], translated: false)
    }

    public static let empty = PluginText.verbatim("")

    public var isEmpty: Bool { original.isEmpty }

    /// For the journal.
    public var english: String { translated ? fillPlaceholders(original, values: values) : original }

    /// In the user's language (the localizer in effect).
    public var localized: String {
        translated ? fillPlaceholders(Localizer.current.translate(original), values: values) : original
    }
}
