import Foundation
import Logging
import ServiceKit

/// Rooms' side of messages' events: `last_message_at` and members' unread counts, each event
/// applied once, a batch in one transaction.
struct MessageEventsConsumer: EventHandler {
    let inbox: PostgresInbox
    let activity: ActivityStore
    let logger: Logger

    /// The parts of messages' payloads read here.
    private struct Created: Decodable {
        struct Message: Decodable {
            struct Sender: Decodable { let id: UUID }
            let type: String
            let parentId: UUID?
            let sender: Sender?
            let createdAt: Date
        }

        let roomId: UUID
        let message: Message
    }

    private struct Read: Decodable {
        let roomId: UUID
        let userId: UUID
        let unreadCount: Int
    }

    func handle(_ event: Event) async throws {
        try await handle(batch: [event])
    }

    /// The batch in one transaction.
    func handle(batch events: [Event]) async throws {
        let relevant = events.filter { ["message_created", "message_read"].contains($0.type) }
        try await inbox.applyEachOnce(relevant) { event, connection in
            switch event.type {
            case "message_created":
                guard let created = event.payload(as: Created.self, logger: logger) else { return }
                try await activity.messageCreated(
                    room: created.roomId, sender: created.message.sender?.id, at: created.message.createdAt,
                    // A thread reply is followed in its thread, not in the room's unread count.
                    countsAsUnread: created.message.type != "system" && created.message.parentId == nil, on: connection)
            default:
                guard let read = event.payload(as: Read.self, logger: logger) else { return }
                try await activity.setUnread(room: read.roomId, user: read.userId, count: read.unreadCount, on: connection)
            }
        }
    }
}
