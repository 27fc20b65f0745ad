import Foundation
import MediaAPI

enum MessageType: String, Codable, Sendable {
    /// `game`: an invitation to play, posted for its inviter by games (`game_id` is its id).
    case text, image, file, system, game
}

/// A message as stored. A deleted one keeps its row (and its place in threads) with its content
/// replaced.
struct Message: Codable, Sendable, Equatable {
    static let deletedContent = "[deleted]"

    let id: UUID
    let roomID: UUID
    /// nil for system messages.
    let senderID: UUID?
    var type: MessageType
    var content: String
    var contentHTML: String
    let parentID: UUID?
    let clientID: String?
    var mentionIDs: [UUID]
    let createdAt: Date
    var editedAt: Date?
    var deleted: Bool
    var replyCount: Int
    var lastReplyAt: Date?
    /// The files it carries (media's attachments), in the order sent; none once deleted.
    var attachments: [AttachmentSummary] = []
    /// 1 when sent, one more with every change to it or its reactions and replies.
    var version: Int = 1
    /// A `game` message's invitation (games' id for it); nil for every other type.
    var gameID: UUID? = nil
}

/// One emoji on one message and who reacted with it.
struct EmojiReactions: Codable, Sendable, Equatable {
    let emoji: String
    let userIDs: [UUID]
}

/// One emoji on one message as a viewer sees it: how many reacted with it, and whether they did.
struct ReactionSummary: Codable, Sendable, Equatable {
    let emoji: String
    let count: Int
    let me: Bool

    init(_ reactions: EmojiReactions, viewer: UUID?) {
        self.emoji = reactions.emoji
        self.count = reactions.userIDs.count
        self.me = viewer.map(reactions.userIDs.contains) ?? false
    }
}

/// A pinned message's pin.
struct Pin: Sendable, Equatable {
    let messageID: UUID
    let pinnedBy: UUID
    let pinnedAt: Date
}

enum ReportStatus: String, Codable, Sendable {
    case open, resolved, dismissed
}

/// A member's report of a message, waiting in the room's review queue until an admin resolves or
/// dismisses it.
struct Report: Sendable, Equatable {
    let id: UUID
    let messageID: UUID
    let roomID: UUID
    let reporterID: UUID
    let reason: String
    /// The message's content when it was reported.
    let reportedContent: String
    var status: ReportStatus
    let createdAt: Date
    var reviewedBy: UUID?
    var reviewedAt: Date?
}
