import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Deletes the sessions whose token has expired, every `interval`, `batchSize` at a time. Nothing
/// needs them any more: their tokens are refused by expiry alone, so the revocations kept for
/// them are not republished either, and the session list already leaves them out. Without this
/// the table would keep a row for every login ever made.
struct ExpiredSessionSweeper: Service {
    let store: SessionStore
    let clock: WallClock
    let interval: Duration
    let batchSize = 1000
    let logger: Logger

    func run() async throws {
        await clock.repeatUntilShutdown(every: interval, logger: logger, failing: "deleting expired sessions") { try await sweep() }
    }

    /// Deletes every session expired by now, a batch at a time; returns how many.
    @discardableResult
    func sweep() async throws -> Int {
        let total = try await deleteInBatches(of: batchSize) { try await store.deleteExpired(now: clock.now(), limit: batchSize) }
        if total > 0 { logger.info("deleted expired sessions", metadata: ["count": "\(total)"]) }
        return total
    }
}
