import Foundation
import Hummingbird

/// Replies of the internal API (see openapi.yaml, tag `internal`).

struct MemberAccessResponse: ResponseEncodable, Sendable {
    let roomId: String
    let roomType: RoomType
    let userId: String
    let isMember: Bool
    let role: MemberRole?
    /// Whether a mute is in force now; `mutedUntil` null with `muted` true: until unmuted.
    let muted: Bool
    let mutedUntil: Date?
    let banned: Bool
    /// A direct room whose members are separated by a block (either way): nobody posts.
    let blocked: Bool
    let notificationLevel: NotificationLevel?
    /// The `RoomAction`s this user may take in this room now (empty for non-members).
    let allowedActions: [String]

    enum CodingKeys: String, CodingKey {
        case roomId, roomType, userId, isMember, role, muted, mutedUntil, banned, blocked, notificationLevel, allowedActions
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roomId, forKey: .roomId)
        try container.encode(roomType, forKey: .roomType)
        try container.encode(userId, forKey: .userId)
        try container.encode(isMember, forKey: .isMember)
        try container.encode(role, forKey: .role)
        try container.encode(muted, forKey: .muted)
        try container.encode(mutedUntil, forKey: .mutedUntil)
        try container.encode(banned, forKey: .banned)
        try container.encode(blocked, forKey: .blocked)
        try container.encode(notificationLevel, forKey: .notificationLevel)
        try container.encode(allowedActions, forKey: .allowedActions)
    }
}

struct RoomMembersResponse: ResponseEncodable, Sendable {
    struct Member: Encodable, Sendable {
        let userId: String
        let role: MemberRole
        let notificationLevel: NotificationLevel
    }

    let roomId: String
    let roomType: RoomType
    let roomName: String
    let members: [Member]
}

struct RoomIDsResponse: ResponseEncodable {
    let roomIds: [String]
}

struct BlockPairResponse: ResponseEncodable {
    let userId: String
    let otherId: String
    let userBlocksOther: Bool
    let otherBlocksUser: Bool
}

/// Users on one side of a user's blocks: those they blocked, or those who blocked them.
struct BlockedIDsResponse: ResponseEncodable {
    let userIds: [String]
}
