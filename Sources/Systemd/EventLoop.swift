// sd-event: the daemon's one loop (timers, signals, fds, the bus).
import CSystemd

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The clocks a timer can run on.
public enum EventClock: Sendable, Hashable {
    /// Wall-clock time (CLOCK_REALTIME): for "at 10:30" reminders. Follows clock changes.
    case realtime
    /// CLOCK_MONOTONIC: does not advance while the machine is suspended.
    case monotonic
    /// CLOCK_BOOTTIME: like monotonic, but counts time spent in suspend.
    case boottime

    var clockID: clockid_t {
        switch self {
        case .realtime: CLOCK_REALTIME
        case .monotonic: CLOCK_MONOTONIC
        case .boottime: CLOCK_BOOTTIME
        }
    }
}

/// The signals the daemon handles.
public enum UnixSignal: Sendable, Hashable, CaseIterable {
    case hangup, interrupt, terminate, user1, user2

    var number: Int32 {
        switch self {
        case .hangup: SIGHUP
        case .interrupt: SIGINT
        case .terminate: SIGTERM
        case .user1: SIGUSR1
        case .user2: SIGUSR2
        }
    }
}

/// Readiness of a file descriptor.
public struct IOEvents: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let readable = IOEvents(rawValue: limber_epoll_in())
    public static let writable = IOEvents(rawValue: limber_epoll_out())
    public static let hangup = IOEvents(rawValue: limber_epoll_hup())
    public static let error = IOEvents(rawValue: limber_epoll_err())
}

/// An sd-event loop.
///
/// Not `Sendable`: sd-event is single-threaded, so one thread creates the loop,
/// adds sources, runs it and drops it. Every handler runs on that thread, inside
/// `run()`. Sources (`EventTimer`, `EventSource`) live as long as the caller
/// keeps the returned handle; dropping the handle disables and frees the source.
/// `run()` can be called once: after `exit(code:)` the loop is finished.
public final class EventLoop {
    let event: OpaquePointer
    /// One-shot `defer` sources, kept until they fire or the loop goes away.
    private var pendingDefers: [ObjectIdentifier: EventSource] = [:]

    /// A new, private sd-event loop (`sd_event_new`).
    public init() throws {
        var e: OpaquePointer?
        try check(sd_event_new(&e), "sd_event_new")
        event = e!
    }

    deinit {
        pendingDefers.removeAll()
        sd_event_unref(event)
    }

    /// Runs until `exit(code:)`; returns the exit code.
    @discardableResult
    public func run() throws -> Int32 {
        try check(sd_event_loop(event), "sd_event_loop")
    }

    /// Runs one iteration, waiting at most `timeout` (nil: wait for ever).
    /// Returns false when the loop has finished.
    @discardableResult
    public func runOnce(timeout: Duration? = nil) throws -> Bool {
        let usec = timeout.map(microseconds(of:)) ?? UInt64.max
        let r = sd_event_run(event, usec)
        if r == -ESTALE { return false }
        try check(r, "sd_event_run")
        return sd_event_get_state(event) != Int32(SD_EVENT_FINISHED)
    }

    /// Asks `run()` to return `code` after the current iteration.
    public func exit(code: Int32 = 0) {
        _ = sd_event_exit(event, code)
    }

    /// Sends WATCHDOG=1 to systemd at half of WatchdogSec by itself.
    /// Returns false when the service has no watchdog configured.
    @discardableResult
    public func enableWatchdog() throws -> Bool {
        try check(sd_event_set_watchdog(event, 1), "sd_event_set_watchdog") > 0
    }

    /// The loop's cached time of the current iteration on `clock`.
    public func now(_ clock: EventClock) throws -> Duration {
        var usec: UInt64 = 0
        try check(sd_event_now(event, clock.clockID, &usec), "sd_event_now")
        return .microseconds(Int64(clamping: usec))
    }

    // MARK: Timers

    /// A reusable, initially disarmed timer on `clock`. Arm it with
    /// `arm(at:)` (wall clock) or `arm(after:)`; re-arming and cancelling are
    /// cheap (one source, `sd_event_source_set_time` + `set_enabled`).
    /// `accuracy` lets sd-event coalesce wake-ups.
    public func makeTimer(
        clock: EventClock,
        accuracy: Duration = .milliseconds(250),
        handler: @escaping () -> Void
    ) throws -> EventTimer {
        try EventTimer(loop: self, clock: clock, accuracy: accuracy, handler: handler)
    }

    /// A timer that fires once, `delay` from now on `clock`.
    public func after(
        _ delay: Duration,
        clock: EventClock = .monotonic,
        accuracy: Duration = .milliseconds(1),
        handler: @escaping () -> Void
    ) throws -> EventTimer {
        let timer = try EventTimer(loop: self, clock: clock, accuracy: accuracy, handler: handler)
        try timer.arm(after: delay)
        return timer
    }

    // MARK: Signals, fds, defer/post

    /// Blocks `signals` in the calling thread, so that threads started later
    /// inherit the mask. Call it first thing in `main`, before anything starts
    /// a thread: a process-directed SIGTERM is otherwise delivered to any
    /// thread that has it unblocked and kills the daemon instead of reaching
    /// `onSignal`.
    public static func blockSignals(_ signals: [UnixSignal]) throws {
        for signal in signals {
            try check(limber_block_signal(signal.number), "pthread_sigmask block \(signal)")
        }
    }

    /// Handles `signal` on the loop. sd-event blocks the signal in this thread
    /// (SD_EVENT_SIGNAL_PROCMASK) and reads it through a signalfd; the old mask
    /// comes back when the source is dropped. Other threads of the process must
    /// block the signal too or it may be delivered to them instead: see
    /// `blockSignals(_:)`.
    public func onSignal(_ signal: UnixSignal, handler: @escaping () -> Void) throws -> EventSource {
        let source = EventSource(callback: .plain(handler))
        var s: OpaquePointer?
        try check(
            sd_event_add_signal(event, &s, limber_signal_procmask(signal.number), { _, _, userdata in
                EventSource.dispatch(userdata, events: [])
                return 0
            }, Unmanaged.passUnretained(source).toOpaque()),
            "sd_event_add_signal \(signal)")
        source.source = s
        return source
    }

    /// Calls `handler` when `fd` is ready for `events` (default: readable).
    /// The fd stays the caller's: close it after dropping the source, unless
    /// `closeOnCancel` is true, then the source closes it when freed.
    public func watch(
        fd: Int32,
        events: IOEvents = .readable,
        closeOnCancel: Bool = false,
        handler: @escaping (IOEvents) -> Void
    ) throws -> EventSource {
        let source = EventSource(callback: .io(handler))
        var s: OpaquePointer?
        try check(
            sd_event_add_io(event, &s, fd, events.rawValue, { _, _, revents, userdata in
                EventSource.dispatch(userdata, events: IOEvents(rawValue: revents))
                return 0
            }, Unmanaged.passUnretained(source).toOpaque()),
            "sd_event_add_io fd \(fd)")
        source.source = s
        if closeOnCancel {
            try check(sd_event_source_set_io_fd_own(s, 1), "sd_event_source_set_io_fd_own")
        }
        return source
    }

    /// Runs `handler` once on the next loop iteration, before polling
    /// (`sd_event_add_defer`). The loop keeps the source until it fires.
    public func `defer`(_ handler: @escaping () -> Void) throws {
        let source = EventSource(callback: .plain({}))
        let key = ObjectIdentifier(source)
        source.callback = .plain { [unowned self] in
            let fired = self.pendingDefers.removeValue(forKey: key)
            withExtendedLifetime(fired) { handler() }
        }
        var s: OpaquePointer?
        try check(
            sd_event_add_defer(event, &s, { _, userdata in
                EventSource.dispatch(userdata, events: [])
                return 0
            }, Unmanaged.passUnretained(source).toOpaque()),
            "sd_event_add_defer")
        source.source = s
        pendingDefers[key] = source
    }

    /// Calls `handler` when the wall clock is set (by NTP, the user, or a
    /// resume that corrects it): a CLOCK_REALTIME timerfd armed far in the
    /// future with TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET reads ECANCELED;
    /// the watcher then re-arms itself.
    public func onWallClockJump(_ handler: @escaping () -> Void) throws -> EventSource {
        let fd = try check(limber_clock_jump_fd_open(), "timerfd_create CLOCK_REALTIME")
        do {
            try check(limber_clock_jump_fd_arm(fd), "timerfd_settime CANCEL_ON_SET")
        } catch {
            close(fd)
            throw error
        }
        do {
            return try watch(fd: fd, events: .readable, closeOnCancel: true) { _ in
                if limber_clock_jump_fd_drain(fd) == 1 {
                    _ = limber_clock_jump_fd_arm(fd)
                    handler()
                }
            }
        } catch {
            close(fd)
            throw error
        }
    }
}

/// A signal, fd, post or defer source. Dropping it (or `cancel()`) disables
/// and frees the sd-event source before its handler goes away.
public final class EventSource {
    enum Callback {
        case plain(() -> Void)
        case io((IOEvents) -> Void)
    }

    var callback: Callback
    var source: OpaquePointer?

    init(callback: Callback) {
        self.callback = callback
    }

    deinit {
        cancel()
    }

    /// Disables and frees the source now; the handler will not run again.
    public func cancel() {
        if let s = source {
            source = nil
            sd_event_source_disable_unref(s)
        }
    }

    /// Whether the source is still registered and enabled.
    public var isActive: Bool {
        guard let source else { return false }
        var enabled: Int32 = 0
        return sd_event_source_get_enabled(source, &enabled) >= 0 && enabled != 0
    }

    static func dispatch(_ userdata: UnsafeMutableRawPointer?, events: IOEvents) {
        guard let userdata else { return }
        let me = Unmanaged<EventSource>.fromOpaque(userdata).takeUnretainedValue()
        // The handler may drop the last reference to `me`; keep it alive until it returns.
        withExtendedLifetime(me) {
            switch me.callback {
            case .plain(let handler): handler()
            case .io(let handler): handler(events)
            }
        }
    }
}

/// One reusable timer source. Disarmed until `arm`; fires once per arming.
public final class EventTimer {
    public let clock: EventClock
    private let handler: () -> Void
    private var source: OpaquePointer?

    init(loop: EventLoop, clock: EventClock, accuracy: Duration, handler: @escaping () -> Void) throws {
        self.clock = clock
        self.handler = handler
        var s: OpaquePointer?
        try check(
            sd_event_add_time(
                loop.event, &s, clock.clockID, UInt64.max, max(1, microseconds(of: accuracy)),
                { _, _, userdata in
                    guard let userdata else { return 0 }
                    let me = Unmanaged<EventTimer>.fromOpaque(userdata).takeUnretainedValue()
                    withExtendedLifetime(me) { me.handler() }
                    return 0
                }, Unmanaged.passUnretained(self).toOpaque()),
            "sd_event_add_time \(clock)")
        source = s
        try check(sd_event_source_set_enabled(s, Int32(SD_EVENT_OFF)), "sd_event_source_set_enabled off")
    }

    deinit {
        if let source { sd_event_source_disable_unref(source) }
    }

    /// Arms the timer for the wall-clock instant `deadline` (CLOCK_REALTIME
    /// timers only). A deadline in the past fires on the next iteration.
    public func arm(at deadline: Date) throws {
        precondition(clock == .realtime, "arm(at: Date) needs a .realtime timer; use arm(after:)")
        let seconds = deadline.timeIntervalSince1970
        let usec: UInt64 = seconds <= 0 ? 1 : UInt64(min(seconds * 1_000_000, Double(UInt64.max / 2)))
        try arm(usec: usec)
    }

    /// Arms the timer `delay` from the loop's current time on its clock.
    public func arm(after delay: Duration) throws {
        guard let source else { throw SystemdError(errno: ESTALE, operation: "arm timer") }
        try check(sd_event_source_set_time_relative(source, microseconds(of: delay)), "sd_event_source_set_time_relative")
        try check(sd_event_source_set_enabled(source, Int32(SD_EVENT_ONESHOT)), "sd_event_source_set_enabled oneshot")
    }

    /// Arms the timer at an absolute time on its clock, in microseconds.
    func arm(usec: UInt64) throws {
        guard let source else { throw SystemdError(errno: ESTALE, operation: "arm timer") }
        try check(sd_event_source_set_time(source, usec), "sd_event_source_set_time")
        try check(sd_event_source_set_enabled(source, Int32(SD_EVENT_ONESHOT)), "sd_event_source_set_enabled oneshot")
    }

    /// Disarms the timer; it can be armed again.
    public func cancel() {
        if let source { _ = sd_event_source_set_enabled(source, Int32(SD_EVENT_OFF)) }
    }

    /// Whether the timer is armed and has not fired yet.
    public var isArmed: Bool {
        guard let source else { return false }
        var enabled: Int32 = 0
        return sd_event_source_get_enabled(source, &enabled) >= 0 && enabled != 0
    }
}

/// Reading the clocks the loop uses, outside of a loop iteration.
public enum Clocks {
    /// The wall-clock time (CLOCK_REALTIME) and the time since boot
    /// including suspend (CLOCK_BOOTTIME), read together.
    public static func now() -> (wall: Date, boottime: Duration) {
        let wall = limber_clock_usec(CLOCK_REALTIME)
        let boot = limber_clock_usec(CLOCK_BOOTTIME)
        return (Date(timeIntervalSince1970: Double(wall) / 1_000_000), .microseconds(Int64(clamping: boot)))
    }

    /// CLOCK_MONOTONIC (does not count suspend).
    public static func monotonic() -> Duration {
        .microseconds(Int64(clamping: limber_clock_usec(CLOCK_MONOTONIC)))
    }
}

/// Whole microseconds in a non-negative duration (negative: 0).
func microseconds(of duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
    let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
    if overflow { return UInt64.max - 1 }
    return whole &+ UInt64(attoseconds / 1_000_000_000_000)
}
