import Foundation
import LimberAPI
import Systemd
import Testing

/// limberctl calls the methods LimberAPI declares and reads each reply by
/// the signature declared for it: a reply of another shape (another
/// program holding the bus name, a limberd of another version) is an error
/// that names the method, not a command that silently prints nothing.
@Suite struct LimberctlReplyCheckTests {
    @Test func aReplyOfAnotherShapeThanDeclaredIsAnError() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        let loop = try EventLoop()
        let control = try world.connect()
        try control.attach(to: loop)
        // A python3-dbusmock object in limberd's place on the world's bus.
        let peer = try PeerProcess("limber-impostor", executable: "/usr/bin/python3",
                                   arguments: ["-m", "dbusmock", "--session", LimberBus.name, LimberBus.path, LimberBus.interface],
                                   environment: peerEnvironment(["DBUS_SESSION_BUS_ADDRESS": world.address]),
                                   logPath: world.root + "/impostor.log")
        defer { peer.stop() }
        _ = try waitForOwner(of: LimberBus.name, control: control, loop: loop, peer: peer, timeout: .seconds(60))
        func add(_ method: APIMethod, out: String, _ code: String) throws {
            _ = try control.call(destination: LimberBus.name, path: LimberBus.path, interface: "org.freedesktop.DBus.Mock",
                                 member: "AddMethod", arguments: [.string(LimberBus.interface), .string(method.name),
                                                                  .string(method.inSignature), .string(out), .string(code)],
                                 timeout: .seconds(10))
        }
        // BreakNow is declared to answer (t); this one answers (s).
        #expect(APIMethod.breakNow.outSignature == "t")
        try add(.breakNow, out: "s", "ret = 'soon'")
        let wrong = try world.ctl("break")
        #expect(wrong.code == 1, "\(wrong.out) \(wrong.err)")
        #expect(wrong.err.contains("BreakNow: unexpected reply s"), "\(wrong.err)")
        // The declared shape is read as ever.
        try add(.triggerNow, out: "t", "ret = dbus.UInt64(7)")
        let right = try world.ctl("trigger", "drill/stretch")
        #expect(right.code == 0, "\(right.err)")
        #expect(right.out.contains("showing reminder 7"), "\(right.out)")
    }
}
