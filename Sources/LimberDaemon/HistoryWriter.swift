import Dispatch
import LimberCore
import Logging
import LimberHistory
import Systemd

/// The one writer of the history database (DESIGN.md: the history never
/// blocks the loop). Every write and every read the daemon asks for runs
/// on one serial queue, in the order asked; each result comes back to the
/// loop thread through a `LoopChannel`, in the same order. A slow or stuck
/// disk holds up this queue only: reminders, `limberctl status` and the
/// watchdog go on.
///
/// The state file is written on the same queue, after the records of the
/// step it follows (ReminderService.persist), so state.json is never ahead
/// of the history, as when both were written on the loop.
///
/// Acknowledged means on disk: the API methods that change something
/// answer once the jobs they queued are done (`afterQueued`), and say so
/// when one of them could not write (`reportProblem`).
///
/// Without a loop (the service's unit tests) work runs in place, at once.
public final class HistoryWriter {
    public let store: HistoryStore
    private var queue: DispatchQueue?
    private var channel: (sender: LoopChannelSender<Finished>, source: EventSource)?
    private var waiting: [UInt64: (any Sendable) -> Void] = [:]
    /// The ticket of the last job asked for (jobs are numbered in order).
    public private(set) var lastTicket: UInt64 = 0
    /// The job whose answer is being delivered (inside a `then`).
    private var answering: UInt64 = 0
    /// What went wrong in recent jobs, by ticket (the last few dozen).
    private var problems: [(ticket: UInt64, text: String)] = []

    struct Finished: Sendable {
        let ticket: UInt64
        let result: any Sendable
    }

    public init(store: HistoryStore, loop: EventLoop?, logger: Logger) {
        self.store = store
        guard let loop else { return }
        do {
            channel = try loop.makeChannel(of: Finished.self) { [weak self] in self?.finished($0) }
            queue = DispatchQueue(label: "limberd.history", qos: .utility)
        } catch {
            logger.error("no channel back from the history writer (\(error)); the history is written on the loop")
        }
    }

    /// Work asked for whose answer has not come back yet.
    public var inFlight: Int { waiting.count }

    /// Runs `work` on the writer after everything asked before it; `then`
    /// gets its result on the loop thread (at once, in place, without a
    /// loop). `work` must not touch loop state: it gets the store only.
    public func run<T: Sendable>(_ work: @escaping @Sendable (HistoryStore) -> T,
                                 then done: @escaping (T) -> Void = { _ in }) {
        lastTicket += 1
        let ticket = lastTicket
        guard let queue, let sender = channel?.sender else {
            deliver(ticket) { done(work(self.store)) }
            return
        }
        waiting[ticket] = { result in
            // Only `work`'s own result is ever sent under this ticket.
            if let r = result as? T { done(r) }
        }
        let store = self.store
        queue.async {
            sender.send(Finished(ticket: ticket, result: work(store)))
        }
    }

    /// Waits until everything asked so far is on disk (at stop), at most
    /// `timeout` (limberd.service gives a stop 10 s); returns false when
    /// the writer was still busy. Answers not yet on the loop are dropped.
    @discardableResult
    public func drain(timeout: Duration = .seconds(8)) -> Bool {
        defer { waiting.removeAll() }
        guard let queue else { return true }
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + .milliseconds(Int(timeout.seconds * 1000))) == .success
    }

    /// Called from a job's `then` when the job could not write what it
    /// was given (held in memory, a state file not saved): the line the
    /// status shows, for the API methods waiting on that job.
    public func reportProblem(_ text: String) {
        problems.append((answering, text))
        if problems.count > 64 { problems.removeFirst(problems.count - 64) }
    }

    /// `done` runs on the loop once every job asked after `ticket` (a
    /// `lastTicket` read earlier) is finished, with the problems those jobs
    /// reported (empty: all on disk). At once when none was asked.
    public func afterQueued(since ticket: UInt64, _ done: @escaping ([String]) -> Void) {
        guard lastTicket > ticket else { return done([]) }
        run({ _ in () }) { [weak self] in
            done(self?.problems.filter { $0.ticket > ticket }.map(\.text) ?? [])
        }
    }

    private func finished(_ f: Finished) {
        guard let then = waiting.removeValue(forKey: f.ticket) else { return }
        deliver(f.ticket) { then(f.result) }
    }

    private func deliver(_ ticket: UInt64, _ body: () -> Void) {
        let outer = answering
        answering = ticket
        defer { answering = outer }
        body()
    }
}
