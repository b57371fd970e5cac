import Foundation
import Testing
@testable import LimberPlugins
import LimberCore
import Systemd

/// Numbers out of range in an exec plugin's messages are malformed lines,
/// logged and ignored. An `idle_seconds` of 1e300 (or -1e300, or 9.3e15)
/// used to trap the daemon converting it to a Duration - one line from any
/// activity plugin ended limberd. Found writing fuzz/FuzzExecLine.
@Suite(.serialized) struct ExecPluginOutOfRangeNumbersTests {
    @Test(arguments: ["1e300", "-1e300", "9.3e15", "-1"])
    func anIdleTimeOutOfRangeIsMalformed(seconds: String) {
        let line = Array(#"{"type":"activity","event":"idle","idle_seconds":\#(seconds)}"#.utf8)
        guard case .failure(let m)? = ExecMessage.decode(line) else {
            Issue.record("idle_seconds \(seconds) was accepted")
            return
        }
        #expect(m.reason.contains("idle_seconds"))
    }

    @Test func aPostponeUnderASecondIsMalformedAsTheProtocolSays() {
        let line = Array(#"{"type":"decision","id":1,"decision":"postpone","seconds":0.0001}"#.utf8)
        guard case .failure = ExecMessage.decode(line) else {
            Issue.record("a postpone of 0.0001 s was accepted")
            return
        }
    }

    @Test func anActivityPluginSayingIdleFor1e300SecondsIsLoggedAndTheHostGoesOn() throws {
        let dir = tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loop = try EventLoop()
        let path = try script(#"""
        read -r line
        printf '{"type":"hello","protocol":1}\n'
        printf '{"type":"activity","event":"idle","idle_seconds":1e300}\n{"type":"activity","event":"locked"}\n'
        exec sleep 60
        """#, in: dir)
        let m = ExecManifest(id: "huge", name: "huge", executable: path, directory: dir, capabilities: [.activity])
        let (host, rec) = execHost(loop, m)
        #expect(spin(loop) { rec.activity.count == 1 })
        #expect(rec.activity.map(\.event.description) == ["locked"])
        #expect(rec.logged("huge", containing: "idle_seconds"))
        #expect(host.status("huge")?.state == .running)
        host.stop()
    }
}
