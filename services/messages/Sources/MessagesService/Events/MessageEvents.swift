import AuthAPI
import Foundation

// How messages writes the events `MessagesAPI` defines (`MessageEventType`, `MessageCreated`, ...):
// ids as API.md spells them, every key of the message object. `MessageEventContractTests` decodes
// what it emits as those types.

/// `message` as nobody in particular sees it (reactions without `me`). For notify: who was
/// mentioned (`mention_ids`, `mentions_room` for @room/@here) and whose message a reply answers.
struct MessageCreatedPayload: Encodable, Sendable {
    let roomId: String
    let message: MessageResponse
    let mentionIds: [String]
    let mentionsRoom: Bool
    let parentSenderId: String?
}

/// `addedMentionIds`: users mentioned by the edit who were not mentioned before.
struct MessageUpdatedPayload: Encodable, Sendable {
    let roomId: String
    let message: MessageResponse
    let addedMentionIds: [String]
}

struct MessageDeletedPayload: Encodable, Sendable {
    let roomId: String
    let messageId: String
    let deletedBy: String
    /// The attachments it carried: media unlinks them.
    let attachmentIds: [String]
}

struct ReactionPayload: Encodable, Sendable {
    let roomId: String
    let messageId: String
    let user: UserSummary
    let emoji: String
}

/// The reader's position moved to `messageId`; `unreadCount` is what is left unread after it.
struct MessageReadPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
    let messageId: String
    let readAt: Date
    let unreadCount: Int
}

struct MessagePinnedPayload: Encodable, Sendable {
    let roomId: String
    let message: MessageResponse
    let pinnedBy: String
}

struct MessageUnpinnedPayload: Encodable, Sendable {
    let roomId: String
    let messageId: String
    let unpinnedBy: String
}

/// For the room's admins: a report waiting in the queue.
struct ReportCreatedPayload: Encodable, Sendable {
    let roomId: String
    let reportId: String
    let messageId: String
}
