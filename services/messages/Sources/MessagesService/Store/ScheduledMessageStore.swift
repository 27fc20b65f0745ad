import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Scheduled messages: each author's per room, and the due ones the delivery job claims.
struct ScheduledMessageStore: Sendable {
    let logger: Logger

    static let columns = "id, room_id, sender_id, content, parent_id, send_at, status, failure, message_id, created_at, updated_at"
    typealias Columns = (UUID, UUID, UUID, String, UUID?, Date, String, String?, UUID?, Date, Date)

    static func scheduled(_ c: Columns) -> ScheduledMessage {
        ScheduledMessage(
            id: c.0, roomID: c.1, senderID: c.2, content: c.3, parentID: c.4, sendAt: c.5, status: ScheduledMessage.Status(rawValue: c.6) ?? .failed,
            failure: c.7, messageID: c.8, createdAt: c.9, updatedAt: c.10)
    }

    func insert(_ message: ScheduledMessage, on db: some PostgresQueryable) async throws {
        try await db.run(
            """
            INSERT INTO scheduled_messages (id, room_id, sender_id, content, parent_id, send_at, status, created_at, updated_at)
            VALUES (\(message.id), \(message.roomID), \(message.senderID), \(message.content), \(message.parentID), \(message.sendAt),
                    \(message.status.rawValue), \(message.createdAt), \(message.updatedAt))
            """, logger: logger)
    }

    func find(id: UUID, on db: some PostgresQueryable) async throws -> ScheduledMessage? {
        try await list("SELECT \(unescaped: Self.columns) FROM scheduled_messages WHERE id = \(id)", on: db).first
    }

    /// The author's messages in the room that are not sent yet (waiting or failed), soonest first.
    func unsent(of sender: UUID, in room: UUID, on db: some PostgresQueryable) async throws -> [ScheduledMessage] {
        try await list(
            """
            SELECT \(unescaped: Self.columns) FROM scheduled_messages
            WHERE sender_id = \(sender) AND room_id = \(room) AND status <> 'sent' ORDER BY send_at, id
            """, on: db)
    }

    func waitingCount(of sender: UUID, in room: UUID, on db: some PostgresQueryable) async throws -> Int {
        try await db.run(
            "SELECT count(*)::int FROM scheduled_messages WHERE sender_id = \(sender) AND room_id = \(room) AND status = 'scheduled'", logger: logger
        ).all(Int.self).first ?? 0
    }

    /// Writes the author's changes: the content and time, waiting again (a failed one included).
    /// False when it was sent (or deleted) meanwhile.
    func update(_ message: ScheduledMessage, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            UPDATE scheduled_messages SET content = \(message.content), send_at = \(message.sendAt), status = 'scheduled', failure = NULL,
                claimed_until = NULL, updated_at = \(message.updatedAt)
            WHERE id = \(message.id) AND status <> 'sent' RETURNING id
            """, logger: logger).hasRows()
    }

    /// False when it was sent (or deleted) meanwhile.
    func delete(id: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run("DELETE FROM scheduled_messages WHERE id = \(id) AND status <> 'sent' RETURNING id", logger: logger).hasRows()
    }

    /// Claims up to `limit` due messages until `until`: one claimed by an instance that stopped is
    /// due again once its claim runs out.
    func claimDue(at now: Date, until: Date, limit: Int, on db: some PostgresQueryable) async throws -> [ScheduledMessage] {
        try await list(
            """
            UPDATE scheduled_messages SET claimed_until = \(until)
            WHERE id IN (
                SELECT id FROM scheduled_messages
                WHERE status = 'scheduled' AND send_at <= \(now) AND (claimed_until IS NULL OR claimed_until <= \(now))
                ORDER BY send_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.columns)
            """, on: db)
    }

    /// Delivered as `messageID`; returns the row as it is now.
    func markSent(_ id: UUID, as messageID: UUID, at now: Date, on db: some PostgresQueryable) async throws -> ScheduledMessage? {
        try await list(
            """
            UPDATE scheduled_messages SET status = 'sent', message_id = \(messageID), claimed_until = NULL, updated_at = \(now)
            WHERE id = \(id) RETURNING \(unescaped: Self.columns)
            """, on: db).first
    }

    /// Refused at its time, for `reason`; returns the row as it is now.
    func markFailed(_ id: UUID, reason: String, at now: Date, on db: some PostgresQueryable) async throws -> ScheduledMessage? {
        try await list(
            """
            UPDATE scheduled_messages SET status = 'failed', failure = \(reason), claimed_until = NULL, updated_at = \(now)
            WHERE id = \(id) AND status = 'scheduled' RETURNING \(unescaped: Self.columns)
            """, on: db).first
    }

    private func list(_ query: PostgresQuery, on db: some PostgresQueryable) async throws -> [ScheduledMessage] {
        var found: [ScheduledMessage] = []
        for try await columns in try await db.run(query, logger: logger).decode(Columns.self) { found.append(Self.scheduled(columns)) }
        return found
    }
}
