import AuthAPI
import Foundation
import Hummingbird
import ServiceKit

/// Replies in API.md's shapes. Every key is written, absent values as null, so clients can rely
/// on each key being there.

/// A room; `my_role`, `unread_count` and `notification_level` when it is the caller's own.
struct RoomResponse: ResponseEncodable, Sendable {
    let room: Room
    let membership: Membership?

    enum CodingKeys: String, CodingKey {
        case id, name, description, type, createdBy, createdAt, lastMessageAt, memberCount, hasPassword
        case myRole, unreadCount, notificationLevel
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(room.id.apiString, forKey: .id)
        try container.encode(room.name, forKey: .name)
        try container.encode(room.description, forKey: .description)
        try container.encode(room.type, forKey: .type)
        try container.encode(room.createdBy.apiString, forKey: .createdBy)
        try container.encode(room.createdAt, forKey: .createdAt)
        try container.encode(room.lastMessageAt, forKey: .lastMessageAt)
        try container.encode(room.memberCount, forKey: .memberCount)
        try container.encode(room.passwordHash != nil, forKey: .hasPassword)
        if let membership {
            try container.encode(membership.role, forKey: .myRole)
            try container.encode(membership.unreadCount, forKey: .unreadCount)
            try container.encode(membership.notificationLevel ?? room.type.defaultNotificationLevel, forKey: .notificationLevel)
        }
    }
}

/// A membership: `muted` says whether a mute is in force now, `muted_until` when it ends (null
/// for a mute until unmuted, or no mute).
struct MembershipResponse: ResponseEncodable, Sendable {
    let membership: Membership
    let user: UserSummary
    let now: Date

    enum CodingKeys: String, CodingKey { case roomId, user, role, joinedAt, muted, mutedUntil }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let muted = membership.isMuted(at: now)
        try container.encode(membership.roomID.apiString, forKey: .roomId)
        try container.encode(user, forKey: .user)
        try container.encode(membership.role, forKey: .role)
        try container.encode(membership.joinedAt, forKey: .joinedAt)
        try container.encode(muted, forKey: .muted)
        try container.encode(muted ? membership.mutedUntil : nil, forKey: .mutedUntil)
    }
}

struct InviteResponse: ResponseEncodable, Sendable {
    let invite: Invite
    /// The room, when the reply previews it for someone deciding whether to accept.
    let room: RoomResponse?

    enum CodingKeys: String, CodingKey { case code, roomId, createdBy, createdAt, expiresAt, maxUses, uses, revoked, room }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(invite.code, forKey: .code)
        try container.encode(invite.roomID.apiString, forKey: .roomId)
        try container.encode(invite.createdBy.apiString, forKey: .createdBy)
        try container.encode(invite.createdAt, forKey: .createdAt)
        try container.encode(invite.expiresAt, forKey: .expiresAt)
        try container.encode(invite.maxUses, forKey: .maxUses)
        try container.encode(invite.uses, forKey: .uses)
        try container.encode(invite.revoked, forKey: .revoked)
        try container.encodeIfPresent(room, forKey: .room)
    }
}

struct BanResponse: ResponseEncodable, Sendable {
    let ban: Ban
    let user: UserSummary

    enum CodingKeys: String, CodingKey { case roomId, user, bannedBy, reason, createdAt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ban.roomID.apiString, forKey: .roomId)
        try container.encode(user, forKey: .user)
        try container.encode(ban.bannedBy.apiString, forKey: .bannedBy)
        try container.encode(ban.reason, forKey: .reason)
        try container.encode(ban.createdAt, forKey: .createdAt)
    }
}

struct BlockResponse: ResponseEncodable, Sendable {
    let user: UserSummary
    let createdAt: Date
}

struct NotificationLevelResponse: ResponseEncodable {
    let roomId: String
    let level: NotificationLevel
}
