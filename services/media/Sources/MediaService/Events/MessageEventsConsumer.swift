import Foundation
import ServiceKit

/// What media does with messages' events: a deleted message's attachments are unlinked, so only
/// their uploader can read them and the clean-up job deletes them in time. Idempotent.
struct MessageEventsConsumer: EventHandler {
    let env: MediaEnvironment

    private struct MessageDeleted: Decodable {
        let attachmentIds: [UUID]?
    }

    func handle(_ event: Event) async throws {
        guard event.type == "message_deleted", let deleted = event.payload(as: MessageDeleted.self, logger: env.logger),
            let ids = deleted.attachmentIds, !ids.isEmpty
        else { return }
        try await env.attachments.unlink(ids)
    }
}
