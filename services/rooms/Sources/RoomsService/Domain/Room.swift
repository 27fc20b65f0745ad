import Foundation

enum RoomType: String, Codable, Sendable, CaseIterable {
    case `public`, `private`, direct

    /// What a member hears about unless they chose otherwise.
    var defaultNotificationLevel: NotificationLevel { self == .direct ? .all : .mentions }
}

struct Room: Sendable, Equatable {
    let id: UUID
    var name: String
    var description: String?
    let type: RoomType
    var passwordHash: String?
    let createdBy: UUID
    let createdAt: Date
    var lastMessageAt: Date?
    var memberCount: Int
}

enum MemberRole: String, Codable, Sendable, CaseIterable, Comparable {
    case member, admin, owner

    private var rank: Int {
        switch self {
        case .member: 0
        case .admin: 1
        case .owner: 2
        }
    }

    static func < (lhs: MemberRole, rhs: MemberRole) -> Bool { lhs.rank < rhs.rank }
}

enum NotificationLevel: String, Codable, Sendable, CaseIterable {
    case all, mentions, muted
}

struct Membership: Sendable, Equatable {
    let roomID: UUID
    let userID: UUID
    var role: MemberRole
    let joinedAt: Date
    var muted: Bool
    /// With `muted`: when the mute ends; nil means until an admin unmutes.
    var mutedUntil: Date?
    /// nil: the room type's default.
    var notificationLevel: NotificationLevel?
    var unreadCount: Int

    func isMuted(at now: Date) -> Bool {
        muted && (mutedUntil.map { $0 > now } ?? true)
    }
}

/// A room as one member sees it in their room list.
struct MyRoom: Sendable {
    let room: Room
    let membership: Membership
}

struct Ban: Sendable {
    let roomID: UUID
    let userID: UUID
    let bannedBy: UUID
    let reason: String?
    let createdAt: Date
}

struct Invite: Sendable, Equatable {
    let code: String
    let roomID: UUID
    let createdBy: UUID
    let createdAt: Date
    let expiresAt: Date
    /// nil: unlimited.
    let maxUses: Int?
    var uses: Int
    var revoked: Bool
}

struct Block: Sendable {
    let blockerID: UUID
    let blockedID: UUID
    let createdAt: Date
}

extension Room {
    /// The key of two users' one direct room (either order gives the same key).
    static func directPair(_ first: UUID, _ second: UUID) -> String {
        [first, second].map(\.apiString).sorted().joined(separator: ":")
    }
}
