import Foundation
import LimberGuide
import Testing
import Systemd
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon

/// Opening the exercise guide through the desktop portal
/// (org.freedesktop.portal.OpenURI, a python3-dbusmock template on a
/// private bus): `limberctl guide` and the notification's "How to" and body
/// click; without a portal or xdg-open, limberctl prints the path.
@Suite(.serialized) struct GuidePortalTests {
    static let template = """
        '''org.freedesktop.portal.OpenURI for limber's tests: OpenURI answers a request handle.'''
        import dbus

        BUS_NAME = 'org.freedesktop.portal.Desktop'
        MAIN_OBJ = '/org/freedesktop/portal/desktop'
        MAIN_IFACE = 'org.freedesktop.portal.OpenURI'
        SYSTEM_BUS = False


        def load(mock, parameters):
            mock.AddProperties(MAIN_IFACE, {'version': dbus.UInt32(4)})
            mock.AddMethods(MAIN_IFACE, [
                ('OpenURI', 'ssa{sv}', 'o', 'ret = dbus.ObjectPath("/org/freedesktop/portal/desktop/request/1_1/limber")'),
            ])

        """

    /// The portal mock on the bus at `address`; stopped by PID.
    final class Portal {
        let process: PeerProcess
        let control: Bus

        init(address: String, directory: String, loop: EventLoop) throws {
            try requirePeer(NotificationMock.python, package: "python3")
            try requirePeer("/usr/lib/python3/dist-packages/dbusmock/__init__.py", package: "python3-dbusmock")
            let file = directory + "/portal_openuri.py"
            try GuidePortalTests.template.write(toFile: file, atomically: true, encoding: .utf8)
            control = try Bus(address: address)
            try control.attach(to: loop)
            process = try PeerProcess("dbusmock OpenURI portal", executable: NotificationMock.python,
                                      arguments: ["-m", "dbusmock", "--session", "--template", file],
                                      environment: peerEnvironment(["DBUS_SESSION_BUS_ADDRESS": address]),
                                      logPath: directory + "/portal.\(UUID().uuidString.prefix(8)).log")
            try waitForOwner(of: GuideOpener.portalName, control: control, loop: loop, peer: process, timeout: .seconds(60))
        }

        /// The URIs OpenURI was called with, oldest first.
        func openedURIs() throws -> [String] {
            let list = try control.call(destination: GuideOpener.portalName, path: GuideOpener.portalPath,
                                        interface: "org.freedesktop.DBus.Mock", member: "GetCalls", timeout: .seconds(10))
                .first?.arrayValue ?? []
            return list.compactMap { entry in
                guard let f = entry.structValue, f.count == 3, f[1].stringValue == "OpenURI",
                      let args = f[2].arrayValue?.map(\.unwrapped), args.count == 3 else { return nil }
                return args[1].stringValue
            }
        }

        func stop() { process.stop() }
    }

    @Test func limberctlGuideOpensTheExerciseThroughThePortal() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let loop = try EventLoop()
        let portal = try Portal(address: world.address, directory: world.root, loop: loop)
        defer { portal.stop() }
        let cache = world.root + "/cache"
        let r = try world.ctl(["guide", "sciatica-relief", "press-up"], environment: ["XDG_CACHE_HOME": cache])
        #expect(r.code == 0, "\(r.err)")
        let page = cache + "/limber/guide/sciatica-relief--press-up.html"
        #expect(r.out == "opened the guide through the desktop portal: \(page)\n")
        #expect(try portal.openedURIs() == ["file://" + page])
        // The page jumps to the exercise's section of the program's guide.
        let jump = try String(contentsOfFile: page, encoding: .utf8)
        #expect(jump.contains("url=sciatica-relief.html#\(GuideHTML.anchor("press-up"))"))
        let guide = try String(contentsOfFile: cache + "/limber/guide/sciatica-relief.html", encoding: .utf8)
        #expect(guide.contains("id=\"\(GuideHTML.anchor("press-up"))\""))
    }

    @Test func withoutAPortalOrXdgOpenLimberctlPrintsThePath() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let empty = world.root + "/empty-path"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let cache = world.root + "/cache"
        let r = try world.ctl(["guide", "knees-to-chest"], environment: ["XDG_CACHE_HOME": cache, "PATH": empty])
        #expect(r.code == 0, "\(r.err)")
        let page = cache + "/limber/guide/sciatica-relief--knees-to-chest.html"
        #expect(r.out == "no desktop portal and no xdg-open here; open this file in a browser:\n\(page)\n")
        #expect(FileManager.default.fileExists(atPath: page))
    }

    @Test func howToAndABodyClickOpenTheGuideThroughThePortalAndAnswerNothing() throws {
        let rig = try NotificationRig()
        defer { rig.stop() }
        let mock = try rig.startMock()
        let dir = try shortTemporaryDirectory("limber-gp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let portal = try Portal(address: rig.bus.address, directory: dir, loop: rig.loop)
        defer { portal.stop() }
        let guide = GuideLauncher(bus: rig.supervisor, logger: rig.capture.logger, directory: dir + "/guide")
        let clock = NotificationTestClock()
        let service = notificationTestService(presenter: rig.presenter, clock: clock, dir: dir)
        rig.guide.open = { guide.open($0, programs: $1) }
        try rig.connectAndWaitForCapabilities()
        service.start()
        clock.advance(.minutes(30))
        service.send(.timer)
        let shown = try #require(service.engine.state.showing)
        try rig.run(until: "the reminder on the server") { rig.presenter.notificationID(for: shown.id) != nil }
        let nid = try #require(rig.presenter.notificationID(for: shown.id))
        let actions = try #require(try mock.calls("Notify").last?.arguments[5].stringArrayValue)
        #expect(actions.contains("howto"))

        let page = "file://" + dir + "/guide/p--walk.html"
        try mock.emit("ActionInvoked", [.uint32(nid), .string("howto")])
        try rig.run(until: "OpenURI from How to") { try portal.openedURIs() == [page] }
        try mock.emit("ActionInvoked", [.uint32(nid), .string("default")])
        try rig.run(until: "OpenURI from a click on the body") { try portal.openedURIs() == [page, page] }
        #expect(service.engine.state.showing?.id == shown.id, "opening the guide is not an answer: the reminder is still up")
        #expect(FileManager.default.fileExists(atPath: dir + "/guide/p.html"))
    }
}
