import Foundation
import ServiceKit

enum NotificationType: String, Sendable {
    case mention, reply, directMessage = "direct_message", roomInvite = "room_invite", message
}

/// One notification as stored and as API.md shows it (`id, type, content, room_id, message_id,
/// actor, created_at, read`), with what a desktop notification needs besides: `title`, the room's
/// name and type, and `link`, the web app's route to what it is about.
struct Notification: Sendable, Encodable {
    let id: UUID
    let recipientID: UUID
    let type: NotificationType
    /// The message, or for `room_invite` the event that added the recipient: one notification per subject.
    let subjectID: UUID
    let roomID: UUID
    let roomName: String
    let roomType: String
    let messageID: UUID?
    let threadID: UUID?
    /// API.md's user object of whoever caused it.
    let actor: JSONValue
    let title: String
    /// The body preview: the message's start as plain text, or what happened.
    let content: String
    let createdAt: Date
    let expiresAt: Date
    var readAt: Date?

    /// The web app's route: the message (in its thread for a reply), or the room.
    var link: String {
        var link = "/#/rooms/\(roomID.apiString)"
        if let threadID { link += "/threads/\(threadID.apiString)" }
        if let messageID { link += "?message=\(messageID.apiString)" }
        return link
    }

    /// The notification as API.md shows it, built directly: a fan-out makes a thousand of these
    /// for its events, where an encoder round trip per notification would cost more than the rest.
    var json: JSONValue {
        func optional(_ id: UUID?) -> JSONValue { id.map { .string($0.apiString) } ?? .null }
        return .object([
            "id": .string(id.apiString), "type": .string(type.rawValue), "title": .string(title), "content": .string(content),
            "room_id": .string(roomID.apiString), "room_name": .string(roomName), "room_type": .string(roomType),
            "message_id": optional(messageID), "thread_id": optional(threadID), "actor": actor, "link": .string(link),
            "created_at": .string(Timestamp.format(createdAt)), "expires_at": .string(Timestamp.format(expiresAt)),
            "read": .bool(readAt != nil), "read_at": readAt.map { .string(Timestamp.format($0)) } ?? .null,
        ])
    }

    func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
