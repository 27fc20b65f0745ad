import Foundation
import ServiceKit

/// One tick of a fixed-rate loop, as `runFixedTicks` hands it over.
public struct Tick: Sendable, Equatable {
    /// From 1.
    public let number: Int
    /// When it was due.
    public let due: Date
    /// How long after `due` it ran.
    public let lateness: TimeInterval
}

/// Runs `body` at `ticksPerSecond` on `clock` until it returns false (or the task is cancelled).
/// Each tick is due a whole number of intervals after the start, whatever the lateness of the
/// ticks before, so the rate holds on average. A tick more than `maximumBehind` late (a stalled
/// machine) starts the schedule again from its own time: the ticks missed are dropped, and a
/// match's time pauses instead of racing to catch up.
public func runFixedTicks(
    clock: WallClock, ticksPerSecond: Int, maximumBehind: TimeInterval = 0.25, _ body: (Tick) async throws -> Bool
) async throws {
    let interval = 1 / Double(ticksPerSecond)
    var anchor = clock.now()
    var sinceAnchor = 0
    var number = 0
    while true {
        number += 1
        sinceAnchor += 1
        let due = anchor.addingTimeInterval(Double(sinceAnchor) * interval)
        try await clock.sleep(until: due)
        let now = clock.now()
        let lateness = now.timeIntervalSince(due)
        if lateness > maximumBehind {
            anchor = now
            sinceAnchor = 0
        }
        guard try await body(Tick(number: number, due: due, lateness: lateness)) else { return }
    }
}
