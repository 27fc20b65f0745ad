import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Read positions: everything up to a member's `last_read_id` in a room is read by them.
struct ReceiptStore: Sendable {
    let logger: Logger

    /// Moves the member's position forward to `messageID` (never back); false when it already
    /// was there or past it.
    func advance(room: UUID, user: UUID, to messageID: UUID, at time: Date, on db: some PostgresQueryable) async throws -> Bool {
        // One statement: the mark is written only when the position moved.
        try await db.run(
            """
            WITH advanced AS (
                INSERT INTO read_positions AS p (room_id, user_id, last_read_id, read_at) VALUES (\(room), \(user), \(messageID), \(time))
                ON CONFLICT (room_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id, read_at = excluded.read_at
                WHERE p.last_read_id < excluded.last_read_id
                RETURNING room_id
            ), marked AS (
                INSERT INTO read_marks (room_id, user_id, up_to_id, read_at)
                SELECT \(room), \(user), \(messageID), \(time) FROM advanced
                ON CONFLICT DO NOTHING
            )
            SELECT room_id FROM advanced
            """, logger: logger).hasRows()
    }

    func position(room: UUID, user: UUID, on db: some PostgresQueryable) async throws -> UUID? {
        try await db.run("SELECT last_read_id FROM read_positions WHERE room_id = \(room) AND user_id = \(user)", logger: logger).all(UUID.self).first
    }

    /// Messages in the room after `position` that count as unread for `user`: others' messages
    /// in the room's log (thread replies are followed in their thread), not system ones, not
    /// deleted.
    func unreadCount(room: UUID, user: UUID, after position: UUID, on db: some PostgresQueryable) async throws -> Int {
        try await db.run(
            """
            SELECT count(*)::int FROM messages
            WHERE room_id = \(room) AND id > \(position) AND parent_id IS NULL AND type <> 'system' AND NOT deleted
              AND sender_id <> \(user)
            """, logger: logger).all(Int.self).first ?? 0
    }

    /// Each member's read position in each of `rooms`.
    func positions(in rooms: Set<UUID>, on db: some PostgresQueryable) async throws -> [UUID: [UUID: UUID]] {
        guard !rooms.isEmpty else { return [:] }
        let rows = try await db.run(
            "SELECT room_id, user_id, last_read_id FROM read_positions WHERE room_id = ANY(\(Array(rooms)))", logger: logger)
        var positions: [UUID: [UUID: UUID]] = [:]
        for try await (room, user, position) in rows.decode((UUID, UUID, UUID).self) { positions[room, default: [:]][user] = position }
        return positions
    }

    /// Who (other than its sender) has read the message, and when they first read up to it.
    func readers(of message: Message, on db: some PostgresQueryable) async throws -> [(UUID, Date)] {
        let rows = try await db.run(
            """
            SELECT k.user_id, min(k.read_at) AS read_at FROM read_marks k
            JOIN read_positions p ON p.room_id = k.room_id AND p.user_id = k.user_id
            WHERE k.room_id = \(message.roomID) AND k.up_to_id >= \(message.id) AND k.user_id IS DISTINCT FROM \(message.senderID)
            GROUP BY k.user_id ORDER BY read_at, k.user_id
            """, logger: logger)
        var readers: [(UUID, Date)] = []
        for try await row in rows.decode((UUID, Date).self) { readers.append(row) }
        return readers
    }

    /// A member who leaves stops counting as a reader.
    func forget(room: UUID, user: UUID, on db: some PostgresQueryable) async throws {
        try await db.run("DELETE FROM read_positions WHERE room_id = \(room) AND user_id = \(user)", logger: logger)
        try await db.run("DELETE FROM read_marks WHERE room_id = \(room) AND user_id = \(user)", logger: logger)
    }
}
