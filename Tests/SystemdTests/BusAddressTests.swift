import Foundation
import Systemd
import Testing

extension EnvironmentTests {
    @Suite("Well-known bus addresses")
    struct BusAddressTests {
        @Test func userAndSystemBusesFollowTheirAddressVariables() throws {
            let session = try PrivateBusDaemon()
            let system = try PrivateBusDaemon()
            defer {
                session.stop()
                system.stop()
            }
            try EnvironmentTests.with("DBUS_SESSION_BUS_ADDRESS", session.address) {
                try EnvironmentTests.with("DBUS_SYSTEM_BUS_ADDRESS", system.address) {
                    let user = try Bus(.user, description: "limber-test-user")
                    let sys = try Bus(.system)
                    try user.requestName("org.limber.OnSession")
                    try sys.requestName("org.limber.OnSystem")
                    // Each name is on its own private daemon only.
                    let onSession = try Bus(address: session.address)
                    let names = try onSession.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                                   interface: "org.freedesktop.DBus", member: "ListNames", timeout: .seconds(5))
                    let list = try #require(names.first?.stringArrayValue)
                    #expect(list.contains("org.limber.OnSession"))
                    #expect(!list.contains("org.limber.OnSystem"))
                }
            }
        }
    }
}
