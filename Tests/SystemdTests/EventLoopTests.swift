import Foundation
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Event loop")
struct EventLoopTests {
    @Test func wallClockTimerFiresAtItsDate() throws {
        let loop = try EventLoop()
        var firedAt: Date?
        let timer = try loop.makeTimer(clock: .realtime, accuracy: .milliseconds(1)) { firedAt = Date() }
        #expect(!timer.isArmed)
        let deadline = Date().addingTimeInterval(0.05)
        try timer.arm(at: deadline)
        #expect(timer.isArmed)
        #expect(try loop.run(until: { firedAt != nil }, timeout: .seconds(5)))
        let fired = try #require(firedAt)
        #expect(fired.timeIntervalSince(deadline) >= -0.002)
        #expect(!timer.isArmed)  // one-shot per arming
    }

    @Test func rearmingMovesTheDeadlineAndCancelStopsIt() throws {
        let loop = try EventLoop()
        var fires = 0
        let timer = try loop.makeTimer(clock: .realtime, accuracy: .milliseconds(1)) { fires += 1 }
        try timer.arm(at: Date().addingTimeInterval(3600))
        try timer.arm(at: Date().addingTimeInterval(0.02))  // the same source, moved earlier
        #expect(try loop.run(until: { fires == 1 }, timeout: .seconds(5)))

        // Armed then cancelled: must not fire while a later witness timer does.
        try timer.arm(at: Date().addingTimeInterval(0.01))
        timer.cancel()
        #expect(!timer.isArmed)
        var witness = false
        let later = try loop.after(.milliseconds(60)) { witness = true }
        #expect(try loop.run(until: { witness }, timeout: .seconds(5)))
        #expect(fires == 1)
        withExtendedLifetime(later) {}

        // A past date fires on the next iteration.
        try timer.arm(at: Date(timeIntervalSince1970: 0))
        #expect(try loop.run(until: { fires == 2 }, timeout: .seconds(5)))
    }

    @Test(arguments: [EventClock.monotonic, .boottime])
    func relativeTimerFiresAfterItsDelay(clock: EventClock) throws {
        let loop = try EventLoop()
        let start = Clocks.monotonic()
        var elapsed: Duration?
        let timer = try loop.after(.milliseconds(30), clock: clock) { elapsed = Clocks.monotonic() - start }
        #expect(try loop.run(until: { elapsed != nil }, timeout: .seconds(5)))
        #expect(try #require(elapsed) >= .milliseconds(29))
        withExtendedLifetime(timer) {}
    }

    @Test func timerDroppedInsideItsOwnHandlerIsSafe() throws {
        let loop = try EventLoop()
        var timer: EventTimer?
        var ran = false
        timer = try loop.after(.milliseconds(1)) {
            timer = nil
            ran = true
        }
        #expect(try loop.run(until: { ran }, timeout: .seconds(5)))
        #expect(timer == nil)
    }

    @Test func exitCodeIsReturnedByRun() throws {
        let loop = try EventLoop()
        let timer = try loop.after(.milliseconds(5)) { loop.exit(code: 7) }
        let guardTimer = try loop.after(.seconds(10)) { loop.exit(code: 99) }
        #expect(try loop.run() == 7)
        #expect(try loop.runOnce(timeout: .zero) == false)  // finished
        withExtendedLifetime((timer, guardTimer)) {}
    }

    @Test func sighupRunsItsHandler() throws {
        let loop = try EventLoop()
        var hangups = 0
        let source = try loop.onSignal(.hangup) { hangups += 1 }
        // raise() targets this thread, which sd-event has blocked SIGHUP in.
        #expect(raise(SIGHUP) == 0)
        #expect(try loop.run(until: { hangups == 1 }, timeout: .seconds(5)))
        #expect(source.isActive)
        source.cancel()
        #expect(!source.isActive)
    }

    @Test func deferRunsOnce() throws {
        let loop = try EventLoop()
        var log: [String] = []
        try loop.defer { log.append("defer") }
        let timer = try loop.after(.milliseconds(5)) { log.append("timer") }
        #expect(try loop.run(until: { log.contains("timer") }, timeout: .seconds(5)))
        #expect(log == ["defer", "timer"])
        withExtendedLifetime(timer) {}
    }

    @Test func readableFdCallsItsHandler() throws {
        let loop = try EventLoop()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[1]) }
        var got: [UInt8] = []
        var events: IOEvents = []
        let source = try loop.watch(fd: fds[0], closeOnCancel: true) { revents in
            events = revents
            var byte: UInt8 = 0
            if read(fds[0], &byte, 1) == 1 { got.append(byte) }
        }
        var byte: UInt8 = 42
        #expect(write(fds[1], &byte, 1) == 1)
        #expect(try loop.run(until: { !got.isEmpty }, timeout: .seconds(5)))
        #expect(got == [42])
        #expect(events.contains(.readable))
        source.cancel()
        // closeOnCancel: the read end is closed now.
        #expect(fcntl(fds[0], F_GETFD) == -1)
    }

    @Test func wallClockJumpWatcherIsArmedAndQuiet() throws {
        let loop = try EventLoop()
        var jumps = 0
        let watcher = try loop.onWallClockJump { jumps += 1 }
        #expect(watcher.isActive)
        var done = false
        let timer = try loop.after(.milliseconds(20)) { done = true }
        try loop.run(until: { done }, timeout: .seconds(5))
        #expect(jumps == 0)  // nobody set the clock (setting it needs CAP_SYS_TIME)
        withExtendedLifetime(timer) {}
    }

    @Test func clocksReadWallAndBoottime() throws {
        let before = Date()
        let (wall, boot) = Clocks.now()
        let after = Date()
        #expect(wall >= before.addingTimeInterval(-0.001) && wall <= after.addingTimeInterval(0.001))
        #expect(boot > .zero)
        #expect(boot >= Clocks.monotonic() - .seconds(1) || boot > .zero)
        let loop = try EventLoop()
        #expect(try loop.now(.boottime) > .zero)
    }
}
