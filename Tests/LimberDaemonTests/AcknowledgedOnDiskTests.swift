import Foundation
import Logging
import Testing
@testable import LimberConfig
@testable import LimberCore
@testable import LimberDaemon
import LimberAPI
import LimberHistory
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Acknowledged means on disk (issue 11): a method that records (Done,
/// Snooze, Skip, Pause, ...) answers once the history writer has
/// committed its step's rows and state, never before: what a reply
/// acknowledged is in the file, so a crash right after it loses nothing.
/// The loop does not wait meanwhile: Status answers. (TriggerNow answers
/// once the gates decided and the reminder's `shown` row is written.)
@Suite(.serialized) struct AcknowledgedOnDiskTests {
    /// A method call on `bus` whose reply is kept when it comes (the bus's
    /// loop is pumped by the test thread).
    final class PendingReply {
        var result: Result<[BusValue], SystemdError>?
        var call: PendingCall?

        init(_ bus: Bus, _ member: String, _ arguments: [BusValue] = []) throws {
            call = try bus.callAsync(destination: LimberBus.name, path: LimberBus.path, interface: LimberBus.interface,
                                     member: member, arguments: arguments, timeout: .seconds(120)) { [unowned self] in
                result = $0
            }
        }
    }

    /// Pumps `loop` until `done` holds or `timeout` passes.
    static func pump(_ loop: EventLoop, timeout: Duration = .seconds(60), until done: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !done() {
            if ContinuousClock.now >= deadline { return false }
            _ = try? loop.runOnce(timeout: .milliseconds(100))
        }
        return true
    }

    @Test func answersWaitForTheirRowsAndStatusDoesNot() throws {
        let world = try LimberWorld()
        defer { world.stop() }
        try world.startDaemon()
        let signals = try SignalRecorder(world)
        let path = world.root + "/state/limber/history.sqlite"
        let reader = try HistoryStore.openForReading(at: path)
        _ = try world.call("TriggerNow", [.string("drill/move")])
        let move = try #require(signals.wait(for: "ReminderShown", timeout: .seconds(30)) { $0.arguments[1] == .string("Move") })
        guard case .uint64(let moveID) = move.arguments[0] else { Issue.record("no id"); return }
        // Its `shown` row follows the gates' decision, a step of its own.
        var before = 0
        #expect(Self.pump(signals.loop) {
            let rows = (try? reader.outcomes()) ?? []
            before = rows.count
            return rows.contains { $0.outcome.reminder == moveID && $0.outcome.kind == .shown }
        }, "the shown row of the first reminder reaches the file")

        let lock = try HistoryWriterTests.WriteLockHolder(path: path)
        var released = false
        defer { if !released { lock.release() } }

        // Done over D-Bus; the engine takes it at once (ReminderAnswered)...
        let done = try PendingReply(signals.bus, "Done", [.uint64(moveID)])
        #expect(signals.wait(for: "ReminderAnswered", timeout: .seconds(30)) { $0.arguments[0] == .uint64(moveID) } != nil)
        // ...a new reminder is shown while the writer waits...
        let trigger = try PendingReply(signals.bus, "TriggerNow", [.string("drill/stretch")])
        let stretch = try #require(signals.wait(for: "ReminderShown", timeout: .seconds(30)) { $0.arguments[1] == .string("Stretch") })
        guard case .uint64(let stretchID) = stretch.arguments[0] else { Issue.record("no id"); return }
        // ...and `limberctl skip` answers it.
        let (skip, _) = try world.spawnCtl(["skip"])
        defer { if skip.isRunning { kill(skip.processIdentifier, SIGTERM); skip.waitUntilExit() } }
        #expect(signals.wait(for: "ReminderAnswered", timeout: .seconds(30)) { $0.arguments[0] == .uint64(stretchID) } != nil)

        // Status answers meanwhile. Its reply comes on the same connection
        // after Done's and TriggerNow's would have: they were not sent.
        let status = try PendingReply(signals.bus, "Status")
        #expect(Self.pump(signals.loop) { status.result != nil }, "Status answers while the history is locked")
        #expect((try? status.result?.get()) != nil, "\(String(describing: status.result))")
        #expect(done.result == nil, "Done is not acknowledged before its row is on disk")
        #expect(trigger.result == nil, "TriggerNow is not acknowledged before its row is on disk")
        #expect(skip.isRunning, "limberctl skip waits for its row")
        #expect(try reader.outcomes().count == before, "nothing written while the lock is held")

        lock.release()
        released = true
        // Each reply, when it comes, finds its row in the file.
        #expect(Self.pump(signals.loop) { done.result != nil })
        #expect((try? done.result?.get()) != nil, "\(String(describing: done.result))")
        let afterDone = try reader.outcomes().map(\.outcome)
        #expect(afterDone.contains { $0.reminder == moveID && $0.kind == .done }, "the done row is in the file when Done answers")
        #expect(Self.pump(signals.loop) { trigger.result != nil })
        #expect((try? trigger.result?.get()) == [.uint64(stretchID)], "\(String(describing: trigger.result))")
        #expect(try reader.outcomes().map(\.outcome).contains { $0.reminder == stretchID && $0.kind == .shown },
                "the shown row is in the file when TriggerNow answers")
        skip.waitUntilExit()
        #expect(skip.terminationStatus == 0)
        #expect(try reader.outcomes().map(\.outcome).contains { $0.reminder == stretchID && $0.kind == .skipped },
                "the skipped row is in the file when limberctl skip returns")
        #expect(!world.daemonOutput.contains("history not written"), "the writer waited instead of giving up")
    }

    /// A history that refuses the write (disk full): Done is carried out
    /// (the reminder ends), and the reply says it is held in memory, in
    /// the status line's words, instead of claiming it is on disk.
    @Test func anAnswerTheDiskRefusesIsNotAcknowledgedAsWritten() throws {
        let world = try LimberWorld()   // only its private bus
        defer { world.stop() }
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = HandClock()
        let (history, _) = try HistoryStore.open(at: dir + "/state/history.sqlite", options: .init(maxPageCount: 40))
        #expect(fillHistory(history, before: clock.now.wall) > 0)
        let loop = try EventLoop()
        let loader = ConfigLoader(searchPath: SearchPath(directories: [dir + "/config"]))
        let service = ReminderService(configuration: ServiceTests.program(), loader: loader, presenter: RecordingPresenter(),
                                      stateStore: StateStore(directory: dir + "/state"), history: history,
                                      timeZone: TimeZone(identifier: "UTC")!, clock: { clock.now }, loop: loop,
                                      logger: Logger(label: "test"))
        let api = ControlAPI(service: service, reload: { service.reload() }, loop: loop, configDirectory: dir + "/config",
                             logger: Logger(label: "test"))
        let daemonBus = try world.connect()
        try daemonBus.attach(to: loop)
        api.attach(to: daemonBus)
        defer { api.detach() }
        service.start()
        let client = try world.connect()
        try client.attach(to: loop)
        #expect(Self.pump(loop, timeout: .seconds(30)) {
            (try? client.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus",
                              member: "NameHasOwner", arguments: [.string(LimberBus.name)]))?.first?.boolValue == true
        })

        let trigger = try PendingReply(client, "TriggerNow", [.string("p/every")])
        #expect(Self.pump(loop) { trigger.result != nil })
        #expect(service.engine.onScreen != nil, "the reminder is shown all the same")
        let done = try PendingReply(client, "Done", [.uint64(0)])
        #expect(Self.pump(loop) { done.result != nil })
        #expect(service.engine.onScreen == nil, "Done was carried out")
        guard case .failure(let error)? = done.result else {
            Issue.record("Done answered \(String(describing: done.result)) with the disk full")
            return
        }
        #expect(error.busErrorName == LimberBus.ErrorName.historyUnavailable)
        #expect(error.busErrorMessage?.contains("history: 2 outcomes not yet written (disk full)") == true,
                "\(error.busErrorMessage ?? "")")
        #expect(history.heldCount == 2)
    }
}
