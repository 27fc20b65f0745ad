import Foundation
import MessagesAPI
import ServiceKit

/// What notify reads from messages' `message_created` and `message_updated` events: the message,
/// who sent it, and whom it reaches beyond its room's `all` level (mentions resolved by messages,
/// and the author of the message a reply answers).
struct MessageNotice: Sendable {
    let messageID: UUID
    let roomID: UUID
    let senderID: UUID
    /// API.md's user object of the sender.
    let sender: JSONValue
    let content: String
    let attachmentNames: [String]
    /// The thread's root, for a reply.
    let threadID: UUID?
    /// Users named with `@username` (for an edit: only those the edit added).
    let mentionIDs: Set<UUID>
    /// `@room` or `@here`; it reaches everyone only when an admin or the owner wrote it.
    let mentionsRoom: Bool
    let parentSenderID: UUID?
    /// An edit notifies only whom it newly mentions.
    let isEdit: Bool

    /// Nil for a system message (nobody sent it).
    init?(_ created: MessageCreated) {
        self.init(
            created.message, mentionIDs: Set(created.mentionIds), mentionsRoom: created.mentionsRoom, parentSenderID: created.parentSenderId,
            isEdit: false)
    }

    init?(_ updated: MessageUpdated) {
        self.init(updated.message, mentionIDs: Set(updated.addedMentionIds), mentionsRoom: false, parentSenderID: nil, isEdit: true)
    }

    private init?(_ message: MessageSnapshot, mentionIDs: Set<UUID>, mentionsRoom: Bool, parentSenderID: UUID?, isEdit: Bool) {
        guard message.type != "system", let sender = message.sender, let senderJSON = try? EventJSON.value(of: sender) else { return nil }
        self.messageID = message.id
        self.roomID = message.roomId
        self.senderID = sender.id
        self.sender = senderJSON
        self.content = message.content
        self.attachmentNames = message.attachments.map(\.filename)
        self.threadID = message.parentId
        self.mentionIDs = mentionIDs
        self.mentionsRoom = mentionsRoom
        self.parentSenderID = parentSenderID
        self.isEdit = isEdit
    }
}
