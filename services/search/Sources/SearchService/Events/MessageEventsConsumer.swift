import Foundation
import Logging
import MessagesAPI
import PostgresNIO
import ServiceKit

/// `POST /internal/events`: keeps the index in step with messages' events. Created and edited
/// messages are written, deleted ones removed; system messages are not indexed; other events are
/// ignored. A whole batch is applied in one transaction with its event ids (each applied once), a
/// message's events folded into its last state first, so ingest costs a few statements per
/// batch, not per message.
struct MessageEventsConsumer: EventHandler {
    let index: SearchIndex
    let logger: Logger

    static let eventTypes: Set<String> = Set([MessageEventType.messageCreated, .messageUpdated, .messageDeleted].map(\.rawValue))

    /// The index entry of a message (API.md's object, from an event or the export), read as
    /// `MessagesAPI`'s `MessageSnapshot`; nil for system and deleted messages, and for a payload
    /// that is not a message (skipped: redelivering it would not mend it).
    static func entry(_ message: JSONValue) -> SearchIndex.Entry? {
        guard let snapshot = try? JSONValueDecoder.decode(MessageSnapshot.self, from: message), snapshot.type != "system",
            case .object(var shown) = message, shown["deleted"]?.boolValue != true
        else { return nil }
        // The event's message is as its sender saw it: whose reaction is "me" means nothing here.
        shown["reactions"] = nil
        shown["read_count"] = nil
        return SearchIndex.Entry(
            id: snapshot.id, roomID: snapshot.roomId, senderID: snapshot.sender?.id, parentID: snapshot.parentId,
            createdAt: snapshot.createdAt, hasAttachments: !snapshot.attachments.isEmpty, content: snapshot.content,
            messageJSON: JSONValue.object(shown).jsonText)
    }

    func handle(_ event: Event) async throws {
        try await handle(batch: [event])
    }

    func handle(batch events: [Event]) async throws {
        let relevant = events.filter { Self.eventTypes.contains($0.type) }
        guard !relevant.isEmpty else { return }
        try await index.db.transaction(logger: logger) { connection in
            var latest: [UUID: SearchIndex.Entry] = [:]
            var deleted: Set<UUID> = []
            for event in try await PostgresInbox.claim(relevant, on: connection, logger: logger) {
                if event.type == MessageEventType.messageDeleted.rawValue {
                    guard let id = event.payload(as: MessageDeleted.self, logger: logger)?.messageId else { continue }
                    latest[id] = nil
                    deleted.insert(id)
                } else if let entry = event.data["message"].flatMap(Self.entry) {
                    deleted.remove(entry.id)
                    latest[entry.id] = entry
                }
            }
            try await index.apply(upserts: Array(latest.values), deletes: Array(deleted), on: connection)
        }
    }
}
