import Foundation
import PostgresNIO
import ServiceKit

/// Column lists and row decoding shared by the rooms stores, so every query reads a room or a
/// membership the same way.
enum RoomRows {
    static let room = "r.id, r.name, r.description, r.type, r.password_hash, r.created_by, r.created_at, r.last_message_at, r.member_count"
    /// A member's unread count is the room's message count past their read marker.
    static let membership = """
        m.room_id, m.user_id, m.role, m.joined_at, m.muted, m.muted_until, m.notification_level,
        greatest(0, (SELECT message_count FROM rooms WHERE id = m.room_id) - m.read_marker)::int
        """

    typealias RoomColumns = (UUID, String, String?, String, String?, UUID, Date, Date?, Int)
    typealias MembershipColumns = (UUID, UUID, String, Date, Bool, Date?, String?, Int)

    static func room(_ c: RoomColumns) -> Room {
        Room(id: c.0, name: c.1, description: c.2, type: RoomType(rawValue: c.3) ?? .private, passwordHash: c.4,
             createdBy: c.5, createdAt: c.6, lastMessageAt: c.7, memberCount: c.8)
    }

    static func membership(_ c: MembershipColumns) -> Membership {
        Membership(roomID: c.0, userID: c.1, role: MemberRole(rawValue: c.2) ?? .member, joinedAt: c.3, muted: c.4,
                   mutedUntil: c.5, notificationLevel: c.6.flatMap(NotificationLevel.init(rawValue:)), unreadCount: c.7)
    }

    static func rooms(_ rows: PostgresRowSequence) async throws -> [Room] {
        var rooms: [Room] = []
        for try await columns in rows.decode(RoomColumns.self) { rooms.append(room(columns)) }
        return rooms
    }

    static func memberships(_ rows: PostgresRowSequence) async throws -> [Membership] {
        var memberships: [Membership] = []
        for try await columns in rows.decode(MembershipColumns.self) { memberships.append(membership(columns)) }
        return memberships
    }
}
