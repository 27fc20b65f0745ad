import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Reactions: one per user, emoji and message.
struct ReactionStore: Sendable {
    let logger: Logger

    /// False when the user already reacted with this emoji.
    func add(message: UUID, user: UUID, emoji: String, at time: Date, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES (\(message), \(user), \(emoji), \(time))
            ON CONFLICT DO NOTHING RETURNING message_id
            """, logger: logger).hasRows()
    }

    /// False when there was no such reaction.
    func remove(message: UUID, user: UUID, emoji: String, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            "DELETE FROM reactions WHERE message_id = \(message) AND user_id = \(user) AND emoji = \(emoji) RETURNING message_id",
            logger: logger).hasRows()
    }

    func removeAll(message: UUID, on db: some PostgresQueryable) async throws {
        try await db.run("DELETE FROM reactions WHERE message_id = \(message)", logger: logger)
    }

    /// Each message's reactions grouped by emoji in the order first used, with who reacted.
    func reactions(of messages: [UUID], on db: some PostgresQueryable) async throws -> [UUID: [EmojiReactions]] {
        guard !messages.isEmpty else { return [:] }
        let rows = try await db.run(
            """
            SELECT message_id, emoji, array_agg(user_id ORDER BY created_at, user_id), min(created_at) AS first
            FROM reactions WHERE message_id = ANY(\(messages))
            GROUP BY message_id, emoji ORDER BY message_id, first, emoji
            """, logger: logger)
        var reactions: [UUID: [EmojiReactions]] = [:]
        for try await (message, emoji, users, _) in rows.decode((UUID, String, [UUID], Date).self) {
            reactions[message, default: []].append(EmojiReactions(emoji: emoji, userIDs: users))
        }
        return reactions
    }
}
