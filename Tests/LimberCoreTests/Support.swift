import Foundation
@testable import LimberCore

/// Drives an Engine through simulated time: the test is the clock.
struct Simulator {
    var engine: Engine
    var now: Moment
    let calendar: LocalCalendar
    /// Every effect with the wall time it happened.
    var log: [(at: Date, effect: Effect)] = []
    var deadline: Date?

    init(config: Configuration, timeZone: String = "Europe/Berlin", start: String, gated: Bool = false) {
        let tz = TimeZone(identifier: timeZone)!
        calendar = LocalCalendar(timeZone: tz)
        now = Moment(wall: Simulator.date(start, tz), uptime: .seconds(1000))
        engine = Engine(configuration: config, timeZone: tz, now: now, gated: gated)
        let step = engine.handle(.timer, at: now)
        record(step)
    }

    static func date(_ text: String, _ tz: TimeZone) -> Date {
        // "2026-11-23 09:00"
        let parts = text.split(separator: " ")
        let d = parts[0].split(separator: "-").map { Int($0)! }
        let t = parts[1].split(separator: ":").map { Int($0)! }
        var c = DateComponents()
        c.year = d[0]; c.month = d[1]; c.day = d[2]; c.hour = t[0]; c.minute = t[1]
        c.second = t.count > 2 ? t[2] : 0
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        return cal.date(from: c)!
    }

    func at(_ text: String) -> Date { Simulator.date(text, calendar.timeZone) }

    mutating func record(_ step: Step) {
        for e in step.effects { log.append((now.wall, e)) }
        deadline = step.nextDeadline
    }

    /// Delivers an event now.
    mutating func send(_ event: Event) {
        let step = engine.handle(event, at: now)
        record(step)
    }

    /// Moves time forward to `target`, delivering a timer event at every
    /// deadline on the way (as the loop would).
    mutating func advance(to target: Date, asleep: Bool = false) {
        var guardCount = 0
        while let d = deadline, d <= target, !asleep {
            guardCount += 1
            precondition(guardCount < 100_000, "deadline loop at \(d)")
            let d2 = max(d, now.wall)
            if d2 > now.wall { move(to: d2) }
            let before = deadline
            send(.timer)
            if deadline == before && deadline! <= now.wall {
                fatalError("engine asked for a deadline that is not in the future: \(String(describing: deadline)) at \(now.wall)")
            }
        }
        if target > now.wall { move(to: target) }
    }

    mutating func advance(by d: Duration) { advance(to: now.wall.addingTimeInterval(d.seconds)) }
    mutating func advance(to text: String) { advance(to: at(text)) }

    private mutating func move(to wall: Date) {
        let delta = wall.timeIntervalSince(now.wall)
        now = Moment(wall: wall, uptime: now.uptime + .milliseconds(Int64((delta * 1000).rounded())))
    }

    /// Sets the wall clock without uptime moving (a clock jump).
    mutating func setClock(to wall: Date) {
        now = Moment(wall: wall, uptime: now.uptime)
        send(.clockChanged)
    }

    /// Suspends the machine from now until `wall`: uptime (boottime) moves,
    /// no timers fire on the way.
    mutating func suspend(until wall: Date) {
        send(.sleeping)
        move(to: wall)
        send(.woke)
    }

    var shows: [(at: Date, reminder: Reminder)] {
        log.compactMap { if case .show(let r) = $0.effect { ($0.at, r) } else { nil } }
    }

    /// New reminders only (not in-place updates of one already shown).
    var newShows: [(at: Date, reminder: Reminder)] {
        var seen = Set<ReminderID>()
        return shows.filter { seen.insert($0.reminder.id).inserted }
    }

    /// The reminders handed to the gates, in order.
    var reviews: [Reminder] {
        log.compactMap { if case .review(let r) = $0.effect { r } else { nil } }
    }

    var outcomes: [Outcome] {
        log.compactMap { if case .record(let o) = $0.effect { o } else { nil } }
    }

    func outcomes(_ kind: OutcomeKind) -> [Outcome] { outcomes.filter { $0.kind == kind } }

    var showing: Reminder? { engine.state.showing }

    mutating func clearLog() { log.removeAll() }

    func hm(_ d: Date) -> String {
        let m = calendar.minuteOfDay(d)
        return String(format: "%02d:%02d", m / 60, m % 60)
    }
}

/// Small programs for tests.
enum Fixtures {
    static let walk = Exercise(id: "walk", name: "Walk", category: .cardio, position: .standing, dose: Dose(duration: .minutes(3)))
    static let pressUp = Exercise(id: "press-up", name: "Prone press-up", category: .extension_, position: .floor, dose: Dose(reps: 10))
    static let glide = Exercise(id: "glide", name: "Slump glide", category: .nerveGlide, position: .sitting, dose: Dose(reps: 10, perSide: true))
    static let bridge = Exercise(id: "bridge", name: "Glute bridge", category: .strength, position: .floor, dose: Dose(reps: 10, sets: 2))
    static let clam = Exercise(id: "clam", name: "Clamshell", category: .strength, position: .floor, dose: Dose(reps: 12, perSide: true))
    static let birdDog = Exercise(id: "bird-dog", name: "Bird-dog", category: .strength, position: .floor, dose: Dose(reps: 8, perSide: true))

    static func program(_ rules: [ReminderRule], id: String = "test", phases: [Phase] = []) -> Program {
        Program(id: id, name: "Test", exercises: [walk, pressUp, glide, bridge, clam, birdDog], reminders: rules, phases: phases)
    }

    static func config(_ rules: [ReminderRule], settings: Settings = Settings(workingHours: DayWindow("08:00-20:00")!),
                       phases: [Phase] = []) -> Configuration {
        Configuration(programs: [program(rules, phases: phases)], settings: settings)
    }

    static func sitBreak(after: Int = 45, natural: Int = 5) -> ReminderRule {
        ReminderRule(id: "sit", title: "Sit break", cadence: .sitBreak(after: .minutes(after), naturalBreak: .minutes(natural)),
                     pool: ExercisePool(exercises: ["walk"]))
    }

    static func pressUps(every hours: Int = 2) -> ReminderRule {
        ReminderRule(id: "press", title: "Press-ups", cadence: .interval(every: .hours(hours)),
                     pool: ExercisePool(exercises: ["press-up"]))
    }

    static func walks(count: Int = 3, window: String = "09:00-18:00", gap: Int = 90) -> ReminderRule {
        ReminderRule(id: "walks", title: "Walk", cadence: .window(count: count, window: DayWindow(window)!, minGap: .minutes(gap)),
                     pool: ExercisePool(exercises: ["walk"]))
    }

    static func lunchWalk(_ time: String = "12:30", days: Set<Weekday> = Weekday.workdays) -> ReminderRule {
        ReminderRule(id: "lunch", title: "Lunch walk", cadence: .fixed(times: [TimeOfDay(time)!], days: days),
                     pool: ExercisePool(exercises: ["walk"]))
    }
}

extension Simulator {
    /// A compact timeline for failure messages: "Mon 12:30 show#3 [lunch,press*]".
    var timeline: String {
        log.map { entry in
            let day = calendar.weekday(entry.at).short + " " + calendar.dayKey(entry.at).suffix(2) + " " + hm(entry.at)
            switch entry.effect {
            case .review(let r): return "\(day) review#\(r.id) [" + r.items.map(\.rule.rule).joined(separator: ",") + "]"
            case .show(let r): return "\(day) show#\(r.id) [" + r.items.map { $0.rule.rule + ($0.catchUp ? "*" : "") }.joined(separator: ",") + "]"
            case .withdraw(let id, let why): return "\(day) withdraw#\(id) \(why)"
            case .record(let o): return "\(day) \(o.kind) #\(o.reminder) \(o.rule.rule) due \(hm(o.dueAt))" + (o.note.map { " (\($0))" } ?? "")
            }
        }.joined(separator: "\n")
    }
}
