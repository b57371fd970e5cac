import Foundation
import LimberCore

/// The daemon's clock. At scale 1 it is the real clock; at scale N (a demo,
/// trying out a program) simulated time runs N times faster from the start.
public struct TimeBase: Sendable {
    public let scale: Double
    private let realStart: (wall: Date, boottime: Duration)

    public init(scale: Double = 1, start: (wall: Date, boottime: Duration)) {
        self.scale = max(scale, 1e-6)
        self.realStart = start
    }

    public var isScaled: Bool { scale != 1 }

    /// The moment the core sees, for a real reading of the clocks.
    public func moment(real: (wall: Date, boottime: Duration)) -> Moment {
        guard isScaled else { return Moment(wall: real.wall, uptime: real.boottime) }
        let elapsed = (real.boottime - realStart.boottime) * scale
        return Moment(wall: realStart.wall.addingTimeInterval(elapsed.seconds), uptime: realStart.boottime + elapsed)
    }

    /// How long to really wait until the core's deadline.
    public func realDelay(until deadline: Date, from now: Moment) -> Duration {
        let seconds = max(0, deadline.timeIntervalSince(now.wall)) / scale
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
