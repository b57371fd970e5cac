import Foundation
import Systemd
import Testing

/// Handles own their handlers: dropping a handle (or the bus / loop) releases
/// the closures, so nothing is kept alive by a cycle through libsystemd userdata.
@Suite("Lifetimes")
struct LifetimeTests {
    final class Witness {}

    @Test func droppedHandlesReleaseTheirHandlers() throws {
        let daemon = try PrivateBusDaemon()
        defer { daemon.stop() }
        weak var timerWitness: Witness?
        weak var signalWitness: Witness?
        weak var matchWitness: Witness?
        weak var objectWitness: Witness?
        weak var callWitness: Witness?
        weak var pendingCall: PendingCall?
        try {
            let loop = try EventLoop()
            let bus = try Bus(address: daemon.address)
            try bus.attach(to: loop)
            do {
                let w = Witness()
                timerWitness = w
                let timer = try loop.makeTimer(clock: .boottime) { _ = w }
                try timer.arm(after: .seconds(60))
            }
            do {
                let w = Witness()
                signalWitness = w
                _ = try loop.onSignal(.user2) { _ = w }
            }
            do {
                let w = Witness()
                matchWitness = w
                _ = try bus.matchSignal(interface: "org.limber.Test1") { _ in _ = w }
            }
            do {
                let w = Witness()
                objectWitness = w
                let object = try bus.exportObject(path: "/x", interfaceXML: "")
                object.addMethod(interface: "org.limber.Test1", member: "M") { _ in _ = w; return [] }
            }
            // A call still waiting for its reply when the bus goes away.
            let silent = try Bus(address: daemon.address)
            let w = Witness()
            callWitness = w
            pendingCall = try bus.callAsync(destination: try silent.uniqueName(), path: "/", interface: "org.limber.Test1",
                                            member: "Never", timeout: .seconds(60)) { _ in _ = w }
            #expect(pendingCall?.isPending == true)
            #expect(bus.pendingCallCount == 1)
            #expect(timerWitness == nil && signalWitness == nil && matchWitness == nil && objectWitness == nil)
            #expect(callWitness != nil)  // the bus keeps pending calls
        }()
        #expect(callWitness == nil)
        #expect(pendingCall == nil)
    }
}
