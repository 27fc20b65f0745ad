import AuthAPI
import Foundation
import MessagesAPI
import PostgresNIO
import ServiceKit

/// A message this service writes on another's event (a system message "Alice joined", a game's
/// invitation or result): written at most once per event (the inbox claims it in the same
/// transaction), with its `message_created` event, and then cached like any message.
struct EventMessage: Sendable {
    let roomID: UUID
    /// nil for a system message.
    let sender: UserSummary?
    let type: MessageType
    let content: String
    var gameID: UUID? = nil

    /// Writes it for `event`, with `alongside` in the same transaction; nothing when the event was
    /// handled before.
    func write(
        for event: Event, env: MessagesEnvironment, alongside: @Sendable (PostgresConnection) async throws -> Void = { _ in }
    ) async throws {
        let written: Message? = try await env.outbox.transaction { tx in
            try await tx.lock(stream: roomID.apiString)
            guard try await PostgresInbox.claim(event, on: tx.connection, logger: env.logger) else { return nil }
            try await alongside(tx.connection)
            let now = env.clock.now()
            let id = try await env.newMessageID(in: roomID, at: now, on: tx.connection)
            let message = Message(
                id: id, roomID: roomID, senderID: sender?.id, type: type, content: content,
                contentHTML: HTML.escape(content), parentID: nil, clientID: nil, mentionIDs: [], createdAt: now,
                editedAt: nil, deleted: false, replyCount: 0, lastReplyAt: nil, gameID: gameID)
            _ = try await env.messages.insert(message, on: tx.connection)
            try await tx.emit(MessageEventType.messageCreated.rawValue, stream: roomID.apiString, data: MessageCreatedPayload(
                roomId: roomID.apiString, message: MessageResponse(message: message, sender: sender, reactions: [], readCount: 0),
                mentionIds: [], mentionsRoom: false, parentSenderId: nil))
            return message
        }
        if let written { await env.recache([written.id], in: written.roomID) }
    }
}
