import Foundation
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

    /// Nil for a system message, and for a payload that is not a message event (skipped:
    /// redelivering it would not mend it).
    init?(_ data: JSONValue, isEdit: Bool) {
        guard let message = data["message"], message["type"]?.stringValue != "system",
            let messageID = message["id"]?.stringValue.flatMap(UUID.init(uuidString:)),
            let roomID = message["room_id"]?.stringValue.flatMap(UUID.init(uuidString:)),
            let sender = message["sender"], let senderID = sender["id"]?.stringValue.flatMap(UUID.init(uuidString:))
        else { return nil }
        func ids(_ key: String) -> Set<UUID> {
            Set((data[key]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(UUID.init(uuidString:)) })
        }
        self.messageID = messageID
        self.roomID = roomID
        self.senderID = senderID
        self.sender = sender
        self.content = message["content"]?.stringValue ?? ""
        self.attachmentNames = (message["attachments"]?.arrayValue ?? []).compactMap { $0["filename"]?.stringValue }
        self.threadID = message["parent_id"]?.stringValue.flatMap(UUID.init(uuidString:))
        self.isEdit = isEdit
        self.mentionIDs = ids(isEdit ? "added_mention_ids" : "mention_ids")
        self.mentionsRoom = !isEdit && data["mentions_room"]?.boolValue == true
        self.parentSenderID = isEdit ? nil : data["parent_sender_id"]?.stringValue.flatMap(UUID.init(uuidString:))
    }
}
