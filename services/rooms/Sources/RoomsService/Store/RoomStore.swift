import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Rooms and memberships in rooms' schema.
struct RoomStore: Sendable {
    let logger: Logger

    // MARK: rooms

    /// Inserts a room; for a direct room returns false when the pair already has one.
    func insert(_ room: Room, directPair: String?, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            INSERT INTO rooms (id, name, description, type, password_hash, created_by, created_at, member_count, direct_pair)
            VALUES (\(room.id), \(room.name), \(room.description), \(room.type.rawValue), \(room.passwordHash), \(room.createdBy),
                    \(room.createdAt), 0, \(directPair))
            ON CONFLICT (direct_pair) DO NOTHING
            RETURNING id
            """, logger: logger).hasRows()
    }

    func find(id: UUID, on db: some PostgresQueryable) async throws -> Room? {
        try await RoomRows.rooms(db.run("SELECT \(unescaped: RoomRows.room) FROM rooms r WHERE r.id = \(id)", logger: logger)).first
    }

    /// The room, locked until the transaction ends (for changes that must see a stable room).
    func lock(id: UUID, on connection: PostgresConnection) async throws -> Room? {
        try await RoomRows.rooms(connection.run("SELECT \(unescaped: RoomRows.room) FROM rooms r WHERE r.id = \(id) FOR UPDATE", logger: logger)).first
    }

    func findDirect(pair: String, on db: some PostgresQueryable) async throws -> Room? {
        try await RoomRows.rooms(db.run("SELECT \(unescaped: RoomRows.room) FROM rooms r WHERE r.direct_pair = \(pair)", logger: logger)).first
    }

    func update(_ room: Room, on db: some PostgresQueryable) async throws {
        try await db.run(
            """
            UPDATE rooms SET name = \(room.name), description = \(room.description), password_hash = \(room.passwordHash)
            WHERE id = \(room.id)
            """, logger: logger)
    }

    func delete(id: UUID, on db: some PostgresQueryable) async throws {
        try await db.run("DELETE FROM rooms WHERE id = \(id)", logger: logger)
    }

    /// Public rooms whose name or description contains `query`, by name, after `afterKey`.
    func publicRooms(matching query: String?, after cursor: (name: String, id: UUID)?, limit: Int, on db: some PostgresQueryable) async throws -> [Room] {
        let pattern = query.map { "%" + $0.lowercased().likeEscaped + "%" }
        return try await RoomRows.rooms(db.run(
            """
            SELECT \(unescaped: RoomRows.room) FROM rooms r
            WHERE r.type = 'public'
              AND (\(pattern)::text IS NULL OR lower(r.name) LIKE \(pattern) OR lower(coalesce(r.description, '')) LIKE \(pattern))
              AND (\(cursor == nil) OR (lower(r.name), r.id) > (\(cursor?.name), \(cursor?.id)))
            ORDER BY lower(r.name), r.id LIMIT \(limit)
            """, logger: logger))
    }

    /// The caller's rooms, most recent activity (last message, else creation) first.
    func rooms(of userID: UUID, after cursor: TimeCursor?, limit: Int, on db: some PostgresQueryable) async throws -> [(MyRoom, TimeCursor)] {
        let rows = try await db.run(
            """
            SELECT \(unescaped: RoomRows.room), \(unescaped: RoomRows.membership),
                   (extract(epoch FROM coalesce(r.last_message_at, r.created_at)) * 1000000)::bigint AS activity
            FROM memberships m JOIN rooms r ON r.id = m.room_id
            WHERE m.user_id = \(userID)
              AND (\(cursor == nil) OR ((extract(epoch FROM coalesce(r.last_message_at, r.created_at)) * 1000000)::bigint, r.id)
                   < (\(cursor?.micros), \(cursor?.id)))
            ORDER BY activity DESC, r.id DESC LIMIT \(limit)
            """, logger: logger)
        var result: [(MyRoom, TimeCursor)] = []
        for try await row in rows {
            let (r0, r1, r2, r3, r4, r5, r6, r7, r8, m0, m1, m2, m3, m4, m5, m6, m7, activity) = try row.decode(
                (UUID, String, String?, String, String?, UUID, Date, Date?, Int, UUID, UUID, String, Date, Bool, Date?, String?, Int, Int64).self)
            let room = RoomRows.room((r0, r1, r2, r3, r4, r5, r6, r7, r8))
            let membership = RoomRows.membership((m0, m1, m2, m3, m4, m5, m6, m7))
            result.append((MyRoom(room: room, membership: membership), TimeCursor(micros: activity, id: room.id)))
        }
        return result
    }

    // MARK: memberships

    /// Adds a membership and counts it; false when the user was already a member.
    func addMember(_ membership: Membership, on connection: PostgresConnection) async throws -> Bool {
        let added = try await connection.run(
            """
            INSERT INTO memberships (room_id, user_id, role, joined_at, read_marker)
            VALUES (\(membership.roomID), \(membership.userID), \(membership.role.rawValue), \(membership.joinedAt),
                    -- What was said before someone joined is not unread for them.
                    (SELECT message_count FROM rooms WHERE id = \(membership.roomID)))
            ON CONFLICT (room_id, user_id) DO NOTHING RETURNING user_id
            """, logger: logger).hasRows()
        if added {
            try await connection.run("UPDATE rooms SET member_count = member_count + 1 WHERE id = \(membership.roomID)", logger: logger)
        }
        return added
    }

    /// Removes a membership and uncounts it; false when the user was not a member.
    func removeMember(roomID: UUID, userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let removed = try await connection.run(
            "DELETE FROM memberships WHERE room_id = \(roomID) AND user_id = \(userID) RETURNING user_id", logger: logger).hasRows()
        if removed {
            try await connection.run("UPDATE rooms SET member_count = member_count - 1 WHERE id = \(roomID)", logger: logger)
        }
        return removed
    }

    func membership(roomID: UUID, userID: UUID, on db: some PostgresQueryable) async throws -> Membership? {
        try await RoomRows.memberships(db.run(
            "SELECT \(unescaped: RoomRows.membership) FROM memberships m WHERE m.room_id = \(roomID) AND m.user_id = \(userID)",
            logger: logger)).first
    }

    /// Members by join time, after `cursor`; `mutedOnly` for the moderation list.
    func members(of roomID: UUID, after cursor: TimeCursor?, limit: Int, mutedOnly: Bool = false, now: Date, on db: some PostgresQueryable) async throws -> [(Membership, TimeCursor)] {
        let rows = try await db.run(
            """
            SELECT \(unescaped: RoomRows.membership), (extract(epoch FROM m.joined_at) * 1000000)::bigint AS joined
            FROM memberships m
            WHERE m.room_id = \(roomID)
              AND (NOT \(mutedOnly) OR (m.muted AND (m.muted_until IS NULL OR m.muted_until > \(now))))
              AND (\(cursor == nil) OR ((extract(epoch FROM m.joined_at) * 1000000)::bigint, m.user_id)
                   > (\(cursor?.micros), \(cursor?.id)))
            ORDER BY joined, m.user_id LIMIT \(limit)
            """, logger: logger)
        var result: [(Membership, TimeCursor)] = []
        for try await (c0, c1, c2, c3, c4, c5, c6, c7, joined) in rows.decode((UUID, UUID, String, Date, Bool, Date?, String?, Int, Int64).self) {
            result.append((RoomRows.membership((c0, c1, c2, c3, c4, c5, c6, c7)), TimeCursor(micros: joined, id: c1)))
        }
        return result
    }

    func memberIDs(of roomID: UUID, on db: some PostgresQueryable) async throws -> [UUID] {
        try await db.run("SELECT user_id FROM memberships WHERE room_id = \(roomID) ORDER BY joined_at", logger: logger).all(UUID.self)
    }

    func roomIDs(of userID: UUID, on db: some PostgresQueryable) async throws -> [UUID] {
        try await db.run("SELECT room_id FROM memberships WHERE user_id = \(userID)", logger: logger).all(UUID.self)
    }

    func setRole(roomID: UUID, userID: UUID, role: MemberRole, on db: some PostgresQueryable) async throws {
        try await db.run("UPDATE memberships SET role = \(role.rawValue) WHERE room_id = \(roomID) AND user_id = \(userID)", logger: logger)
    }

    func setMute(roomID: UUID, userID: UUID, muted: Bool, until: Date?, on db: some PostgresQueryable) async throws -> Membership? {
        try await RoomRows.memberships(db.run(
            """
            UPDATE memberships m SET muted = \(muted), muted_until = \(until)
            WHERE m.room_id = \(roomID) AND m.user_id = \(userID)
            RETURNING \(unescaped: RoomRows.membership)
            """, logger: logger)).first
    }

    func setNotificationLevel(roomID: UUID, userID: UUID, level: NotificationLevel, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            UPDATE memberships SET notification_level = \(level.rawValue)
            WHERE room_id = \(roomID) AND user_id = \(userID) RETURNING user_id
            """, logger: logger).hasRows()
    }
}
