import Foundation

/// The events rooms emits (DESIGN.md "Events"). Each goes on the room's stream, so a subscriber
/// sees one room's changes in order.
enum RoomEvent: String {
    case roomCreated = "room_created"
    case roomUpdated = "room_updated"
    case roomDeleted = "room_deleted"
    case memberJoined = "member_joined"
    case memberLeft = "member_left"
    case memberRemoved = "member_removed"
    case memberRoleChanged = "member_role_changed"
    case memberMuted = "member_muted"
    case memberBanned = "member_banned"
    case inviteCreated = "invite_created"
}

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

struct InviteCreatedPayload: Encodable, Sendable {
    let roomId: String
    let code: String
    let createdBy: String
    let expiresAt: Date
    let maxUses: Int?
}
