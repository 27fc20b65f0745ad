import Foundation
import ServiceKit

enum NotificationType: String, Sendable {
    case mention, reply, directMessage = "direct_message", roomInvite = "room_invite", message
    /// A call ringing the recipient (calls' `call_started`).
    case call
    /// About the account itself (sign-in attempts paused): no room, no actor.
    case security
}

/// One notification as stored and as API.md shows it (`id, type, content, room_id, message_id,
/// actor, created_at, read`), with what a desktop notification needs besides: `title`, the room's
/// name and type, and `link`, the web app's route to what it is about.
struct Notification: Sendable, Encodable {
    let id: UUID
    let recipientID: UUID
    let type: NotificationType
    /// The message, the call for `call`, or for `room_invite` and `security` the event that caused
    /// it: one notification per subject.
    let subjectID: UUID
    /// The room, its name and type: nil only for `security`.
    let roomID: UUID?
    let roomName: String?
    let roomType: String?
    let messageID: UUID?
    let threadID: UUID?
    /// API.md's user object of whoever caused it; null for `security`.
    let actor: JSONValue
    let title: String
    /// The body preview: the message's start as plain text, or what happened.
    let content: String
    let createdAt: Date
    let expiresAt: Date
    var readAt: Date?

    /// The web app's route: the message (in its thread for a reply), the room, or for `security`
    /// the account's settings.
    var link: String {
        guard let roomID else { return "/#/settings" }
        var link = "/#/rooms/\(roomID.apiString)"
        if let threadID { link += "/threads/\(threadID.apiString)" }
        if let messageID { link += "?message=\(messageID.apiString)" }
        return link
    }

    /// The notification as API.md shows it, built directly: a fan-out makes a thousand of these
    /// for its events, where an encoder round trip per notification would cost more than the rest.
    var json: JSONValue {
        func optional(_ id: UUID?) -> JSONValue { id.map { .string($0.apiString) } ?? .null }
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        return .object([
            "id": .string(id.apiString), "type": .string(type.rawValue), "title": .string(title), "content": .string(content),
            "room_id": optional(roomID), "room_name": optional(roomName), "room_type": optional(roomType),
            "message_id": optional(messageID), "thread_id": optional(threadID), "actor": actor, "link": .string(link),
            "created_at": .string(Timestamp.format(createdAt)), "expires_at": .string(Timestamp.format(expiresAt)),
            "read": .bool(readAt != nil), "read_at": readAt.map { .string(Timestamp.format($0)) } ?? .null,
        ])
    }

    func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
