import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real X server (Xvfb, a free display picked by -displayfd), ended by PID.
final class TestXServer {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/Xvfb")
    let display: String
    private let process: Process

    init() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
        process.arguments = ["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Xvfb writes the display number once it accepts clients.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let n = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !n.isEmpty else { throw LimberWorld.WorldError("Xvfb did not start") }
        display = ":" + n
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
