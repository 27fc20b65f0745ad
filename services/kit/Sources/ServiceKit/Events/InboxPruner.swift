import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Forgets applied event ids (`inbox_events`) once they are older than `retention`, every
/// `interval`, a batch at a time. An event comes again only within seconds (a relay that died
/// between its post and the acknowledgement, a lease taken over), so a week of ids (the default)
/// is far more than redelivery needs, and the table stays the size of a week of events.
public struct InboxPruner: Service {
    public struct Timing: Sendable {
        public var retention: TimeInterval
        /// Hourly, or more often for a short retention, so the table never holds much more than it.
        public var interval: Duration
        public var batchSize = 10_000

        public init(retention: TimeInterval = 7 * 86400) {
            self.retention = retention
            self.interval = .seconds(min(3600, retention / 5))
        }
    }

    let client: PostgresClient
    let clock: WallClock
    let timing: Timing
    let logger: Logger

    public init(client: PostgresClient, clock: WallClock, timing: Timing = Timing(), logger: Logger) {
        self.client = client
        self.clock = clock
        self.timing = timing
        self.logger = logger
    }

    public func run() async throws {
        await clock.repeatUntilShutdown(every: timing.interval, logger: logger, failing: "forgetting old applied event ids") { try await prune() }
    }

    /// Deletes every id applied before `retention` ago, a batch per statement; returns how many.
    @discardableResult
    public func prune() async throws -> Int {
        let cutoff = clock.now().addingTimeInterval(-timing.retention)
        let total = try await deleteInBatches(of: timing.batchSize) {
            try await client.query(
                """
                DELETE FROM inbox_events WHERE id IN (
                    SELECT id FROM inbox_events WHERE applied_at < \(cutoff) ORDER BY applied_at LIMIT \(timing.batchSize))
                RETURNING 1
                """, logger: logger
            ).collect().count
        }
        if total > 0 { logger.info("forgot old applied event ids", metadata: ["count": "\(total)"]) }
        return total
    }
}
