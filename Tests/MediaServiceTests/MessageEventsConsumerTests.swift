import Foundation
import MessagesAPI
import ServiceKit
import Testing
import TestSupport

/// Media as a consumer of messages' events, made from `MessagesAPI`'s types (what messages is held
/// to by `MessageEventContractTests`): a deleted message's attachments are no longer carried, so
/// the sweeper takes them once stale; an attachment still carried stays.
@Suite struct MessageEventsConsumerTests {
    @Test func aDeletedMessagesAttachmentsAreSweptOnceStale() async throws {
        let clock = TestClock()
        try await withMedia(settings: ["UNLINKED_TTL_SECONDS": "60", "SWEEP_INTERVAL_SECONDS": "1"], clock: clock.wallClock) { stack in
            clock.set()
            let user = try await stack.register()
            let deletedWith = try #require(try await stack.media.uploaded(Fixtures.pdf, filename: "gone.pdf", contentType: nil, token: user.token)["id"] as? String)
            let kept = try #require(try await stack.media.uploaded(Fixtures.pdf, filename: "kept.pdf", contentType: nil, token: user.token)["id"] as? String)
            // Both sent in messages: what messages asks of media when a message carries them.
            let claimed = try await stack.media.call(
                .post, "/internal/attachments/claim", json: ["user_id": user.id, "attachment_ids": [deletedWith, kept]], token: TestEnvironment.serviceToken)
            #expect((claimed["attachments"] as? [Any])?.count == 2)

            let room = UUID()
            let deleted = MessageDeleted(
                roomId: room, messageId: UUID(), deletedBy: try #require(UUID(uuidString: user.id)),
                attachmentIds: [try #require(UUID(uuidString: deletedWith))])
            // Deleted a moment after it was sent (events carry milliseconds).
            let event = try Event.made(MessageEventType.messageDeleted.rawValue, stream: room, payload: deleted, at: clock.now.addingTimeInterval(1))
            try await stack.media.deliver([event])
            // Delivered again: nothing more happens.
            try await stack.media.deliver([event])

            clock.advance(by: 61)
            try await eventually("the deleted message's attachment was never swept") {
                try await stack.media.download("/attachments/\(deletedWith)/meta", token: user.token).status == .notFound
            }
            #expect(try await stack.media.download("/attachments/\(kept)/meta", token: user.token).status == .ok)
        }
    }
}
