import Foundation
import MessagesAPI
import ServiceKit

/// What media does with messages' events: a deleted message's attachments are unlinked, so only
/// the clean-up job deletes them in time (who may read them is messages' answer already).
/// Idempotent, and a message that carries them again later keeps them.
struct MessageEventsConsumer: EventHandler {
    let env: MediaEnvironment

    func handle(_ event: Event) async throws {
        guard event.type == MessageEventType.messageDeleted.rawValue,
            let deleted = event.payload(as: MessageDeleted.self, logger: env.logger), !deleted.attachmentIds.isEmpty
        else { return }
        try await env.attachments.unlink(deleted.attachmentIds, deletedAt: event.occurredAt)
    }
}
