// Handing results from other threads (plugin workers, the database) to the loop thread.
import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// The sending end of a channel into the loop: `send` from any thread; the
/// handler given to `EventLoop.makeChannel` receives each message, in order,
/// on the loop thread.
///
/// `@unchecked Sendable` because its mutable state (the queue) is guarded by a
/// pthread mutex and its fd is only written (eventfd writes are thread-safe);
/// the compiler cannot see either. Not `Synchronization.Mutex`: under
/// ThreadSanitizer (reliability-tsan) two threads in `send` through a Mutex
/// held in this class were reported as a Swift access race; the pthread
/// mutex is checked clean there.
public final class LoopChannelSender<Message: Sendable>: @unchecked Sendable {
    /// Heap-allocated: a pthread mutex must not move, which a Swift stored property may.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    private var queue: [Message] = []
    fileprivate let fd: Int32

    fileprivate init(fd: Int32) {
        self.fd = fd
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        close(fd)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Queues `message` and wakes the loop. Never blocks on the loop.
    public func send(_ message: Message) {
        pthread_mutex_lock(mutex)
        queue.append(message)
        pthread_mutex_unlock(mutex)
        _ = limber_eventfd_signal(fd)
    }

    fileprivate func takeAll() -> [Message] {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let taken = queue
        queue.removeAll()
        return taken
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
