import Foundation
import ServiceKit
import ServiceLifecycle

/// Deletes uploads no message carries once they are older than `ttl`, a small batch at a time,
/// every `interval`: the row first (only if still unlinked, so a message linking it meanwhile
/// wins), then its bytes.
struct UnlinkedAttachmentSweeper: Service {
    let env: MediaEnvironment
    let ttl: TimeInterval
    let interval: Duration
    let batchSize = 100

    func run() async throws {
        await env.clock.repeatUntilShutdown(every: interval, logger: env.logger, failing: "sweeping unlinked attachments") {
            while try await sweepBatch() == batchSize {}
        }
    }

    /// Deletes up to one batch; returns how many were looked at.
    private func sweepBatch() async throws -> Int {
        let stale = try await env.attachments.unlinked(before: env.clock.now().addingTimeInterval(-ttl), limit: batchSize)
        for attachment in stale where try await env.attachments.deleteIfUnlinked(attachment.id) {
            try await env.objects.delete(attachment.objectKey)
            if let key = attachment.thumbnailKey { try await env.objects.delete(key) }
        }
        if !stale.isEmpty { env.logger.info("swept unlinked attachments", metadata: ["count": "\(stale.count)"]) }
        return stale.count
    }
}
