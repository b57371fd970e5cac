import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Asynchronous name requests and replies that cannot be sent.
@Suite("Bus names and replies")
struct NameAndReplyTests {
    /// The bus daemon's answer arrives through the loop: the first taker
    /// owns the name, a second connection hears that it exists.
    @Test func requestNameAsyncReportsOwnerAndExists() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let loop = try EventLoop()
        let first = try Bus(address: daemon.address)
        let second = try Bus(address: daemon.address)
        try first.attach(to: loop)
        try second.attach(to: loop)
        var answers: [String: Result<Bus.NameRequestResult, SystemdError>] = [:]
        try first.requestNameAsync("org.limber.Test1") { answers["first"] = $0 }
        #expect(answers.isEmpty, "the answer comes from the loop, not the call")
        try loop.run(until: { answers["first"] != nil })
        try second.requestNameAsync("org.limber.Test1") { answers["second"] = $0 }
        try first.requestNameAsync("org.limber.Test1") { answers["again"] = $0 }
        try loop.run(until: { answers.count == 3 })
        #expect(try answers["first"]?.get() == .primaryOwner)
        #expect(try answers["second"]?.get() == .exists)
        #expect(try answers["again"]?.get() == .alreadyOwner)
    }

    /// An async method whose connection closed before it answered: the
    /// failed reply reaches `onReplyFailed` (limberd logs it) instead of
    /// vanishing while the caller waits for its timeout.
    @Test func aReplyThatCannotBeSentIsReported() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let loop = try EventLoop()
        let server = try Bus(address: daemon.address)
        let client = try Bus(address: daemon.address)
        try server.attach(to: loop)
        try client.attach(to: loop)
        try server.requestName("org.limber.Test1")
        var failures: [(String, SystemdError)] = []
        let object = try server.exportObject(path: "/org/limber/Test1", interfaceXML: testInterfaceXML) { member, error in
            failures.append((member, error))
        }
        var later: MethodReply?
        object.addAsyncMethod(interface: "org.limber.Test1", member: "Later") { _, reply in later = reply }
        try client.callAsync(destination: "org.limber.Test1", path: "/org/limber/Test1", interface: "org.limber.Test1",
                             member: "Later", arguments: [.string("x")], timeout: .seconds(5)) { _ in }
        try loop.run(until: { later != nil })
        let reply = try #require(later)
        server.close()
        reply.succeed([.string("too late")])
        #expect(failures.count == 1)
        #expect(failures.first?.0 == "Later")
        #expect(failures.first?.1.isDisconnected == true, "\(String(describing: failures.first?.1))")
        withExtendedLifetime(object) {}
    }
}
