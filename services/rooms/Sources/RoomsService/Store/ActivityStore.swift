import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What messages' events change in rooms: when a room last had a message, how many it has, and
/// each member's read marker, hence their unread count (shown by `GET /rooms`).
struct ActivityStore: Sendable {
    let logger: Logger

    /// A new message: the room's activity moves on and, unless it is a system message, the room
    /// counts one more, which is one more unread for every member but its sender (whose marker
    /// catches up: writing means having read).
    func messageCreated(room: UUID, sender: UUID?, at time: Date, countsAsUnread: Bool, on db: some PostgresQueryable) async throws {
        // One statement: the room's count, and the sender's marker moved to it (who writes has
        // read everything up to what they wrote).
        try await db.run(
            """
            WITH room AS (
                UPDATE rooms SET last_message_at = greatest(last_message_at, \(time)),
                                 message_count = message_count + \(countsAsUnread ? 1 : 0)
                WHERE id = \(room) RETURNING message_count
            )
            UPDATE memberships SET read_marker = room.message_count FROM room
            WHERE \(countsAsUnread) AND memberships.room_id = \(room) AND memberships.user_id = \(sender)
            """, logger: logger)
    }

    /// A member read up to a message: `count` messages are left unread after it.
    func setUnread(room: UUID, user: UUID, count: Int, on db: some PostgresQueryable) async throws {
        try await db.run(
            """
            UPDATE memberships SET read_marker = (SELECT message_count FROM rooms WHERE id = \(room)) - \(count)
            WHERE room_id = \(room) AND user_id = \(user)
            """, logger: logger)
    }
}
