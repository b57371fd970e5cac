import Foundation
import Systemd
@testable import LimberDaemon
import LimberNotifications

/// A notification server that holds every Notify until the test releases
/// it (`release()`): a server that answers after limber's fallback took
/// over. python3-dbus on GLib; it logs `Notify ID SUMMARY` and
/// `CloseNotification ID` lines to `logPath`.
final class SlowNotificationServer {
    let process: PeerProcess
    let control: Bus
    let logPath: String

    init(on bus: PrivateSessionBus, loop: EventLoop, control: Bus) throws {
        try requirePeer("/usr/lib/python3/dist-packages/dbus/__init__.py", package: "python3-dbus")
        try requirePeer("/usr/lib/python3/dist-packages/gi/__init__.py", package: "python3-gi")
        self.control = control
        logPath = bus.directory + "/slow-server-calls.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let script = """
        import dbus, dbus.service, dbus.mainloop.glib
        from gi.repository import GLib
        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        bus = dbus.bus.BusConnection('\(bus.address)')
        log = open('\(logPath)', 'a', buffering=1)
        IFACE = 'org.freedesktop.Notifications'
        class Server(dbus.service.Object):
            def __init__(self):
                super().__init__(bus, '/org/freedesktop/Notifications')
                self.held = []
                self.next = 1
            @dbus.service.method(IFACE, in_signature='', out_signature='as')
            def GetCapabilities(self):
                return ['actions', 'body', 'persistence']
            @dbus.service.method(IFACE, in_signature='', out_signature='ssss')
            def GetServerInformation(self):
                return ('slow', 'limber tests', '1', '1.2')
            @dbus.service.method(IFACE, in_signature='susssasa{sv}i', out_signature='u', async_callbacks=('ok', 'err'))
            def Notify(self, app, rid, icon, summary, body, actions, hints, timeout, ok, err):
                nid = int(rid) or self.next
                if not rid:
                    self.next += 1
                self.held.append((ok, nid))
                log.write('Notify %d %s\\n' % (nid, summary))
            @dbus.service.method(IFACE, in_signature='u', out_signature='')
            def CloseNotification(self, nid):
                log.write('CloseNotification %d\\n' % nid)
                self.NotificationClosed(nid, 3)
            @dbus.service.signal(IFACE, signature='uu')
            def NotificationClosed(self, nid, reason):
                pass
            @dbus.service.method('org.limber.Test', in_signature='', out_signature='u')
            def Release(self):
                ok, nid = self.held.pop(0)
                ok(dbus.UInt32(nid))
                return dbus.UInt32(nid)
        server = Server()
        bus.request_name(IFACE)
        GLib.MainLoop().run()
        """
        process = try PeerProcess("slow notification server", executable: NotificationMock.python, arguments: ["-c", script],
                                  environment: peerEnvironment([:]), logPath: bus.directory + "/slow-server.log")
        try waitForOwner(of: NotificationClient.busName, control: control, loop: loop, peer: process)
    }

    /// What the server was asked, one line per call.
    var calls: [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Answers the oldest Notify still held; returns the id it answered with.
    @discardableResult
    func release() throws -> UInt32 {
        let reply = try control.call(destination: NotificationClient.busName, path: NotificationClient.objectPath,
                                     interface: "org.limber.Test", member: "Release", timeout: .seconds(10))
        guard let nid = reply.first?.uint32Value else { throw PeerError("Release answered \(reply)") }
        return nid
    }

    func stop() { process.stop() }
}
