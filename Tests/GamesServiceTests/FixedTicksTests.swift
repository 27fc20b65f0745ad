import Foundation
import GamesService
import Testing
import TestSupport

/// The fixed-rate loop matches run on, driven by a `TestClock`.
@Suite struct FixedTicksTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let interval = 1.0 / 60

    /// `start` plus `count` intervals, as the loop reckons its due times.
    func after(_ count: Double) -> Date { start.addingTimeInterval(count * interval) }

    /// Runs the loop at 60 Hz on `clock` for `count` ticks while `drive` moves the clock.
    func ticks(_ count: Int, on clock: TestClock, drive: @escaping @Sendable (TestClock) async throws -> Void) async throws -> [Tick] {
        try await withTimeout(seconds: 30) { try await withThrowingTaskGroup(of: [Tick].self) { group in
            group.addTask {
                var seen: [Tick] = []
                try await runFixedTicks(clock: clock.wallClock, ticksPerSecond: 60) { tick in
                    seen.append(tick)
                    return tick.number < count
                }
                return seen
            }
            group.addTask {
                try await drive(clock)
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        } }
    }

    @Test func eachTickIsDueAWholeNumberOfIntervalsAfterTheStart() async throws {
        let ticks = try await ticks(5, on: TestClock(start)) { clock in
            for tick in 1...5 {
                try await clock.waitForSleepers()
                clock.set(to: after(Double(tick)))
            }
        }
        #expect(ticks.map(\.number) == [1, 2, 3, 4, 5])
        for tick in ticks {
            #expect(abs(tick.due.timeIntervalSince(start) - Double(tick.number) * interval) < 1e-6)
            #expect(abs(tick.lateness) < 1e-6)
        }
    }

    @Test func lateTicksRunAtOnceAndTheScheduleKeepsItsPlace() async throws {
        let ticks = try await ticks(4, on: TestClock(start)) { clock in
            try await clock.waitForSleepers()
            // Three and a half intervals at once: ticks 1 to 3 are due, and run one after the other.
            clock.set(to: after(3.5))
            try await clock.waitForSleepers()
            clock.set(to: after(4))
        }
        let lateness = ticks.map { ($0.lateness / interval * 10).rounded() / 10 }
        #expect(lateness == [2.5, 1.5, 0.5, 0])
        #expect(abs(ticks[3].due.timeIntervalSince(start) - 4 * interval) < 1e-6)
    }

    @Test func aStallStartsTheScheduleAgainInsteadOfRacingToCatchUp() async throws {
        let ticks = try await ticks(3, on: TestClock(start)) { clock in
            try await clock.waitForSleepers()
            clock.advance(by: 2)
            // After the stall the next tick waits a whole interval from the late one.
            let restart = start.addingTimeInterval(2)
            try await clock.waitForSleepers()
            #expect(clock.sleeperCount == 1)
            clock.set(to: restart.addingTimeInterval(interval))
            try await clock.waitForSleepers()
            clock.set(to: restart.addingTimeInterval(2 * interval))
        }
        #expect(ticks.count == 3)
        #expect(abs(ticks[0].lateness - (2 - interval)) < 1e-6, "the stalled tick reports how late it was")
        #expect(abs(ticks[1].due.timeIntervalSince(start) - (2 + interval)) < 1e-6)
        #expect(abs(ticks[1].lateness) < 1e-6 && abs(ticks[2].lateness) < 1e-6)
    }
}
