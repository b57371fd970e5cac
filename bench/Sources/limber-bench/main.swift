// limber-bench: the parts of the benchmark that run inside one Swift process.
//
//   limber-bench core   [--sizes 10,1000,10000,100000] [--events N] [--json FILE]
//       The core at scale: time per event (a .timer at each deadline, the
//       .answer that follows a reminder, and the status line the daemon
//       builds after every event) and heap per rule, for N reminders.
//   limber-bench notify [--count N] [--json FILE]
//       Notify call to reply on $DBUS_SESSION_BUS_ADDRESS, through limber's
//       own sd-bus wrapper (Systemd.Bus), one call at a time.
//
// Figures go to stdout as text and, with --json, to a file.
import CHeap
import Foundation
import Histogram
import LimberCore
import Systemd

#if canImport(Glibc)
import Glibc
#endif

// MARK: Helpers

func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Bytes in use on the malloc heap (glibc mallinfo2).
func heapInUse() -> Int {
    Int(cheap_heap_in_use())
}

func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

struct Summary {
    var count: UInt64
    var p50: Double, p90: Double, p99: Double, max: Double, mean: Double  // microseconds

    init(_ h: Histogram<UInt64>) {
        count = h.totalCount
        p50 = Double(h.valueAtPercentile(50)) / 1000
        p90 = Double(h.valueAtPercentile(90)) / 1000
        p99 = Double(h.valueAtPercentile(99)) / 1000
        max = Double(h.max) / 1000
        mean = h.mean / 1000
    }

    var json: String {
        "{\"count\": \(count), \"p50_us\": \(r(p50)), \"p90_us\": \(r(p90)), \"p99_us\": \(r(p99)), \"max_us\": \(r(max)), \"mean_us\": \(r(mean))}"
    }
}

func r(_ x: Double) -> String { String(format: "%.3f", x) }

func newHistogram() -> Histogram<UInt64> {
    Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
}

// MARK: Core at scale

/// N reminders in programs of 10 (the shape of many program files), a mix
/// of the four cadences, spread so that they fall due at different times
/// through the day.
func configuration(reminders n: Int) -> Configuration {
    let exercises = (0..<4).map {
        Exercise(id: "ex\($0)", name: "Exercise \($0)", category: .stretch, position: .standing,
                 dose: Dose(reps: 10), steps: ["Stand tall.", "Reach up."])
    }
    var programs: [Program] = []
    var made = 0
    var p = 0
    while made < n {
        var rules: [ReminderRule] = []
        for k in 0..<min(10, n - made) {
            let i = made + k
            let cadence: Cadence
            switch i % 4 {
            case 0: cadence = .sitBreak(after: .minutes(30 + i % 60), naturalBreak: .minutes(5))
            case 1: cadence = .interval(every: .minutes(45 + (i * 7) % 180))
            case 2: cadence = .window(count: 1 + i % 3, window: DayWindow("09:00-19:00")!, minGap: .minutes(60))
            default:
                let t = TimeOfDay(hour: 8 + (i * 5) % 12, minute: (i * 13) % 60)!
                cadence = .fixed(times: [t], days: Weekday.everyDay)
            }
            rules.append(ReminderRule(id: "r\(k)", title: "Reminder \(i)", message: "Move a little.", cadence: cadence,
                                      pool: ExercisePool(exercises: ["ex0", "ex1", "ex2", "ex3"], order: .rotate, pick: 1),
                                      catchUp: .once))
        }
        programs.append(Program(id: "p\(p)", name: "Program \(p)", exercises: exercises, reminders: rules))
        made += rules.count
        p += 1
    }
    var settings = Settings(enabledPrograms: programs.map(\.id))
    settings.workingHours = DayWindow("08:00-20:00")!
    return Configuration(programs: programs, settings: settings)
}

struct CoreResult {
    var n: Int
    var initMs: Double
    var heapBytes: Int
    var timer: Summary
    var answer: Summary
    var status: Summary
    var idleTimer: Summary
}

func benchCore(n: Int, events: Int, timeZone: TimeZone) -> CoreResult {
    // A Tuesday, 09:00 local.
    var comps = DateComponents()
    comps.year = 2026; comps.month = 11; comps.day = 17; comps.hour = 9
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = timeZone
    let start = cal.date(from: comps)!
    var now = Moment(wall: start, uptime: .seconds(3600))

    let heap0 = heapInUse()
    let config = configuration(reminders: n)
    let t0 = nowNanos()
    var engine = Engine(configuration: config, timeZone: timeZone, now: now)
    let initNs = nowNanos() - t0
    let heap = heapInUse() - heap0

    var timerH = newHistogram(), answerH = newHistogram(), statusH = newHistogram(), idleH = newHistogram()
    // Warm up.
    _ = engine.handle(.timer, at: now)
    let deadlineBudget: UInt64 = 4_000_000_000  // stop a size after ~4 s of events
    let began = nowNanos()
    var step = engine.handle(.timer, at: now)
    for _ in 0..<events {
        // The loop wakes at the deadline the core asked for.
        let next = step.nextDeadline.map { max($0, now.wall.addingTimeInterval(1)) } ?? now.wall.addingTimeInterval(60)
        let dt = next.timeIntervalSince(now.wall)
        now = Moment(wall: next, uptime: now.uptime + .milliseconds(Int64(dt * 1000)))
        var t = nowNanos()
        step = engine.handle(.timer, at: now)
        timerH.record(nowNanos() - t)
        t = nowNanos()
        _ = engine.status(at: now).line(now: now.wall)
        statusH.record(nowNanos() - t)
        if engine.state.showing != nil {
            now = now + .seconds(20)
            t = nowNanos()
            step = engine.handle(.answer(nil, .done), at: now)
            answerH.record(nowNanos() - t)
        }
        // A wake with nothing due (a bus event, a spurious wake).
        now = now + .milliseconds(500)
        t = nowNanos()
        step = engine.handle(.timer, at: now)
        idleH.record(nowNanos() - t)
        if nowNanos() - began > deadlineBudget { break }
    }
    withExtendedLifetime(config) {}
    return CoreResult(n: n, initMs: Double(initNs) / 1e6, heapBytes: heap, timer: Summary(timerH),
                      answer: Summary(answerH), status: Summary(statusH), idleTimer: Summary(idleH))
}

/// Least-squares slope of log(y) over log(x): y ~ x^k.
func growthExponent(_ points: [(Double, Double)]) -> Double? {
    let pts = points.filter { $0.0 > 0 && $0.1 > 0 }
    guard pts.count >= 2 else { return nil }
    let xs = pts.map { log($0.0) }, ys = pts.map { log($0.1) }
    let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
    var num = 0.0, den = 0.0
    for (x, y) in zip(xs, ys) { num += (x - mx) * (y - my); den += (x - mx) * (x - mx) }
    return den == 0 ? nil : num / den
}

func runCore() {
    let sizes = (option("--sizes") ?? "10,1000,10000,100000").split(separator: ",").compactMap { Int($0) }
    let events = Int(option("--events") ?? "300") ?? 300
    let tz = TimeZone(identifier: option("--time-zone") ?? "Europe/Berlin") ?? TimeZone(identifier: "UTC")!
    var results: [CoreResult] = []
    print("core: \(events) deadlines per size (or ~4 s), time zone \(tz.identifier)")
    print("  reminders   init ms   heap KiB  B/rule   timer p50/p99 us   answer p50/p99 us   status p50 us   idle wake p50 us")
    for n in sizes {
        let res = benchCore(n: n, events: events, timeZone: tz)
        results.append(res)
        print(String(format: "  %9d  %8.2f  %9.0f  %6.0f   %8.1f / %-8.1f  %8.1f / %-8.1f  %12.1f  %14.1f",
                     n, res.initMs, Double(res.heapBytes) / 1024, Double(res.heapBytes) / Double(n),
                     res.timer.p50, res.timer.p99, res.answer.p50, res.answer.p99, res.status.p50, res.idleTimer.p50))
        fflush(nil)
    }
    let big = results.filter { $0.n >= 1000 }
    let kTimer = growthExponent(big.map { (Double($0.n), $0.timer.p50) })
    let kAnswer = growthExponent(big.map { (Double($0.n), $0.answer.p50) })
    let kHeap = growthExponent(big.map { (Double($0.n), Double($0.heapBytes)) })
    print("  growth exponent (N >= 1000, time ~ N^k): timer \(kTimer.map(r) ?? "-"), answer \(kAnswer.map(r) ?? "-"), heap \(kHeap.map(r) ?? "-")")
    if let path = option("--json") {
        var s = "{\n  \"time_zone\": \"\(tz.identifier)\",\n  \"sizes\": [\n"
        s += results.map { res in
            "    {\"reminders\": \(res.n), \"init_ms\": \(r(res.initMs)), \"heap_bytes\": \(res.heapBytes), " +
            "\"timer\": \(res.timer.json), \"answer\": \(res.answer.json), \"status\": \(res.status.json), \"idle_wake\": \(res.idleTimer.json)}"
        }.joined(separator: ",\n")
        s += "\n  ],\n  \"growth_exponent\": {\"timer\": \(kTimer.map(r) ?? "null"), \"answer\": \(kAnswer.map(r) ?? "null"), \"heap\": \(kHeap.map(r) ?? "null")}\n}\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(s.utf8))
    }
}

// MARK: Notification round trip

func runNotify() throws {
    let count = Int(option("--count") ?? "200") ?? 200
    let bus = try Bus(.user, description: "limber-bench")
    var h = newHistogram()
    let args: [BusValue] = [
        .string("limber"), .uint32(0), .string(""), .string("Stand up for a bit"),
        .string("Up you get: a couple of minutes on your feet.\n• Stand and walk — 2 min"),
        .strings(["done", "Done", "snooze", "Snooze 10 min", "skip", "Skip"]),
        .vardict(["urgency": .byte(1), "category": .string("x-limber.reminder"), "desktop-entry": .string("limber"),
                  "resident": .bool(true)]),
        .int32(-1),
    ]
    for i in 0..<(count + 10) {
        let t = nowNanos()
        _ = try bus.call(destination: "org.freedesktop.Notifications", path: "/org/freedesktop/Notifications",
                         interface: "org.freedesktop.Notifications", member: "Notify", arguments: args, timeout: .seconds(5))
        if i >= 10 { h.record(nowNanos() - t) }  // the first calls warm up both ends
    }
    let s = Summary(h)
    print(String(format: "notify: %d calls, p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us", Int(s.count), s.p50, s.p90, s.p99, s.max))
    if let path = option("--json") {
        _ = FileManager.default.createFile(atPath: path, contents: Data("{\"notify\": \(s.json)}\n".utf8))
    }
}

// MARK: Main

switch CommandLine.arguments.dropFirst().first {
case "core": runCore()
case "notify":
    do { try runNotify() } catch { print("notify: failed: \(error)"); exit(1) }
default:
    print("usage: limber-bench core [--sizes 10,1000] [--events N] [--json FILE] | notify [--count N] [--json FILE]")
    exit(2)
}
