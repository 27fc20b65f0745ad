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

/// The id of API.md's room object, as `room_created` and `room_updated` carry it: the gateway
/// passes the object on to the room's sessions whole.
public struct RoomReference: Codable, Sendable, Equatable {
    public let id: UUID

    public init(id: UUID) {
        self.id = id
    }
}

/// `room_created`: the room and its first members (its creator; both people of a direct room).
public struct RoomCreated: Codable, Sendable, Equatable {
    public let room: RoomReference
    public let memberIds: [UUID]

    public init(room: RoomReference, memberIds: [UUID]) {
        self.room = room
        self.memberIds = memberIds
    }
}

/// `room_updated`: the room after `updatedBy` changed it, as its members see it (its `my_role`,
/// `unread_count` and `notification_level` are the updater's own).
public struct RoomUpdated: Codable, Sendable, Equatable {
    public let room: RoomReference
    public let updatedBy: UUID

    public init(room: RoomReference, updatedBy: UUID) {
        self.room = room
        self.updatedBy = updatedBy
    }
}

/// `room_deleted`: the room is gone for `memberIds`, its members until then.
public struct RoomDeleted: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let memberIds: [UUID]
    public let deletedBy: UUID

    public init(roomId: UUID, memberIds: [UUID], deletedBy: UUID) {
        self.roomId = roomId
        self.memberIds = memberIds
        self.deletedBy = deletedBy
    }
}

/// `member_role_changed`: `userId` is now `role` (`owner`, `admin` or `member`). Handing the room
/// over is two of these: the old owner's (now an admin), then the new owner's.
public struct MemberRoleChanged: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let userId: UUID
    public let role: String
    public let previousRole: String
    public let changedBy: UUID

    public init(roomId: UUID, userId: UUID, role: String, previousRole: String, changedBy: UUID) {
        self.roomId = roomId
        self.userId = userId
        self.role = role
        self.previousRole = previousRole
        self.changedBy = changedBy
    }
}
