import Foundation

/// Time, injected: what time it is (token expiry, TOTP steps, edit windows, rate windows) and
/// waiting for a time (typing and presence timers, sweepers, retry backoff, health checks), so a
/// test moves the clock instead of sleeping (TestSupport's `TestClock`, a `TimeSource`).
public struct WallClock: Sendable {
    /// Nil for the system's clock, which reads `Date()` and sleeps with `Task.sleep` directly.
    private let source: (any TimeSource)?

    /// A clock that reads and waits by `source`.
    public init(_ source: any TimeSource) {
        self.source = source
    }

    /// A clock reading `now` (a fixed or shifted time in a test) that waits in real time.
    public init(now: @escaping @Sendable () -> Date) {
        self.source = ReadingSource(read: now)
    }

    private init() {
        self.source = nil
    }

    public static let system = WallClock()

    public func now() -> Date {
        source?.now() ?? Date()
    }

    /// Returns once this clock reads `date` or later; throws `CancellationError` when cancelled first.
    public func sleep(until date: Date) async throws {
        if let source {
            try await source.sleep(until: date)
        } else {
            try await Task.sleep(for: .seconds(max(0, date.timeIntervalSinceNow)))
        }
    }

    /// Returns once `duration` has passed by this clock; throws `CancellationError` when cancelled first.
    public func sleep(for duration: Duration) async throws {
        if let source {
            try await source.sleep(until: source.now().addingTimeInterval(duration.seconds))
        } else {
            try await Task.sleep(for: duration)
        }
    }
}

/// What a `WallClock` other than the system's reads and waits by.
public protocol TimeSource: Sendable {
    func now() -> Date
    /// Returns once `now()` reads `date` or later; throws `CancellationError` when cancelled first.
    func sleep(until date: Date) async throws
}

/// Reads a given time and waits in real time until it reads the date.
private struct ReadingSource: TimeSource {
    let read: @Sendable () -> Date

    func now() -> Date { read() }

    func sleep(until date: Date) async throws {
        try await Task.sleep(for: .seconds(max(0, date.timeIntervalSince(read()))))
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`.
    public var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
