import Logging
import ServiceLifecycle

extension WallClock {
    /// What a periodic job's `run()` does: `work` at once and then every `interval` by this
    /// clock, until the service stops. A failure is logged (`what` says what failed) and the
    /// work tried again at the next round.
    public func repeatUntilShutdown(every interval: Duration, logger: Logger, failing what: String, _ work: () async throws -> Void) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.warning("\(what) failed; retrying later", metadata: ["error": "\(String(describing: error).prefix(300))"])
            }
            try? await cancelWhenGracefulShutdown { try await sleep(for: interval) }
        }
    }
}

/// What a sweeper's round does: `deleteBatch` (which deletes at most `batchSize` rows, each batch
/// a short statement of its own, and says how many) again until a batch comes back short.
/// Returns how many rows went in all.
public func deleteInBatches(of batchSize: Int, _ deleteBatch: () async throws -> Int) async throws -> Int {
    var total = 0
    while !Task.isCancelled {
        let deleted = try await deleteBatch()
        total += deleted
        if deleted < batchSize { break }
    }
    return total
}
