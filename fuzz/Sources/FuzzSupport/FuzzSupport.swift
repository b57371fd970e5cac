import Foundation
import LimberConfig
import LimberCore

/// What every limber fuzz target checks besides "no crash, no hang": a
/// rejected input is rejected with positioned errors (`file:line:column`
/// inside the file, with a message), never silently and never a trap.
public enum FuzzCheck {
    /// A private directory for this fuzzing process (created once).
    public static let directory: String = {
        var template = Array("/tmp/limber-fuzz.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            fail("mkdtemp: \(String(cString: strerror(errno)))")
        }
        let dir = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        atexit { removeDirectory() }
        return dir
    }()

    private static func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes the input to `path` (replacing it), byte for byte.
    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fail("open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            guard n > 0 else { fail("write \(path): \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Lines in the input as an editor counts them (a position may be one
    /// past the last newline: the end of the file).
    public static func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// Every diagnostic names one of `files`, has a line in 1...maxLine, a
    /// column ≥ 1 and a message; when `rejected`, at least one is an error.
    public static func requirePositioned(_ diagnostics: [Diagnostic], files: Set<String>, maxLine: Int,
                                         rejected: Bool, input: UnsafeRawBufferPointer, what: String) {
        if rejected && !diagnostics.contains(where: \.isError) {
            fail("\(what) rejected without an error diagnostic", input: input, diagnostics: diagnostics)
        }
        for d in diagnostics {
            guard files.contains(d.file) else {
                fail("\(what): diagnostic names \(d.file), not the file read", input: input, diagnostics: diagnostics)
            }
            guard d.line >= 1, d.line <= maxLine, d.column >= 1 else {
                fail("\(what): diagnostic at \(d.line):\(d.column) is outside the file (\(maxLine) line(s))",
                     input: input, diagnostics: diagnostics)
            }
            guard !d.message.trimmingCharacters(in: .whitespaces).isEmpty else {
                fail("\(what): diagnostic without a message", input: input, diagnostics: diagnostics)
            }
        }
    }

    /// Stops the fuzzer with a crash (libFuzzer saves the input as crash-*).
    public static func fail(_ message: String, input: UnsafeRawBufferPointer? = nil, diagnostics: [Diagnostic] = []) -> Never {
        var text = "limber fuzz check failed: \(message)\n"
        for d in diagnostics { text += "  \(d.description)\n" }
        if let input { text += "  input (\(input.count) bytes): \(String(decoding: input.prefix(400), as: UTF8.self).debugDescription)\n" }
        FileHandle.standardError.write(Data(text.utf8))
        abort()
    }

    /// A valid program must not trap the core: a week of timers and answers,
    /// bounded in steps so that a program with many rules stays fast.
    public static func runEngine(_ configuration: Configuration, input: UnsafeRawBufferPointer) {
        let start = Moment(wall: Date(timeIntervalSince1970: 1_767_596_400), uptime: .seconds(1000))  // Mon 2026-01-05 07:00 UTC
        var engine = Engine(configuration: configuration, timeZone: TimeZone(identifier: "UTC")!, now: start)
        var now = start
        let end = start.wall.addingTimeInterval(7 * 86_400)
        var answers: [Answer] = [.done, .snooze(nil), .skip, .dismissed]
        for step in 0..<300 {
            let event: Event
            if step % 3 == 2, engine.state.showing != nil {
                answers.append(answers.removeFirst())
                event = .answer(nil, answers[0])
            } else {
                event = .timer
            }
            let result = engine.handle(event, at: now)
            guard let next = result.nextDeadline else { break }
            let advance = max(1, next.timeIntervalSince(now.wall))
            now = Moment(wall: now.wall.addingTimeInterval(advance), uptime: now.uptime + .milliseconds(Int64(advance * 1000)))
            if now.wall > end { break }
        }
    }
}
