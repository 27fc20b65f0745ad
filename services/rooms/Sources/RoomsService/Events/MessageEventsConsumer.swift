import Foundation
import Logging
import MessagesAPI
import ServiceKit

/// Rooms' side of messages' events: `last_message_at` and members' unread counts, each event
/// applied once, a batch in one transaction.
struct MessageEventsConsumer: EventHandler {
    let inbox: PostgresInbox
    let activity: ActivityStore
    let logger: Logger

    func handle(_ event: Event) async throws {
        try await handle(batch: [event])
    }

    /// The batch in one transaction.
    func handle(batch events: [Event]) async throws {
        let relevant = events.filter { [MessageEventType.messageCreated.rawValue, MessageEventType.messageRead.rawValue].contains($0.type) }
        try await inbox.applyEachOnce(relevant) { event, connection in
            switch event.type {
            case MessageEventType.messageCreated.rawValue:
                guard let created = event.payload(as: MessageCreated.self, logger: logger) else { return }
                try await activity.messageCreated(
                    room: created.roomId, sender: created.message.sender?.id, at: created.message.createdAt,
                    // A thread reply is followed in its thread, not in the room's unread count.
                    countsAsUnread: created.message.type != "system" && created.message.parentId == nil, on: connection)
            default:
                guard let read = event.payload(as: MessageRead.self, logger: logger) else { return }
                try await activity.setUnread(room: read.roomId, user: read.userId, count: read.unreadCount, on: connection)
            }
        }
    }
}
