import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The `notifications` table. Every read leaves out expired rows (the expiry job deletes them later).
struct NotificationStore: Sendable {
    let db: PostgresClient
    let logger: Logger

    private static let columns = """
        id, recipient_id, type, subject_id, room_id, room_name, room_type, message_id, thread_id, actor::text, title, content,
        created_at, expires_at, read_at
        """

    /// Writes those of `notifications` whose recipient has none about the same subject yet, in
    /// one statement; returns those written.
    func insert(_ notifications: [Notification], on connection: PostgresConnection) async throws -> [Notification] {
        guard !notifications.isEmpty else { return [] }
        let actors = try notifications.map { String(decoding: try JSONEncoder().encode($0.actor), as: UTF8.self) }
        let written = Set(try await connection.query(
            """
            INSERT INTO notifications (id, recipient_id, type, subject_id, room_id, room_name, room_type, message_id, thread_id, actor,
                                       title, content, created_at, expires_at)
            SELECT id, recipient_id, type, subject_id, NULLIF(room_id, '')::uuid, NULLIF(room_name, ''), NULLIF(room_type, ''),
                   NULLIF(message_id, '')::uuid, NULLIF(thread_id, '')::uuid, NULLIF(actor, 'null')::jsonb, title, content, created_at,
                   expires_at
            FROM unnest(\(notifications.map(\.id))::uuid[], \(notifications.map(\.recipientID))::uuid[],
                        \(notifications.map(\.type.rawValue))::text[], \(notifications.map(\.subjectID))::uuid[],
                        \(notifications.map { $0.roomID?.apiString ?? "" })::text[], \(notifications.map { $0.roomName ?? "" })::text[],
                        \(notifications.map { $0.roomType ?? "" })::text[], \(notifications.map { $0.messageID?.apiString ?? "" })::text[],
                        \(notifications.map { $0.threadID?.apiString ?? "" })::text[], \(actors)::text[],
                        \(notifications.map(\.title))::text[], \(notifications.map(\.content))::text[],
                        \(notifications.map(\.createdAt))::timestamptz[], \(notifications.map(\.expiresAt))::timestamptz[])
                 AS n(id, recipient_id, type, subject_id, room_id, room_name, room_type, message_id, thread_id, actor, title, content,
                      created_at, expires_at)
            ON CONFLICT (recipient_id, subject_id) DO NOTHING
            RETURNING id
            """, logger: logger).all(UUID.self))
        return notifications.filter { written.contains($0.id) }
    }

    /// A page of the recipient's notifications, newest first, after `cursor` (one more than
    /// `limit` when there are more).
    func page(of recipient: UUID, unreadOnly: Bool, after cursor: TimeCursor?, limit: Int, now: Date) async throws -> [(Notification, TimeCursor)] {
        let rows = try await db.query(
            """
            SELECT \(unescaped: Self.columns) FROM notifications
            WHERE recipient_id = \(recipient) AND expires_at > \(now) AND (read_at IS NULL OR NOT \(unreadOnly))
              AND (\(cursor == nil) OR ((extract(epoch FROM created_at) * 1000000)::bigint, id) < (\(cursor?.micros), \(cursor?.id)))
            ORDER BY created_at DESC, id DESC
            LIMIT \(limit + 1)
            """, logger: logger)
        var page: [(Notification, TimeCursor)] = []
        for try await row in rows {
            let notification = try Self.decode(row)
            // Exact: Postgres keeps microseconds, and a Date holds them to well under half of one.
            let micros = Int64((notification.createdAt.timeIntervalSince1970 * 1_000_000).rounded())
            page.append((notification, TimeCursor(micros: micros, id: notification.id)))
        }
        return page
    }

    /// Unread and unexpired notifications of each of `recipients` (0 for those with none).
    func unreadCounts(of recipients: [UUID], now: Date, on db: some PostgresQueryable) async throws -> [UUID: Int] {
        var counts = Dictionary(uniqueKeysWithValues: recipients.map { ($0, 0) })
        let rows = try await db.run(
            """
            SELECT recipient_id, count(*)::int8 FROM notifications
            WHERE recipient_id = ANY(\(recipients)) AND read_at IS NULL AND expires_at > \(now)
            GROUP BY recipient_id
            """, logger: logger)
        for try await (recipient, count) in rows.decode((UUID, Int64).self) { counts[recipient] = Int(count) }
        return counts
    }

    /// Marks one of the recipient's notifications read (left as it is when it was already);
    /// nil when it has no such live notification. `changed` tells whether it was unread.
    func markRead(_ id: UUID, of recipient: UUID, at now: Date, on connection: PostgresConnection) async throws -> (notification: Notification, changed: Bool)? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM notifications
            WHERE id = \(id) AND recipient_id = \(recipient) AND expires_at > \(now)
            FOR UPDATE
            """, logger: logger)
        var found: Notification?
        for try await row in rows { found = try Self.decode(row) }
        guard var notification = found else { return nil }
        guard notification.readAt == nil else { return (notification, false) }
        try await connection.query("UPDATE notifications SET read_at = \(now) WHERE id = \(id)", logger: logger)
        notification.readAt = now
        return (notification, true)
    }

    /// Marks every unread notification of the recipient read; returns their ids.
    func markAllRead(of recipient: UUID, at now: Date, on connection: PostgresConnection) async throws -> [UUID] {
        try await connection.query(
            """
            UPDATE notifications SET read_at = \(now)
            WHERE recipient_id = \(recipient) AND read_at IS NULL AND expires_at > \(now)
            RETURNING id
            """, logger: logger).all(UUID.self)
    }

    /// Whose unread notifications are about a message.
    func unreadRecipients(aboutMessage messageID: UUID, on connection: PostgresConnection) async throws -> [UUID] {
        try await connection.query(
            "SELECT DISTINCT recipient_id FROM notifications WHERE message_id = \(messageID) AND read_at IS NULL", logger: logger).all(UUID.self)
    }

    /// Deletes the unread notifications about a message; returns whose they were.
    func deleteUnread(aboutMessage messageID: UUID, on connection: PostgresConnection) async throws -> [(id: UUID, recipient: UUID)] {
        let rows = try await connection.query(
            "DELETE FROM notifications WHERE message_id = \(messageID) AND read_at IS NULL RETURNING id, recipient_id", logger: logger)
        return try await rows.decode((UUID, UUID).self).reduce(into: []) { $0.append(($1.0, $1.1)) }
    }

    /// Deletes up to `limit` notifications expired by `now`; returns how many. Rows another
    /// transaction holds are skipped, so the job never waits on (or blocks) the service.
    func deleteExpired(now: Date, limit: Int) async throws -> Int {
        try await db.query(
            """
            DELETE FROM notifications WHERE id IN (
                SELECT id FROM notifications WHERE expires_at <= \(now) ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, logger: logger).all(UUID.self).count
    }

    private static func decode(_ row: PostgresRow) throws -> Notification {
        let (id, recipient, type, subject, room, roomName, roomType, message, thread, actor, title, content, createdAt, expiresAt, readAt) =
            try row.decode((UUID, UUID, String, UUID, UUID?, String?, String?, UUID?, UUID?, String?, String, String, Date, Date, Date?).self)
        return Notification(
            id: id, recipientID: recipient, type: NotificationType(rawValue: type) ?? .message, subjectID: subject, roomID: room,
            roomName: roomName, roomType: roomType, messageID: message, threadID: thread,
            actor: try actor.map { try JSONValue(parsing: Data($0.utf8)) } ?? .null, title: title, content: content,
            createdAt: createdAt, expiresAt: expiresAt, readAt: readAt)
    }
}
