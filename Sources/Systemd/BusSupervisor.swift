import Foundation
import Logging

/// Keeps one connection to a bus (the user's session bus, or the system
/// bus) open: connects, attaches it to the loop, and when it goes away
/// reconnects with backoff (1 s doubling to 60 s). Whoever needs the bus
/// registers with `onConnect`, called for the first connection and for
/// every reconnection, so exported objects, names and matches come back.
public final class BusSupervisor {
    public let kind: Bus.Kind
    public private(set) var bus: Bus?
    /// The loop the connection is attached to.
    public let loop: EventLoop
    private let log: Logger
    private var connectHandlers: [(Bus) -> Void] = []
    private var disconnectHandlers: [() -> Void] = []
    private var disconnectSlot: BusSlot?
    private var retry: EventTimer?
    private var backoff: Duration = .seconds(1)
    private var warned = false
    private let opener: () throws -> Bus

    public init(_ kind: Bus.Kind, loop: EventLoop, logger: Logger, opener: (() throws -> Bus)? = nil) {
        self.kind = kind
        self.loop = loop
        self.log = logger
        self.opener = opener ?? { try Bus(kind, description: "limberd") }
    }

    /// Called with the bus now (if connected) and after every reconnection.
    public func onConnect(_ handler: @escaping (Bus) -> Void) {
        connectHandlers.append(handler)
        if let bus { handler(bus) }
    }

    /// Called when the connection is lost.
    public func onDisconnect(_ handler: @escaping () -> Void) {
        disconnectHandlers.append(handler)
    }

    /// Tries to connect now; on failure, keeps trying with backoff.
    public func connect() {
        guard bus == nil else { return }
        do {
            let b = try opener()
            try b.attach(to: loop)
            disconnectSlot = try b.onDisconnect { [weak self] in self?.lost() }
            bus = b
            backoff = .seconds(1)
            if warned { log.notice("\(name) bus connected again") }
            warned = false
            for h in connectHandlers { h(b) }
        } catch {
            if !warned {
                log.warning("\(name) bus unavailable, will retry: \(error)")
                warned = true
            }
            scheduleRetry()
        }
    }

    private var name: String { kind == .user ? "session" : "system" }

    private func lost() {
        log.warning("\(name) bus connection lost; reconnecting")
        disconnectSlot?.cancel()
        disconnectSlot = nil
        let old = bus
        bus = nil
        for h in disconnectHandlers { h() }
        // Drop the dead connection after the handlers let go of it.
        try? loop.defer { _ = old }
        warned = true
        scheduleRetry()
    }

    private func scheduleRetry() {
        do {
            if retry == nil {
                retry = try loop.makeTimer(clock: .monotonic, accuracy: .milliseconds(100)) { [weak self] in self?.connect() }
            }
            try retry?.arm(after: backoff)
            backoff = min(backoff * 2, .seconds(60))
        } catch {
            log.error("cannot schedule a bus reconnect: \(error)")
        }
    }
}
