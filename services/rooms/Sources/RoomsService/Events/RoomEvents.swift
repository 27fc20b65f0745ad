import AuthAPI
import Foundation

// How rooms writes the events `RoomsAPI` names (`RoomEventType`) and, for those other services act
// on, defines (`MemberJoined`, `MemberLeft`, ...): ids as API.md spells them, every key present.
// `RoomEventsTests` decodes what rooms emits as those types.

struct RoomCreatedPayload: Encodable, Sendable {
    let room: RoomResponse
    let memberIds: [String]
}

struct RoomUpdatedPayload: Encodable, Sendable {
    let room: RoomResponse
    let updatedBy: String
}

struct RoomDeletedPayload: Encodable, Sendable {
    let roomId: String
    let memberIds: [String]
    let deletedBy: String
}

/// How someone came in: `join`, `invite` (an invite link, whose creator is `actorId`) or `added`
/// (by an admin, who is `actorId`). A room's first members arrive with `room_created` instead.
struct MemberJoinedPayload: Encodable, Sendable {
    let roomId: String
    let roomType: RoomType
    let user: UserSummary
    let role: MemberRole
    let via: String
    let actorId: String?
}

struct MemberLeftPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
}

struct MemberRemovedPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
    let removedBy: String
}

struct MemberRoleChangedPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
    let role: MemberRole
    let previousRole: MemberRole
    let changedBy: String
}

/// A mute (`muted` true, until `mutedUntil` or, when null, until unmuted) or an unmute.
struct MemberMutedPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
    let muted: Bool
    let mutedUntil: Date?
    let mutedBy: String
}

/// `wasMember`: whether the ban removed them from the room (one can ban someone not in it).
struct MemberBannedPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
    let bannedBy: String
    let reason: String?
    let wasMember: Bool
}

struct MemberUnbannedPayload: Encodable, Sendable {
    let roomId: String
    let userId: String
    let unbannedBy: String
}

/// Without the code: it works like a password, and events reach every subscriber.
struct InviteCreatedPayload: Encodable, Sendable {
    let roomId: String
    let createdBy: String
    let expiresAt: Date
    let maxUses: Int?
}

struct InviteRevokedPayload: Encodable, Sendable {
    let roomId: String
    let createdBy: String
    let revokedBy: String
}

/// `user_blocked` and `user_unblocked`: `blockerId` no longer wants to hear from `blockedId`, or
/// does again; `directRoomId` is the pair's direct room, if they have one.
struct BlockPayload: Encodable, Sendable {
    let blockerId: String
    let blockedId: String
    let directRoomId: String?

    enum CodingKeys: String, CodingKey { case blockerId, blockedId, directRoomId }

    /// Every key present: `direct_room_id` is null without a direct room.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(blockerId, forKey: .blockerId)
        try container.encode(blockedId, forKey: .blockedId)
        try container.encode(directRoomId, forKey: .directRoomId)
    }
}
