import Foundation
import ServiceKit

/// What media does with messages' events: a deleted message's attachments are unlinked, so only
/// the clean-up job deletes them in time (who may read them is messages' answer already).
/// Idempotent, and a message that carries them again later keeps them.
struct MessageEventsConsumer: EventHandler {
    let env: MediaEnvironment

    private struct MessageDeleted: Decodable {
        let attachmentIds: [UUID]?
    }

    func handle(_ event: Event) async throws {
        guard event.type == "message_deleted", let deleted = event.payload(as: MessageDeleted.self, logger: env.logger),
            let ids = deleted.attachmentIds, !ids.isEmpty
        else { return }
        try await env.attachments.unlink(ids, deletedAt: event.occurredAt)
    }
}
