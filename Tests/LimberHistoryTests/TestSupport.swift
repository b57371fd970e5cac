import Foundation
import LimberCore
@testable import LimberHistory

/// A fresh temporary directory, removed when the value is dropped.
final class TempDir {
    let path: String

    init(_ label: String = "limber-history") {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The names in the directory, sorted.
    func listing() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

let utc = TimeZone(identifier: "UTC")!

/// 2025-03-01 00:00:00 UTC plus the given offsets.
func t(day: Int = 0, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Date {
    let seconds: Int = day * 86_400 + hour * 3600 + minute * 60 + second
    return Date(timeIntervalSince1970: 1_740_787_200 + Double(seconds))
}

let pressUps = RuleID(program: "sciatica-relief", rule: "press-ups")
let sitBreak = RuleID(program: "sciatica-relief", rule: "sit-break")
let pressUp = OfferedExercise(id: "prone-press-up", name: "Prone press-up", dose: "10 reps")
let walk = OfferedExercise(id: "walk", name: "Walk", dose: "10 min")
let bridge = OfferedExercise(id: "glute-bridge", name: "Glute bridge", dose: "2 × 10 reps")

func outcome(_ kind: OutcomeKind, _ rule: RuleID = pressUps, at: Date, due: Date? = nil, reminder: ReminderID = 1,
             exercises: [OfferedExercise] = [pressUp], catchUp: Bool = false, snooze: Duration? = nil, note: String? = nil) -> Outcome {
    Outcome(reminder: reminder, rule: rule, kind: kind, exercises: exercises, at: at, dueAt: due ?? at,
            catchUp: catchUp, snooze: snooze, note: note)
}

/// Opens a store in a new temporary directory.
func freshStore(_ dir: TempDir, options: HistoryStore.Options = .init()) throws -> HistoryStore {
    try HistoryStore.open(at: dir.file("history.sqlite"), options: options, now: t()).store
}

enum TestTimeout: Error { case timedOut(String) }

/// Reads lines from a file descriptor, each read bounded by a deadline
/// (poll(2), no sleeps).
final class LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next line, nil at end of file; throws when the deadline passes.
    func next(before deadline: ContinuousClock.Instant) throws -> String? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return line
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw TestTimeout.timedOut("no line before the deadline") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(min(Double(Int32.max), left.seconds * 1000).rounded(.up))
            let r = poll(&pfd, 1, ms)
            if r < 0, errno == EINTR { continue }
            guard r > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                if buffer.isEmpty { return nil }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return line
            }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}

/// The directory of the running test binary (where SwiftPM puts the
/// package's executables too).
func buildProductsDirectory() -> String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = (exe as NSString).deletingLastPathComponent
    // On some layouts the binary sits inside an .xctest bundle directory.
    while dir.hasSuffix(".xctest") || dir.contains(".xctest/") {
        dir = (dir as NSString).deletingLastPathComponent
    }
    return dir
}
