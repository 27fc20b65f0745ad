import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Attachments in media's schema.
struct AttachmentStore: Sendable {
    let db: PostgresClient
    let logger: Logger

    private static let columns = """
        id, uploader_id, filename, mime_type, size, sha256, object_key, thumbnail_key, width, height, created_at
        """
    private typealias Columns = (UUID, UUID, String, String, Int, String, String, String?, Int?, Int?, Date)

    private func attachments(_ query: PostgresQuery) async throws -> [Attachment] {
        var found: [Attachment] = []
        for try await c in try await db.run(query, logger: logger).decode(Columns.self) {
            found.append(Attachment(
                id: c.0, uploaderID: c.1, filename: c.2, mimeType: c.3, size: c.4, sha256: c.5, objectKey: c.6, thumbnailKey: c.7,
                width: c.8, height: c.9, createdAt: c.10))
        }
        return found
    }

    func insert(_ a: Attachment) async throws {
        try await db.run(
            """
            INSERT INTO attachments (id, uploader_id, filename, mime_type, size, sha256, object_key, thumbnail_key, width, height, created_at)
            VALUES (\(a.id), \(a.uploaderID), \(a.filename), \(a.mimeType), \(a.size), \(a.sha256), \(a.objectKey), \(a.thumbnailKey),
                    \(a.width), \(a.height), \(a.createdAt))
            """, logger: logger)
    }

    func find(_ id: UUID) async throws -> Attachment? {
        try await attachments("SELECT \(unescaped: Self.columns) FROM attachments WHERE id = \(id)").first
    }

    /// Marks the uploader's attachments among `ids` as carried by a message (as of `time`) and
    /// returns them in the order asked; someone else's ids are left out.
    func link(_ ids: [UUID], uploader: UUID, at time: Date) async throws -> [Attachment] {
        let linked = try await attachments(
            """
            UPDATE attachments SET linked_at = \(time)
            WHERE id = ANY(\(ids)) AND uploader_id = \(uploader)
            RETURNING \(unescaped: Self.columns)
            """)
        let byID = Dictionary(linked.map { ($0.id, $0) }) { first, _ in first }
        return ids.compactMap { byID[$0] }
    }

    /// Their message was deleted at `time`: they count as unlinked uploads again, unless a
    /// message sent since linked them anew.
    func unlink(_ ids: [UUID], deletedAt time: Date) async throws {
        try await db.run("UPDATE attachments SET linked_at = NULL WHERE id = ANY(\(ids)) AND linked_at <= \(time)", logger: logger)
    }

    /// Up to `limit` attachments no message carries that were uploaded before `cutoff`, oldest first.
    func unlinked(before cutoff: Date, limit: Int) async throws -> [Attachment] {
        try await attachments(
            """
            SELECT \(unescaped: Self.columns) FROM attachments
            WHERE linked_at IS NULL AND created_at < \(cutoff) ORDER BY created_at LIMIT \(limit)
            """)
    }

    /// Deletes the row unless a message linked it meanwhile; true when it was deleted.
    func deleteIfUnlinked(_ id: UUID) async throws -> Bool {
        try await db.run("DELETE FROM attachments WHERE id = \(id) AND linked_at IS NULL RETURNING id", logger: logger).hasRows()
    }
}
