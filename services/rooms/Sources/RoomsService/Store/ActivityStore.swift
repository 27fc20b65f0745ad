import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What messages' events change in rooms: when a room last had a message, and each member's
/// unread count (shown by `GET /rooms`).
struct ActivityStore: Sendable {
    let logger: Logger

    /// A new message: the room's activity moves on, and it is unread for every member but its
    /// sender (whose count it clears: writing means having read). System messages never count.
    func messageCreated(room: UUID, sender: UUID?, at time: Date, countsAsUnread: Bool, on db: some PostgresQueryable) async throws {
        try await db.run(
            "UPDATE rooms SET last_message_at = greatest(last_message_at, \(time)) WHERE id = \(room)", logger: logger)
        if countsAsUnread {
            try await db.run(
                """
                UPDATE memberships SET unread_count = CASE WHEN user_id = \(sender) THEN 0 ELSE unread_count + 1 END
                WHERE room_id = \(room)
                """, logger: logger)
        }
    }

    /// A member read up to a message: what messages counted as left unread after it.
    func setUnread(room: UUID, user: UUID, count: Int, on db: some PostgresQueryable) async throws {
        try await db.run(
            "UPDATE memberships SET unread_count = \(count) WHERE room_id = \(room) AND user_id = \(user)", logger: logger)
    }
}
