import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every D-Bus type the notification spec and the control API use.
let everyKindOfValue: [BusValue] = [
    .byte(200), .bool(true), .bool(false), .int16(-3), .uint16(65000), .int32(-70000), .uint32(4_000_000_000),
    .int64(-5_000_000_000), .uint64(18_000_000_000_000_000_000), .double(2.5),
    .string("héllo\nworld"), .string(""), .objectPath("/org/limber/Limber1"), .signature("a{sv}"),
    .strings(["default", "Done", "snooze", "Snooze 5 min"]),
    .array(elementSignature: "s", []),
    .vardict(["urgency": .byte(1), "category": .string("reminder"), "resident": .bool(true)]),
    .stringDict(["program": "sciatica", "rule": "sit-break"]),
    .dict(keySignature: "s", valueSignature: "v", []),
    .variant(.variant(.int32(7))),
    .structure([.string("neck roll"), .uint32(30), .array(elementSignature: "(su)", [.structure([.string("x"), .uint32(1)])])]),
    .dict(keySignature: "u", valueSignature: "as", [BusDictEntry(key: .uint32(1), value: .strings(["a", "b"]))]),
]

@Suite("Bus method calls")
struct BusCallTests {
    /// A server connection exporting the test object, and a client, on one loop.
    final class Pair {
        let daemon: PrivateBusDaemon
        let loop: EventLoop
        let server: Bus
        let client: Bus
        let object: ExportedObject
        var status = "idle"
        var pendingLater: [MethodReply] = []

        init() throws {
            daemon = try PrivateBusDaemon()
            loop = try EventLoop()
            server = try Bus(address: daemon.address)
            client = try Bus(address: daemon.address)
            try server.attach(to: loop)
            try client.attach(to: loop)
            try server.requestName("org.limber.Test1")
            object = try server.exportObject(path: "/org/limber/Test1", interfaceXML: testInterfaceXML)
            object.addMethod(interface: "org.limber.Test1", member: "Echo") { call in call.arguments }
            object.addMethod(interface: "org.limber.Test1", member: "EchoAll") { call in call.arguments }
            object.addMethod(interface: "org.limber.Test1", member: "Fail") { _ in
                throw BusMethodError(name: "org.limber.Test1.Error.Nope", message: "not today")
            }
            object.addAsyncMethod(interface: "org.limber.Test1", member: "Later") { [unowned self] call, reply in
                self.pendingLater.append(reply)
                _ = call
            }
            object.addProperty(interface: "org.limber.Test1", name: "Status", get: { [unowned self] in .string(self.status) },
                               set: { [unowned self] value in self.status = value.stringValue ?? "" })
            object.addProperty(interface: "org.limber.Test1", name: "Count", get: { .uint32(3) })
        }

        func call(_ member: String, interface: String = "org.limber.Test1", _ arguments: [BusValue] = [],
                  timeout: Duration = .seconds(5)) throws -> Result<[BusValue], SystemdError> {
            var result: Result<[BusValue], SystemdError>?
            try client.callAsync(destination: "org.limber.Test1", path: "/org/limber/Test1", interface: interface,
                                 member: member, arguments: arguments, timeout: timeout) { result = $0 }
            try loop.run(until: { result != nil })
            guard let result else { throw TestFailure("no reply to \(member) within the test bound") }
            return result
        }

        deinit { daemon.stop() }
    }

    @Test func asyncCallRoundTripsEveryValueType() throws {
        let pair = try Pair()
        let reply = try pair.call("EchoAll", everyKindOfValue).get()
        #expect(reply == everyKindOfValue)
        #expect(reply.busSignature == everyKindOfValue.busSignature)
        #expect(pair.client.pendingCallCount == 0)
    }

    @Test func fileDescriptorsPassAsOwnedDuplicates() throws {
        let pair = try Pair()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let reply = try pair.call("EchoAll", [.unixFD(fds[1])]).get()
        guard case .unixFD(let received)? = reply.first else {
            Issue.record("no fd in reply: \(reply)")
            return
        }
        #expect(received != fds[1])  // a dup the reader owns
        var byte: UInt8 = 7
        #expect(write(received, &byte, 1) == 1)
        close(received)
        var got: UInt8 = 0
        #expect(read(fds[0], &got, 1) == 1)
        #expect(got == 7)
    }

    @Test func handlerErrorReachesTheCallerByName() throws {
        let pair = try Pair()
        let result = try pair.call("Fail")
        guard case .failure(let error) = result else {
            Issue.record("Fail succeeded: \(result)")
            return
        }
        #expect(error.busErrorName == "org.limber.Test1.Error.Nope")
        #expect(error.busErrorMessage == "not today")
    }

    @Test func unknownMethodIsRefusedWithUnknownMethod() throws {
        let pair = try Pair()
        let result = try pair.call("NoSuchMethod")
        #expect(throws: SystemdError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.busErrorName == BusErrorName.unknownMethod)
        }
    }

    @Test func asyncMethodRepliesLaterAndUnansweredRepliesFail() throws {
        let pair = try Pair()
        var first: Result<[BusValue], SystemdError>?
        var second: Result<[BusValue], SystemdError>?
        for (text, store) in [("a", 0), ("b", 1)] {
            try pair.client.callAsync(destination: "org.limber.Test1", path: "/org/limber/Test1",
                                      interface: "org.limber.Test1", member: "Later", arguments: [.string(text)]) {
                if store == 0 { first = $0 } else { second = $0 }
            }
        }
        try pair.loop.run(until: { pair.pendingLater.count == 2 })
        #expect(first == nil)  // not answered yet
        pair.pendingLater[0].succeed([.string("done")])
        pair.pendingLater.removeAll()  // the second reply is dropped unanswered
        try pair.loop.run(until: { first != nil && second != nil })
        #expect(try first?.get() == [.string("done")])
        if case .failure(let error)? = second {
            #expect(error.busErrorName == BusErrorName.failed)
        } else {
            Issue.record("dropped reply did not fail: \(String(describing: second))")
        }
    }

    @Test func missingServiceIsServiceUnknown() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let bus = try Bus(address: daemon.address)
        // Synchronous (the CLI path).
        let error = #expect(throws: SystemdError.self) {
            try bus.call(destination: "org.limber.Nobody", path: "/", interface: "org.limber.Nobody", member: "Hello",
                         timeout: .seconds(5))
        }
        #expect(error?.busErrorName == BusErrorName.serviceUnknown)
        #expect(error?.isServiceUnknown == true)
        #expect(error?.errno == EHOSTUNREACH)

        // Asynchronous (the daemon path).
        let loop = try EventLoop()
        try bus.attach(to: loop)
        var result: Result<[BusValue], SystemdError>?
        try bus.callAsync(destination: "org.limber.Nobody", path: "/", interface: "org.limber.Nobody", member: "Hello",
                          timeout: .seconds(5)) { result = $0 }
        try loop.run(until: { result != nil })
        if case .failure(let asyncError)? = result {
            #expect(asyncError.busErrorName == BusErrorName.serviceUnknown)
        } else {
            Issue.record("expected ServiceUnknown, got \(String(describing: result))")
        }
    }

    @Test func asyncCallToAPeerThatNeverAnswersTimesOut() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let loop = try EventLoop()
        let client = try Bus(address: daemon.address)
        try client.attach(to: loop)
        // A connection that is never processed: it reads no calls and answers none.
        let silent = try Bus(address: daemon.address)
        let silentName = try silent.uniqueName()

        var result: Result<[BusValue], SystemdError>?
        let started = Clocks.monotonic()
        try client.callAsync(destination: silentName, path: "/", interface: "org.limber.Test1", member: "Echo",
                             timeout: .milliseconds(200)) { result = $0 }
        #expect(try loop.run(until: { result != nil }, timeout: .seconds(10)))
        let waited = Clocks.monotonic() - started
        guard case .failure(let error)? = result else {
            Issue.record("expected a timeout, got \(String(describing: result))")
            return
        }
        #expect(error.isTimeout)
        #expect(error.busErrorName == BusErrorName.noReply)
        #expect(error.errno == ETIMEDOUT)
        #expect(waited >= .milliseconds(150))
        #expect(waited < .seconds(5))
    }

    @Test func cancelledCallNeverCompletes() throws {
        let pair = try Pair()
        var completed = false
        let call = try pair.client.callAsync(destination: "org.limber.Test1", path: "/org/limber/Test1",
                                             interface: "org.limber.Test1", member: "Echo", arguments: [.variant(.string("x"))]) { _ in
            completed = true
        }
        #expect(call.isPending)
        call.cancel()
        #expect(!call.isPending)
        #expect(pair.client.pendingCallCount == 0)
        // A second call that does complete proves the loop processed the first reply too.
        _ = try pair.call("Echo", [.variant(.string("y"))])
        #expect(!completed)
    }

    @Test func synchronousCallAgainstAServerOnAnotherThread() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let address = daemon.address
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { finished.signal() }
            do {
                let loop = try EventLoop()
                let bus = try Bus(address: address)
                try bus.attach(to: loop)
                try bus.requestName("org.limber.Limber1")
                let object = try bus.exportObject(path: "/org/limber/Limber1", interfaceXML: "")
                object.addMethod(interface: "org.limber.Limber1", member: "Add") { call in
                    let sum = call.arguments.compactMap(\.int64Value).reduce(0, +)
                    return [.int64(sum)]
                }
                object.addMethod(interface: "org.limber.Limber1", member: "Quit") { _ in
                    loop.exit(code: 0)
                    return []
                }
                ready.signal()
                try loop.run()
                withExtendedLifetime(object) {}
            } catch {
                ready.signal()
            }
        }
        thread.start()
        #expect(ready.wait(timeout: .now() + 10) == .success)

        let cli = try Bus(address: address)
        let sum = try cli.call(destination: "org.limber.Limber1", path: "/org/limber/Limber1", interface: "org.limber.Limber1",
                               member: "Add", arguments: [.int32(2), .uint32(40)], timeout: .seconds(5))
        #expect(sum == [.int64(42)])
        let bad = #expect(throws: SystemdError.self) {
            try cli.call(destination: "org.limber.Limber1", path: "/org/limber/Limber1", interface: "org.limber.Limber1",
                         member: "Missing", timeout: .seconds(5))
        }
        #expect(bad?.busErrorName == BusErrorName.unknownMethod)
        _ = try cli.call(destination: "org.limber.Limber1", path: "/org/limber/Limber1", interface: "org.limber.Limber1",
                         member: "Quit", timeout: .seconds(5))
        #expect(finished.wait(timeout: .now() + 10) == .success)
    }

    @Test func requestingATakenNameFails() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let first = try Bus(address: daemon.address)
        let second = try Bus(address: daemon.address)
        try first.requestName("org.limber.Limber1")
        let error = #expect(throws: SystemdError.self) { try second.requestName("org.limber.Limber1") }
        #expect(error?.errno == EEXIST)
    }
}
