import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

/// A plugin that writes faster than limberd reads must not take the loop
/// away from its other work (the bus, the timers, the watchdog), nor flood
/// the journal. limberd used to read such a plugin until it paused - with
/// /dev/urandom on its stdout, never - and logged every malformed line
/// (found by reliability-badinput.sh: the API stopped answering).
@Suite(.serialized) struct ExecPluginFloodTests {
    @Test func aFloodingPluginLeavesTheLoopFreeAndItsLogLimited() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let path = try script(#"""
        read -r line
        printf '{"type":"hello","protocol":1}\n'
        head -c 30000000 /dev/urandom
        yes 'stderr noise' | head -c 3000000 >&2
        exec sleep 60
        """#, in: dir)
        let m = ExecManifest(id: "flood", name: "flood", executable: path, directory: dir, capabilities: [.observer])
        let (host, rec) = execHost(loop, m)
        #expect(spin(loop) { host.status("flood")?.state == .running })
        // While the flood goes on, a timer on the same loop fires on time.
        var lateness: [Duration] = []
        for _ in 0..<5 {
            var fired: Duration?
            let armed = Clocks.monotonic()
            let timer = try loop.makeTimer(clock: .monotonic, accuracy: .milliseconds(1)) { fired = Clocks.monotonic() }
            try timer.arm(after: .milliseconds(50))
            #expect(spin(loop, timeout: .seconds(30)) { fired != nil })
            if let f = fired { lateness.append(f - armed - .milliseconds(50)) }
        }
        #expect(lateness.allSatisfy { $0 < .milliseconds(500) }, "timer lateness under the flood: \(lateness)")
        let lines = rec.logs.filter { $0.plugin == "flood" }.count
        #expect(lines < 200, "\(lines) log lines from one plugin's flood")
        #expect(host.status("flood")?.state == .running)
        host.stop()
    }
}
