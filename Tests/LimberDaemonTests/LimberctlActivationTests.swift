import Foundation
import LimberAPI
import Testing
import LimberDaemon
import Systemd

/// D-Bus activation: on a bus whose service directory holds an
/// org.limber.Limber1.service (Exec= the built limberd), the first
/// limberctl call starts the daemon.
@Suite(.serialized) struct LimberctlActivationTests {
    @Test func firstCallStartsTheDaemon() throws {
        let world = try LimberWorld(activatable: true)
        defer { world.stop() }
        // Nobody owns the name yet.
        #expect(try world.connect().call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
                                         member: "NameHasOwner", arguments: [.string(LimberBus.name)]) == [.bool(false)])
        let r = try world.ctl("status", "--json")
        #expect(r.code == 0, "\(r.err)")
        #expect(r.json["state"] as? String == "scheduled")
        #expect(r.json["programs"] as? [String] == ["drill"])
        // It runs on: a second call talks to the same process.
        let pid = try #require(try world.daemonPID())
        #expect(pid > 0)
        #expect(try world.ctl("next").code == 0)
        #expect(try world.daemonPID() == pid)
    }

    @Test func installedActivationFileNamesTheSystemdUnit() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/units/org.limber.Limber1.service", encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("[D-BUS Service]"))
        #expect(lines.contains("Name=org.limber.Limber1"))
        #expect(lines.contains("SystemdService=limberd.service"))
        #expect(lines.contains { $0.hasPrefix("Exec=/") && $0.hasSuffix("/limberd") })
    }
}
