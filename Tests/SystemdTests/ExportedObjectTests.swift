import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Exported objects, signals, name owners")
struct ExportedObjectTests {
    typealias Pair = BusCallTests.Pair

    @Test func introspectListsOurInterfaceAndTheStandardOnes() throws {
        let pair = try Pair()
        let reply = try pair.call("Introspect", interface: "org.freedesktop.DBus.Introspectable").get()
        let xml = try #require(reply.first?.stringValue)
        #expect(xml.contains("<interface name=\"org.limber.Test1\">"))
        #expect(xml.contains("<interface name=\"org.freedesktop.DBus.Properties\">"))
        #expect(xml.contains("<signal name=\"Poked\">"))
    }

    @Test func propertiesGetAllGetAndSet() throws {
        let pair = try Pair()
        let all = try pair.call("GetAll", interface: "org.freedesktop.DBus.Properties", [.string("org.limber.Test1")]).get()
        #expect(all == [.vardict(["Count": .uint32(3), "Status": .string("idle")])] ||
                all == [.dict(keySignature: "s", valueSignature: "v", [
                    BusDictEntry(key: .string("Status"), value: .variant(.string("idle"))),
                    BusDictEntry(key: .string("Count"), value: .variant(.uint32(3))),
                ])])
        #expect(all.first?.stringKeyedDict?["Count"]?.uint32Value == 3)

        _ = try pair.call("Set", interface: "org.freedesktop.DBus.Properties",
                          [.string("org.limber.Test1"), .string("Status"), .variant(.string("busy"))]).get()
        #expect(pair.status == "busy")
        let status = try pair.call("Get", interface: "org.freedesktop.DBus.Properties",
                                   [.string("org.limber.Test1"), .string("Status")]).get()
        #expect(status == [.variant(.string("busy"))])

        let readOnly = try pair.call("Set", interface: "org.freedesktop.DBus.Properties",
                                     [.string("org.limber.Test1"), .string("Count"), .variant(.uint32(9))])
        if case .failure(let error) = readOnly {
            #expect(error.busErrorName == BusErrorName.propertyReadOnly)
        } else {
            Issue.record("setting a read-only property succeeded")
        }
        let wrongType = try pair.call("Set", interface: "org.freedesktop.DBus.Properties",
                                      [.string("org.limber.Test1"), .string("Status"), .variant(.uint32(9))])
        if case .failure(let error) = wrongType {
            #expect(error.busErrorName == BusErrorName.invalidArgs)
        } else {
            Issue.record("setting a property with the wrong type succeeded")
        }
        let unknown = try pair.call("Get", interface: "org.freedesktop.DBus.Properties",
                                    [.string("org.limber.Test1"), .string("Nope")])
        if case .failure(let error) = unknown {
            #expect(error.busErrorName == BusErrorName.unknownProperty)
        } else {
            Issue.record("getting an unknown property succeeded")
        }
    }

    @Test func emittedSignalReachesAMatch() throws {
        let pair = try Pair()
        var received: [BusMessage] = []
        let match = try pair.client.matchSignal(path: "/org/limber/Test1", interface: "org.limber.Test1", member: "Poked") {
            received.append($0)
        }
        try pair.object.emitSignal(interface: "org.limber.Test1", member: "Poked", arguments: [.string("neck"), .uint32(7)])
        try pair.loop.run(until: { !received.isEmpty })
        let signal = try #require(received.first)
        #expect(signal.kind == .signal)
        #expect(signal.member == "Poked")
        #expect(signal.sender == (try pair.server.uniqueName()))
        #expect(signal.arguments == [.string("neck"), .uint32(7)])
        #expect(signal.signature == "su")

        // After cancel the match sees nothing more; a second match proves the signal was sent.
        match.cancel()
        var second = 0
        let witness = try pair.client.matchSignal(interface: "org.limber.Test1", member: "Poked") { _ in second += 1 }
        try pair.server.emitSignal(path: "/org/limber/Test1", interface: "org.limber.Test1", member: "Poked",
                                   arguments: [.string("back"), .uint32(8)])
        try pair.loop.run(until: { second == 1 })
        #expect(received.count == 1)
        withExtendedLifetime(witness) {}
    }

    @Test func propertiesChangedCarriesTheNewValue() throws {
        let pair = try Pair()
        var changes: [BusMessage] = []
        let match = try pair.client.matchSignal(path: "/org/limber/Test1", interface: "org.freedesktop.DBus.Properties",
                                                member: "PropertiesChanged") { changes.append($0) }
        pair.status = "snoozed"
        try pair.object.emitPropertiesChanged(interface: "org.limber.Test1", names: ["Status"])
        try pair.loop.run(until: { !changes.isEmpty })
        let args = try #require(changes.first?.arguments)
        #expect(args.count == 3)
        #expect(args.first == .string("org.limber.Test1"))
        #expect(args.dropFirst().first?.stringKeyedDict?["Status"]?.stringValue == "snoozed")
        withExtendedLifetime(match) {}
    }

    @Test func unexportedObjectIsGone() throws {
        let pair = try Pair()
        pair.object.unexport()
        let result = try pair.call("Echo", [.variant(.string("x"))])
        guard case .failure(let error) = result else {
            Issue.record("unexported object still answered")
            return
        }
        #expect(error.busErrorName == "org.freedesktop.DBus.Error.UnknownObject" || error.busErrorName == BusErrorName.unknownMethod)
    }

    @Test func nameOwnerWatcherSeesAServiceAppearAndGo() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        let loop = try EventLoop()
        let watcher = try Bus(address: daemon.address)
        try watcher.attach(to: loop)
        var owners: [String?] = []
        let watch = try watcher.watchNameOwner("org.freedesktop.Notifications") { owners.append($0) }
        try loop.run(until: { owners.count == 1 })
        #expect(owners == [nil])

        let service = try Bus(address: daemon.address)
        try service.requestName("org.freedesktop.Notifications")
        let serviceName = try service.uniqueName()
        try loop.run(until: { owners.count == 2 })
        #expect(owners.last == serviceName)

        try service.releaseName("org.freedesktop.Notifications")
        try loop.run(until: { owners.count == 3 })
        #expect(owners.last == .some(nil))
        withExtendedLifetime(watch) {}
    }

    @Test func disconnectHandlerRunsWhenTheBusDaemonDies() throws {
        let daemon = try PrivateBusDaemon()
        let loop = try EventLoop()
        let bus = try Bus(address: daemon.address)
        try bus.attach(to: loop)
        var disconnected = false
        let slot = try bus.onDisconnect { disconnected = true }
        #expect(bus.isOpen)
        daemon.stop()
        #expect(try loop.run(until: { disconnected }))
        #expect(!bus.isOpen)
        withExtendedLifetime(slot) {}
    }

    @Test func gdbusCanIntrospectAndCallTheExportedObject() throws {
        let pair = try Pair()
        func gdbus(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/gdbus")
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // gdbus blocks on our object: serve it from the loop while reading its output.
            let fd = output.fileHandleForReading.fileDescriptor
            var text = Data()
            var done = false
            let source = try pair.loop.watch(fd: fd) { _ in
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &buffer, buffer.count)
                if n > 0 { text.append(contentsOf: buffer[0..<n]) } else { done = true }
            }
            try pair.loop.run(until: { done })
            source.cancel()
            process.waitUntilExit()
            return String(decoding: text, as: UTF8.self)
        }
        let common = ["--address", pair.daemon.address, "--dest", "org.limber.Test1", "--object-path", "/org/limber/Test1"]
        let introspection = try gdbus(["introspect"] + common)
        #expect(introspection.contains("interface org.limber.Test1"))
        #expect(introspection.contains("readwrite s Status = 'idle'"))
        let echoed = try gdbus(["call"] + common + ["--method", "org.limber.Test1.Echo", "<@a{sv} {'urgency': <byte 2>}>"])
        #expect(echoed.contains("{'urgency': <byte 0x02>}"))
    }
}
