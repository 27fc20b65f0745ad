import AuthAPI
import Foundation

/// The events rooms emits, each on its room's stream (blocks on the blocker's), named here once;
/// the membership events other services act on are defined here too, read through these types by
/// messages and notify, and rooms' tests decode what it emits as them. Keys are API.md's
/// (snake_case on the wire).
public enum RoomEventType: String, Sendable, CaseIterable {
    case roomCreated = "room_created"
    case roomUpdated = "room_updated"
    case roomDeleted = "room_deleted"
    case memberJoined = "member_joined"
    case memberLeft = "member_left"
    case memberRemoved = "member_removed"
    case memberRoleChanged = "member_role_changed"
    case memberMuted = "member_muted"
    case memberBanned = "member_banned"
    case memberUnbanned = "member_unbanned"
    case inviteCreated = "invite_created"
    case inviteRevoked = "invite_revoked"
    case userBlocked = "user_blocked"
    case userUnblocked = "user_unblocked"
}

/// `member_joined`: how `user` came in, `via` `join`, `invite` (an invite link, whose creator is
/// `actorId`) or `added` (by an admin, who is `actorId`). A room's first members arrive with
/// `room_created` instead.
public struct MemberJoined: Codable, Sendable, Equatable {
    public let roomId: UUID
    /// `public`, `private` or `direct`.
    public let roomType: String
    public let user: UserSummary
    /// `owner`, `admin` or `member`.
    public let role: String
    public let via: String
    public let actorId: UUID?

    public init(roomId: UUID, roomType: String, user: UserSummary, role: String, via: String, actorId: UUID?) {
        self.roomId = roomId
        self.roomType = roomType
        self.user = user
        self.role = role
        self.via = via
        self.actorId = actorId
    }
}

/// `member_left`: someone left the room by themselves.
public struct MemberLeft: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let userId: UUID

    public init(roomId: UUID, userId: UUID) {
        self.roomId = roomId
        self.userId = userId
    }
}

/// `member_removed`: an admin (`removedBy`) took someone out of the room.
public struct MemberRemoved: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let userId: UUID
    public let removedBy: UUID

    public init(roomId: UUID, userId: UUID, removedBy: UUID) {
        self.roomId = roomId
        self.userId = userId
        self.removedBy = removedBy
    }
}

/// `member_banned`: `wasMember` tells whether the ban took them out of the room (one can ban
/// someone not in it).
public struct MemberBanned: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let userId: UUID
    public let bannedBy: UUID
    public let reason: String?
    public let wasMember: Bool

    public init(roomId: UUID, userId: UUID, bannedBy: UUID, reason: String?, wasMember: Bool) {
        self.roomId = roomId
        self.userId = userId
        self.bannedBy = bannedBy
        self.reason = reason
        self.wasMember = wasMember
    }
}
