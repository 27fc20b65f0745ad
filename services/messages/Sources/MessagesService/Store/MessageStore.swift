import Foundation
import Logging
import MediaAPI
import PostgresNIO
import ServiceKit

/// Messages in messages' schema.
struct MessageStore: Sendable {
    let logger: Logger

    static let columns = """
        id, room_id, sender_id, type, content, content_html, parent_id, client_id, mention_ids, created_at, edited_at, deleted,
        reply_count, last_reply_at, attachments::text, version, game_id
        """
    typealias Columns = (UUID, UUID, UUID?, String, String, String, UUID?, String?, [UUID], Date, Date?, Bool, Int, Date?, String, Int, UUID?)

    static func message(_ c: Columns) throws -> Message {
        // Most messages carry no file: skip decoding their empty list.
        let attachments = c.14 == "[]" ? [] : try JSONDecoder().decode([AttachmentSummary].self, from: Data(c.14.utf8))
        return Message(
            id: c.0, roomID: c.1, senderID: c.2, type: MessageType(rawValue: c.3) ?? .text, content: c.4, contentHTML: c.5,
            parentID: c.6, clientID: c.7, mentionIDs: c.8, createdAt: c.9, editedAt: c.10, deleted: c.11, replyCount: c.12,
            lastReplyAt: c.13, attachments: attachments, version: c.15, gameID: c.16)
    }

    static func messages(_ rows: PostgresRowSequence) async throws -> [Message] {
        var messages: [Message] = []
        for try await columns in rows.decode(Columns.self) { messages.append(try message(columns)) }
        return messages
    }

    /// Inserts `message`; false when its sender already sent one with the same `client_id` to the room.
    func insert(_ message: Message, on db: some PostgresQueryable) async throws -> Bool {
        let attachments = String(decoding: try JSONEncoder().encode(message.attachments), as: UTF8.self)
        return try await db.run(
            """
            INSERT INTO messages (id, room_id, sender_id, type, content, content_html, parent_id, client_id, mention_ids, created_at, attachments,
                                  game_id)
            VALUES (\(message.id), \(message.roomID), \(message.senderID), \(message.type.rawValue), \(message.content),
                    \(message.contentHTML), \(message.parentID), \(message.clientID), \(message.mentionIDs), \(message.createdAt),
                    \(attachments)::jsonb, \(message.gameID))
            ON CONFLICT (room_id, sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
            RETURNING id
            """, logger: logger).hasRows()
    }

    /// The id of the room's newest message, system ones and deleted ones included.
    func newestID(in room: UUID, on db: some PostgresQueryable) async throws -> UUID? {
        try await db.run("SELECT id FROM messages WHERE room_id = \(room) ORDER BY id DESC LIMIT 1", logger: logger).all(UUID.self).first
    }

    /// Records that `message` carries its attachments; false when another message already carries one of them.
    func link(attachmentsOf message: Message, on db: some PostgresQueryable) async throws -> Bool {
        guard !message.attachments.isEmpty else { return true }
        let ids = message.attachments.map(\.id)
        let inserted = try await db.run(
            """
            INSERT INTO message_attachments (attachment_id, message_id) SELECT unnest(\(ids)::uuid[]), \(message.id)
            ON CONFLICT (attachment_id) DO NOTHING RETURNING attachment_id
            """, logger: logger).all(UUID.self)
        return inserted.count == ids.count
    }

    /// Up to `limit` live messages (not deleted, not system ones) after `after`, in id order.
    func exportPage(after: UUID?, limit: Int, on db: some PostgresQueryable) async throws -> [Message] {
        let query: PostgresQuery = if let after {
            "SELECT \(unescaped: Self.columns) FROM messages WHERE id > \(after) AND NOT deleted AND type <> 'system' ORDER BY id LIMIT \(limit)"
        } else {
            "SELECT \(unescaped: Self.columns) FROM messages WHERE NOT deleted AND type <> 'system' ORDER BY id LIMIT \(limit)"
        }
        return try await Self.messages(db.run(query, logger: logger))
    }

    /// The room of the live message carrying the attachment; nil when none does.
    func roomCarrying(attachment attachmentID: UUID, on db: some PostgresQueryable) async throws -> UUID? {
        try await db.run(
            """
            SELECT m.room_id FROM message_attachments l JOIN messages m ON m.id = l.message_id
            WHERE l.attachment_id = \(attachmentID) AND NOT m.deleted
            """, logger: logger).all(UUID.self).first
    }

    func find(id: UUID, on db: some PostgresQueryable) async throws -> Message? {
        try await Self.messages(db.run("SELECT \(unescaped: Self.columns) FROM messages WHERE id = \(id)", logger: logger)).first
    }

    /// The messages among `ids` that exist, oldest first.
    func find(ids: [UUID], on db: some PostgresQueryable) async throws -> [Message] {
        guard !ids.isEmpty else { return [] }
        return try await Self.messages(db.run("SELECT \(unescaped: Self.columns) FROM messages WHERE id = ANY(\(ids)) ORDER BY id", logger: logger))
    }

    /// The message, locked until the transaction ends.
    func lock(id: UUID, on connection: PostgresConnection) async throws -> Message? {
        try await Self.messages(connection.run("SELECT \(unescaped: Self.columns) FROM messages WHERE id = \(id) FOR UPDATE", logger: logger)).first
    }

    func find(room: UUID, sender: UUID, clientID: String, on db: some PostgresQueryable) async throws -> Message? {
        try await Self.messages(db.run(
            "SELECT \(unescaped: Self.columns) FROM messages WHERE room_id = \(room) AND sender_id = \(sender) AND client_id = \(clientID)",
            logger: logger)).first
    }

    /// Where a page is taken from: a room's messages (replies included), or one thread's replies.
    enum Scope {
        case room(UUID)
        case thread(root: UUID)
    }

    /// Which part of the scope: its newest messages, or those just before or after a message.
    enum Window {
        case newest
        case before(UUID)
        case after(UUID)
    }

    /// Up to `limit` messages of `scope` in `window`, oldest first.
    func page(_ scope: Scope, _ window: Window, limit: Int, on db: some PostgresQueryable) async throws -> [Message] {
        // The column comes from this fixed switch, never from input.
        let (column, scopeID) = switch scope {
        case .room(let id): ("room_id", id)
        case .thread(let root): ("parent_id", root)
        }
        let query: PostgresQuery = switch window {
        case .newest:
            "SELECT \(unescaped: Self.columns) FROM messages WHERE \(unescaped: column) = \(scopeID) ORDER BY id DESC LIMIT \(limit)"
        case .before(let id):
            "SELECT \(unescaped: Self.columns) FROM messages WHERE \(unescaped: column) = \(scopeID) AND id < \(id) ORDER BY id DESC LIMIT \(limit)"
        case .after(let id):
            "SELECT \(unescaped: Self.columns) FROM messages WHERE \(unescaped: column) = \(scopeID) AND id > \(id) ORDER BY id LIMIT \(limit)"
        }
        let messages = try await Self.messages(db.run(query, logger: logger))
        if case .after = window { return messages }
        return messages.reversed()
    }

    func update(content: String, html: String, mentionIDs: [UUID], editedAt: Date, of id: UUID, on db: some PostgresQueryable) async throws {
        try await db.run(
            """
            UPDATE messages SET content = \(content), content_html = \(html), mention_ids = \(mentionIDs), edited_at = \(editedAt),
                   version = version + 1
            WHERE id = \(id)
            """, logger: logger)
    }

    /// Soft delete: the row stays (replies keep their root), its content and files do not.
    /// Returns the ids of the attachments it carried.
    func markDeleted(_ id: UUID, on db: some PostgresQueryable) async throws -> [UUID] {
        try await db.run(
            """
            UPDATE messages SET deleted = true, content = \(Message.deletedContent), content_html = \(Message.deletedContent), version = version + 1,
                   mention_ids = '{}', attachments = '[]'
            WHERE id = \(id)
            """, logger: logger)
        return try await db.run("DELETE FROM message_attachments WHERE message_id = \(id) RETURNING attachment_id", logger: logger).all(UUID.self)
    }

    /// Counts a new reply on its thread's root.
    func recordReply(to rootID: UUID, at time: Date, on db: some PostgresQueryable) async throws {
        try await db.run(
            "UPDATE messages SET reply_count = reply_count + 1, last_reply_at = \(time), version = version + 1 WHERE id = \(rootID)",
            logger: logger)
    }

    /// Its reactions changed: cached copies are older now.
    func touch(_ id: UUID, on db: some PostgresQueryable) async throws {
        try await db.run("UPDATE messages SET version = version + 1 WHERE id = \(id)", logger: logger)
    }
}
