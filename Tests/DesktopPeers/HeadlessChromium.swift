// Headless Chromium (Debian package `chromium`) for the tests that render
// a page: the guide (LimberDaemonTests) and the report (LimberHistoryTests).
import Foundation

#if canImport(Glibc)
import Glibc
#endif

public enum HeadlessChromium {
    /// LIMBER_CHROMIUM, or the first Chromium on PATH; nil when there is none.
    public static let path: String? = {
        let env = ProcessInfo.processInfo.environment
        if let p = env["LIMBER_CHROMIUM"], FileManager.default.isExecutableFile(atPath: p) { return p }
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(name)") { return "\(d)/\(name)" }
        }
        return nil
    }()

    /// Runs Chromium headless with `args`, its stdout to `output`, with a
    /// throwaway profile; killed (by its PID) after `limit`.
    public static func run(_ args: [String], output: String, profile: String,
                           limit: Duration = .seconds(120)) throws -> (status: Int32, timedOut: Bool) {
        guard let exe = path else { throw DesktopPeerError("chromium is not installed: apt-get install chromium") }
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        var all = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                   "--hide-scrollbars", "--user-data-dir=\(profile)"]
        if geteuid() == 0 { all.append("--no-sandbox") } // Chromium refuses root without it
        process.arguments = all + args
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + .milliseconds(Int(limit.components.seconds * 1000))) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        return (process.terminationStatus, timedOut)
    }
}
