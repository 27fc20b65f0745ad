import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Deletes expired notifications every `interval`, `batchSize` at a time: each batch is its own
/// short statement over rows nobody else holds, so the table stays open to the service. Reads
/// already leave expired rows out; this only reclaims their space.
struct ExpirySweeper: Service {
    let store: NotificationStore
    let clock: WallClock
    let interval: Duration
    let batchSize: Int
    let logger: Logger

    func run() async throws {
        await clock.repeatUntilShutdown(every: interval, logger: logger, failing: "deleting expired notifications") { try await sweep() }
    }

    /// Deletes every notification expired by now, a batch at a time; returns how many.
    @discardableResult
    func sweep() async throws -> Int {
        let total = try await deleteInBatches(of: batchSize) { try await store.deleteExpired(now: clock.now(), limit: batchSize) }
        if total > 0 { logger.info("deleted expired notifications", metadata: ["count": "\(total)"]) }
        return total
    }
}
