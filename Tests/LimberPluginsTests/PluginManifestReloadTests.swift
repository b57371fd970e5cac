import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberDaemon
@testable import LimberPlugins
import LimberCore
import Systemd

/// Exec plugins follow their manifests on reload, as one transaction with
/// the rest of the configuration (issue 12: a deleted manifest left its
/// plugin running; an edited one was ignored until a restart).
@Suite(.serialized) struct PluginManifestReloadTests {
    @Test func reloadStartsNewRestartsChangedAndStopsRemovedPlugins() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let now = Moment(wall: Date(timeIntervalSince1970: 1_800_000_000), uptime: .seconds(100))
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir, repositoryRoot + "/config"]))
        let initial = try #require(loader.loadAll().configuration)
        let wiring = PluginWiring(loop: loop, clock: { now }, pluginDirectories: [], builtins: [], logger: Logger(label: "test"))
        let service = ReminderService(configuration: initial, loader: loader, presenter: wiring.presenter(ShownPresenter()),
                                      gate: wiring, reloadValidators: [wiring.validateReload], stateStore: nil,
                                      history: nil, timeZone: TimeZone(identifier: "UTC")!, clock: { now }, logger: Logger(label: "test"))
        wiring.start(service: service, userBus: nil, systemBus: nil)
        #expect(wiring.statuses().isEmpty)

        // A new manifest: started by the next reload.
        try FileManager.default.createDirectory(atPath: dir + "/plugins", withIntermediateDirectories: true)
        _ = try script(reviewLoop(":"), in: dir + "/plugins", name: "gate.sh")
        try "exec = [\"gate.sh\"]\ncapabilities = [\"gate\"]\n".write(toFile: dir + "/plugins/gate.toml", atomically: true, encoding: .utf8)
        #expect(service.reload().ok)
        #expect(spin(loop) { wiring.statuses().first?.state == .running })
        let first = try #require(wiring.host.instance("gate") as? ExecPlugin)

        // A reload that fails (a broken limber.toml) changes no plugin.
        try "[plugins.gate]\nbogus = 1\n".write(toFile: dir + "/limber.toml", atomically: true, encoding: .utf8)
        try "exec = [\"gate.sh\", \"x\"]\ncapabilities = [\"gate\"]\n".write(toFile: dir + "/plugins/gate.toml", atomically: true, encoding: .utf8)
        #expect(!service.reload().ok)
        #expect(wiring.host.instance("gate") === first)

        // An edited manifest: the plugin restarts on the new one.
        try FileManager.default.removeItem(atPath: dir + "/limber.toml")
        #expect(service.reload().ok)
        #expect(spin(loop) { wiring.statuses().first?.state == .running && wiring.host.instance("gate") !== first })
        let second = try #require(wiring.host.instance("gate") as? ExecPlugin)
        #expect(second.exec.arguments == ["x"])

        // Gone: stopped and removed, whatever the number of reloads.
        try FileManager.default.removeItem(atPath: dir + "/plugins/gate.toml")
        #expect(service.reload().ok)
        #expect(wiring.statuses().isEmpty)
        #expect(wiring.host.instance("gate") == nil)
        #expect(service.reload().ok)
        #expect(wiring.statuses().isEmpty)

        // A manifest others may write is skipped, and `limberctl plugins` says so.
        try "exec = [\"gate.sh\"]\ncapabilities = [\"gate\"]\n".write(toFile: dir + "/plugins/gate.toml", atomically: true, encoding: .utf8)
        chmod(dir + "/plugins/gate.toml", 0o666)
        #expect(service.reload().ok)
        #expect(wiring.statuses().isEmpty)
        let row = try #require(wiring.statusRows().first)
        #expect(row.id == "gate" && row.state == "skipped" && row.kind == "exec")
        #expect(row.detail == "\(dir)/plugins/gate.toml:1:1: warning: skipped: it is writable by anyone (mode 666); fix it with chmod go-w \(dir)/plugins/gate.toml")
    }
}
