import AuthAPI
import Foundation
import Hummingbird
import MediaAPI
import ServiceKit

/// Replies in API.md's shapes. Every key is written, absent values as null, so clients can rely
/// on each key being there.

/// A message as `viewer` sees it. `sender` is null for system messages (and for a sender auth no
/// longer knows); a deleted message keeps its place with content `[deleted]`.
struct MessageResponse: ResponseEncodable, Sendable {
    let message: Message
    let sender: UserSummary?
    let reactions: [ReactionSummary]
    let readCount: Int
    /// Set in the pins list: who pinned it, and when.
    var pin: Pin? = nil

    enum CodingKeys: String, CodingKey {
        case id, roomId, sender, content, contentHtml, type, parentId, clientId, mentionIds, createdAt, editedAt, deleted
        case attachments, reactions, readCount, replyCount, lastReplyAt, gameId, pinnedBy, pinnedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message.id.apiString, forKey: .id)
        try container.encode(message.roomID.apiString, forKey: .roomId)
        try container.encode(sender, forKey: .sender)
        try container.encode(message.content, forKey: .content)
        try container.encode(message.contentHTML, forKey: .contentHtml)
        try container.encode(message.type, forKey: .type)
        try container.encode(message.parentID?.apiString, forKey: .parentId)
        try container.encode(message.clientID, forKey: .clientId)
        try container.encode(message.mentionIDs.map(\.apiString), forKey: .mentionIds)
        try container.encode(message.createdAt, forKey: .createdAt)
        try container.encode(message.editedAt, forKey: .editedAt)
        try container.encode(message.deleted, forKey: .deleted)
        try container.encode(message.attachments.map(AttachmentJSON.init), forKey: .attachments)
        try container.encode(reactions, forKey: .reactions)
        try container.encode(readCount, forKey: .readCount)
        try container.encode(message.replyCount, forKey: .replyCount)
        try container.encode(message.lastReplyAt, forKey: .lastReplyAt)
        try container.encode(message.gameID?.apiString, forKey: .gameId)
        if let pin {
            try container.encode(pin.pinnedBy.apiString, forKey: .pinnedBy)
            try container.encode(pin.pinnedAt, forKey: .pinnedAt)
        }
    }
}

/// An attachment in API.md's shape, every key written.
struct AttachmentJSON: Encodable {
    let attachment: AttachmentSummary

    enum CodingKeys: String, CodingKey { case id, filename, size, mimeType, url, thumbnailUrl, width, height, createdAt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attachment.id.apiString, forKey: .id)
        try container.encode(attachment.filename, forKey: .filename)
        try container.encode(attachment.size, forKey: .size)
        try container.encode(attachment.mimeType, forKey: .mimeType)
        try container.encode(attachment.url, forKey: .url)
        try container.encode(attachment.thumbnailUrl, forKey: .thumbnailUrl)
        try container.encode(attachment.width, forKey: .width)
        try container.encode(attachment.height, forKey: .height)
        try container.encode(attachment.createdAt, forKey: .createdAt)
    }
}

/// A chronological page of messages: `messages` oldest first, and whether more lie beyond it in
/// the direction asked.
struct MessagePageResponse: ResponseEncodable, Sendable {
    let messages: [MessageResponse]
    let hasMore: Bool
}

/// `GET /internal/messages`: a page of the export, and where the next one starts (null at the end).
struct ExportPageResponse: ResponseEncodable, Sendable {
    let messages: [MessageResponse]
    let nextAfter: String?

    enum CodingKeys: String, CodingKey { case messages, nextAfter }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try container.encode(nextAfter, forKey: .nextAfter)
    }
}

/// `GET /messages/:id/thread`: the thread's root and a page of its replies.
struct ThreadResponse: ResponseEncodable, Sendable {
    let root: MessageResponse
    let messages: [MessageResponse]
    let hasMore: Bool
}

/// `GET /rooms/:id/pins`: the pinned messages, most recently pinned first.
struct PinsResponse: ResponseEncodable, Sendable {
    let messages: [MessageResponse]
}

/// Where the reader now stands in the room after `POST /messages/:id/read`.
struct ReadPositionResponse: ResponseEncodable, Sendable {
    let roomId: String
    let lastReadId: String
    let unreadCount: Int
}

struct ReceiptResponse: Encodable, Sendable {
    let user: UserSummary
    let readAt: Date
}

struct ReceiptsResponse: ResponseEncodable, Sendable {
    let readBy: [ReceiptResponse]
}

struct ReportResponse: ResponseEncodable, Sendable {
    let report: Report
    let reporter: UserSummary?
    let message: MessageResponse

    enum CodingKeys: String, CodingKey {
        case id, roomId, messageId, message, reportedContent, reporter, reason, status, createdAt, reviewedBy, reviewedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.id.apiString, forKey: .id)
        try container.encode(report.roomID.apiString, forKey: .roomId)
        try container.encode(report.messageID.apiString, forKey: .messageId)
        try container.encode(message, forKey: .message)
        try container.encode(report.reportedContent, forKey: .reportedContent)
        try container.encode(reporter, forKey: .reporter)
        try container.encode(report.reason, forKey: .reason)
        try container.encode(report.status, forKey: .status)
        try container.encode(report.createdAt, forKey: .createdAt)
        try container.encode(report.reviewedBy?.apiString, forKey: .reviewedBy)
        try container.encode(report.reviewedAt, forKey: .reviewedAt)
    }
}
