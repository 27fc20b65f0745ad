import AuthAPI
import Foundation
import MessagesAPI
import ServiceKit
import Synchronization
import TestSupport

/// Messages, for a consumer of its events tested without it: the events messages' relay would
/// post for messages sent, edited and deleted, written with messages' own types (`MessagesAPI`).
/// It keeps what it sent, for edits and deletions; sends are a millisecond apart, as messages'
/// times and ids never tie.
public final class MessagesStandIn: Sendable {
    private let state = Mutex<(messages: [UUID: MessageSnapshot], mentions: [UUID: Set<UUID>], last: Date)>(([:], [:], Date()))

    public init() {}

    /// `message_created` for a new message of `sender`'s, and its id.
    public func created(
        _ content: String, in room: UUID, by sender: UserSummary, parent: UUID? = nil, attachments: Int = 0,
        mentioning mentionIDs: [UUID] = [], mentionsRoom: Bool = false
    ) throws -> (event: Event, id: UUID) {
        let (message, parentSender): (MessageSnapshot, UUID?) = state.withLock { state in
            state.last = max(Date(), state.last.addingTimeInterval(0.001))
            let message = MessageSnapshot(
                id: UUID.v7(at: state.last), roomId: room, type: attachments > 0 ? "file" : "text", sender: sender, content: content,
                parentId: parent, createdAt: state.last,
                attachments: (0..<attachments).map { MessageSnapshot.Attachment(id: UUID(), filename: "file-\($0).pdf") })
            state.messages[message.id] = message
            state.mentions[message.id] = Set(mentionIDs)
            return (message, parent.flatMap { state.messages[$0]?.sender?.id })
        }
        let payload = MessageCreated(roomId: room, message: message, mentionIds: mentionIDs, mentionsRoom: mentionsRoom, parentSenderId: parentSender)
        return (try .made(MessageEventType.messageCreated.rawValue, stream: room, payload: payload), message.id)
    }

    /// `message_updated` for an edit of message `id` to `content`, now mentioning `mentionIDs`
    /// (those it did not mention before are the event's `added_mention_ids`).
    public func updated(_ id: UUID, to content: String, mentioning mentionIDs: [UUID] = []) throws -> Event {
        let edit: (MessageSnapshot, [UUID])? = state.withLock { state in
            guard let before = state.messages[id] else { return nil }
            let after = MessageSnapshot(
                id: id, roomId: before.roomId, type: before.type, sender: before.sender, content: content, parentId: before.parentId,
                createdAt: before.createdAt, attachments: before.attachments)
            let added = mentionIDs.filter { !(state.mentions[id] ?? []).contains($0) }
            state.messages[id] = after
            state.mentions[id, default: []].formUnion(mentionIDs)
            return (after, added)
        }
        guard let (message, added) = edit else { throw TestFailure("no message \(id) was sent") }
        return try .made(
            MessageEventType.messageUpdated.rawValue, stream: message.roomId,
            payload: MessageUpdated(roomId: message.roomId, message: message, addedMentionIds: added))
    }

    /// `message_deleted` for message `id`, deleted by its sender.
    public func deleted(_ id: UUID) throws -> Event {
        guard let message = state.withLock({ $0.messages.removeValue(forKey: id) }), let sender = message.sender else {
            throw TestFailure("no message \(id) was sent")
        }
        return try .made(
            MessageEventType.messageDeleted.rawValue, stream: message.roomId,
            payload: MessageDeleted(roomId: message.roomId, messageId: id, deletedBy: sender.id, attachmentIds: message.attachments.map(\.id)))
    }
}
