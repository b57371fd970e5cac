// Handing results from other threads (plugin workers, the database) to the loop thread.
import CSystemd
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The sending end of a channel into the loop: `send` from any thread; the
/// handler given to `EventLoop.makeChannel` receives each message, in order,
/// on the loop thread. Sendable as the compiler sees it: the queue is behind
/// a `Mutex` and the eventfd is only written (eventfd writes are thread-safe).
public final class LoopChannelSender<Message: Sendable>: Sendable {
    private let queue = Mutex<[Message]>([])
    fileprivate let fd: Int32

    fileprivate init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Queues `message` and wakes the loop. Never blocks on the loop.
    public func send(_ message: Message) {
        queue.withLock { $0.append(message) }
        _ = limber_eventfd_signal(fd)
    }

    fileprivate func takeAll() -> [Message] {
        queue.withLock { queue in
            let taken = queue
            queue.removeAll()
            return taken
        }
    }
}

extension EventLoop {
    /// A channel from any thread into this loop (an eventfd plus a locked
    /// queue). Keep `source` on the loop thread: dropping it stops delivery.
    /// The eventfd closes when both the source and every sender are gone.
    public func makeChannel<Message: Sendable>(
        of type: Message.Type = Message.self,
        handler: @escaping (Message) -> Void
    ) throws -> (sender: LoopChannelSender<Message>, source: EventSource) {
        let fd = try check(limber_eventfd_open(), "eventfd")
        let sender = LoopChannelSender<Message>(fd: fd)
        let source = try watch(fd: fd, events: .readable) { _ in
            limber_eventfd_drain(sender.fd)
            for message in sender.takeAll() { handler(message) }
        }
        return (sender, source)
    }
}
