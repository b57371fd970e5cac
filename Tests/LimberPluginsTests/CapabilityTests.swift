import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

/// A built-in's capabilities are the plugin protocols it conforms to: the
/// host calls a gate because it is a `GatePlugin`, not because a list in
/// its manifest says so (a list that could disagree with the code).
@Suite struct CapabilityTests {
    /// A gate that declares nothing.
    final class DroppingGate: BuiltinPlugin, GatePlugin {
        static let manifest = PluginManifest(id: "dropper", name: "Dropper", description: "drops everything")
        var manifest: PluginManifest { Self.manifest }
        func start(_ context: PluginContext) throws {}
        func stop() {}
        func review(_ reminder: Reminder, verdict: @escaping (GateDecision) -> Void) throws { verdict(.drop(reason: "test")) }
    }

    @Test func theBuiltinsCapabilitiesAreTheirProtocols() {
        let caps = Dictionary(uniqueKeysWithValues: PluginRegistry.builtins().map { ($0.manifest.id, $0.manifest.capabilities) })
        // What each manifest used to list by hand, except notify's "sink":
        // it never was one (the daemon's presenter shows reminders).
        #expect(caps == [
            "notify": [], "logind": [.activity], "gnome-idle": [.activity], "wayland-idle": [.activity],
            "x11-idle": [.activity], "screensaver": [.activity], "media-inhibit": [.gate], "quiet-hours": [.gate],
            "do-not-disturb": [.gate], "skip-guard": [.observer, .shaper], "journal": [.observer], "tray": [.observer],
        ])
        #expect(PluginCapability.of(DroppingGate.self) == [.gate])
    }

    @Test func theHostAsksAGateByItsProtocol() throws {
        let loop = try EventLoop()
        let host = PluginHost(loop: loop, entries: [PluginEntry(builtin: { DroppingGate() })], clock: realClock)
        host.start()
        let decision = decide(host, loop)
        guard case .drop(let reason)? = decision else {
            Issue.record("the gate was not asked: \(String(describing: decision))")
            return
        }
        #expect(reason.contains("test"))
    }
}
