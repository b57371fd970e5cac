import Foundation
import Testing
@testable import LimberDaemon
@testable import LimberPlugins
import LimberCore
import LimberConfig
import Systemd
import DesktopPeers

/// Writes an executable shell script and returns its path.
func script(_ body: String, in dir: String, name: String = "plugin.sh") throws -> String {
    let path = dir + "/" + name
    try writeExecutable("#!/bin/sh\n" + body, to: path)
    return path
}

/// A shell gate that answers the hello and every review with `answer`
/// (printf format with the review id as %s).
let helloLine = #"printf '{"type":"hello","protocol":1}\n'"#
func reviewLoop(_ onReview: String, onHello: String = helloLine) -> String {
    """
    while IFS= read -r line; do
      case "$line" in
        *'"type":"hello"'*) \(onHello) ;;
        *'"type":"review"'*) id=$(printf '%s\\n' "$line" | sed -n 's/^{"id":\\([0-9]*\\),.*/\\1/p'); \(onReview) ;;
        *'"type":"stop"'*) exit 0 ;;
      esac
    done
    """
}

func execHost(_ loop: EventLoop, _ m: ExecManifest, settings: [String: SettingValue] = [:]) -> (PluginHost, Recorder) {
    let host = PluginHost(loop: loop, entries: [PluginRegistry.external(m)], clock: realClock)
    let rec = Recorder()
    rec.attach(host)
    var s = PluginSettings.defaults(m.pluginManifest)
    for (k, v) in settings { s.values[k] = v }
    host.configure([m.id: PluginConfig(enabled: true, settings: s)])
    host.start()
    return (host, rec)
}

func example(_ path: String) throws -> ExecManifest {
    switch PluginManifestReader.read(path: repositoryRoot + "/examples/plugins/" + path) {
    case .success(let m): return ExecManifest(m)
    case .failure(let ds): throw PluginError(ds.items.map(\.description).joined(separator: "\n"))
    }
}

@Suite(.serialized) struct ExecPluginTests {
    @Test func theShellExampleWaitsWhileAVideoCallClientRuns() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let m = try example("video-call/video-call.toml")
        #expect(m.id == "video-call")
        #expect(m.capabilities == [.gate])
        let (host, rec) = execHost(loop, m, settings: ["clients": .strings(["fakecall"]), "postpone": .duration(.minutes(10))])
        #expect(spin(loop) { host.status("video-call")?.state == .running })
        #expect(decide(host, loop) == .proceed)
        // A "video-call client": a copy of sleep named fakecall.
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: dir + "/fakecall")
        let call = try ChildProcess.spawn(executable: dir + "/fakecall", arguments: ["60"], environment: [:])
        defer { call.signal(ProcessSignal.kill); _ = waitpid(call.pid, nil, 0) }
        #expect(decide(host, loop) == .postpone(.minutes(10), reason: "video-call: fakecall is running"))
        call.signal(ProcessSignal.kill)
        _ = waitpid(call.pid, nil, 0)
        #expect(decide(host, loop) == .proceed)
        #expect(rec.logged("video-call", containing: "stderr: watching for: fakecall"))
        host.stop()
    }

    @Test func thePythonExampleAppendsEveryOutcomeToACSVFile() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let m = try example("csv-log/csv-log.toml")
        let file = dir + "/outcomes.csv"
        let (host, rec) = execHost(loop, m, settings: ["file": .string(file)])
        #expect(spin(loop, timeout: .seconds(20)) { host.status("csv-log")?.state == .running })
        #expect(spin(loop) { host.status("csv-log")?.detail == "writing \(file)" })
        var snoozed = outcome(.snoozed)
        snoozed.snooze = .minutes(10)
        snoozed.note = "in a meeting, \"later\""
        host.observe(.recorded(outcome(.shown)))
        host.observe(.recorded(snoozed))
        host.observe(.recorded(outcome(.skipped)))
        #expect(spin(loop) { rec.logged("csv-log", containing: "recorded skipped for p/move") })
        let rows = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\r\n").map(String.init)
        #expect(rows.count == 4)
        #expect(rows.first == "at,kind,rule,reminder,due_at,exercises,snooze_seconds,note")
        #expect(rows[2] == #"2027-01-15T08:01:40Z,snoozed,p/move,1,2027-01-15T08:00:00Z,walk,600,"in a meeting, ""later""""#)
        #expect(rows[3].hasPrefix("2027-01-15T08:01:40Z,skipped,p/move,"))
        host.stop()
    }

    @Test func aPluginThatCrashesIsFailedAndRestartedWithBackoff() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let path = try script(reviewLoop("echo 'crashing now' >&2; exit 3"), in: dir)
        // A time limit far beyond any delay a loaded machine adds.
        let m = ExecManifest(id: "crashy", name: "crashy", executable: path, directory: dir, capabilities: [.gate],
                             gateTimeLimit: .seconds(120))
        let (host, rec) = execHost(loop, m)
        #expect(spin(loop) { host.status("crashy")?.state == .running })
        // It dies while reviewing: the reminder proceeds at once, not after the time limit.
        let t0 = Clocks.monotonic()
        #expect(decide(host, loop, timeout: .seconds(60)) == .proceed)
        #expect(Clocks.monotonic() - t0 < .seconds(60))
        #expect(spin(loop) { host.status("crashy")?.state == .failed })
        #expect(host.status("crashy")?.detail == "exited with status 3; restarting in 1s")
        #expect(rec.logged("crashy", containing: "stderr: crashing now"))
        // Reminders go on while it is down.
        #expect(decide(host, loop) == .proceed)
        // Restarted after the backoff, and running again.
        #expect(spin(loop) { host.status("crashy")?.state == .running })
        #expect((host.instance("crashy") as? ExecPlugin)?.launches == 2)
        // Crashing again doubles the wait.
        #expect(decide(host, loop) == .proceed)
        #expect(spin(loop) { host.status("crashy")?.detail == "exited with status 3; restarting in 2s" })
        host.stop()
    }

    @Test func garbageOnStdoutIsLoggedAndIgnored() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let path = try script(reviewLoop(
            #"echo 'not json at all'; echo '{"type":42}'; echo '[1,2,3]'; echo '{"type":"decision","id":"x"}'; printf '\001\002\377\n'; "# +
            #"printf '{"type":"decision","id":%s,"decision":"postpone","seconds":90,"reason":"busy"}\n' "$id""#,
            onHello: #"echo '{{{'; echo '{"type":"hello"}'; "# + helloLine), in: dir)
        let m = ExecManifest(id: "noisy", name: "noisy", executable: path, directory: dir, capabilities: [.gate])
        let (host, rec) = execHost(loop, m)
        #expect(spin(loop) { host.status("noisy")?.state == .running })
        #expect(decide(host, loop) == .postpone(.seconds(90), reason: "noisy: busy"))
        #expect(spin(loop) { rec.logs.filter { $0.message.hasPrefix("malformed output ignored") }.count >= 7 })
        #expect(host.status("noisy")?.state == .running)
        #expect((host.instance("noisy") as? ExecPlugin)?.launches == 1)
        host.stop()
    }

    @Test func aGateThatHangsCountsAsProceedAfterItsTimeLimit() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let path = try script(reviewLoop(":"), in: dir)  // never answers
        let m = ExecManifest(id: "mute", name: "mute", executable: path, directory: dir, capabilities: [.gate],
                             gateTimeLimit: .milliseconds(200))
        let (host, rec) = execHost(loop, m)
        #expect(spin(loop) { host.status("mute")?.state == .running })
        #expect(decide(host, loop) == .proceed)
        #expect(rec.logged("mute", containing: "gate did not answer within"))
        host.stop()
    }

    @Test func aPluginWithoutAHelloIsStoppedAndOneWithAnotherProtocolIsFailed() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let silent = try script("exec sleep 60\n", in: dir, name: "silent.sh")
        let m1 = ExecManifest(id: "silent", name: "silent", executable: silent, directory: dir, capabilities: [.observer],
                              handshakeTimeout: .milliseconds(300))
        let (host1, _) = execHost(loop, m1)
        #expect(host1.status("silent")?.state == .starting)
        #expect(spin(loop) { host1.status("silent")?.state == .failed })
        #expect(host1.status("silent")?.detail.hasPrefix("killed by signal 9") == true)
        host1.stop()

        let future = try script(#"read -r line; printf '{"type":"hello","protocol":2}\n'; exec sleep 60"#, in: dir, name: "future.sh")
        let m2 = ExecManifest(id: "future", name: "future", executable: future, directory: dir, capabilities: [.observer])
        let (host2, _) = execHost(loop, m2)
        #expect(spin(loop) { host2.status("future")?.state == .failed })
        #expect(host2.status("future")?.detail == "speaks protocol 2; limberd speaks 1")
        #expect(host2.instance("future") == nil)
    }

    @Test func aChildGetsArgvAMinimalEnvironmentAndItsStderrGoesToTheLog() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let path = try script(#"""
        env > "$1"; pwd > "$2"
        read -r line
        printf '{"type":"hello","protocol":1}\n'
        echo "ready on stderr" >&2
        printf '{"type":"activity","event":"locked"}\n{"type":"activity","event":"idle","idle_seconds":30}\n'
        exec sleep 60
        """#, in: dir)
        let m = ExecManifest(id: "probe", name: "probe", executable: path, arguments: [dir + "/env", dir + "/pwd; echo pwned"],
                             directory: dir, capabilities: [.activity])
        let (host, rec) = execHost(loop, m)
        #expect(spin(loop) { rec.activity.count == 2 })
        #expect(rec.activity.map(\.event.description) == ["locked", "idle"])
        #expect(host.idleSource == "probe")
        #expect(spin(loop) { rec.logged("probe", containing: "stderr: ready on stderr") })
        let env = try String(contentsOfFile: dir + "/env", encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "=")[0]) }
        #expect(Set(env).isSubset(of: ["PATH", "HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "LANG", "LC_ALL", "XDG_CONFIG_HOME",
                                       "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "USER", "LOGNAME", "TZ", "LIMBER_PLUGIN_ID",
                                       "LIMBER_PROTOCOL", "LIMBER_PLUGIN_DIR", "PWD", "SHLVL", "OLDPWD", "_"]))
        #expect(env.contains("LIMBER_PLUGIN_ID"))
        // argv, no shell: the second argument is a file name, not a command.
        #expect(FileManager.default.fileExists(atPath: dir + "/pwd; echo pwned"))
        host.stop()
    }
}
