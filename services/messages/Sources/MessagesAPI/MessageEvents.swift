import AuthAPI
import Foundation

/// The events messages emits, each on its room's stream, defined here once: its consumers read
/// them through these types (`Event.payload(as:logger:)`), and messages' contract test decodes
/// every event it emits as them, so a change of shape on either side fails a test. Keys are
/// API.md's (snake_case on the wire).
public enum MessageEventType: String, Sendable, CaseIterable {
    case messageCreated = "message_created"
    case messageUpdated = "message_updated"
    case messageDeleted = "message_deleted"
    case reactionAdded = "reaction_added"
    case reactionRemoved = "reaction_removed"
    case messageRead = "message_read"
    case messagePinned = "message_pinned"
    case messageUnpinned = "message_unpinned"
    case reportCreated = "report_created"
}

/// The parts of API.md's message object (the `message` of `message_created` and
/// `message_updated`) other services read.
public struct MessageSnapshot: Codable, Sendable, Equatable {
    public struct Attachment: Codable, Sendable, Equatable {
        public let id: UUID
        public let filename: String

        public init(id: UUID, filename: String) {
            self.id = id
            self.filename = filename
        }
    }

    public let id: UUID
    public let roomId: UUID
    /// `text`, `image`, `file` or `system`.
    public let type: String
    /// Nil for a system message.
    public let sender: UserSummary?
    public let content: String
    /// The thread's root, for a reply.
    public let parentId: UUID?
    public let createdAt: Date
    public let attachments: [Attachment]

    public init(
        id: UUID, roomId: UUID, type: String, sender: UserSummary?, content: String, parentId: UUID?, createdAt: Date,
        attachments: [Attachment]
    ) {
        self.id = id
        self.roomId = roomId
        self.type = type
        self.sender = sender
        self.content = content
        self.parentId = parentId
        self.createdAt = createdAt
        self.attachments = attachments
    }
}

/// `message_created`: who it mentions (`mentionsRoom` for `@room`/`@here`) and, for a reply,
/// whose message it answers.
public struct MessageCreated: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let message: MessageSnapshot
    public let mentionIds: [UUID]
    public let mentionsRoom: Bool
    public let parentSenderId: UUID?

    public init(roomId: UUID, message: MessageSnapshot, mentionIds: [UUID], mentionsRoom: Bool, parentSenderId: UUID?) {
        self.roomId = roomId
        self.message = message
        self.mentionIds = mentionIds
        self.mentionsRoom = mentionsRoom
        self.parentSenderId = parentSenderId
    }
}

/// `message_updated`: `addedMentionIds` are those the edit mentions and the message did not before.
public struct MessageUpdated: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let message: MessageSnapshot
    public let addedMentionIds: [UUID]

    public init(roomId: UUID, message: MessageSnapshot, addedMentionIds: [UUID]) {
        self.roomId = roomId
        self.message = message
        self.addedMentionIds = addedMentionIds
    }
}

/// `message_deleted`, with the attachments the message carried.
public struct MessageDeleted: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let messageId: UUID
    public let deletedBy: UUID
    public let attachmentIds: [UUID]

    public init(roomId: UUID, messageId: UUID, deletedBy: UUID, attachmentIds: [UUID]) {
        self.roomId = roomId
        self.messageId = messageId
        self.deletedBy = deletedBy
        self.attachmentIds = attachmentIds
    }
}

/// `message_read`: the reader's position moved to `messageId`, leaving `unreadCount` unread.
public struct MessageRead: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let userId: UUID
    public let messageId: UUID
    public let readAt: Date
    public let unreadCount: Int

    public init(roomId: UUID, userId: UUID, messageId: UUID, readAt: Date, unreadCount: Int) {
        self.roomId = roomId
        self.userId = userId
        self.messageId = messageId
        self.readAt = readAt
        self.unreadCount = unreadCount
    }
}

/// `reaction_added` and `reaction_removed`: `user` added or took back `emoji` on the message.
public struct ReactionChanged: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let messageId: UUID
    public let user: UserSummary
    public let emoji: String

    public init(roomId: UUID, messageId: UUID, user: UserSummary, emoji: String) {
        self.roomId = roomId
        self.messageId = messageId
        self.user = user
        self.emoji = emoji
    }
}

/// `message_pinned`: the message as it now is, pinned.
public struct MessagePinned: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let message: MessageSnapshot
    public let pinnedBy: UUID

    public init(roomId: UUID, message: MessageSnapshot, pinnedBy: UUID) {
        self.roomId = roomId
        self.message = message
        self.pinnedBy = pinnedBy
    }
}

/// `message_unpinned`, by someone or because the message was deleted.
public struct MessageUnpinned: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let messageId: UUID
    public let unpinnedBy: UUID

    public init(roomId: UUID, messageId: UUID, unpinnedBy: UUID) {
        self.roomId = roomId
        self.messageId = messageId
        self.unpinnedBy = unpinnedBy
    }
}
