import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Search's copy of messages (`search_messages`): written from messages' events, read by searches.
struct SearchIndex: Sendable {
    let db: PostgresClient
    let logger: Logger

    /// The text search configuration: no stemming and no stop words, so every word of every
    /// language is found as written (the last word of a query also as a prefix).
    static let configuration = "simple"

    /// A message as the index keeps it.
    struct Entry: Sendable {
        let id: UUID
        let roomID: UUID
        let senderID: UUID?
        let parentID: UUID?
        let createdAt: Date
        let hasAttachments: Bool
        let content: String
        /// API.md's message object, as JSON text.
        let messageJSON: String
    }

    /// Writes `entries` (new or edited messages; the ids they lack are NULL, bound as '') and removes `deleted`, in one statement each.
    func apply(upserts entries: [Entry], deletes deleted: [UUID], on connection: PostgresConnection) async throws {
        if !deleted.isEmpty {
            try await connection.query("DELETE FROM search_messages WHERE id = ANY(\(deleted))", logger: logger)
        }
        guard !entries.isEmpty else { return }
        let contents = entries.map { Highlight.withoutMarkers($0.content) }
        let ids = entries.map(\.id)
        try await connection.query(
            """
            INSERT INTO search_messages (id, room_id, sender_id, parent_id, created_at, has_attachments, has_links, document, word_pairs)
            SELECT id, room_id, NULLIF(sender_id, '')::uuid, NULLIF(parent_id, '')::uuid, created_at, has_attachments, has_links,
                   document, search_word_pairs(document)
            FROM unnest(\(ids)::uuid[], \(entries.map(\.roomID))::uuid[],
                        \(entries.map { $0.senderID?.apiString ?? "" })::text[], \(entries.map { $0.parentID?.apiString ?? "" })::text[],
                        \(entries.map(\.createdAt))::timestamptz[],
                        \(entries.map(\.hasAttachments))::boolean[], \(contents.map(IndexText.hasLinks))::boolean[],
                        \(contents)::text[], \(contents.map(IndexText.extraTerms))::text[])
                 AS t(id, room_id, sender_id, parent_id, created_at, has_attachments, has_links, content, extra),
                 to_tsvector('simple', content || ' ' || extra) AS document
            ON CONFLICT (id) DO UPDATE SET
                document = excluded.document, word_pairs = excluded.word_pairs,
                has_attachments = excluded.has_attachments, has_links = excluded.has_links
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO search_message_bodies (id, content, message)
            SELECT id, content, message::jsonb FROM unnest(\(ids)::uuid[], \(contents)::text[], \(entries.map(\.messageJSON))::text[])
                 AS t(id, content, message)
            ON CONFLICT (id) DO UPDATE SET content = excluded.content, message = excluded.message
            """, logger: logger)
    }
}
