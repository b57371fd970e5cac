import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd
import DesktopPeers

@Suite(.serialized) struct WaylandIdlePluginTests {
    // Root only (a throwaway user runs sway); elsewhere this test is skipped.
    @Test(.enabled(if: canRunSway)) func compositorReportsIdleAfterTheTimeoutAndTypingEndsIt() throws {
        let sway = try HeadlessSway()
        defer { sway.stop() }
        let loop = try EventLoop()
        let env = ["WAYLAND_DISPLAY": sway.display, "DISPLAY": ":77"]
        let host = PluginHost(loop: loop, entries: [
            PluginEntry(builtin: { WaylandIdlePlugin() }),
            PluginEntry(builtin: { X11IdlePlugin() }),
        ], clock: realClock, environment: { env[$0] })
        var s = PluginSettings.defaults(WaylandIdlePlugin.manifest)
        s.values["idle_after"] = .duration(.seconds(1))
        host.configure(["wayland-idle": PluginConfig(enabled: true, settings: s)])
        let rec = Recorder()
        rec.attach(host)
        host.start()
        #expect(host.idleSource == "wayland-idle")
        #expect(host.status("wayland-idle")?.detail == "\(sway.display) via org_kde_kwin_idle, idle after 1s")
        // In a Wayland session x11-idle stays out of it.
        #expect(host.status("x11-idle")?.detail.contains("not used in a Wayland session") == true)
        #expect(spin(loop, timeout: .seconds(10)) { !rec.activity.isEmpty })
        if case .idle(let since?) = rec.activity.first?.event {
            #expect(since <= realClock().uptime - .milliseconds(900))
        } else {
            Issue.record("expected idle with a start: \(rec.activity)")
        }
        try sway.type("a")
        #expect(spin(loop, timeout: .seconds(10)) { rec.activity.count >= 2 })
        #expect(rec.activity.dropFirst().first?.event == .active)
        #expect(rec.activity.allSatisfy { $0.from == "wayland-idle" })
        // The compositor exits: the source fails, idle is unknown.
        sway.stop()
        #expect(spin(loop, timeout: .seconds(10)) { host.status("wayland-idle")?.state == .failed })
        #expect(host.idleSource == nil)
    }
}
