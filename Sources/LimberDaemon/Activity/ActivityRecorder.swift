import Foundation
import Logging
import LimberCore
import LimberHistory

/// Writes what an `ActivityAccumulator` counts to the history's activity
/// table: when the user goes away or comes back, when `flushAfter` has
/// piled up (checked on events the loop wakes for anyway), when a day has
/// ended, and at stop. A crash loses at most the time since the last
/// write. Each write is one small transaction per day touched.
///
/// Writes go through the history writer, off the loop. A failed write
/// (disk full) puts the seconds back in memory to try again next time; it
/// is logged once per outage.
public final class ActivityRecorder {
    public private(set) var accumulator: ActivityAccumulator
    public let history: HistoryWriter?
    /// Write once this much time is counted even without a presence change.
    public var flushAfter: Duration
    /// Set while writes fail: what went wrong.
    public private(set) var writeError: HistoryError?
    private let log: Logger

    public init(start: Moment, presence: Presence, timeZone: TimeZone, history: HistoryWriter?,
                flushAfter: Duration = .minutes(15), logger: Logger) {
        accumulator = ActivityAccumulator(start: start, presence: presence, timeZone: timeZone)
        self.history = history
        self.flushAfter = flushAfter
        self.log = logger
    }

    /// Counts up to `now` and applies `event`; writes when it is time to.
    public func observe(_ event: Event, at now: Moment) {
        let changed = accumulator.observe(event, at: now)
        if changed || accumulator.pending.count > 1 || accumulator.pendingSeconds >= flushAfter.seconds {
            write()
        }
    }

    /// Whether an idle source reports idle (the plugin host says when this
    /// changes); without one, active time is not counted.
    /// `countingSoFar` false: the time since the last count is unknown too
    /// (the daemon starting, before any source could say).
    public func setIdleKnown(_ known: Bool, at now: Moment, countingSoFar: Bool = true) {
        guard known != accumulator.idleKnown || !countingSoFar else { return }
        accumulator.setIdleKnown(known, at: now, countingSoFar: countingSoFar)
    }

    /// Counts up to `now` and writes everything counted (at stop, at
    /// midnight, before stats are read).
    public func flush(at now: Moment) {
        accumulator.advance(to: now)
        write()
    }

    private func write() {
        let days = accumulator.take()
        guard let history else { return }  // no history: nothing to keep it for
        let entries = days.filter { $0.totals.seconds > 0 }
        guard !entries.isEmpty else { return }
        history.run({ store -> (failedAt: Int, error: HistoryError)? in
            for (i, entry) in entries.enumerated() {
                do throws(HistoryError) {
                    try store.addActivity(on: entry.day, activeSeconds: entry.totals.activeSeconds,
                                          breakSeconds: entry.totals.breakSeconds)
                } catch {
                    return (i, error)
                }
            }
            return nil
        }) { [weak self] failure in
            self?.written(entries, failure: failure)
        }
    }

    private func written(_ entries: [(day: Day, totals: ActivityAccumulator.Totals)], failure: (failedAt: Int, error: HistoryError)?) {
        if let (i, error) = failure {
            accumulator.putBack(Array(entries[i...]))
            if writeError == nil {
                log.error("history: activity not written (\(error)); keeping it in memory until a write succeeds")
            }
            writeError = error
        } else if writeError != nil {
            writeError = nil
            log.notice("history: activity written again")
        }
    }
}
