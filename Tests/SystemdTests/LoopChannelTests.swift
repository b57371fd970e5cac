import Foundation
import Systemd
import Testing

@Suite("Loop channel")
struct LoopChannelTests {
    @Test func messagesFromOtherThreadsArriveOnTheLoopInOrderPerSender() throws {
        let loop = try EventLoop()
        var received: [Int: [Int]] = [:]
        let (sender, source) = try loop.makeChannel(of: (thread: Int, n: Int).self) { message in
            received[message.thread, default: []].append(message.n)
        }
        let threads = 4, perThread = 250
        for t in 0..<threads {
            Thread {
                for n in 0..<perThread { sender.send((t, n)) }
            }.start()
        }
        #expect(try loop.run(until: { received.values.map(\.count).reduce(0, +) == threads * perThread }))
        for t in 0..<threads {
            #expect(received[t] == Array(0..<perThread))
        }
        source.cancel()
        sender.send((99, 0))  // after cancel: queued, never delivered, no crash
        var later = false
        let timer = try loop.after(.milliseconds(10)) { later = true }
        try loop.run(until: { later })
        #expect(received[99] == nil)
        withExtendedLifetime(timer) {}
    }
}
