import Foundation
import Testing
import Systemd

/// Runs a built binary to completion and returns its exit code and output.
func runTool(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    p.environment = peerEnvironment(environment)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try runWithDefaultSignalMask(p)
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// `limberd` as a user meets it first: --check, --explain, and the
/// foreground demo with no notification service.
@Suite struct LimberdCommandTests {
    static let limberd = NotificationDaemonTests.limberdPath

    func emptyHome() throws -> (home: String, env: [String: String]) {
        let home = try shortTemporaryDirectory("lhome")
        return (home, ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_STATE_HOME": home + "/state",
                       "XDG_CONFIG_DIRS": home + "/etc", "DBUS_SESSION_BUS_ADDRESS": "unix:path=\(home)/no-bus"])
    }

    @Test func checkPassesTheShippedProgramsWithOneLineEach() throws {
        try requirePeer(Self.limberd, package: "limberd (run swift build first)")
        let (_, env) = try emptyHome()
        let r = try runTool(Self.limberd, ["--check"], environment: env)
        #expect(r.code == 0, "\(r.out)\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("sciatica-relief: ") })
        #expect(lines.contains { $0.hasPrefix("desk-basics: ") })
    }

    @Test func checkRejectsABrokenProgramWithFileLineAndColumn() throws {
        let (home, env) = try emptyHome()
        let file = home + "/broken.toml"
        try """
        schema = 1
        id = "broken"
        name = "Broken"

        [exercises.walk]
        name = "Walk"
        category = "cardio"
        position = "standing"

        [reminders.move]
        title = "Move"
        cadence = "interval"
        every = "often"
        exercises = ["walk"]
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runTool(Self.limberd, ["--check", file], environment: env)
        #expect(r.code == 1)
        #expect(r.out.contains("\(file):13:9: "), "\(r.out)")
        #expect(r.out.contains("every"))
    }

    @Test func checkOfAMissingFileSaysSo() throws {
        let (home, env) = try emptyHome()
        let r = try runTool(Self.limberd, ["--check", home + "/nope.toml"], environment: env)
        #expect(r.code != 0)
        #expect((r.out + r.err).contains("nope.toml"))
    }

    @Test func explainDescribesEachReminderAndTheRedFlags() throws {
        let (_, env) = try emptyHome()
        let r = try runTool(Self.limberd, ["--explain", "sciatica-relief"], environment: env)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("[sit-break]"))
        #expect(r.out.contains("after 45 min of continuous activity"))
        #expect(r.out.contains("Seek urgent care"))
        let unknown = try runTool(Self.limberd, ["--explain", "no-such-program"], environment: env)
        #expect(unknown.code != 0)
        #expect(unknown.err.contains("no program 'no-such-program'"))
    }

    @Test func badTimeScaleIsAUsageError() throws {
        let r = try runTool(Self.limberd, ["--time-scale", "-3"], environment: [:])
        #expect(r.code == 64)
        #expect(r.err.contains("--time-scale"))
    }

    /// With no configuration and no notification service, the shipped
    /// program runs and its first sit break prints in the terminal within
    /// seconds at 600 times speed.
    @Test func foregroundDemoPrintsTheFirstSitBreakWithinSeconds() throws {
        let (home, baseEnv) = try emptyHome()
        var env = baseEnv
        env["TMPDIR"] = home + "/tmp"
        try FileManager.default.createDirectory(atPath: home + "/tmp", withIntermediateDirectories: true)
        let limberd = try PeerProcess("limberd", executable: Self.limberd, arguments: ["--foreground", "--time-scale", "600"],
                                      environment: peerEnvironment(env), logPath: home + "/out.log")
        defer { limberd.stop() }
        let loop = try EventLoop()
        let start = ContinuousClock.now
        try runLoop(loop, until: "the first reminder in the terminal", timeout: .seconds(60), pace: .milliseconds(100)) {
            if !limberd.process.isRunning { throw PeerError("limberd exited: \(limberd.log)") }
            return limberd.log.contains("] Time to get up  (reminder ")
        }
        let waited = ContinuousClock.now - start
        let log = limberd.log
        #expect(log.contains("running Sciatica relief at 600× speed"))
        // Its first line says it is a demo on throwaway state; its simulated
        // day starts when working hours do, whatever the time of day.
        #expect(log.hasPrefix("limberd: a demo at 600× speed on throwaway state (\(home)/tmp/limber-demo-"), "\(log)")
        #expect(log.contains("simulated from") && log.contains(" 08:00"), "\(log)")
        // The real state directory is never written; the throwaway one is
        // removed at exit.
        let demoDirs = try FileManager.default.contentsOfDirectory(atPath: home + "/tmp")
        #expect(demoDirs.count == 1)
        #expect(FileManager.default.fileExists(atPath: home + "/tmp/" + (demoDirs.first ?? "") + "/history.sqlite"))
        limberd.stop()
        #expect(!FileManager.default.fileExists(atPath: home + "/state/limber"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/tmp") == [])
        #expect(log.contains("Answers: Done · Snooze 10 min · Skip"))
        // No input and no session bus: limberctl could not answer it, so it is not suggested.
        #expect(log.contains("cannot be answered here") && !log.contains("limberctl done"), "\(log)")
        #expect(log.contains("Walking snack"))
        // About 45 simulated minutes: ~4.5 s, with room for a loaded machine.
        #expect(waited < .seconds(45))
    }
}
