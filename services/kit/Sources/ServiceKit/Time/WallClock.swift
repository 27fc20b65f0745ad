import Foundation

/// Time, injected: what time it is (token expiry, TOTP steps, edit windows, rate windows) and
/// waiting for a time (typing and presence timers, sweepers, retry backoff, health checks), so a
/// test moves the clock instead of sleeping (TestSupport's `TestClock`).
public struct WallClock: Sendable {
    public let now: @Sendable () -> Date
    private let sleeper: @Sendable (Date) async throws -> Void

    /// A clock reading `now`; by default it waits in real time until `now` reads the date.
    public init(
        now: @escaping @Sendable () -> Date,
        sleepUntil: (@Sendable (Date) async throws -> Void)? = nil
    ) {
        self.now = now
        self.sleeper = sleepUntil ?? { date in try await Task.sleep(for: .seconds(max(0, date.timeIntervalSince(now())))) }
    }

    public static let system = WallClock { Date() }

    /// Returns once this clock reads `date` or later; throws `CancellationError` when cancelled first.
    public func sleep(until date: Date) async throws {
        try await sleeper(date)
    }

    /// Returns once `duration` has passed by this clock; throws `CancellationError` when cancelled first.
    public func sleep(for duration: Duration) async throws {
        try await sleeper(now().addingTimeInterval(duration.seconds))
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`.
    public var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
